"""PartiPrompts (google-research/parti, human-written, Apache-2.0) drawn by the compose engine.

    python bench/parti.py --part dev  --sheet /tmp/parti-dev.png      # the sample looked at while building
    python bench/parti.py --part held --sheet /tmp/parti-held.png     # looked at once, at the end
    python bench/parti.py --part all --json

The prompts are the everyday categories (animals, artifacts, people, outdoor and indoor scenes,
vehicles, food, produce and plants) of the challenges a scene composer should meet (basic,
simple detail, quantity, fine-grained detail, complex), shuffled with a fixed seed and split in
two halves: ``dev`` and ``held``. It reports, per part, the share of prompts with a concrete
noun that got no picture (the plan's ``unmatched``), the share where nothing was drawn, and
the draw time; whether a picture is *right* is judged by eye on the contact sheet (the
numbers in docs/benchmarks.md say who looked, at which part).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PROMPTS = ROOT / "data" / "parti" / "PartiPrompts.tsv"
CATEGORIES = {"Animals", "Artifacts", "People", "Outdoor Scenes", "Vehicles", "Food & Beverage",
              "Produce & Plants", "Indoor Scenes"}
CHALLENGES = {"Basic", "Simple Detail", "Quantity", "Fine-grained Detail", "Complex"}
SPLIT_SEED = 20261206


def prompts(part: str, n: int | None) -> list[dict]:
    with open(PROMPTS, encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t")
                if r["Category"] in CATEGORIES and r["Challenge"] in CHALLENGES]
    random.Random(SPLIT_SEED).shuffle(rows)
    half = len(rows) // 2
    chosen = {"dev": rows[:half], "held": rows[half:], "all": rows}[part]
    return chosen[:n] if n else chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("dev", "held", "all"), default="dev")
    parser.add_argument("--n", type=int, default=None, help="the first N prompts of the part")
    parser.add_argument("--sheet", type=Path, help="a contact sheet of 30 of them (PNG)")
    parser.add_argument("--sheet-start", type=int, default=0, help="the first prompt on the sheet")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from seespeech import imagine

    rows = prompts(args.part, args.n)
    imagine("a cat", seed=0)   # load once
    results, times = [], []
    for k, row in enumerate(rows):
        start = time.perf_counter()
        generation = imagine(row["Prompt"].strip(), seed=0, width=256, height=256)
        times.append(time.perf_counter() - start)
        plan = generation.plans[0]
        results.append({"prompt": row["Prompt"].strip(), "category": row["Category"],
                        "challenge": row["Challenge"], "mode": plan["mode"],
                        "drawn": [o["noun"] for o in plan["objects"]],
                        "unmatched": plan["unmatched"], "image": generation.images[0]})
        print(f"\r{k + 1}/{len(rows)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    n = len(results)
    unmatched = sum(bool(r["unmatched"]) for r in results)
    empty = sum(not r["drawn"] for r in results)
    times.sort()
    summary = {"part": args.part, "prompts": n, "with_unmatched_noun": unmatched, "nothing_drawn": empty,
               "median_ms": round(1000 * times[n // 2], 1), "p95_ms": round(1000 * times[int(n * 0.95)], 1)}
    if args.json:
        print(json.dumps({"summary": summary, "results": [{k: v for k, v in r.items() if k != "image"}
                                                          for r in results]}, indent=1))
    else:
        print(f"PartiPrompts ({args.part}): {n} prompts; a concrete noun with no picture in {unmatched} "
              f"({unmatched / n:.0%}); nothing drawn in {empty}; draw time median {summary['median_ms']} ms, "
              f"p95 {summary['p95_ms']} ms (256 px)")
        for r in results:
            if r["unmatched"]:
                print(f"  unmatched {r['unmatched']}: {r['prompt'][:90]}")
    if args.sheet:
        sheet(results[args.sheet_start:args.sheet_start + 30], args.sheet, args.sheet_start)


def sheet(results: list[dict], out: Path, start: int = 0) -> None:
    from sheet import INK, contact_sheet

    tiles = [(r["image"], [(line, INK) for line in textwrap.wrap(f"{start + i + 1}. {r['prompt']}", 42)[:4]])
             for i, r in enumerate(results)]
    contact_sheet(tiles, out, caption=58, font_size=11)
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
