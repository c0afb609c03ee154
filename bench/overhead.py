"""Overhead: seespeech vs plain faster-whisper on the same clips, model and options.

    python bench/overhead.py [--models tiny.en base] [--clips 40] [--rounds 2]

Both run int8, beam 5, language en, all CPU threads, first with no VAD, then both with
Silero VAD (seespeech's default). Each clip runs plain then seespeech, back to back, in
every round; the best round per clip is kept. Target: wall ratio ≤ 1.05.
"""

import argparse
import os
import time

from faster_whisper import WhisperModel

import seespeech
from common import SPEECH
from seespeech.speech.evaluate import read_dataset
from seespeech.models import resolve_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    clips = [c.path for c in read_dataset(SPEECH / "cathy_dev")[: args.clips]]
    for name in args.models:
        plain = WhisperModel(str(resolve_model(name)), device="cpu", compute_type="int8", cpu_threads=os.cpu_count())
        engine = seespeech.load_engine(model=name)
        for vad in (False, True):
            options = seespeech.TranscribeOptions(language="en", vad=vad)
            # clip by clip, plain and ours back to back, best of N rounds per clip: a busy moment
            # on a shared machine then costs both sides alike instead of one whole run
            plain_times = [float("inf")] * len(clips)
            our_times = [float("inf")] * len(clips)
            for _ in range(args.rounds):
                for i, path in enumerate(clips):
                    t = time.perf_counter()
                    list(plain.transcribe(str(path), language="en", beam_size=5, vad_filter=vad)[0])
                    plain_times[i] = min(plain_times[i], time.perf_counter() - t)
                    t = time.perf_counter()
                    engine.transcribe(path, options)
                    our_times[i] = min(our_times[i], time.perf_counter() - t)
            best_plain, best_ours = sum(plain_times), sum(our_times)
            print(f"{name:8s} vad={str(vad):5s} {len(clips)} clips  plain {best_plain:6.2f} s  "
                  f"seespeech {best_ours:6.2f} s  wall ratio {best_ours / best_plain:.3f}  (target ≤ 1.05)", flush=True)


if __name__ == "__main__":
    main()
