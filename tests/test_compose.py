"""The compose engine: scenes drawn from clip-art, checked through their plans."""

import json

import numpy as np
import pytest
from PIL import Image

from everyday_check import relation_holds
from scenes import SCENES
from seespeech import OptionError, imagine
from seespeech.pictures.assets import OPENMOJI_LICENCE
from seespeech.pictures.graph import parse_scene


def holds(relation, subject, anchor, size=(512, 512)):
    """The tests' own reading of each relation on the plan's boxes (tests/everyday_check.py)."""
    return relation_holds(relation, subject, anchor, *size)


@pytest.fixture(scope="module")
def drawn():
    """Every test scene drawn once (seed 0)."""
    return [imagine(scene["text"], seed=0) for scene in SCENES]


def test_the_scene_list_is_long_enough():
    assert len(SCENES) >= 40
    assert sum(len(s["nouns"]) for s in SCENES) >= 90


def fitting_misses(drawn, nouns_wanted) -> tuple[int, int, list[str]]:
    fitting, total, misses = 0, 0, []
    for scene, generation in zip(SCENES, drawn):
        plan = generation.plans[0]
        for noun, (asset_word, count) in scene["nouns"].items():
            if not nouns_wanted(noun):
                continue
            total += 1
            entries = [o for o in plan["objects"] if o["noun"] == noun]
            names = [o["asset"]["name"] for o in entries if o["asset"]]
            drawn_count = sum(len(o["boxes"]) for o in entries)
            if any(asset_word in name for name in names) and drawn_count == count:
                fitting += 1
            else:
                misses.append(f"{scene['text']!r}: {noun} → {names} ×{drawn_count}")
    return fitting, total, misses


def test_nouns_are_drawn_with_fitting_assets_in_the_right_numbers(drawn):
    """Every noun of every scene, on any machine: Open Clip Art's drawings that scenes need (a
    lighthouse, a table) are packaged, not an optional apt package."""
    fitting, total, misses = fitting_misses(drawn, lambda noun: True)
    assert total >= 90 and not misses, misses


def is_colour(colour: str, r: float, g: float, b: float) -> bool:
    return {"red": r > g + 60 and r > b + 60, "blue": b > r + 60 and b > g + 20,
            "yellow": r > b + 80 and g > b + 80, "green": g > r + 40 and g > b + 40,
            "pink": r > g + 60 and b > g, "orange": r > g + 30 and g > b + 30,
            "black": max(r, g, b) < 80, "white": min(r, g, b) > 200}[colour]


def test_colours_are_honoured_in_plan_and_pixels(drawn):
    for scene, generation in zip(SCENES, drawn):
        plan, image = generation.plans[0], np.asarray(generation.images[0]).astype(int)
        if not scene.get("colours"):
            continue
        # the same scene without colour words has the same layout: the pixels that changed are the paint
        plain_text = scene["text"]
        for colour in scene["colours"].values():
            plain_text = plain_text.replace(f"{colour} ", "")
        plain = np.asarray(imagine(plain_text, seed=0).images[0]).astype(int)
        for noun, colour in scene["colours"].items():
            entry = next(o for o in plan["objects"] if o["noun"] == noun)
            assert entry["colour"] == colour, scene["text"]
            x0, y0, x1, y1 = entry["boxes"][0]
            patch, before = image[y0:y1, x0:x1].reshape(-1, 3), plain[y0:y1, x0:x1].reshape(-1, 3)
            changed = np.abs(patch - before).sum(axis=1) > 60
            if changed.mean() <= 0.1:   # little to paint: the picture is that colour already (a fox, orange)
                share = np.mean([is_colour(colour, *pixel) for pixel in patch[::7]])
                assert share > 0.15, (scene["text"], share)
                continue
            r, g, b = np.median(patch[changed], axis=0)
            assert is_colour(colour, r, g, b), (scene["text"], noun, colour, (r, g, b))


def test_relations_hold_geometrically(drawn):
    for scene, generation in zip(SCENES, drawn):
        plan = generation.plans[0]
        by_noun = {o["noun"]: o for o in plan["objects"]}
        for subject, relation, anchor in scene.get("relations", []):
            assert holds(relation, by_noun[subject], by_noun[anchor]), (scene["text"], relation, plan)
        for rel in plan["relations"]:  # and the plan's own verdict agrees
            assert rel["holds"], (scene["text"], rel)


