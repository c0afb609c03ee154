"""Things drawn for seespeech as SVG files (data/drawings/): the COCO things OpenMoji has no
good picture of (a fire hydrant, a toaster, a refrigerator…) and a few everyday ones.

``data/drawings/index.tsv`` has a row a drawing: name, other words for it, category, height
in metres, where it rests, which way it faces, and (optionally) the surfaces things rest on as
JSON fractions of the picture's box (``{"top": [y, x0, x1]}``, y down). The lexicon loads the
rows as entries with the picture ``svg:<name>``; the file is ``<name>.svg`` with spaces as ``_``.

Recolouring ("a blue refrigerator"): each drawing marks the fills of the part whose colour a
person would name with ``class="main"``, its shading with ``main-dark`` and ``main-light``.
``render`` rewrites those fills (or, on an element with ``fill="none"``, its stroke: a
highlight line) to the asked colour and its shades; glass, metal, screens and the black
outlines keep theirs.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DRAWINGS_DIR = Path(__file__).resolve().parents[1] / "data" / "drawings"
INDEX = DRAWINGS_DIR / "index.tsv"
RESTS = ("ground", "table", "held", "wall")
FACINGS = ("left", "right", "front")


@dataclass(frozen=True)
class Drawing:
    """One row of the index."""

    name: str
    synonyms: tuple[str, ...]
    category: str
    height: float                    # metres
    rests: str                       # ground | table | held | wall
    facing: str = "front"            # left | right | front
    surfaces: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def path(self) -> Path:
        return DRAWINGS_DIR / f"{self.name.replace(' ', '_')}.svg"


@lru_cache(maxsize=1)
def index() -> dict[str, Drawing]:
    """The drawings by name, in the order of the index."""
    found: dict[str, Drawing] = {}
    if not INDEX.is_file():
        return found
    for number, line in enumerate(INDEX.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 6:
            raise ValueError(f"{INDEX}:{number}: expected 6 or 7 tab-separated columns, got {len(cells)}")
        name, synonyms, category, height, rests, facing = (c.strip() for c in cells[:6])
        surfaces_json = cells[6].strip() if len(cells) > 6 else ""
        surfaces = {k: tuple(v) for k, v in json.loads(surfaces_json).items()} if surfaces_json else {}
        if rests not in RESTS or facing not in FACINGS:
            raise ValueError(f"{INDEX}:{number}: rests {rests!r} / facing {facing!r}")
        words = tuple(s.strip() for s in synonyms.split(",") if s.strip())
        found[name] = Drawing(name, words, category, float(height), rests, facing, surfaces)
    return found


def names() -> list[str]:
    return list(index())


def entry(name: str) -> Drawing | None:
    return index().get(name)


@lru_cache(maxsize=64)
def svg_text(name: str) -> str:
    drawing = entry(name)
    if drawing is None:
        raise KeyError(f"no drawing called {name!r}")
    return drawing.path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- recolouring


def _mix(rgb: tuple[int, int, int], to: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    return tuple(int(round(c + (t - c) * share)) for c, t in zip(rgb, to))


def shades(rgb: tuple[int, int, int]) -> dict[str, tuple[int, int, int]]:
    """The fills for ``main``, ``main-dark`` and ``main-light`` of an asked colour. Black is a
    dark grey (the black outlines must still show), white a white with grey shading."""
    rgb = tuple(int(c) for c in rgb[:3])
    lum = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    greyish = max(rgb) - min(rgb) < 25
    black, white = (0, 0, 0), (255, 255, 255)
    if greyish and lum < 80:            # black: dark grey, darker and lighter greys
        return {"main": (62, 63, 67), "main-dark": (40, 41, 44), "main-light": (98, 100, 105)}
    if greyish and lum > 215:           # white
        return {"main": (244, 244, 242), "main-dark": (204, 206, 208), "main-light": (255, 255, 255)}
    if lum < 60:                        # a very dark colour: lift it a little so it reads
        rgb = _mix(rgb, white, 0.15)
    # the dark shade lowers the value by a fifth only: a third darker turned orange brown
    # (a dark orange *is* brown to the eye) and the thing no longer read as the colour said
    return {"main": rgb, "main-dark": _mix(rgb, black, 0.2), "main-light": _mix(rgb, white, 0.42)}


_CLASSED = re.compile(r'<[A-Za-z][\w:-]*\b[^>]*?\bclass="(main|main-dark|main-light)"[^>]*>')
_FILL = re.compile(r'\bfill="[^"]*"')
_STROKE = re.compile(r'\bstroke="[^"]*"')


def recolour(svg: str, rgb: tuple[int, int, int]) -> str:
    """The SVG with its ``main``/``main-dark``/``main-light`` parts in ``rgb`` and its shades."""
    fills = {k: "#%02X%02X%02X" % v for k, v in shades(rgb).items()}

    def swap(match: re.Match) -> str:
        tag, colour = match.group(0), fills[match.group(1)]
        if 'fill="none"' in tag:   # a line drawn in the part's colour (a highlight): its stroke
            return _STROKE.sub(f'stroke="{colour}"', tag, count=1)
        if _FILL.search(tag):
            return _FILL.sub(f'fill="{colour}"', tag, count=1)
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end]} fill="{colour}"{tag[end:]}'

    return _CLASSED.sub(swap, svg)


# ---------------------------------------------------------------- rasterising


def _rasterise(svg: str, width: int, height: int):
    """RGBA image of the SVG fitted in width x height, cropped to its visible pixels."""
    import resvg_py
    from PIL import Image

    png = resvg_py.svg_to_bytes(svg_string=svg, width=max(1, width), height=max(1, height))
    image = Image.open(io.BytesIO(bytes(png))).convert("RGBA")
    box = image.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    return image.crop(box) if box else image


@lru_cache(maxsize=96)
def _rendered(name: str, width: int, height: int, colour: tuple[int, int, int] | None):
    from PIL import Image

    svg = svg_text(name) if colour is None else recolour(svg_text(name), colour)
    image = _rasterise(svg, width, height)
    if image.size != (width, height):
        image = image.resize((width, height), Image.LANCZOS)
    return image


def render(name: str, width: int, height: int, colour: tuple[int, int, int] | None = None):
    """The drawing at exactly width x height (PIL RGBA), in ``colour`` when one is asked."""
    width, height = max(1, int(round(width))), max(1, int(round(height)))
    key = tuple(int(c) for c in colour[:3]) if colour else None
    return _rendered(name, width, height, key).copy()


@lru_cache(maxsize=128)
def aspect(name: str) -> float:
    """Width / height of what the drawing shows (its visible pixels)."""
    image = _rasterise(svg_text(name), 512, 512)
    return image.width / max(1, image.height)
