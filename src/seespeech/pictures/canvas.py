"""What every drawing of the scene composer shares: OpenMoji's palette (stages, props and people
take their colours from here), the one drawing surface (``Surface``: the stages' canvas, the
props' pen and the figures' canvas are its kinds), the stages' shapes, gradients, and the one
font (DejaVu Sans from matplotlib's data, found without importing matplotlib)."""

from __future__ import annotations

import functools
import importlib.util
from functools import lru_cache
from pathlib import Path
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from typing import TYPE_CHECKING

if TYPE_CHECKING:   # annotations only
    from seespeech.pictures.stages.lighting import _Look



Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]


# OpenMoji's palette (https://openmoji.org/styleguide/) and a few landscape tones near it.
INK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)
RED, DARK_RED = (234, 90, 71), (210, 47, 39)
BLUE, LIGHT_BLUE = (97, 178, 228), (146, 211, 245)
GREEN, DARK_GREEN = (177, 204, 51), (92, 158, 49)
GRASS, FAR_GRASS = (132, 194, 72), (164, 208, 96)
YELLOW, GOLD = (252, 234, 43), (241, 179, 28)
ORANGE, DARK_ORANGE = (244, 170, 65), (226, 112, 34)
BROWN, DARK_BROWN = (165, 121, 57), (106, 70, 47)
LIGHT_GREY, GREY, DARK_GREY = (208, 207, 206), (154, 155, 154), (63, 63, 63)
PINK, PURPLE = (255, 167, 192), (178, 153, 200)
SAND, WET_SAND = (246, 214, 142), (226, 188, 116)
CREAM = (250, 236, 204)
WOOD, LIGHT_WOOD = (196, 140, 72), (222, 172, 108)
SNOW_WHITE, SNOW_SHADE = (246, 249, 252), (206, 222, 240)



# -- the canvas and drawing helpers --------------------------------------------------------------


_CACHE_PIXELS = 1024 * 1024   # pictures bigger than this are drawn every time (memory)


def _cached(maxsize: int, size_args: tuple[int, int]):
    """lru_cache for drawing functions, bypassed for pictures bigger than ``_CACHE_PIXELS``
    (``size_args``: the positions of width and height among the arguments)."""

    def wrap(func):
        cached = lru_cache(maxsize=maxsize)(func)

        @functools.wraps(func)
        def call(*args):
            if args[size_args[0]] * args[size_args[1]] > _CACHE_PIXELS:
                return func(*args)
            return cached(*args)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call

    return wrap


def _ordered(xy) -> list[float]:
    """A box [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1 (very small or odd-shaped pictures
    can turn computed boxes inside out; Pillow refuses those)."""
    if len(xy) == 2:
        (x0, y0), (x1, y1) = xy
    else:
        x0, y0, x1, y1 = xy
    return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]


class _SafeDraw(ImageDraw.ImageDraw):
    """ImageDraw that accepts boxes given inside out (it orders them)."""

    def ellipse(self, xy, *a, **k):  # type: ignore[override]
        return super().ellipse(_ordered(xy), *a, **k)

    def rectangle(self, xy, *a, **k):  # type: ignore[override]
        return super().rectangle(_ordered(xy), *a, **k)

    def rounded_rectangle(self, xy, radius=0, *a, **k):  # type: ignore[override]
        box = _ordered(xy)
        radius = max(0, min(radius, (box[2] - box[0]) / 2, (box[3] - box[1]) / 2))
        return super().rounded_rectangle(box, radius, *a, **k)

    def arc(self, xy, *a, **k):  # type: ignore[override]
        return super().arc(_ordered(xy), *a, **k)

    def chord(self, xy, *a, **k):  # type: ignore[override]
        return super().chord(_ordered(xy), *a, **k)


def _draw(image: Image.Image) -> ImageDraw.ImageDraw:
    return _SafeDraw(image)


