"""The GenEval bench's scorer (bench/geneval.py) on hand-made plans and synthetic pixels: its
copy of GenEval's rules (position, counting, colour, aliases) and its colour namer. No engine."""

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import geneval as G  # noqa: E402
import geneval_prompts as P  # noqa: E402

SIZE = (512, 512)
TABLE = G.class_table(P.CLASSES)
ASSET = {"source": "openmoji", "id": "X", "name": "x", "licence": "CC BY-SA 4.0"}


def thing(noun, boxes, **extra):
    return {"noun": noun, "word": noun, "count": len(boxes), "drawn_count": len(boxes), "colour": None,
            "boxes": boxes, "placeholder": False, "asset": dict(ASSET), "match": "curated", **extra}


def verdict(meta, objects, colours=None):
    """judge() on a plan of ``objects``; ``colours``: plan-object index → the colour its pixels show."""
    found = G.detections({"objects": objects}, SIZE, TABLE)
    return G.judge(meta, found, lambda d: (colours or {}).get(d.obj, "unknown"))


# ---------------------------------------------------------------- relative_position


@pytest.mark.parametrize("a, b, expected", [
    ([0, 0, 10, 10], [100, 0, 110, 10], {"left of"}),
    ([100, 0, 110, 10], [0, 0, 10, 10], {"right of"}),
    ([0, 0, 10, 10], [0, 100, 10, 110], {"above"}),        # y grows down: smaller y is above
    ([0, 100, 10, 110], [0, 0, 10, 10], {"below"}),
    ([0, 0, 10, 10], [100, 100, 110, 110], {"left of", "above"}),   # a diagonal names both
    ([0, 0, 10, 10], [100, 30, 110, 40], {"left of"}),      # mostly sideways: only one
    ([0, 0, 100, 100], [15, 0, 115, 100], set()),           # within 0.1 x (100 + 100): nothing
    # 25 px apart, 20 px margin: the 5 px kept are divided by the full 25 (GenEval), not by 5
    ([0, 0, 100, 100], [25, 0, 125, 100], set()),
    ([0, 0, 100, 100], [50, 0, 150, 100], {"left of"}),     # (50 - 20) / 50 = 0.6 > 0.5
    ([0, 0, 10, 10], [0, 0, 10, 10], set()),                # the same box
])
def test_relative_position_is_genevals_rule(a, b, expected):
    assert G.relative_position(a, b) == expected


# ---------------------------------------------------------------- detections and judge


def test_counting_is_exact_and_small_boxes_are_not_detections():
    meta = {"tag": "counting", "prompt": "a photo of three dogs", "include": [{"class": "dog", "count": 3}],
            "exclude": [{"class": "dog", "count": 4}]}
    box = [[0, 0, 100, 100], [100, 0, 200, 100], [200, 0, 300, 100], [300, 0, 400, 100]]
    assert verdict(meta, [thing("dog", box[:3])])[0]
    ok, why = verdict(meta, [thing("dog", box)])
    assert not ok and why[0]["kind"] == "too many" and why[0]["found"] == 4
    ok, why = verdict(meta, [thing("dog", box[:2])])
    assert not ok and why[0]["kind"] == "too few" and why[0]["found"] == 2
    tiny = [400, 0, 440, 50]   # 2000 px² < 0.8 % of 512² (2097 px²): no detection
    assert verdict(meta, [thing("dog", box[:3] + [tiny])])[0]
    assert not verdict(meta, [thing("dog", box[:3] + [[400, 0, 446, 50]])])[0]   # 2300 px² counts
    # plan objects of one class add up, each box one detection ("dogs" is a dog; "puppy" is no class)
    ok, why = verdict(meta, [thing("dog", box[:2]), thing("dogs", box[2:4])])
    assert not ok and why[0]["found"] == 4
    ok, why = verdict(meta, [thing("dog", box[:2]), thing("puppy", box[2:4])])
    assert not ok and why[0]["kind"] == "too few"


def test_placeholders_and_missing_pictures_never_count():
    meta = {"tag": "single_object", "prompt": "a photo of a sink", "include": [{"class": "sink", "count": 1}]}
    assert verdict(meta, [thing("sink", [[0, 0, 200, 200]])])[0]
    card = thing("sink", [[0, 0, 200, 200]], placeholder=True, asset=None)
    ok, why = verdict(meta, [card])
    assert not ok and why == [{"kind": "missing", "class": "sink", "expected": 1, "found": 0}]
    assert not verdict(meta, [thing("sink", [[0, 0, 200, 200]], asset=None)])[0]
    assert not verdict(meta, [thing("sink", [[0, 0, 200, 200]], placeholder=True)])[0]


