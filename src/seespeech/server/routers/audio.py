"""/v1/audio: transcriptions and translations (OpenAI's contract), speech → picture, audio pictures."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import math
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from seespeech.audio import probe
from seespeech.errors import SeespeechError
from seespeech.speech.spectrogram import KINDS, STYLES
from seespeech.speech.subtitles import MAX_CUE_SECONDS, MAX_LINE_COUNT, MAX_LINE_WIDTH, SubtitleOptions, SubtitleSchema
from seespeech.speech.diarize import SpeakerSchema, check_diarize
from seespeech.transcript import Transcript
from seespeech.speech.writers import WRITERS, JsonWriter, OpenAINames
from seespeech.server import service, work
from seespeech.server.errors import ApiError
from seespeech.server.service import AudioUpload, Upload, schema_form
from seespeech.speech.options import default_of

router = APIRouter(prefix="/v1/audio", tags=["audio"])

#: OpenAI's formats, and ours (tsv, lrc, csv)
ResponseFormat = Annotated[Literal["json", "text", "srt", "verbose_json", "vtt", "tsv", "lrc", "csv", "diarized_json"],
                           Form(description="json | text | srt | verbose_json | vtt | diarized_json (OpenAI's: "
                                            "diarized_json finds the speakers); tsv | lrc | csv (seespeech's)")]
#: a known speaker's reference: as OpenAI takes it, a data URL; its decoded size at most this
MAX_REFERENCE_BYTES = 10 * 1024 * 1024
PictureKind = Literal[KINDS]
PictureStyle = Literal[STYLES]


def check_granularities(granularities: list[str] | None, response_format: str) -> list[str]:
    """As OpenAI does: word timings need verbose_json; ``segment`` is accepted with any format
    (segments are in verbose_json anyway, and the other formats have no timings to add)."""
    granularities = [g for g in (granularities or []) if g]
    for g in granularities:
        if g not in service.GRANULARITIES:
            raise ApiError(400, f"timestamp_granularities[] takes word and segment, not '{g}'",
                           param="timestamp_granularities[]", code="invalid_value")
    if "word" in granularities and response_format != "verbose_json":
        raise ApiError(400, "timestamp_granularities[] 'word' is only supported with response_format "
                            f"verbose_json (got '{response_format}')",
                       param="timestamp_granularities[]", code="invalid_value")
    return granularities


@dataclass
class OpenAIExtras:
    """OpenAI's newer transcription fields, each honoured or refused as docs/server.md says."""

    include: list[str] | None = None
    chunking_strategy: str | None = None
    known_speaker_names: list[str] | None = None
    known_speaker_references: list[str] | None = None

    def known_speakers(self) -> dict[str, bytes] | None:
        """``known_speaker_names[]`` paired with ``known_speaker_references[]`` (data URLs of a
        few seconds of each voice) → {name: audio bytes}."""
        names = [n for n in (self.known_speaker_names or []) if n]
        references = [r for r in (self.known_speaker_references or []) if r]
        if not names and not references:
            return None
        if len(names) != len(references):
            raise ApiError(400, f"known_speaker_names[] ({len(names)}) and known_speaker_references[] "
                                f"({len(references)}) must pair up, one reference per name",
                           param="known_speaker_references[]", code="invalid_value")
        known: dict[str, bytes] = {}
        for name, reference in zip(names, references):
            head, comma, data = reference.partition(",")
            if not comma or not head.startswith("data:") or not head.endswith(";base64"):
                raise ApiError(400, f"known_speaker_references[] for '{name}' must be a data URL "
                                    "(data:audio/wav;base64,…)", param="known_speaker_references[]",
                               code="invalid_value")
            try:
                audio = base64.b64decode(data, validate=True)
            except ValueError:
                raise ApiError(400, f"known_speaker_references[] for '{name}' is not valid base64",
                               param="known_speaker_references[]", code="invalid_value") from None
            if not audio or len(audio) > MAX_REFERENCE_BYTES:
                raise ApiError(400, f"known_speaker_references[] for '{name}' must hold a few seconds of audio "
                                    f"(at most {MAX_REFERENCE_BYTES // 2**20} MB)",
                               param="known_speaker_references[]", code="invalid_value")
            if name in known:
                raise ApiError(400, f"known_speaker_names[] has '{name}' twice", param="known_speaker_names[]",
                               code="invalid_value")
            try:   # read now: a reference that is no audio is its field's fault, not the file's
                probe(io.BytesIO(audio))
            except SeespeechError as exc:
                raise ApiError(400, f"known_speaker_references[] for '{name}': {exc}",
                               param="known_speaker_references[]", code="invalid_value") from None
            known[name] = audio
        return known

    def check(self, response_format: str) -> bool:
        """Refuse what cannot be honoured; return whether per-word logprobs were asked for."""
        if self.chunking_strategy and self.chunking_strategy.strip() != "auto":
            try:
                strategy = json.loads(self.chunking_strategy)
            except ValueError:
                strategy = None
            if not isinstance(strategy, dict) or strategy.get("type") != "server_vad":
                raise ApiError(400, "chunking_strategy must be 'auto' or a server_vad object",
                               param="chunking_strategy", code="invalid_value")
        include = [i for i in (self.include or []) if i]
        for item in include:
            if item != "logprobs":
                raise ApiError(400, f"include[] takes logprobs, not '{item}'", param="include[]",
                               code="invalid_value")
        if include and response_format != "json":
            raise ApiError(400, f"include[] logprobs is only supported with response_format json "
                                f"(got '{response_format}')", param="include[]", code="invalid_value")
        return bool(include)


