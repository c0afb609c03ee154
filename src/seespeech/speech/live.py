"""Live speech: audio arrives in small chunks, words leave while the speaker talks.

``LiveTranscriber`` is the one core the server's realtime WebSocket, ``seespeech listen`` and
the web page's live mode share. It is fed 16 kHz mono audio as it arrives and tells what
happens through one callback, with the events of OpenAI's Realtime API in transcription
mode:

* turn detection with Silero VAD (the model inside faster-whisper, run frame by frame with
  its state, 32 ms a frame): ``SpeechStarted`` when the speech probability reaches the
  threshold (the turn's audio starts ``prefix_padding_ms`` earlier), ``SpeechStopped`` after
  ``silence_duration_ms`` below it; or no turn detection, and the caller commits;
  ``semantic_vad`` ends a turn sooner when its text so far is a finished sentence and later
  when it is not (``TurnDetection.quiet_needed``);
* ``Delta``: while a turn goes on, its audio so far is decoded again every 0.1–0.3 s (by how
  fast the engine is; greedy, on a worker thread, only when it is idle) and the words two
  decodes in a row agree on are sent (LocalAgreement, as whisper_streaming does): partial text
  that never has to be taken back;
* ``Completed``: the turn's final text, from the same engine, options and cleaning as a file
  (so no "Thank you." on silence). The final decode starts speculatively once the speaker has
  been quiet for ``SPECULATE_MS``; if the silence holds, the text is ready about when the
  turn is declared over.

Everything the callback receives is a small dataclass; the server turns them into JSON.
"""

from __future__ import annotations

import queue
import secrets
import threading
import time
import unicodedata
import weakref
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from seespeech.audio import SAMPLE_RATE
from seespeech.errors import OptionError
from seespeech.speech import TranscribeOptions
from seespeech.speech.vad import FRAME as VAD_FRAME, SileroStream

#: below threshold minus this, a frame counts as silence (hysteresis, as Silero's own tools use)
VAD_HYSTERESIS = 0.15
#: quiet this long after speech starts the final decode speculatively (on the audio so far,
#: which still ends this long after the last speech frame: the turn's text if the quiet holds)
SPECULATE_MS = 192
#: audio kept after the last speech frame of a turn (Whisper hears the end of the last word)
TAIL_MS = 240
#: a turn is cut here even without a pause (Whisper reads 30 s at a time)
MAX_TURN_SECONDS = 28.0
#: a partial decode every 1.5 × what one takes (seconds of new audio), within these bounds: a
#: fast engine (moonshine) decodes again every 0.1 s and its first words come sooner, Whisper's
#: every 0.3 s; the first one that long after speech is detected, FIRST_PARTIAL at most. Two
#: decodes in a row must agree on a word before it is sent.
FIRST_PARTIAL = 0.2
PARTIAL_EVERY = (0.1, 0.3)
#: what a partial decode took lately, by engine: a new session (every web-page or ``listen``
#: start) paces its first turn by its engine's known speed, not by a guess
_DECODE_SECONDS: "weakref.WeakKeyDictionary[object, float]" = weakref.WeakKeyDictionary()


#: semantic_vad: quiet (ms) that ends a turn whose text so far is a finished sentence, and
#: quiet that ends one whose text is not (a comma, no punctuation, an engine that does not
#: punctuate) — by the session's eagerness. Read from the speculative decode, which starts at
#: SPECULATE_MS of quiet: a finished sentence ends the turn as soon as its text is there.
EAGERNESS = {"high": (SPECULATE_MS, 500), "medium": (SPECULATE_MS, 800), "auto": (SPECULATE_MS, 800),
             "low": (400, 1500)}
#: a text ending with one of these (closing quotes and brackets aside) is a finished sentence
SENTENCE_ENDS = (".", "!", "?", "…", "。", "！", "？")
#: ... unless its last word is one of these, which end in a full stop but not a sentence
ABBREVIATIONS = frozenset("mr mrs ms dr st prof sr jr vs etc e.g i.e no mt ft".split())


def decode_seconds(engine, took: float | None = None) -> float:
    """What a partial decode by ``engine`` takes lately (an average over its decodes, kept across
    sessions); ``took``: one more decode's time."""
    try:
        seconds = _DECODE_SECONDS.get(engine, PARTIAL_EVERY[1])
        if took is not None:
            seconds = _DECODE_SECONDS[engine] = 0.7 * seconds + 0.3 * took
        return seconds
    except TypeError:   # an engine that cannot be weakly referenced: its speed is not remembered
        return PARTIAL_EVERY[1] if took is None else took


