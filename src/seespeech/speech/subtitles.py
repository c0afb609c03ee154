"""Subtitle cues people can read: segments cut into cues within line, width and time limits.

A Whisper segment can be a 107-character sentence or a 25-second run of words. Subtitles
follow the usual broadcast rules instead (BBC, Netflix and EBU guides agree on them): at most
42 characters a line, at most 2 lines, at most 7 seconds on screen. Cues end at sentence ends;
where a cue must end mid-sentence it ends after a comma, semicolon or colon if one is near,
and its lines are balanced (the longest line as short as it can be).

Cue times come from word timings when the transcript has them (``--word-timestamps``;
diarization and highlighting turn them on); otherwise a segment's time is shared among its
words by their length, which is close but not exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from seespeech.schema import Schema
from seespeech.transcript import Segment, Word

#: the usual broadcast limits (characters a line, lines a cue, seconds a cue)
MAX_LINE_WIDTH = 42
MAX_LINE_COUNT = 2
MAX_CUE_SECONDS = 7.0
SENTENCE_ENDS = (".", "?", "!", "…", "。", "？", "！")
CLAUSE_ENDS = (",", ";", ":", "—", "–", "，", "、")
#: a cue cut mid-sentence ends at a clause end only if that keeps at least this share of it
CLAUSE_MIN_SHARE = 0.5
#: line breaks after a clause's end are preferred over this many characters of balance
CLAUSE_BREAK_BONUS = 6
#: cues of up to this many lines are balanced; longer ones are filled line by line
BALANCED_MAX_LINES = 3
#: the markup around the word being spoken (``highlight_words``), as openai/whisper writes it
HIGHLIGHT = ("<u>", "</u>")


class SubtitleSchema(Schema):
    """The cue limits a user sets: one declaration for the library, the CLI and the server."""

    max_line_width: int = Field(MAX_LINE_WIDTH, ge=10, le=200, description="srt/vtt: characters a line.")
    max_line_count: int = Field(MAX_LINE_COUNT, ge=1, le=10, description="srt/vtt: lines a cue.")
    max_cue_seconds: float = Field(MAX_CUE_SECONDS, ge=0.5, le=60,
                                   description="srt/vtt: seconds a cue stays on screen.")
    max_words_per_line: int | None = Field(None, ge=1, le=100, description="srt/vtt: words a line.")


@dataclass(frozen=True)
class SubtitleOptions:
    """How srt and vtt cues are cut (the other formats keep whole segments)."""

    max_line_width: int = MAX_LINE_WIDTH
    max_line_count: int = MAX_LINE_COUNT
    max_cue_seconds: float = MAX_CUE_SECONDS
    #: None: as many as fit the width
    max_words_per_line: int | None = None
    #: a cue per word, the word being spoken underlined (karaoke style)
    highlight_words: bool = False

    def validated(self) -> "SubtitleOptions":
        for name in SubtitleSchema.model_fields:
            SubtitleSchema.check(name, getattr(self, name))
        return self


@dataclass
class Cue:
    start: float
    end: float
    #: the cue's words, and where its lines start (indexes into ``words``)
    words: list[Word]
    breaks: tuple[int, ...]
    #: the speaker's label before the first line ("[SPEAKER_00] ") of a diarized transcript's cues
    label: str = ""

    def lines(self, highlight: int | None = None) -> list[str]:
        """The cue's lines; ``highlight``: the index of a word to wrap in ``HIGHLIGHT``."""
        tokens = [w.word.strip() for w in self.words]
        if highlight is not None:
            tokens[highlight] = f"{HIGHLIGHT[0]}{tokens[highlight]}{HIGHLIGHT[1]}"
        edges = (*self.breaks, len(tokens))
        lines = [" ".join(tokens[a:b]) for a, b in zip(edges, edges[1:])]
        lines[0] = self.label + lines[0]
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines())


def segment_words(segment: Segment) -> list[Word]:
    """The segment's timed words, or its text's words with its time shared by their length."""
    if segment.words:
        return [w for w in segment.words if w.word.strip()]
    tokens = segment.text.split()
    if not tokens:
        return []
    span = max(segment.end - segment.start, 0.0)
    total = sum(len(t) + 1 for t in tokens)
    words, at = [], segment.start
    for token in tokens:
        step = span * (len(token) + 1) / total
        words.append(Word(round(at, 3), round(at + step, 3), " " + token, 1.0))
        at += step
    return words


