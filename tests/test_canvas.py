"""The one drawing surface (seespeech.pictures.canvas.Surface) and the things stages draw with
the props' drawings (barn, fence, shop)."""

from __future__ import annotations

import numpy as np
from seespeech.pictures import stages as S
from seespeech.pictures.canvas import Surface
from seespeech.pictures.props.indoors import shop_parts
from seespeech.pictures.props.pen import _Pen


def test_surface_maps_units_and_reduces():
    s = Surface((40, 20), 2, scale=(10, 5), origin=(3, 1))
    assert s.P(1, 2) == (13, 11) and s.pts([(0, 0), (2, 1)]) == [(3, 1), (23, 6)] and s.units(2) == 10
    s.d.rectangle([0, 0, 19, 19], fill=(255, 0, 0, 255))
    small = s.reduce(s.img)
    assert small.size == (20, 10) and small.getpixel((0, 0)) == (255, 0, 0, 255)
    assert small.getpixel((15, 5))[3] == 0
    s.layer("front")
    assert set(s.images) == {"back", "front"} and s.img is s.images["front"]


def test_a_pen_into_a_stage_draws_on_its_image_and_blends():
    canvas = Surface((100, 50), 1, "RGB", (255, 255, 255))
    pen = _Pen.into(canvas, (10, 10, 60, 35), 2.0, 2, lambda colour: (*colour[:3], colour[3] if len(colour) == 4 else 255))
    assert pen.P(0, 0) == (10, 10) and pen.P(2.0, 1.0) == (60, 35)
    pen.layer("front")   # a view has one layer: the stage's image
    pen.rect(0, 0, 1, 1, (0, 0, 255), outline=False)
    pen.rect(1, 0, 2, 1, (0, 0, 0, 128), outline=False)
    arr = np.asarray(canvas.img)
    assert tuple(arr[20, 20]) == (0, 0, 255)
    assert 120 <= arr[20, 50][0] <= 135          # half-transparent ink blended over white
    assert tuple(arr[45, 80]) == (255, 255, 255)   # nothing outside the box


def test_shop_stage_is_the_shop_prop():
    stage = S.draw_stage("shop", width=480, height=360, sign="Bakery")
    f = stage.features
    x0, y0, x1, y1 = f["shop"]
    for part in ("door", "shop window", "awning", "sign"):
        a, b, c, d = f[part]
        assert x0 <= a < c <= x1 and y0 <= b < d <= y1, part
    assert f["shop window"][2] < f["door"][0]        # the window stops short of the door
    parts = shop_parts(1.2)   # the prop's own layout at its own proportions is unchanged
    assert parts["window"][2] == 1.2 - 0.52 and parts["door"][0] == 1.2 - 0.42


def test_farm_barn_and_garden_fence_are_drawn():
    farm = S.draw_stage("farm", width=400, height=300)
    x0, y0, x1, y1 = farm.features["barn"]
    assert 1.0 <= (x1 - x0) / (y1 - y0) <= 1.35     # the barn prop's proportions (8 by 7)
    barn = np.asarray(farm.image.crop((x0, y0, x1, y1))).astype(int)
    assert (barn[..., 0] - barn[..., 2] > 60).mean() > 0.2   # mostly red walls
    garden = S.draw_stage("garden", width=400, height=300)
    x0, y0, x1, y1 = garden.features["fence"]
    rail = np.asarray(garden.image.crop((x0, y0, x1, (y0 + y1) // 2))).astype(int)
    assert (rail.min(axis=2) > 200).mean() > 0.2   # white pickets, light rails (a little hazed)
