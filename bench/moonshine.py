"""Moonshine vs Whisper, same run: WER on cathy_dev and seconds per clip, then 2-s and 10-s inputs.

    python bench/moonshine.py [--limit N] [--threads 0]

Every system through seespeech (its VAD, language en): moonshine tiny and base, Whisper tiny.en
and base (beam 5, seespeech's default). Seconds are per clip after one warm-up clip; the 2 s and
10 s inputs are the first clips joined and cut, median of 3.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SPEECH  # noqa: E402

import seespeech  # noqa: E402
from seespeech.audio import SAMPLE_RATE, load_audio  # noqa: E402
from seespeech.speech.evaluate import read_dataset, score  # noqa: E402

SYSTEMS = (("moonshine", "tiny"), ("moonshine", "base"), ("whisper", "tiny.en"), ("whisper", "base"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    clips = read_dataset(SPEECH / "cathy_dev")
    clips = clips[:args.limit] if args.limit else clips
    audio = [load_audio(c.path) for c in clips]
    joined = np.concatenate(audio[:6])
    print(f"{len(clips)} cathy_dev clips, {sum(a.size for a in audio) / SAMPLE_RATE:.0f} s")
    print(f"{'system':18} {'WER %':>6} {'s/clip':>7} {'2 s':>6} {'10 s':>6}")
    for engine, model in SYSTEMS:
        loaded = seespeech.load_engine(engine, model)
        options = seespeech.TranscribeOptions(language="en")
        loaded.transcribe(audio[0], options)   # warm-up
        start = time.perf_counter()
        texts = [loaded.transcribe(a, options).text for a in audio]
        per_clip = (time.perf_counter() - start) / len(audio)
        lengths = []
        for seconds in (2, 10):
            piece = joined[:seconds * SAMPLE_RATE]
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                loaded.transcribe(piece, seespeech.TranscribeOptions(language="en", vad=False))
                runs.append(time.perf_counter() - t)
            lengths.append(statistics.median(runs))
        wer = score([c.text for c in clips], texts).wer
        print(f"{engine + ':' + model:18} {100 * wer:6.2f} {per_clip:7.3f} {lengths[0]:6.3f} {lengths[1]:6.3f}",
              flush=True)


if __name__ == "__main__":
    main()
