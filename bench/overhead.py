"""Overhead: seespeech vs plain faster-whisper on the same clips, model and options.

    python bench/overhead.py [--models tiny.en base] [--clips 40] [--rounds 2]

Both run int8, beam 5, language en, all CPU threads, first with no VAD, then both with
Silero VAD (seespeech's default). Runs are interleaved and the best round of each is
kept, so a busy moment on the machine hits both alike. Target: wall ratio ≤ 1.05.
"""

import argparse
import os
import time

from faster_whisper import WhisperModel

import seespeech
from common import SPEECH
from seespeech.evaluate import read_dataset
from seespeech.models import resolve_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    clips = [c.path for c in read_dataset(SPEECH / "cathy_dev")[: args.clips]]
    for name in args.models:
        plain = WhisperModel(str(resolve_model(name)), device="cpu", compute_type="int8", cpu_threads=os.cpu_count())
        engine = seespeech.load_engine(model=name)
        for vad in (False, True):
            options = seespeech.TranscribeOptions(language="en", vad=vad)
            best_plain = best_ours = float("inf")
            for _ in range(args.rounds):
                t = time.perf_counter()
                for path in clips:
                    list(plain.transcribe(str(path), language="en", beam_size=5, vad_filter=vad)[0])
                best_plain = min(best_plain, time.perf_counter() - t)
                t = time.perf_counter()
                for path in clips:
                    engine.transcribe(path, options)
                best_ours = min(best_ours, time.perf_counter() - t)
            print(f"{name:8s} vad={str(vad):5s} {len(clips)} clips  plain {best_plain:6.2f} s  "
                  f"seespeech {best_ours:6.2f} s  wall ratio {best_ours / best_plain:.3f}  (target ≤ 1.05)", flush=True)


if __name__ == "__main__":
    main()
