"""The one driver every speech → text engine runs under.

An engine only knows how to turn one window of audio into segments (``decode``, a lazy
iterator). The driver owns everything around it: opening and probing the input, cutting
it into windows at quiet moments (memory stays flat for any length), time offsets,
segment numbering, removing what nobody said (``clean.py``), progress, and assembling the
``Transcript``. It is lazy, like faster-whisper's segment generator::

    run = Transcription(engine, "talk.m4a", TranscribeOptions())
    for segment in run:          # each segment leaves as soon as it is decoded
        print(segment.start, segment.text)
    transcript = run.result()    # everything, once the audio is done

``first_window`` makes the first window short (the server's streaming and live speech use
it): its 30 s are decoded whole on every core, so the first words come as soon as one Whisper
pass is done, before the workers that decode long windows chunk by chunk have started.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generator, Iterator

import numpy as np

from seespeech.audio import SAMPLE_RATE, AudioInput, decode_blocks, probe, reopenable, source_name
from seespeech.speech.clean import clean_stream, join_text
from seespeech.errors import AudioError, OptionError
from seespeech.transcript import Segment, Transcript

if TYPE_CHECKING:
    from seespeech.speech.options import Engine, ProgressFn, SegmentFn, TranscribeOptions

#: how far back from a window's end to look for a quiet cut point, and the frame it compares
CUT_FRAME_SECONDS = 0.1
#: the first window when words should appear soon (``first_window=True``): one Whisper pass
FIRST_WINDOW_SECONDS = 30.0
#: the audio an engine may look at again after decoding (the English-only language check)
OPENING_SECONDS = 30
#: options the driver itself honours, whatever the engine
#: guards engines' ``busy`` counts (transcriptions run in several threads)
_BUSY_LOCK = threading.Lock()
DRIVER_OPTIONS = frozenset({"max_duration", "diarize", "speakers", "min_speakers", "max_speakers", "speaker_names"})
#: what each option is, in words, for the message that refuses it
OPTION_WORDS = {
    "language": "language", "task": "translation", "word_timestamps": "word timings",
    "vad": "voice activity detection", "keep_markers": "kept non-speech markers", "beam_size": "beam size",
    "temperature": "sampling temperature", "initial_prompt": "prompt", "batch_size": "chunked decoding",
    "best_of": "best-of sampling", "patience": "beam patience", "hotwords": "hotwords",
    "condition_on_previous_text": "conditioning on previous text",
}


@dataclass
class Window:
    """One piece of the input, as the engine decodes it."""

    index: int
    #: seconds from the start of the input
    start: float
    #: 16 kHz mono float32
    audio: np.ndarray
    #: what the engine's ``windows()`` started on this window before the driver reached it
    prepared: object = None

    @property
    def end(self) -> float:
        return self.start + self.audio.size / SAMPLE_RATE


@dataclass
class Prepared:
    """A window an engine's ``windows()`` yields with work already under way on it (the Whisper
    engine queues a long window's chunks on its workers as soon as the window is read)."""

    audio: np.ndarray
    work: object


@dataclass
class DecodeState:
    """What the driver and the engine learn as windows are decoded."""

    #: the language decided so far (asked for, or detected where there was speech)
    language: str | None = None
    language_probability: float = 1.0
    #: the language the engine detected in the window being decoded (None: not detected)
    window_language: tuple[str, float] | None = None
    #: a detection from a window without speech, used only if nothing better comes
    fallback: tuple[str, float] | None = None
    #: warnings for the user (a cut-off file, foreign speech)
    notes: list[str] = field(default_factory=list)
    #: the first seconds of audio
    opening: np.ndarray | None = None
    #: the input's name (a path, or <bytes>, <array>, <stdin>)
    source: str = ""


def cut_windows(audio: AudioInput, window_seconds: float, slack_seconds: float,
                max_duration: float | None, notes: list[str] | None = None,
                first_seconds: float | None = None) -> Iterator[np.ndarray]:
    """Decode ``audio`` as a stream and yield windows of at most ``window_seconds`` (the first
    at most ``first_seconds``), each cut at the quietest moment in its last ``slack_seconds``
    (``find_cut``), so memory stays flat for any length. ``notes`` collects decoding warnings."""
    sizes = chain([first_seconds or window_seconds], iter(lambda: window_seconds, None))
    window = int(next(sizes) * SAMPLE_RATE)
    slack = int(slack_seconds * SAMPLE_RATE)
    buffer = np.zeros(0, dtype=np.float32)
    for block in chain(decode_blocks(audio, max_duration=max_duration, notes=notes), [None]):
        if block is not None:
            buffer = np.concatenate([buffer, block])
        final = block is None
        while buffer.size > window + (0 if final else slack) or (final and buffer.size):
            cut = buffer.size if buffer.size <= window else find_cut(buffer[:window], slack_seconds)
            piece, buffer = buffer[:cut], buffer[cut:]
            window = int(next(sizes) * SAMPLE_RATE)
            yield piece