def same_word(a: str, b: str) -> bool:
    """Two decodes' forms of one word: the same but for case and punctuation (a decode that
    stops mid-sentence writes "Since," or "glue." where the next, hearing more, writes "Since")."""
    return _bare(a) == _bare(b)


def _bare(word: str) -> str:
    return "".join(c for c in word.casefold() if not unicodedata.category(c).startswith("P"))


def finished_sentence(text: str) -> bool:
    """Does ``text`` end a sentence? ("I'll call Dr." does not; "See you at five." does.)"""
    text = text.rstrip().rstrip("\"'”’)]»")
    if not text.endswith(SENTENCE_ENDS):
        return False
    last = text.split()[-1].rstrip(".!?…。！？").lower().lstrip("\"'“‘([«")
    if not any(c.isalnum() for c in last):
        return False   # punctuation alone ("...") says nothing
    return not (text.endswith(".") and (last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())))


@dataclass
class TurnDetection:
    """OpenAI's turn detection: when a turn starts and ends.

    ``server_vad`` ends a turn after ``silence_duration_ms`` of quiet. ``semantic_vad`` listens
    to what was said too: a turn whose words so far are a finished sentence ends after a short
    quiet, one left unfinished waits longer (``eagerness``: how soon, ``EAGERNESS``)."""

    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 500
    type: str = "server_vad"
    eagerness: str = "auto"

    def quiet_needed(self, text: str | None) -> int:
        """Quiet (ms) that ends a turn whose speculative text is ``text`` (None: not known yet)."""
        if self.type != "semantic_vad":
            return self.silence_duration_ms
        finished, unfinished = EAGERNESS[self.eagerness]
        if text is None:
            return unfinished
        return finished if finished_sentence(text) else unfinished

    def validated(self) -> "TurnDetection":
        if self.type not in ("server_vad", "semantic_vad"):
            raise OptionError(f"turn_detection.type must be server_vad or semantic_vad, not {self.type!r}", "type")
        if self.eagerness not in EAGERNESS:
            raise OptionError(f"turn_detection.eagerness must be one of {', '.join(EAGERNESS)}", "eagerness")
        if not 0 <= self.threshold <= 1:
            raise OptionError("turn_detection.threshold must be between 0 and 1", "threshold")
        if not 0 <= self.prefix_padding_ms <= 5000:
            raise OptionError("turn_detection.prefix_padding_ms must be between 0 and 5000", "prefix_padding_ms")
        if not 100 <= self.silence_duration_ms <= 10000:
            raise OptionError("turn_detection.silence_duration_ms must be between 100 and 10000",
                              "silence_duration_ms")
        return self


# ---------------------------------------------------------------- events


@dataclass
class SpeechStarted:
    item_id: str
    audio_start_ms: int


@dataclass
class SpeechStopped:
    item_id: str
    audio_end_ms: int


@dataclass
class Committed:
    item_id: str
    previous_item_id: str | None


@dataclass
class Delta:
    item_id: str
    delta: str


@dataclass
class Completed:
    item_id: str
    transcript: str
    #: where the turn is in the stream, in seconds
    start: float
    end: float


@dataclass
class Failed:
    item_id: str
    message: str


Event = SpeechStarted | SpeechStopped | Committed | Delta | Completed | Failed


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


# ---------------------------------------------------------------- the transcriber


