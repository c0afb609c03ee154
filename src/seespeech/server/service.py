"""What the routers share: model names, option checks, and the work done in the pool."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from ..audio import AUDIO_EXTENSIONS_HINT, probe
from ..errors import OptionError, SeespeechError
from ..imagine import IMAGE_ENGINES, ImagineOptions, load_image_engine, parse_size
from ..models import PACKAGED
from ..transcribe import TranscribeOptions, load_engine
from .errors import ApiError, from_seespeech
from .settings import Settings

#: OpenAI's model name, and ours
WHISPER_ALIAS = "whisper-1"
RESPONSE_FORMATS = {"json": "json", "text": "txt", "srt": "srt", "verbose_json": "verbose_json", "vtt": "vtt"}
GRANULARITIES = ("word", "segment")


#: our own model, served as model "ctc" (the packaged one trained here)
CTC_MODEL = "ctc"


def whisper_models(settings: Settings) -> list[str]:
    """Names a request may ask for; a request never makes the server fetch a new model."""
    return list(dict.fromkeys([WHISPER_ALIAS, settings.model, *PACKAGED, CTC_MODEL]))


def whisper_engine(settings: Settings, model: str | None):
    """The speech → text engine a request's ``model`` names (Whisper, or our ctc model)."""
    name = model or WHISPER_ALIAS
    if name not in whisper_models(settings):
        raise ApiError(404, f"model '{name}' is not served here; choose one of {', '.join(whisper_models(settings))}",
                       param="model", code="model_not_found")
    try:
        if name == CTC_MODEL:
            return load_engine("ctc")
        return load_engine("whisper", settings.model if name == WHISPER_ALIAS else name)
    except SeespeechError as exc:
        raise from_seespeech(exc, "model") from None


def transcribe_options(language: str | None, task: str, prompt: str | None, temperature: float | None,
                       word_timestamps: bool, settings: Settings) -> TranscribeOptions:
    if temperature is not None and not 0 <= temperature <= 1:
        raise ApiError(400, "temperature must be between 0 and 1", param="temperature", code="invalid_value")
    try:
        return TranscribeOptions(
            language=language or None, task=task, initial_prompt=prompt or None, word_timestamps=word_timestamps,
            # 0 (the default) keeps Whisper's fallback to higher temperatures; more fixes one
            temperature=(0.0, 0.2, 0.4, 0.6, 0.8, 1.0) if not temperature else (float(temperature),),
            max_duration=settings.max_duration,
        ).validated()
    except OptionError as exc:
        raise ApiError(400, str(exc), param="language" if "language" in str(exc) else None,
                       code="invalid_value") from None


def check_duration(path: Path, settings: Settings, name: str) -> float:
    """Probe the upload: unreadable → 400; longer than allowed → 413 (before decoding it)."""
    try:
        info = probe(path)
    except SeespeechError as exc:
        raise ApiError(400, str(exc).replace(str(path), name), param="file", code="invalid_audio") from None
    if info.duration and info.duration > settings.max_duration:
        raise ApiError(413, f"{name}: {info.duration:.0f} s of audio is longer than the limit of "
                            f"{settings.max_duration:.0f} s", param="file", code="audio_too_long")
    return info.duration or 0.0


def rename_errors(exc: SeespeechError, path: Path, name: str) -> ApiError:
    """Our errors name the temporary file; the client knows its own file name."""
    api = from_seespeech(exc)
    api.message = api.message.replace(str(path), name)
    return api


def image_options(n: int, size: str | None, seed: int | None, steps: int | None = None,
                  guidance: float | None = None, negative_prompt: str | None = None) -> ImagineOptions:
    try:
        width, height = parse_size(size) if size else (None, None)
    except OptionError as exc:
        raise ApiError(400, str(exc), param="size", code="invalid_value") from None
    try:
        return ImagineOptions(seed=seed or 0, width=width, height=height, count=n, steps=steps,
                              guidance=guidance, negative_prompt=negative_prompt).validated()
    except OptionError as exc:
        param = next((p for p in ("count", "width", "height", "steps", "guidance", "seed") if p in str(exc)), None)
        raise ApiError(400, str(exc), param={"count": "n", "width": "size", "height": "size"}.get(param, param),
                       code="invalid_value") from None


def image_engine(engine: str | None, settings: Settings):
    name = engine or "compose"
    if name not in IMAGE_ENGINES:
        raise ApiError(404, f"picture engine '{name}' does not exist; choose one of {', '.join(IMAGE_ENGINES)}",
                       param="engine", code="model_not_found")
    try:
        return load_image_engine(name, settings.image_model if name == "diffusion" else None)
    except SeespeechError as exc:
        raise from_seespeech(exc, "engine") from None


def png_base64(image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=image.info.get("pnginfo"))
    return base64.b64encode(buffer.getvalue()).decode()


def audio_specs(settings: Settings) -> dict[str, Any]:
    return {
        "accepted_formats": AUDIO_EXTENSIONS_HINT,
        "decoder": "FFmpeg (through PyAV): any container and codec it reads, at any rate and channel count",
        "converted_to": {"sample_rate_hz": 16000, "channels": 1, "sample_format": "float32"},
        "max_upload_mb": settings.max_upload_mb,
        "max_duration_seconds": settings.max_duration,
        "field_name": "file",
        "models": whisper_models(settings),
        "picture_engines": list(IMAGE_ENGINES),
    }