def fixed_windows(audio: AudioInput, window_seconds: float, min_tail_seconds: float,
                  max_duration: float | None, notes: list[str] | None = None,
                  first_seconds: float | None = None) -> Iterator[np.ndarray]:
    """Windows of exactly ``window_seconds`` (the last one longer rather than shorter than
    ``min_tail_seconds``), for engines whose input has a fixed time scale."""
    window = int(window_seconds * SAMPLE_RATE)
    tail = int(min_tail_seconds * SAMPLE_RATE)
    buffer = np.zeros(0, dtype=np.float32)
    for block in chain(decode_blocks(audio, max_duration=max_duration, notes=notes), [None]):
        if block is not None:
            buffer = np.concatenate([buffer, block])
        final = block is None
        # a window is cut only once it is sure not to leave a tail too short to read
        while buffer.size >= window + tail or (final and buffer.size):
            cut = window if buffer.size >= window + tail else buffer.size
            piece, buffer = buffer[:cut], buffer[cut:]
            yield piece


def find_cut(audio: np.ndarray, search_seconds: float) -> int:
    """Index of the middle of the quietest 0.1 s frame in the last ``search_seconds`` of ``audio``."""
    frame = int(CUT_FRAME_SECONDS * SAMPLE_RATE)
    start = max(0, audio.size - int(search_seconds * SAMPLE_RATE))
    tail = audio[start:start + (audio.size - start) // frame * frame]
    if tail.size < frame:
        return audio.size
    energy = np.square(tail.reshape(-1, frame)).mean(axis=1)
    return start + int(np.argmin(energy)) * frame + frame // 2


class Transcription:
    """A transcription under way: iterate it for segments as they are decoded; ``result()``
    decodes whatever is left and returns the ``Transcript``.

    Nothing is read before the first iteration. ``total`` (the probed duration, None when the
    container does not say) is known at once; ``state.language`` once the first window with
    speech has been decoded. Iterating again starts with the segments already decoded.
    """

    def __init__(self, engine: "Engine", audio: AudioInput, options: "TranscribeOptions",
                 progress: "ProgressFn | None" = None, first_window: bool = False):
        if not options.is_checked_for(engine.name, engine.model_name):
            options = options.validated()
            engine.check(options)
        self.engine, self.options, self.progress = engine, options, progress
        self.audio = reopenable(audio)
        self.name = source_name(self.audio)
        self.total = self.audio.size / SAMPLE_RATE if isinstance(self.audio, np.ndarray) else probe(self.audio).duration
        self.first_window = FIRST_WINDOW_SECONDS if first_window else None
        self.state = engine.begin(options, self.name)
        self.state.source = self.name
        self.segments: list[Segment] = []
        self._transcript: Transcript | None = None
        self._decoding: Iterator[Segment] | None = None
        self._reported: float | None = None
        #: speakers being found beside the decoding: progress is the slower of the two
        self._speakers = None

    def __iter__(self) -> Iterator[Segment]:
        """The segments decoded so far, then each as it is decoded, to the end."""
        index = 0
        while True:
            if index < len(self.segments):
                index += 1
                yield self.segments[index - 1]
            elif self._transcript is not None:
                return
            else:
                if self._decoding is None:
                    self._decoding = self._run()
                if next(self._decoding, None) is None and self._transcript is None:   # it raised before
                    raise RuntimeError("this transcription failed earlier: start a new one")

    def result(self) -> Transcript:
        """The whole transcript (decoding what is left first)."""
        for _ in self:
            pass
        assert self._transcript is not None
        return self._transcript

    def _report(self, done: float) -> None:
        found = getattr(self._speakers, "seconds", None)
        if found is not None:
            # with speakers found beside the decoding, the slower of the two, never going back
            done = max(min(done, found) if not self._speakers.ready else done, self._reported or 0.0)
        if self.progress and done != self._reported:   # a window's end is often its last segment's
            self._reported = done
            self.progress(done, self.total)

    def _run(self) -> Iterator[Segment]:
        # a busy engine is not unloaded for idling (registry.unload_idle); its last use is now
        with _BUSY_LOCK:
            self.engine.busy += 1
        try:
            yield from self._decode_all()
        finally:
            with _BUSY_LOCK:
                self.engine.busy -= 1
                self.engine.last_used = time.monotonic()

    def _decode_all(self) -> Iterator[Segment]:
        engine, options, state = self.engine, self.options, self.state
        self._report(0.0)  # the total is known before the first segment is
        cleans = "keep_markers" in engine.honours and not options.keep_markers
        speakers, decoding = None, options
        if options.diarize:   # speakers are told word by word where the engine times words
            from seespeech.speech.speakers import speakers_for

            # by voice, in a thread beside the decoding (on its own core where there are two)
            speakers = self._speakers = speakers_for(options, self.audio)
            if "word_timestamps" in engine.honours:
                decoding = replace(options, word_timestamps=True)
        pieces = engine.windows(self.audio, options, state, self.first_window)
        decoded = False
        try:
            samples = yield from self._decode_windows(pieces, decoding, cleans, speakers)
            decoded = True
        finally:   # stops work the engine started ahead, also when the caller stops early
            if hasattr(pieces, "close"):
                pieces.close()
            if not decoded and hasattr(speakers, "cancel"):
                speakers.cancel()   # and the speakers being found beside it
        duration = samples / SAMPLE_RATE
        if duration == 0:
            raise AudioError(self.name, "contains no audio samples")
        if state.language is None:
            state.language, state.language_probability = state.fallback or ("en", 0.0)
        engine.finish(options, state, self.segments)
        if self.progress and (self.total is None or round(self.total, 3) != round(duration, 3)):
            self.progress(round(duration, 3), round(duration, 3))  # the container's duration was off
        self._transcript = Transcript(
            text=join_text(self.segments), language=state.language,
            language_probability=round(float(state.language_probability), 4), duration=round(duration, 3),
            segments=self.segments, model=engine.label, task=options.task if "task" in engine.honours else "transcribe",
            warnings=state.notes, turns=self._speaker_turns(speakers, duration),
            source=Path(self.name).stem if self.name else "",
        )

    def _speaker_turns(self, speakers, duration: float) -> list:
        """Diarization's turns, waiting for them with progress (they may take longer than the words)."""
        if not hasattr(speakers, "result"):
            return []
        while not getattr(speakers, "ready", True):
            speakers.wait(0.5)
            self._report(min(duration, getattr(speakers, "seconds", duration)))
        self._report(duration)
        return speakers.result()

    def _decode_windows(self, pieces: Iterator, decoding: "TranscribeOptions", cleans: bool,
                        speakers) -> Generator[Segment, None, int]:
        """Each window's segments as they are decoded; returns the number of samples read."""
        engine, state = self.engine, self.state
        samples = 0  # before the current window
        for index, item in enumerate(pieces):
            piece, prepared = (item.audio, item.work) if isinstance(item, Prepared) else (item, None)
            if state.opening is None:   # a copy: a view would keep the whole first window (~17 MB)
                state.opening = piece[:OPENING_SECONDS * SAMPLE_RATE].copy()
            window = Window(index, samples / SAMPLE_RATE, piece, prepared)
            state.window_language = None
            found: Iterator[Segment] = engine.decode(window, decoding, state)
            if cleans:
                found = clean_stream(found, has_speech=_speech_in(window))
            if speakers is not None:
                found = _labelled(found, speakers, self.options.word_timestamps, lambda s: self._report(s.end))
            spoke = False
            for segment in found:
                if not spoke and state.language is None and state.window_language is not None:
                    state.language, state.language_probability = state.window_language
                spoke = True
                segment.id = len(self.segments)
                self.segments.append(segment)
                self._report(segment.end)
                yield segment
            if not spoke and state.window_language is not None:
                state.fallback = state.fallback or state.window_language
            samples += piece.size
            self._report(samples / SAMPLE_RATE)
        return samples


def _labelled(segments: Iterator[Segment], speakers, keep_words: bool,
              held: Callable[[Segment], None]) -> Iterator[Segment]:
    """The segments with their speakers. While the speakers are still being found (diarization
    runs beside the decoding), segments wait here (``held`` is told of each: progress, and the
    caller's chance to stop) and the decoding goes on; at the window's end the wait is for the
    speakers."""
    from seespeech.speech.diarize import label_segment

    waiting: list[Segment] = []
    for segment in segments:
        waiting.append(segment)
        held(segment)
        if getattr(speakers, "ready", True):
            for kept in waiting:
                yield from label_segment(kept, speakers, keep_words)
            waiting = []
    for kept in waiting:
        yield from label_segment(kept, speakers, keep_words)


def _speech_in(window: Window) -> Callable[[float, float], bool]:
    """Whether Silero VAD hears speech between two times of the input, inside ``window``."""

    def has_speech(start: float, end: float) -> bool:
        a = max(0, int((start - window.start) * SAMPLE_RATE))
        b = max(a, int((end - window.start) * SAMPLE_RATE))
        return vad_speech(window.audio[a:b])

    return has_speech


def vad_speech(audio: np.ndarray) -> bool:
    """Whether Silero VAD (inside faster-whisper) hears speech in ``audio``."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size < SAMPLE_RATE // 10:
        return False
    return bool(get_speech_timestamps(audio, VadOptions()))


class SpeechEngine:
    """What engines share: option checks against what they honour, windowing, and the calls
    users make. A subclass sets ``name``, ``honours`` and ``default_model``, builds its model in
    ``__init__`` and decodes one window in ``decode``; it may override ``check`` (calling this
    one first), ``begin``, ``windows``, ``finish`` and ``served_models``."""

    name = "engine"
    #: the ``TranscribeOptions`` fields this engine honours
    honours: frozenset[str] = frozenset()
    #: English speech only: translation and other languages are refused
    english_only = False
    #: transcriptions running on it now, when it was last used (``time.monotonic``) and loaded
    #: (``time.time``): what the registry's idle unloading and ``/v1/models/loaded`` read
    busy = 0
    last_used = 0.0
    loaded_at = 0.0
    default_model: str | None = None
    #: windows: at most this long, cut at the quietest moment in the last ``cut_search`` seconds
    window_seconds = 240.0
    cut_search_seconds = 15.0
    model_name = ""

    @property
    def label(self) -> str:
        return f"{self.name}:{self.model_name}"

    @classmethod
    def served_models(cls) -> list[str]:
        return [cls.default_model] if cls.default_model else []

    #: engines that build their model in ``__init__`` are ready at once
    ready = True

    def load(self) -> None:
        """Load what a short input needs, for an engine that loads it on first use."""

    def release(self) -> None:
        """Let go of what the engine shares with the rest of the process (it is being unloaded)."""

    @classmethod
    def refuse_unhonoured(cls, options: "TranscribeOptions") -> None:
        """Refuse options set away from their default that this engine does not honour: an
        option silently ignored is a result the user did not ask for."""
        from seespeech.speech.options import TranscribeOptions

        defaults = TranscribeOptions()
        for name in sorted(set(options.names()) - cls.honours - DRIVER_OPTIONS):
            if getattr(options, name) != getattr(defaults, name):
                raise OptionError(f"the {cls.name} engine takes no {OPTION_WORDS.get(name, name)} ({name}): leave it "
                                  "at its default, or use the whisper engine", name)

    @classmethod
    def check_options(cls, options: "TranscribeOptions", model: str | None) -> None:
        """Refuse what this engine with ``model`` cannot honour, before anything loads;
        subclasses add their model's limits (calling this one first)."""
        cls.refuse_unhonoured(options)
        if cls.english_only:
            if options.task == "translate":
                raise OptionError(f"the {cls.name} engine transcribes English only and cannot translate: use "
                                  "--engine whisper with a multilingual model", "task")
            if options.language not in (None, "en"):
                raise OptionError(f"the {cls.name} engine knows English only, not '{options.language}': use "
                                  "--engine whisper", "language")

    def check(self, options: "TranscribeOptions") -> None:
        """``check_options`` for this engine's own model."""
        self.check_options(options, self.model_name)

    def begin(self, options: "TranscribeOptions", name: str) -> DecodeState:
        """The state a transcription of input ``name`` starts from."""
        return DecodeState(language=options.language)

    def windows(self, audio: AudioInput, options: "TranscribeOptions", state: DecodeState,
                first_seconds: float | None) -> Iterator["np.ndarray | Prepared"]:
        """The input as windows to decode (audio, or ``Prepared`` audio with work started on it);
        ``state.notes`` collects decoding warnings."""
        return cut_windows(audio, self.window_seconds, self.cut_search_seconds, options.max_duration, state.notes,
                           first_seconds)

    def decode(self, window: Window, options: "TranscribeOptions", state: DecodeState) -> Iterator[Segment]:
        raise NotImplementedError

    def finish(self, options: "TranscribeOptions", state: DecodeState, segments: list[Segment]) -> None:
        """After the last window: add warnings, settle the language."""

    def segments(self, audio: AudioInput, options: "TranscribeOptions", progress: "ProgressFn | None" = None,
                 first_window: bool = False) -> Transcription:
        """A lazy transcription: iterate it for segments as they are decoded."""
        return Transcription(self, audio, options, progress, first_window)

    def transcribe(self, audio: AudioInput, options: "TranscribeOptions", progress: "ProgressFn | None" = None,
                   on_segment: "SegmentFn | None" = None, first_window: bool = False) -> Transcript:
        """The whole transcript; ``on_segment`` is called with each segment as it is decoded."""
        run = self.segments(audio, options, progress, first_window)
        for segment in run:
            if on_segment:
                on_segment(segment)
        return run.result()
