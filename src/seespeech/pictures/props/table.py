"""The table of props: each one's real size, drawing aspect, surfaces and ink frame, and the
lookup from a word (or its plural, or a synonym) to a prop."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from seespeech.pictures.canvas import (
    BLUE, BROWN, DARK_GREEN, DARK_GREY, DARK_ORANGE, DARK_RED, GOLD, GREY, LIGHT_BLUE, LIGHT_WOOD, RED, RGB,
    WOOD,
)

from seespeech.pictures.props.pen import _Pen
from seespeech.pictures.props.outdoors import (
    _barn, _bench, _branch, _bridge, _bus_stop, _bush, _campfire, _cart, _fence, _hammock, _iceberg, _ladder,
    _lamp_post, _mailbox, _picnic_blanket, _rowboat, _sandbox, _scarecrow, _ship, _signpost, _sled, _slide,
    _swing, _well, _wheelbarrow,
)
from seespeech.pictures.props.indoors import (
    _aquarium, _birdcage, _blackboard, _bookshelf, _cage, _crib, _desk, _fireplace, _hospital_bed, _open_box,
    _shop, _sofa, _stove, _table,
)


@dataclass(frozen=True)
class PropInfo:
    """What the composer needs to know about one drawn prop."""

    name: str
    synonyms: tuple[str, ...]
    height_m: float  # real-world height of the thing
    width_m: float  # real-world width as drawn (side or front view)
    aspect: float  # width / height of the drawing
    surfaces: dict[str, tuple[float, float, float, float]]  # fractions of the drawing's box
    front_layer: bool  # a front part drawn over whatever is inside


@dataclass(frozen=True)
class _Spec:
    draw: Callable[[_Pen, RGB, str | None], None]
    colour: RGB
    a: float  # the width of the drawing units (their height is 1)
    tiles: bool = False  # drawn at the requested aspect (more pickets), not stretched
    frame: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # the ink's extent, in drawing units

_SPECS: dict[str, _Spec] = {}


#: the props whose picture box is where their ink really lies (outlines excluded): feet on
#: the box's bottom edge, nothing but the prop inside. Measured from the drawing (``_ink_frame``).
TIGHT = ("crib", "bench", "blackboard", "hospital bed", "bridge", "cart", "barn", "swing", "slide", "sandbox",
         "mailbox", "wheelbarrow", "scarecrow", "sled", "campfire", "fireplace", "birdcage", "hammock",
         "picnic blanket", "lamp post", "bus stop", "sofa")
#: the drawing height the ink is measured at (drawing units are accurate to about 0.002)
_MEASURE_PX = 400


def _ink_frame(draw, colour: RGB, a: float) -> tuple[float, float, float, float]:
    """Where a drawing's ink lies in drawing units, its outlines excluded: the drawing made on
    its whole area, the union of its layers' alpha boxes, half an outline taken off each side."""
    import numpy as np

    pen = _Pen(round(a * _MEASURE_PX), _MEASURE_PX, a, (0.0, 0.0, a, 1.0))
    draw(pen, colour, None)
    alpha = np.maximum.reduce([np.asarray(image.getchannel("A")) for image in pen.images.values()])
    rows, cols = np.nonzero(alpha)
    half = pen.lw / 2
    x0, x1 = (cols.min() + half - pen.ox) / pen.sx, (cols.max() + 1 - half - pen.ox) / pen.sx
    y0, y1 = (rows.min() + half - pen.oy) / pen.sy, (rows.max() + 1 - half - pen.oy) / pen.sy
    return tuple(round(float(v), 3) for v in (max(0.0, x0), max(0.0, y0), min(a, x1), min(1.0, y1)))


_FRAMES: dict[str, tuple[float, float, float, float]] = {}


@lru_cache(maxsize=1)
def _frames_path():
    """Where the measured frames are kept: the cache folder, one file per version of the drawers."""
    import hashlib
    from pathlib import Path

    from seespeech.models import cache_dir

    here = Path(__file__).parent
    version = hashlib.sha256(b"".join((here / f).read_bytes()
                                      for f in ("pen.py", "outdoors.py", "indoors.py", "table.py"))).hexdigest()
    return cache_dir() / "props" / f"frames-{version[:16]}.json"


