"""The engine table and the engines loaded in this process: what the CLI's choices,
``compare``, the server's ``/v1/models`` and the pipeline read. Adding an engine is a module
with a ``core.SpeechEngine`` and a line in ``ENGINES``."""

from __future__ import annotations

import importlib
import threading
import time
from dataclasses import dataclass

from seespeech.errors import OptionError
from seespeech.speech.options import DEFAULT_ENGINE, Engine, TranscribeOptions

@dataclass(frozen=True)
class EngineEntry:
    """One row of the engine table: what the CLI's choices, ``compare``, the server's
    ``/v1/models`` and checks, and the pipeline know of an engine before loading it."""

    name: str
    #: "module:Class", imported only when something asks for more than the name
    where: str
    summary: str
    #: the pip extra it needs (None: the core install)
    extra: str | None = None

    @property
    def cls(self) -> type:
        module, _, attr = self.where.partition(":")
        return getattr(importlib.import_module(module), attr)

    @property
    def honours(self) -> frozenset[str]:
        return self.cls.honours

    @property
    def default_model(self) -> str | None:
        return self.cls.default_model

    def models(self) -> list[str]:
        """The models it serves on this machine without a download (its default first)."""
        return self.cls.served_models()

    def check(self, options: TranscribeOptions, model: str | None = None) -> TranscribeOptions:
        """The one check of a request's options, before any model loads: their values
        (``TranscribeOptions.validated``) and what this engine with ``model`` honours. Returns
        them validated and marked, so the transcription does not check them again."""
        options = options.validated()
        model = str(model or self.default_model or "")
        self.cls.check_options(options, model)
        return options.checked_for(self.name, model)


#: every speech → text engine; adding one is a module with a ``core.SpeechEngine`` and a line here
ENGINES: dict[str, EngineEntry] = {e.name: e for e in (
    EngineEntry("whisper", "seespeech.speech.engines.whisper:WhisperEngine", "Whisper through faster-whisper"),
    EngineEntry("ctc", "seespeech.speech.engines.ctc:CTCEngine", "our own DeepSpeech2-style model (English)", "ctc"),
    EngineEntry("vlm", "seespeech.speech.engines.vlm:VLMEngine",
                "a vision-language model reads pictures of the audio (experimental)", "vlm"),
    EngineEntry("moonshine", "seespeech.speech.engines.moonshine:MoonshineEngine",
                "Moonshine tiny/base: English, compute grows with the audio's length", "moonshine"),
)}


def engine_entry(engine: str) -> EngineEntry:
    if engine not in ENGINES:
        raise OptionError(f"unknown engine '{engine}': choose one of {', '.join(ENGINES)}", "engine")
    return ENGINES[engine]


def served_names(default: str) -> list[str]:
    """The model names a client may ask for, ``default`` first: Whisper's packaged models, and
    the other engines with a model on this machine by name (and as ``engine-model`` when they
    serve several: moonshine-tiny, moonshine-base)."""
    names = [default, *ENGINES[DEFAULT_ENGINE].models()]
    for entry in ENGINES.values():
        models = entry.models() if entry.name != DEFAULT_ENGINE else []
        names += [entry.name, *(f"{entry.name}-{m}" for m in models)] if len(models) > 1 else \
            [entry.name] if models else []
    return list(dict.fromkeys(names))


def split_model(spec: str | None) -> tuple[str, str | None]:
    """(engine, model) a model name means: "ctc" or "ctc:DIR" name an engine (and its model),
    as labels do ("whisper:base"); a packaged ctc model's name ("cathy") means the ctc engine;
    anything else is a Whisper model."""
    from seespeech.models import PACKAGED_CTC

    if spec is None:
        return DEFAULT_ENGINE, None
    if spec in PACKAGED_CTC:
        return "ctc", spec
    engine, sep, rest = spec.partition(":")
    if engine in ENGINES and (sep or spec == engine):
        return engine, rest or None
    engine, sep, rest = spec.partition("-")   # "moonshine-tiny", as the server lists other engines' models
    if sep and engine in ENGINES and engine != DEFAULT_ENGINE and rest in ENGINES[engine].models():
        return engine, rest
    return DEFAULT_ENGINE, spec


