"""The SVG drawings made for seespeech (data/drawings/): every one renders, recolours by its
``main`` parts, and is what the compose engine draws for its nouns."""

import colorsys
import re

import numpy as np
import pytest

from seespeech import imagine
from seespeech.pictures import drawings, lexicon
from seespeech.pictures.depict import DRAWN_LICENCE
from seespeech.pictures.scene import COLOURS

CATEGORIES = set(lexicon.CATEGORY_HEIGHT)


def test_the_index_lists_every_drawing_once():
    files = {p.stem for p in drawings.DRAWINGS_DIR.glob("*.svg")}
    assert {n.replace(" ", "_") for n in drawings.names()} == files
    assert len(drawings.names()) >= 33


@pytest.mark.parametrize("name", drawings.names())
def test_each_row_is_sane_and_its_file_renders(name):
    d = drawings.entry(name)
    assert d.category in CATEGORIES and d.rests in drawings.RESTS and d.facing in drawings.FACINGS
    assert 0.05 <= d.height <= 4.0
    for where, value in d.surfaces.items():
        assert where in ("top", "seat") and len(value) == 3 and all(0 <= v <= 1 for v in value)
    svg = d.path.read_text(encoding="utf-8")
    assert 'class="main"' in svg, "every drawing has a part to recolour"
    assert re.search(r'viewBox="[-\d. ]+"', svg)
    aspect = drawings.aspect(name)
    image = drawings.render(name, max(1, round(64 * aspect)), 64)
    assert image.mode == "RGBA" and image.size == (max(1, round(64 * aspect)), 64)
    alpha = np.asarray(image.getchannel("A"))
    assert (alpha > 128).mean() > 0.15, "the drawing fills its box"


def test_surfaces_sit_on_the_drawing():
    """The line things stand or sit on has the drawing's own pixels just below it."""
    for name in drawings.names():
        for where, (y, x0, x1) in drawings.entry(name).surfaces.items():
            height = 200
            width = round(height * drawings.aspect(name))
            alpha = np.asarray(drawings.render(name, width, height).getchannel("A"))
            band = alpha[min(height - 1, int(y * height) + 3), int(x0 * width):int(x1 * width)]
            assert (band > 128).mean() > 0.6, (name, where)


def _pixels(image):
    arr = np.asarray(image.convert("RGBA")).astype(np.float32) / 255
    return arr[..., :3][arr[..., 3] > 0.9]


def test_a_recoloured_drawing_takes_the_colour_and_keeps_its_outlines():
    plain = _pixels(drawings.render("refrigerator", 60, 110))
    red = _pixels(drawings.render("refrigerator", 60, 110, COLOURS["red"]))
    outline = red.max(1) < 0.2
    assert abs(outline.mean() - (plain.max(1) < 0.2).mean()) < 0.02, "the black outlines stay"
    assert outline.mean() > 0.05
    body = red[~outline]
    hues = np.array([colorsys.rgb_to_hsv(*p) for p in body])
    reddish = (hues[:, 1] > 0.4) & ((hues[:, 0] < 0.05) | (hues[:, 0] > 0.95))
    assert reddish.mean() > 0.6, "most of a red refrigerator is red"
    # a black one is dark grey with black outlines, so its shape still shows
    black = _pixels(drawings.render("refrigerator", 60, 110, COLOURS["black"]))
    assert ((black.max(1) > 0.2) & (black.max(1) < 0.35)).mean() > 0.5
    assert (black.max(1) < 0.1).mean() > 0.05


def test_only_the_main_parts_change_colour():
    svg = drawings.svg_text("laptop")
    recoloured = drawings.recolour(svg, (40, 110, 220))
    assert 'class="main" d="M11 2' in recoloured and 'fill="#286EDC"' in recoloured
    assert recoloured.count('fill="#61B2E4"') == svg.count('fill="#61B2E4"'), "the screen keeps its colour"
    assert 'stroke="#000"' in recoloured
    shades = drawings.shades(COLOURS["white"])
    assert min(shades["main-dark"]) < 215 and min(shades["main"]) > 230


def test_the_lexicon_draws_them():
    assert lexicon.lookup("fire hydrant").picture == "svg:fire hydrant"
    assert lexicon.lookup("hydrant").noun == "fire hydrant"
    assert lexicon.lookup("fridge").picture == "svg:refrigerator"
    assert lexicon.lookup("bottle").picture == "svg:bottle"        # was a baby bottle
    assert lexicon.lookup("oven").picture == "svg:oven"            # was the stove
    assert lexicon.lookup("stove").picture == "prop:stove"
    assert lexicon.lookup("table lamp").picture == "svg:lamp"      # its old words came along
    assert lexicon.lookup("bench").picture == "prop:bench"         # already right: kept


def test_a_fire_hydrant_is_drawn():
    generation = imagine("a photo of a fire hydrant", width=256, height=256)
    plan = generation.plans[0]
    assert plan["unmatched"] == []
    (obj,) = [o for o in plan["objects"] if o["noun"] == "fire hydrant"]
    assert obj["asset"] == {"source": "drawn", "id": "fire hydrant", "name": "fire hydrant",
                            "licence": DRAWN_LICENCE}
    assert not obj["placeholder"]


def test_a_said_colour_reaches_the_drawing():
    generation = imagine("a blue refrigerator", width=256, height=256)
    plan = generation.plans[0]
    (obj,) = [o for o in plan["objects"] if o["noun"] == "refrigerator"]
    assert obj["asset"]["source"] == "drawn" and obj["rgb"] == list(COLOURS["blue"])
    x0, y0, x1, y1 = obj["boxes"][0]
    box = np.asarray(generation.images[0].convert("RGB").crop((x0, y0, x1, y1))).reshape(-1, 3) / 255
    hues = np.array([colorsys.rgb_to_hsv(*p) for p in box])
    blue = (hues[:, 1] > 0.5) & (abs(hues[:, 0] - 0.6) < 0.06) & (hues[:, 2] > 0.5)
    assert blue.mean() > 0.4
