"""Transcript writers, one small class per output format.

``WRITERS[name].render(transcript, subtitles) -> str`` gives the file's text; the CLI and
the server both go through here, so a file and an HTTP response of the same format are
byte-identical. ``subtitles`` (``SubtitleOptions``) says how srt and vtt cut their cues;
the other formats write whole segments.
"""

from __future__ import annotations

import csv
import io
import json
from typing import ClassVar

from seespeech.speech.subtitles import SubtitleOptions, build_cues, timed_texts
from seespeech.transcript import Segment, Transcript, Turn

#: what ``--format all`` and a file with no ``--format`` get: the five formats OpenAI's API has
#: (tsv, lrc and csv on request)
DEFAULT_FORMATS = ("txt", "json", "verbose_json", "srt", "vtt")
#: segments of one speaker closer than this (seconds) are one turn
TURN_GAP = 1.0


def format_timestamp(seconds: float, decimal: str = ".") -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{millis:03d}"


def subtitle_cues(transcript: Transcript, subtitles: SubtitleOptions | None) -> list[tuple[float, float, str]]:
    """(start, end, text) of every cue to write, in time order."""
    options = subtitles or SubtitleOptions()
    return [piece for cue in build_cues(transcript.segments, options)
            for piece in timed_texts(cue, options.highlight_words)]


def speaker_turns(segments: list[Segment]) -> list[tuple[str | None, str]]:
    """(speaker, text) for each run of segments by one speaker."""
    turns: list[tuple[str | None, list[str]]] = []
    for seg in segments:
        if not seg.text.strip():
            continue
        if not turns or turns[-1][0] != seg.speaker:
            turns.append((seg.speaker, []))
        turns[-1][1].append(seg.text.strip())
    return [(speaker, " ".join(texts)) for speaker, texts in turns]


def labelled(seg: Segment) -> str:
    """A segment's text on one line, with its speaker's label when it has one."""
    text = " ".join(seg.text.split())
    return f"[{seg.speaker}] {text}" if seg.speaker else text


class Writer:
    name: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str] = "text/plain; charset=utf-8"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        raise NotImplementedError


class TextWriter(Writer):
    """The text; with speakers, a paragraph per speaker turn (``SPEAKER_00: ...``)."""

    name, extension = "txt", ".txt"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        if any(s.speaker for s in transcript.segments):
            return "\n".join(f"{speaker}: {text}" for speaker, text in speaker_turns(transcript.segments)) + "\n"
        return transcript.text + "\n"


class JsonWriter(Writer):
    """OpenAI's ``json`` response: the text (and our ``warnings``, only when there are any)."""

    name, extension, media_type = "json", ".json", "application/json"

    indent: int | None = None

    def data(self, transcript: Transcript) -> dict:
        """The JSON object (the server adds OpenAI's ``usage`` to it before it is written)."""
        data = {"text": transcript.text}
        if transcript.warnings:
            data["warnings"] = transcript.warnings
        return data

    def dump(self, data: dict) -> str:
        return json.dumps(data, ensure_ascii=False, indent=self.indent) + "\n"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        return self.dump(self.data(transcript))


class VerboseJsonWriter(JsonWriter):
    """OpenAI's ``verbose_json``: segments (and words, when asked for) with timings."""

    name, extension, media_type = "verbose_json", ".verbose.json", "application/json"
    indent = 2

    def data(self, transcript: Transcript) -> dict:
        data = {
            "task": transcript.task,
            "language": transcript.language,
            "language_probability": transcript.language_probability,
            "duration": transcript.duration,
            "text": transcript.text,
            "model": transcript.model,
            "segments": [  # "speaker" only where diarization gave one
                {k: v for k, v in vars(s).items() if k != "words" and (k != "speaker" or v is not None)}
                for s in transcript.segments
            ],
        }
        if any(s.words is not None for s in transcript.segments):
            data["words"] = [{k: v for k, v in vars(w).items() if k != "speaker" or v is not None}
                             for s in transcript.segments for w in (s.words or [])]
        if transcript.warnings:
            data["warnings"] = transcript.warnings
        return data


class SrtWriter(Writer):
    """SubRip cues cut to readable lengths (``subtitles.py``); served as text/plain, as OpenAI's
    API does (clients written against it expect that)."""

    name, extension = "srt", ".srt"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        blocks = [
            f"{i}\n{format_timestamp(a, ',')} --> {format_timestamp(b, ',')}\n{text}\n"
            for i, (a, b, text) in enumerate(subtitle_cues(transcript, subtitles), start=1)
        ]
        return "\n".join(blocks)


class VttWriter(Writer):
    name, extension, media_type = "vtt", ".vtt", "text/vtt; charset=utf-8"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        blocks = [
            f"{format_timestamp(a)} --> {format_timestamp(b)}\n{text}\n"
            for a, b, text in subtitle_cues(transcript, subtitles)
        ]
        return "WEBVTT\n\n" + "\n".join(blocks)