def _frame(name: str, draw, colour: RGB, a: float) -> tuple[float, float, float, float]:
    """A tight prop's ink frame: measured once per version of the drawers (all of them take
    about half a second) and kept in the cache folder."""
    import json

    from seespeech.files import write_atomic

    if not _FRAMES:
        try:
            _FRAMES.update({k: tuple(v) for k, v in json.loads(_frames_path().read_text()).items()})
        except (OSError, ValueError):
            pass
    if name not in _FRAMES:
        _FRAMES[name] = _ink_frame(draw, colour, a)
        if set(TIGHT) <= set(_FRAMES):   # all measured: kept for the next process
            try:
                _frames_path().parent.mkdir(parents=True, exist_ok=True)
                write_atomic(_frames_path(), json.dumps(_FRAMES))
            except OSError:   # a read-only cache: measured again next time
                pass
    return _FRAMES[name]


def _prop(name: str, synonyms: str, height_m: float, width_m: float, draw, colour: RGB, *,
          frame: tuple[float, float, float, float] | None = None, front: bool = False, tiles: bool = False,
          **surfaces: tuple) -> PropInfo:
    """Register a prop drawn in units ``a = width_m / height_m`` wide and 1 high.

    ``frame`` is the part of that drawing area the ink really covers (so the picture's box is
    tight: feet on its bottom edge); the real width is then ``height_m`` times the frame's
    aspect. Surfaces are given in drawing units, like the drawing.
    """
    a = round(width_m / height_m, 4)
    if frame is None and name in TIGHT:
        frame = _frame(name, draw, colour, a)
    fx0, fy0, fx1, fy1 = frame or (0.0, 0.0, a, 1.0)
    aspect = round((fx1 - fx0) / (fy1 - fy0), 4)

    def fx(x: float) -> float:
        return round(min(1.0, max(0.0, (x - fx0) / (fx1 - fx0))), 4)

    def fy(y: float) -> float:
        return round(min(1.0, max(0.0, (y - fy0) / (fy1 - fy0))), 4)

    fractions = {}
    for key, box in surfaces.items():
        if len(box) == 3:  # a line: (x0, y, x1)
            box = (box[0], box[1], box[2], box[1])
        x0, y0, x1, y1 = box
        fractions[key] = (fx(x0), fy(y0), fx(x1), fy(y1))
    width_m = round(height_m * aspect, 3)
    info = PropInfo(name, tuple(s.strip() for s in synonyms.split(",") if s.strip()), height_m, width_m,
                    aspect, fractions, front)
    _SPECS[name] = _Spec(draw, colour, a, tiles, (fx0, fy0, fx1, fy1))
    return info


