"""What the routers share: model names, option checks, engines (loaded off the event loop),
and the upload every audio endpoint takes (``AudioUpload``)."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, File, Request, UploadFile

from seespeech.audio import AUDIO_EXTENSIONS_HINT, probe
from seespeech.errors import NotInstalledError, OptionError, SeespeechError
from seespeech.languages import resolve_language
from seespeech.pictures import IMAGE_ENGINES, ImagineOptions, load_image_engine, parse_size
from seespeech.speech import ENGINES, TranscribeOptions, split_model, warm_engine
from seespeech.speech.registry import served_names
from seespeech.speech.options import DecodingSchema, check_bounds
from seespeech.server.errors import ApiError, from_seespeech
from seespeech.server.settings import Settings
from seespeech.server.work import save_upload, ticket_of

#: OpenAI's model name, and ours
WHISPER_ALIAS = "whisper-1"
RESPONSE_FORMATS = {"json": "json", "text": "txt", "srt": "srt", "verbose_json": "verbose_json", "vtt": "vtt",
                    "tsv": "tsv", "lrc": "lrc", "csv": "csv", "diarized_json": "diarized_json"}
GRANULARITIES = ("word", "segment")
#: header that carries a transcript's warnings (e.g. a cut-off file) in every response format
WARNING_HEADER = "X-Seespeech-Warning"


def whisper_models(settings: Settings) -> list[str]:
    """Names a request may ask for (from the engine table: Whisper's models by name, other
    engines by theirs when they have a model on this machine); a request never makes the
    server fetch a new model."""
    return list(dict.fromkeys([WHISPER_ALIAS, *served_names(settings.model)]))


def engine_key(settings: Settings, model: str | None) -> tuple[str, str | None]:
    """(engine, model) a request's ``model`` names; 404 for one not served here."""
    name = model or WHISPER_ALIAS
    if name not in whisper_models(settings):
        raise ApiError(404, f"model '{name}' is not served here; choose one of {', '.join(whisper_models(settings))}",
                       param="model", code="model_not_found")
    return split_model(settings.model if name == WHISPER_ALIAS else name)


def checked_options(settings: Settings, model: str | None, options: TranscribeOptions) -> TranscribeOptions:
    """The one check of a request's options against the engine and model it names, before
    anything loads (``EngineEntry.check``): what they cannot honour → 400 naming the request's
    field (the model, when it is the model that cannot translate)."""
    engine, name = engine_key(settings, model)
    try:
        return ENGINES[engine].check(options, name)
    except OptionError as exc:
        raise from_seespeech(exc, "model" if exc.param == "task" else None) from None
    except NotInstalledError as exc:   # diarization by voice without its extra
        raise from_seespeech(exc, "diarize") from None


async def speech_engine(settings: Settings, model: str | None):
    """The speech → text engine a request's ``model`` names (Whisper, or another engine of the
    table such as our ctc model).

    A first load takes seconds: it runs in a thread, so other requests go on meanwhile."""
    key = engine_key(settings, model)
    remote = REMOTE_ENGINES.get(key)
    if remote is not None:   # serve --ray: the model runs in its Serve deployment (server/ray_serve.py)
        return remote
    return await load_off_loop(warm_engine, *key, param="model")


#: serve --ray: (engine, model) → a stand-in engine whose work goes to that model's Serve
#: deployment; empty in the single-process server
REMOTE_ENGINES: dict[tuple[str, str | None], Any] = {}


def side_job(name: str, local):
    """The function a side job's router calls: ``local`` (``read_text``, ``translate_text``,
    ``speak_stream``) in this process, or, under serve --ray with the job's replicas
    (``ocr_replicas`` …), a stand-in taking the same arguments whose work goes to the job's
    Serve deployment (server/ray_serve.py)."""
    return REMOTE_ENGINES.get(("job", name), local)


async def load_off_loop(load, *args, param: str, **kwargs):
    try:
        return await asyncio.to_thread(load, *args, **kwargs)
    except SeespeechError as exc:
        raise from_seespeech(exc, param) from None


def schema_form(name: str, schema=DecodingSchema, **extra):
    """A form field built from an option schema (``seespeech.schema``; the decoding one unless
    another is given): the bounds and help the library checks and the CLI offers; FastAPI's
    422 outside them becomes our 400."""
    from fastapi import Form

    return Form(description=schema.help(name), **schema.bounds(name), **extra)


def spoken_language(language: str | None) -> str | None:
    """A request's spoken language as a code ("German" → "de"); 400 naming ``language`` otherwise."""
    if not language:
        return None
    try:
        return resolve_language(language)
    except OptionError as exc:
        raise from_seespeech(exc, "language") from None


def transcribe_options(language: str | None, task: str, prompt: str | None, temperature: float | None,
                       word_timestamps: bool, settings: Settings, **more) -> TranscribeOptions:
    """The options of a request; ``more``: further ``TranscribeOptions`` fields (seespeech's own)."""
    try:
        if temperature is not None:
            check_bounds("temperature", temperature)
        return TranscribeOptions(
            language=language or None, task=task, initial_prompt=prompt or None, word_timestamps=word_timestamps,
            # 0 (the default) keeps Whisper's fallback to higher temperatures; more fixes one
            temperature=TranscribeOptions.temperature if not temperature else (float(temperature),),
            max_duration=settings.max_duration, **more,
        ).validated()
    except OptionError as exc:
        raise from_seespeech(exc) from None
    except NotInstalledError as exc:   # diarization by voice without its extra
        raise from_seespeech(exc, "diarize") from None