class Surface:
    """A drawing made at ``ss`` times its final size (anti-aliasing by supersampling), the one
    canvas of stages, props and people: named layers (``images``, each with its ``_SafeDraw``
    in ``draws``; ``img`` and ``d`` are the current one's), and an affine map from the drawing's
    own units to supersampled pixels, ``P(x, y) = (ox + x * sx, oy + y * sy)``."""

    def __init__(self, size: tuple[int, int], ss: int, mode: str = "RGBA", background: tuple = (0, 0, 0, 0),
                 scale: tuple[float, float] = (1, 1), origin: tuple[float, float] = (0, 0),
                 onto: Surface | None = None):
        self.ss, self.size, self.mode, self.background = ss, size, mode, background
        self.sx, self.sy = scale
        self.ox, self.oy = origin
        self.images: dict[str, Image.Image] = {}
        self.draws: dict[str, ImageDraw.ImageDraw] = {}
        #: a view of another surface (its current layer, with a mapping of its own: a stage
        #: drawing a prop's drawing into its scenery), else None
        self.onto = onto
        if onto is not None:   # RGBA colours blend into an RGB surface
            self.img = onto.img
            self.d = _SafeDraw(onto.img, "RGBA") if onto.img.mode == "RGB" else onto.d
            self.images["back"], self.draws["back"] = self.img, self.d
        else:
            self.layer("back")

    def layer(self, name: str) -> None:
        """Draw on layer ``name`` from now on (made, transparent or blank, when new; a view
        has the one layer it was made on)."""
        if self.onto is not None:
            return
        if name not in self.images:
            self.images[name] = Image.new(self.mode, self.size, self.background)
            self.draws[name] = _draw(self.images[name])
        self.img, self.d = self.images[name], self.draws[name]

    def P(self, x: float, y: float) -> tuple[float, float]:
        """A point in drawing units as supersampled pixels."""
        return (self.ox + x * self.sx, self.oy + y * self.sy)

    def pts(self, points) -> list[tuple[float, float]]:
        return [self.P(x, y) for x, y in points]

    def units(self, length: float) -> float:
        """A length in (y) drawing units as supersampled pixels."""
        return length * self.sy

    def reduce(self, image: Image.Image, premultiply: bool = True) -> Image.Image:
        """``image`` (a layer, or a crop of one on ``ss`` boundaries) at the final size: each
        ``ss`` x ``ss`` block averaged; RGBA is averaged premultiplied unless ``premultiply`` is
        False (the figures' way: straight channels)."""
        if self.ss <= 1:
            return image
        if premultiply and image.mode == "RGBA":
            return image.convert("RGBa").reduce(self.ss).convert("RGBA")
        return image.reduce(self.ss)


class _Canvas(Surface):
    """The stages' surface: RGB on ink, units are fractions of the width and height, with the
    look (time/weather colours) and outline widths at hand."""

    def __init__(self, width: int, height: int, ss: int, look: _Look, time: str, weather: tuple[str, ...]):
        w, h = width * ss, height * ss
        super().__init__((w, h), ss, "RGB", INK, scale=(w, h))
        self.look, self.time, self.weather = look, time, weather
        self.w, self.h = w, h
        self.sun = self.moon = False
        self.features: dict[str, tuple[float, float, float, float]] = {}
        self.surfaces: dict[str, tuple[float, float, float, float]] = {}

    def X(self, f: float) -> float:
        return self.ox + f * self.sx

    def Y(self, f: float) -> float:
        return self.oy + f * self.sy

    def pal(self, colour: tuple, depth: float = 0.0) -> RGB:
        return self.look.colour(colour, depth)

    def lw(self, size: float) -> int:
        """Outline width for a thing ``size`` canvas pixels tall: 2.5 %, at least 1 final pixel,
        at most about 0.6 % of the picture height (backgrounds stay quieter than the objects)."""
        return max(self.ss, round(min(0.025 * size, 0.006 * self.h)))

    def ink(self, depth: float = 0.0) -> RGB:
        """Outline colour: black, softened with distance and in fog."""
        return self.pal(INK, depth) if depth > 0 else INK


