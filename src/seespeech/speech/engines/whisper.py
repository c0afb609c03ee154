"""Whisper through faster-whisper (CTranslate2): the default engine.

Audio is decoded as a stream and transcribed window by window, each window cut at
the quietest moment near its end, so memory stays flat however long the file is. A
clip shorter than one window is a single faster-whisper call with the same options
as plain faster-whisper, so accuracy on the same weights is the same or better.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterator

import numpy as np

from seespeech.audio import SAMPLE_RATE
from seespeech.speech.clean import MARKER_PREFIXES
from seespeech.errors import OptionError, SeespeechError
from seespeech.models import DEFAULT_MODEL, PACKAGED, forget_whisper, load_whisper, resolve_model, whisper_on_gpu
from seespeech.transcript import Segment, Word
from seespeech.speech.vad import run_in_sections
from seespeech.speech.options import TranscribeOptions
from seespeech.speech.chunked import ChunkedDecoder, ChunkedWindow, worker_layout
from seespeech.speech.driver import DecodeState, Prepared, SpeechEngine, Window, cut_windows

#: seconds of audio per decoding window; a window is cut at a quiet point
WINDOW_SECONDS = 240.0
#: how far back from a window's end to look for a quiet cut point
CUT_SEARCH_SECONDS = 15.0
# Each window starts fresh, with only the user's prompt: carrying the previous window's
# text over as a prompt made Whisper drop timestamps and skip sentences (tiny.en on a
# 10-minute file: 7.2 % WER with the carried prompt, 3.3 % without, plain 3.3 %).
#: clips shorter than this are padded with silence on both sides and decoded without
#: VAD: Whisper misses isolated short words without a lead-in (measured on the shared
#: spoken digits: base 37 → 46 of 60 right), and VAD tends to drop them entirely
SHORT_CLIP_SECONDS = 1.2
SHORT_CLIP_PAD_SECONDS = 0.5
#: windows longer than this are decoded as VAD chunks on parallel workers (when batch_size > 0,
#: ``chunked.py``): on 2 cores 3-4x faster than sequential decoding at the same WER
BATCHED_MIN_SECONDS = 60.0
#: chunked decoding gives one segment per VAD chunk (up to 30 s); split them into
#: sentences with word timings so subtitles stay readable
SPLIT_MAX_SECONDS = 10.0
SENTENCE_ENDS = (".", "?", "!", "。", "？", "！")
#: an English-only model's transcript below this mean log-probability gets its language
#: checked: measured with tiny.en, English speech stayed above -0.8 (isolated 8 kHz digits went
#: down to -1.25); Spanish, Swedish and Japanese speech gave -0.94 to -1.9
FOREIGN_CHECK_LOGPROB = -0.7
#: the packaged multilingual model that tells the language, on the first 30 s of audio (core.OPENING_SECONDS)
LANGUAGE_DETECTOR = "base"
FOREIGN_MIN_PROBABILITY = 0.5


@lru_cache(maxsize=32)
def _multilingual(model_path: Path) -> bool | None:
    """Whisper's rule (a vocabulary of 51865 tokens or more), read from the model's files
    without loading it; None when they do not say."""
    for name in ("vocabulary.txt", "vocabulary.json"):
        vocabulary = model_path / name
        if vocabulary.is_file():
            if name.endswith(".json"):
                return len(json.loads(vocabulary.read_text(encoding="utf-8"))) >= 51865
            with vocabulary.open("rb") as lines:
                return sum(1 for _ in lines) >= 51865
    return None


class WhisperEngine(SpeechEngine):
    """Whisper through faster-whisper; honours every option."""

    name = "whisper"
    honours = frozenset(TranscribeOptions.names())
    default_model = DEFAULT_MODEL

    @classmethod
    def served_models(cls) -> list[str]:
        return list(dict.fromkeys([DEFAULT_MODEL, *PACKAGED]))

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "auto", compute_type: str = "auto",
                 cpu_threads: int = 0):
        self.model_name = str(model)
        self.model_path = resolve_model(model, engine="whisper")
        self._loading = (model, device, compute_type, cpu_threads)

    @cached_property
    def model(self):
        """The model that decodes a window whole (short files, a stream's first window), every
        core on one replica. Loaded at first use: a long file's windows never need it."""
        return load_whisper(*self._loading)

    @property
    def ready(self) -> bool:
        return "model" in vars(self)

    def load(self) -> None:
        self.model

    def release(self) -> None:
        forget_whisper(self.model_path)

    @cached_property
    def multilingual(self) -> bool:
        known = _multilingual(self.model_path)
        return bool(self.model.model.is_multilingual) if known is None else known

    def _loaded_model(self):
        """A loaded model: the chunk workers' if they ran, else the whole-window one."""
        chunk = self.__dict__.get("_chunk_model")
        return chunk[0] if chunk else self.model

    @cached_property
    def _suppress_tokens(self) -> list[int]:
        """Whisper's own non-speech set plus every token that opens a marker."""
        tokenizer = self._loaded_model().hf_tokenizer
        extra = []
        for token_id in range(tokenizer.get_vocab_size()):
            text = tokenizer.decode([token_id]).strip()
            if text and text.startswith(MARKER_PREFIXES) and token_id < 50257:
                extra.append(token_id)
        return [-1, *extra]

    @classmethod
    def check_options(cls, options: TranscribeOptions, model: str | None) -> None:
        """Refuse options the model cannot honour (English-only models), told from its files."""
        super().check_options(options, model)
        model = str(model or DEFAULT_MODEL)
        try:
            path = resolve_model(model, engine="whisper")
        except SeespeechError:
            return   # no such model: loading it says so, after the inputs are checked
        if _multilingual(path) is not False:
            return
        if options.task == "translate":
            raise OptionError(
                f"model '{model}' is English-only and cannot translate: use a multilingual model such as base",
                "task",
            )
        if options.language not in (None, "en"):
            raise OptionError(
                f"model '{model}' is English-only and cannot transcribe language "
                f"'{options.language}': use a multilingual model such as base", "language",
            )

    def windows(self, audio, options, state, first_seconds):
        # read at call time: the tests shorten the windows to exercise cutting
        pieces = cut_windows(audio, WINDOW_SECONDS, CUT_SEARCH_SECONDS, options.max_duration, state.notes, first_seconds)
        return self._read_ahead(pieces, options, state) if options.batch_size > 0 else pieces

    @cached_property
    def _chunk_model(self):
        """The model the chunk workers share: as many CTranslate2 replicas as workers, each on
        its share of the cores (one model on a GPU)."""
        model, device, compute_type, cpu_threads = self._loading
        if whisper_on_gpu(device):
            return self.model, 1
        workers, threads = worker_layout(cpu_threads)
        return load_whisper(model, device, compute_type, threads, workers), workers

    def _read_ahead(self, pieces: Iterator[np.ndarray], options: TranscribeOptions,
                    state: DecodeState) -> Iterator[np.ndarray | Prepared]:
        """The windows, a long one's chunks queued on the workers as soon as it is read, one
        window ahead of the driver: the workers never wait for the driver, and the VAD of the
        next window runs while they decode. Every window after a long one is decoded the same
        way (a long file never loads the whole-window model). A window the driver decodes itself
        (a short file, a stream's first 30 s) is not read past, so nothing competes with it."""
        decoder, held = None, None
        pieces = iter(pieces)
        try:
            while True:
                try:
                    piece = next(pieces)
                except StopIteration:
                    break
                except Exception:   # the window read before a failure is decoded before it is told
                    if held is not None:
                        yield held
                    raise
                work = None
                if decoder is not None or piece.size > BATCHED_MIN_SECONDS * SAMPLE_RATE:
                    if decoder is None:
                        model, workers = self._chunk_model
                        decoder = ChunkedDecoder(model, workers, options.batch_size,
                                                 self._decode_options(options, state.language))
                    work = decoder.submit(piece, state.language)
                if held is not None:
                    yield held
                    held = None
                if work is None:
                    yield piece
                else:
                    held = Prepared(piece, work)
            if held is not None:
                yield held
        finally:
            if decoder is not None:
                decoder.close()

    def _decode_options(self, options: TranscribeOptions, language: str | None) -> dict:
        """faster-whisper's keyword arguments for ``options``."""
        return dict(
            language=language, task=options.task, beam_size=options.beam_size,
            best_of=options.best_of, patience=options.patience, hotwords=options.hotwords,
            condition_on_previous_text=options.condition_on_previous_text,
            temperature=list(options.temperature) if isinstance(options.temperature, tuple) else options.temperature,
            word_timestamps=options.word_timestamps, initial_prompt=options.initial_prompt,
            suppress_tokens=[-1] if options.keep_markers else self._suppress_tokens,
        )

    def finish(self, options: TranscribeOptions, state: DecodeState, segments: list[Segment]) -> None:
        if not self.multilingual and options.language is None and segments and state.opening is not None:
            state.notes.extend(self._foreign_speech(state.opening, segments))

    def _foreign_speech(self, opening: np.ndarray, segments: list[Segment]) -> list[str]:
        """An English-only model writes English whatever it hears. When it was unsure of what
        it wrote, the packaged multilingual model listens to the first 30 s; speech it is sure
        is another language gets a warning (``--language en`` skips the check)."""
        seconds = sum(s.end - s.start for s in segments)
        confidence = sum(s.avg_logprob * (s.end - s.start) for s in segments) / max(seconds, 1e-6)
        if confidence >= FOREIGN_CHECK_LOGPROB:
            return []
        try:
            from seespeech.speech.registry import load_engine

            detector = load_engine("whisper", LANGUAGE_DETECTOR)
            code, probability, _ = detector.model.detect_language(opening)
        except Exception:  # the check is a courtesy: never fail a transcription over it
            return []
        if code == "en" or probability < FOREIGN_MIN_PROBABILITY:
            return []
        from seespeech.languages import NAMES

        return [f"model {self.model_name} is English-only, but the speech sounds like {NAMES.get(code, code).title()} "
                f"(p={probability:.2f}): its transcript is probably wrong; use a multilingual model "
                f"(--model {LANGUAGE_DETECTOR}), or --language en if the speech is English"]

    def decode(self, window: Window, options: TranscribeOptions, state: DecodeState) -> Iterator[Segment]:
        """One window's segments as faster-whisper decodes them (before cleaning, which the
        driver does); the language it detected goes to ``state.window_language``."""
        start = window.start
        if isinstance(window.prepared, ChunkedWindow):
            chunked = window.prepared
            if state.language is None and chunked.language is not None:
                state.window_language = (chunked.language, chunked.language_probability)
            for seg in chunked.segments():
                yield from split_sentences(_segment(seg, start, start, window.end), keep_words=options.word_timestamps)
            return
        piece = window.audio
        short = piece.size < SHORT_CLIP_SECONDS * SAMPLE_RATE
        pad = int(SHORT_CLIP_PAD_SECONDS * SAMPLE_RATE) if short else 0
        audio = np.pad(piece, pad) if pad else piece
        vad_filter = options.vad and not short
        if vad_filter:
            run_in_sections()
        raw, info = self.model.transcribe(audio, **self._decode_options(options, state.language),
                                          vad_filter=vad_filter)
        if state.language is None:
            state.window_language = (info.language, info.language_probability)
        for seg in raw:
            yield _segment(seg, start - pad / SAMPLE_RATE, start, window.end)


def split_sentences(seg: Segment, keep_words: bool) -> list[Segment]:
    """Split a long segment at sentence ends (or every ~10 s) using its word timings."""
    if not seg.words:
        return [seg]
    pieces: list[list[Word]] = [[]]
    for word in seg.words:
        pieces[-1].append(word)
        text = word.word.strip()
        too_long = word.end - pieces[-1][0].start >= SPLIT_MAX_SECONDS and text.endswith((",", ";", ":"))
        if text.endswith(SENTENCE_ENDS) or too_long:
            pieces.append([])
    pieces = list(filter(None, pieces))
    # token ids are not kept per word: a piece of a split segment has its text, not its tokens
    return [replace(seg, start=words[0].start, end=words[-1].end, text="".join(w.word for w in words),
                    words=words if keep_words else None, tokens=seg.tokens if len(pieces) == 1 else [])
            for words in pieces]


def _segment(seg, offset: float, low: float, high: float) -> Segment:
    """Our record of a faster-whisper segment, shifted by ``offset`` and kept in [low, high]."""

    def at(t: float) -> float:
        return round(min(max(t + offset, low), high), 3)

    words = None
    if seg.words is not None:
        words = [Word(at(w.start), at(w.end), w.word, round(w.probability, 4)) for w in seg.words]
    return Segment(
        id=seg.id, start=at(seg.start), end=at(seg.end), text=seg.text,
        words=words, avg_logprob=round(seg.avg_logprob, 4), compression_ratio=round(seg.compression_ratio, 4),
        no_speech_prob=round(seg.no_speech_prob, 4), temperature=seg.temperature,
        seek=max(0, int(seg.seek + round(offset * 100))), tokens=list(seg.tokens),
    )
