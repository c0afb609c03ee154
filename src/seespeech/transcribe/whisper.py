"""Whisper through faster-whisper (CTranslate2): the default engine.

Audio is decoded as a stream and transcribed window by window, each window cut at
the quietest moment near its end, so memory stays flat however long the file is. A
clip shorter than one window is a single faster-whisper call with the same options
as plain faster-whisper, so accuracy on the same weights is the same or better.
"""

from __future__ import annotations

from dataclasses import fields, replace
from functools import cached_property
from typing import Iterator

import numpy as np

from ..audio import SAMPLE_RATE
from ..clean import MARKER_PREFIXES
from ..errors import OptionError
from ..models import DEFAULT_MODEL, PACKAGED, load_whisper, resolve_model
from ..transcript import Segment, Word
from . import TranscribeOptions
from .core import DecodeState, SpeechEngine, Window, cut_windows

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
#: windows longer than this are decoded as batches of VAD chunks (when batch_size > 0):
#: on 2 cores this is 2.0–2.5x faster than sequential decoding at the same WER
BATCHED_MIN_SECONDS = 60.0
#: batched decoding gives one segment per VAD chunk (up to 30 s); split them into
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


class WhisperEngine(SpeechEngine):
    """Whisper through faster-whisper; honours every option."""

    name = "whisper"
    honours = frozenset(f.name for f in fields(TranscribeOptions))
    default_model = DEFAULT_MODEL

    @classmethod
    def served_models(cls) -> list[str]:
        return list(dict.fromkeys([DEFAULT_MODEL, *PACKAGED]))

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "auto", compute_type: str = "auto",
                 cpu_threads: int = 0):
        self.model_name = str(model)
        self.model_path = resolve_model(model)
        self.model = load_whisper(model, device, compute_type, cpu_threads)

    @property
    def multilingual(self) -> bool:
        return bool(self.model.model.is_multilingual)

    @cached_property
    def _suppress_tokens(self) -> list[int]:
        """Whisper's own non-speech set plus every token that opens a marker."""
        tokenizer = self.model.hf_tokenizer
        extra = []
        for token_id in range(tokenizer.get_vocab_size()):
            text = tokenizer.decode([token_id]).strip()
            if text and text.startswith(MARKER_PREFIXES) and token_id < 50257:
                extra.append(token_id)
        return [-1, *extra]

    def check(self, options: TranscribeOptions) -> None:
        """Refuse options this model cannot honour (English-only models)."""
        super().check(options)
        if self.multilingual:
            return
        if options.task == "translate":
            raise OptionError(
                f"model '{self.model_name}' is English-only and cannot translate: use a multilingual model such as base",
                "task",
            )
        if options.language not in (None, "en"):
            raise OptionError(
                f"model '{self.model_name}' is English-only and cannot transcribe language "
                f"'{options.language}': use a multilingual model such as base", "language",
            )

    def windows(self, audio, options, notes, first_seconds):
        # read at call time: the tests shorten the windows to exercise cutting
        return cut_windows(audio, WINDOW_SECONDS, CUT_SEARCH_SECONDS, options.max_duration, notes, first_seconds)

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
            from . import load_engine

            detector = load_engine("whisper", LANGUAGE_DETECTOR)
            code, probability, _ = detector.model.detect_language(opening)
        except Exception:  # the check is a courtesy: never fail a transcription over it
            return []
        if code == "en" or probability < FOREIGN_MIN_PROBABILITY:
            return []
        from ..languages import NAMES

        return [f"model {self.model_name} is English-only, but the speech sounds like {NAMES.get(code, code).title()} "
                f"(p={probability:.2f}): its transcript is probably wrong; use a multilingual model "
                f"(--model {LANGUAGE_DETECTOR}), or --language en if the speech is English"]

    def decode(self, window: Window, options: TranscribeOptions, state: DecodeState) -> Iterator[Segment]:
        """One window's segments as faster-whisper decodes them (before cleaning, which the
        driver does); the language it detected goes to ``state.window_language``."""
        piece, start = window.audio, window.start
        short = piece.size < SHORT_CLIP_SECONDS * SAMPLE_RATE
        pad = int(SHORT_CLIP_PAD_SECONDS * SAMPLE_RATE) if short else 0
        batched = options.batch_size > 0 and piece.size > BATCHED_MIN_SECONDS * SAMPLE_RATE
        kwargs = dict(
            language=state.language, task=options.task, beam_size=options.beam_size,
            best_of=options.best_of, patience=options.patience, hotwords=options.hotwords,
            condition_on_previous_text=options.condition_on_previous_text,
            temperature=list(options.temperature) if isinstance(options.temperature, tuple) else options.temperature,
            word_timestamps=options.word_timestamps or batched, initial_prompt=options.initial_prompt,
            suppress_tokens=[-1] if options.keep_markers else self._suppress_tokens,
            vad_filter=(options.vad or batched) and not short,
        )
        audio = np.pad(piece, pad) if pad else piece
        if batched:
            from faster_whisper import BatchedInferencePipeline

            # without timestamp tokens: with them, batched tiny.en went from 3.1 % to 10 % WER
            raw, info = BatchedInferencePipeline(self.model).transcribe(
                audio, batch_size=options.batch_size, without_timestamps=True, **kwargs
            )
        else:
            raw, info = self.model.transcribe(audio, **kwargs)
        if state.language is None:
            state.window_language = (info.language, info.language_probability)
        for seg in raw:
            record = _segment(seg, start - pad / SAMPLE_RATE, start, window.end)
            yield from split_sentences(record, keep_words=options.word_timestamps) if batched else [record]


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
