"""Speech → text engines behind one small protocol.

An engine takes audio (a path, bytes, a file object or a 16 kHz array) and options,
and returns a ``Transcript``. ``transcribe()`` is the one call most users need::

    import seespeech
    t = seespeech.transcribe("talk.m4a", language="en")
    print(t.text, t.language, t.segments[0].start)
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Protocol

from ..audio import AudioInput, max_duration_default
from ..diarize import check_diarize
from ..errors import OptionError
from ..languages import resolve_language
from ..transcript import Segment, Transcript

if TYPE_CHECKING:
    from .core import Transcription

TASKS = ("transcribe", "translate")
DEFAULT_ENGINE = "whisper"

#: progress callback: (seconds of audio done, total seconds or None)
ProgressFn = Callable[[float, "float | None"], None]
#: called with each final segment as soon as it is known (for streaming)
SegmentFn = Callable[[Segment], None]


@dataclass
class TranscribeOptions:
    """How to transcribe; every field has the default a user would pick."""

    #: a code (en) or a name (english); None: detected
    language: str | None = None
    task: str = "transcribe"
    word_timestamps: bool = False
    #: skip non-speech with Silero VAD before decoding
    vad: bool = True
    #: keep non-speech markers and invented outros instead of removing them
    keep_markers: bool = False
    beam_size: int = 5
    #: one temperature, or a fallback schedule: the next is tried when a decode looks wrong
    #: (repetitive, or unsure); ``temperature_schedule(t, increment)`` builds one as Whisper's CLI does
    temperature: float | tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    #: candidates sampled at temperatures above 0 (the best is kept)
    best_of: int = 5
    #: beam search patience (1.0: stop at beam_size finished hypotheses)
    patience: float = 1.0
    initial_prompt: str | None = None
    #: words to favour, as a prompt (ignored by Whisper when initial_prompt is given)
    hotwords: str | None = None
    #: inside a window, prompt each 30 s with the text before it (Whisper's default); no text
    #: is carried from one 4-minute window to the next (that measured 7.2 % vs 3.3 % WER)
    condition_on_previous_text: bool = True
    #: speaker labels: "channels" (one speaker per channel) or a pyannote.audio pipeline folder
    diarize: str | None = None
    #: seconds; longer audio is refused (default: SEESPEECH_MAX_DURATION, else 4 hours); None: no limit
    max_duration: float | None = field(default_factory=max_duration_default)
    #: >0: audio longer than a minute is cut into <= 30 s VAD chunks decoded by parallel model
    #: workers, this many chunks per call (``chunked.py``; 3-4x faster on 2 cores at the same
    #: WER); 0: always sequential, one model on every core
    batch_size: int = 1

    def validated(self) -> "TranscribeOptions":
        if self.task not in TASKS:
            raise OptionError(f"task must be one of {', '.join(TASKS)}, not '{self.task}'", "task")
        if self.beam_size < 1:
            raise OptionError("beam_size must be at least 1", "beam_size")
        if self.best_of < 1:
            raise OptionError("best_of must be at least 1", "best_of")
        if self.patience <= 0:
            raise OptionError("patience must be positive", "patience")
        temperatures = self.temperature if isinstance(self.temperature, tuple) else (self.temperature,)
        if not temperatures or any(not 0 <= t <= 2 for t in temperatures):
            raise OptionError("temperature must be between 0 and 2", "temperature")
        check_diarize(self.diarize)
        if self.batch_size < 0:
            raise OptionError("batch_size must be 0 (sequential) or more", "batch_size")
        if self.max_duration is not None and self.max_duration <= 0:
            raise OptionError("max_duration must be positive (seconds)", "max_duration")
        if self.language is not None:
            return replace(self, language=resolve_language(self.language))
        return self


def temperature_schedule(temperature: float = 0.0, increment: float | None = 0.2) -> float | tuple[float, ...]:
    """Whisper's CLI: start at ``temperature`` and, when a decode fails the compression-ratio or
    log-probability check, try again ``increment`` higher, up to 1.0; no increment (None or 0):
    that one temperature, no fallback."""
    if not increment:
        return float(temperature)
    steps = int((1.0 - temperature) / increment + 1e-6) if temperature <= 1.0 else 0
    return tuple(round(temperature + i * increment, 6) for i in range(steps + 1))


class Engine(Protocol):
    """What every speech → text engine offers (``core.SpeechEngine`` gives all but ``decode``)."""

    name: str
    #: engine and model, e.g. "whisper:base"
    label: str
    #: the ``TranscribeOptions`` fields it honours; any other set away from its default is refused
    honours: frozenset[str]

    #: whether the model a short input needs is loaded (``load()`` loads it)
    ready: bool

    def load(self) -> None:
        """Load the model a short input needs, if it is not yet."""

    def check(self, options: TranscribeOptions) -> None:
        """Raise OptionError for options this engine or model cannot honour."""

    def segments(self, audio: AudioInput, options: TranscribeOptions, progress: ProgressFn | None = None,
                 first_window: bool = False) -> "Transcription":
        """A lazy transcription: iterate it for segments as they are decoded."""

    def transcribe(
        self, audio: AudioInput, options: TranscribeOptions, progress: ProgressFn | None = None,
        on_segment: SegmentFn | None = None, first_window: bool = False,
    ) -> Transcript: ...


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

    def check(self, options: TranscribeOptions) -> None:
        """Refuse options it does not honour, before any model loads."""
        self.cls.refuse_unhonoured(options)


#: every speech → text engine; adding one is a module with a ``core.SpeechEngine`` and a line here
ENGINES: dict[str, EngineEntry] = {e.name: e for e in (
    EngineEntry("whisper", "seespeech.transcribe.whisper:WhisperEngine", "Whisper through faster-whisper"),
    EngineEntry("ctc", "seespeech.transcribe.ctc:CTCEngine", "our own DeepSpeech2-style model (English)", "ctc"),
    EngineEntry("vlm", "seespeech.transcribe.vlm:VLMEngine",
                "a vision-language model reads pictures of the audio (experimental)", "vlm"),
)}


def engine_entry(engine: str) -> EngineEntry:
    if engine not in ENGINES:
        raise OptionError(f"unknown engine '{engine}': choose one of {', '.join(ENGINES)}", "engine")
    return ENGINES[engine]


def split_model(spec: str | None) -> tuple[str, str | None]:
    """(engine, model) a model name means: "ctc" or "ctc:DIR" name an engine (and its model),
    as labels do ("whisper:base"); a packaged ctc model's name ("cathy") means the ctc engine;
    anything else is a Whisper model."""
    from ..models import PACKAGED_CTC

    if spec is None:
        return DEFAULT_ENGINE, None
    if spec in PACKAGED_CTC:
        return "ctc", spec
    engine, sep, rest = spec.partition(":")
    if engine in ENGINES and (sep or spec == engine):
        return engine, rest or None
    return DEFAULT_ENGINE, spec


_engines: dict[tuple, Engine] = {}
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
            _engines[key] = entry.cls(key[1], **kwargs)
        return _engines[key]


def warm_engine(engine: str = DEFAULT_ENGINE, model: str | None = None, **kwargs) -> Engine:
    """``load_engine``, and the model a short input needs loaded too (an engine may load it on
    first use: the Whisper engine does, so that a long file never loads it). The server warms
    its engines, so the first request does not wait and /health/ready tells the truth."""
    loaded = load_engine(engine, model, **kwargs)
    loaded.load()
    return loaded


def engine_loaded(engine: str = DEFAULT_ENGINE, model: str | None = None) -> bool:
    """Whether ``warm_engine(engine, model)`` (with no other options) would return at once."""
    with _engines_lock:
        loaded = _engines.get(_key(engine, model, {}))
    return loaded is not None and loaded.ready


def transcribe(
    audio: AudioInput,
    *,
    model: str | None = None,
    engine: str = DEFAULT_ENGINE,
    progress: ProgressFn | None = None,
    **options,
) -> Transcript:
    """Transcribe ``audio`` (path, bytes, file object or 16 kHz float array).

    Keyword options are the fields of ``TranscribeOptions`` (language, task,
    word_timestamps, vad, keep_markers, beam_size, ...).
    """
    return load_engine(engine, model).transcribe(audio, _options(options, "transcribe"), progress)


def stream(
    audio: AudioInput,
    *,
    model: str | None = None,
    engine: str = DEFAULT_ENGINE,
    progress: ProgressFn | None = None,
    first_window: bool = True,
    **options,
) -> "Transcription":
    """Transcribe lazily: segments leave as they are decoded::

        run = seespeech.stream("talk.m4a", language="en")
        for segment in run:
            print(f"[{segment.start:.1f}s] {segment.text}")
        run.result().text      # the whole transcript, once the audio is done

    ``first_window`` (on by default here) decodes the first 30 seconds on their own, so the
    first words come within seconds even on a long file (whose later windows are decoded chunk by
    chunk on parallel workers).
    """
    return load_engine(engine, model).segments(audio, _options(options, "stream"), progress, first_window)


def _options(options: dict, caller: str) -> TranscribeOptions:
    try:
        opts = TranscribeOptions(**options)
    except TypeError as exc:
        raise OptionError(str(exc).replace("TranscribeOptions.__init__()", f"{caller}()")) from None
    return opts.validated()