def layout(tokens: list[str], widths: tuple[int, ...], max_words: int | None) -> tuple[int, ...] | None:
    """Where the lines of ``tokens`` start so that line i is at most ``widths[i]`` characters
    (and ``max_words`` words): as few lines as fit; of those, the longest line as short as it
    can be, a line that ends a clause counting ``CLAUSE_BREAK_BONUS`` characters shorter, and of
    equal layouts the one with the shorter top line. None: they do not fit."""
    n = len(tokens)
    lengths = [len(t) for t in tokens]

    def width(a: int, b: int) -> int:
        return sum(lengths[a:b]) + (b - a - 1)

    def layouts(start: int, line: int, count: int):
        """Every way to set tokens[start:] on lines ``line`` to ``count - 1``."""
        if line >= count:
            return
        room = sum(widths[line:count]) + (count - line - 1)
        if width(start, n) > room and n - start > count - line:
            return   # too much left for the lines left
        for end in range(start + 1, n + 1):
            if (width(start, end) > widths[line] and end > start + 1) or (max_words and end - start > max_words):
                break
            if end == n:
                yield (start,)
            else:
                for rest in layouts(end, line + 1, count):
                    yield (start, *rest)

    def cost(starts: tuple[int, ...]) -> tuple:
        edges = (*starts, n)
        lines = list(zip(edges, edges[1:]))
        clause_breaks = sum(tokens[b - 1].endswith(CLAUSE_ENDS + SENTENCE_ENDS) for _, b in lines[:-1])
        return (max(width(a, b) for a, b in lines) - CLAUSE_BREAK_BONUS * clause_breaks, width(*lines[0]))

    for count in range(1, len(widths) + 1):
        found = min(layouts(0, 0, count), key=cost, default=None)
        if found is not None:
            return found
    return None


def greedy_lines(tokens: list[str], widths: tuple[int, ...], max_words: int | None) -> tuple[int, ...] | None:
    """Line starts filling each line as far as it goes (the fewest lines); None: more lines
    than ``widths`` has."""
    starts, used, words = [0], -1, 0
    for index, token in enumerate(tokens):
        if index and (used + 1 + len(token) > widths[len(starts) - 1] or (max_words and words >= max_words)):
            if len(starts) == len(widths):
                return None
            starts.append(index)
            used, words = -1, 0
        used += 1 + len(token)
        words += 1
    return tuple(starts)


def _fits(words: list[Word], options: SubtitleOptions, widths: tuple[int, ...]) -> bool:
    if len(words) > 1 and words[-1].end - words[0].start > options.max_cue_seconds:
        return False
    return greedy_lines([w.word.strip() for w in words], widths, options.max_words_per_line) is not None


def _lines(words: list[Word], options: SubtitleOptions, widths: tuple[int, ...]) -> tuple[int, ...]:
    """The cue's line starts: balanced (``layout``) for the usual 1–3 lines, filled beyond."""
    tokens = [w.word.strip() for w in words]
    found = None
    if len(widths) <= BALANCED_MAX_LINES:
        found = layout(tokens, widths, options.max_words_per_line)
    return found or greedy_lines(tokens, widths, options.max_words_per_line) or (0,)


def segment_cues(segment: Segment, options: SubtitleOptions) -> list[Cue]:
    """One segment cut into cues within the limits (a single over-long word is a cue alone);
    a diarized segment's cues each name its speaker (a cue is read alone, after a seek)."""
    words = segment_words(segment)
    label = f"[{segment.speaker}] " if segment.speaker else ""
    cues: list[Cue] = []
    i = 0
    while i < len(words):
        # the first line of each cue also carries the speaker's label
        widths = tuple(options.max_line_width - (len(label) if line == 0 else 0)
                       for line in range(options.max_line_count))
        j = i + 1
        while (j < len(words) and not words[j - 1].word.strip().endswith(SENTENCE_ENDS)
               and _fits(words[i:j + 1], options, widths)):
            j += 1
        if j < len(words) and not words[j - 1].word.strip().endswith(SENTENCE_ENDS):
            # cut mid-sentence: after the last clause end if that keeps most of the cue
            for k in range(j - 1, i, -1):
                if words[k - 1].word.strip().endswith(CLAUSE_ENDS) and (k - i) >= CLAUSE_MIN_SHARE * (j - i):
                    j = k
                    break
        cues.append(Cue(words[i].start, words[j - 1].end, words[i:j], _lines(words[i:j], options, widths),
                        label))
        i = j
    return cues


def build_cues(segments: list[Segment], options: SubtitleOptions | None = None) -> list[Cue]:
    """Every segment's cues, in time order, never going back in time and never empty."""
    options = options or SubtitleOptions()
    cues: list[Cue] = []
    for segment in segments:
        cues.extend(segment_cues(segment, options))
    last = 0.0
    for cue in cues:
        cue.start = max(cue.start, last)
        cue.end = max(cue.end, cue.start + 0.001)
        last = cue.start
    return cues


def timed_texts(cue: Cue, highlight_words: bool) -> list[tuple[float, float, str]]:
    """(start, end, text) to write for a cue: the cue itself, or with ``highlight_words`` one
    per word with that word underlined (and the plain cue over pauses between words)."""
    if not highlight_words:
        return [(cue.start, cue.end, cue.text)]
    out: list[tuple[float, float, str]] = []
    at = cue.start
    for index, word in enumerate(cue.words):
        start = max(word.start, at)
        if start > at + 0.001:
            out.append((at, start, cue.text))
        end = max(word.end, start + 0.001)
        if index == len(cue.words) - 1:
            end = max(end, cue.end)
        out.append((start, end, "\n".join(cue.lines(index))))
        at = end
    return out
