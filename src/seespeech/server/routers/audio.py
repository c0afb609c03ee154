"""/v1/audio: transcriptions and translations (OpenAI's contract), speech → picture, audio pictures."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse

from ...errors import SeespeechError
from ...writers import WRITERS
from .. import service
from ..errors import ApiError
from ..work import removing, save_upload

router = APIRouter(prefix="/v1/audio", tags=["audio"])

ResponseFormat = Annotated[str, Form(description="json | text | srt | verbose_json | vtt")]


def _client_name(upload: UploadFile) -> str:
    # shown in messages only; never part of a path
    return (upload.filename or "upload")[-120:].replace("\n", " ")


async def _speech_to_text(request: Request, file: UploadFile, model: str | None, language: str | None,
                          prompt: str | None, response_format: str, temperature: float | None,
                          granularities: list[str] | None, stream: bool, task: str):
    settings = request.app.state.settings
    pool = request.app.state.pool
    if response_format not in service.RESPONSE_FORMATS:
        raise ApiError(400, f"response_format must be one of {', '.join(service.RESPONSE_FORMATS)}, "
                            f"not '{response_format}'", param="response_format", code="invalid_value")
    granularities = [g for g in (granularities or []) if g]
    for g in granularities:
        if g not in service.GRANULARITIES:
            raise ApiError(400, f"timestamp_granularities[] takes word and segment, not '{g}'",
                           param="timestamp_granularities[]", code="invalid_value")
    if granularities and response_format != "verbose_json":
        raise ApiError(400, "timestamp_granularities[] needs response_format verbose_json "
                            f"(got '{response_format}')", param="timestamp_granularities[]", code="invalid_value")
    if stream and response_format not in ("json", "text"):
        raise ApiError(400, "stream=true sends text events; use response_format json or text",
                       param="stream", code="invalid_value")
    options = service.transcribe_options(language, task, prompt, temperature, "word" in granularities, settings)
    engine = service.whisper_engine(settings, model)
    try:
        engine.check(options)
    except SeespeechError as exc:
        raise ApiError(400, str(exc), param="model" if task == "translate" else "language",
                       code="invalid_value") from None
    name = _client_name(file)
    pool.reserve()
    path = None
    try:
        path = await save_upload(file, settings.max_upload_bytes)
        service.check_duration(path, settings, name)
    except BaseException:
        pool.release()
        if path:
            path.unlink(missing_ok=True)
        raise
    if stream:
        return StreamingResponse(_stream(engine, options, path, name, pool), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    with removing(path):
        try:
            transcript = await pool.run(engine.transcribe, path, options)
        except SeespeechError as exc:
            raise service.rename_errors(exc, path, name) from None
        finally:
            pool.release()
    writer = WRITERS[service.RESPONSE_FORMATS[response_format]]
    body = writer.render(transcript)
    if response_format == "verbose_json" and granularities == ["word"]:
        data = json.loads(body)
        data.pop("segments", None)  # asked for words only
        body = json.dumps(data, ensure_ascii=False)
    return Response(body, media_type=writer.media_type)


async def _stream(engine, options, path: Path, name: str, pool):
    """SSE: transcript.text.delta per segment as windows finish, then transcript.text.done."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()

    def on_segment(segment):
        loop.call_soon_threadsafe(queue.put_nowait, ("delta", segment.text))

    def work():
        return engine.transcribe(path, options, None, on_segment)

    future = pool.submit(work)
    future.add_done_callback(lambda _: loop.call_soon_threadsafe(queue.put_nowait, ("end", None)))
    try:
        first = True
        while True:
            kind, text = await queue.get()
            if kind == "end":
                break
            delta = text.strip() if first else " " + text.strip()
            first = False
            yield f"data: {json.dumps({'type': 'transcript.text.delta', 'delta': delta}, ensure_ascii=False)}\n\n"
        try:
            transcript = future.result()
        except SeespeechError as exc:
            error = service.rename_errors(exc, path, name)
            body = {"type": "error", "error": {"message": error.message, "type": error.type, "code": error.code}}
            yield f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
            return
        done = {"type": "transcript.text.done", "text": transcript.text}
        yield f"data: {json.dumps(done, ensure_ascii=False)}\n\n"
    finally:
        future.cancel()
        pool.release()
        path.unlink(missing_ok=True)


