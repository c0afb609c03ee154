"""Settings: the drawn backgrounds of the scene composer, with time-of-day light and weather.

``draw_stage`` paints a place (a meadow, a beach, a kitchen, the moon...) as a flat
illustration in OpenMoji's look (flat fills, black outlines about 2.5 % of a thing's height,
gradients only for skies and water) and says where things go: the horizon (or the wall/floor
line indoors), the baselines of the three depth planes, and named boxes (``surfaces``: the
ground, the water line, a cliff top, a kitchen counter...; ``features``: setting things the
plan may list as objects, such as a bridge or an island).

``light`` shows how a sprite looks in the stage's light (darker and bluer at night, warmer at
sunset, duller in a storm or fog); ``fog_veil`` lets the composer veil the planes it has drawn
so far (call it after each plane, farthest first); ``draw_weather`` adds rain, snow, lightning,
fog or wind on top once the objects are drawn.

Geometry. Outdoors the horizon is at about 46-60 % of the height (the ground covers the
lower ~40-45 %); indoors the wall meets the floor at 60 %. The depth planes' baselines are
in perspective: plane 0 at 93 % of the height and planes 1, 2 at 0.7 and 0.49 of that
distance below the horizon (their scales). ``surfaces`` always has "sky" when there is one
(indoors: the window glass) and "ground" where there is walkable ground (its y0 is the
horizon, or the top of the walkable part: the sand below the surf, the near river bank).
Per place (other surfaces / features):

=============  =====================================  =========================================
place          surfaces                               features
=============  =====================================  =========================================
outdoors       ground                                 -
park           ground                                 path
garden         ground                                 fence, flowers, flower bed
farm           ground                                 barn, field, fence
beach          ground (sand), water                   sea
lake           ground (near bank), water              lake
river          ground, water, far bank, [bridge]      river, [bridge] (``features={"bridge"}``)
sea            water (no ground)                      sea
island         water, island (its flat top)           sea, island (the whole hump)
mountains      ground                                 mountain (the highest near peak), mountains
cliff          cliff (flat top: x0..x1, y0), water    cliff, sea (no ground)
forest         ground                                 trees
desert         ground                                 dunes
snow           ground                                 -
city           ground, road, pavement                 -
space          sky = the whole picture (no ground)    planet
moon           ground                                 earth
shop           ground (pavement), shopfront           shop, [bakery], door, shop window, awning, sign
room           ground, window                         window, door
kitchen        ground, window, counter                counter, stove, window
living room    ground, window                         window, rug, picture
bedroom        ground, window                         window, rug, shelf
hospital       ground, window                         window, curtain, red cross
classroom      ground, window, blackboard             blackboard, clock, window
=============  =====================================  =========================================

"sun" and "moon" are added to ``features`` when drawn (``sun=True`` / ``moon=True``).

Everything is drawn from this file's own geometry (no third-party artwork). Drawing is
deterministic for a given ``random.Random``: the generator picks one of a few variants of a
place, and each variant is drawn once and cached (as are the weather overlays).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

__all__ = ["PLACES", "INDOOR", "ALIASES", "WEATHERS", "PLANE_SCALES", "Stage", "draw_stage", "draw_weather",
           "light", "fog_veil", "normalise_time", "normalise_place", "normalise_weather"]

PLACES: tuple[str, ...] = (
    "outdoors", "park", "garden", "farm", "beach", "lake", "river", "sea", "island", "mountains",
    "cliff", "forest", "desert", "snow", "city", "space", "moon", "shop",
    "room", "kitchen", "living room", "bedroom", "hospital", "classroom",
)
INDOOR = frozenset({"room", "kitchen", "living room", "bedroom", "hospital", "classroom"})
ALIASES = {
    "meadow": "outdoors", "field": "outdoors", "outside": "outdoors", "countryside": "outdoors",
    "grass": "outdoors", "hill": "outdoors", "playground": "park", "yard": "garden",
    "backyard": "garden", "ocean": "sea", "seaside": "beach", "shore": "beach", "coast": "beach",
    "pond": "lake", "stream": "river", "woods": "forest", "jungle": "forest", "mountain": "mountains",
    "hills": "mountains", "dunes": "desert", "arctic": "snow", "winter": "snow", "street": "city",
    "town": "city", "road": "city", "store": "shop", "bakery": "shop", "market": "shop",
    "outer space": "space", "lunar surface": "moon", "living_room": "living room",
    "livingroom": "living room", "lounge": "living room", "house": "room", "home": "room",
    "office": "room", "school": "classroom", "clinic": "hospital", "restaurant": "kitchen",
}
TIMES = {"day": "day", "noon": "day", "morning": "day", "afternoon": "day", "night": "night",
         "midnight": "night", "sunset": "sunset", "sunrise": "sunset", "dusk": "sunset",
         "dawn": "sunset", "evening": "sunset", "twilight": "sunset"}
WEATHERS = ("rain", "snow", "storm", "fog", "wind")
PLANE_SCALES = (1.0, 0.7, 0.49)

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
ORANGE = (244, 170, 65)
BROWN, DARK_BROWN = (165, 121, 57), (106, 70, 47)
LIGHT_GREY, GREY, DARK_GREY = (208, 207, 206), (154, 155, 154), (63, 63, 63)
PINK, PURPLE = (255, 167, 192), (178, 153, 200)
SAND, WET_SAND = (246, 214, 142), (226, 188, 116)
CREAM = (250, 236, 204)
WOOD, LIGHT_WOOD = (196, 140, 72), (222, 172, 108)
SNOW_WHITE, SNOW_SHADE = (246, 249, 252), (206, 222, 240)


def normalise_time(time: str | None) -> str:
    """day | night | sunset for any of the accepted words (unknown words: day)."""
    return TIMES.get((time or "day").strip().lower(), "day")


_WEATHER_WORDS = {"rainy": "rain", "raining": "rain", "drizzle": "rain", "shower": "rain", "snowy": "snow",
                  "snowing": "snow", "snowfall": "snow", "blizzard": "snow", "thunderstorm": "storm",
                  "thunder": "storm", "lightning": "storm", "stormy": "storm", "foggy": "fog", "mist": "fog",
                  "misty": "fog", "haze": "fog", "windy": "wind", "breeze": "wind", "gale": "wind"}


def normalise_weather(weather) -> tuple[str, ...]:
    """The known kinds in ``weather`` (a word or words), in a fixed order; a blizzard is snow and
    wind, a thunderstorm a storm; unknown words are dropped."""
    words = [weather] if isinstance(weather, str) else list(weather or ())
    kinds = set()
    for word in words:
        word = str(word).strip().lower()
        kinds.add(_WEATHER_WORDS.get(word, word))
        if word == "blizzard":
            kinds.add("wind")
    return tuple(w for w in WEATHERS if w in kinds)


def normalise_place(place: str | None) -> str:
    """One of ``PLACES`` (aliases resolved; unknown places: "outdoors")."""
    key = (place or "outdoors").strip().lower().replace("-", " ")
    key = ALIASES.get(key, key)
    return key if key in PLACES else "outdoors"


@dataclass
class Stage:
    image: Image.Image                 # RGB, width x height: the background, drawn
    place: str
    time: str                          # normalised: day | night | sunset
    weather: tuple[str, ...]
    indoor: bool
    horizon: int                       # y of the horizon (outdoors) or of the wall/floor line (indoors)
    planes: tuple[int, int, int]       # baseline y of depth planes 0, 1, 2 (0 nearest, lowest on screen)
    surfaces: dict[str, Box]           # named boxes objects relate to
    features: dict[str, Box]           # setting things drawn here that the plan may list as objects
    sky: Box | None                    # the open sky box (indoors: the window glass, or None)


# -- light ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Look:
    """How colours change in a time of day and weather: desaturate, multiply, add, then mix with
    the haze colour in proportion to distance (``depth`` 0 near .. 1 at the horizon)."""

    desat: float
    mul: tuple[float, float, float]
    add: tuple[float, float, float]
    haze: float
    haze_colour: tuple[float, float, float]
    sky: tuple[RGB, ...]               # sky gradient stops, top to horizon
    night: bool
    cloudy: bool

    def colour(self, c: tuple, depth: float = 0.0) -> RGB:
        r, g, b = (float(v) for v in c[:3])
        if self.desat:
            y = 0.3 * r + 0.59 * g + 0.11 * b
            r, g, b = (v + (y - v) * self.desat for v in (r, g, b))
        out = [v * m + a for v, m, a in zip((r, g, b), self.mul, self.add)]
        k = self.haze * max(0.0, min(1.0, depth))
        if k:
            out = [v + (h - v) * k for v, h in zip(out, self.haze_colour)]
        return tuple(max(0, min(255, round(v))) for v in out)  # type: ignore[return-value]

    def apply(self, arr: np.ndarray) -> np.ndarray:
        """The same change (without haze) for an (..., 3) float array."""
        if self.desat:
            y = arr @ np.array([0.3, 0.59, 0.11], dtype=np.float32)
            arr = arr + (y[..., None] - arr) * self.desat
        return arr * np.array(self.mul, dtype=np.float32) + np.array(self.add, dtype=np.float32)


_SKY = {
    "day": ((70, 146, 226), (122, 186, 240), (186, 224, 246)),
    "sunset": ((72, 66, 150), (216, 104, 142), (255, 166, 96), (255, 208, 120)),
    "night": ((6, 10, 34), (18, 28, 66), (40, 56, 104)),
}
_WEATHER_SKY = {  # (greys of the clouded sky, how much they cover the clear sky)
    "storm": (((52, 58, 74), (84, 90, 106), (112, 118, 132)), 0.92),
    "rain": (((118, 130, 148), (150, 160, 174), (186, 192, 200)), 0.85),
    "snow": (((170, 180, 196), (198, 206, 218), (226, 230, 238)), 0.8),
    "fog": (((196, 202, 208), (212, 216, 220), (226, 228, 230)), 0.88),
}
_FOG = {"day": (226, 228, 230), "sunset": (232, 206, 190), "night": (70, 78, 100)}


def _mix(a: tuple, b: tuple, k: float) -> RGB:
    return tuple(round(x + (y - x) * k) for x, y in zip(a[:3], b[:3]))  # type: ignore[return-value]


def _stops(stops: tuple, n: int) -> tuple[RGB, ...]:
    """``stops`` resampled to ``n`` evenly spaced colours."""
    out = []
    for i in range(n):
        t = i / (n - 1) * (len(stops) - 1)
        j = min(int(t), len(stops) - 2)
        out.append(_mix(stops[j], stops[j + 1], t - j))
    return tuple(out)


@lru_cache(maxsize=64)
def _look(time: str, weather: tuple[str, ...], indoor: bool) -> _Look:
    desat, mul, add = 0.0, [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]
    if time == "sunset":
        if indoor:
            mul, add = [1.0, 0.93, 0.86], [10.0, 4.0, 4.0]
        else:
            mul, add = [1.0, 0.84, 0.74], [22.0, 8.0, 14.0]
    elif time == "night":
        if indoor:   # lamp light
            mul, add = [0.86, 0.8, 0.76], [0.0, 0.0, 6.0]
        else:
            desat, mul, add = 0.3, [0.36, 0.42, 0.62], [4.0, 6.0, 20.0]
    sky = _stops(_SKY[time], 4)
    haze_colour: tuple = sky[-1]
    haze = 0.0 if indoor else 0.32
    cloudy = False
    if not indoor:
        bright = {"day": 1.0, "sunset": 0.8, "night": 0.3}[time]
        for kind in ("storm", "rain", "snow", "fog"):
            if kind in weather:
                greys, cover = _WEATHER_SKY[kind]
                greys = _stops(greys, 4)
                sky = tuple(_mix(s, tuple(v * bright for v in g), cover) for s, g in zip(sky, greys))
                cloudy = True
                break
        if "storm" in weather:
            desat = max(desat, 0.45)
            mul = [m * k for m, k in zip(mul, (0.66, 0.68, 0.76))]
        elif "rain" in weather:
            desat = max(desat, 0.28)
            mul = [m * k for m, k in zip(mul, (0.86, 0.88, 0.94))]
        elif "snow" in weather:
            desat = max(desat, 0.15)
            add = [a + 6 for a in add]
        if "fog" in weather:
            desat = max(desat, 0.3)
            haze, haze_colour = 0.82, _FOG[time]
        else:
            haze_colour = sky[-1]
    return _Look(desat, tuple(mul), tuple(add), haze, tuple(float(v) for v in haze_colour),  # type: ignore[arg-type]
                 sky, time == "night", cloudy)


def light(sprite: Image.Image, stage: Stage) -> Image.Image:
    """``sprite`` (RGBA) as it looks in the stage's light: darker and bluer at night (warmer
    lamp light indoors), warmer at sunset, duller and darker in rain or a storm, paler in fog.
    Alpha is kept; a day without weather returns an unchanged copy."""
    look = _look(stage.time, tuple(stage.weather), stage.indoor)
    if stage.place in ("space", "moon") or (look.mul == (1.0, 1.0, 1.0) and not any(look.add)
                                             and not look.desat and "fog" not in stage.weather):
        return sprite.copy()
    rgba = sprite.convert("RGBA")
    arr = np.asarray(rgba, dtype=np.float32)
    rgb = look.apply(arr[..., :3])
    if "fog" in stage.weather and not stage.indoor:
        rgb = rgb + (np.array(look.haze_colour, dtype=np.float32) - rgb) * 0.12
    out = np.empty(arr.shape, dtype=np.uint8)
    out[..., :3] = np.clip(rgb, 0, 255)
    out[..., 3] = arr[..., 3]
    return Image.fromarray(out, "RGBA")


# -- the canvas and drawing helpers --------------------------------------------------------------


_CACHE_PIXELS = 1024 * 1024   # pictures bigger than this are drawn every time (memory)


def _cached(maxsize: int, size_args: tuple[int, int]):
    """lru_cache for drawing functions, bypassed for pictures bigger than ``_CACHE_PIXELS``
    (``size_args``: the positions of width and height among the arguments)."""

    def wrap(func):
        cached = lru_cache(maxsize=maxsize)(func)

        def call(*args):
            if args[size_args[0]] * args[size_args[1]] > _CACHE_PIXELS:
                return func(*args)
            return cached(*args)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.__doc__, call.__name__, call.__wrapped__ = func.__doc__, func.__name__, func  # type: ignore[attr-defined]
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


class _Canvas:
    """An image drawn at ``ss`` times the final size (anti-aliasing by supersampling), with the
    look (time/weather colours) and outline widths at hand. Coordinates are canvas pixels."""

    def __init__(self, width: int, height: int, ss: int, look: _Look, time: str, weather: tuple[str, ...]):
        self.ss, self.look, self.time, self.weather = ss, look, time, weather
        self.w, self.h = width * ss, height * ss
        self.img = Image.new("RGB", (self.w, self.h), INK)
        self.d = _draw(self.img)
        self.sun = self.moon = False
        self.features: dict[str, tuple[float, float, float, float]] = {}
        self.surfaces: dict[str, tuple[float, float, float, float]] = {}

    def X(self, f: float) -> float:
        return f * self.w

    def Y(self, f: float) -> float:
        return f * self.h

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


def _sky(c: _Canvas, y1: float, r: random.Random, *, clouds: int = 3, stars: int = 60,
         box: tuple | None = None) -> tuple[float, float, float, float]:
    """The sky from the top down to ``y1`` (a little past it, hidden by the land): gradient,
    stars at night, clouds (white by day, grey in rain, dark in a storm)."""
    box = box or (0, 0, c.w, y1)
    x0, y0, x1, yb = box
    _gradient(c, (x0, y0, x1, yb + 2 * c.ss), c.look.sky)
    look = c.look
    if look.night and not look.cloudy:
        _stars(c, r, (x0, y0, x1, y0 + (yb - y0) * 0.85), stars)
    if look.cloudy:
        n = clouds + 3 if ("storm" in c.weather or "rain" in c.weather) else clouds
        if "fog" in c.weather and not ("storm" in c.weather or "rain" in c.weather):
            n = 0
        grey = {"storm": (92, 96, 112), "rain": (176, 182, 192), "snow": (226, 230, 238)}
        kind = next((k for k in ("storm", "rain", "snow") if k in c.weather), "snow")
        colour = tuple(v * (0.36 if look.night else 1.0) for v in grey[kind])
        _clouds(c, r, (x0, y0 - (yb - y0) * 0.1, x1, y0 + (yb - y0) * 0.45), n, _mix(colour, colour, 0), big=True)
    elif clouds and not look.night:
        colour = WHITE if c.time == "day" else (255, 214, 196)
        _clouds(c, r, (x0, y0 + (yb - y0) * 0.08, x1, y0 + (yb - y0) * 0.55), clouds, colour)
    elif clouds and look.night and "wind" in c.weather:
        _clouds(c, r, (x0, y0, x1, y0 + (yb - y0) * 0.4), 2, (60, 68, 96))
    _celestial(c, yb, c.sun, c.moon)
    return (x0, y0, x1, yb)


def _stars(c: _Canvas, r: random.Random, box, n: int) -> None:
    x0, y0, x1, y1 = box
    size = min(c.w, c.h) / c.ss                       # final pixels
    n = max(2, int(n * (x1 - x0) * (y1 - y0) / (c.w * c.h * 0.5) * min(1.0, max(0.15, size / 512) ** 1.5)))
    for _ in range(n):
        x, y = r.uniform(x0, x1), r.uniform(y0, y1)
        s = c.ss * r.choice((0.6, 0.8, 1.1, 1.5)) * max(0.6, min(2.0, size / 512))
        c.d.ellipse([x - s, y - s, x + s, y + s], fill=(255, 250, 220))
    for _ in range(max(1, n // 25)):  # a few four-point twinkles
        x, y = r.uniform(x0, x1), r.uniform(y0, y1)
        _twinkle(c, x, y, c.h * 0.012)


def _twinkle(c: _Canvas, x: float, y: float, s: float) -> None:
    k = s * 0.28
    c.d.polygon([(x, y - s), (x + k, y - k), (x + s, y), (x + k, y + k), (x, y + s), (x - k, y + k),
                 (x - s, y), (x - k, y - k)], fill=(255, 246, 190))


def _cloud(c: _Canvas, cx: float, cy: float, w: float, colour: RGB, ink: RGB = INK) -> None:
    h = w * 0.42
    r1, r2, r3 = h * 0.42, h * 0.58, h * 0.4
    base = cy + h * 0.3
    shapes = [("circle", cx - w * 0.28, base - r1, r1), ("circle", cx - w * 0.02, base - r2 * 1.05, r2),
              ("circle", cx + w * 0.27, base - r3, r3), ("circle", cx + w * 0.12, base - r2 * 0.9, r2 * 0.8),
              ("rect", cx - w * 0.28, base - r1, cx + w * 0.27, base)]
    _union(c, shapes, colour, c.lw(h), ink)


def _clouds(c: _Canvas, r: random.Random, box, n: int, colour: RGB, big: bool = False) -> None:
    x0, y0, x1, y1 = box
    if n <= 0:
        return
    if c.sun and c.time == "day" and not big:   # keep the sun's corner clear
        x0 = max(x0, c.X(0.3))
    span = (x1 - x0) / n
    for i in range(n):
        w = r.uniform(0.16, 0.26) * min(c.w, c.h * 1.25) * (1.5 if big else 1.0)
        cx = x0 + span * (i + 0.5) + r.uniform(-0.3, 0.3) * span
        cy = r.uniform(y0 + w * 0.15, max(y0 + w * 0.15 + 1, y1 - w * 0.2))
        _cloud(c, cx, cy, w, colour)


def _sun(c: _Canvas, cx: float, cy: float, rad: float) -> None:
    colour = YELLOW if c.time == "day" else (255, 150, 60)
    lw = c.lw(2 * rad)
    for k in range(12):
        a = k * math.pi / 6
        p = [(cx + math.cos(a) * rad * 1.25, cy + math.sin(a) * rad * 1.25),
             (cx + math.cos(a) * rad * 1.6, cy + math.sin(a) * rad * 1.6)]
        c.d.line(p, fill=INK, width=lw + 2 * max(1, lw // 2) + c.ss)
        c.d.line(p, fill=colour, width=lw + c.ss)
    _shape(c, "ellipse", [cx - rad, cy - rad, cx + rad, cy + rad], colour, lw)
    c.features["sun"] = (cx - rad * 1.6, cy - rad * 1.6, cx + rad * 1.6, cy + rad * 1.6)


@lru_cache(maxsize=16)
def _crescent_tile(size: int, lw: int) -> Image.Image:
    """A crescent moon on a transparent tile: pale yellow, black outline."""
    tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = _draw(tile)
    d.ellipse([0, 0, size - 1, size - 1], fill=INK + (255,))
    d.ellipse([lw, lw, size - 1 - lw, size - 1 - lw], fill=(252, 234, 150, 255))
    off = size * 0.34
    d.ellipse([off - lw, -size * 0.12 - lw, size + off * 0.9 + lw, size * 0.88 + lw], fill=INK + (255,))
    d.ellipse([off, -size * 0.12, size + off * 0.9, size * 0.88], fill=(0, 0, 0, 0))
    return tile


def _crescent(c: _Canvas, cx: float, cy: float, rad: float) -> None:
    size = max(4, int(2 * rad))
    tile = _crescent_tile(size, c.lw(size) + c.ss // 2)
    c.img.paste(tile, (int(cx - rad), int(cy - rad)), tile)
    c.features["moon"] = (cx - rad, cy - rad, cx + rad, cy + rad)


def _celestial(c: _Canvas, sky_bottom: float, sun: bool, moon: bool) -> None:
    """The sun (when asked) and a crescent moon at night (when asked), in the upper corners."""
    if moon and c.time != "day":
        rad = c.h * 0.06
        _crescent(c, c.w - c.X(0.09) - rad * 0.2, c.Y(0.1), rad)
    if sun and c.time != "night" and "storm" not in c.weather:
        rad = c.h * 0.055
        if c.time == "sunset":
            _sun(c, c.X(0.78), sky_bottom - rad * 1.1, rad * 1.3)
        else:
            _sun(c, c.X(0.15), c.Y(0.13), rad)


def _ground(c: _Canvas, y0: float, colour: RGB, y1: float | None = None, outline: bool = True) -> None:
    y1 = c.h if y1 is None else y1
    c.d.rectangle([0, y0, c.w, y1], fill=colour)
    if outline:
        c.d.line([(0, y0), (c.w, y0)], fill=INK, width=c.lw(c.h * 0.2))


def _hills(c: _Canvas, r: random.Random, base: float, amp: float, colour: RGB, depth: float,
           bumps: int = 3, outline: bool = True) -> list[tuple[float, float]]:
    """A rolling silhouette across the picture, its feet hidden below ``base``."""
    phase = [r.uniform(0, 2 * math.pi) for _ in range(3)]
    n = 48
    pts = []
    for i in range(n + 1):
        x = c.w * i / n
        t = i / n * math.pi * bumps
        y = base - amp * (0.55 + 0.3 * math.sin(t + phase[0]) + 0.15 * math.sin(2.3 * t + phase[1]))
        pts.append((x, y))
    poly = [(-c.w * 0.05, pts[0][1])] + pts + [(c.w * 1.05, pts[-1][1]), (c.w * 1.05, base + c.h * 0.02),
                                               (-c.w * 0.05, base + c.h * 0.02)]
    c.d.polygon(poly, fill=colour)
    if outline:
        c.d.line(pts, fill=c.ink(depth * 0.6), width=c.lw(amp * 2), joint="curve")
    return pts


def _tree(c: _Canvas, x: float, base: float, h: float, kind: str = "round", depth: float = 0.0,
          r: random.Random | None = None, snowy: bool = False) -> None:
    """A tree standing at (x, base), ``h`` tall: "round" (leafy), "pine" or "palm"."""
    lw = c.lw(h)
    ink = c.ink(depth * 0.6)
    trunk = c.pal(BROWN, depth)
    if kind == "pine":
        tw = h * 0.09
        _shape(c, "rect", [x - tw / 2, base - h * 0.22, x + tw / 2, base], trunk, lw, ink)
        leaf = c.pal((74, 150, 70) if not snowy else (84, 140, 96), depth)
        tiers = [(0.12, 0.62, 0.5), (0.32, 0.8, 0.4), (0.5, 1.0, 0.3)]
        shapes = []
        for lo, hi, half in tiers:
            shapes.append(
                (
                    "poly",
                    [
                        (x - h * half * 0.8, base - h * lo - h * 0.08),
                        (x + h * half * 0.8, base - h * lo - h * 0.08),
                        (x, base - h * hi),
                    ],
                )
            )
        _union(c, shapes, leaf, lw, ink)
        if snowy:
            white = c.pal(SNOW_WHITE, depth)
            for lo, hi, half in tiers:
                top = base - h * hi
                k = 0.35
                c.d.polygon([(x, top), (x + h * half * 0.8 * k, top + (h * (hi - lo) + h * 0.08) * k),
                             (x - h * half * 0.8 * k, top + (h * (hi - lo) + h * 0.08) * k)], fill=white)
    elif kind == "palm":
        _palm(c, x, base, h, depth)
    else:
        tw = h * 0.11
        _shape(c, "rect", [x - tw / 2, base - h * 0.45, x + tw / 2, base], trunk, lw, ink)
        cr = h * 0.3
        cy = base - h + cr
        rr = r or random.Random(int(x) * 31 + int(h))
        shapes = [("circle", x, cy, cr), ("circle", x - cr * 0.7, cy + cr * 0.55, cr * 0.72),
                  ("circle", x + cr * 0.72, cy + cr * 0.5, cr * 0.75 * rr.uniform(0.9, 1.1))]
        leaf = c.pal(DARK_GREEN if rr.random() < 0.5 else (112, 178, 58), depth)
        _union(c, shapes, leaf, lw, ink)


def _palm(c: _Canvas, x: float, base: float, h: float, depth: float = 0.0) -> None:
    lw = c.lw(h)
    ink = c.ink(depth * 0.6)
    top = (x + h * 0.12, base - h * 0.82)
    tw = h * 0.07
    trunk = []
    n = 8
    for i in range(n + 1):  # a gently curved trunk
        t = i / n
        px = x + (top[0] - x) * t * t
        py = base + (top[1] - base) * t
        trunk.append((px, py))
    left = [(px - tw / 2 * (1 - 0.35 * i / n), py) for i, (px, py) in enumerate(trunk)]
    right = [(px + tw / 2 * (1 - 0.35 * i / n), py) for i, (px, py) in enumerate(trunk)]
    _shape(c, "poly", left + right[::-1], c.pal(WOOD, depth), lw, ink)
    for i in range(1, n, 2):
        px, py = trunk[i]
        c.d.line([(px - tw * 0.45, py), (px + tw * 0.45, py - tw * 0.2)], fill=ink, width=max(1, lw // 2 + 1))
    leaf = c.pal((84, 170, 60), depth)
    tx, ty = top
    for ang, length in ((-160, 0.5), (-125, 0.42), (-55, 0.42), (-20, 0.5), (-90, 0.34), (150, 0.34), (30, 0.34)):
        a = math.radians(ang)
        L = h * length
        ex, ey = tx + math.cos(a) * L, ty + math.sin(a) * L + L * 0.35
        mx, my = tx + math.cos(a) * L * 0.5, ty + math.sin(a) * L * 0.5 - L * 0.08
        nx, ny = -(my - ty), (mx - tx)
        norm = math.hypot(nx, ny) or 1
        wdt = h * 0.07
        pts = [
            (tx, ty),
            (mx + nx / norm * wdt, my + ny / norm * wdt),
            (ex, ey),
            (mx - nx / norm * wdt, my - ny / norm * wdt),
        ]
        _shape(c, "poly", pts, leaf, lw, ink)
    _union(
        c,
        [("circle", tx - h * 0.03, ty + h * 0.03, h * 0.035), ("circle", tx + h * 0.03, ty + h * 0.04, h * 0.035)],
        c.pal(BROWN, depth),
        max(1, lw // 2 + 1),
        ink,
    )


def _tufts(c: _Canvas, r: random.Random, box, n: int, colour: RGB) -> None:
    """Little grass tufts (three strokes), bigger lower down."""
    x0, y0, x1, y1 = box
    for _ in range(n):
        y = r.uniform(y0, y1)
        k = 0.4 + 0.6 * (y - y0) / max(1.0, y1 - y0)
        x = r.uniform(x0, x1)
        s = c.h * 0.016 * k
        w = max(c.ss, round(s * 0.22))
        for dx, top in ((-0.6, 0.7), (0.0, 1.0), (0.6, 0.7)):
            c.d.line([(x + dx * s * 0.5, y), (x + dx * s, y - s * top)], fill=colour, width=w)


def _flowers(c: _Canvas, r: random.Random, box, n: int, depth: float = 0.0) -> None:
    x0, y0, x1, y1 = box
    colours = (RED, YELLOW, WHITE, PINK, PURPLE, ORANGE)
    for _ in range(n):
        y = r.uniform(y0, y1)
        k = 0.5 + 0.5 * (y - y0) / max(1.0, y1 - y0)
        x = r.uniform(x0, x1)
        s = c.h * 0.009 * k
        col = c.pal(r.choice(colours), depth)
        lw = max(c.ss, round(s * 0.3))
        c.d.ellipse([x - s, y - s, x + s, y + s], fill=col, outline=INK, width=lw)
        c.d.ellipse([x - s * 0.35, y - s * 0.35, x + s * 0.35, y + s * 0.35], fill=c.pal(GOLD, depth))


def _fence(c: _Canvas, x0: float, x1: float, base: float, h: float, colour: RGB = WHITE, depth: float = 0.0,
           gap: float | None = None) -> None:
    """A picket fence from x0 to x1 standing on ``base``."""
    lw = c.lw(h)
    ink = c.ink(depth * 0.6)
    col = c.pal(colour, depth)
    gap = gap or h * 0.55
    for y in (base - h * 0.72, base - h * 0.35):
        _shape(c, "rect", [x0, y - h * 0.06, x1, y + h * 0.06], col, lw, ink)
    x = x0 + gap * 0.3
    pw = h * 0.2
    while x < x1:
        _shape(
            c,
            "poly",
            [
                (x - pw / 2, base),
                (x - pw / 2, base - h * 0.85),
                (x, base - h),
                (x + pw / 2, base - h * 0.85),
                (x + pw / 2, base),
            ],
            col,
            lw,
            ink,
        )
        x += gap


def _waves(c: _Canvas, r: random.Random, box, colour: RGB, n: int) -> None:
    """Short wave crests (little arcs), bigger towards the bottom of ``box``."""
    x0, y0, x1, y1 = box
    for _ in range(n):
        y = r.uniform(y0, y1)
        k = 0.3 + 0.7 * (y - y0) / max(1.0, y1 - y0)
        w = c.w * 0.05 * k
        x = r.uniform(x0 - w, x1)
        c.d.arc([x, y, x + w, y + w * 0.5], 200, 340, fill=colour, width=max(c.ss, round(c.h * 0.004 * k)))


def _water(c: _Canvas, r: random.Random, box, top: RGB, bottom: RGB, waves: int = 20, depth_top: float = 0.6) -> None:
    """Water: a gradient that mirrors the sky's horizon colour (warm at sunset), wave marks."""
    x0, y0, x1, y1 = box
    if c.time == "sunset" and not c.look.cloudy:  # the warm sky mirrored over deep blue-violet water
        far = _mix(c.look.sky[-2], (110, 100, 170), 0.45)
        near = c.pal(_mix(bottom, (70, 60, 150), 0.4))
    else:
        mirror = 0.2 if c.time == "night" else 0.12
        far = _mix(c.pal(top, depth_top), c.look.sky[-1], mirror)
        near = _mix(c.pal(bottom), c.look.sky[-1], mirror * 0.4)
    _gradient(c, box, (far, near))
    _waves(c, r, (x0, y0 + (y1 - y0) * 0.08, x1, y1 - (y1 - y0) * 0.05), c.pal((196, 230, 250), depth_top * 0.5), waves)


