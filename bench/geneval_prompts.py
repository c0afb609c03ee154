"""GenEval prompt suites (Ghosh et al. 2023, github.com/djghosh13/geneval), generated afresh.

    python bench/geneval_prompts.py --seed 7 [--n 100] [-o suite.jsonl]

Six tasks with GenEval's templates, its 80 COCO classes (bench/data/geneval/object_names.txt),
its ten colours and four positions, and its per-task numbers: every class once alone
(single_object), then ``n`` each of two_object, counting (2 to 4 things), colors, position and
color_attr, exact duplicates dropped. No class is given a colour when it is "person". Our own
code; it draws from a ``numpy.random.default_rng(seed)`` in the same order GenEval's
create_prompts.py does, so seed 43 gives back the 553 prompts GenEval published
(bench/data/geneval/evaluation_metadata.jsonl) and any other seed a suite nobody has looked at.

Each prompt is a dict (one JSON line): ``tag``, ``prompt``, ``include`` (``class``, ``count``,
optionally ``color``, and ``position``: [relation, index of the anchor in ``include``]) and,
for counting, ``exclude`` (that class ``count`` or more times is wrong).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "geneval"
CLASSES: list[str] = [line.strip() for line in (DATA / "object_names.txt").read_text().splitlines() if line.strip()]
COLOURS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white"]
POSITIONS = ["left of", "right of", "above", "below"]
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
TASKS = ["single_object", "two_object", "counting", "colors", "position", "color_attr"]
PUBLISHED_SEED = 43


def article(name: str) -> str:
    """'a bench', 'an apple' (GenEval's rule: a vowel letter takes 'an')."""
    return ("an " if name[0] in "aeiou" else "a ") + name


def plural(name: str) -> str:
    """GenEval's naive plural: 'bus' → 'buses', 'skis' → 'skises', 'knife' → 'knifes'."""
    return name + ("es" if name.endswith("s") else "s")


def _pick(rng: np.random.Generator, k: int, size: int | None = None):
    return rng.choice(k, size=size, replace=False) if size is not None else rng.choice(k)


def _not_person(rng: np.random.Generator, size: int | None = None) -> list[int]:
    """Class indices drawn from every class but "person" (an offset from it, as GenEval does)."""
    start = CLASSES.index("person")
    drawn = _pick(rng, len(CLASSES) - 1, size)
    return [(int(i) + 1 + start) % len(CLASSES) for i in np.atleast_1d(drawn)]


def single_objects(rng: np.random.Generator) -> list[dict]:
    order = _pick(rng, len(CLASSES), len(CLASSES))
    return [{"tag": "single_object", "include": [{"class": CLASSES[i], "count": 1}],
             "prompt": f"a photo of {article(CLASSES[i])}"} for i in order]


def two_objects(rng: np.random.Generator) -> dict:
    a, b = (CLASSES[int(i)] for i in _pick(rng, len(CLASSES), 2))
    return {"tag": "two_object", "include": [{"class": a, "count": 1}, {"class": b, "count": 1}],
            "prompt": f"a photo of {article(a)} and {article(b)}"}


def counting(rng: np.random.Generator, most: int = 4) -> dict:
    name = CLASSES[int(rng.choice(len(CLASSES)))]
    n = int(rng.integers(2, most, endpoint=True))
    return {"tag": "counting", "include": [{"class": name, "count": n}], "exclude": [{"class": name, "count": n + 1}],
            "prompt": f"a photo of {NUMBER_WORDS[n]} {plural(name)}"}


def colour(rng: np.random.Generator) -> dict:
    name = CLASSES[_not_person(rng)[0]]
    shade = COLOURS[int(rng.choice(len(COLOURS)))]
    return {"tag": "colors", "include": [{"class": name, "count": 1, "color": shade}],
            "prompt": f"a photo of {article(shade)} {name}"}


def position(rng: np.random.Generator) -> dict:
    subject, anchor = (CLASSES[int(i)] for i in _pick(rng, len(CLASSES), 2))
    where = POSITIONS[int(rng.choice(len(POSITIONS)))]
    return {"tag": "position",
            "include": [{"class": anchor, "count": 1}, {"class": subject, "count": 1, "position": [where, 0]}],
            "prompt": f"a photo of {article(subject)} {where} {article(anchor)}"}


def colour_attribution(rng: np.random.Generator) -> dict:
    a, b = (CLASSES[i] for i in _not_person(rng, 2))
    ca, cb = (COLOURS[int(i)] for i in _pick(rng, len(COLOURS), 2))
    return {"tag": "color_attr",
            "include": [{"class": a, "count": 1, "color": ca}, {"class": b, "count": 1, "color": cb}],
            "prompt": f"a photo of {article(ca)} {a} and {article(cb)} {b}"}


def suite(seed: int = PUBLISHED_SEED, n: int = 100) -> list[dict]:
    """A whole suite: every class alone, then ``n`` prompts of each other task; duplicates dropped."""
    rng = np.random.default_rng(seed)
    prompts = single_objects(rng)
    for make in (two_objects, counting, colour, position, colour_attribution):
        prompts += [make(rng) for _ in range(n)]
    seen, kept = set(), []
    for p in prompts:
        key = json.dumps(p, sort_keys=True)
        if key not in seen:
            seen.add(key)
            kept.append(p)
    return kept


def published() -> list[dict]:
    """The 553 prompts GenEval published (its seed 43)."""
    lines = (DATA / "evaluation_metadata.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=PUBLISHED_SEED)
    parser.add_argument("--n", type=int, default=100, help="prompts per task after single_object (default 100)")
    parser.add_argument("-o", "--output", type=Path, help="write JSONL here (default: stdout)")
    args = parser.parse_args()
    text = "".join(json.dumps(p) + "\n" for p in suite(args.seed, args.n))
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
