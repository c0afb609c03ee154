"""Speech → text engines behind one small protocol.

An engine takes audio (a path, bytes, a file object or a 16 kHz array) and options,
and returns a ``Transcript``. ``transcribe()`` is the one call most users need::

    import seespeech
    t = seespeech.transcribe("talk.m4a", language="en")
    print(t.text, t.language, t.segments[0].start)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Callable, Protocol

from ..audio import DEFAULT_MAX_DURATION, AudioInput
from ..errors import OptionError
from ..languages import resolve_language
from ..models import DEFAULT_MODEL
from ..transcript import Segment, Transcript

TASKS = ("transcribe", "translate")
ENGINES = ("whisper", "vlm", "ctc")
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
    temperature: float | tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    initial_prompt: str | None = None
    max_duration: float | None = DEFAULT_MAX_DURATION
    #: >0: decode audio longer than a minute as batches of this many VAD chunks
    #: (2x faster on 2 cores at the same WER); 0: always sequential
    batch_size: int = 8

    def validated(self) -> "TranscribeOptions":
        if self.task not in TASKS:
            raise OptionError(f"task must be one of {', '.join(TASKS)}, not '{self.task}'")
        if self.beam_size < 1:
            raise OptionError("beam_size must be at least 1")
        if self.batch_size < 0:
            raise OptionError("batch_size must be 0 (sequential) or more")
        if self.max_duration is not None and self.max_duration <= 0:
            raise OptionError("max_duration must be positive (seconds)")
        if self.language is not None:
            return replace(self, language=resolve_language(self.language))
        return self


class Engine(Protocol):
    """What every speech → text engine offers."""

    name: str
    #: engine and model, e.g. "whisper:base"
    label: str

    def check(self, options: TranscribeOptions) -> None:
        """Raise OptionError for options this engine or model cannot honour."""

    def transcribe(
        self, audio: AudioInput, options: TranscribeOptions, progress: ProgressFn | None = None,
        on_segment: SegmentFn | None = None,
    ) -> Transcript: ...


_engines: dict[tuple, Engine] = {}
_engines_lock = threading.RLock()  # re-entrant: the ctc engine loads the Whisper engine it builds on


def load_engine(engine: str = DEFAULT_ENGINE, model: str | None = None, **kwargs) -> Engine:
    """Load an engine once per process and reuse it (models are large).

    ``model`` is the engine's own model name (None: its default); other keywords go to
    the engine's constructor (whisper: device, compute_type, cpu_threads; vlm: image_type,
    prompt, save_images; ctc: decoder, beam).
    """
    if engine not in ENGINES:
        raise OptionError(f"unknown engine '{engine}': choose one of {', '.join(ENGINES)}")
    if engine == "whisper":
        model = model or DEFAULT_MODEL  # one engine for "base" and the default
    key = (engine, model, tuple(sorted(kwargs.items())))
    with _engines_lock:
        if key not in _engines:
            if engine == "vlm":
                from .vlm import VLMEngine

                _engines[key] = VLMEngine(model, **kwargs)
            elif engine == "ctc":
                from .ctc import CTCEngine

                _engines[key] = CTCEngine(model, **kwargs)
            else:
                from .whisper import WhisperEngine

                _engines[key] = WhisperEngine(model, **kwargs)
        return _engines[key]


def engine_loaded(engine: str = DEFAULT_ENGINE, model: str | None = None) -> bool:
    """Whether ``load_engine(engine, model)`` (with no other options) would return at once."""
    if engine == "whisper":
        model = model or DEFAULT_MODEL
    with _engines_lock:
        return (engine, model, ()) in _engines


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
    try:
        opts = TranscribeOptions(**options)
    except TypeError as exc:
        raise OptionError(str(exc).replace("TranscribeOptions.__init__()", "transcribe()")) from None
    return load_engine(engine, model).transcribe(audio, opts.validated(), progress)