def test_classes_aliases_plurals_and_concept():
    assert TABLE["sofa"] == "couch" and TABLE["television"] == "tv" and TABLE["phone"] == "cell phone"
    assert TABLE["apples"] == "apple" and TABLE["buses"] == "bus" and TABLE["knives"] == "knife"
    assert TABLE["doughnut"] == "donut" and TABLE["mouse"] == "computer mouse"
    assert TABLE["hot dog"] == "hot dog" and TABLE["dog"] == "dog"
    assert "glass" not in TABLE and "bat" not in TABLE and "sign" not in TABLE   # not what was asked
    meta = {"tag": "single_object", "prompt": "a photo of a hot dog", "include": [{"class": "hot dog", "count": 1}]}
    assert not verdict(meta, [thing("dog", [[0, 0, 200, 200]])])[0]       # a dog is no hot dog
    assert verdict(meta, [thing("dog", [[0, 0, 200, 200]], concept="hot dog")])[0]   # concept wins
    tv = {"tag": "single_object", "prompt": "a photo of a tv", "include": [{"class": "tv", "count": 1}]}
    assert verdict(tv, [thing("screen", [[0, 0, 200, 200]], concept="tv")])[0]
    assert not verdict(tv, [thing("tv", [[0, 0, 200, 200]], concept="radio")])[0]


def test_a_person_figure_is_a_person_whatever_the_word():
    toaster = {"tag": "single_object", "prompt": "a photo of a toaster", "include": [{"class": "toaster", "count": 1}]}
    figure = thing("toaster", [[0, 0, 100, 300]], person={"age": "adult", "gender": None, "role": None})
    assert not verdict(toaster, [figure])[0]
    person = {"tag": "single_object", "prompt": "a photo of a person", "include": [{"class": "person", "count": 1}]}
    assert verdict(person, [figure])[0]
    assert verdict(person, [thing("woman", [[0, 0, 100, 300]])])[0]


def test_position_uses_the_first_instances_and_needs_the_anchor():
    meta = {"tag": "position", "prompt": "a photo of a dog left of a cat",
            "include": [{"class": "cat", "count": 1}, {"class": "dog", "count": 1, "position": ["left of", 0]}]}
    dog_left, dog_right = [20, 300, 200, 480], [300, 300, 480, 480]
    cat = [240, 330, 300, 480]
    assert verdict(meta, [thing("dog", [dog_left]), thing("cat", [cat])])[0]
    ok, why = verdict(meta, [thing("dog", [dog_right]), thing("cat", [cat])])
    assert not ok and why[0]["kind"] == "position" and why[0]["found"] == ["right of"]
    ok, why = verdict(meta, [thing("dog", [dog_left])])
    assert not ok and [w["kind"] for w in why] == ["missing", "no anchor"]
    # GenEval judges the first detection of each class only
    assert verdict(meta, [thing("dog", [dog_left, dog_right]), thing("cat", [cat])])[0]
    assert not verdict(meta, [thing("dog", [dog_right, dog_left]), thing("cat", [cat])])[0]


def test_colour_comes_from_pixels_not_from_the_plan():
    meta = {"tag": "color_attr", "prompt": "a photo of a red car and a blue bench",
            "include": [{"class": "car", "count": 1, "color": "red"}, {"class": "bench", "count": 1, "color": "blue"}]}
    plan = [thing("car", [[0, 300, 250, 480]], colour="red", rgb=[220, 40, 40]),
            thing("bench", [[260, 300, 500, 480]], colour="blue", rgb=[40, 110, 220])]
    assert verdict(meta, plan, {0: "red", 1: "blue"})[0]
    ok, why = verdict(meta, plan, {0: "blue", 1: "red"})   # the plan says red and blue; the pixels don't
    assert not ok and [(w["class"], w["seen"]) for w in why] == [("car", ["blue"]), ("bench", ["red"])]
    assert not verdict(meta, plan, {0: "red", 1: "white"})[0]


# ---------------------------------------------------------------- the colour namer


REFERENCE = {   # the engine's paints and CSS's named colours, written out here
    "red": [(220, 40, 40), (255, 0, 0), (178, 34, 34)],
    "orange": [(245, 140, 30), (255, 165, 0), (244, 170, 65), (250, 190, 130)],
    "yellow": [(250, 215, 40), (255, 255, 0), (255, 215, 0)],
    "green": [(60, 170, 70), (0, 128, 0), (50, 205, 50)],
    "blue": [(40, 110, 220), (0, 0, 255), (135, 206, 235)],
    "purple": [(140, 70, 190), (128, 0, 128), (148, 0, 211)],
    "pink": [(245, 120, 180), (255, 192, 203), (255, 105, 180), (255, 182, 193)],
    "brown": [(140, 90, 50), (139, 69, 19), (200, 136, 72), (210, 180, 140)],
    "black": [(35, 35, 35), (0, 0, 0), (60, 60, 60)],
    "white": [(245, 245, 245), (255, 255, 255), (235, 240, 250)],
}


