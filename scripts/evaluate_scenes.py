"""Score the compose engine on the everyday requests of tests/everyday.py and draw them.

    python scripts/evaluate_scenes.py                 # table per kind + overall, misses listed
    python scripts/evaluate_scenes.py --sheet docs/images/everyday.jpg   # and a contact sheet
    python scripts/evaluate_scenes.py --json          # every case: fully right or what is wrong

"Fully right" is tests/everyday_check.py's verdict: every object drawn with a real asset in the
said number and visible, every relation holding on the plan's boxes, the said setting, time and
weather, nothing unmatched. The English text of the translated cases is drawn (the spoken path
is tested in tests/test_everyday.py when espeak-ng is there).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from everyday import ALL_CASES  # noqa: E402
from everyday_check import check  # noqa: E402
from everyday_holdout import HOLDOUT  # noqa: E402


def run(seed: int = 0, cases=None):
    from seespeech import imagine
    from seespeech.pictures.prompt import prompt_from_text

    results = []
    for case in cases or ALL_CASES:
        start = time.perf_counter()
        try:
            generation = imagine(prompt_from_text(case["text"]), seed=seed)
            plan, image = generation.plans[0], generation.images[0]
            problems = check(case, plan)
        except Exception as exc:  # a crash is a miss, and worth seeing
            plan, image, problems = {}, None, [f"crashed: {type(exc).__name__}: {exc}"]
        results.append({"id": case["id"], "kind": case["kind"], "text": case["text"], "problems": problems,
                        "ms": round((time.perf_counter() - start) * 1000, 1), "image": image})
    return results


def sheet(results, path: Path, columns: int = 6, side: int = 256) -> None:
    from PIL import Image, ImageDraw, ImageFont

    rows = (len(results) + columns - 1) // columns
    caption = 46
    canvas = Image.new("RGB", (columns * side, rows * (side + caption)), "white")
    draw = ImageDraw.Draw(canvas)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 11)
    except OSError:
        font = ImageFont.load_default()
    for k, r in enumerate(results):
        x, y = (k % columns) * side, (k // columns) * (side + caption)
        if r["image"] is not None:
            canvas.paste(r["image"].convert("RGB").resize((side, side)), (x, y))
        mark = "✓" if not r["problems"] else "✗"
        text = f"{mark} {r['text'][:80]}"
        draw.text((x + 4, y + side + 2), text[:44], fill="black", font=font)
        draw.text((x + 4, y + side + 15), text[44:88], fill="black", font=font)
        if r["problems"]:
            draw.text((x + 4, y + side + 28), r["problems"][0][:44], fill=(190, 30, 30), font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(path, quality=72, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sheet", type=Path, default=None, help="write a contact sheet (JPEG or PNG) here")
    parser.add_argument("--json", action="store_true", help="print every case's verdict as JSON")
    parser.add_argument("--holdout", action="store_true",
                        help="score tests/everyday_holdout.py instead (requests never used for tuning)")
    args = parser.parse_args()
    results = run(args.seed, HOLDOUT if args.holdout else None)
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k != "image"} for r in results], indent=2))
    else:
        by_kind = defaultdict(list)
        for r in results:
            by_kind[r["kind"]].append(not r["problems"])
        for kind, oks in by_kind.items():
            print(f"{kind:12s} {sum(oks):3d} / {len(oks):3d}")
        right = sum(not r["problems"] for r in results)
        print(f"{'all':12s} {right:3d} / {len(results):3d}  = {right / len(results):.1%} fully right; "
              f"median {sorted(r['ms'] for r in results)[len(results) // 2]:.0f} ms a picture")
        for r in results:
            if r["problems"]:
                print(f"  ✗ {r['id']}: {'; '.join(r['problems'][:4])}")
    if args.sheet:
        sheet(results, args.sheet)


if __name__ == "__main__":
    main()
