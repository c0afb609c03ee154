"""``draw_prop``: a prop drawn at a size and colour, as one RGBA image or back and front parts,
cached within a pixel budget."""

from __future__ import annotations

import threading
from collections import OrderedDict
from PIL import Image
from seespeech.pictures.canvas import RGB

from seespeech.pictures.props.pen import _Pen
from seespeech.pictures.props.table import _SPECS, _match, lookup


def _render(name: str, width: int, height: int, colour: RGB | None, sign: str | None) -> dict[str, Image.Image]:
    spec = _SPECS[name]
    if spec.tiles:
        pen = _Pen(width, height, width / height)
    else:
        pen = _Pen(width, height, spec.a, spec.frame)
    spec.draw(pen, colour or spec.colour, sign)
    return pen.results()


# Finished drawings by (name, width, height, colour, sign), least recently used first. Bounded
# by pixels, not entries, so a few huge props cannot hold hundreds of megabytes.
_CACHE: OrderedDict[tuple, dict[str, Image.Image]] = OrderedDict()

_CACHE_PIXELS = 0

CACHE_BUDGET = 12_000_000  # pixels (4 bytes each)

_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every drawing made so far."""
    global _CACHE_PIXELS
    with _LOCK:
        _CACHE.clear()
        _CACHE_PIXELS = 0


def _layers(name: str, width: int, height: int, colour: RGB | None, sign: str | None) -> dict[str, Image.Image]:
    global _CACHE_PIXELS
    key = (name, width, height, colour, sign)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    images = _render(name, width, height, colour, sign)
    if "front" in images:  # "all" is cheap to remake from the two parts
        images = {"back": images["back"], "front": images["front"]}
    size = width * height * len(images)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = images
            _CACHE_PIXELS += size
        while _CACHE_PIXELS > CACHE_BUDGET and len(_CACHE) > 1:
            (_, w, h, _, _), old = _CACHE.popitem(last=False)
            _CACHE_PIXELS -= w * h * len(old)
    return images

_PLAIN_SHOP = {"shop", "shop front", "shopfront"}


def draw_prop(name: str, width: int, height: int, *, colour: tuple[int, int, int] | None = None,
              sign: str | None = None, part: str = "all") -> Image.Image:
    """An RGBA picture of the prop ``name`` (a name or synonym), exactly ``width`` x ``height``.

    The drawing fills the box; ask for a box of the prop's ``aspect`` to keep its proportions
    (a fence alone draws more pickets when it is wider instead of stretching). ``colour``
    recolours the main body. ``sign`` is the text of a shop's sign, a signpost's arrows
    (comma-separated), a blackboard's writing or a bus stop's sign; when ``name`` is a shop
    synonym such as "bakery" and no sign is given, the word itself is written.
    ``part``: "all", or "back" / "front" for props with ``front_layer`` (draw the back, then
    what is inside, then the front). For other props "back" is the whole drawing and "front"
    is empty.
    """
    info = lookup(name)
    if info is None:
        raise KeyError(f"no drawn prop called {name!r}")
    if part not in ("all", "back", "front"):
        raise ValueError(f"part must be 'all', 'back' or 'front', not {part!r}")
    width, height = int(width), int(height)
    if width < 1 or height < 1:
        raise ValueError(f"a prop needs a positive size, not {width}x{height}")
    if sign is None and info.name == "shop":
        said = _match(name)[1]
        if said not in _PLAIN_SHOP:
            sign = "store" if said in ("storefront", "store front") else said
    col = tuple(int(c) for c in colour[:3]) if colour is not None else None
    images = _layers(info.name, width, height, col, sign)
    if not info.front_layer:
        if part == "front":
            return Image.new("RGBA", (width, height), (0, 0, 0, 0))
        return images["all"].copy()
    if part == "all":
        return Image.alpha_composite(images["back"], images["front"])
    return images[part].copy()