def test_settings_choose_the_background(drawn):
    for scene, generation in zip(SCENES, drawn):
        setting = generation.plans[0]["setting"]
        for key in ("place", "time"):
            if key in scene:
                assert setting[key] == scene[key], scene["text"]
    night = np.asarray(imagine("a house at night").images[0])[:100].mean()
    day = np.asarray(imagine("a house").images[0])[:100].mean()
    assert night < day - 60


def test_boxes_stay_inside_the_picture_and_do_not_pile_up(drawn):
    for scene, generation in zip(SCENES, drawn):
        plan = generation.plans[0]
        width, height = plan["size"]
        for o in plan["objects"]:
            for x0, y0, x1, y1 in o["boxes"]:
                assert -1 <= x0 < x1 <= width + 1 and -1 <= y0 < y1 <= height + 1, (scene["text"], o)
        # instances of one group never sit on top of each other
        for o in plan["objects"]:
            boxes = o["boxes"]
            for i in range(len(boxes)):
                for j in range(i + 1, len(boxes)):
                    a, b = boxes[i], boxes[j]
                    w = min(a[2], b[2]) - max(a[0], b[0])
                    h = min(a[3], b[3]) - max(a[1], b[1])
                    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                    assert max(w, 0) * max(h, 0) < 0.2 * smaller, (scene["text"], o["noun"])


def test_same_seed_same_picture_other_seed_other_layout():
    text = "a dog and a cat next to a tree and two birds in the sky"
    a, b, c = imagine(text, seed=3), imagine(text, seed=3), imagine(text, seed=4)
    assert np.array_equal(np.asarray(a.images[0]), np.asarray(b.images[0]))
    assert a.plans == b.plans
    assert not np.array_equal(np.asarray(a.images[0]), np.asarray(c.images[0]))
    assert [o["boxes"] for o in a.plans[0]["objects"]] != [o["boxes"] for o in c.plans[0]["objects"]]


def test_count_gives_variations_with_consecutive_seeds():
    generation = imagine("a snowman in front of a house", seed=10, count=3)
    assert [p["seed"] for p in generation.plans] == [10, 11, 12]
    pixels = [np.asarray(i) for i in generation.images]
    assert not np.array_equal(pixels[0], pixels[1]) and not np.array_equal(pixels[1], pixels[2])


@pytest.mark.parametrize("text", ["three dogs playing in a park", "a man holding an umbrella next to a bus at night",
                                  "a red bird on a branch next to a small house"])
def test_variations_differ_visibly_and_keep_what_was_said(text):
    """Picture i of -n is another take, not the same scene shifted by a few pixels: another
    variant of the place, every other one seen from the other side (things in the other order,
    facing the other way); what was said holds in each."""
    generation = imagine(text, seed=0, count=3)
    pixels = [np.asarray(i, dtype=np.int16) for i in generation.images]
    for a in range(3):
        for b in range(a + 1, 3):
            changed = (np.abs(pixels[a] - pixels[b]).max(axis=2) > 40).mean()
            assert changed > 0.05, (a, b, changed)    # over 5 % of the picture looks different
    assert [p["view"] for p in generation.plans] == [
        {"variant": 0, "mirrored": False}, {"variant": 1, "mirrored": True}, {"variant": 2, "mirrored": False}]
    for plan in generation.plans:
        assert all(r["holds"] for r in plan["relations"]), plan["relations"]
    first, mirrored = generation.plans[0]["objects"][0], generation.plans[1]["objects"][0]
    assert first["noun"] == mirrored["noun"] and first["boxes"][0] != mirrored["boxes"][0]


def test_said_sides_are_never_mirrored():
    generation = imagine("a horse to the left of a barn", seed=0, count=2)
    for plan in generation.plans:
        assert plan["view"]["mirrored"] is False
        assert all(r["holds"] for r in plan["relations"])