def patch(colour, size=40, outline=0, outline_rgb=(0, 0, 0)):
    """A flat square of ``colour`` with a black border ``outline`` px wide: N x 3 pixels."""
    img = np.empty((size, size, 3), np.uint8)
    img[:] = outline_rgb
    img[outline:size - outline, outline:size - outline] = colour
    return img.reshape(-1, 3)


@pytest.mark.parametrize("name, rgb", [(n, c) for n, cs in REFERENCE.items() for c in cs])
def test_flat_patches_are_named(name, rgb):
    assert G.dominant_colour(patch(rgb))[0] == name
    assert G.pixel_colours(np.array([rgb]))[0] == name


def test_outlines_are_set_aside_but_black_paint_is_not():
    assert G.dominant_colour(patch((220, 40, 40), outline=6))[0] == "red"      # 51 % outline
    fork = np.concatenate([patch((250, 215, 40), 20), np.zeros((800, 3), np.uint8)])   # 67 % thin outline
    assert G.dominant_colour(fork)[0] == "yellow"
    # the same dark pixels as a wide black body are paint: two thirds black, it is black
    assert G.dominant_colour(fork, thick=fork.max(1) == 0)[0] == "black"
    train = np.concatenate([patch((40, 110, 220), 20), np.zeros((1000, 3), np.uint8)])  # 29 % blue wheels
    assert G.dominant_colour(train)[0] == "blue"
    assert G.dominant_colour(train, thick=train.max(1) == 0)[0] == "black"
    engine = np.concatenate([patch((60, 60, 60), 30), patch((220, 40, 40), 24)])   # black body 61 %, red wheels
    assert G.dominant_colour(engine)[0] == "black"      # white is discounted, black paint is not
    # a black thing: dark grey paint and a shine; its few brown pixels are too few to name it
    black = np.concatenate([np.full((900, 3), 10, np.uint8), np.full((400, 3), 55, np.uint8),
                            np.full((50, 3), 250, np.uint8), np.tile([[140, 90, 50]], (40, 1)).astype(np.uint8)])
    assert G.dominant_colour(black)[0] == "black"
    assert G.dominant_colour(np.zeros((500, 3), np.uint8))[0] == "black"      # drawn in outline alone


def test_paint_beats_white_parts_but_not_a_speck():
    clock = np.concatenate([patch((245, 245, 245), 30), patch((60, 170, 70), 29)])   # white face, green case
    assert G.dominant_colour(clock)[0] == "green"
    bicycle = np.concatenate([np.full((750, 3), 250, np.uint8), np.tile([[220, 40, 40]], (250, 1)).astype(np.uint8)])
    assert G.dominant_colour(bicycle)[0] == "white"                                  # a quarter red: not enough
    sheep = np.concatenate([np.full((930, 3), 250, np.uint8), np.tile([[40, 110, 220]], (70, 1)).astype(np.uint8)])
    assert G.dominant_colour(sheep)[0] == "white"                                    # blue hooves, white wool
    assert G.dominant_colour(patch((150, 150, 150)))[0] == "white"   # no grey among the ten: light grey is white
    assert G.dominant_colour(patch((100, 100, 100)))[0] == "black"   # and dark grey black
    assert G.dominant_colour(patch((220, 40, 40), 4))[0] == "unknown"                # too few pixels
    orange_vs_brown = np.concatenate([patch((245, 140, 30), 30), patch((140, 90, 50), 20)])
    assert G.dominant_colour(orange_vs_brown)[0] == "orange"


def test_thick_dark_keeps_wide_black_areas_and_drops_lines():
    picture = np.full((100, 100, 3), 230, np.uint8)
    picture[10:40, 10:40] = 0      # a 30 px black square
    picture[60:63, 5:95] = 0       # a 3 px line
    thick = G.thick_dark(picture, np.ones((100, 100), bool), [0, 0, 100, 100])
    assert thick[25, 25] and thick[10:40, 10:40].all() and not thick[60:63].any() and thick.sum() == 900
    outside = np.zeros((100, 100), bool)
    outside[50:, :] = True          # only the line is in the thing's mask
    assert not G.thick_dark(picture, outside, [0, 0, 100, 100]).any()