def _build() -> dict[str, PropInfo]:
    a = {}  # aspects, for surfaces near the right edge

    def add(info: PropInfo) -> None:
        a[info.name] = info.aspect
        props[info.name] = info

    props: dict[str, PropInfo] = {}
    add(_prop("crib", "cot, cradle, baby bed, babybed, crib bed", 1.0, 1.3, _crib, LIGHT_WOOD, front=True,
              interior=(0.1, 0.2, 1.2, 0.46), top=(0.1, 0.46, 1.2)))
    add(_prop("bench", "park bench, garden bench, wooden bench, bench seat", 0.85, 1.6, _bench, WOOD,
              seat=(0.1, 0.5, 1.78), top=(0.1, 0.5, 1.78)))
    add(_prop("blackboard", "chalkboard, chalk board, black board, school board", 1.2, 1.8, _blackboard,
              (38, 92, 66), interior=(0.07, 0.07, 1.43, 0.83), top=(0.05, 0.86, 1.45)))
    add(_prop("hospital bed", "hospital beds, sickbed, sick bed, patient bed, hospital cot", 1.05, 2.1,
              _hospital_bed, LIGHT_BLUE, front=True, top=(0.62, 0.52, 1.83), interior=(0.18, 0.2, 1.83, 0.52)))
    add(_prop("bridge", "footbridge, foot bridge, wooden bridge, arched bridge, little bridge, small bridge",
              2.8, 8.4, _bridge, WOOD, front=True, deck=(0.75, 0.405, 2.25), top=(0.75, 0.405, 2.25)))
    add(_prop("cart", "wagon, waggon, horse cart, horse-drawn cart, hay cart, hay wagon, farm cart, "
              "oxcart, ox cart, handcart", 1.5, 3.0, _cart, WOOD, front=True,
              interior=(0.66, 0.22, 1.96, 0.44), top=(0.66, 0.44, 1.96)))
    add(_prop("fence", "fences, picket fence, garden fence, fencing, paling", 1.0, 3.0, _fence, (250, 248, 240),
              tiles=True, top=(0.0, 0.04, 3.0)))
    add(_prop("ladder", "ladders, stepladder, step ladder", 3.0, 0.55, _ladder, LIGHT_WOOD,
              top=(0.0, 0.47, 0.1833)))
    add(_prop("table", "kitchen table, dining table, wooden table, tables", 0.75, 1.4, _table, WOOD,
              top=(0.07, 0.04, 1.8)))
    add(_prop("desk", "school desk, writing desk, office desk, desks", 0.76, 1.2, _desk, BROWN,
              top=(0.07, 0.04, 1.51)))
    add(_prop("stove", "oven, cooker, kitchen stove, cookstove, cook stove, range cooker, stoves, ovens", 1.05, 0.76,
              _stove, (244, 244, 240), top=(0.0, 0.19, 0.7238)))
    add(_prop("shop", "store, shop front, shopfront, storefront, store front, bakery, bakeshop, bakehouse, "
              "grocery, grocery store, grocer, toy shop, toyshop, toy store, bookshop, bookstore, flower shop, "
              "florist, sweet shop, candy store, corner shop, boutique", 5.0, 6.0, _shop, RED,
              door=(0.78, 0.56, 1.1, 1.0), window=(0.05, 0.55, 0.71, 0.93)))
    add(_prop("barn", "red barn, barns, cowshed, cow shed, stable", 7.0, 8.0, _barn, DARK_RED,
              door=(0.2914, 0.56, 0.8514, 1.0)))
    add(_prop("swing", "swings, swing set, swingset, playground swing", 2.2, 2.4, _swing, BLUE, front=True,
              seat=(0.2955, 0.71, 0.7955), top=(0.2955, 0.71, 0.7955), interior=(0.2955, 0.3, 0.7955, 0.71)))
    add(_prop("slide", "slides, playground slide, children's slide, sliding board, slippery dip", 2.2, 3.2,
              _slide, RED, top=(0.26, 0.19, 0.5)))
    add(_prop("sandbox", "sandpit, sand pit, sand box, sandboxes", 0.6, 1.8, _sandbox, WOOD, front=True,
              interior=(0.1, 0.06, 2.9, 0.6), top=(0.2, 0.5, 2.8)))
    add(_prop("mailbox", "mail box, letterbox, letter box, mailboxes", 1.3, 0.6, _mailbox, BLUE,
              top=(0.0, 0.1, 0.4)))
    add(_prop("well", "wishing well, water well, wells", 2.2, 1.6, _well, DARK_RED, top=(0.03, 0.56, 0.697)))
    add(_prop("wheelbarrow", "wheel barrow, barrow, wheelbarrows", 0.7, 1.5, _wheelbarrow, DARK_GREEN, front=True,
              interior=(0.38, 0.15, 1.66, 0.4), top=(0.5, 0.4, 1.5)))
    add(_prop("signpost", "sign post, signposts, fingerpost, finger post, guidepost, guide post, direction sign",
              2.4, 1.4, _signpost, LIGHT_WOOD))
    add(_prop("scarecrow", "scarecrows, scare crow", 1.9, 1.4, _scarecrow, DARK_RED))
    add(_prop("sled", "sledge, snow sled, toboggan, sleds, sledges", 0.35, 0.9333, _sled, WOOD,
              seat=(0.32, 0.24, 2.56), top=(0.32, 0.24, 2.56)))
    add(_prop("campfire", "camp fire, bonfire, fire pit, firepit, campfires", 0.8, 1.0, _campfire, BROWN))
    add(_prop("bookshelf", "bookcase, book shelf, book case, bookshelves, shelves, shelf, library shelf",
              1.8, 1.0, _bookshelf, BROWN, top=(0.0, 0.0, 0.5556)))
    add(_prop("fireplace", "fire place, hearth, fireplaces, mantelpiece, mantel, chimney piece", 1.3, 1.5,
              _fireplace, (190, 84, 58), top=(0.0, 0.02, 1.1538), interior=(0.3, 0.42, 0.8538, 0.95)))
    add(_prop("aquarium", "fish tank, fishtank, aquariums, aquaria", 0.6, 1.0, _aquarium, DARK_GREY, front=True,
              interior=(0.04, 0.17, 1.6267, 0.8), top=(0.0, 0.0, 1.6667)))
    add(_prop("cage", "cages, animal cage, pet cage, zoo cage", 1.2, 1.3, _cage, GREY, front=True,
              interior=(0.06, 0.08, 1.0233, 0.88), top=(0.0, 0.0, 1.0833)))
    add(_prop("birdcage", "bird cage, birdcages, bird cages", 0.7, 0.5, _birdcage, GOLD, front=True,
              interior=(0.08, 0.3, 0.634, 0.86), top=(0.1, 0.66, 0.614)))
    add(_prop("hammock", "hammocks", 1.6, 3.2, _hammock, DARK_ORANGE, front=True,
              interior=(0.36, 0.25, 1.64, 0.76), top=(0.6, 0.74, 1.4)))
    add(_prop("picnic blanket", "picnic rug, picnic cloth, picnic mat, blanket", 0.6, 2.0, _picnic_blanket, DARK_RED,
              top=(0.4, 0.55, 2.93)))
    add(_prop("lamp post", "lamppost, street lamp, streetlamp, street light, streetlight, lamp-post, "
              "lampposts, street lamps, street lights, gas lamp", 4.0, 0.7, _lamp_post, (58, 70, 78)))
    add(_prop("bus stop", "bus shelter, busstop, bus stops", 2.6, 3.0, _bus_stop, DARK_GREEN,
              seat=(0.12, 0.6, 0.754), top=(0.12, 0.6, 0.754)))
    add(_prop("sofa", "couch, settee, sofas, couches, divan", 0.9, 2.0, _sofa, BLUE,
              seat=(0.18, 0.52, 2.04), top=(0.18, 0.52, 2.04)))
    add(_prop("branch", "branches, twig, bough, tree branch", 0.35, 1.05, _branch, BROWN,
              frame=(0.0, 0.05, 3.0, 0.99), top=(0.3, 0.48, 2.7)))
    add(_prop("bush", "bushes, shrub, shrubs, hedge, hedges", 1.0, 1.5, _bush, DARK_GREEN,
              frame=(0.04, 0.02, 1.46, 0.98), top=(0.25, 0.05, 1.25)))
    add(_prop("rowboat", "rowing boat, row boat, dinghy, boat", 0.7, 1.75, _rowboat, (70, 130, 200), front=True,
              frame=(0.03, 0.14, 2.56, 0.975), interior=(0.3, 0.0, 2.2, 0.45), top=(0.3, 0.42, 2.2)))
    add(_prop("ship", "ships, ocean liner, liner, steamer, ferry, cruise ship, freighter, cargo ship", 15.0, 48.0,
              _ship, DARK_GREY, frame=(-0.01, 0.005, 3.21, 0.99), top=(0.2, 0.53, 0.98)))
    add(_prop("iceberg", "icebergs, ice berg, ice bergs, ice floe", 12.0, 19.2, _iceberg, (168, 214, 240),
              frame=(0.0, 0.065, 1.6, 1.0), top=(0.6, 0.2, 1.0)))
    add(_prop("open box", "cardboard box, carton, crate", 0.45, 0.585, _open_box, (205, 160, 100), front=True,
              frame=(0.0, 0.02, 1.3, 0.98), interior=(0.1, 0.2, 1.2, 0.97), top=(0.1, 0.42, 1.2)))
    return props