def test_synonyms_are_matched_through_the_lexicon_then_the_embedder():
    plan = imagine("a puppy and a kitten next to a hound").plans[0]
    found = {o["noun"]: o for o in plan["objects"]}
    assert [found[n]["asset"]["name"] for n in ("puppy", "kitten", "hound")] == ["dog", "cat", "dog"]
    # words no table names find their picture by meaning
    plan = imagine("a canine next to a feline").plans[0]
    found = {o["noun"]: o for o in plan["objects"]}
    assert found["canine"]["asset"]["name"] == "dog" and found["canine"]["match"] == "similar"
    assert found["feline"]["asset"]["name"] == "cat" and found["feline"]["match"] == "similar"
    assert all(0.6 <= found[n]["similarity"] <= 1 for n in ("canine", "feline"))


def test_a_person_is_never_drawn_as_a_thing_the_embedder_thinks_is_near():
    """Role words go to people figures, not to the nearest emoji name (astronaut → rocket)."""
    for role in ("astronaut", "firefighter", "fisherman", "teacher", "pirate", "chef", "doctor"):
        entry = imagine(f"a {role}").plans[0]["objects"][0]
        assert entry["person"]["role"] in (role, "chef") and entry["asset"]["source"] == "openmoji", entry


def test_unknown_words_are_listed_not_drawn_as_text_cards():
    """A word with no picture is not drawn as a card: the plan lists it, with why; the rest of
    the scene is drawn. Asked for (``labels=True``), it is a labelled card."""
    generation = imagine("a zorblax next to a dog")
    plan, image = generation.plans[0], generation.images[0]
    assert plan["unmatched"] == ["zorblax"]
    assert [o["noun"] for o in plan["objects"]] == ["dog"]
    assert [u["noun"] for u in plan["unmatched_why"]] == ["zorblax"] and "WordNet" in plan["unmatched_why"][0]["why"]
    only_unknown = imagine("a blorptangle")   # (a flibbertigibbet is a person: WordNet knows it)
    assert only_unknown.plans[0]["unmatched"] == ["blorptangle"]
    assert np.asarray(only_unknown.images[0]).std() > 10   # the setting, not an empty picture
    labelled = imagine("a zorblax next to a dog", labels=True)
    entry = next(o for o in labelled.plans[0]["objects"] if o["noun"] == "zorblax")
    assert entry["placeholder"] and entry["asset"] is None and len(entry["boxes"]) == 1
    x0, y0, x1, y1 = entry["boxes"][0]
    patch = np.asarray(labelled.images[0])[y0:y1, x0:x1]
    assert patch.std() > 20  # a card with its label, not empty sky


def test_sizes_follow_the_words():
    plan = imagine("a big white dog beside a small black dog").plans[0]
    big, small = plan["objects"]
    assert (big["size"], small["size"]) == ("big", "small")
    height = lambda o: o["boxes"][0][3] - o["boxes"][0][1]  # noqa: E731
    assert height(big) > 1.6 * height(small)
    assert (big["colour"], small["colour"]) == ("white", "black")


def test_picture_size_and_png_metadata_carry_plan_and_licence(tmp_path):
    generation = imagine("a red bird on a branch", width=640, height=384)
    image = generation.images[0]
    assert image.size == (640, 384)
    # the plain PIL save a user would write keeps the plan and the licence credits, and so
    # does the library's atomic save (on a copy, too)
    from seespeech.speech.spectrogram import save

    image.save(tmp_path / "bird.png")
    save(image.copy(), tmp_path / "bird-copy.png")
    for name in ("bird.png", "bird-copy.png"):
        with Image.open(tmp_path / name) as png:
            text = png.text
        assert "OpenMoji" in text["Copyright"] and OPENMOJI_LICENCE in text["Copyright"]
        assert json.loads(text["seespeech:plan"]) == generation.plans[0]
    assert generation.credits and all("OpenMoji" in c or "Clip Art" in c for c in generation.credits)


def test_bad_options_are_refused_clearly():
    with pytest.raises(OptionError, match="count"):
        imagine("a dog", count=0)
    with pytest.raises(OptionError, match="width"):
        imagine("a dog", width=10)
    with pytest.raises(OptionError, match="empty"):
        imagine("   ")
    with pytest.raises(OptionError, match="unknown picture engine"):
        imagine("a dog", engine="crayons")


