"""WER and wall time: seespeech vs plain faster-whisper on the same weights, same run.

    python bench/accuracy.py [--models tiny.en base] [--dataset ../shared/speech/cathy_dev] [--limit N]

Plain faster-whisper runs with the options the README of ../shared/speech names:
int8, beam 5, language en, no VAD, all CPU threads. seespeech runs with its defaults
and language en.
"""

import argparse
import os
import time

from faster_whisper import WhisperModel

import seespeech
from seespeech.speech.evaluate import read_dataset, score
from seespeech.models import resolve_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    parser.add_argument("--dataset", default="../shared/speech/cathy_dev")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--no-vad", action="store_true", help="run seespeech without VAD too")
    args = parser.parse_args()
    clips = read_dataset(args.dataset)
    if args.limit:
        clips = clips[: args.limit]
    refs = [c.text for c in clips]
    for name in args.models:
        plain = WhisperModel(str(resolve_model(name)), device="cpu", compute_type="int8", cpu_threads=os.cpu_count())
        engine = seespeech.load_engine(model=name)
        t = time.perf_counter()
        plain_hyps = [
            "".join(s.text for s in plain.transcribe(str(c.path), language="en", beam_size=5)[0]).strip()
            for c in clips
        ]
        plain_wall = time.perf_counter() - t
        t = time.perf_counter()
        ours = [seespeech.transcribe(c.path, model=name, language="en", vad=not args.no_vad).text for c in clips]
        ours_wall = time.perf_counter() - t
        p, o = score(refs, plain_hyps), score(refs, ours)
        print(
            f"{name:8s} {len(clips)} clips  plain WER {p.wer:.2%} ({plain_wall:.1f} s)  "
            f"seespeech WER {o.wer:.2%} ({ours_wall:.1f} s)  wall ratio {ours_wall / plain_wall:.3f}"
        )
        for c, a, b in zip(clips, plain_hyps, ours):
            if a != b:
                print(f"   {c.path.name}: plain={a!r}\n   {' ' * len(c.path.name)}  ours ={b!r}")
        del engine


if __name__ == "__main__":
    main()
