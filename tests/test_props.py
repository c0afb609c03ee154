"""Drawn props (imagine/props/): sizes, layers, surfaces, lookup, colours."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from seespeech.pictures import props
from seespeech.pictures.props import draw as cache, table
from seespeech.pictures.props import PROPS, draw_prop, lookup

NAMES = sorted(PROPS)
LAYERED = [n for n in NAMES if PROPS[n].front_layer]
SIZES = [(24, 24), (64, 40), (37, 151), (160, 160), (600, 400)]


def alpha(image: Image.Image) -> np.ndarray:
    return np.asarray(image)[..., 3]


@pytest.mark.parametrize("name", NAMES)
def test_draws_at_every_size(name):
    for width, height in SIZES:
        for part in ("all", "back", "front"):
            image = draw_prop(name, width, height, part=part)
            assert image.mode == "RGBA"
            assert image.size == (width, height)
        assert alpha(draw_prop(name, width, height)).max() == 255, (name, width, height)


def test_degenerate_sizes_do_not_crash():
    for name in NAMES:
        for width, height in ((1, 1), (3, 90), (90, 3)):
            assert draw_prop(name, width, height).size == (width, height)


@pytest.mark.parametrize("name", NAMES)
def test_drawing_at_its_aspect_fills_the_box_and_has_black_outlines(name):
    info = PROPS[name]
    height = 160
    width = max(8, round(height * info.aspect))
    image = np.asarray(draw_prop(name, width, height)).astype(int)
    opaque = image[..., 3] > 200
    assert opaque.mean() > 0.1, "too little drawn"
    rows, cols = np.nonzero(opaque)
    assert rows.max() >= height - 3 or name in ("lamp post",), "the prop should stand on the box's bottom"
    assert cols.min() <= 6 and cols.max() >= width - 7, "the prop should fill the box's width"
    dark = opaque & (image[..., :3].max(axis=2) < 40)
    assert dark.sum() > 0.02 * opaque.sum(), "OpenMoji style wants black outlines"


@pytest.mark.parametrize("name", LAYERED)
def test_back_then_front_is_all(name):
    info = PROPS[name]
    for height in (48, 200):
        width = max(8, round(height * info.aspect))
        back = draw_prop(name, width, height, part="back")
        front = draw_prop(name, width, height, part="front")
        whole = draw_prop(name, width, height)
        made = np.asarray(Image.alpha_composite(back, front)).astype(int)
        diff = np.abs(made - np.asarray(whole).astype(int))
        assert diff.max() <= 6 and diff.mean() < 0.5, (name, height, diff.max(), diff.mean())
        assert alpha(back).max() == 255 and alpha(front).max() == 255, "both parts should have something"


@pytest.mark.parametrize("name", LAYERED)
def test_front_covers_part_of_the_interior(name):
    info = PROPS[name]
    height = 200
    width = max(8, round(height * info.aspect))
    box = info.surfaces.get("interior") or info.surfaces.get("deck")
    assert box is not None
    x0, y0, x1, y1 = box
    if y0 == y1:  # a deck: look at the band above it
        y0 = max(0.0, y1 - 0.3)
    region = alpha(draw_prop(name, width, height, part="front"))[
        int(y0 * height):max(int(y0 * height) + 1, int(y1 * height)),
        int(x0 * width):max(int(x0 * width) + 1, int(x1 * width))]
    covered = (region > 128).mean()
    assert 0.03 < covered < 0.97, (name, covered)


def test_plain_props_have_an_empty_front():
    for name in NAMES:
        if PROPS[name].front_layer:
            continue
        front = draw_prop(name, 50, 40, part="front")
        assert alpha(front).max() == 0
        assert np.array_equal(np.asarray(draw_prop(name, 50, 40, part="back")), np.asarray(draw_prop(name, 50, 40)))


def test_surfaces_are_fractions_and_ordered():
    known = {"top", "seat", "deck", "interior", "door", "window"}
    lines = {"top", "seat", "deck"}
    for name, info in PROPS.items():
        assert info.name == name
        assert info.height_m > 0 and info.width_m > 0
        assert info.aspect == pytest.approx(info.width_m / info.height_m, rel=5e-3)
        for key, box in info.surfaces.items():
            assert key in known, (name, key)
            assert len(box) == 4
            x0, y0, x1, y1 = box
            assert all(0.0 <= v <= 1.0 for v in box), (name, key, box)
            assert x0 < x1 and y0 <= y1, (name, key, box)
            if key in lines:
                assert y0 == y1, (name, key, box)
            else:
                assert y0 < y1, (name, key, box)
    for name in ("crib", "cart", "cage", "aquarium", "hospital bed", "wheelbarrow", "birdcage", "sandbox"):
        assert "interior" in PROPS[name].surfaces, name
    for name in ("bench", "swing", "sled", "sofa", "bus stop"):
        assert "seat" in PROPS[name].surfaces, name
    assert "deck" in PROPS["bridge"].surfaces
    for name in ("table", "desk", "stove", "bookshelf", "fireplace", "crib", "hospital bed"):
        assert "top" in PROPS[name].surfaces, name


def test_surfaces_sit_on_the_drawing():
    """The line things stand on has the prop's own pixels just below it."""
    for name in ("table", "desk", "bench", "stove", "hospital bed", "bookshelf", "fireplace", "sled", "swing"):
        info = PROPS[name]
        height = 200
        width = round(height * info.aspect)
        key = "seat" if "seat" in info.surfaces else "top"
        x0, y, x1, _ = info.surfaces[key]
        a = alpha(draw_prop(name, width, height))
        row = min(height - 1, int(y * height) + 3)
        band = a[row, int(x0 * width):int(x1 * width)]
        assert (band > 128).mean() > 0.6, (name, key, (band > 128).mean())