@pytest.mark.parametrize("text, objects, relations, place, time", [
    ("two cats under a table at night", [("cat", 2), ("table", 1)], [(0, "under", 1)], "outdoors", "night"),
    ("a couple of birds flying over a big tree", [("bird", 2), ("tree", 1)], [(0, "above", 1)], "outdoors", "day"),
    ("on the table there's a blue cup", [("table", 1), ("cup", 1)], [(1, "on", 0)], "outdoors", "day"),
    ("a dog and a cat under a tree in the park", [("dog", 1), ("cat", 1), ("tree", 1)],
     [(0, "under", 2), (1, "under", 2)], "park", "day"),
    ("a little mouse behind a big piece of cheese", [("mouse", 1), ("cheese", 1)], [(0, "behind", 1)],
     "outdoors", "day"),
    ("three horses to the left of a barn at sunset", [("horse", 3), ("barn", 1)], [(0, "left of", 1)],
     "outdoors", "sunset"),
    ("a butterfly above a building in the city", [("butterfly", 1), ("building", 1)], [(0, "above", 1)],
     "city", "day"),
])
def test_parser_reads_spoken_descriptions(text, objects, relations, place, time):
    scene = parse_scene(text)
    assert [(o.noun, o.count) for o in scene.objects] == objects
    assert [(r.subject, r.relation, r.object) for r in scene.relations] == relations
    assert (scene.place, scene.time) == (place, time)


def test_any_words_at_all_give_a_picture_and_a_sound_plan():
    """Word soup (things, relations, numbers, junk, punctuation, very long) never breaks the
    composer: every box is inside the picture and at least a few pixels, every layer distinct."""
    import random

    from seespeech.pictures import lexicon

    words = sorted(lexicon.phrases())[:400] + ["on", "under", "in", "next", "to", "behind", "riding", "holding",
                                               "a", "two", "seven", "the", "and", ",", ".", "zorblax", "42", "!",
                                               "very", "big", "red", "at", "night", "rain", "on the moon"]
    rng = random.Random(0)
    for n in range(60):
        text = " ".join(rng.choice(words) for _ in range(rng.choice([1, 3, 8, 20, 120])))
        size = rng.choice([(512, 512), (64, 64), (900, 300), (200, 700)])
        plan = imagine(text, seed=n, width=size[0], height=size[1]).plans[0]
        layers = [layer for o in plan["objects"] for layer in o["layers"]]
        assert len(layers) == len(set(layers)), text
        for o in plan["objects"]:
            for x0, y0, x1, y1 in o["boxes"]:
                assert -1 <= x0 < x1 <= size[0] + 1 and -1 <= y0 < y1 <= size[1] + 1, (text, o)
        things = [o for o in plan["objects"] if o["role"] != "setting"]
        assert len(things) <= 6 or plan["mode"] == "illustration", text


@pytest.mark.parametrize("text", ["a dog and a cat sitting under a tree in the park", "a cat and a dog in a basket",
                                  "a cup and a plate on the table", "two cats and a dog under a table"])
def test_things_put_the_same_way_on_one_anchor_share_it_side_by_side(text):
    """A dog and a cat under one tree stand side by side, not drawn into one another."""
    plan = imagine(text, seed=0).plans[0]
    subjects = {r["subject"] for r in plan["relations"] if r["relation"] in ("under", "in", "on")}
    things = [plan["objects"][i] for i in sorted(subjects)]
    assert len(things) >= 2, plan["relations"]
    boxes = [(o["word"], b) for o in things for b in o["boxes"]]
    for i, (wa, a) in enumerate(boxes):
        for wb, b in boxes[i + 1:]:
            ix = max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))
            smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
            assert ix < 0.15 * smaller, (text, wa, a, wb, b)


def test_a_ship_and_an_iceberg_are_drawn_whole_at_sea():
    """OpenMoji's ship is a bow cut by the frame and its nearest 'iceberg' an ice cube: both are
    drawn instead, and an iceberg puts the picture at sea even with a penguin on it."""
    plan = imagine("a penguin on an iceberg next to a ship", seed=0).plans[0]
    assert plan["setting"]["place"] == "sea"
    drawn = {o["noun"]: o["asset"] for o in plan["objects"]}
    assert drawn["ship"]["source"] == "drawn" and drawn["iceberg"]["source"] == "drawn", drawn
    assert all(r["holds"] for r in plan["relations"]), plan["relations"]
