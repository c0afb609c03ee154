"""Accuracy of our CTC model on the shared sets, with each decoder.

    python bench/ctc_accuracy.py [--ctc-model cathy|DIR] [--sets cathy_dev formats digits] [--decoders greedy lm]
    python bench/ctc_accuracy.py --ctc-model my-model --sets data/cathy/val.tsv   # any set train-ctc reads

Prints WER/CER per set for the greedy and the word language model (lm) decoders, and for digits
how many clips came out exactly right. docs/ctc.md has the latest numbers; Whisper's are in
docs/benchmarks.md (bench/accuracy.py).
"""

import argparse
import time

from common import SPEECH
from seespeech.speech.ctc.data import read_source
from seespeech.speech.evaluate import score
from seespeech.speech import TranscribeOptions
from seespeech.speech.engines.ctc import CTCEngine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ctc-model", default="cathy")
    parser.add_argument("--sets", nargs="+", default=["cathy_dev", "formats", "digits"],
                        help="names under ../shared/speech, or folders/manifests as train-ctc reads them")
    parser.add_argument("--decoders", nargs="+", default=["greedy", "lm"], choices=["greedy", "beam", "lm"])
    args = parser.parse_args()
    for decoder in args.decoders:
        engine = CTCEngine(args.ctc_model, decoder=decoder)
        for name in args.sets:
            clips = read_source(SPEECH / name if (SPEECH / name).is_dir() else name)
            start = time.perf_counter()
            texts = [engine.transcribe(c.path, TranscribeOptions()).text for c in clips]
            scores = score([c.text for c in clips], texts)
            exact = sum(t.strip().lower().strip(".") == c.text.strip().lower().strip(".") for c, t in zip(clips, texts))
            print(f"{decoder:6} {name:10} {len(clips):4} clips  WER {scores.wer:7.2%}  CER {scores.cer:7.2%}  "
                  f"exact {exact}/{len(clips)}  {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