PROPS: dict[str, PropInfo] = _build()


def _key(word: str) -> str:
    word = word.strip().lower().replace("_", " ").replace("’", "'")
    word = re.sub(r"^(a|an|the|some)\s+", "", word)
    return re.sub(r"[\s\-]+", " ", word).strip()

_BY_WORD: dict[str, str] = {}

for _name, _info in PROPS.items():
    for _w in (_name, *_info.synonyms):
        _BY_WORD.setdefault(_key(_w), _name)
        _BY_WORD.setdefault(_key(_w).replace(" ", ""), _name)


def _singulars(word: str) -> list[str]:
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("ves") and len(word) > 4:
        out += [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.append(word[:-1])
    return out


def _match(word: str) -> tuple[str, str] | tuple[None, None]:
    """(prop name, the name or synonym that matched) for a noun, or (None, None)."""
    key = _key(word or "")
    if not key:
        return None, None
    head, _, last = key.rpartition(" ")
    candidates = [key] + [(head + " " + s).strip() for s in _singulars(last)]
    for c in candidates:
        for k in (c, c.replace(" ", "")):
            if k in _BY_WORD:
                return _BY_WORD[k], k
    return None, None


def lookup(word: str) -> PropInfo | None:
    """The prop a noun names (its name or a synonym; singular or plural), else None."""
    name = _match(word)[0]
    return PROPS[name] if name else None


def prop_names() -> list[str]:
    """Every prop's name."""
    return list(PROPS)
