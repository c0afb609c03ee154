"""What every speech → text engine takes and gives: ``TranscribeOptions`` (validated once),
the progress and segment callbacks, and the ``Engine`` protocol. Engines import these from
here, never from the package."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Callable, Protocol

from pydantic import Field

from seespeech.audio import AudioInput, max_duration_default
from seespeech.speech.diarize import check_diarize, normalise_diarize
from seespeech.errors import OptionError
from seespeech.schema import Schema
from seespeech.languages import resolve_language
from seespeech.transcript import Segment, Transcript

if TYPE_CHECKING:
    from seespeech.speech.driver import Transcription

TASKS = ("transcribe", "translate")


class DecodingSchema(Schema):
    """One declaration per decoding option a user sets — its default, bounds and help — that
    the library (``TranscribeOptions.validated``), the CLI (``cli.app.schema_option``) and the
    server's form fields (``server.service.schema_form``) are all built from."""

    beam_size: int = Field(5, ge=1, le=20, description="Beam search width.")
    best_of: int = Field(5, ge=1, le=20, description="Candidates sampled at temperatures above 0.")
    patience: float = Field(1.0, gt=0, le=10, description="Beam search patience.")
    temperature: float = Field(0.0, ge=0, le=1, description="Sampling temperature of the first decode.")
    temperature_increment: float = Field(
        0.2, ge=0, le=1, description="When a decode looks wrong (repetitive or unsure), try again this much hotter, "
                                     "up to 1.0 (0: no fallback).")
    batch_size: int = Field(2, ge=0, le=64, description="Audio over a minute: VAD chunks each model worker decodes "
                                                          "in one call (0: decode sequentially, one model on every core).")


def bounds(name: str) -> dict[str, float]:
    return DecodingSchema.bounds(name)


def default_of(name: str):
    return DecodingSchema.default(name)


def check_bounds(name: str, value: float) -> None:
    DecodingSchema.check(name, value)


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
    beam_size: int = default_of("beam_size")
    #: one temperature, or a fallback schedule: the next is tried when a decode looks wrong
    #: (repetitive, or unsure); ``temperature_schedule(t, increment)`` builds one as Whisper's CLI does
    temperature: float | tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    #: candidates sampled at temperatures above 0 (the best is kept)
    best_of: int = default_of("best_of")
    #: beam search patience (1.0: stop at beam_size finished hypotheses)
    patience: float = default_of("patience")
    initial_prompt: str | None = None
    #: words to favour, as a prompt (ignored by Whisper when initial_prompt is given)
    hotwords: str | None = None
    #: inside a window, prompt each 30 s with the text before it (Whisper's default); no text
    #: is carried from one 4-minute window to the next (that measured 7.2 % vs 3.3 % WER)
    condition_on_previous_text: bool = True
    #: speaker labels: "auto" (or True: told apart by voice, ``speech.speakers``), "channels"
    #: (one speaker per channel) or a pyannote.audio pipeline folder
    diarize: str | bool | None = None
    #: with diarize="auto": the exact number of speakers when known, or bounds on it
    speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    #: with diarize="auto": known voices, name → a few seconds of that person's speech (a path,
    #: bytes or samples); turns whose voice matches none are "unknown"
    speaker_names: dict | None = None
    #: seconds; longer audio is refused (default: SEESPEECH_MAX_DURATION, else 4 hours); None: no limit
    max_duration: float | None = field(default_factory=max_duration_default)
    #: >0: audio longer than a minute is cut into <= 30 s VAD chunks decoded by parallel model
    #: workers, this many chunks per call (``chunked.py``; 3-4x faster on 2 cores at the same
    #: WER); 0: always sequential, one model on every core
    batch_size: int = default_of("batch_size")

    #: set by ``validated()`` (values in bounds, language resolved) and ``checked_for()`` (the
    #: (engine, model) whose honours were checked): a request is checked once, not at every layer
    _valid: bool = field(default=False, init=False, repr=False, compare=False)
    _checked: tuple = field(default=(), init=False, repr=False, compare=False)

    @classmethod
    def names(cls) -> list[str]:
        """The options a user sets (not the check marks)."""
        return [f.name for f in fields(cls) if not f.name.startswith("_")]

    def validated(self) -> "TranscribeOptions":
        """These options with their values checked (bounds, task, diarize) and the language
        resolved to a code; options already validated come back as they are."""
        if self._valid:
            return self
        valid = self._validate()
        valid._valid = True
        return valid

    def checked_for(self, engine: str, model: str | None) -> "TranscribeOptions":
        """Marked as checked against what ``engine`` with ``model`` honours (``registry.checked``)."""
        marked = replace(self)
        marked._valid, marked._checked = True, (engine, model)
        return marked

    def is_checked_for(self, engine: str, model: str | None) -> bool:
        return self._checked == (engine, model)

    def _validate(self) -> "TranscribeOptions":
        diarize = normalise_diarize(self.diarize)
        if diarize != self.diarize:   # True → "auto": checked once, as that
            return replace(self, diarize=diarize)._validate()
        if self.task not in TASKS:
            raise OptionError(f"task must be one of {', '.join(TASKS)}, not '{self.task}'", "task")
        for name in ("beam_size", "best_of", "patience", "batch_size"):
            check_bounds(name, getattr(self, name))
        temperatures = self.temperature if isinstance(self.temperature, tuple) else (self.temperature,)
        if not temperatures:
            raise OptionError("temperature: give one, or a schedule of them", "temperature")
        for t in temperatures:
            check_bounds("temperature", t)
        check_diarize(self.diarize, self.speakers, self.min_speakers, self.max_speakers, self.speaker_names)
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
