"""Score engines on folders of speech with reference transcripts.

A dataset folder holds audio files and ``transcripts.tsv`` (tab-separated, header
``file  text`` and optionally ``language``). Both sides are normalised before scoring:
Whisper's English normaliser for English (spelling, numbers, contractions), its basic
normaliser for other languages. WER and CER are corpus-level (errors summed over all
clips, divided by the reference length), as in the Whisper paper.
"""

from __future__ import annotations

import csv
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from seespeech.errors import SeespeechError

TRANSCRIPTS_FILE = "transcripts.tsv"


@dataclass(frozen=True)
class Clip:
    path: Path
    text: str
    language: str | None = None


@dataclass
class Scores:
    wer: float
    cer: float
    substitutions: int
    deletions: int
    insertions: int
    reference_words: int


@dataclass
class ClipResult:
    file: str
    reference: str
    hypothesis: str
    language: str
    error: str | None = None
    #: this clip's own WER and CER (None when it failed)
    wer: float | None = None
    cer: float | None = None


@dataclass
class DatasetResult:
    dataset: str
    model: str
    clips: int
    failed: int
    scores: Scores
    audio_seconds: float
    wall_seconds: float
    #: wall seconds per audio second (below 1 is faster than real time)
    rtf: float
    files: list[ClipResult] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def read_dataset(folder: str | Path) -> list[Clip]:
    folder = Path(folder)
    table = folder / TRANSCRIPTS_FILE
    if not folder.is_dir():
        raise SeespeechError(f"{folder}: not a folder")
    if not table.is_file():
        raise SeespeechError(f"{folder}: no {TRANSCRIPTS_FILE} (tab-separated: file, text, optional language)")
    with open(table, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or "file" not in rows[0] or "text" not in rows[0]:
        raise SeespeechError(f"{table}: needs a header line with the columns file and text")
    return [Clip(folder / r["file"], r["text"], (r.get("language") or None)) for r in rows]


@lru_cache(maxsize=None)
def _normalisers():
    from whisper_normalizer.basic import BasicTextNormalizer
    from whisper_normalizer.english import EnglishTextNormalizer

    return EnglishTextNormalizer(), BasicTextNormalizer()


def normalise(text: str, language: str | None = "en") -> str:
    english, basic = _normalisers()
    return " ".join((english if language in (None, "en") else basic)(text).split())


def score(references: list[str], hypotheses: list[str], language: str | None = "en") -> Scores:
    """Corpus WER/CER of already-paired texts (normalised here)."""
    import jiwer

    pairs = [(normalise(r, language), normalise(h, language)) for r, h in zip(references, hypotheses)]
    pairs = [(r, h) for r, h in pairs if r]
    if not pairs:
        return Scores(0.0, 0.0, 0, 0, 0, 0)
    refs, hyps = [p[0] for p in pairs], [p[1] for p in pairs]
    words = jiwer.process_words(refs, hyps)
    chars = jiwer.process_characters(refs, hyps)
    return Scores(
        wer=round(words.wer, 5), cer=round(chars.cer, 5), substitutions=words.substitutions,
        deletions=words.deletions, insertions=words.insertions,
        reference_words=words.hits + words.substitutions + words.deletions,
    )


def evaluate_dataset(
    folder: str | Path,
    transcribe: Callable[..., "object"],
    model_label: str,
    language: str | None = None,
    on_clip: Callable[[ClipResult], None] | None = None,
    clips: list[Clip] | None = None,
) -> DatasetResult:
    """Run ``transcribe(path, language=...) -> Transcript`` on every clip and score it."""
    clips = read_dataset(folder) if clips is None else clips
    results: list[ClipResult] = []
    audio_seconds = 0.0
    started = time.perf_counter()
    for clip in clips:
        lang = clip.language or language
        try:
            transcript = transcribe(clip.path, language=lang)
        except SeespeechError as exc:
            result = ClipResult(clip.path.name, clip.text, "", lang or "", error=str(exc))
        else:
            audio_seconds += transcript.duration
            result = ClipResult(clip.path.name, clip.text, transcript.text, lang or transcript.language)
            own = score([clip.text], [transcript.text], result.language)
            result.wer, result.cer = own.wer, own.cer
        results.append(result)
        if on_clip:
            on_clip(result)
    wall = time.perf_counter() - started
    by_language: dict[str, list[ClipResult]] = {}
    for r in results:
        by_language.setdefault(r.language, []).append(r)
    # score each language with its own normaliser, then pool the error counts
    parts = [score([r.reference for r in rs], [r.hypothesis for r in rs], lang) for lang, rs in by_language.items()]
    total = _pool(parts, results)
    return DatasetResult(
        dataset=str(folder), model=model_label, clips=len(clips), failed=sum(r.error is not None for r in results),
        scores=total, audio_seconds=round(audio_seconds, 2), wall_seconds=round(wall, 2),
        rtf=round(wall / audio_seconds, 4) if audio_seconds else 0.0, files=results,
    )


def _pool(parts: list[Scores], results: list[ClipResult]) -> Scores:
    if len(parts) == 1:
        return parts[0]
    words = sum(p.reference_words for p in parts)
    errors = sum(p.substitutions + p.deletions + p.insertions for p in parts)
    # CER pooled by weighting with reference word counts (character counts differ by script)
    cer = sum(p.cer * p.reference_words for p in parts) / words if words else 0.0
    return Scores(
        wer=round(errors / words, 5) if words else 0.0, cer=round(cer, 5),
        substitutions=sum(p.substitutions for p in parts), deletions=sum(p.deletions for p in parts),
        insertions=sum(p.insertions for p in parts), reference_words=words,
    )