_engines: dict[tuple, Engine] = {}
#: seconds each loaded engine took to load ("whisper:base": 1.2), building it and warming it
load_seconds: dict[str, float] = {}
_engines_lock = threading.RLock()  # re-entrant: the ctc engine loads the Whisper engine it builds on


def _key(engine: str, model: str | None, kwargs: dict) -> tuple:
    return (engine, model or engine_entry(engine).default_model, tuple(sorted(kwargs.items())))


def load_engine(engine: str = DEFAULT_ENGINE, model: str | None = None, **kwargs) -> Engine:
    """Load an engine once per process and reuse it (models are large).

    ``model`` is the engine's own model name (None: its default); other keywords go to
    the engine's constructor (whisper: device, compute_type, cpu_threads; vlm: image_type,
    prompt, save_images; ctc: decoder, beam).
    """
    entry = engine_entry(engine)
    key = _key(engine, model, kwargs)
    with _engines_lock:
        if key not in _engines:
            start = time.perf_counter()
            _engines[key] = entry.cls(key[1], **kwargs)
            _engines[key].loaded_at = time.time()
            load_seconds[_engines[key].label] = round(time.perf_counter() - start, 3)
        _engines[key].last_used = time.monotonic()
        return _engines[key]


def loaded_engines() -> list[tuple[tuple, Engine]]:
    """(key, engine) of every engine in memory: key = (engine, model, loading options)."""
    with _engines_lock:
        return list(_engines.items())


def unload_engine(engine: str = DEFAULT_ENGINE, model: str | None = None) -> bool:
    """Forget the loaded ``engine``/``model`` (with any loading options); whether one was
    loaded. Work already holding it finishes with it; the next request loads it again."""
    with _engines_lock:
        keys = [k for k in _engines if k[:2] == _key(engine, model, {})[:2]]
        gone = [_engines.pop(key) for key in keys]
    for loaded in gone:
        load_seconds.pop(loaded.label, None)
        loaded.release()
    if gone:
        import gc

        from seespeech.memory import release_free_memory

        del gone, loaded
        gc.collect()   # models hold large buffers: give them back now, not at some later collection
        release_free_memory()
    return bool(keys)


def unload_idle(ttl: float, keep: set[tuple] = frozenset()) -> list[str]:
    """Unload engines unused for ``ttl`` seconds and not working now (``busy``), except the
    (engine, model) pairs in ``keep``; the labels unloaded."""
    now, gone = time.monotonic(), []
    for key, loaded in loaded_engines():
        if key[:2] in keep or loaded.busy or now - loaded.last_used < ttl:
            continue
        if unload_engine(*key[:2]):
            gone.append(loaded.label)
    return gone


def warm_engine(engine: str = DEFAULT_ENGINE, model: str | None = None, **kwargs) -> Engine:
    """``load_engine``, and the model a short input needs loaded too (an engine may load it on
    first use: the Whisper engine does, so that a long file never loads it). The server warms
    its engines, so the first request does not wait and /health/ready tells the truth."""
    loaded = load_engine(engine, model, **kwargs)
    if not loaded.ready:
        start = time.perf_counter()
        loaded.load()
        load_seconds[loaded.label] = round(load_seconds.get(loaded.label, 0.0) + time.perf_counter() - start, 3)
    return loaded


def engine_loaded(engine: str = DEFAULT_ENGINE, model: str | None = None) -> bool:
    """Whether ``warm_engine(engine, model)`` (with no other options) would return at once."""
    with _engines_lock:
        loaded = _engines.get(_key(engine, model, {}))
    return loaded is not None and loaded.ready