@router.post("/transcriptions", summary="Transcribe audio (OpenAI-compatible)")
async def transcriptions(
    request: Request,
    file: Annotated[UploadFile, File(description="audio in any format FFmpeg reads")],
    model: Annotated[str, Form()] = service.WHISPER_ALIAS,
    language: Annotated[str | None, Form(description="ISO-639-1 code; detected when omitted")] = None,
    prompt: Annotated[str | None, Form()] = None,
    response_format: ResponseFormat = "json",
    temperature: Annotated[float | None, Form()] = None,
    timestamp_granularities: Annotated[list[str] | None, Form(alias="timestamp_granularities[]")] = None,
    stream: Annotated[bool, Form()] = False,
):
    return await _speech_to_text(request, file, model, language, prompt, response_format, temperature,
                                 timestamp_granularities, stream, "transcribe")


@router.post("/translations", summary="Translate speech to English text (OpenAI-compatible)")
async def translations(
    request: Request,
    file: Annotated[UploadFile, File()],
    model: Annotated[str, Form()] = service.WHISPER_ALIAS,
    prompt: Annotated[str | None, Form()] = None,
    response_format: ResponseFormat = "json",
    temperature: Annotated[float | None, Form()] = None,
):
    return await _speech_to_text(request, file, model, None, prompt, response_format, temperature,
                                 None, False, "translate")


@router.post("/images", summary="Speech → picture: transcript, prompt, pictures (base64 PNG) and plans")
async def speech_images(
    request: Request,
    file: Annotated[UploadFile, File()],
    model: Annotated[str, Form(description="Whisper model")] = service.WHISPER_ALIAS,
    language: Annotated[str | None, Form()] = None,
    translate: Annotated[bool, Form(description="draw from the English translation of non-English speech")] = True,
    engine: Annotated[str, Form(description="compose | diffusion")] = "compose",
    n: Annotated[int, Form()] = 1,
    size: Annotated[str | None, Form(description="WxH, e.g. 512x512")] = None,
    seed: Annotated[int, Form()] = 0,
):
    from ...pipeline import speech_to_image

    settings, pool = request.app.state.settings, request.app.state.pool
    options = service.image_options(n, size, seed)
    service.transcribe_options(language, "transcribe", None, None, False, settings)  # checks language
    service.whisper_engine(settings, model)
    service.image_engine(engine, settings)
    name = _client_name(file)
    with pool.slot():
        path = await save_upload(file, settings.max_upload_bytes)
        with removing(path):
            service.check_duration(path, settings, name)
            whisper = settings.model if model == service.WHISPER_ALIAS else model
            try:
                result = await pool.run(lambda: speech_to_image(
                    path, engine=engine, image_model=settings.image_model if engine == "diffusion" else None,
                    model=whisper, language=language, translate=translate, seed=options.seed,
                    width=options.width, height=options.height, count=options.count))
            except SeespeechError as exc:
                raise service.rename_errors(exc, path, name) from None
    data = result.to_dict()
    data["images"] = [service.png_base64(image) for image in result.images]
    return JSONResponse(data)


@router.post("/pictures", summary="Draw audio: spectrogram, mel, waveform, MFCC or whisper-mel as PNG",
             response_class=Response, responses={200: {"content": {"image/png": {}}}})
async def audio_pictures(
    request: Request,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(description="spectrogram | mel | waveform | mfcc | whisper-mel")] = "spectrogram",
    style: Annotated[str, Form(description="figure | raw")] = "figure",
):
    from ...pictures import KINDS, render

    settings, pool = request.app.state.settings, request.app.state.pool
    if kind not in KINDS:
        raise ApiError(400, f"kind must be one of {', '.join(KINDS)}", param="kind", code="invalid_value")
    if style not in ("figure", "raw"):
        raise ApiError(400, "style must be figure or raw", param="style", code="invalid_value")
    name = _client_name(file)
    with pool.slot():
        path = await save_upload(file, settings.max_upload_bytes)
        with removing(path):
            duration = service.check_duration(path, settings, name)
            if style == "figure" and duration > 60:
                raise ApiError(400, f"{name}: {duration:.0f} s is too long for one readable figure; "
                                    "send at most 60 s or ask for style raw", param="file", code="audio_too_long")
            try:
                image = await pool.run(lambda: render(path, kind=kind, style=style, title=name))
            except SeespeechError as exc:
                raise service.rename_errors(exc, path, name) from None
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=image.info.get("pnginfo"))
    return Response(buffer.getvalue(), media_type="image/png")