class Sprite:
    """A stand-in for the engine's Picture: an L-shaped opaque sprite facing right."""

    kind, facing = "emoji", "right"

    def draw(self, width, height, colour=None, flip=False, part="all"):
        alpha = np.zeros((height, width), np.uint8)
        alpha[:, : width // 2] = 255          # the left half
        alpha[height - 4:, :] = 255           # and a strip along the bottom
        rgba = np.zeros((height, width, 4), np.uint8)
        rgba[..., 3] = alpha
        return Image.fromarray(rgba, "RGBA")


def test_sprite_mask_sits_in_its_box_and_keeps_only_sure_pixels():
    mask = G._sprite_mask(Sprite(), [100, 50, 140, 90], SIZE, "right")
    assert mask.shape == (512, 512) and not mask[:50].any() and not mask[:, :100].any() and not mask[:, 140:].any()
    ys, xs = np.nonzero(mask)
    assert xs.min() >= 101 and xs.max() <= 138 and ys.min() >= 51 and ys.max() <= 88   # eroded 1 px
    # left half + bottom strip is lopsided: mirrored, the two agree on the strip only (< 30 %),
    # so the plan's facing decides: facing "left" against a right-facing picture → mirrored
    flipped = G._sprite_mask(Sprite(), [100, 50, 140, 90], SIZE, "left")
    assert flipped[70, 135] and not flipped[70, 105] and mask[70, 105] and not mask[70, 135]


# ---------------------------------------------------------------- the prompts


def test_the_generator_gives_back_genevals_553_prompts_and_fresh_ones():
    published = P.published()
    assert P.suite(43) == published and len(published) == 553
    assert Counter(p["tag"] for p in published) == {"single_object": 80, "two_object": 99, "counting": 80,
                                                     "colors": 94, "position": 100, "color_attr": 100}
    fresh = P.suite(7, n=20)
    assert fresh != P.suite(8, n=20) and fresh[80:] != published[80:180]
    for p in fresh:
        assert p["prompt"].startswith("a photo of ")
        json.dumps(p)
        if p["tag"] in ("colors", "color_attr"):
            assert all(r["class"] != "person" and r["color"] in P.COLOURS for r in p["include"])
        if p["tag"] == "position":
            anchor, subject = p["include"]
            assert p["prompt"] == f"a photo of {P.article(subject['class'])} {subject['position'][0]} " \
                                  f"{P.article(anchor['class'])}"
    assert P.plural("bus") == "buses" and P.plural("skis") == "skises" and P.plural("knife") == "knifes"
    assert P.article("apple") == "an apple" and P.article("umbrella") == "an umbrella"


class Square(Sprite):
    kind, facing = "emoji", "front"

    def draw(self, width, height, colour=None, flip=False, part="all"):
        return Image.new("RGBA", (width, height), (0, 0, 0, 255))


def test_what_is_drawn_later_hides_what_is_under_it(monkeypatch):
    monkeypatch.setattr(G, "_pictures", lambda prompt, plan: [Square()] * len(plan["objects"]))
    under = thing("handbag", [[100, 100, 300, 300]], layers=[1])
    over = thing("carrot", [[150, 150, 250, 250]], layers=[2])
    masks = G.Masks("", {"objects": [under, over]}, SIZE)
    top, bottom = masks.masks[(1, 0)], masks.masks[(0, 0)]
    assert top[200, 200] and top.sum() == 98 * 98 and not bottom[200, 200] and bottom[120, 120]
    assert not (top & bottom).any() and masks.how[(0, 0)] == masks.how[(1, 0)] == "sprite"
    # the other way round, the handbag hides the carrot whole
    masks = G.Masks("", {"objects": [dict(under, layers=[2]), dict(over, layers=[1])]}, SIZE)
    assert not masks.masks[(1, 0)].any() and masks.masks[(0, 0)][200, 200]
    # a text card drawn over a thing hides it too
    card = thing("sink", [[100, 100, 200, 300]], layers=[3], placeholder=True, asset=None)
    masks = G.Masks("", {"objects": [dict(under, layers=[1]), card]}, SIZE)
    assert not masks.masks[(0, 0)][150, 150] and masks.masks[(0, 0)][150, 250]


def test_a_hidden_instance_is_no_detection(monkeypatch):
    monkeypatch.setattr(G, "_pictures", lambda prompt, plan: [Square()] * len(plan["objects"]))
    dogs = thing("dog", [[0, 0, 100, 100], [200, 0, 300, 100]], layers=[1, 1])
    couch = thing("couch", [[190, 0, 310, 110]], layers=[2])      # drawn over the second dog
    plan = {"objects": [dogs, couch]}
    masks = G.Masks("", plan, SIZE)
    assert masks.visible[(0, 0)] == 1.0 and masks.visible[(0, 1)] == 0.0
    assert len(G.detections(plan, SIZE, TABLE)["dog"]) == 2
    assert len(G.detections(plan, SIZE, TABLE, visible=masks.visible)["dog"]) == 1
