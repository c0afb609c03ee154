"""Long form: a ~10-minute file of joined shared clips, plain sequential faster-whisper
against seespeech's sequential mode and its batched default, in the same run.

    python bench/longform.py [--minutes 10] [--models tiny.en base] [--batch-sizes 8 16]

Target: ≥ 2× faster than plain sequential faster-whisper at equal WER (±0.3 points).
"""

import argparse
import os
import time

from faster_whisper import WhisperModel

import seespeech
from common import long_file
from seespeech.evaluate import score
from seespeech.models import resolve_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[8])
    args = parser.parse_args()
    audio, reference, path = long_file(args.minutes)
    print(f"file: {audio.size / 16000 / 60:.1f} min of joined cathy clips")
    for name in args.models:
        plain = WhisperModel(str(resolve_model(name)), device="cpu", compute_type="int8", cpu_threads=os.cpu_count())
        t = time.perf_counter()
        text = "".join(s.text for s in plain.transcribe(str(path), language="en", beam_size=5)[0])
        plain_wall, plain_wer = time.perf_counter() - t, score([reference], [text]).wer
        print(f"{name:8s} plain sequential      WER {plain_wer:6.2%}  {plain_wall:6.1f} s", flush=True)
        runs = [("seespeech sequential", {"batch_size": 0})] + [
            (f"seespeech batch {b}" + (" (default)" if b == 8 else ""), {"batch_size": b}) for b in args.batch_sizes
        ]
        for label, extra in runs:
            t = time.perf_counter()
            result = seespeech.transcribe(path, model=name, language="en", **extra)
            wall, wer = time.perf_counter() - t, score([reference], [result.text]).wer
            print(f"{name:8s} {label:21s} WER {wer:6.2%}  {wall:6.1f} s  speed-up {plain_wall / wall:.2f}x  "
                  f"ΔWER {100 * (wer - plain_wer):+.2f} points", flush=True)


if __name__ == "__main__":
    main()