def test_lookup_names_synonyms_and_plurals():
    cases = {
        "crib": "crib", "cribs": "crib", "cot": "crib", "cots": "crib", "Cradle": "crib", "a baby bed": "crib",
        "bench": "bench", "benches": "bench", "park bench": "bench", "park benches": "bench",
        "chalkboard": "blackboard", "blackboards": "blackboard", "chalk-board": "blackboard",
        "hospital bed": "hospital bed", "hospital beds": "hospital bed", "hospital_bed": "hospital bed",
        "footbridge": "bridge", "bridges": "bridge", "wagon": "cart", "wagons": "cart", "carts": "cart",
        "horse cart": "cart", "picket fence": "fence", "fences": "fence", "ladders": "ladder",
        "kitchen table": "table", "tables": "table", "desk": "desk", "desks": "desk",
        "oven": "stove", "ovens": "stove", "cooker": "stove", "stoves": "stove",
        "bakery": "shop", "bakeries": "shop", "store": "shop", "shops": "shop", "toy shop": "shop",
        "barn": "barn", "barns": "barn", "swings": "swing", "slides": "slide", "sandpit": "sandbox",
        "sandboxes": "sandbox", "letterbox": "mailbox", "mailboxes": "mailbox", "wishing well": "well",
        "wheelbarrows": "wheelbarrow", "signposts": "signpost", "scarecrows": "scarecrow", "sledge": "sled",
        "sleds": "sled", "bonfire": "campfire", "campfires": "campfire", "bookcase": "bookshelf",
        "bookshelves": "bookshelf", "shelves": "bookshelf", "fireplaces": "fireplace",
        "fish tank": "aquarium", "fish tanks": "aquarium", "aquariums": "aquarium", "cages": "cage",
        "birdcage": "birdcage", "bird cages": "birdcage", "hammocks": "hammock", "picnic blanket": "picnic blanket",
        "picnic blankets": "picnic blanket", "lamppost": "lamp post", "lamp posts": "lamp post",
        "street lights": "lamp post", "streetlamp": "lamp post", "bus stop": "bus stop", "bus stops": "bus stop",
        "bus shelter": "bus stop", "couch": "sofa", "couches": "sofa", "sofas": "sofa",
        "  The Crib ": "crib",
    }
    for word, name in cases.items():
        info = lookup(word)
        assert info is not None, word
        assert info.name == name, (word, info.name)
    for word in ("", "cat", "tree", "horse", "bed", "kite", "tent", "tank", "ss", "s"):
        assert lookup(word) is None, word