def openai_extras(
    include: Annotated[list[str] | None, Form(alias="include[]", description="logprobs (with json)")] = None,
    chunking_strategy: Annotated[str | None, Form(description="auto or a server_vad object: accepted; "
                                                              "long audio is always cut at quiet points")] = None,
    known_speaker_names: Annotated[list[str] | None, Form(
        alias="known_speaker_names[]", description="names of known voices (with diarized_json): their turns are "
                                                   "labelled by name")] = None,
    known_speaker_references: Annotated[list[str] | None, Form(
        alias="known_speaker_references[]", description="a data URL of a few seconds of each known voice")] = None,
) -> OpenAIExtras:
    return OpenAIExtras(include, chunking_strategy, known_speaker_names, known_speaker_references)


@dataclass
class SeespeechExtras:
    """Whisper-CLI options that OpenAI's API has no name for (seespeech's own fields)."""

    beam_size: int = default_of("beam_size")
    best_of: int = default_of("best_of")
    patience: float = default_of("patience")
    condition_on_previous_text: bool = True
    hotwords: str | None = None
    diarize: str | None = None
    speakers: dict | None = None
    subtitles: SubtitleOptions = SubtitleOptions()


def seespeech_extras(
    beam_size: Annotated[int, schema_form("beam_size")] = default_of("beam_size"),
    best_of: Annotated[int, schema_form("best_of")] = default_of("best_of"),
    patience: Annotated[float, schema_form("patience")] = default_of("patience"),
    condition_on_previous_text: Annotated[bool, Form(description="prompt each 30 s with the text before it")] = True,
    hotwords: Annotated[str | None, Form(description="words to favour")] = None,
    diarize: Annotated[Literal["auto", "channels"] | None, Form(
        description="auto: tell the speakers apart by voice; channels: a speaker per channel of a stereo "
                    "recording (SPEAKER_00, SPEAKER_01)")] = None,
    speakers: Annotated[int | None, schema_form("speakers", SpeakerSchema)] = None,
    min_speakers: Annotated[int | None, schema_form("min_speakers", SpeakerSchema)] = None,
    max_speakers: Annotated[int | None, schema_form("max_speakers", SpeakerSchema)] = None,
    max_line_width: Annotated[int, schema_form("max_line_width", SubtitleSchema)] = MAX_LINE_WIDTH,
    max_line_count: Annotated[int, schema_form("max_line_count", SubtitleSchema)] = MAX_LINE_COUNT,
    max_words_per_line: Annotated[int | None, schema_form("max_words_per_line", SubtitleSchema)] = None,
    max_cue_seconds: Annotated[float, schema_form("max_cue_seconds", SubtitleSchema)] = MAX_CUE_SECONDS,
    highlight_words: Annotated[bool, Form(description="srt/vtt: a cue per word, the word underlined")] = False,
) -> SeespeechExtras:
    return SeespeechExtras(beam_size, best_of, patience, condition_on_previous_text, hotwords or None, diarize,
                           {"speakers": speakers, "min_speakers": min_speakers, "max_speakers": max_speakers},
                           SubtitleOptions(max_line_width, max_line_count, max_cue_seconds, max_words_per_line,
                                           highlight_words))