class TsvWriter(Writer):
    """openai/whisper's tsv: ``start``, ``end`` (integer milliseconds), ``text`` per segment."""

    name, extension, media_type = "tsv", ".tsv", "text/tab-separated-values; charset=utf-8"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        rows = ["start\tend\ttext"]
        rows += [f"{round(s.start * 1000)}\t{round(s.end * 1000)}\t{labelled(s).replace(chr(9), ' ')}"
                 for s in transcript.segments if s.text.strip()]
        return "\n".join(rows) + "\n"


class CsvWriter(Writer):
    """whisper.cpp's csv: ``start``, ``end`` (integer milliseconds), ``text`` (and ``speaker``
    when the transcript has speakers), quoted as RFC 4180 says."""

    name, extension, media_type = "csv", ".csv", "text/csv; charset=utf-8"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        speakers = any(s.speaker for s in transcript.segments)
        out = io.StringIO()
        table = csv.writer(out, lineterminator="\n")
        table.writerow(["start", "end", "text", *(["speaker"] if speakers else [])])
        for s in transcript.segments:
            if s.text.strip():
                table.writerow([round(s.start * 1000), round(s.end * 1000), " ".join(s.text.split()),
                                *([s.speaker or ""] if speakers else [])])
        return out.getvalue()


class LrcWriter(Writer):
    """Lyrics (whisper.cpp's lrc): ``[mm:ss.xx]`` and the segment's text, a line each."""

    name, extension = "lrc", ".lrc"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        lines = ["[by:seespeech]"]
        for s in transcript.segments:
            if s.text.strip():
                centis = max(0, round(s.start * 100))
                lines.append(f"[{centis // 6000:02d}:{centis % 6000 // 100:02d}.{centis % 100:02d}]{labelled(s)}")
        return "\n".join(lines) + "\n"


def who_spoke_when(transcript: Transcript) -> list[Turn]:
    """The transcript's speaker turns: diarization's own (speech nobody transcribed included),
    else the runs of its labelled segments."""
    if transcript.turns:
        return list(transcript.turns)
    turns: list[Turn] = []
    for s in transcript.segments:
        if s.speaker is None or not s.text.strip():
            continue
        if turns and turns[-1].speaker == s.speaker and s.start - turns[-1].end < TURN_GAP:
            turns[-1] = Turn(turns[-1].start, max(turns[-1].end, s.end), s.speaker)
        else:
            turns.append(Turn(s.start, s.end, s.speaker))
    return turns


class RttmWriter(Writer):
    """RTTM, the format diarization tools exchange (NIST's Rich Transcription Time Marked):
    ``SPEAKER <file> 1 <start> <duration> <NA> <NA> <speaker> <NA> <NA>``, a line per turn."""

    name, extension = "rttm", ".rttm"
    #: the file field of every line (RTTM has no spaces in it); the CLI sets the input's name
    uri = "audio"

    def render(self, transcript: Transcript, subtitles: SubtitleOptions | None = None) -> str:
        uri = "_".join((transcript.source or self.uri).split()) or self.uri
        return "".join(f"SPEAKER {uri} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> {'_'.join(t.speaker.split())} "
                       "<NA> <NA>\n" for t in who_spoke_when(transcript) if t.end > t.start)


class DiarizedJsonWriter(JsonWriter):
    """OpenAI's ``diarized_json``: the text and its segments with speakers, named as OpenAI names
    them (``A``, ``B``, … in order of first appearance; a known speaker by its name)."""

    name, extension = "diarized_json", ".diarized.json"
    indent = 2

    def data(self, transcript: Transcript) -> dict:
        named = OpenAINames()
        data = {
            "task": "transcribe",
            "duration": transcript.duration,
            "text": transcript.text,
            "segments": [{"type": "transcript.text.segment", "id": f"seg_{s.id}", "start": s.start, "end": s.end,
                          "text": s.text, "speaker": named(s.speaker)}
                         for s in transcript.segments if s.text.strip()],
        }
        if transcript.warnings:
            data["warnings"] = transcript.warnings
        return data


class OpenAINames:
    """Speakers named as OpenAI's diarization names them: ``SPEAKER_00``, ``SPEAKER_01`` → ``A``,
    ``B``, … in order of first appearance; a known speaker's name as it is."""

    def __init__(self):
        self.letters: dict[str, str] = {}

    def __call__(self, label: str | None) -> str:
        if label is None or not label.startswith("SPEAKER_"):
            return label or "unknown"
        if label not in self.letters:
            index, name = len(self.letters) + 1, ""
            while index:
                index, rest = divmod(index - 1, 26)
                name = chr(ord("A") + rest) + name
            self.letters[label] = name
        return self.letters[label]


WRITERS: dict[str, Writer] = {w.name: w() for w in (
    TextWriter, JsonWriter, VerboseJsonWriter, SrtWriter, VttWriter, TsvWriter, LrcWriter, CsvWriter, RttmWriter,
    DiarizedJsonWriter)}
FORMATS = tuple(WRITERS)
#: the formats that say who spoke when: written only for a diarized transcript
SPEAKER_FORMATS = ("rttm", "diarized_json")