@dataclass
class _Turn:
    item_id: str
    #: sample index in the stream where the turn's audio starts
    start: int
    audio: list[np.ndarray] = field(default_factory=list)
    samples: int = 0
    #: samples of the turn up to the end of its last speech frame
    speech_end: int = 0
    #: words already sent as deltas, and the last partial hypothesis
    sent: list[str] = field(default_factory=list)
    last_hypothesis: list[str] = field(default_factory=list)
    #: when the next partial decode is due (samples of the turn)
    partial_at: int = 0
    #: a speculative final decode: (samples it covers, its text or None while running)
    speculation: tuple[int, str | None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: the engine and options the turn started with: its texts are decoded with them
    engine: object = None
    options: TranscribeOptions | None = None

    def add(self, audio: np.ndarray) -> None:
        with self.lock:
            self.audio.append(audio)
            self.samples += audio.size

    def array(self, samples: int | None = None) -> np.ndarray:
        """The turn's audio so far (the worker reads it while more arrives)."""
        with self.lock:
            audio = np.concatenate(self.audio) if self.audio else np.zeros(0, np.float32)
            self.audio = [audio]
        return audio[:samples] if samples is not None else audio


class LiveTranscriber:
    """Feed 16 kHz mono float32 audio with ``feed``; events go to ``emit`` (from the calling
    thread for turn events, from the worker thread for text). ``close`` finishes the turn in
    progress and waits for its text."""

    def __init__(self, engine, options: TranscribeOptions, emit: Callable[[Event], None],
                 turn_detection: TurnDetection | None = TurnDetection(), partials: bool = True):
        self.engine, self.options, self.emit = engine, options, emit
        self.turn_detection = turn_detection.validated() if turn_detection else None
        self.partials = partials
        self.vad = SileroStream() if turn_detection else None
        self._pending = np.zeros(0, dtype=np.float32)   # audio not yet a whole VAD frame
        self._recent: list[np.ndarray] = []              # frames before a turn (its prefix padding)
        self.samples = 0                                 # samples received in all
        self.turn: _Turn | None = None
        self._quiet = 0                                  # samples of silence at the end of the turn
        self.last_item: str | None = None
        self._jobs: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        self._next: tuple | None = None                  # settings waiting for the next turn
        self._worker = threading.Thread(target=self._work, name="seespeech-live", daemon=True)
        self._worker.start()

    # -- input ---------------------------------------------------------------------------

    def feed(self, audio: np.ndarray) -> None:
        """Take more audio (16 kHz mono float32)."""
        if self._closed:
            raise RuntimeError("this live transcriber is closed")
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        if self.turn_detection is None:   # the client says when a turn ends
            self._append_to_turn(audio, start_if_none=True)
            self.samples += audio.size
            return
        self._pending = np.concatenate([self._pending, audio])
        whole = self._pending.size // VAD_FRAME * VAD_FRAME
        frames, self._pending = self._pending[:whole], self._pending[whole:]
        for index in range(0, whole, VAD_FRAME):
            if self.turn_detection is None:   # turned off from the turn that just ended on
                rest, self._pending = np.concatenate([frames[index:], self._pending]), np.zeros(0, np.float32)
                self.feed(rest)
                return
            self._frame(frames[index:index + VAD_FRAME])

    def _frame(self, frame: np.ndarray) -> None:
        td = self.turn_detection
        probability = self.vad(frame)
        frame_start = self.samples
        self.samples += frame.size
        if self.turn is None:
            self._recent.append(frame)
            keep = int(td.prefix_padding_ms * SAMPLE_RATE / 1000) // VAD_FRAME + 1
            self._recent = self._recent[-keep:]
            if probability >= td.threshold:
                prefix = self._recent[:-1]
                start = frame_start - sum(f.size for f in prefix)
                self.turn = self._new_turn(start)
                for piece in self._recent:
                    self._append_to_turn(piece)
                self._recent = []
                self.turn.speech_end = self.turn.samples
                self.turn.partial_at = self.turn.samples + self._cadence(FIRST_PARTIAL)
                self._quiet = 0
                self.emit(SpeechStarted(self.turn.item_id, round(start * 1000 / SAMPLE_RATE)))
            return
        self._append_to_turn(frame)
        turn = self.turn
        if probability >= td.threshold - VAD_HYSTERESIS:
            if probability >= td.threshold:
                turn.speech_end = turn.samples
            self._quiet = 0
            with self._lock:
                turn.speculation = None   # the speaker went on: a speculative text is stale
        else:
            self._quiet += frame.size
        # silence is counted from the end of the last frame at the threshold (OpenAI's meaning of
        # silence_duration_ms), once the probability has fallen below the hysteresis band
        quiet_ms = (turn.samples - turn.speech_end) * 1000 / SAMPLE_RATE if self._quiet else 0.0
        if quiet_ms >= SPECULATE_MS and turn.speculation is None:
            self._speculate()
        if quiet_ms and td.type == "semantic_vad":
            with self._lock:
                guess = turn.speculation[1] if turn.speculation is not None else None
            needed = td.quiet_needed(guess)
        else:
            needed = td.silence_duration_ms
        if quiet_ms >= needed or turn.samples >= MAX_TURN_SECONDS * SAMPLE_RATE:
            self.emit(SpeechStopped(turn.item_id, round((turn.start + turn.speech_end) * 1000 / SAMPLE_RATE)))
            self._commit()
        elif self.partials and not self._quiet and turn.samples >= turn.partial_at:
            # while the speaker talks only: once quiet starts, the worker is kept for the final text
            turn.partial_at = turn.samples + self._cadence()
            self._jobs.put(("partial", turn, turn.samples))

    def _append_to_turn(self, audio: np.ndarray, start_if_none: bool = False) -> None:
        if self.turn is None:
            if not start_if_none:
                return
            self.turn = self._new_turn(self.samples)
            self.turn.partial_at = self._cadence(FIRST_PARTIAL)
        self.turn.add(audio)
        if self.turn_detection is None:
            self.turn.speech_end = self.turn.samples
            if self.partials and self.turn.samples >= self.turn.partial_at:
                self.turn.partial_at = self.turn.samples + self._cadence()
                self._jobs.put(("partial", self.turn, self.turn.samples))

    def _cadence(self, at_most: float = PARTIAL_EVERY[1]) -> int:
        """Samples of new audio before the next partial decode: 1.5 × a partial decode's time."""
        low, high = PARTIAL_EVERY
        return int(min(at_most, high, max(low, 1.5 * decode_seconds(self.engine))) * SAMPLE_RATE)

    def _new_turn(self, start: int) -> _Turn:
        return _Turn(new_id("item"), start, engine=self.engine, options=self.options)

    def _turn_end(self, turn: _Turn) -> int:
        return min(turn.samples, turn.speech_end + int(TAIL_MS * SAMPLE_RATE / 1000))

    def _speculate(self) -> None:
        turn = self.turn
        end = self._turn_end(turn)
        with self._lock:
            turn.speculation = (end, None)
        self._jobs.put(("final", turn, end, True))

    # -- turns ---------------------------------------------------------------------------

    def commit(self) -> str | None:
        """End the turn in progress now (the client's ``input_audio_buffer.commit``); returns
        its item id, or None when there was no audio to commit."""
        if self.turn is None:
            return None
        item = self.turn.item_id
        self._commit()
        return item

    def _commit(self) -> None:
        turn, self.turn = self.turn, None
        self._quiet = 0
        if self.vad is not None:
            self._recent = []
        self.emit(Committed(turn.item_id, self.last_item))
        self.last_item = turn.item_id
        with self._lock:   # a speculation still standing covers the turn: nobody spoke since
            end = turn.speculation[0] if turn.speculation is not None else self._turn_end(turn)
        self._jobs.put(("final", turn, end, False))
        self._apply_next()

    def reconfigure(self, engine, options: TranscribeOptions, turn_detection: TurnDetection | None) -> None:
        """New settings (a client's ``session.update``), from the next turn on: the turn in
        progress is detected, cut and decoded with the settings it started with."""
        self._next = (engine, options, turn_detection.validated() if turn_detection else None)
        if self.turn is None:
            self._apply_next()

    def _apply_next(self) -> None:
        if self._next is None:
            return
        (self.engine, self.options, turn_detection), self._next = self._next, None
        if (turn_detection is None) != (self.turn_detection is None):
            self.vad = SileroStream() if turn_detection else None
            self._recent = []
        self.turn_detection = turn_detection

    def clear(self) -> None:
        """Drop the audio of the turn in progress (``input_audio_buffer.clear``)."""
        self.turn = None
        self._quiet = 0
        self._recent = []
        self._pending = np.zeros(0, dtype=np.float32)
        self._apply_next()

    def close(self, timeout: float | None = None) -> None:
        """Commit what is left of a turn and wait for every text."""
        if self._closed:
            return
        if self.turn is not None and (self.turn_detection is None or self.turn.speech_end > 0):
            self._commit()
        self._closed = True
        self._jobs.put(None)
        self._worker.join(timeout)

    def abort(self) -> None:
        """Stop at once: texts not decoded yet are dropped (the client went away)."""
        self._closed = True
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        self._jobs.put(None)

    # -- the worker ----------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if job[0] == "partial":
                if self._queued("final"):
                    continue   # a turn is over: its text first
                _, turn, samples = job
                if turn is not self.turn or self._queued("partial", turn):
                    continue   # already committed, or a decode of more of it is next: words sooner
                self._partial(turn, samples)
            else:
                _, turn, samples, speculative = job
                self._final(turn, samples, speculative)

    def _queued(self, kind: str, turn: "_Turn | None" = None) -> bool:
        """A job of ``kind`` (of ``turn``, when given) waits in the queue: a final text goes
        first, and a later partial of the same turn makes decoding an older one (on a busy
        machine) only delay the words the speaker is saying now."""
        with self._jobs.mutex:
            return any(j is not None and j[0] == kind and (turn is None or j[1] is turn) for j in self._jobs.queue)

    def _decode(self, turn: _Turn, audio: np.ndarray, options: TranscribeOptions) -> str:
        return (turn.engine or self.engine).transcribe(audio, options).text

    def _partial(self, turn: _Turn, samples: int) -> None:
        quick = {"beam_size": 1, "vad": False, "word_timestamps": False, "temperature": 0.0, "batch_size": 0}
        honours = (turn.engine or self.engine).honours   # an engine takes only what it honours (moonshine: greedy)
        options = replace(turn.options or self.options, **{k: v for k, v in quick.items() if k in honours})
        began = time.perf_counter()
        try:
            words = self._decode(turn, turn.array(samples), options).split()
        except Exception:   # a partial is a courtesy: the final text says what went wrong
            return
        decode_seconds(turn.engine or self.engine, time.perf_counter() - began)
        # LocalAgreement-2: the words this decode and the last agree on, past what was sent
        agreed = 0
        for a, b in zip(words, turn.last_hypothesis):
            if not same_word(a, b):
                break
            agreed += 1
        turn.last_hypothesis = words
        if agreed > len(turn.sent) and turn is self.turn:
            new = words[len(turn.sent):agreed]
            if agreed == len(words):   # the decode's last word: its full stop only says the audio ended
                new[-1] = new[-1].rstrip(".,;:!?…") or new[-1]
            turn.sent.extend(new)
            self.emit(Delta(turn.item_id, (" " if len(turn.sent) > len(new) else "") + " ".join(new)))

    def _final(self, turn: _Turn, samples: int, speculative: bool) -> None:
        with self._lock:
            ready = turn.speculation
        if not speculative and ready is not None and ready[0] == samples and ready[1] is not None:
            text = ready[1]   # the speculative decode covered exactly this audio
        else:
            if speculative and (turn.speculation is None or turn.speculation[0] != samples):
                return   # the speaker went on before it ran
            try:
                text = self._decode(turn, turn.array(samples), turn.options or self.options)
            except Exception as exc:
                if not speculative:
                    self.emit(Failed(turn.item_id, str(exc)))
                return
            if speculative:
                with self._lock:
                    if turn.speculation is not None and turn.speculation[0] == samples:
                        turn.speculation = (samples, text)
                        # the turn may have been committed while this ran: its final job waits
                return
        start = turn.start / SAMPLE_RATE
        end = (turn.start + samples) / SAMPLE_RATE
        self.emit(Completed(turn.item_id, text, round(start, 3), round(end, 3)))


# ---------------------------------------------------------------- input formats


class Resampler:
    """PCM16 (or float) mono at any rate → 16 kHz float32, streaming (FFmpeg's resampler)."""

    def __init__(self, rate: int):
        import av

        self.rate = int(rate)
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE) \
            if self.rate != SAMPLE_RATE else None

    def __call__(self, pcm16: bytes) -> np.ndarray:
        samples = np.frombuffer(pcm16, dtype="<i2", count=len(pcm16) // 2)
        if samples.size == 0:   # FFmpeg cannot make a frame of no samples
            return np.zeros(0, np.float32)
        if self._resampler is None:
            return samples.astype(np.float32) / 32768.0
        import av

        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.rate
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


def pcm16(audio: np.ndarray, rate: int = 24000) -> bytes:
    """16 kHz float audio as the PCM16 a realtime client sends (24 kHz, OpenAI's default): what
    ``Resampler(rate)`` turns back into 16 kHz float."""
    import av

    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
    frame = av.AudioFrame.from_ndarray((np.clip(audio, -1, 1) * 32767).astype(np.int16)[None], format="s16",
                                       layout="mono")
    frame.sample_rate = SAMPLE_RATE
    out = [f.to_ndarray().reshape(-1) for f in [*resampler.resample(frame), *resampler.resample(None)]]
    return np.concatenate(out).astype("<i2").tobytes()


def play_at_real_time(blocks, feed: Callable[[np.ndarray], None], chunk_seconds: float = 0.1,
                      speed: float = 1.0) -> None:
    """Feed 16 kHz audio blocks in ``chunk_seconds`` pieces, as fast as a live source would
    give them (``speed`` 2: twice as fast)."""
    chunk = int(chunk_seconds * SAMPLE_RATE)
    started = time.monotonic()
    sent = 0
    pending = np.zeros(0, dtype=np.float32)
    for block in blocks:
        pending = np.concatenate([pending, block])
        while pending.size >= chunk:
            piece, pending = pending[:chunk], pending[chunk:]
            feed(piece)
            sent += piece.size
            wait = started + sent / SAMPLE_RATE / speed - time.monotonic()
            if wait > 0:
                time.sleep(wait)
    if pending.size:
        feed(pending)