def _union(c: _Canvas, shapes: list[tuple], fill: RGB, lw: int, ink: RGB = INK) -> None:
    """Shapes drawn as one flat silhouette with a single outline: every shape grown by ``lw``
    in ink first, then every shape in ``fill``. Shapes: ("circle", cx, cy, r),
    ("ellipse", x0, y0, x1, y1), ("rect", x0, y0, x1, y1), ("poly", [(x, y), ...])."""
    d = c.d
    for grow, colour in ((lw, ink), (0, fill)):
        for s in shapes:
            kind = s[0]
            if kind == "circle":
                _, cx, cy, r = s
                d.ellipse([cx - r - grow, cy - r - grow, cx + r + grow, cy + r + grow], fill=colour)
            elif kind in ("ellipse", "rect"):
                _, x0, y0, x1, y1 = s
                box = [x0 - grow, y0 - grow, x1 + grow, y1 + grow]
                (d.ellipse if kind == "ellipse" else d.rectangle)(box, fill=colour)
            else:
                pts = s[1]
                if grow:
                    d.line(list(pts) + [pts[0], pts[1]], fill=colour, width=2 * grow, joint="curve")
                d.polygon(pts, fill=colour)


def _shape(c: _Canvas, kind: str, box, fill: RGB, lw: int, ink: RGB = INK, **kw) -> None:
    """One outlined shape: "rect", "ellipse", "rrect" (radius=), "poly" (box = points)."""
    d = c.d
    if kind == "rect":
        d.rectangle(box, fill=fill, outline=ink if lw else None, width=lw)
    elif kind == "ellipse":
        d.ellipse(box, fill=fill, outline=ink if lw else None, width=lw)
    elif kind == "chord":  # the upper half of an ellipse (a boulder, a mound)
        d.chord(box, 180, 360, fill=fill, outline=ink if lw else None, width=lw)
    elif kind == "rrect":
        d.rounded_rectangle(box, radius=kw.get("radius", 4), fill=fill, outline=ink if lw else None, width=lw)
    else:
        d.polygon(box, fill=fill)
        if lw:
            d.line(list(box) + [box[0], box[1]], fill=ink, width=lw, joint="curve")


@lru_cache(maxsize=64)
def _gradient_rows(h: int, stops: tuple[RGB, ...]) -> np.ndarray:
    t = np.linspace(0.0, 1.0, max(h, 1))
    pos = np.linspace(0.0, 1.0, len(stops))
    cols = np.array(stops, dtype=np.float32)
    rows = np.stack([np.interp(t, pos, cols[:, k]) for k in range(3)], axis=1)
    return rows.astype(np.uint8)


@_cached(8, (0, 1))
def _gradient_image(w: int, h: int, stops: tuple[RGB, ...]) -> Image.Image:
    rows = _gradient_rows(h, stops)
    return Image.fromarray(np.ascontiguousarray(np.broadcast_to(rows[:, None, :], (h, w, 3))), "RGB")


def _gradient(c: _Canvas, box, stops: tuple[RGB, ...]) -> None:
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(c.w, x1), min(c.h, y1)
    if x1 > x0 and y1 > y0:
        c.img.paste(_gradient_image(x1 - x0, y1 - y0, tuple(stops)), (x0, y0))



@lru_cache(maxsize=None)
def _font_path(bold: bool) -> str:
    """DejaVu Sans from matplotlib's data (a dependency; found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    if spec and spec.origin:
        path = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / name
        if path.exists():
            return str(path)
    return name   # Pillow looks for it among the system's fonts


@lru_cache(maxsize=128)
def font(size: int, bold: bool = True) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """The one font of every drawing (labels, signs, props' words): DejaVu Sans, else Pillow's own."""
    size = max(1, int(size))
    try:
        return ImageFont.truetype(_font_path(bold), size)
    except OSError:
        return ImageFont.load_default(size=size)




def _text(c: _Canvas, box, text: str, colour: RGB) -> None:
    """``text`` centred in ``box``, as large as fits."""
    x0, y0, x1, y1 = box
    size = max(6, int((y1 - y0) * 0.78))
    face = font(size)
    l, t, rr, b = c.d.textbbox((0, 0), text, font=face)
    if rr - l > (x1 - x0) * 0.92:
        size = max(6, int(size * (x1 - x0) * 0.92 / (rr - l)))
        face = font(size)
        l, t, rr, b = c.d.textbbox((0, 0), text, font=face)
    c.d.text(((x0 + x1 - (rr - l)) / 2 - l, (y0 + y1 - (b - t)) / 2 - t), text, font=face, fill=colour)
