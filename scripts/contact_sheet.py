"""Draw every test scene (tests/scenes.py) with the compose engine into one contact sheet.

    python scripts/contact_sheet.py [--seed 0] [--out docs/images/scenes.jpg]

A person looking at the sheet should recognise each scene from its caption.
"""

import argparse
import sys
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from scenes import SCENES  # noqa: E402

from seespeech import imagine  # noqa: E402
from seespeech.pictures.compose import label_font  # noqa: E402

TILE, CAPTION, COLUMNS = 256, 46, 6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "scenes.jpg")
    args = parser.parse_args()
    rows = (len(SCENES) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * TILE, rows * (TILE + CAPTION)), "white")
    draw = ImageDraw.Draw(sheet)
    font = label_font(11)
    for i, scene in enumerate(SCENES):
        picture = imagine(scene["text"], seed=args.seed, width=TILE, height=TILE).images[0]
        x, y = (i % COLUMNS) * TILE, (i // COLUMNS) * (TILE + CAPTION)
        sheet.paste(picture, (x, y))
        caption = "\n".join(textwrap.wrap(f"{i + 1}. {scene['text']}", 44)[:3])
        draw.multiline_text((x + 4, y + TILE + 3), caption, fill=(30, 30, 30), font=font, spacing=1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, quality=72, optimize=True)
    print(f"wrote {args.out} ({len(SCENES)} scenes, {args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