def test_every_name_and_synonym_resolves_to_its_own_prop():
    seen: dict[str, str] = {}
    for name, info in PROPS.items():
        assert lookup(name) is info
        for word in info.synonyms:
            assert lookup(word) is info, (name, word)
            key = table._key(word)
            assert seen.setdefault(key, name) == name, f"{word!r} claimed by {seen[key]} and {name}"
    assert props.prop_names() == list(PROPS)


def test_colour_recolours_the_main_body():
    for name in NAMES:
        plain = np.asarray(draw_prop(name, 120, 90)).astype(int)
        red = np.asarray(draw_prop(name, 120, 90, colour=(0, 200, 255))).astype(int)
        changed = (np.abs(plain - red).sum(axis=2) > 30).mean()
        assert changed > 0.02, (name, changed)
    # a red bench is red
    bench = np.asarray(draw_prop("bench", 200, 105, colour=(210, 47, 39))).astype(int)
    opaque = bench[..., 3] > 200
    reddish = opaque & (bench[..., 0] > 150) & (bench[..., 1] < 100) & (bench[..., 2] < 100)
    assert reddish.sum() > 0.2 * opaque.sum()


def test_signs_write_text():
    shop = np.asarray(draw_prop("shop", 240, 200)).astype(int)
    bakery = np.asarray(draw_prop("bakery", 240, 200)).astype(int)
    toys = np.asarray(draw_prop("shop", 240, 200, sign="TOYS")).astype(int)
    assert np.abs(shop - bakery).sum() > 0 and np.abs(bakery - toys).sum() > 0
    # the sign board (white, near the top) holds dark lettering
    board = bakery[int(0.15 * 200):int(0.3 * 200), int(0.15 * 240):int(0.85 * 240), :3]
    assert (board.max(axis=2) < 160).mean() > 0.05
    board = np.asarray(draw_prop("blackboard", 300, 200, sign="Hello")).astype(int)
    plain = np.asarray(draw_prop("blackboard", 300, 200)).astype(int)
    assert np.abs(board - plain).sum() > 0
    post = np.asarray(draw_prop("signpost", 120, 200, sign="Beach, Town")).astype(int)
    assert np.abs(post - np.asarray(draw_prop("signpost", 120, 200)).astype(int)).sum() > 0


def test_deterministic_and_copies():
    first = draw_prop("bookshelf", 90, 160)
    first.paste((255, 0, 0, 255), (0, 0, 90, 160))  # a caller scribbling on its copy...
    props.clear_cache()
    again = draw_prop("bookshelf", 90, 160)
    cached = draw_prop("bookshelf", 90, 160)
    assert np.array_equal(np.asarray(again), np.asarray(cached))
    assert not np.array_equal(np.asarray(first), np.asarray(again))  # ...does not touch the cache


def test_cache_is_bounded_by_pixels(monkeypatch):
    monkeypatch.setattr(cache, "CACHE_BUDGET", 200 * 200 * 3)
    props.clear_cache()
    for size in range(100, 200, 10):
        draw_prop("crib", size, size)
    assert cache._CACHE_PIXELS <= cache.CACHE_BUDGET
    assert sum(w * h * len(v) for (_, w, h, _, _), v in cache._CACHE.items()) == cache._CACHE_PIXELS
    props.clear_cache()
    assert cache._CACHE_PIXELS == 0


def test_shop_words_become_the_sign():
    def same(a, b):
        return np.array_equal(np.asarray(a), np.asarray(b))

    assert same(draw_prop("bakeries", 120, 100), draw_prop("shop", 120, 100, sign="bakery"))
    assert same(draw_prop("toy shop", 120, 100), draw_prop("shop", 120, 100, sign="toy shop"))
    assert same(draw_prop("shop front", 120, 100), draw_prop("shop", 120, 100))
    assert same(draw_prop("storefront", 120, 100), draw_prop("shop", 120, 100, sign="store"))
    assert same(draw_prop("bakery", 120, 100, sign="Mario's"), draw_prop("shop", 120, 100, sign="Mario's"))


def test_bad_requests():
    with pytest.raises(KeyError):
        draw_prop("unicorn", 50, 50)
    with pytest.raises(ValueError):
        draw_prop("crib", 0, 50)
    with pytest.raises(ValueError):
        draw_prop("crib", 50, -3)
    with pytest.raises(ValueError):
        draw_prop("crib", 50, 50, part="middle")