def _body(transcript, response_format: str, logprobs: bool, subtitles: SubtitleOptions | None = None) -> str:
    """The writer's text; OpenAI's ``usage`` (and ``logprobs``) added to the JSON formats."""
    writer = WRITERS[service.RESPONSE_FORMATS[response_format]]
    if not isinstance(writer, JsonWriter):
        return writer.render(transcript, subtitles)
    data = writer.data(transcript)
    data["usage"] = {"type": "duration", "seconds": math.ceil(transcript.duration)}
    if logprobs:  # one entry per word: Whisper's word probability is the product of its tokens'
        data["logprobs"] = [
            {"token": w.word, "logprob": round(math.log(max(w.probability, 1e-12)), 6),
             "bytes": list(w.word.encode("utf-8"))}
            for s in transcript.segments for w in (s.words or [])]
    return writer.dump(data)


async def _speech_to_text(request: Request, upload: Upload, model: str | None, language: str | None,
                          prompt: str | None, response_format: str, temperature: float | None,
                          granularities: list[str] | None, stream: bool, task: str,
                          extras: OpenAIExtras | None = None, ours: SeespeechExtras | None = None):
    ours = ours or SeespeechExtras()
    settings = request.app.state.settings
    extras = extras or OpenAIExtras()
    granularities = check_granularities(granularities, response_format)
    logprobs = extras.check(response_format)
    known = extras.known_speakers()
    diarize = ours.diarize
    if response_format == "diarized_json" or known:   # OpenAI's way of asking: the speakers by voice
        if diarize == "channels":
            raise ApiError(400, "diarized_json and known speakers find the speakers by voice: leave diarize "
                                "unset (or auto), not channels", param="diarize", code="invalid_value")
        diarize = "auto"
    if stream and response_format not in ("json", "text", "diarized_json"):
        raise ApiError(400, "stream=true sends text events; use response_format json, text or diarized_json",
                       param="stream", code="invalid_value")
    options = service.transcribe_options(language, task, prompt, temperature,
                                         "word" in granularities or logprobs or ours.subtitles.highlight_words,
                                         settings, beam_size=ours.beam_size, best_of=ours.best_of,
                                         patience=ours.patience,
                                         condition_on_previous_text=ours.condition_on_previous_text,
                                         hotwords=ours.hotwords, diarize=diarize, speaker_names=known,
                                         **(ours.speakers or {}))
    options = service.checked_options(settings, model, options)
    engine = await service.speech_engine(settings, model)
    if stream:
        return StreamingResponse(_stream(request, engine, options, upload), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    start = time.perf_counter()
    try:
        transcript = await work.run(request, engine.transcribe, upload.path, options, work.cancel_point)
    except SeespeechError as exc:
        raise upload.error(exc) from None
    _measured(request, engine, transcript, start)
    transcript.warnings = upload.warnings(transcript.warnings)
    return Response(_body(transcript, response_format, logprobs, ours.subtitles),
                    media_type=WRITERS[service.RESPONSE_FORMATS[response_format]].media_type,
                    headers=service.encode_warning(transcript.warnings))


def _measured(request: Request, engine, transcript, start: float) -> None:
    """Audio seconds and the real-time factor, for /metrics."""
    metrics = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.transcribed(engine.label, transcript.duration, time.perf_counter() - start)


def _event(data: dict) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _stream(request: Request, engine, options, upload: Upload):
    """SSE: transcript.text.delta per segment as it is decoded (the first 30 s are decoded on
    their own, so the first words come within seconds on any length), then transcript.text.done.

    A client that goes away cancels the work at its next segment; the request's place in the
    queue is given back only when the work has stopped."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    cancel = threading.Event()

    def on_segment(segment):
        loop.call_soon_threadsafe(queue.put_nowait, ("delta", segment))

    start = time.perf_counter()
    future = work.start(request, partial(engine.transcribe, first_window=True), upload.path, options,
                        work.cancel_point, on_segment, cancel=cancel)
    future.add_done_callback(lambda _: loop.call_soon_threadsafe(queue.put_nowait, ("end", None)))
    try:
        first, named = True, OpenAINames()
        while True:
            kind, segment = await queue.get()
            if kind == "end":
                break
            delta = segment.text.strip() if first else " " + segment.text.strip()
            first = False
            yield _event({"type": "transcript.text.delta", "delta": delta})
            if options.diarize:   # OpenAI's diarized stream: each segment with its speaker
                yield _event({"type": "transcript.text.segment", "id": f"seg_{segment.id}", "start": segment.start,
                              "end": segment.end, "text": segment.text, "speaker": named(segment.speaker)})
        try:
            transcript = future.result()
        except SeespeechError as exc:
            error = upload.error(exc)
            yield _event({"type": "error", "error": {"message": error.message, "type": error.type,
                                                     "code": error.code}})
            return
        _measured(request, engine, transcript, start)
        done = {"type": "transcript.text.done", "text": transcript.text}
        if transcript.warnings:
            done["warnings"] = upload.warnings(transcript.warnings)
        yield _event(done)
    finally:
        if not future.done():
            work.log.info("client of a streamed transcription went away: cancelling its work")
            cancel.set()


@router.post("/transcriptions", summary="Transcribe audio (OpenAI-compatible)")
@work.takes_work
async def transcriptions(
    request: Request,
    upload: AudioUpload,
    model: Annotated[str, Form()] = service.WHISPER_ALIAS,
    language: Annotated[str | None, Form(description="ISO-639-1 code (or a name: english); detected when "
                                                    "omitted")] = None,
    prompt: Annotated[str | None, Form()] = None,
    response_format: ResponseFormat = "json",
    temperature: Annotated[float | None, Form()] = None,
    timestamp_granularities: Annotated[list[str] | None, Form(alias="timestamp_granularities[]")] = None,
    stream: Annotated[bool, Form()] = False,
    extras: Annotated[OpenAIExtras, Depends(openai_extras)] = None,
    ours: Annotated[SeespeechExtras, Depends(seespeech_extras)] = None,
):
    return await _speech_to_text(request, upload, model, language, prompt, response_format, temperature,
                                 timestamp_granularities, stream, "transcribe", extras, ours)


@router.post("/diarization", summary="Who spoke when: speaker turns as JSON or RTTM")
@work.takes_work
async def diarization(
    request: Request,
    upload: AudioUpload,
    response_format: Annotated[Literal["json", "rttm"], Form(description="json (turns) | rttm")] = "json",
    speakers: Annotated[int | None, schema_form("speakers", SpeakerSchema)] = None,
    min_speakers: Annotated[int | None, schema_form("min_speakers", SpeakerSchema)] = None,
    max_speakers: Annotated[int | None, schema_form("max_speakers", SpeakerSchema)] = None,
    known_speaker_names: Annotated[list[str] | None, Form(alias="known_speaker_names[]")] = None,
    known_speaker_references: Annotated[list[str] | None, Form(alias="known_speaker_references[]")] = None,
):
    """The speakers told apart by voice (``speech.speakers``): turns that may overlap, labelled
    ``SPEAKER_00``, … in order of first speech, or by the known speakers' names."""
    from seespeech.speech.speakers import diarize

    known = OpenAIExtras(known_speaker_names=known_speaker_names,
                         known_speaker_references=known_speaker_references).known_speakers()
    options = dict(speakers=speakers, min_speakers=min_speakers, max_speakers=max_speakers, speaker_names=known)
    try:
        check_diarize("auto", **options)
        find = partial(diarize, **options, max_duration=request.app.state.settings.max_duration,
                       progress=work.cancel_point)
        turns = await work.run(request, find, upload.path)
    except SeespeechError as exc:
        raise upload.error(exc) from None
    if response_format == "rttm":
        transcript = Transcript("", "", 0.0, upload.duration, turns=turns, source=Path(upload.name).stem)
        return Response(WRITERS["rttm"].render(transcript), media_type=WRITERS["rttm"].media_type)
    return {"duration": upload.duration, "speakers": sorted({t.speaker for t in turns}),
            "segments": [{"start": t.start, "end": t.end, "speaker": t.speaker} for t in turns]}


@router.post("/translations", summary="Translate speech to English text (OpenAI-compatible)")
@work.takes_work
async def translations(
    request: Request,
    upload: AudioUpload,
    model: Annotated[str, Form()] = service.WHISPER_ALIAS,
    prompt: Annotated[str | None, Form()] = None,
    response_format: ResponseFormat = "json",
    temperature: Annotated[float | None, Form()] = None,
    ours: Annotated[SeespeechExtras, Depends(seespeech_extras)] = None,
):
    return await _speech_to_text(request, upload, model, None, prompt, response_format, temperature,
                                 None, False, "translate", ours=ours)


@router.post("/images", summary="Speech → picture: transcript, prompt, pictures (base64 PNG) and plans")
@work.takes_work
async def speech_images(
    request: Request,
    upload: AudioUpload,
    model: Annotated[str, Form(description="Whisper model")] = service.WHISPER_ALIAS,
    language: Annotated[str | None, Form()] = None,
    translate: Annotated[bool, Form(description="draw from the English translation of non-English speech")] = True,
    engine: Annotated[str, Form(description="compose | diffusion")] = "compose",
    n: Annotated[int, Form()] = 1,
    size: Annotated[str | None, Form(description="WxH, e.g. 512x512")] = None,
    seed: Annotated[int, Form()] = 0,
):
    from seespeech.pipeline import speech_to_image

    settings = request.app.state.settings
    options = service.image_options(n, size, seed)
    language = service.spoken_language(language)
    await service.speech_engine(settings, model)
    await service.image_engine(engine, settings)
    engine_name, whisper = service.engine_key(settings, model)
    try:
        result = await work.run(request, lambda: speech_to_image(
            upload.path, engine=engine, image_model=settings.image_model if engine == "diffusion" else None,
            model="ctc" if engine_name == "ctc" else whisper, language=language, translate=translate,
            seed=options.seed, width=options.width, height=options.height, count=options.count,
            progress=work.cancel_point))
    except SeespeechError as exc:
        raise upload.error(exc) from None
    data = result.to_dict()
    data["images"] = [service.png_base64(image) for image in result.images]
    return JSONResponse(data)


@router.post("/pictures", summary="Draw audio: spectrogram, mel, waveform, MFCC or whisper-mel as PNG",
             response_class=Response, responses={200: {"content": {"image/png": {}}}})
@work.takes_work
async def audio_pictures(
    request: Request,
    upload: AudioUpload,
    kind: Annotated[PictureKind, Form()] = "spectrogram",
    style: Annotated[PictureStyle, Form()] = "figure",
):
    from seespeech.speech.spectrogram import render

    if style == "figure" and upload.duration > 60:
        raise ApiError(400, f"{upload.name}: {upload.duration:.0f} s is too long for one readable figure; "
                            "send at most 60 s or ask for style raw", param="file", code="audio_too_long")
    try:
        image = await work.run(request, lambda: render(upload.path, kind=kind, style=style, title=upload.name))
    except SeespeechError as exc:
        raise upload.error(exc) from None
    return Response(service.png_bytes(image), media_type="image/png")
