"""Stages (drawn backgrounds), weather overlays and light: seespeech.pictures.stages."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from PIL import Image

from seespeech.pictures import stages as S

TIMES = ("day", "night", "sunset")
WEATHERS = ((), ("rain", "wind"), ("storm", "fog", "snow"))
SIZES = ((512, 512), (64, 64), (1024, 640))
OUTDOOR_WITH_GROUND = [p for p in S.PLACES if p not in S.INDOOR and p not in ("space", "sea", "island", "cliff")]


def _inside(box, width, height):
    x0, y0, x1, y1 = box
    return 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height


def _check(stage: S.Stage, width: int, height: int) -> None:
    assert stage.image.size == (width, height) and stage.image.mode == "RGB"
    assert stage.time in TIMES
    for name, box in itertools.chain(stage.surfaces.items(), stage.features.items()):
        assert _inside(box, width, height), (stage.place, name, box)
        assert all(isinstance(v, int) for v in box), (name, box)
    if stage.sky is not None:
        assert _inside(stage.sky, width, height)
    p0, p1, p2 = stage.planes
    assert height > p0 > p1 > p2 > stage.horizon >= 0, (stage.place, stage.planes, stage.horizon)


@pytest.mark.parametrize("place", S.PLACES)
def test_every_place_time_weather_and_size_draws(place):
    rng = random.Random(5)
    # a Latin square: every (size, time), (size, weather) and (time, weather) pair once
    for (i, (width, height)), (j, time_) in itertools.product(enumerate(SIZES), enumerate(TIMES)):
        weather = WEATHERS[(i + j) % len(WEATHERS)]
        stage = S.draw_stage(place, time_, weather, width, height, rng, features=frozenset({"bridge"}),
                             sign="BAKERY", moon=True, sun=True)
        _check(stage, width, height)
        for plane in (2, 1, 0):
            S.fog_veil(stage.image, stage, plane)
        S.draw_weather(stage.image, stage, rng)
        lit = S.light(Image.new("RGBA", (20, 30), (200, 120, 60, 200)), stage)
        assert lit.size == (20, 30) and lit.mode == "RGBA"
        assert stage.image.size == (width, height)


@pytest.mark.parametrize("size", [(64, 2048), (2048, 64), (77, 100)])
def test_odd_shapes_do_not_crash(size):
    for place in S.PLACES:
        stage = S.draw_stage(place, "night", ("storm", "wind"), *size, random.Random(1), moon=True)
        _check(stage, *size)
        S.draw_weather(stage.image, stage, random.Random(2))


def test_surfaces_and_planes_are_ordered_outdoors():
    for place in OUTDOOR_WITH_GROUND:
        stage = S.draw_stage(place, "day", (), 512, 512, random.Random(0))
        assert not stage.indoor
        ground = stage.surfaces["ground"]
        assert ground[1] >= stage.horizon and ground[3] == 512, (place, ground)
        assert stage.sky is not None and stage.sky[3] <= stage.planes[2]
        assert ground[1] < stage.planes[2], (place, ground, stage.planes)   # plane 2 stands on the ground
        # depth scales follow perspective: distance below the horizon ~ plane scale
        d = [p - stage.horizon for p in stage.planes]
        assert d[1] / d[0] == pytest.approx(0.7, abs=0.03) and d[2] / d[0] == pytest.approx(0.49, abs=0.03)


def test_named_surfaces_and_features():
    def stage(place, **kw):
        return S.draw_stage(place, "day", (), 512, 512, random.Random(0), **kw)

    assert "bridge" not in stage("river").surfaces and "bridge" not in stage("river").features
    river = stage("river", features=frozenset({"bridge"}))
    deck = river.surfaces["bridge"]
    assert deck[0] == 0 and deck[2] == 512 and deck[1] < river.surfaces["water"][1]
    assert river.features["river"] == river.surfaces["water"]
    cliff = stage("cliff")
    assert cliff.surfaces["cliff"][1] < 512 * 0.5 and cliff.surfaces["cliff"][2] < 512 * 0.5
    assert cliff.surfaces["water"][0] >= cliff.surfaces["cliff"][2]
    island = stage("island")
    top = island.surfaces["island"]
    assert island.features["island"][0] <= top[0] < top[2] <= island.features["island"][2]
    assert top[1] > island.horizon
    kitchen = stage("kitchen")
    assert kitchen.indoor and kitchen.surfaces["counter"][1] < kitchen.horizon and "counter" in kitchen.features
    assert kitchen.sky is not None and kitchen.sky == kitchen.surfaces["sky"]
    classroom = stage("classroom")
    assert classroom.surfaces["blackboard"][3] < classroom.horizon
    shop = stage("shop", sign="Smith's Bakery")
    assert "bakery" in shop.features and shop.surfaces["shopfront"] == shop.features["shop"]
    assert "bakery" not in stage("shop", sign="TOYS").features
    for place in ("beach", "lake", "sea", "island", "cliff", "river"):
        assert "water" in stage(place).surfaces, place
    for place in ("sea", "island", "space"):
        assert "ground" not in stage(place).surfaces, place
    assert stage("space").sky == (0, 0, 512, 512)
    assert stage("mountains").features["mountain"][3] <= stage("mountains").horizon
    assert "moon" in S.draw_stage("outdoors", "night", (), 512, 512, moon=True).features
    assert "moon" not in S.draw_stage("outdoors", "day", (), 512, 512, moon=True).features


def _small(image: Image.Image) -> np.ndarray:
    return np.asarray(image.resize((32, 32)), dtype=np.float32)


def test_places_look_different():
    pictures = {p: _small(S.draw_stage(p, "day", (), 512, 512, random.Random(0)).image) for p in S.PLACES}
    worst = min((np.abs(pictures[a] - pictures[b]).mean(), a, b) for a, b in itertools.combinations(S.PLACES, 2))
    print(f"\nmost alike places: {worst[1]} / {worst[2]} (mean colour distance {worst[0]:.1f})")
    assert worst[0] > 8, worst


def test_night_is_darker_than_day_and_sunset_warmer():
    def lum(image):
        return float(np.asarray(image.convert("L"), dtype=np.float32).mean())

    for place in S.PLACES:
        if place in ("space", "moon"):
            continue
        day = S.draw_stage(place, "day", (), 256, 256).image
        night = S.draw_stage(place, "night", (), 256, 256).image
        sunset = S.draw_stage(place, "sunset", (), 256, 256).image
        assert lum(night) < lum(day) - 15, place
        d, s = (np.asarray(im, dtype=np.float32).mean(axis=(0, 1)) for im in (day, sunset))
        assert s[0] - s[2] > d[0] - d[2], place                    # more red than blue at sunset


def test_rain_changes_pixels_outdoors_only():
    for place in ("outdoors", "city", "beach", "sea"):
        stage = S.draw_stage(place, "day", ("rain",), 512, 512, random.Random(0))
        before = np.asarray(stage.image).copy()
        S.draw_weather(stage.image, stage, random.Random(1))
        changed = (np.abs(np.asarray(stage.image).astype(int) - before).sum(axis=2) > 12).mean()
        assert changed > 0.03, (place, changed)
    kitchen = S.draw_stage("kitchen", "day", ("rain",), 512, 512, random.Random(0))
    dry = S.draw_stage("kitchen", "day", (), 512, 512, random.Random(0))
    before = np.asarray(kitchen.image).copy()
    S.draw_weather(kitchen.image, kitchen, random.Random(1))
    assert np.array_equal(before, np.asarray(kitchen.image))          # indoors: only the window shows it
    assert not np.array_equal(before, np.asarray(dry.image))
    x0, y0, x1, y1 = kitchen.surfaces["window"]
    outside = np.ones(before.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(before[outside], np.asarray(dry.image)[outside])


def test_weather_overlays_differ():
    base = S.draw_stage("park", "day", ("storm", "snow", "hail", "fog", "wind"), 256, 256, random.Random(0))
    results = {}
    for kind in ("rain", "snow", "storm", "fog", "wind"):
        stage = S.draw_stage("park", "day", (kind,), 256, 256, random.Random(0))
        img = stage.image
        S.draw_weather(img, stage, random.Random(3))
        results[kind] = _small(img)
    for a, b in itertools.combinations(results, 2):
        assert np.abs(results[a] - results[b]).mean() > 2, (a, b)
    assert base.weather == ("snow", "storm", "fog", "wind")           # known kinds, in a fixed order
    assert S.draw_stage("space", "day", ("rain",)).weather == ()


def test_fog_veil():
    stage = S.draw_stage("outdoors", "day", ("fog",), 256, 256, random.Random(0))
    before = np.asarray(stage.image).astype(int)
    S.fog_veil(stage.image, stage, 2)
    after = np.asarray(stage.image).astype(int)
    diff = np.abs(after - before).sum(axis=2)
    assert diff[: stage.planes[2]].mean() > 5                      # above plane 2: veiled
    assert diff[stage.planes[0]:].max() == 0                       # the near foreground: untouched
    clear = S.draw_stage("outdoors", "day", (), 256, 256, random.Random(0))
    snapshot = np.asarray(clear.image).copy()
    S.fog_veil(clear.image, clear, 2)
    assert np.array_equal(snapshot, np.asarray(clear.image))


def test_light_keeps_alpha_and_follows_time():
    sprite = Image.new("RGBA", (10, 10), (230, 150, 80, 255))
    sprite.putpixel((0, 0), (230, 150, 80, 0))
    day = S.draw_stage("outdoors", "day", (), 128, 128)
    assert np.array_equal(np.asarray(S.light(sprite, day)), np.asarray(sprite))
    for time_, weather in (("night", ()), ("sunset", ()), ("day", ("storm",)), ("day", ("fog",))):
        lit = S.light(sprite, S.draw_stage("outdoors", time_, weather, 128, 128))
        a = np.asarray(lit).astype(int)
        assert np.array_equal(a[..., 3], np.asarray(sprite)[..., 3])
        assert not np.array_equal(a[..., :3], np.asarray(sprite)[..., :3]), (time_, weather)
    night = np.asarray(S.light(sprite, S.draw_stage("outdoors", "night", (), 128, 128))).astype(int)
    assert night[5, 5, :3].sum() < 0.7 * (230 + 150 + 80) and night[5, 5, 2] >= night[5, 5, 1] * 0.5


def test_deterministic_and_normalised():
    a = S.draw_stage("forest", "dusk", ["Rain"], 200, 150, random.Random(9))
    b = S.draw_stage("forest", "dusk", ["Rain"], 200, 150, random.Random(9))
    assert a.time == "sunset" and a.weather == ("rain",)
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image)) and a.surfaces == b.surfaces
    S.draw_weather(a.image, a, random.Random(2))
    S.draw_weather(b.image, b, random.Random(2))
    assert np.array_equal(np.asarray(a.image), np.asarray(b.image))
    a.image.putpixel((0, 0), (1, 2, 3))                              # stages do not share their image
    assert S.draw_stage("forest", "dusk", ["rain"], 200, 150, random.Random(9)).image.getpixel((0, 0)) != (1, 2, 3)
    assert S.normalise_time("morning") == "day" and S.normalise_time("evening") == "sunset"
    assert S.normalise_place("Living-Room") == "living room" and S.normalise_place("ocean") == "sea"
    assert S.normalise_place("nowhere") == "outdoors"
    assert S.draw_stage("street").place == "city"
    assert S.normalise_weather("thunderstorm") == ("storm",) and S.normalise_weather(["blizzard"]) == ("snow", "wind")
    assert S.normalise_weather(("Foggy", "hail", "rain")) == ("rain", "fog") and S.normalise_weather(None) == ()
