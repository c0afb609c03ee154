"""Remove what Whisper writes that nobody said.

Three kinds of text are removed (unless the user keeps markers):

* non-speech markers: ``[BLANK_AUDIO]``, ``[ Silence ]``, ``(music)``, ``(laughs)``,
  ``*sighs*``, ``♪``;
* repetition loops: the same words over and over inside a segment, or the same
  segment again and again;
* outros Whisper invents on silence or noise ("Thanks for watching!", "You"), but only
  where the audio under them holds no speech, so a real "thank you" stays.

Decode-time suppression (``suppressed_marker_tokens``) keeps most markers from being
generated at all; the filter here catches the rest.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from seespeech.transcript import Segment

# a bracketed or starred aside of at most six words, or any run of music notes
MARKER_RE = re.compile(
    r"\[[^\[\]]{0,60}\]|\([^()]{0,60}\)|\*[^*\n]{1,40}\*|[♩♪♫♬🎵🎶]+"
)
MARKER_PREFIXES = ("[", "(", "♪", "♫", "♬", "♩", "*")

# outros and fillers Whisper emits on silence, noise and hum (normalised forms)
OUTRO_PHRASES = frozenset(
    {
        "you", "thank you", "thanks", "thank you very much", "thank you so much",
        "thanks for watching", "thank you for watching", "thanks for watching bye",
        "thank you for watching bye", "please subscribe", "like and subscribe",
        "dont forget to like and subscribe", "subscribe to my channel", "bye", "bye bye",
        "see you next time", "see you in the next video", "ill see you in the next video",
        "subtitles by the amaraorg community", "subtitles by the amara org community",
        "transcription by castingwords", "so", "oh", "uh", "um", "hmm", "okay",
        "music", "applause", "silence", "the end",
    }
)
_NORMALISE_RE = re.compile(r"[^\w\s]")
MIN_LOOP_REPEATS = 3


def normalise_phrase(text: str) -> str:
    return " ".join(_NORMALISE_RE.sub("", text.lower()).split())


def strip_markers(text: str) -> str:
    """Remove non-speech markers; keep the spacing of what remains natural."""
    stripped = MARKER_RE.sub(" ", text)
    stripped = re.sub(r"\s+([,.!?;:])", r"\1", stripped)
    stripped = re.sub(r"\s{2,}", " ", stripped)
    if not stripped.strip(" .,!?;:-–—"):
        return ""
    lead = " " if text.startswith(" ") else ""
    return lead + stripped.strip()


def collapse_loops(text: str, min_repeats: int = MIN_LOOP_REPEATS) -> str:
    """Collapse a phrase of 1–8 words repeated ``min_repeats`` or more times in a row."""
    words = text.split()
    keys = [w.lower().strip(",.!?;:") for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        step = 0
        for size in range(1, min(8, len(words) - i) + 1):
            unit = keys[i:i + size]
            count = 1
            while keys[i + count * size:i + (count + 1) * size] == unit:
                count += 1
            if count >= min_repeats and size * count >= 3:
                step = size * count
                out.extend(words[i:i + size])
                break
        if not step:
            out.append(words[i])
            step = 1
        i += step
    if len(out) == len(words):
        return text
    lead = " " if text.startswith(" ") else ""
    return lead + " ".join(out)


def clean_stream(
    segments: Iterable[Segment],
    has_speech: Callable[[float, float], bool] | None = None,
) -> Iterator[Segment]:
    """Apply the three filters to segments as they come (each is judged by what came before
    it, never by what follows, so a stream stays a stream); ``has_speech(start, end)`` checks
    the audio.

    Without ``has_speech``, an outro is dropped only when the decoder itself doubted
    it (high no-speech probability or low log-probability).
    """
    last: Segment | None = None
    repeats = 0
    for seg in segments:
        text = collapse_loops(strip_markers(seg.text))
        if not text.strip():
            continue
        doubtful = seg.no_speech_prob > 0.3 or seg.avg_logprob < -0.8
        outro = normalise_phrase(text) in OUTRO_PHRASES
        # the audio is checked (Silero VAD) only where its answer can drop the segment
        if (outro or doubtful or (seg.temperature or 0) > 0) and has_speech is not None:
            silent = not has_speech(seg.start, seg.end)
        else:
            silent = False
        if outro and (doubtful or silent):
            continue
        # text invented over noise: no speech under it, and the decoder needed its random
        # temperature fallback (or doubted itself) to produce anything
        if silent and (doubtful or (seg.temperature or 0) > 0):
            continue
        if last is not None and normalise_phrase(last.text) == normalise_phrase(text):
            repeats += 1
            if repeats >= MIN_LOOP_REPEATS - 1:
                continue
        else:
            repeats = 0
        if seg.words and text != seg.text:
            seg.words = [w for w in seg.words if strip_markers(w.word).strip()]
        seg.text = text
        last = seg
        yield seg


def clean_segments(
    segments: Iterable[Segment],
    has_speech: Callable[[float, float], bool] | None = None,
) -> list[Segment]:
    """``clean_stream`` as a list, numbered from 0."""
    kept = list(clean_stream(segments, has_speech))
    for index, seg in enumerate(kept):
        seg.id = index
    return kept


def join_text(segments: Iterable[Segment]) -> str:
    return "".join(s.text for s in segments).strip()
