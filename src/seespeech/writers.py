"""Transcript writers, one small class per output format.

``WRITERS[name].render(transcript) -> str`` gives the file's text; the CLI and the
server both go through here, so a file and an HTTP response of the same format are
byte-identical.
"""

from __future__ import annotations

import json
from typing import ClassVar

from .transcript import Segment, Transcript


def format_timestamp(seconds: float, decimal: str = ".") -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{millis:03d}"


def monotonic_cues(segments: list[Segment]) -> list[tuple[float, float, str]]:
    """(start, end, text) for each non-empty segment, never going back in time."""
    cues = []
    last_start = 0.0
    for seg in segments:
        text = seg.text.strip()
        if not text:
            continue
        start = max(seg.start, last_start)
        end = max(seg.end, start + 0.001)
        cues.append((start, end, text))
        last_start = start
    return cues


class Writer:
    name: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str] = "text/plain; charset=utf-8"

    def render(self, transcript: Transcript) -> str:
        raise NotImplementedError


class TextWriter(Writer):
    name, extension = "txt", ".txt"

    def render(self, transcript: Transcript) -> str:
        return transcript.text + "\n"


class JsonWriter(Writer):
    """OpenAI's ``json`` response: the text (and our ``warnings``, only when there are any)."""

    name, extension, media_type = "json", ".json", "application/json"

    def render(self, transcript: Transcript) -> str:
        data = {"text": transcript.text}
        if transcript.warnings:
            data["warnings"] = transcript.warnings
        return json.dumps(data, ensure_ascii=False) + "\n"


class VerboseJsonWriter(Writer):
    """OpenAI's ``verbose_json``: segments (and words, when asked for) with timings."""

    name, extension, media_type = "verbose_json", ".verbose.json", "application/json"

    def render(self, transcript: Transcript) -> str:
        data = {
            "task": transcript.task,
            "language": transcript.language,
            "language_probability": transcript.language_probability,
            "duration": transcript.duration,
            "text": transcript.text,
            "model": transcript.model,
            "segments": [
                {k: v for k, v in vars(s).items() if k != "words"} for s in transcript.segments
            ],
        }
        if any(s.words is not None for s in transcript.segments):
            data["words"] = [vars(w) for s in transcript.segments for w in (s.words or [])]
        if transcript.warnings:
            data["warnings"] = transcript.warnings
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


class SrtWriter(Writer):
    # served as text/plain, as OpenAI's API does (clients written against it expect that)
    name, extension = "srt", ".srt"

    def render(self, transcript: Transcript) -> str:
        blocks = [
            f"{i}\n{format_timestamp(a, ',')} --> {format_timestamp(b, ',')}\n{text}\n"
            for i, (a, b, text) in enumerate(monotonic_cues(transcript.segments), start=1)
        ]
        return "\n".join(blocks)


class VttWriter(Writer):
    name, extension, media_type = "vtt", ".vtt", "text/vtt; charset=utf-8"

    def render(self, transcript: Transcript) -> str:
        blocks = [
            f"{format_timestamp(a)} --> {format_timestamp(b)}\n{text}\n"
            for a, b, text in monotonic_cues(transcript.segments)
        ]
        return "WEBVTT\n\n" + "\n".join(blocks)


WRITERS: dict[str, Writer] = {w.name: w() for w in (TextWriter, JsonWriter, VerboseJsonWriter, SrtWriter, VttWriter)}
FORMATS = tuple(WRITERS)
