"""Side by side: the same audio through several speech → text engines.

Every engine asked for gets a row: its text, WER and CER against the reference (the
given text, or Whisper's when none is given), and its wall seconds. An engine that
cannot run here (no weights, missing extra, not built) gets a row with the reason
instead of stopping the comparison.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from seespeech.audio import AudioInput, reopenable, source_name
from seespeech.errors import SeespeechError
from seespeech.speech.evaluate import score
from seespeech.speech import ENGINES, TranscribeOptions, engine_entry, load_engine

#: every engine of the table, the default first
DEFAULT_ENGINES = tuple(ENGINES)


@dataclass
class EngineRow:
    engine: str
    #: engine and model, e.g. "whisper:base" (empty when it could not load)
    label: str = ""
    text: str | None = None
    wer: float | None = None
    cer: float | None = None
    seconds: float | None = None
    #: why there is no text: missing weights, missing extra, unreadable audio, …
    error: str | None = None
    #: the command's exit code for that error (errors.EXIT_CODES)
    exit_code: int | None = None


@dataclass
class Comparison:
    audio: str
    reference: str | None
    #: "given" or "whisper" (Whisper's own text stands in for a reference)
    reference_source: str | None
    language: str | None
    rows: list[EngineRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare(
    audio: AudioInput,
    engines: tuple[str, ...] | list[str] = DEFAULT_ENGINES,
    reference: str | None = None,
    language: str | None = None,
    models: dict[str, str | None] | None = None,
    engine_options: dict[str, dict[str, Any]] | None = None,
) -> Comparison:
    """Run ``audio`` through each engine. ``models`` and ``engine_options`` are per engine
    (e.g. ``{"vlm": "path/to/smolvlm"}``, ``{"vlm": {"image_type": "mfcc"}}``)."""
    models = models or {}
    engine_options = engine_options or {}
    for name in engines:
        engine_entry(name)
    audio = reopenable(audio)
    comparison = Comparison(source_name(audio), reference, "given" if reference else None, language)
    options = TranscribeOptions(language=language).validated()
    for name in engines:
        row = EngineRow(name)
        comparison.rows.append(row)
        try:
            checked = ENGINES[name].check(options, models.get(name))
            engine = load_engine(name, models.get(name), **engine_options.get(name, {}))
            row.label = engine.label
            if hasattr(audio, "seek"):
                audio.seek(0)
            start = time.perf_counter()
            transcript = engine.transcribe(audio, checked)
            row.seconds = round(time.perf_counter() - start, 3)
            row.text = transcript.text
            if comparison.language is None and name == "whisper":
                comparison.language = transcript.language
        except SeespeechError as exc:
            row.error, row.exit_code = str(exc), exc.exit_code
    if comparison.reference is None:
        whisper = next((r for r in comparison.rows if r.engine == "whisper" and r.text is not None), None)
        if whisper is not None:
            comparison.reference, comparison.reference_source = whisper.text, "whisper"
    if comparison.reference is not None:
        lang = comparison.language or "en"
        for row in comparison.rows:
            if row.text is not None:
                scores = score([comparison.reference], [row.text], lang)
                row.wer, row.cer = scores.wer, scores.cer
    return comparison
