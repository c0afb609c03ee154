"""Reading speech from its picture, and comparing engines — the paths of the system we replace
(``/audio/transcriptions/vlm`` and ``/audio/transcriptions/compare``, without ``/v1``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request

from seespeech.errors import SeespeechError
from seespeech.speech.engines.vlm import IMAGE_TYPES
from seespeech.server import service, work
from seespeech.server.errors import ApiError
from seespeech.server.service import AudioUpload

router = APIRouter(prefix="/audio/transcriptions", tags=["vlm"])
ImageType = Literal[IMAGE_TYPES]


def vlm_models(settings) -> list[str]:
    from seespeech.speech.engines.vlm import DEFAULT_VLM_MODEL

    # like Whisper models, a request never points the server at a new folder or hub id
    return list(dict.fromkeys([m for m in (settings.vlm_model, DEFAULT_VLM_MODEL) if m]))


async def _vlm_engine(settings, vlm_model: str | None, image_type: str, prompt: str | None):
    from seespeech.speech import load_engine

    name = vlm_model or vlm_models(settings)[0]
    if name not in vlm_models(settings):
        raise ApiError(404, f"vlm_model '{name}' is not served here; choose one of {', '.join(vlm_models(settings))}",
                       param="vlm_model", code="model_not_found")
    return await service.load_off_loop(load_engine, "vlm", name, image_type=image_type, prompt=prompt or None,
                                       param="vlm_model")


@router.post("/vlm", summary="Transcribe by drawing the audio and asking a vision-language model (experimental)")
@work.takes_work
async def vlm_transcription(
    request: Request,
    upload: AudioUpload,
    image_type: Annotated[ImageType, Form()] = "spectrogram",
    vlm_model: Annotated[str | None, Form()] = None,
    prompt: Annotated[str | None, Form(description="the instruction given with each picture")] = None,
):
    import time

    from seespeech.speech import TranscribeOptions

    settings = request.app.state.settings
    engine = await _vlm_engine(settings, vlm_model, image_type, prompt)
    start = time.perf_counter()
    try:
        transcript = await work.run(request, engine.transcribe, upload.path,
                                    TranscribeOptions(max_duration=settings.max_duration), work.cancel_point)
    except SeespeechError as exc:
        raise upload.error(exc) from None
    seconds = round(time.perf_counter() - start, 3)
    return {
        "text": transcript.text, "image_type": image_type, "vlm_model": vlm_model or vlm_models(settings)[0],
        "duration": transcript.duration, "seconds": seconds,
        "segments": [{"start": s.start, "end": s.end, "text": s.text} for s in transcript.segments],
        "experimental": True,
    }


@router.post("/compare", summary="Whisper and the VLM side by side (with WER when a reference is sent)")
@work.takes_work
async def compare_transcriptions(
    request: Request,
    upload: AudioUpload,
    vlm_prompt: Annotated[str | None, Form()] = None,
    image_type: Annotated[ImageType, Form()] = "spectrogram",
    vlm_model: Annotated[str | None, Form()] = None,
    reference: Annotated[str | None, Form(description="what was really said; enables WER")] = None,
    model: Annotated[str, Form(description="Whisper model")] = service.WHISPER_ALIAS,
    language: Annotated[str | None, Form()] = None,
):
    from seespeech.speech.compare import compare

    settings = request.app.state.settings
    await service.speech_engine(settings, model)
    language = service.spoken_language(language)
    chosen_vlm = vlm_model or vlm_models(settings)[0]
    if chosen_vlm not in vlm_models(settings):
        raise ApiError(404, f"vlm_model '{chosen_vlm}' is not served here", param="vlm_model",
                       code="model_not_found")
    # the speech model may be another engine of the table (ctc): its row is the "whisper" row of the answer
    engine, whisper = service.engine_key(settings, model)
    # a VLM that is not on this machine is not tried (a load that fails after seconds): its row says why
    missing_vlm = service.vlm_available(chosen_vlm)
    engines = [engine] if missing_vlm else [engine, "vlm"]
    result = await work.run(request, lambda: compare(
        upload.path, engines, reference=reference or None, language=language,
        models={engine: whisper, "vlm": chosen_vlm},
        engine_options={"vlm": {"image_type": image_type, "prompt": vlm_prompt or None}}))
    if missing_vlm:
        from seespeech.speech.compare import EngineRow

        result.rows.append(EngineRow("vlm", error=missing_vlm))
    rows = {r.engine: r for r in result.rows}
    whisper_row, vlm_row = rows[engine], rows["vlm"]
    if whisper_row.text is None:  # no Whisper text: the audio itself is the problem
        raise ApiError(400, (whisper_row.error or "transcription failed").replace(str(upload.path), upload.name),
                       param="file",
                       code="invalid_audio")
    answer = {
        "traditional_stt": whisper_row.text,
        "vlm_transcription": vlm_row.text,
        "methods_compared": ["whisper", f"vlm_{image_type}"],
        "timings": {"whisper": whisper_row.seconds, "vlm": vlm_row.seconds},
        "models": {"whisper": whisper_row.label, "vlm": vlm_row.label or chosen_vlm},
        "language": result.language,
        "errors": {("whisper" if r.engine == engine else r.engine): r.error for r in result.rows if r.error},
        "reference_source": result.reference_source,
    }
    answer["wer"] = {"whisper": whisper_row.wer, "vlm": vlm_row.wer}
    answer["cer"] = {"whisper": whisper_row.cer, "vlm": vlm_row.cer}
    return answer
