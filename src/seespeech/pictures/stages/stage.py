"""``draw_stage``: one place drawn at a time of day in some weather, supersampled, cached per
variant, mirrored on request."""

from __future__ import annotations

import random
from PIL import Image

from seespeech.pictures.stages.places import INDOOR, PLACES, PLANE_SCALES, Stage, normalise_place, normalise_time, normalise_weather
from seespeech.pictures.canvas import Box, _Canvas, _cached
from seespeech.pictures.stages.lighting import _look
from seespeech.pictures.stages.countryside import (
    place_cliff, place_desert, place_farm, place_forest, place_garden, place_mountains, place_outdoors,
    place_park, place_snow,
)
from seespeech.pictures.stages.waterside import place_beach, place_island, place_lake, place_river, place_sea
from seespeech.pictures.stages.town import place_city, place_shop
from seespeech.pictures.stages.space import place_moon, place_space
from seespeech.pictures.stages.indoors import (
    place_bedroom, place_classroom, place_hospital, place_kitchen, place_living_room, place_room,
)


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
    img = c.reduce(c.img)
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