def _window(c: _Canvas, r: random.Random, box, *, curtains: RGB | None = None, frame: RGB = WHITE) -> tuple:
    """A window in a wall showing the time of day and the weather; returns its glass box."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    lw = c.lw(h)
    f = h * 0.07
    glass = (x0 + f, y0 + f, x1 - f, y1 - f)
    outdoor = _look(c.time, c.weather, False)
    gx0, gy0, gx1, gy1 = glass
    around = tuple(int(v) for v in (max(0, x0 - h), max(0, y0 - h), min(c.w, x1 + h), min(c.h, y1 + h)))
    saved = c.img.crop(around)
    _gradient(c, glass, outdoor.sky[:3])
    if c.time == "night" and not outdoor.cloudy:
        _stars(c, r, (gx0, gy0, gx1, gy1 - (gy1 - gy0) * 0.3), 30)
        _twinkle(c, gx0 + (gx1 - gx0) * 0.28, gy0 + (gy1 - gy0) * 0.3, h * 0.04)
    # a hill and a tree outside
    hill = outdoor.colour(GRASS, 0.5)
    c.d.ellipse([gx0 - (gx1 - gx0) * 0.3, gy1 - (gy1 - gy0) * 0.22, gx1 + (gx1 - gx0) * 0.2, gy1 + (gy1 - gy0) * 0.4],
                fill=hill)
    if outdoor.cloudy:
        grey = outdoor.colour((200, 204, 212))
        cl = c.lw(h * 0.2)
        for fx, fy in ((0.25, 0.18), (0.72, 0.3)):
            cx, cy = gx0 + (gx1 - gx0) * fx, gy0 + (gy1 - gy0) * fy
            wdt = (gx1 - gx0) * 0.4
            _union(
                c,
                [
                    ("circle", cx - wdt * 0.2, cy, wdt * 0.18),
                    ("circle", cx + wdt * 0.05, cy - wdt * 0.1, wdt * 0.24),
                    ("circle", cx + wdt * 0.28, cy, wdt * 0.16),
                    ("rect", cx - wdt * 0.2, cy, cx + wdt * 0.28, cy + wdt * 0.16),
                ],
                grey,
                cl,
            )
        if "rain" in c.weather or "storm" in c.weather:
            for _ in range(int(40 * (gx1 - gx0) * (gy1 - gy0) / (c.w * c.h * 0.05)) + 6):
                x, y = r.uniform(gx0, gx1), r.uniform(gy0, gy1)
                L = h * 0.06
                c.d.line([(x, y), (x - L * 0.25, y + L)], fill=(210, 222, 236), width=c.ss)
        if "snow" in c.weather:
            for _ in range(int(40 * (gx1 - gx0) * (gy1 - gy0) / (c.w * c.h * 0.05)) + 6):
                x, y = r.uniform(gx0, gx1), r.uniform(gy0, gy1)
                s = h * r.choice((0.008, 0.012, 0.018))
                c.d.ellipse([x - s, y - s, x + s, y + s], fill=WHITE)
    elif c.time == "day":
        cx, cy = gx0 + (gx1 - gx0) * 0.66, gy0 + (gy1 - gy0) * 0.3
        _cloud(c, cx, cy, (gx1 - gx0) * 0.45, WHITE)
    mask = Image.new("L", saved.size, 255)
    _draw(mask).rectangle([gx0 - around[0], gy0 - around[1], gx1 - around[0] - 1, gy1 - around[1] - 1], fill=0)
    c.img.paste(saved, around[:2], mask)
    fr = c.pal(frame)
    # frame: outer rectangle minus glass, then the cross bars
    c.d.rectangle([x0, y0, x1, gy0], fill=fr)
    c.d.rectangle([x0, gy1, x1, y1], fill=fr)
    c.d.rectangle([x0, y0, gx0, y1], fill=fr)
    c.d.rectangle([gx1, y0, x1, y1], fill=fr)
    mx, my = (x0 + x1) / 2, (gy0 + gy1) / 2
    c.d.rectangle([mx - f * 0.4, gy0, mx + f * 0.4, gy1], fill=fr)
    c.d.rectangle([gx0, my - f * 0.4, gx1, my + f * 0.4], fill=fr)
    for b in ([x0, y0, x1, y1], [gx0, gy0, mx - f * 0.4, my - f * 0.4], [mx + f * 0.4, gy0, gx1, my - f * 0.4],
              [gx0, my + f * 0.4, mx - f * 0.4, gy1], [mx + f * 0.4, my + f * 0.4, gx1, gy1]):
        c.d.rectangle(b, outline=INK, width=lw)
    sill = [x0 - f * 0.8, y1 - f * 0.2, x1 + f * 0.8, y1 + f * 0.7]
    _shape(c, "rect", sill, fr, lw)
    if curtains:
        col = c.pal(curtains)
        cw = (x1 - x0) * 0.22
        for side in (0, 1):
            if side == 0:
                pts = [
                    (x0 - cw * 0.5, y0 - f),
                    (x0 + cw, y0 - f),
                    (x0 + cw * 0.35, y0 + h * 0.55),
                    (x0 + cw * 0.55, y1 + f * 1.5),
                    (x0 - cw * 0.5, y1 + f * 1.5),
                ]
            else:
                pts = [
                    (x1 + cw * 0.5, y0 - f),
                    (x1 - cw, y0 - f),
                    (x1 - cw * 0.35, y0 + h * 0.55),
                    (x1 - cw * 0.55, y1 + f * 1.5),
                    (x1 + cw * 0.5, y1 + f * 1.5),
                ]
            _shape(c, "poly", pts, col, lw)
        _shape(c, "rect", [x0 - cw * 0.7, y0 - f * 1.6, x1 + cw * 0.7, y0 - f * 0.7], c.pal(DARK_BROWN), lw)
    c.surfaces["window"] = (x0, y0, x1, y1)
    return glass


def _floor(c: _Canvas, y0: float, colour: RGB, kind: str = "boards") -> None:
    """A floor from the wall line down: boards or tiles, lines converging to the middle."""
    col = c.pal(colour)
    line = c.pal(tuple(v * 0.8 for v in colour))
    c.d.rectangle([0, y0, c.w, c.h], fill=col)
    vx = c.w / 2
    lw = max(c.ss, c.lw(c.h * 0.12) // 2 + c.ss // 2)
    n = 9 if kind == "boards" else 11
    for i in range(-n, 2 * n + 1):
        xb = c.w * i / n
        xt = vx + (xb - vx) * 0.45
        c.d.line([(xt, y0), (xb, c.h)], fill=line, width=lw)
    if kind == "tiles":
        y, step = y0, (c.h - y0) * 0.1
        while y < c.h:
            c.d.line([(0, y), (c.w, y)], fill=line, width=lw)
            y += step
            step *= 1.25


def _wall(c: _Canvas, y1: float, colour: RGB, skirting: RGB = WHITE) -> None:
    c.d.rectangle([0, 0, c.w, y1], fill=c.pal(colour))
    sk = c.h * 0.03
    _shape(c, "rect", [-c.ss * 4, y1 - sk, c.w + c.ss * 4, y1], c.pal(skirting), c.lw(c.h * 0.15))


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.ImageFont:
    try:
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
        return ImageFont.truetype(str(path), size)
    except Exception:  # pragma: no cover - matplotlib is a dependency; keep a fallback anyway
        try:
            return ImageFont.load_default(size)
        except TypeError:
            return ImageFont.load_default()


def _text(c: _Canvas, box, text: str, colour: RGB) -> None:
    """``text`` centred in ``box``, as large as fits."""
    x0, y0, x1, y1 = box
    size = max(6, int((y1 - y0) * 0.78))
    font = _font(size)
    l, t, rr, b = c.d.textbbox((0, 0), text, font=font)
    if rr - l > (x1 - x0) * 0.92:
        size = max(6, int(size * (x1 - x0) * 0.92 / (rr - l)))
        font = _font(size)
        l, t, rr, b = c.d.textbbox((0, 0), text, font=font)
    c.d.text(((x0 + x1 - (rr - l)) / 2 - l, (y0 + y1 - (b - t)) / 2 - t), text, font=font, fill=colour)


# -- places --------------------------------------------------------------------------------------
# Each function draws a place on the canvas and returns its horizon (canvas pixels); it records
# the boxes it makes in c.surfaces / c.features and may set "sky" and "ground" in c.surfaces.


def _meadow_sky(c: _Canvas, r: random.Random, horizon: float, clouds: int = 3) -> None:
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=clouds)


def _grass_ground(c: _Canvas, r: random.Random, horizon: float, colour: RGB = GRASS, tufts: int = 40) -> None:
    snowy = "snow" in c.weather
    col = _mix(colour, SNOW_WHITE, 0.8) if snowy else colour
    _ground(c, horizon, c.pal(col))
    tuft = c.pal(_mix(col, INK, 0.22))
    _tufts(c, r, (0, horizon + (c.h - horizon) * 0.1, c.w, c.h), tufts, tuft)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)


def place_outdoors(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    _meadow_sky(c, r, horizon)
    _hills(c, r, horizon + c.ss, c.h * 0.1, c.pal(FAR_GRASS, 0.8), 0.8, bumps=2)
    _hills(c, r, horizon + c.ss, c.h * 0.045, c.pal((150, 204, 82), 0.5), 0.5, bumps=3)
    _tree(c, c.X(r.uniform(0.12, 0.3)), horizon - c.h * 0.035, c.h * 0.09, "round", 0.7, r)
    _grass_ground(c, r, horizon)
    if "snow" not in c.weather:
        _flowers(c, r, (0, horizon + (c.h - horizon) * 0.15, c.w, c.h * 0.98), 14)
    return horizon


def place_park(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    _meadow_sky(c, r, horizon)
    _hills(c, r, horizon + c.ss, c.h * 0.05, c.pal(FAR_GRASS, 0.7), 0.7, bumps=2)
    for fx, fh in ((0.1, 0.16), (0.2, 0.11), (0.78, 0.14), (0.9, 0.19)):  # distant trees and bushes
        _tree(c, c.X(fx + r.uniform(-0.03, 0.03)), horizon + c.h * 0.005, c.h * fh, "round", 0.6, r)
    for fx in (0.32, 0.62):
        bx, bw = c.X(fx + r.uniform(-0.04, 0.04)), c.X(0.07)
        _union(
            c,
            [
                ("circle", bx - bw * 0.3, horizon - bw * 0.1, bw * 0.35),
                ("circle", bx + bw * 0.2, horizon - bw * 0.18, bw * 0.42),
                ("rect", bx - bw * 0.62, horizon - bw * 0.15, bx + bw * 0.6, horizon + c.ss),
            ],
            c.pal((110, 176, 64), 0.6),
            c.lw(bw * 0.5),
            c.ink(0.4),
        )
    _grass_ground(c, r, horizon, tufts=30)
    # a winding path from the bottom to the horizon
    n = 24
    left, right = [], []
    for i in range(n + 1):
        t = i / n                      # 0 at the bottom, 1 at the horizon
        y = c.h + (horizon - c.h) * t
        cx = c.X(0.5) + c.X(0.14) * math.sin(t * math.pi * 1.4 + 0.2) * (1 - t) + c.X(0.1) * t
        half = c.X(0.2) * (1 - t) ** 1.3 + c.X(0.012)
        left.append((cx - half, y))
        right.append((cx + half, y))
    path = c.pal((236, 214, 168) if "snow" not in c.weather else (236, 236, 240))
    c.d.polygon(left + right[::-1], fill=path)
    lw = c.lw(c.h * 0.12)
    c.d.line(left, fill=INK, width=lw, joint="curve")
    c.d.line(right, fill=INK, width=lw, joint="curve")
    if "snow" not in c.weather:
        _flowers(c, r, (0, horizon + (c.h - horizon) * 0.2, c.X(0.3), c.h), 6)
    c.features["path"] = (min(p[0] for p in left), horizon, max(p[0] for p in right), c.h)
    return horizon


def _flower(c: _Canvas, x: float, base: float, h: float, colour: RGB, r: random.Random) -> None:
    lw = max(c.ss, c.lw(h))
    c.d.line([(x, base), (x, base - h)], fill=c.pal(DARK_GREEN), width=max(c.ss, round(h * 0.08)))
    c.d.ellipse([x, base - h * 0.5, x + h * 0.3, base - h * 0.36], fill=c.pal(DARK_GREEN))
    s = h * 0.22
    cy = base - h
    petals = [("circle", x + math.cos(a) * s * 0.8, cy + math.sin(a) * s * 0.8, s * 0.6) for a in
              (k * math.pi * 2 / 5 + r.uniform(0, 0.5) for k in range(5))]
    _union(c, petals, c.pal(colour), lw)
    _shape(
        c,
        "ellipse",
        [x - s * 0.45, cy - s * 0.45, x + s * 0.45, cy + s * 0.45],
        c.pal(YELLOW if colour != YELLOW else ORANGE),
        max(c.ss, lw // 2),
    )


def place_garden(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.54)
    _meadow_sky(c, r, horizon, clouds=2)
    # a hedge and two trees behind the fence
    hedge = c.pal((86, 150, 64), 0.4)
    shapes = [
        ("circle", c.X(i / 9) + r.uniform(-5, 5) * c.ss, horizon - c.h * 0.05, c.h * r.uniform(0.045, 0.06))
        for i in range(10)
    ]
    shapes.append(("rect", -c.w * 0.05, horizon - c.h * 0.05, c.w * 1.05, horizon + c.h * 0.02))
    _tree(c, c.X(0.15), horizon - c.h * 0.02, c.h * 0.26, "round", 0.4, r)
    _tree(c, c.X(0.86), horizon - c.h * 0.02, c.h * 0.22, "round", 0.4, r)
    _union(c, shapes, hedge, c.lw(c.h * 0.08), c.ink(0.3))
    _grass_ground(c, r, horizon, tufts=30)
    fence_base = horizon + c.h * 0.035
    _fence(c, -c.X(0.02), c.w + c.X(0.02), fence_base, c.h * 0.1, WHITE, 0.2, gap=c.X(0.055))
    # the flower bed: a strip of soil with a row of flowers
    bed0, bed1 = fence_base - c.h * 0.005, fence_base + c.h * 0.06
    _shape(
        c, "rrect", [-c.X(0.02), bed0, c.w + c.X(0.02), bed1], c.pal((140, 96, 60)), c.lw(c.h * 0.1), radius=c.h * 0.02
    )
    colours = (RED, YELLOW, PINK, PURPLE, ORANGE, WHITE, (97, 178, 228))
    n = 13
    for i in range(n):
        x = c.X((i + 0.5) / n) + r.uniform(-0.01, 0.01) * c.w
        _flower(c, x, bed1 - c.h * 0.015, c.h * r.uniform(0.07, 0.095), colours[i % len(colours)], r)
    c.features["fence"] = (0, fence_base - c.h * 0.1, c.w, fence_base)
    c.features["flowers"] = (0, bed0 - c.h * 0.1, c.w, bed1)
    c.features["flower bed"] = (0, bed0, c.w, bed1)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    return horizon


def _barn(c: _Canvas, box, depth: float) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    lw = c.lw(h * 0.6)
    ink = c.ink(depth * 0.5)
    red, roof, trim = c.pal(RED, depth), c.pal(DARK_RED, depth), c.pal(WHITE, depth)
    wall_top = y0 + h * 0.42
    _shape(c, "rect", [x0, wall_top, x1, y1], red, lw, ink)
    _shape(c, "poly", [(x0 - w * 0.06, wall_top + h * 0.03), (x0 + w * 0.18, y0 + h * 0.12), (x0 + w * 0.5, y0),
                       (x1 - w * 0.18, y0 + h * 0.12), (x1 + w * 0.06, wall_top + h * 0.03)], roof, lw, ink)
    dx0, dx1, dy0 = x0 + w * 0.3, x1 - w * 0.3, y0 + h * 0.6
    _shape(c, "rect", [dx0, dy0, dx1, y1], trim, lw, ink)
    c.d.line([(dx0, dy0), (dx1, y1)], fill=ink, width=lw)
    c.d.line([(dx0, y1), (dx1, dy0)], fill=ink, width=lw)
    _shape(
        c, "rect", [x0 + w * 0.42, y0 + h * 0.3, x1 - w * 0.42, y0 + h * 0.48], c.pal((250, 210, 90), depth), lw, ink
    )


def place_farm(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.52)
    _meadow_sky(c, r, horizon)
    _hills(c, r, horizon + c.ss, c.h * 0.07, c.pal(FAR_GRASS, 0.8), 0.8, bumps=2)
    # patchwork fields between the horizon and the fence
    fence_base = c.Y(0.66)
    colours = [(236, 206, 90), (150, 196, 80), (190, 140, 90), (214, 226, 110), (120, 178, 70)]
    snowy = "snow" in c.weather
    bands = [horizon, horizon + (fence_base - horizon) * 0.3, horizon + (fence_base - horizon) * 0.62, fence_base]
    lw = c.lw(c.h * 0.1)
    for j in range(3):
        ya, yb = bands[j], bands[j + 1]
        xs = sorted([0.0, c.w] + [c.X(r.uniform(0.15, 0.85)) for _ in range(2)])
        for i in range(len(xs) - 1):
            col = colours[(i + 2 * j + r.randrange(2)) % len(colours)]
            col = _mix(col, SNOW_WHITE, 0.8) if snowy else col
            d = 0.7 - 0.2 * j
            poly = [(xs[i], ya), (xs[i + 1], ya), (xs[i + 1] + (xs[i + 1] - c.w / 2) * 0.15, yb),
                    (xs[i] + (xs[i] - c.w / 2) * 0.15, yb)]
            _shape(c, "poly", poly, c.pal(col, d), lw, c.ink(d))
            furrow = c.pal(_mix(col, INK, 0.15), d)
            for k in range(1, 5):
                t = k / 5
                xa = xs[i] + (xs[i + 1] - xs[i]) * t
                c.d.line([(xa, ya), (xa + (xa - c.w / 2) * 0.15, yb)], fill=furrow, width=max(c.ss, lw // 2))
    bx = c.X(0.64 + r.uniform(-0.04, 0.04))
    bw, bh = c.X(0.2), c.h * 0.17
    base = horizon + (bands[1] - horizon) * 0.6
    silo_x = bx + bw + c.X(0.01)
    _shape(
        c,
        "rect",
        [silo_x, base - bh * 1.1, silo_x + bw * 0.28, base],
        c.pal(LIGHT_GREY, 0.5),
        c.lw(bh * 0.6),
        c.ink(0.3),
    )
    _shape(c, "ellipse", [silo_x, base - bh * 1.1 - bw * 0.14, silo_x + bw * 0.28, base - bh * 1.1 + bw * 0.14],
           c.pal(GREY, 0.5), c.lw(bh * 0.6), c.ink(0.3))
    _barn(c, (bx, base - bh, bx + bw, base), 0.45)
    _tree(c, c.X(0.14), base, c.h * 0.16, "round", 0.5, r)
    col = _mix(GRASS, SNOW_WHITE, 0.8) if snowy else GRASS
    _ground(c, fence_base - c.h * 0.01, c.pal(col))
    _tufts(c, r, (0, fence_base + c.h * 0.04, c.w, c.h), 30, c.pal(_mix(col, INK, 0.22)))
    # a rail fence across the middle distance
    fh = c.h * 0.075
    flw = c.lw(fh)
    wood = c.pal(WOOD)
    for y in (fence_base - fh * 0.8, fence_base - fh * 0.4):
        _shape(c, "rect", [-flw, y - fh * 0.07, c.w + flw, y + fh * 0.07], wood, flw)
    x = c.X(0.03)
    while x < c.w:
        _shape(c, "rect", [x - fh * 0.07, fence_base - fh, x + fh * 0.07, fence_base + fh * 0.05], wood, flw)
        x += c.X(0.12)
    c.features["barn"] = (bx - bw * 0.06, base - bh, bx + bw * 1.06, base)
    c.features["field"] = (0, horizon, c.w, fence_base)
    c.features["fence"] = (0, fence_base - fh, c.w, fence_base)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    return horizon


def place_beach(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.5)
    c.surfaces["sky"] = _sky(c, horizon, r)
    surf = c.Y(0.645)
    _water(c, r, (0, horizon, c.w, surf + c.h * 0.02), (120, 196, 236), (48, 140, 206), 24)
    sand = c.pal(SAND)
    wet = c.pal(WET_SAND)
    # the surf: white foam scallops along the shore, the wet sand under them
    c.d.rectangle([0, surf, c.w, c.h], fill=sand)
    n = 7
    pts = []
    for i in range(n * 8 + 1):
        x = c.w * i / (n * 8)
        y = surf + c.h * 0.012 * math.sin(i / 8 * 2 * math.pi) + c.h * 0.01
        pts.append((x, y))
    c.d.polygon([(0, surf - c.h * 0.004)] + pts + [(c.w, surf - c.h * 0.004)], fill=c.pal(WHITE))
    c.d.polygon(pts + [(c.w, surf + c.h * 0.05), (0, surf + c.h * 0.05)], fill=wet)
    c.d.line(pts, fill=INK, width=c.lw(c.h * 0.15), joint="curve")
    lo = [(x, y + c.h * 0.035) for x, y in pts]
    c.d.polygon(lo + [(c.w, c.h), (0, c.h)], fill=sand)
    for _ in range(10):  # shells and pebbles
        x, y = r.uniform(0, c.w), r.uniform(surf + c.h * 0.08, c.h * 0.98)
        s = c.h * r.uniform(0.005, 0.009)
        _shape(c, "ellipse", [x - s * 1.3, y - s, x + s * 1.3, y + s], c.pal(r.choice((PINK, CREAM, LIGHT_GREY))),
               max(c.ss, round(s * 0.3)))
    c.surfaces["water"] = (0, horizon, c.w, surf)
    c.surfaces["ground"] = (0, surf + c.h * 0.02, c.w, c.h)
    c.features["sea"] = (0, horizon, c.w, surf)
    return horizon


def _reeds(c: _Canvas, r: random.Random, x0: float, x1: float, base: float, h: float) -> None:
    green = c.pal((92, 158, 49))
    lw = max(c.ss, round(h * 0.04))
    for _ in range(int((x1 - x0) / (h * 0.12)) + 1):
        x = r.uniform(x0, x1)
        hh = h * r.uniform(0.6, 1.0)
        lean = r.uniform(-0.15, 0.15) * hh
        c.d.line([(x, base), (x + lean, base - hh)], fill=green, width=lw)
        if r.random() < 0.5:  # a cattail
            tx, ty = x + lean * 0.9, base - hh * 0.9
            _shape(c, "rrect", [tx - hh * 0.04, ty - hh * 0.1, tx + hh * 0.04, ty + hh * 0.1], c.pal(DARK_BROWN), c.ss,
                   radius=hh * 0.04)


def _shoreline(c: _Canvas, r: random.Random, y: float, amp: float, n: int = 40) -> list[tuple[float, float]]:
    ph = r.uniform(0, 6.28)
    return [
        (c.w * i / n, y + amp * math.sin(i / n * 9 + ph) * 0.5 + amp * 0.5 * math.sin(i / n * 23 + ph))
        for i in range(n + 1)
    ]


def _far_trees(c: _Canvas, r: random.Random, base: float, h: float, depth: float, n: int = 12,
               kinds: tuple = ("round", "pine"), snowy: bool = False) -> None:
    for i in range(n):
        x = c.w * (i + r.uniform(0.1, 0.9)) / n
        _tree(c, x, base, h * r.uniform(0.75, 1.2), r.choice(kinds), depth, r, snowy=snowy)


def place_lake(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.5)
    c.surfaces["sky"] = _sky(c, horizon - c.h * 0.04, r)
    _hills(c, r, horizon - c.h * 0.02, c.h * 0.12, c.pal((150, 170, 200), 0.9), 0.9, bumps=2)
    shore = c.pal(FAR_GRASS, 0.7)
    c.d.rectangle([0, horizon - c.h * 0.035, c.w, horizon + c.ss], fill=shore)
    _far_trees(c, r, horizon - c.h * 0.01, c.h * 0.08, 0.65, 14)
    bank = c.Y(0.69)
    _water(c, r, (0, horizon, c.w, bank + c.h * 0.03), (136, 200, 236), (60, 150, 210), 18)
    c.d.line([(0, horizon), (c.w, horizon)], fill=c.ink(0.5), width=c.lw(c.h * 0.1))
    snowy = "snow" in c.weather
    col = _mix(GRASS, SNOW_WHITE, 0.8) if snowy else GRASS
    edge = _shoreline(c, r, bank, c.h * 0.012)
    c.d.polygon(edge + [(c.w, c.h), (0, c.h)], fill=c.pal(col))
    c.d.line(edge, fill=INK, width=c.lw(c.h * 0.15), joint="curve")
    _tufts(c, r, (0, bank + c.h * 0.05, c.w, c.h), 26, c.pal(_mix(col, INK, 0.22)))
    _reeds(c, r, 0, c.X(0.14), bank + c.h * 0.02, c.h * 0.11)
    _reeds(c, r, c.X(0.88), c.w, bank + c.h * 0.02, c.h * 0.09)
    c.surfaces["water"] = (0, horizon, c.w, bank)
    c.features["lake"] = (0, horizon, c.w, bank)
    c.surfaces["ground"] = (0, bank + c.h * 0.012, c.w, c.h)
    return horizon


def _arch_bridge(c: _Canvas, top: float, bottom: float) -> tuple[float, float]:
    """A stone bridge across the whole picture, its deck at ``top``, three arches standing in
    the water down to ``bottom``; returns the deck's (top, bottom)."""
    deck = c.h * 0.045
    y0, y1 = int(top), int(bottom) + 1
    hgt = y1 - y0
    stone, dark = c.pal((200, 172, 140)), c.pal((168, 142, 112))
    layer = Image.new("RGB", (c.w, hgt), stone)
    ld = _draw(layer)
    lw = c.lw(c.h * 0.2)
    thin = max(c.ss, lw // 2)
    rows = 5
    for i in range(1, rows + 1):  # stone courses with staggered joints
        y = deck + (hgt - deck) * i / rows
        ld.line([(0, y), (c.w, y)], fill=dark, width=thin)
        step = c.X(0.07)
        x = step * (0.5 if i % 2 else 0.0)
        ya = deck + (hgt - deck) * (i - 1) / rows
        while x < c.w:
            ld.line([(x, ya), (x, y)], fill=dark, width=thin)
            x += step
    mask = Image.new("L", (c.w, hgt), 255)
    md = _draw(mask)
    span = c.w / 3
    arch_top = deck + c.h * 0.04
    holes = []
    for i in range(3):
        cx = span * (i + 0.5)
        rx = span * 0.5 - c.X(0.04)
        holes.append((cx - rx, arch_top, cx + rx, hgt + (hgt - arch_top)))
        md.ellipse(holes[-1], fill=0)
    c.img.paste(layer, (0, y0), mask)
    for hx0, hy0, hx1, hy1 in holes:
        g = c.h * 0.018
        c.d.arc([hx0 - g, y0 + hy0 - g, hx1 + g, y0 + hy1 + g], 180, 360, fill=dark, width=thin)
        c.d.arc([hx0, y0 + hy0, hx1, y0 + hy1], 180, 360, fill=INK, width=lw)
    _shape(c, "rect", [-lw, top, c.w + lw, top + deck], c.pal((150, 120, 96)), lw)
    return top, top + deck


def place_river(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.48)
    bridge = "bridge" in opts["features"]
    c.surfaces["sky"] = _sky(c, horizon, r)
    _hills(c, r, horizon + c.ss, c.h * 0.08, c.pal(FAR_GRASS, 0.85), 0.85, bumps=2)
    snowy = "snow" in c.weather
    col = _mix(GRASS, SNOW_WHITE, 0.8) if snowy else GRASS
    far_bank = c.pal(col, 0.45)
    c.d.rectangle([0, horizon, c.w, c.Y(0.58)], fill=far_bank)
    c.d.line([(0, horizon), (c.w, horizon)], fill=c.ink(0.5), width=c.lw(c.h * 0.1))
    _far_trees(c, r, horizon + c.h * 0.02, c.h * 0.1, 0.55, 8)
    w0, w1 = c.Y(0.555), c.Y(0.672)
    top_edge = _shoreline(c, r, w0, c.h * 0.008)
    _water(c, r, (0, w0 - c.h * 0.01, c.w, w1 + c.h * 0.02), (110, 186, 230), (56, 140, 204), 16, depth_top=0.4)
    c.d.polygon([(0, w0 - c.h * 0.02)] + top_edge + [(c.w, w0 - c.h * 0.02)], fill=far_bank)
    c.d.line(top_edge, fill=INK, width=c.lw(c.h * 0.12), joint="curve")
    flow = c.pal((196, 230, 250))
    for _ in range(8):  # flow lines
        x, y = r.uniform(0, c.w), r.uniform(w0 + c.h * 0.02, w1 - c.h * 0.01)
        c.d.line([(x, y), (x + c.X(0.08), y)], fill=flow, width=max(c.ss, c.lw(c.h * 0.1) // 2))
    if bridge:
        deck = _arch_bridge(c, c.Y(0.4), w1 - c.h * 0.015)
        c.surfaces["bridge"] = (0, deck[0], c.w, deck[1])
        c.features["bridge"] = (0, deck[0], c.w, w1)
    edge = _shoreline(c, r, w1, c.h * 0.01)
    c.d.polygon(edge + [(c.w, c.h), (0, c.h)], fill=c.pal(col))
    c.d.line(edge, fill=INK, width=c.lw(c.h * 0.15), joint="curve")
    _tufts(c, r, (0, w1 + c.h * 0.05, c.w, c.h), 26, c.pal(_mix(col, INK, 0.22)))
    _reeds(c, r, c.X(0.86), c.w, w1 + c.h * 0.02, c.h * 0.1)
    c.surfaces["water"] = (0, w0, c.w, w1)
    c.features["river"] = (0, w0, c.w, w1)
    c.surfaces["ground"] = (0, w1 + c.h * 0.01, c.w, c.h)
    c.surfaces["far bank"] = (0, horizon, c.w, w0)
    return horizon


def _crest(c: _Canvas, x: float, y: float, w: float) -> None:
    """A wave crest: a short white "~" stroke on the water."""
    pts = [(x + w * t, y - w * 0.12 * math.sin(2 * math.pi * t)) for t in (i / 16 for i in range(17))]
    c.d.line(pts, fill=c.pal((236, 248, 255)), width=max(c.ss, round(w * 0.09)), joint="curve")


def _sky_over_sea(c: _Canvas, r: random.Random, horizon: float, deep: RGB, ripples: int) -> None:
    """Sky down to the horizon, open water from it to the bottom edge, a thin horizon line."""
    c.surfaces["sky"] = _sky(c, horizon, r)
    _water(c, r, (0, horizon, c.w, c.h), (120, 192, 234), deep, ripples, depth_top=0.6)
    c.d.line([(0, horizon), (c.w, horizon)], fill=c.ink(0.6), width=c.lw(c.h * 0.1))


def place_sea(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.5)
    _sky_over_sea(c, r, horizon, (30, 110, 186), 44)
    for n, (fy0, fy1), size in ((8, (0.56, 0.66), 0.05), (6, (0.68, 0.8), 0.08), (5, (0.82, 0.96), 0.12)):
        for _ in range(n):  # crests, bigger nearer
            _crest(c, r.uniform(-0.05, 0.95) * c.w, c.Y(r.uniform(fy0, fy1)), c.X(size * r.uniform(0.8, 1.2)))
    c.surfaces["water"] = (0, horizon, c.w, c.h)
    c.features["sea"] = (0, horizon, c.w, c.h)
    return horizon


def place_island(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.46)
    _sky_over_sea(c, r, horizon, (36, 120, 196), 40)
    water_line, top = c.Y(0.7), c.Y(0.585)
    xl, xr = c.X(0.14), c.X(0.86)
    fl, fr = c.X(0.3), c.X(0.7)
    lw = c.lw(c.h * 0.15)
    # foam ring, sand hump, grass cap
    c.d.ellipse([xl - c.X(0.04), water_line - c.h * 0.025, xr + c.X(0.04), water_line + c.h * 0.03], fill=c.pal(WHITE),
                outline=INK, width=lw)
    hump = [(xl, water_line)]
    for i in range(13):
        t = i / 12
        hump.append((xl + (fl - xl) * t, water_line - (water_line - top) * math.sin(t * math.pi / 2) ** 0.8))
    hump += [
        (fr + (xr - fr) * (i / 12), water_line - (water_line - top) * math.cos(i / 12 * math.pi / 2) ** 0.8)
        for i in range(13)
    ]
    _shape(c, "poly", hump, c.pal(SAND), lw)
    cut = water_line - (water_line - top) * 0.6
    grass = [(x, y - c.h * 0.006) for x, y in hump if y < cut]
    if len(grass) > 2:
        gx0, gx1 = grass[0][0], grass[-1][0]
        lower = [
            (gx1 - (gx1 - gx0) * t, cut + c.h * 0.012 * (1 + math.sin(t * math.pi * 7)))
            for t in (i / 14 for i in range(15))
        ]
        _shape(
            c,
            "poly",
            grass + lower,
            c.pal(_mix(GRASS, SNOW_WHITE, 0.8) if "snow" in c.weather else GRASS),
            max(c.ss, lw * 2 // 3),
        )
    _palm(c, c.X(0.64), top + c.h * 0.01, c.h * 0.3)
    for fx in (0.22, 0.8):
        x = c.X(fx)
        _shape(
            c,
            "ellipse",
            [x - c.X(0.03), water_line - c.h * 0.03, x + c.X(0.03), water_line + c.h * 0.005],
            c.pal(GREY),
            max(c.ss, lw // 2 + c.ss),
        )
    c.surfaces["water"] = (0, horizon, c.w, c.h)
    c.features["sea"] = (0, horizon, c.w, c.h)
    c.surfaces["island"] = (fl, top, fr, water_line)
    c.features["island"] = (xl, top, xr, water_line)
    return horizon


def _range(c: _Canvas, r: random.Random, base: float, peak_lo: float, peak_hi: float, n: int, colour: RGB, depth: float,
           caps: bool) -> tuple[float, float, float, float]:
    """A mountain range: ``n`` peaks between heights peak_lo..peak_hi (canvas y), snow caps.
    Returns the box of its highest peak."""
    step = c.w / n
    pts = [(-step * 0.5, base)]
    peaks = []
    for i in range(n + 1):
        px = step * (i + r.uniform(-0.15, 0.15))
        py = r.uniform(peak_hi, peak_lo)
        vx = px + step * r.uniform(0.4, 0.6)
        vy = base - (base - py) * r.uniform(0.3, 0.5)
        pts += [(px, py), (vx, vy)]
        peaks.append(len(pts) - 2)
    pts += [(c.w + step, base)]
    lw = c.lw(base - peak_hi)
    ink = c.ink(depth * 0.5)
    c.d.polygon(pts + [(c.w + step, base + c.h * 0.05), (-step, base + c.h * 0.05)], fill=c.pal(colour, depth))
    if caps:
        white = c.pal(SNOW_WHITE, depth * 0.6)
        for k in peaks:
            (ax, ay), (px, py), (bx, by) = pts[k - 1], pts[k], pts[k + 1]
            t = 0.32
            lx, ly = px + (ax - px) * t, py + (ay - py) * t
            rx, ry = px + (bx - px) * t, py + (by - py) * t
            cap = [
                (px, py),
                (rx, ry),
                (px + (rx - px) * 0.55, ry - (ry - py) * 0.15),
                (px + (lx - px) * 0.2, ly - (ly - py) * 0.05),
                (px + (lx - px) * 0.6, ly + (ly - py) * 0.05),
                (lx, ly),
            ]
            c.d.polygon(cap, fill=white)
            c.d.line(cap + [cap[0]], fill=ink, width=max(c.ss, lw // 2), joint="curve")
    c.d.line(pts, fill=ink, width=lw, joint="curve")
    best = min(peaks, key=lambda k: pts[k][1] if 0 < pts[k][0] < c.w else c.h)
    px, py = pts[best]
    return (px - step * 0.6, py, px + step * 0.6, base)


def place_mountains(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.6)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2)
    _range(c, r, horizon, c.Y(0.3), c.Y(0.14), 3, (150, 166, 204), 0.7, True)
    main = _range(c, r, horizon, c.Y(0.42), c.Y(0.26), 4, (112, 128, 168), 0.35, True)
    _hills(c, r, horizon + c.ss, c.h * 0.06, c.pal((112, 176, 70), 0.3), 0.3, bumps=3)
    _far_trees(c, r, horizon + c.h * 0.005, c.h * 0.07, 0.35, 9, ("pine",), "snow" in c.weather)
    _grass_ground(c, r, horizon)
    if "snow" not in c.weather:
        _flowers(c, r, (0, horizon + (c.h - horizon) * 0.2, c.w, c.h), 10)
    c.features["mountain"] = main
    c.features["mountains"] = (0, c.Y(0.14), c.w, horizon)
    return horizon


def place_cliff(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.5)
    _sky_over_sea(c, r, horizon, (30, 110, 186), 30)
    for _ in range(4):
        _crest(c, c.X(r.uniform(0.55, 0.95)), c.Y(r.uniform(0.7, 0.95)), c.X(r.uniform(0.07, 0.11)))
    top, edge = c.Y(0.42), c.X(0.4)
    # the cliff face: jagged, leaning out towards its foot
    n = 10
    face = [(edge, top)]
    for i in range(1, n + 1):
        t = i / n
        jag = c.X(0.045) * (r.random() - 0.5) if i < n else 0.0
        face.append((edge + c.X(0.12) * t ** 1.3 + jag, top + (c.h - top) * t))
    rock, dark = c.pal((206, 168, 124)), c.pal((164, 126, 90))
    lw = c.lw(c.h * 0.2)
    thin = max(c.ss, lw // 2)
    c.d.polygon([(-c.X(0.02), top)] + face + [(-c.X(0.02), c.h + c.ss)], fill=rock)
    for i in range(n):  # shadowed facets along the face, lit slabs behind it
        (ax, ay), (bx, by) = face[i], face[i + 1]
        c.d.polygon([(ax, ay), (bx, by), (bx - c.X(0.06), by), (ax - c.X(0.035), (ay + by) / 2)], fill=dark)
    for k in range(1, 7):  # strata
        y = top + (c.h - top) * k / 7
        c.d.line(
            [
                (0, y + c.h * 0.012 * math.sin(k * 1.7)),
                (c.X(0.18), y - c.h * 0.01),
                (edge + c.X(0.12) * (k / 7) ** 1.3 - c.X(0.05), y),
            ],
            fill=dark,
            width=thin,
            joint="curve",
        )
    c.d.line(face, fill=INK, width=lw, joint="curve")
    # rocks and foam at the foot
    fx, fy = face[-3]
    for k, (dx, dy, s) in enumerate(((0.02, 0.02, 0.05), (0.08, 0.06, 0.035), (0.05, 0.1, 0.045))):
        x, y, rs = fx + c.X(dx), fy + c.Y(dy), c.X(s)
        _shape(c, "chord", [x - rs, y - rs * 0.8, x + rs, y + rs * 0.8], c.pal((150, 120, 96)), thin)
    foam = [
        (x + c.X(0.012) + c.X(0.012) * math.sin(i * 2.1), y)
        for i, (x, y) in enumerate(face)
        if y >= horizon - c.h * 0.01
    ]
    edge_pts = [(x, y) for x, y in face if y >= horizon - c.h * 0.01]
    if len(foam) > 1:
        c.d.polygon(edge_pts + foam[::-1], fill=c.pal(WHITE))
        c.d.line(foam, fill=INK, width=thin, joint="curve")
    # the grassy top
    grass = c.pal(_mix(GRASS, SNOW_WHITE, 0.8) if "snow" in c.weather else GRASS)
    lip = [(-c.X(0.02), top - c.h * 0.015), (edge + c.X(0.012), top - c.h * 0.015)]
    drips = [
        (edge + c.X(0.015), top + c.h * 0.025),
        (edge - c.X(0.03), top + c.h * 0.035),
        (edge - c.X(0.06), top + c.h * 0.02),
        (edge - c.X(0.11), top + c.h * 0.045),
        (edge - c.X(0.17), top + c.h * 0.025),
        (edge - c.X(0.26), top + c.h * 0.04),
        (-c.X(0.02), top + c.h * 0.025),
    ]
    _shape(c, "poly", lip + drips, grass, lw)
    c.surfaces["cliff"] = (0, top - c.h * 0.015, edge, c.h)
    c.features["cliff"] = (0, top - c.h * 0.015, edge + c.X(0.12), c.h)
    c.surfaces["water"] = (edge + c.X(0.1), horizon, c.w, c.h)
    c.features["sea"] = (edge, horizon, c.w, c.h)
    return horizon


def place_forest(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2)
    snowy = "snow" in c.weather
    _far_trees(c, r, horizon + c.h * 0.01, c.h * 0.12, 0.75, 16, ("pine",), snowy)
    _far_trees(c, r, horizon + c.h * 0.02, c.h * 0.18, 0.5, 8, ("pine", "round"), snowy)
    col = _mix((104, 166, 66), SNOW_WHITE, 0.8) if snowy else (104, 166, 66)
    _ground(c, horizon + c.h * 0.01, c.pal(col))
    _tufts(c, r, (0, horizon + c.h * 0.05, c.w, c.h), 30, c.pal(_mix(col, INK, 0.25)))
    # middle trees at the sides, leaving the middle free
    for fx, fh in ((0.08, 0.34), (0.25, 0.26), (0.76, 0.27), (0.93, 0.36)):
        _tree(
            c,
            c.X(fx + r.uniform(-0.02, 0.02)),
            horizon + c.h * 0.06,
            c.h * fh,
            r.choice(("pine", "round")),
            0.2,
            r,
            snowy,
        )
    # big near trunks at the edges, their crowns off the top
    for x in (c.X(-0.02), c.X(1.02)):
        tw = c.X(0.09)
        _shape(c, "rect", [x - tw / 2, c.Y(0.2), x + tw / 2, c.Y(0.99)], c.pal(DARK_BROWN), c.lw(c.h * 0.3))
        _union(c, [("circle", x, c.Y(0.1), c.h * 0.2), ("circle", x + (c.w / 2 - x) * 0.25, c.Y(0.02), c.h * 0.13)],
               c.pal(DARK_GREEN if not snowy else (84, 140, 96)), c.lw(c.h * 0.3))
    if not snowy:
        for fx in (0.35, 0.62):  # mushrooms
            mx, my = c.X(fx + r.uniform(-0.05, 0.05)), c.Y(r.uniform(0.8, 0.95))
            s = c.h * 0.018
            _shape(c, "rect", [mx - s * 0.35, my - s, mx + s * 0.35, my], c.pal(CREAM), c.ss)
            _shape(c, "poly", [(mx - s, my - s * 0.8), (mx, my - s * 1.8), (mx + s, my - s * 0.8)], c.pal(RED), c.ss)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    c.features["trees"] = (0, c.Y(0.0), c.w, horizon + c.h * 0.06)
    return horizon


def _cactus(c: _Canvas, x: float, base: float, h: float, depth: float) -> None:
    w = h * 0.2
    col = c.pal((100, 170, 80), depth)
    lw = c.lw(h)
    ink = c.ink(depth * 0.5)
    shapes = [("rect", x - w / 2, base - h + w / 2, x + w / 2, base), ("circle", x, base - h + w / 2, w / 2),
              ("rect", x - w * 1.6, base - h * 0.62, x - w * 1.6 + w * 0.7, base - h * 0.35),
              ("circle", x - w * 1.25, base - h * 0.62, w * 0.35),
              ("rect", x - w * 1.6, base - h * 0.42, x, base - h * 0.35 + w * 0.1),
              ("rect", x + w * 0.9, base - h * 0.78, x + w * 1.6, base - h * 0.5),
              ("circle", x + w * 1.25, base - h * 0.78, w * 0.35),
              ("rect", x, base - h * 0.56, x + w * 1.6, base - h * 0.5 + w * 0.05)]
    _union(c, shapes, col, lw, ink)


def place_desert(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=1)
    _hills(c, r, horizon + c.ss, c.h * 0.11, c.pal((230, 170, 100), 0.6), 0.6, bumps=2)
    _hills(c, r, horizon + c.ss, c.h * 0.055, c.pal((240, 196, 126), 0.35), 0.35, bumps=3)
    sand = c.pal((246, 214, 148))
    _ground(c, horizon, sand)
    # a near dune's shaded flank sweeping across the foreground
    ridge = [(c.w * i / 30, c.Y(0.8) - c.h * 0.07 * math.sin(math.pi * i / 30 * 1.2 + 0.3)) for i in range(31)]
    c.d.polygon(ridge + [(c.w, c.h), (0, c.h)], fill=c.pal((236, 196, 126)))
    c.d.line(ridge, fill=c.pal((214, 168, 100)), width=c.lw(c.h * 0.12), joint="curve")
    ripple = c.pal((222, 186, 120))
    for _ in range(16):
        x, y = r.uniform(-0.1, 1) * c.w, r.uniform(horizon + c.h * 0.04, c.h)
        k = (y - horizon) / (c.h - horizon)
        w = c.X(0.12) * (0.4 + k)
        c.d.arc([x, y, x + w, y + w * 0.2], 200, 340, fill=ripple, width=max(c.ss, round(c.h * 0.004 * (0.5 + k))))
    _cactus(c, c.X(0.14), horizon + c.h * 0.05, c.h * 0.16, 0.3)
    _cactus(c, c.X(0.84), horizon + c.h * 0.02, c.h * 0.1, 0.5)
    for fx in (0.3, 0.7):  # pebbles
        x, y = c.X(fx + r.uniform(-0.1, 0.1)), c.Y(r.uniform(0.82, 0.96))
        _shape(
            c,
            "ellipse",
            [x - c.h * 0.015, y - c.h * 0.008, x + c.h * 0.015, y + c.h * 0.006],
            c.pal((190, 160, 120)),
            c.ss,
        )
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    c.features["dunes"] = (0, horizon - c.h * 0.09, c.w, horizon)
    return horizon


def place_snow(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2)
    _hills(c, r, horizon + c.ss, c.h * 0.12, c.pal((226, 234, 246), 0.6), 0.6, bumps=2)
    _far_trees(c, r, horizon + c.h * 0.005, c.h * 0.1, 0.55, 10, ("pine",), True)
    _hills(c, r, horizon + c.ss, c.h * 0.035, c.pal(SNOW_WHITE, 0.3), 0.3, bumps=3)
    _ground(c, horizon, c.pal(SNOW_WHITE))
    shade = c.pal(SNOW_SHADE)
    for _ in range(9):  # drifts
        x, y = r.uniform(-0.1, 1.0) * c.w, r.uniform(horizon + c.h * 0.05, c.h)
        k = (y - horizon) / (c.h - horizon)
        w = c.X(0.22) * (0.4 + k)
        c.d.chord([x, y - w * 0.1, x + w, y + w * 0.1], 180, 360, fill=shade)
    for fx, fh in ((0.1, 0.3), (0.9, 0.24)):
        _tree(c, c.X(fx), horizon + c.h * 0.08, c.h * fh, "pine", 0.15, r, snowy=True)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    return horizon


def _building(c: _Canvas, r: random.Random, box, colour: RGB, depth: float = 0.0) -> None:
    x0, y0, x1, y1 = box
    lw = c.lw(min(y1 - y0, (x1 - x0) * 2))
    ink = c.ink(depth * 0.6)
    _shape(c, "rect", [x0, y0, x1, y1], c.pal(colour, depth), lw, ink)
    ww = (x1 - x0)
    cols = max(2, int(ww / (c.h * 0.05)))
    rows = max(2, int((y1 - y0) / (c.h * 0.07)))
    gx = ww / cols
    gy = (y1 - y0 - c.h * 0.02) / rows
    glass = (120, 190, 230)
    lit = (255, 214, 110)
    for i in range(cols):
        for j in range(rows):
            wx0 = x0 + gx * (i + 0.25)
            wy0 = y0 + c.h * 0.02 + gy * (j + 0.2)
            if c.time == "night":
                col = lit if r.random() < 0.45 else c.pal((60, 70, 90), depth)
            else:
                col = c.pal(glass, depth)
            _shape(c, "rect", [wx0, wy0, wx0 + gx * 0.5, wy0 + gy * 0.55], col, max(c.ss, lw // 2), ink)


def place_city(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2)
    colours = [(150, 170, 200), (214, 130, 104), (236, 210, 150), (120, 190, 180), (190, 170, 210), (200, 200, 196)]
    # far row (hazy), then near row
    x = -c.X(0.02)
    while x < c.w:
        w = c.X(r.uniform(0.1, 0.16))
        h = c.Y(r.uniform(0.26, 0.42))
        _building(c, r, (x, horizon - h, x + w, horizon + c.ss), _mix(r.choice(colours), (170, 190, 220), 0.35), 0.7)
        x += w + c.X(r.uniform(0.0, 0.03))
    x = -c.X(0.05)
    while x < c.w:
        w = c.X(r.uniform(0.14, 0.22))
        h = c.Y(r.uniform(0.13, 0.3))
        _building(c, r, (x, horizon - h, x + w, horizon + c.ss), r.choice(colours), 0.25)
        x += w + c.X(r.uniform(0.01, 0.05))
    far_kerb, road0, road1 = horizon, c.Y(0.62), c.Y(0.8)
    lw = c.lw(c.h * 0.15)
    _shape(c, "rect", [-lw, far_kerb, c.w + lw, road0], c.pal((200, 198, 194)), lw)
    _shape(c, "rect", [-lw, road0, c.w + lw, road1], c.pal((96, 98, 106)), lw)
    dash = c.X(0.07)
    y = (road0 + road1) / 2
    x = c.X(0.02)
    while x < c.w:
        c.d.rectangle([x, y - c.h * 0.006, x + dash, y + c.h * 0.006], fill=c.pal((250, 250, 240)))
        x += dash * 2
    _shape(c, "rect", [-lw, road1, c.w + lw, road1 + c.h * 0.02], c.pal((176, 174, 170)), lw)
    pav = c.pal((214, 212, 206))
    c.d.rectangle([0, road1 + c.h * 0.02 + lw / 2, c.w, c.h], fill=pav)
    slab = c.pal((186, 184, 178))
    for i in range(-6, 16):
        xb = c.w * i / 8
        c.d.line([(c.w / 2 + (xb - c.w / 2) * 0.8, road1 + c.h * 0.02), (xb, c.h)], fill=slab, width=max(c.ss, lw // 2))
    c.d.line([(0, c.Y(0.9)), (c.w, c.Y(0.9))], fill=slab, width=max(c.ss, lw // 2))
    # two street lamps on the far pavement
    for fx in (0.2, 0.8):
        lx = c.X(fx)
        ph = c.h * 0.2
        _shape(
            c,
            "rect",
            [lx - ph * 0.025, road0 - ph, lx + ph * 0.025, road0 - c.h * 0.005],
            c.pal(DARK_GREY),
            c.lw(ph * 0.4),
        )
        bulb = (255, 226, 120) if c.time != "day" else c.pal((236, 236, 220))
        if c.time == "night":
            c.d.ellipse(
                [lx - ph * 0.22, road0 - ph * 1.15, lx + ph * 0.22, road0 - ph * 0.75],
                fill=_mix(c.pal(c.look.sky[-1]), bulb, 0.3),
            )
        _shape(
            c, "ellipse", [lx - ph * 0.07, road0 - ph * 1.05, lx + ph * 0.07, road0 - ph * 0.9], bulb, c.lw(ph * 0.4)
        )
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    c.surfaces["road"] = (0, road0, c.w, road1)
    c.surfaces["pavement"] = (0, road1, c.w, c.h)
    return horizon


def place_space(c: _Canvas, r: random.Random, opts: dict) -> float:
    _gradient(c, (0, 0, c.w, c.h), ((4, 6, 20), (14, 14, 44), (34, 18, 62)))
    for _ in range(3):  # faint nebula puffs
        x, y, s = r.uniform(0, c.w), r.uniform(0, c.h), c.h * r.uniform(0.15, 0.3)
        box = (int(x - s), int(y - s * 0.5), int(x + s) + 1, int(y + s * 0.5) + 1)
        puff = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
        _draw(puff).ellipse([0, 0, puff.width - 1, puff.height - 1], fill=28)
        c.img.paste((120, 70, 170), box, puff)
    _stars(c, r, (0, 0, c.w, c.h), 160)
    # a ringed planet and a small red one
    px, py, pr = c.X(0.8), c.Y(0.2), c.h * 0.07
    lw = c.lw(pr * 2)
    ring = [px - pr * 1.9, py - pr * 0.45, px + pr * 1.9, py + pr * 0.45]
    c.d.arc(ring, 160, 380, fill=INK, width=lw * 3)
    c.d.arc(ring, 160, 380, fill=GOLD, width=lw)
    _shape(c, "ellipse", [px - pr, py - pr, px + pr, py + pr], ORANGE, lw)
    c.d.chord([px - pr + lw, py - pr * 0.3, px + pr - lw, py + pr * 0.1], 0, 180, fill=(230, 140, 60))
    c.d.arc(ring, 0, 160, fill=INK, width=lw * 3)
    c.d.arc(ring, 0, 160, fill=GOLD, width=lw)
    qx, qy, qr = c.X(0.12), c.Y(0.72), c.h * 0.03
    _shape(c, "ellipse", [qx - qr, qy - qr, qx + qr, qy + qr], RED, c.lw(qr * 2))
    c.surfaces["sky"] = (0, 0, c.w, c.h)
    c.features["planet"] = (px - pr * 1.9, py - pr, px + pr * 1.9, py + pr)
    _celestial(c, c.h, c.sun, c.moon)
    return c.Y(0.56)


def place_moon(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.58)
    _gradient(c, (0, 0, c.w, horizon + c.h * 0.05), ((2, 2, 8), (8, 8, 22)))
    _stars(c, r, (0, 0, c.w, horizon), 90)
    # the Earth, small in the black sky
    ex, ey, er = c.X(0.22), c.Y(0.17), c.h * 0.065
    lw = c.lw(er * 2)
    _shape(c, "ellipse", [ex - er, ey - er, ex + er, ey + er], BLUE, 0)
    green = (92, 178, 72)
    c.d.polygon(
        [
            (ex - er * 0.6, ey - er * 0.6),
            (ex - er * 0.1, ey - er * 0.7),
            (ex, ey - er * 0.2),
            (ex - er * 0.3, ey + er * 0.1),
            (ex - er * 0.7, ey - er * 0.1),
        ],
        fill=green,
    )
    c.d.polygon(
        [
            (ex + er * 0.2, ey + er * 0.1),
            (ex + er * 0.7, ey),
            (ex + er * 0.6, ey + er * 0.6),
            (ex + er * 0.25, ey + er * 0.7),
        ],
        fill=green,
    )
    c.d.ellipse([ex - er * 0.5, ey + er * 0.55, ex + er * 0.1, ey + er * 0.8], fill=WHITE)
    c.d.ellipse([ex - er, ey - er, ex + er, ey + er], outline=INK, width=lw)
    c.features["earth"] = (ex - er, ey - er, ex + er, ey + er)
    # the grey surface with a gently curved edge and craters
    grey, dark = (186, 186, 192), (150, 150, 158)
    edge = [(c.w * i / 40, horizon + c.h * 0.03 * (1 - math.sin(math.pi * i / 40))) for i in range(41)]
    c.d.polygon(edge + [(c.w, c.h), (0, c.h)], fill=grey)
    c.d.line(edge, fill=INK, width=c.lw(c.h * 0.15), joint="curve")
    for _ in range(11):
        y = r.uniform(horizon + c.h * 0.06, c.h * 0.98)
        k = (y - horizon) / (c.h - horizon)
        w = c.X(r.uniform(0.05, 0.12)) * (0.4 + k)
        x = r.uniform(-0.05, 1.0) * c.w
        clw = max(c.ss, c.lw(w * 0.4))
        _shape(c, "ellipse", [x, y - w * 0.16, x + w, y + w * 0.16], dark, clw)
        c.d.chord([x + clw, y - w * 0.16 + clw, x + w - clw, y + w * 0.1], 180, 360, fill=(126, 126, 134))
    c.surfaces["sky"] = (0, 0, c.w, horizon)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    _celestial(c, horizon, False, False)
    return horizon


def _bread(c: _Canvas, x: float, base: float, s: float, kind: str) -> None:
    lw = max(c.ss, c.lw(s))
    crust, light_crust = c.pal((210, 140, 70)), c.pal((236, 186, 110))
    if kind == "loaf":
        _shape(c, "ellipse", [x - s, base - s * 0.9, x + s, base + s * 0.05], crust, lw)
        for k in (-0.4, 0.0, 0.4):
            c.d.line(
                [(x + s * k - s * 0.12, base - s * 0.65), (x + s * k + s * 0.12, base - s * 0.35)],
                fill=light_crust,
                width=lw,
            )
    elif kind == "baguette":
        _shape(c, "rrect", [x - s * 1.3, base - s * 0.38, x + s * 1.3, base], crust, lw, radius=s * 0.19)
        for k in (-0.7, -0.2, 0.3, 0.8):
            c.d.line(
                [(x + s * k - s * 0.1, base - s * 0.28), (x + s * k + s * 0.12, base - s * 0.12)],
                fill=light_crust,
                width=lw,
            )
    elif kind == "cake":
        _shape(c, "rect", [x - s, base - s * 0.9, x + s, base], c.pal(CREAM), lw)
        _shape(c, "rect", [x - s, base - s * 0.55, x + s, base - s * 0.4], c.pal(PINK), max(c.ss, lw // 2))
        icing = (
            [(x - s, base - s * 0.9)]
            + [(x - s + s * 2 * i / 8, base - s * (0.75 if i % 2 else 0.95)) for i in range(9)]
            + [(x + s, base - s * 0.9)]
        )
        c.d.polygon(icing + [(x + s, base - s * 1.05), (x - s, base - s * 1.05)], fill=c.pal(PINK))
        _shape(c, "ellipse", [x - s * 0.18, base - s * 1.4, x + s * 0.18, base - s * 1.04], c.pal(RED), lw)
    else:  # croissant
        pts = [
            (x - s, base),
            (x - s * 0.6, base - s * 0.6),
            (x, base - s * 0.75),
            (x + s * 0.6, base - s * 0.6),
            (x + s, base),
            (x + s * 0.4, base - s * 0.2),
            (x, base - s * 0.3),
            (x - s * 0.4, base - s * 0.2),
        ]
        _shape(c, "poly", pts, c.pal(light_crust), lw)


def place_shop(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.66)
    roof = c.Y(0.09)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2, box=(0, 0, c.w, horizon))
    sign = (opts.get("sign") or "SHOP").strip().upper()[:24] or "SHOP"
    bakery = any(k in sign.lower() for k in ("bake", "bread", "cake", "pastr", "patis", "boulang"))
    lw = c.lw(c.h * 0.3)
    # the neighbours and the shop's own facade
    _shape(c, "rect", [-lw, c.Y(0.2), c.X(0.06), horizon], c.pal((200, 200, 196)), lw)
    _shape(c, "rect", [c.X(0.94), c.Y(0.16), c.w + lw, horizon], c.pal((150, 170, 200)), lw)
    fx0, fx1 = c.X(0.06), c.X(0.94)
    wall = (236, 200, 150) if bakery else (214, 130, 104)
    _shape(c, "rect", [fx0, roof, fx1, horizon], c.pal(wall), lw)
    _shape(
        c, "rect", [fx0 - c.X(0.015), roof - c.h * 0.025, fx1 + c.X(0.015), roof + c.h * 0.012], c.pal(DARK_BROWN), lw
    )
    # sign board
    sb = [c.X(0.16), c.Y(0.115), c.X(0.84), c.Y(0.205)]
    _shape(c, "rrect", sb, c.pal((60, 90, 140) if not bakery else (120, 70, 40)), lw, radius=c.h * 0.012)
    _text(
        c,
        (sb[0] + lw, sb[1] + lw, sb[2] - lw, sb[3] - lw),
        sign,
        c.pal(CREAM) if c.time != "night" else (255, 230, 150),
    )
    # striped awning with a scalloped edge
    a0, a1 = c.Y(0.23), c.Y(0.3)
    ax0, ax1 = c.X(0.09), c.X(0.91)
    stripes = 10
    sw = (ax1 - ax0) / stripes
    for i in range(stripes):
        col = c.pal(RED if i % 2 == 0 else WHITE)
        c.d.rectangle([ax0 + sw * i, a0, ax0 + sw * (i + 1), a1], fill=col)
        c.d.chord(
            [ax0 + sw * i, a1 - sw * 0.5, ax0 + sw * (i + 1), a1 + sw * 0.5], 0, 180, fill=col, outline=INK, width=lw
        )
    c.d.rectangle([ax0, a0, ax1, a1], outline=INK, width=lw)
    # shop window with goods on two shelves; the door
    wx0, wy0, wx1, wy1 = c.X(0.12), c.Y(0.35), c.X(0.58), c.Y(0.6)
    glass = (255, 226, 160) if c.time == "night" else c.pal((196, 226, 240))
    _shape(c, "rect", [wx0, wy0, wx1, wy1], glass, lw)
    day_look = c.look
    if c.time == "night":  # the shop is lit inside: its goods keep their colours
        c.look = _look("night", (), True)
    for sy in (wy0 + (wy1 - wy0) * 0.48, wy1 - (wy1 - wy0) * 0.08):
        _shape(c, "rect", [wx0, sy, wx1, sy + c.h * 0.012], c.pal(WOOD), max(c.ss, lw // 2))
        n = 4
        for i in range(n):
            x = wx0 + (wx1 - wx0) * (i + 0.5) / n
            s = (wx1 - wx0) / n * 0.34
            if bakery:
                _bread(
                    c, x, sy, s, ("loaf", "cake", "baguette", "croissant")[(i + (sy > wy0 + (wy1 - wy0) * 0.5) * 2) % 4]
                )
            else:
                colours = (RED, BLUE, YELLOW, GREEN, PURPLE, ORANGE)
                k = i + (2 if sy > (wy0 + wy1) / 2 else 0)
                _shape(
                    c,
                    "rrect" if k % 2 else "rect",
                    [x - s * 0.7, sy - s * 1.3, x + s * 0.7, sy],
                    c.pal(colours[k % 6]),
                    max(c.ss, lw // 2),
                    radius=s * 0.3,
                )
                _shape(
                    c, "rect", [x - s * 0.4, sy - s * 0.9, x + s * 0.4, sy - s * 0.5], c.pal(WHITE), max(c.ss, lw // 3)
                )
    c.look = day_look
    for k in (0.15, 0.22):  # reflections
        c.d.line([(wx0 + (wx1 - wx0) * k, wy0 + c.h * 0.01), (wx0 + (wx1 - wx0) * (k + 0.08), wy0 + c.h * 0.06)],
                 fill=c.pal(WHITE), width=max(c.ss, lw))
    c.d.rectangle([wx0, wy0, wx1, wy1], outline=INK, width=lw)
    _shape(c, "rect", [wx0 - c.X(0.01), wy1, wx1 + c.X(0.01), wy1 + c.h * 0.02], c.pal(DARK_BROWN), lw)
    dx0, dx1, dy0 = c.X(0.65), c.X(0.84), c.Y(0.34)
    _shape(c, "rect", [dx0, dy0, dx1, horizon], c.pal((70, 140, 110) if not bakery else (150, 90, 50)), lw)
    _shape(
        c, "rect", [dx0 + (dx1 - dx0) * 0.18, dy0 + c.h * 0.03, dx1 - (dx1 - dx0) * 0.18, dy0 + c.h * 0.14], glass, lw
    )
    _shape(
        c,
        "ellipse",
        [dx0 + (dx1 - dx0) * 0.78, c.Y(0.5), dx0 + (dx1 - dx0) * 0.9, c.Y(0.5) + (dx1 - dx0) * 0.12],
        c.pal(GOLD),
        lw,
    )
    # pavement
    pav = c.pal((214, 212, 206))
    _shape(c, "rect", [-lw, horizon, c.w + lw, c.h + lw], pav, lw)
    slab = c.pal((186, 184, 178))
    for i in range(-6, 16):
        xb = c.w * i / 8
        c.d.line([(c.w / 2 + (xb - c.w / 2) * 0.6, horizon), (xb, c.h)], fill=slab, width=max(c.ss, lw // 2))
    for fy in (0.74, 0.85):
        c.d.line([(0, c.Y(fy)), (c.w, c.Y(fy))], fill=slab, width=max(c.ss, lw // 2))
    c.surfaces["sky"] = (0, 0, c.w, roof)
    c.surfaces["shopfront"] = (fx0, roof, fx1, horizon)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    c.features["shop"] = (fx0, roof, fx1, horizon)
    if bakery:
        c.features["bakery"] = (fx0, roof, fx1, horizon)
    c.features["door"] = (dx0, dy0, dx1, horizon)
    c.features["shop window"] = (wx0, wy0, wx1, wy1)
    c.features["awning"] = (ax0, a0, ax1, a1)
    c.features["sign"] = tuple(sb)
    return horizon


def _indoor(c: _Canvas, wall: RGB, floor: RGB, floor_kind: str = "boards", skirting: RGB = WHITE) -> float:
    """Wall down to the floor line at 60 % of the height, the floor below it."""
    line = c.Y(0.6)
    _wall(c, line, wall, skirting)
    _floor(c, line, floor, floor_kind)
    c.d.line([(0, line), (c.w, line)], fill=INK, width=c.lw(c.h * 0.15))
    c.surfaces["ground"] = (0, line, c.w, c.h)
    return line


def _frame(c: _Canvas, box, r: random.Random, kind: str = "landscape") -> None:
    """A framed picture on the wall."""
    x0, y0, x1, y1 = box
    lw = c.lw(y1 - y0)
    f = (y1 - y0) * 0.1
    _shape(c, "rect", [x0, y0, x1, y1], c.pal(GOLD if kind == "landscape" else WOOD), lw)
    ix0, iy0, ix1, iy1 = x0 + f, y0 + f, x1 - f, y1 - f
    _shape(c, "rect", [ix0, iy0, ix1, iy1], c.pal(LIGHT_BLUE), max(c.ss, lw // 2))
    if kind == "landscape":
        c.d.polygon(
            [(ix0, iy1), (ix0 + (ix1 - ix0) * 0.35, iy0 + (iy1 - iy0) * 0.35), (ix0 + (ix1 - ix0) * 0.7, iy1)],
            fill=c.pal(GREEN),
        )
        c.d.polygon(
            [(ix0 + (ix1 - ix0) * 0.4, iy1), (ix0 + (ix1 - ix0) * 0.7, iy0 + (iy1 - iy0) * 0.5), (ix1, iy1)],
            fill=c.pal(DARK_GREEN),
        )
        s = (iy1 - iy0) * 0.12
        cx, cy = ix0 + (ix1 - ix0) * 0.78, iy0 + (iy1 - iy0) * 0.28
        c.d.ellipse([cx - s, cy - s, cx + s, cy + s], fill=c.pal(YELLOW))
    else:  # a flower in a vase
        cx = (ix0 + ix1) / 2
        c.d.rectangle(
            [cx - (ix1 - ix0) * 0.15, iy1 - (iy1 - iy0) * 0.35, cx + (ix1 - ix0) * 0.15, iy1], fill=c.pal(BLUE)
        )
        _flower(c, cx, iy1 - (iy1 - iy0) * 0.35, (iy1 - iy0) * 0.5, PINK, r)
    c.d.rectangle([ix0, iy0, ix1, iy1], outline=INK, width=max(c.ss, lw // 2))


def _rug(c: _Canvas, cx: float, cy: float, w: float, h: float, colour: RGB, trim: RGB, round_: bool = False) -> None:
    lw = c.lw(h * 2)
    if round_:
        _shape(c, "ellipse", [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], c.pal(colour), lw)
        _shape(
            c, "ellipse", [cx - w * 0.36, cy - h * 0.3, cx + w * 0.36, cy + h * 0.3], c.pal(trim), max(c.ss, lw // 2)
        )
        _shape(
            c, "ellipse", [cx - w * 0.2, cy - h * 0.15, cx + w * 0.2, cy + h * 0.15], c.pal(colour), max(c.ss, lw // 2)
        )
        return
    k = 0.16  # a trapezoid: the far edge is narrower
    pts = [
        (cx - w / 2 * (1 - k), cy - h / 2),
        (cx + w / 2 * (1 - k), cy - h / 2),
        (cx + w / 2, cy + h / 2),
        (cx - w / 2, cy + h / 2),
    ]
    _shape(c, "poly", pts, c.pal(colour), lw)
    inner = [(cx + (x - cx) * 0.8, cy + (y - cy) * 0.7) for x, y in pts]
    _shape(c, "poly", inner, c.pal(trim), max(c.ss, lw // 2))
    inner2 = [(cx + (x - cx) * 0.6, cy + (y - cy) * 0.45) for x, y in pts]
    _shape(c, "poly", inner2, c.pal(colour), max(c.ss, lw // 2))
    fr = c.pal(CREAM)
    for side, (a, b) in ((-1, (pts[0], pts[3])), (1, (pts[1], pts[2]))):
        for i in range(9):
            t = (i + 0.5) / 9
            x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            c.d.line([(x, y), (x + side * h * 0.08, y)], fill=fr, width=max(c.ss, lw // 2))


def place_room(c: _Canvas, r: random.Random, opts: dict) -> float:
    line = _indoor(c, (250, 234, 200), WOOD)
    glass = _window(c, r, (c.X(0.6), c.Y(0.12), c.X(0.86), c.Y(0.4)))
    _frame(c, (c.X(0.18), c.Y(0.16), c.X(0.38), c.Y(0.32)), r)
    # a door on the left edge
    lw = c.lw(c.h * 0.4)
    dx0, dx1, dy0 = c.X(0.02), c.X(0.13), c.Y(0.12)
    _shape(c, "rect", [dx0, dy0, dx1, line], c.pal(LIGHT_WOOD), lw)
    _shape(
        c,
        "rect",
        [dx0 + (dx1 - dx0) * 0.2, dy0 + c.h * 0.05, dx1 - (dx1 - dx0) * 0.2, dy0 + c.h * 0.18],
        c.pal(WOOD),
        max(c.ss, lw // 2),
    )
    _shape(
        c,
        "ellipse",
        [dx1 - (dx1 - dx0) * 0.3, c.Y(0.37), dx1 - (dx1 - dx0) * 0.12, c.Y(0.37) + (dx1 - dx0) * 0.18],
        c.pal(GOLD),
        c.ss,
    )
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    c.features["door"] = (dx0, dy0, dx1, line)
    return line


def _tiles(c: _Canvas, box, colour: RGB, size: float) -> None:
    x0, y0, x1, y1 = box
    c.d.rectangle(box, fill=c.pal(colour))
    line = c.pal(_mix(colour, (120, 130, 140), 0.35))
    w = max(c.ss, round(size * 0.06))
    y = y1
    while y > y0:
        c.d.line([(x0, y), (x1, y)], fill=line, width=w)
        y -= size
    x = x0
    while x < x1:
        c.d.line([(x, y0), (x, y1)], fill=line, width=w)
        x += size


def place_kitchen(c: _Canvas, r: random.Random, opts: dict) -> float:
    floor = c.Y(0.6)
    _tiles(c, (0, 0, c.w, floor), (236, 242, 244), c.h * 0.055)
    _floor(c, floor, (222, 200, 160), "tiles")
    c.d.line([(0, floor), (c.w, floor)], fill=INK, width=c.lw(c.h * 0.15))
    # window above the counter, upper cabinets to its right
    glass = _window(c, r, (c.X(0.07), c.Y(0.13), c.X(0.33), c.Y(0.39)))
    cab = c.pal((120, 190, 180))
    lw = c.lw(c.h * 0.2)
    for i in range(2):
        x0 = c.X(0.4 + i * 0.13)
        _shape(c, "rect", [x0, c.Y(0.12), x0 + c.X(0.13), c.Y(0.31)], cab, lw)
        kx = x0 + c.X(0.13) * (0.82 if i == 0 else 0.18)
        _shape(
            c,
            "ellipse",
            [kx - c.h * 0.008, c.Y(0.27), kx + c.h * 0.008, c.Y(0.27) + c.h * 0.016],
            c.pal(LIGHT_GREY),
            c.ss,
        )
    # the counter: top slab, cabinets with doors, a stove in the middle
    top, x1 = c.Y(0.47), c.X(0.68)
    slab = c.h * 0.025
    body = (top + slab, floor)
    for i in range(4):
        cx0 = x1 * i / 4
        if i == 2:  # the stove
            _shape(c, "rect", [cx0, body[0], cx0 + x1 / 4, floor], c.pal((230, 230, 232)), lw)
            _shape(
                c,
                "rrect",
                [
                    cx0 + x1 * 0.03,
                    body[0] + (floor - body[0]) * 0.3,
                    cx0 + x1 / 4 - x1 * 0.03,
                    floor - (floor - body[0]) * 0.1,
                ],
                c.pal((70, 72, 80)),
                lw,
                radius=c.h * 0.01,
            )
            for k in range(3):
                kx = cx0 + x1 / 4 * (0.25 + 0.25 * k)
                ky = body[0] + (floor - body[0]) * 0.14
                _shape(
                    c,
                    "ellipse",
                    [kx - c.h * 0.009, ky - c.h * 0.009, kx + c.h * 0.009, ky + c.h * 0.009],
                    c.pal(DARK_GREY),
                    c.ss,
                )
            continue
        _shape(c, "rect", [cx0, body[0], cx0 + x1 / 4, floor], cab, lw)
        hx = cx0 + x1 / 4 * (0.8 if i % 2 == 0 else 0.2)
        _shape(
            c,
            "rect",
            [
                hx - c.h * 0.005,
                body[0] + (floor - body[0]) * 0.15,
                hx + c.h * 0.005,
                body[0] + (floor - body[0]) * 0.45,
            ],
            c.pal(LIGHT_GREY),
            c.ss,
        )
    _shape(c, "rect", [-lw, top, x1 + c.X(0.01), top + slab], c.pal(LIGHT_WOOD), lw)
    # burners on the stove top
    sx = x1 / 2
    for k in (0.3, 0.7):
        bx = sx + x1 / 4 * k
        _shape(
            c,
            "ellipse",
            [bx - c.X(0.025), top - c.h * 0.008, bx + c.X(0.025), top + c.h * 0.004],
            c.pal(DARK_GREY),
            c.ss,
        )
    c.surfaces["counter"] = (0, top, x1, floor)
    c.features["counter"] = (0, top, x1, floor)
    c.features["stove"] = (sx, top, sx + x1 / 4, floor)
    c.features["window"] = c.surfaces["window"]
    c.surfaces["sky"] = glass
    c.surfaces["ground"] = (0, floor, c.w, c.h)
    return floor


def place_living_room(c: _Canvas, r: random.Random, opts: dict) -> float:
    wall = (246, 222, 180)
    line = c.Y(0.6)
    c.d.rectangle([0, 0, c.w, line], fill=c.pal(wall))
    stripe = c.pal((236, 204, 156))
    n = 14
    for i in range(n):  # wallpaper: stripes with small dots
        x = c.w * i / n
        c.d.rectangle([x, 0, x + c.w / n * 0.35, line], fill=stripe)
        for j in range(8):
            y = line * (j + 0.5) / 8
            s = c.h * 0.005
            xx = x + c.w / n * 0.68
            c.d.ellipse([xx - s, y - s, xx + s, y + s], fill=c.pal((214, 130, 104)))
    # a dado rail and wainscot
    c.d.rectangle([0, c.Y(0.46), c.w, line], fill=c.pal((180, 120, 90)))
    _shape(c, "rect", [-c.ss * 4, c.Y(0.455), c.w + c.ss * 4, c.Y(0.47)], c.pal(CREAM), c.lw(c.h * 0.15))
    _floor(c, line, LIGHT_WOOD, "boards")
    c.d.line([(0, line), (c.w, line)], fill=INK, width=c.lw(c.h * 0.15))
    glass = _window(c, r, (c.X(0.56), c.Y(0.09), c.X(0.86), c.Y(0.4)), curtains=(120, 150, 210))
    _frame(c, (c.X(0.13), c.Y(0.12), c.X(0.37), c.Y(0.3)), r)
    _rug(c, c.X(0.5), c.Y(0.79), c.X(0.7), c.h * 0.2, (200, 80, 70), (250, 200, 110))
    c.surfaces["ground"] = (0, line, c.w, c.h)
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    c.features["rug"] = (c.X(0.15), c.Y(0.69), c.X(0.85), c.Y(0.89))
    c.features["picture"] = (c.X(0.13), c.Y(0.12), c.X(0.37), c.Y(0.3))
    return line


def place_bedroom(c: _Canvas, r: random.Random, opts: dict) -> float:
    line = _indoor(c, (190, 214, 240), (206, 160, 110))
    for j in range(6):  # wallpaper: little stars
        for i in range(9):
            x = c.w * (i + 0.5 * (j % 2) + 0.25) / 9
            y = line * (j + 0.5) / 6.5
            _twinkle(c, x, y, c.h * 0.012)
    glass = _window(c, r, (c.X(0.1), c.Y(0.12), c.X(0.36), c.Y(0.4)), curtains=(255, 167, 192))
    # a wall shelf with books and a little plant
    lw = c.lw(c.h * 0.3)
    sx0, sx1, sy = c.X(0.6), c.X(0.88), c.Y(0.3)
    x = sx0 + c.X(0.015)
    for col, hh in ((RED, 0.09), (BLUE, 0.075), (YELLOW, 0.085), (GREEN, 0.07)):
        bw = c.X(0.028)
        _shape(c, "rect", [x, sy - c.h * hh, x + bw, sy], c.pal(col), max(c.ss, lw // 2))
        x += bw
    px = sx1 - c.X(0.06)
    _shape(c, "poly", [(px - c.X(0.025), sy - c.h * 0.045), (px + c.X(0.025), sy - c.h * 0.045), (px + c.X(0.018), sy),
                       (px - c.X(0.018), sy)], c.pal((214, 120, 80)), max(c.ss, lw // 2))
    _union(
        c,
        [
            ("circle", px - c.X(0.015), sy - c.h * 0.065, c.h * 0.022),
            ("circle", px + c.X(0.015), sy - c.h * 0.07, c.h * 0.022),
            ("circle", px, sy - c.h * 0.085, c.h * 0.022),
        ],
        c.pal(GREEN),
        max(c.ss, lw // 2),
    )
    _shape(c, "rect", [sx0, sy, sx1, sy + c.h * 0.018], c.pal(WOOD), lw)
    _frame(c, (c.X(0.64), c.Y(0.38), c.X(0.8), c.Y(0.5)), r, "flower")
    _rug(c, c.X(0.5), c.Y(0.8), c.X(0.5), c.h * 0.16, (178, 153, 200), (250, 236, 204), round_=True)
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    c.features["rug"] = (c.X(0.25), c.Y(0.72), c.X(0.75), c.Y(0.88))
    c.features["shelf"] = (sx0, sy - c.h * 0.09, sx1, sy + c.h * 0.018)
    return line


def place_hospital(c: _Canvas, r: random.Random, opts: dict) -> float:
    line = _indoor(c, (222, 240, 234), (206, 216, 222), "tiles", (150, 200, 190))
    c.d.rectangle([0, c.Y(0.42), c.w, line - c.h * 0.03], fill=c.pal((190, 224, 214)))
    c.d.line([(0, c.Y(0.42)), (c.w, c.Y(0.42))], fill=INK, width=c.lw(c.h * 0.1))
    glass = _window(c, r, (c.X(0.08), c.Y(0.12), c.X(0.3), c.Y(0.36)))
    # the red-cross sign
    lw = c.lw(c.h * 0.3)
    s = c.h * 0.075
    cx, cy = c.X(0.46), c.Y(0.2)
    _shape(c, "rrect", [cx - s, cy - s, cx + s, cy + s], c.pal(WHITE), lw, radius=s * 0.2)
    a, b = s * 0.6, s * 0.2
    cross = [
        (cx - b, cy - a),
        (cx + b, cy - a),
        (cx + b, cy - b),
        (cx + a, cy - b),
        (cx + a, cy + b),
        (cx + b, cy + b),
        (cx + b, cy + a),
        (cx - b, cy + a),
        (cx - b, cy + b),
        (cx - a, cy + b),
        (cx - a, cy - b),
        (cx - b, cy - b),
    ]
    _shape(c, "poly", cross, c.pal(RED), max(c.ss, lw // 2))
    # a curtain on a ceiling rail, drawn open at the right
    rx0 = c.X(0.66)
    _shape(c, "rect", [rx0 - c.X(0.02), c.Y(0.03), c.w + lw, c.Y(0.045)], c.pal(GREY), lw)
    cur = c.pal((150, 200, 220))
    fold = c.pal((120, 176, 200))
    cy0, cy1 = c.Y(0.045), line - c.h * 0.02
    folds = 6
    fw = (c.w - rx0) / folds
    pts = [(rx0, cy0)]
    for i in range(folds + 1):
        pts.append((rx0 + fw * i + (fw * 0.25 if i % 2 else 0), cy1 + (c.h * 0.01 if i % 2 else 0)))
    pts += [(c.w + lw, cy1), (c.w + lw, cy0)]
    _shape(c, "poly", pts, cur, lw)
    for i in range(1, folds):
        x = rx0 + fw * i
        c.d.line([(x, cy0 + c.h * 0.02), (x + fw * 0.1, cy1 - c.h * 0.01)], fill=fold, width=max(c.ss, lw))
    for i in range(folds + 1):
        x = rx0 + fw * i + fw * 0.1
        _shape(c, "ellipse", [x - c.h * 0.008, c.Y(0.03), x + c.h * 0.008, c.Y(0.05)], c.pal(LIGHT_GREY), c.ss)
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    c.features["curtain"] = (rx0, cy0, c.w, cy1)
    c.features["red cross"] = (cx - s, cy - s, cx + s, cy + s)
    return line


def place_classroom(c: _Canvas, r: random.Random, opts: dict) -> float:
    line = _indoor(c, (250, 232, 180), LIGHT_WOOD)
    lw = c.lw(c.h * 0.3)
    bx0, by0, bx1, by1 = c.X(0.17), c.Y(0.15), c.X(0.83), c.Y(0.43)
    _shape(c, "rect", [bx0 - c.X(0.015), by0 - c.X(0.015), bx1 + c.X(0.015), by1 + c.X(0.015)], c.pal(WOOD), lw)
    board = (46, 96, 72)
    _shape(c, "rect", [bx0, by0, bx1, by1], c.pal(board), lw)
    chalk = c.pal((240, 240, 230))
    _text(
        c,
        (bx0 + (bx1 - bx0) * 0.06, by0 + (by1 - by0) * 0.1, bx0 + (bx1 - bx0) * 0.5, by0 + (by1 - by0) * 0.42),
        "A B C",
        chalk,
    )
    _text(
        c,
        (bx0 + (bx1 - bx0) * 0.06, by0 + (by1 - by0) * 0.5, bx0 + (bx1 - bx0) * 0.5, by0 + (by1 - by0) * 0.82),
        "1+2=3",
        chalk,
    )
    # a chalk drawing of a house and sun on the right half
    hx, hy, hs = bx0 + (bx1 - bx0) * 0.72, by0 + (by1 - by0) * 0.72, (by1 - by0) * 0.22
    cw = max(c.ss, lw // 2)
    c.d.rectangle([hx - hs, hy - hs, hx + hs, hy + hs * 0.6], outline=chalk, width=cw)
    c.d.line([(hx - hs * 1.2, hy - hs), (hx, hy - hs * 2), (hx + hs * 1.2, hy - hs)], fill=chalk, width=cw)
    c.d.ellipse([hx + hs * 1.6, hy - hs * 2.4, hx + hs * 2.2, hy - hs * 1.8], outline=chalk, width=cw)
    _shape(c, "rect", [bx0, by1 + c.X(0.015), bx1, by1 + c.X(0.03)], c.pal(WOOD), lw)
    # a clock above the board
    cx, cy, cr = c.X(0.5), c.Y(0.075), c.h * 0.045
    _shape(c, "ellipse", [cx - cr, cy - cr, cx + cr, cy + cr], c.pal(WHITE), lw)
    c.d.line([(cx, cy), (cx, cy - cr * 0.7)], fill=INK, width=cw)
    c.d.line([(cx, cy), (cx + cr * 0.5, cy + cr * 0.1)], fill=INK, width=cw)
    # a window on the right edge
    glass = _window(c, r, (c.X(0.88), c.Y(0.14), c.X(1.08), c.Y(0.42)))
    c.surfaces["blackboard"] = (bx0, by0, bx1, by1)
    c.features["blackboard"] = (bx0 - c.X(0.015), by0 - c.X(0.015), bx1 + c.X(0.015), by1 + c.X(0.03))
    c.features["clock"] = (cx - cr, cy - cr, cx + cr, cy + cr)
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    return line


_PLACE_FUNCS = {
    "outdoors": place_outdoors, "park": place_park, "garden": place_garden, "farm": place_farm,
    "beach": place_beach, "lake": place_lake, "river": place_river, "sea": place_sea,
    "island": place_island, "mountains": place_mountains, "cliff": place_cliff,
    "forest": place_forest, "desert": place_desert, "snow": place_snow, "city": place_city,
    "space": place_space, "moon": place_moon, "shop": place_shop, "room": place_room,
    "kitchen": place_kitchen, "living room": place_living_room, "bedroom": place_bedroom,
    "hospital": place_hospital, "classroom": place_classroom,
}
assert set(_PLACE_FUNCS) == set(PLACES)


# -- the stage -----------------------------------------------------------------------------------


def _supersample(width: int, height: int) -> int:
    """Draw small and middling pictures at twice the size and shrink them (smooth edges); big
    pictures are drawn as they are (their steps are small anyway, and time matters)."""
    return 2 if max(width, height) <= 768 else 1


def _box(b, ss: int, width: int, height: int) -> Box:
    x0, y0, x1, y1 = (v / ss for v in b)
    x0 = int(round(min(max(x0, 0), width - 1)))
    y0 = int(round(min(max(y0, 0), height - 1)))
    x1 = int(round(min(max(x1, x0 + 1), width)))
    y1 = int(round(min(max(y1, y0 + 1), height)))
    return (x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))


def _planes(horizon: int, height: int) -> tuple[int, int, int]:
    """Baselines in perspective: a plane's distance below the horizon is proportional to its
    scale, the nearest at 93 % of the height."""
    near = round(0.93 * height)
    horizon = min(horizon, near - 4)
    p = [round(horizon + s * (near - horizon)) for s in PLANE_SCALES]
    p[2] = max(p[2], horizon + 1)
    p[1] = max(p[1], p[2] + 1)
    p[0] = min(max(p[0], p[1] + 1), height - 1)
    return (p[0], p[1], p[2])


@_cached(24, (3, 4))
def _render(place: str, time: str, weather: tuple[str, ...], width: int, height: int, variant: int,
            features: frozenset[str], sign: str | None, moon: bool, sun: bool):
    look = _look(time, weather, place in INDOOR)
    ss = _supersample(width, height)
    c = _Canvas(width, height, ss, look, time, weather)
    r = random.Random(_seed(place, variant))
    opts = {"features": features, "sign": sign}
    c.sun, c.moon = sun, moon
    horizon = _PLACE_FUNCS[place](c, r, opts)
    img = c.img.reduce(ss) if ss > 1 else c.img
    to_box = lambda b: _box(b, ss, width, height)  # noqa: E731
    surfaces = {k: to_box(v) for k, v in c.surfaces.items()}
    feats = {k: to_box(v) for k, v in c.features.items()}
    hz = int(round(horizon / ss))
    hz = min(max(hz, 1), height - 5) if height >= 8 else hz
    sky = surfaces.pop("sky", None)
    if sky is not None:
        surfaces["sky"] = sky
    return img, hz, _planes(hz, height), surfaces, feats, sky


def _seed(place: str, variant: int) -> int:
    return sum((i + 1) * ord(ch) for i, ch in enumerate(place)) * 7919 + variant * 104729


VARIANTS = 3


def draw_stage(place: str, time: str = "day", weather: tuple[str, ...] = (), width: int = 512,
               height: int = 512, rng: random.Random | None = None, *, features: frozenset[str] = frozenset(),
               sign: str | None = None, moon: bool = False, sun: bool = False, variant: int | None = None,
               mirror: bool = False) -> Stage:
    """The background for ``place`` at ``time`` in ``weather``, ``width`` x ``height``.

    ``rng`` picks one of a few drawn variants of the place (None: the first), unless ``variant``
    names one (taken modulo ``VARIANTS``); ``mirror`` flips the stage left to right, its boxes
    too (never a stage with a sign: its words would read backwards). ``features``
    asks for optional setting things ("bridge" over a river). ``sign``: the text on a shop's
    sign. ``moon``: a crescent moon in the upper right corner (not by day); ``sun``: a sun in
    the upper left corner by day, low on the horizon at sunset (not at night or in a storm).
    """
    place = normalise_place(place)
    time = normalise_time(time)
    weather = normalise_weather(weather)
    width, height = max(1, int(width)), max(1, int(height))
    if place in ("space", "moon"):
        weather = ()        # no air, no weather
    if variant is not None:
        variant %= VARIANTS
    else:
        variant = rng.randrange(VARIANTS) if rng is not None else 0
    # only what changes the drawing goes into the cache key
    feats = frozenset(f for f in (str(f).lower() for f in features) if f == "bridge" and place == "river")
    sign = (sign or None) if place == "shop" else None
    moon = bool(moon) and time != "day"
    sun = bool(sun) and time != "night" and "storm" not in weather and place not in INDOOR
    img, hz, planes, surfaces, feat_boxes, sky = _render(place, time, weather, width, height, variant, feats,
                                                          sign, moon, sun)
    stage = Stage(img.copy(), place, time, weather, place in INDOOR, hz, planes, dict(surfaces), dict(feat_boxes), sky)
    return _mirrored(stage) if mirror and not sign else stage


def _mirrored(stage: Stage) -> Stage:
    """The same stage seen from the other side: the image and every box flipped left to right."""
    w = stage.image.width

    def flip(box):
        return None if box is None else (w - box[2], box[1], w - box[0], box[3])

    stage.image = stage.image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    stage.surfaces = {k: flip(v) for k, v in stage.surfaces.items()}
    stage.features = {k: flip(v) for k, v in stage.features.items()}
    stage.sky = flip(stage.sky)
    return stage


# -- weather overlays ----------------------------------------------------------------------------


def fog_veil(image: Image.Image, stage: Stage, plane: int) -> None:
    """Veil what is drawn so far (in place) by fog, after the objects of ``plane`` (2, 1, 0)
    are drawn: the picture above that plane's baseline is mixed with the fog colour, fading
    out over about 12 % of the height below it. Called after each plane, farthest first, the
    far planes end up foggiest. Does nothing without fog or indoors."""
    if "fog" not in stage.weather or stage.indoor:
        return
    plane = max(0, min(2, int(plane)))
    w, h = image.size
    base = min(max(stage.planes[plane], 0), h)
    bottom, mask = _fog_mask(w, h, base, (0.12, 0.2, 0.26)[plane])
    image.paste(_FOG[stage.time], (0, 0, w, bottom), mask)


@_cached(12, (0, 1))
def _fog_mask(w: int, h: int, base: int, amount: float) -> tuple[int, Image.Image]:
    fade = max(4.0, 0.12 * h)
    bottom = int(min(h, base + fade + 1))
    y = np.arange(bottom, dtype=np.float32)
    k = np.clip(1.0 - (y - base) / fade, 0.0, 1.0) * amount * 255
    column = Image.fromarray(np.ascontiguousarray(k.astype(np.uint8)[:, None]), "L")
    return bottom, column.resize((w, bottom), Image.NEAREST)


def draw_weather(image: Image.Image, stage: Stage, rng: random.Random) -> None:
    """Weather overlays on the finished picture (in place, after the objects): rain streaks
    (slanted, thinner and paler farther away, splashes on the near ground), snow flakes of a
    few sizes, a storm's heavier rain and a lightning bolt, fog (a veil strongest at the
    horizon, and drifting wisps), wind (curved streaks and blown leaves). Indoors the weather
    is only seen through the window, drawn with the stage, and space and the moon have none:
    nothing is added there. ``rng`` picks one of a few cached variants of each overlay."""
    if stage.indoor or stage.place in ("space", "moon") or not stage.weather:
        return
    weather = stage.weather
    w, h = image.size
    variant = rng.randrange(VARIANTS)
    windy = "wind" in weather
    layers = []
    if "fog" in weather:
        layers.append(_fog_layer(w, h, stage.time, stage.horizon, stage.planes, variant))
    if "storm" in weather:
        layers.append(_lightning_layer(w, h, stage.sky or (0, 0, w, max(1, stage.horizon)), variant))
    if "rain" in weather or "storm" in weather:
        ground = stage.surfaces.get("ground")
        layers.append(_rain_layer(w, h, stage.time, "storm" in weather, windy, ground, stage.planes[1], variant))
    if "snow" in weather:
        layers.append(_snow_layer(w, h, stage.time, windy, variant))
    if windy:
        top = stage.sky[1] if stage.sky else 0
        leaves = stage.place not in ("desert", "beach", "sea", "island", "cliff", "snow")
        layers.append(_wind_layer(w, h, stage.time, weather, top, stage.planes[1], leaves, variant))
    for layer in layers:
        image.paste(layer, (0, 0), layer)


def _layer_canvas(w: int, h: int) -> tuple[int, Image.Image, ImageDraw.ImageDraw]:
    """An L mask drawn at twice the size (smooth edges) for pictures up to 768 px."""
    ss = 2 if max(w, h) <= 768 else 1
    mask = Image.new("L", (w * ss, h * ss), 0)
    return ss, mask, _draw(mask)


def _coloured(colour: RGB, mask: Image.Image, ss: int) -> Image.Image:
    """An RGBA layer of one colour whose alpha is ``mask`` (brought to the final size)."""
    if ss > 1:
        mask = mask.reduce(ss)
    layer = Image.new("RGBA", mask.size, colour + (0,))
    layer.putalpha(mask)
    return layer


@_cached(6, (0, 1))
def _rain_layer(w: int, h: int, time: str, heavy: bool, windy: bool, ground: Box | None, near: int,
                variant: int) -> Image.Image:
    r = random.Random(7000 + variant * 31 + heavy * 5 + windy)
    ss, mask, d = _layer_canvas(w, h)
    W, H = w * ss, h * ss
    slant = 0.5 if windy else 0.22          # dx per dy
    unit = H / 512
    n = int((420 if heavy else 300) * w * h / 512 ** 2) + 12
    for i in range(n):
        layer = 0 if i % 6 == 0 else (1 if i % 6 < 3 else 2)  # near, middle, far
        length = H * (0.075, 0.045, 0.026)[layer] * r.uniform(0.8, 1.2)
        width = max(1, round(unit * ss * (1.8, 1.2, 0.8)[layer]))
        x, y = r.uniform(-0.1 * W, 1.1 * W), r.uniform(-length, H)
        d.line([(x, y), (x - slant * length, y + length)], fill=(190, 140, 95)[layer], width=width)
    if ground:  # splashes on the near ground
        gx0, gy0, gx1, gy1 = (v * ss for v in ground)
        top = max(gy0, near * ss)
        for _ in range(int(14 * w / 512) + 2):
            x, y = r.uniform(gx0, gx1), r.uniform(top, max(top + 1, gy1))
            sp = H * 0.012 * (0.5 + (y - top) / max(1, gy1 - top))
            d.arc([x - sp, y - sp * 0.3, x + sp, y + sp * 0.3], 180, 360, fill=170, width=max(1, round(unit * ss)))
    colour = (214, 226, 244) if time != "night" else (150, 164, 200)
    return _coloured(colour, mask, ss)


@_cached(6, (0, 1))
def _snow_layer(w: int, h: int, time: str, windy: bool, variant: int) -> Image.Image:
    r = random.Random(8000 + variant * 31 + windy)
    ss, mask, d = _layer_canvas(w, h)
    W, H = w * ss, h * ss
    unit = H / 512
    big = []
    n = int(230 * w * h / 512 ** 2) + 12
    for i in range(n):
        layer = 0 if i % 8 == 0 else (1 if i % 8 < 4 else 2)
        rad = unit * ss * (2.5, 1.3, 0.75)[layer] * r.uniform(0.8, 1.2)
        x, y = r.uniform(0, W), r.uniform(0, H)
        if windy:
            x += (y / H) * W * 0.05
        if layer == 0:
            big.append((x / ss, y / ss, rad / ss))
        else:
            d.ellipse([x - rad, y - rad, x + rad, y + rad], fill=(240, 200, 150)[layer])
    white = (255, 255, 255) if time != "night" else (214, 222, 240)
    layer_img = _coloured(white, mask, ss)
    dr = _draw(layer_img)
    rim = (150, 170, 200, 255) if time != "night" else (90, 100, 130, 255)
    for x, y, rad in big:  # near flakes: discs with a soft rim so they show on snow too
        dr.ellipse(
            [x - rad, y - rad, x + rad, y + rad], fill=white + (255,), outline=rim, width=max(1, round(rad * 0.25))
        )
    return layer_img


@_cached(6, (0, 1))
def _lightning_layer(w: int, h: int, sky: Box, variant: int) -> Image.Image:
    """A jagged bolt from the clouds, OpenMoji yellow with a black outline, and a soft glow."""
    r = random.Random(9000 + variant)
    x = r.uniform(sky[0] + 0.3 * (sky[2] - sky[0]), sky[0] + 0.75 * (sky[2] - sky[0]))
    y = sky[1] + (sky[3] - sky[1]) * 0.22
    bottom = sky[1] + (sky[3] - sky[1]) * r.uniform(0.85, 0.97)
    pts = [(x, y)]
    step = (bottom - y) / 5
    for i in range(5):
        y += step
        x += (1 if i % 2 == 0 else -1) * r.uniform(0.03, 0.06) * w + r.uniform(-0.01, 0.01) * w
        pts.append((x, y))
    thick = max(2.0, h * 0.016)
    left, right = [], []
    for i, (px, py) in enumerate(pts):
        a, b = pts[max(0, i - 1)], pts[min(len(pts) - 1, i + 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        norm = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / norm, dx / norm
        k = thick * (1 - i / (len(pts) - 1)) ** 0.7 + 0.6
        left.append((px + nx * k, py + ny * k))
        right.append((px - nx * k, py - ny * k))
    bolt = left + right[::-1]
    q = 8
    small = Image.new("L", (max(1, w // q), max(1, h // q)), 0)
    _draw(small).line([(px / q, py / q) for px, py in pts], fill=120, width=max(1, round(h / q * 0.05)))
    small = small.filter(ImageFilter.GaussianBlur(max(0.5, h / q * 0.02)))
    layer = _coloured((255, 250, 200), small.resize((w, h), Image.BILINEAR), 1)
    d = _draw(layer)
    fx, fy = pts[2]  # a fork from the third bend, under the main bolt
    fork = [(fx, fy), (fx + w * 0.05, fy + (pts[-1][1] - fy) * 0.3), (fx + w * 0.035, fy + (pts[-1][1] - fy) * 0.55)]
    d.line(fork, fill=INK + (255,), width=max(2, round(h * 0.013)), joint="curve")
    d.line(fork, fill=YELLOW + (255,), width=max(1, round(h * 0.006)), joint="curve")
    d.polygon(bolt, fill=YELLOW + (255,))
    d.line(bolt + [bolt[0]], fill=INK + (255,), width=max(1, round(h * 0.004)), joint="curve")
    return layer


@_cached(6, (0, 1))
def _fog_layer(w: int, h: int, time: str, horizon: int, planes: tuple[int, int, int], variant: int) -> Image.Image:
    """A veil strongest around the horizon, thinning towards the bottom, and a few wisps."""
    r = random.Random(10000 + variant)
    q = 4
    sw, sh = max(2, w // q), max(2, h // q)
    y = (np.arange(sh, dtype=np.float32) + 0.5) * q
    near = max(planes[0], horizon + 1)
    veil = np.where(
        y < horizon, 0.3 + 0.14 * y / max(1, horizon), 0.44 - 0.34 * np.clip((y - horizon) / (near - horizon), 0, 1.2)
    )
    arr = np.broadcast_to((np.clip(veil, 0.06, 0.5) * 255).astype(np.uint8)[:, None], (sh, sw))
    base = Image.fromarray(np.ascontiguousarray(arr), "L")
    wisps = Image.new("L", (sw, sh), 0)
    d = _draw(wisps)
    for _ in range(6):
        cy = r.uniform(horizon * 0.6, max(horizon * 0.6 + 1, planes[1])) / q
        cx = r.uniform(0, sw)
        rx, ry = sw * r.uniform(0.2, 0.4), max(1.5, sh * 0.03)
        d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=110)
    wisps = wisps.filter(ImageFilter.GaussianBlur(max(1.0, sh * 0.015)))
    return _coloured(_FOG[time], ImageChops.add(base, wisps).resize((w, h), Image.BILINEAR), 1)


@_cached(6, (0, 1))
def _wind_layer(w: int, h: int, time: str, weather: tuple[str, ...], top: int, near: int, leaves: bool,
                variant: int) -> Image.Image:
    """Curved white streaks with a curl at the end, and a few blown leaves (where trees grow)."""
    r = random.Random(11000 + variant)
    ss, mask, d = _layer_canvas(w, h)
    W, H = w * ss, h * ss
    lw = max(ss, round(H * 0.007))
    bottom = max(near, top + 2) * ss
    for i in range(5):
        x0 = r.uniform(-0.1, 0.55) * W
        y0 = top * ss + (bottom - top * ss) * (i + r.uniform(0.2, 0.8)) / 5
        length = W * r.uniform(0.25, 0.42)
        amp = H * r.uniform(0.01, 0.025)
        pts = [(x0 + length * t / 20, y0 + amp * math.sin(t / 20 * math.pi * 1.5)) for t in range(21)]
        ex, ey = pts[-1]
        cr = H * 0.025
        curl = [
            (ex + cr * math.sin(a / 10 * math.pi * 1.5), ey - cr + cr * math.cos(a / 10 * math.pi * 1.5))
            for a in range(11)
        ]
        d.line(pts + curl, fill=220, width=lw, joint="curve")
    layer = _coloured((250, 252, 255) if time != "night" else (170, 180, 210), mask, ss)
    dr = _draw(layer)
    look = _look(time, weather, False)
    leaf_colours = ((126, 190, 60), (241, 179, 28), (226, 112, 34), (92, 158, 49))
    for i in range(9 if leaves else 0):
        x, y = r.uniform(0.05, 0.95) * w, r.uniform(top + 0.05 * h, max(top + 0.05 * h + 1, near))
        s = h * r.uniform(0.012, 0.02)
        a = r.uniform(0, math.pi)
        ca, sa = math.cos(a), math.sin(a)
        shape = [(-1.0, 0.0), (-0.4, -0.45), (0.4, -0.45), (1.0, 0.0), (0.4, 0.45), (-0.4, 0.45)]
        pts = [(x + s * (px * ca - py * sa), y + s * (px * sa + py * ca)) for px, py in shape]
        dr.polygon(pts, fill=look.colour(leaf_colours[i % 4]) + (255,))
        dr.line(pts + [pts[0]], fill=INK + (255,), width=max(1, round(s * 0.15)))
        dr.line([pts[0], pts[3]], fill=INK + (255,), width=max(1, round(s * 0.1)))
    return layer
