"""Whisper through faster-whisper (CTranslate2): the default engine.

Audio is decoded as a stream and transcribed window by window, each window cut at
the quietest moment near its end, so memory stays flat however long the file is. A
clip shorter than one window is a single faster-whisper call with the same options
as plain faster-whisper, so accuracy on the same weights is the same or better.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cached_property
from itertools import chain
from typing import Iterator

import numpy as np

from ..audio import SAMPLE_RATE, AudioInput, decode_blocks, probe, reopenable, source_name
from ..clean import MARKER_PREFIXES, clean_segments, join_text
from ..errors import AudioError, OptionError
from ..models import resolve_model
from ..transcript import Segment, Transcript, Word
from . import ProgressFn, SegmentFn, TranscribeOptions

#: seconds of audio per decoding window; a window is cut at a quiet point
WINDOW_SECONDS = 240.0
#: how far back from a window's end to look for a quiet cut point
CUT_SEARCH_SECONDS = 15.0
CUT_FRAME_SECONDS = 0.1
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
#: the packaged multilingual model that tells the language, on the first seconds of audio
LANGUAGE_DETECTOR = "base"
LANGUAGE_CHECK_SECONDS = 30
FOREIGN_MIN_PROBABILITY = 0.5


def cut_windows(audio: AudioInput, window_seconds: float, slack_seconds: float,
                max_duration: float | None, notes: list[str] | None = None) -> Iterator[np.ndarray]:
    """Decode ``audio`` as a stream and yield windows of at most ``window_seconds``, each cut
    at the quietest moment near its end (``find_cut``), so memory stays flat for any length.
    ``slack_seconds`` more are buffered before cutting, so the cut can fall in the search area.
    Shared by the Whisper and ctc engines; ``notes`` collects decoding warnings (a cut-off file)."""
    window = int(window_seconds * SAMPLE_RATE)
    slack = int(slack_seconds * SAMPLE_RATE)
    buffer = np.zeros(0, dtype=np.float32)
    for block in chain(decode_blocks(audio, max_duration=max_duration, notes=notes), [None]):
        if block is not None:
            buffer = np.concatenate([buffer, block])
        final = block is None
        while buffer.size > window + (0 if final else slack) or (final and buffer.size):
            cut = buffer.size if buffer.size <= window else find_cut(buffer[:window])
            piece, buffer = buffer[:cut], buffer[cut:]
            yield piece


def find_cut(audio: np.ndarray) -> int:
    """Index of the quietest 0.1 s frame in the last seconds of ``audio``."""
    frame = int(CUT_FRAME_SECONDS * SAMPLE_RATE)
    start = max(0, audio.size - int(CUT_SEARCH_SECONDS * SAMPLE_RATE))
    tail = audio[start:start + (audio.size - start) // frame * frame]
    if tail.size < frame:
        return audio.size
    energy = np.square(tail.reshape(-1, frame)).mean(axis=1)
    return start + int(np.argmin(energy)) * frame + frame // 2


class WhisperEngine:
    name = "whisper"

    def __init__(self, model: str = "base", device: str = "auto", compute_type: str = "auto", cpu_threads: int = 0):
        from faster_whisper import WhisperModel

        self.model_name = str(model)
        self.model_path = resolve_model(model)
        if compute_type == "auto":
            import ctranslate2

            on_gpu = device in ("auto", "cuda") and ctranslate2.get_cuda_device_count() > 0
            compute_type = "float16" if on_gpu else "int8"
        self.model = WhisperModel(
            str(self.model_path), device=device, compute_type=compute_type,
            cpu_threads=cpu_threads or (os.cpu_count() or 1),
        )

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

    @property
    def label(self) -> str:
        return f"whisper:{self.model_name}"

    def check(self, options: TranscribeOptions) -> None:
        """Refuse options this model cannot honour (English-only models)."""
        if self.multilingual:
            return
        if options.task == "translate":
            raise OptionError(
                f"model '{self.model_name}' is English-only and cannot translate: use a multilingual model such as base"
            )
        if options.language not in (None, "en"):
            raise OptionError(
                f"model '{self.model_name}' is English-only and cannot transcribe language "
                f"'{options.language}': use a multilingual model such as base"
            )

    def transcribe(
        self, audio: AudioInput, options: TranscribeOptions, progress: ProgressFn | None = None,
        on_segment: SegmentFn | None = None,
    ) -> Transcript:
        self.check(options)
        audio = reopenable(audio)
        name = source_name(audio)
        if isinstance(audio, np.ndarray):
            total = audio.size / SAMPLE_RATE
        else:
            total = probe(audio).duration
        if progress:
            progress(0.0, total)  # the total is known before the first segment is

        language = options.language
        language_probability = 1.0
        fallback = None  # a detection from audio without speech, used only if nothing better comes
        segments: list[Segment] = []
        offset = 0  # samples before the start of the current window
        notes: list[str] = []
        opening = None  # the first 30 s, to check what language an English-only model heard
        for piece in cut_windows(audio, WINDOW_SECONDS, CUT_SEARCH_SECONDS, options.max_duration, notes):
            if opening is None:
                opening = piece[:LANGUAGE_CHECK_SECONDS * SAMPLE_RATE]
            found, detected = self._window(piece, offset / SAMPLE_RATE, language, options, progress, total)
            # trust a detection only where there was speech to detect it from
            if language is None and detected is not None:
                if found:
                    language, language_probability = detected
                else:
                    fallback = fallback or detected
            segments.extend(found)
            if on_segment:  # window by window: segments are final only after cleaning
                for seg in found:
                    on_segment(seg)
            offset += piece.size
        if language is None:
            language, language_probability = fallback or ("en", 0.0)
        duration = offset / SAMPLE_RATE
        if duration == 0:
            raise AudioError(name, "contains no audio samples")
        for index, seg in enumerate(segments):
            seg.id = index
        if not self.multilingual and options.language is None and segments:
            notes.extend(self._foreign_speech(opening, segments))
        if progress:
            progress(duration, duration)
        return Transcript(
            text=join_text(segments), language=language,
            language_probability=round(float(language_probability), 4), duration=round(duration, 3),
            segments=segments, model=self.label, task=options.task, warnings=notes,
        )

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

    def _window(self, piece, start, language, options, progress, total):
        """Transcribe one window; return its cleaned segments and (language, prob) if detected."""
        short = piece.size < SHORT_CLIP_SECONDS * SAMPLE_RATE
        pad = int(SHORT_CLIP_PAD_SECONDS * SAMPLE_RATE) if short else 0
        batched = options.batch_size > 0 and piece.size > BATCHED_MIN_SECONDS * SAMPLE_RATE
        kwargs = dict(
            language=language, task=options.task, beam_size=options.beam_size,
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
        end = start + piece.size / SAMPLE_RATE
        found = []
        for seg in raw:
            record = _segment(seg, start - pad / SAMPLE_RATE, start, end)
            found.extend(split_sentences(record, keep_words=options.word_timestamps) if batched else [record])
            if progress:
                progress(record.end, total)
        if not options.keep_markers:
            found = clean_segments(
                found,
                has_speech=lambda a, b: _has_speech(
                    audio[int((a - start) * SAMPLE_RATE) + pad:int((b - start) * SAMPLE_RATE) + pad]
                ),
            )
        detected = (info.language, info.language_probability) if language is None else None
        return found, detected


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


def _has_speech(audio: np.ndarray) -> bool:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size < SAMPLE_RATE // 10:
        return False
    return bool(get_speech_timestamps(audio, VadOptions()))


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
