"""Write the training/validation split train-ctc would draw as two manifests.

    python scripts/ctc_split.py ../shared/speech/cathy_train --out data/cathy

train-ctc holds out 5 % of its data (seed 0) when no --val is given. When you add other data
(synthesised speech, a second copy to weight a set) the split would be drawn from all of it,
so write the split of the real set first and pass it as --data/--val: the packaged model's
769/40 split of cathy_train is rebuilt exactly this way.
"""

import argparse
import random
from pathlib import Path

from seespeech.speech.ctc import normalise_text
from seespeech.speech.ctc.data import read_source
from seespeech.speech.ctc.train import TrainOptions, hold_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a folder or manifest train-ctc reads")
    parser.add_argument("--out", type=Path, required=True, help="writes OUT/train.tsv and OUT/val.tsv")
    parser.add_argument("--seed", type=int, default=TrainOptions.seed)
    parser.add_argument("--fraction", type=float, default=TrainOptions.val_fraction)
    args = parser.parse_args()
    items = [u for u in read_source(args.source) if normalise_text(u.text)]
    _, val = hold_out(items, args.fraction, random.Random(args.seed))
    held = set(val)
    train = [u for u in items if u not in held]  # in the source's order
    args.out.mkdir(parents=True, exist_ok=True)
    for name, part in (("train", train), ("val", val)):
        # absolute paths: a manifest's relative paths are read relative to the manifest
        (args.out / f"{name}.tsv").write_text("".join(f"{u.path.resolve()}\t{u.text}\n" for u in part))
    print(f"{args.out}: {len(train)} training, {len(val)} validation utterances")


if __name__ == "__main__":
    main()