@dataclass
class Upload:
    """An audio upload saved in the data folder's uploads/ and probed: ``path`` is ours,
    ``name`` the client's (for messages only), ``duration`` what the container says."""

    path: Path
    name: str
    duration: float

    def error(self, exc: SeespeechError) -> ApiError:
        """Our errors name the saved file; the client knows its own file name."""
        api = from_seespeech(exc)
        api.message = api.message.replace(str(self.path), self.name)
        return api

    def warnings(self, messages: list[str]) -> list[str]:
        return [m.replace(str(self.path), self.name) for m in messages]


def client_name(upload: UploadFile) -> str:
    # shown in messages only; never part of a path
    return (upload.filename or "upload")[-120:].replace("\n", " ").replace("\r", " ")


async def audio_upload(
    request: Request, file: Annotated[UploadFile, File(description="audio in any format FFmpeg reads")],
) -> Upload:
    """The request's audio, saved under its ticket (removed when the work stops) and probed:
    unreadable → 400, longer than allowed → 413, both before any model work."""
    settings: Settings = request.app.state.settings
    ticket = ticket_of(request)
    name = client_name(file)
    path = ticket.add(await save_upload(file, settings.max_upload_bytes, request.app.state.jobs.uploads))
    try:
        info = probe(path)
    except SeespeechError as exc:
        raise ApiError(400, str(exc).replace(str(path), name), param="file", code="invalid_audio") from None
    if info.duration and info.duration > settings.max_duration:
        raise ApiError(413, f"{name}: {info.duration:.0f} s of audio is longer than the limit of "
                            f"{settings.max_duration:.0f} s", param="file", code="audio_too_long")
    return Upload(path, name, info.duration or 0.0)


AudioUpload = Annotated[Upload, Depends(audio_upload)]


def image_options(n: int, size: str | None, seed: int | None, steps: int | None = None,
                  guidance: float | None = None, negative_prompt: str | None = None) -> ImagineOptions:
    try:
        width, height = parse_size(size) if size else (None, None)
    except OptionError as exc:
        raise from_seespeech(exc) from None
    try:
        return ImagineOptions(seed=seed or 0, width=width, height=height, count=n, steps=steps,
                              guidance=guidance, negative_prompt=negative_prompt).validated()
    except OptionError as exc:
        raise from_seespeech(exc) from None


async def image_engine(engine: str | None, settings: Settings):
    name = engine or "compose"
    if name not in IMAGE_ENGINES:
        raise ApiError(404, f"picture engine '{name}' does not exist; choose one of {', '.join(IMAGE_ENGINES)}",
                       param="engine", code="model_not_found")
    why_not = image_engine_available(name, settings)
    if why_not is not None:   # said at once, not after seconds spent trying to load it
        raise ApiError(404, f"picture engine '{name}' is {why_not}", param="engine", code="model_not_found")
    remote = REMOTE_ENGINES.get(("picture", name))
    if remote is not None:   # serve --ray --picture-replicas N: drawn in the picture deployment
        return remote
    return await load_off_loop(load_image_engine, name, settings.image_model if name == "diffusion" else None,
                               param="engine")


def png_bytes(image) -> bytes:
    """PNG with the picture's metadata (plan, credits, raw pixel scale)."""
    from seespeech.files import png_bytes as encode

    return encode(image)


def png_base64(image) -> str:
    return base64.b64encode(png_bytes(image)).decode()


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


def encode_warning(messages: list[str]) -> dict[str, str]:
    """Headers are latin-1: keep the message readable and safe in one line."""
    if not messages:
        return {}
    text = " | ".join(messages).replace("\n", " ")
    return {WARNING_HEADER: text.encode("ascii", "replace").decode("ascii")[:1000]}



def weights_here(name: str, marker: str, package: str) -> bool:
    """Whether a model named by folder or hub id can load on this machine without a download:
    its package is installed and its folder (or the hub cache) holds ``marker``. Cheap: no import
    of the package, no network."""
    import importlib.util

    from seespeech.models import looks_like_path

    if importlib.util.find_spec(package) is None:
        return False
    path = Path(name).expanduser()
    if path.is_dir():
        return (path / marker).is_file()
    if looks_like_path(name):
        return False
    try:
        from huggingface_hub import try_to_load_from_cache

        return isinstance(try_to_load_from_cache(name, marker), str)
    except Exception:  # a malformed id, an unreadable cache: not usable either way
        return False


#: why a choice the page offers cannot run, in words for whoever uses the page
NOT_INSTALLED = {
    "diffusion": "not installed on this server: it has no diffusion model. Use compose, or ask whoever runs the "
                 "server to add one (seespeech serve --image-model DIR).",
    "vlm": "not installed on this server: it has no vision-language model, so only the speech model's row can run. Ask "
           "whoever runs the server to add one (seespeech serve --vlm-model DIR).",
}


def image_engine_available(name: str, settings: Settings) -> str | None:
    """None when the picture engine can run here, else why not."""
    if name != "diffusion":
        return None
    from seespeech.pictures.diffusion import DEFAULT_DIFFUSION_MODEL

    model = settings.image_model or DEFAULT_DIFFUSION_MODEL
    return None if weights_here(model, "model_index.json", "diffusers") else NOT_INSTALLED["diffusion"]


def vlm_available(name: str) -> str | None:
    """None when the VLM engine's model can run here, else why not."""
    return None if weights_here(name, "config.json", "transformers") else NOT_INSTALLED["vlm"]
