"""People figures (imagine/people/): every age, gender, role and pose draws, and the
figures have the shapes, anchors and sizes that layout relies on."""


import numpy as np
import pytest

from seespeech.pictures.people import (AGES, POSES, ROLES, Figure, PersonSpec, bust_code, canonical_role,
                                      draw_person, normalise, person_height_m)

PLAIN = [PersonSpec(age, gender) for age in AGES for gender in (None, "m", "f")]
ROLE_SPECS = [PersonSpec("adult", None, role) for role in ROLES]
SIZES = (40, 120, 300)


def _check(figure: Figure, spec, pose, size) -> None:
    image = figure.image
    assert image.mode == "RGBA"
    w, h = image.size
    assert w > 0 and h > 0
    alpha = np.asarray(image.getchannel("A"))
    assert alpha.max() == 255, (spec, pose, size)  # something is drawn
    assert alpha[0].max() > 0 and alpha[-1].max() > 0  # cropped tight, top and bottom
    assert alpha[:, 0].max() > 0 and alpha[:, -1].max() > 0  # and left and right
    assert set(figure.anchors) == {"feet", "hand", "seat", "head"}
    for name, (x, y) in figure.anchors.items():
        assert isinstance(x, int) and isinstance(y, int)
        assert 0 <= x < w and 0 <= y < h, (spec, pose, size, name, (x, y), (w, h))
    assert figure.anchors["feet"][1] == h - 1


@pytest.mark.parametrize("spec", PLAIN + ROLE_SPECS, ids=lambda s: f"{s.age}-{s.gender}-{s.role}")
def test_every_person_draws_in_every_pose(spec):
    for pose in POSES:
        for size in SIZES:
            _check(draw_person(spec, pose, size), spec, pose, size)


def test_roles_with_a_gender_draw():
    for role in ROLES:
        for gender in ("m", "f"):
            for pose in ("stand", "sit"):
                _check(draw_person(PersonSpec("adult", gender, role), pose, 60), role, pose, 60)


def test_standing_is_tall_and_lying_is_wide():
    for spec in PLAIN + ROLE_SPECS:
        if spec.role and ROLES[spec.role].garment == "full":  # the mermaid sits on her tail
            continue
        for pose in ("stand", "walk", "wave", "hold"):
            w, h = draw_person(spec, pose, 150).image.size
            assert h > w, (spec, pose, (w, h))
        w, h = draw_person(spec, "lie", 150).image.size
        assert w > h, (spec, "lie", (w, h))


def test_standing_height_is_the_asked_height():
    for spec in PLAIN:
        for size in (60, 150, 301):
            figure = draw_person(spec, "stand", size)
            feet, head = figure.anchors["feet"], figure.anchors["head"]
            # the head anchor is the top of the hair (a bun or a hat adds a little)
            assert -max(2, 0.03 * size) <= (feet[1] - head[1]) - size <= max(2, 0.08 * size), (spec, size)


def test_a_child_is_shorter_than_an_adult_at_the_same_scale():
    px_per_m = 100
    for gender in (None, "m", "f"):
        child, adult, old, baby = (PersonSpec(age, gender) for age in ("child", "adult", "old", "baby"))
        heights = {s.age: draw_person(s, "stand", round(person_height_m(s) * px_per_m)).image.height
                   for s in (child, adult, old, baby)}
        assert heights["baby"] < heights["child"] < heights["old"] < heights["adult"] + 15
        assert heights["child"] < 0.8 * heights["adult"]
    assert person_height_m(PersonSpec("baby")) == 0.6
    assert person_height_m(PersonSpec("child")) == 1.2
    assert person_height_m(PersonSpec()) == 1.72
    assert person_height_m(PersonSpec("old", "f")) == 1.65


def test_a_childs_head_is_a_larger_share_of_its_height():
    child = draw_person(PersonSpec("child", "m"), "stand", 200)
    adult = draw_person(PersonSpec("adult", "m"), "stand", 200)
    # the bust is the widest part; a child's is wider at the same height
    assert child.image.width > adult.image.width


def test_bust_codes_differ_between_roles():
    codes = {role: bust_code(PersonSpec("adult", None, role)) for role in ROLES}
    assert len(set(codes.values())) == len(codes), codes
    plain = {bust_code(s) for s in PLAIN}
    assert len(plain) == 10  # baby + 3 ages x 3 genders
    assert bust_code(PersonSpec("child", "f")) == "1F467"
    assert bust_code(PersonSpec("adult", None, "astronaut")) == "1F9D1-200D-1F680"
    assert bust_code(PersonSpec("adult", "f", "police officer")) == "1F46E-200D-2640-FE0F"
    assert draw_person(PersonSpec("adult", None, "chef"), "stand", 80).code == "1F9D1-200D-1F373"


def test_names_are_normalised():
    assert normalise(PersonSpec("toddler", "Female", "Cooks")) == PersonSpec("baby", "f", "chef")
    assert normalise(PersonSpec("grown-up", "x", "unknown job")) == PersonSpec("adult", None, None)
    assert canonical_role("policewoman") == "police officer"
    assert canonical_role("fire-fighters") == "firefighter"
    assert canonical_role(None) is None
    # unknown poses and facings fall back instead of failing
    assert draw_person(PersonSpec(), "dance", 100, facing="up").image.height > 0


def test_facing_left_is_the_mirror_image():
    spec = PersonSpec("adult", "m", "farmer")
    right = draw_person(spec, "walk", 150)
    left = draw_person(spec, "walk", 150, facing="left")
    assert np.array_equal(np.asarray(right.image)[:, ::-1], np.asarray(left.image))
    w = right.image.width
    assert left.anchors["hand"] == (w - 1 - right.anchors["hand"][0], right.anchors["hand"][1])


def test_hold_puts_the_hand_out_front_and_wave_up():
    spec = PersonSpec("adult", "f")
    stand = draw_person(spec, "stand", 200)
    hold = draw_person(spec, "hold", 200)
    wave = draw_person(spec, "wave", 200)
    assert hold.anchors["hand"][0] > hold.anchors["seat"][0] + 40
    assert wave.anchors["hand"][1] < wave.anchors["seat"][1] - 60
    assert stand.anchors["hand"][1] > stand.anchors["seat"][1] - 20


def test_sitting_is_shorter_and_seat_is_low():
    spec = PersonSpec("adult", "m")
    stand = draw_person(spec, "stand", 200)
    sit = draw_person(spec, "sit", 200)
    assert sit.image.height < 0.85 * stand.image.height
    assert sit.anchors["seat"][1] > 0.55 * sit.image.height
    ride = draw_person(spec, "ride", 200)
    assert ride.anchors["seat"][1] < ride.image.height - 20  # legs hang below the saddle


def test_colour_recolours_the_clothes():
    spec = PersonSpec("child", "f")
    plain = np.asarray(draw_person(spec, "stand", 150).image).reshape(-1, 4)
    red = np.asarray(draw_person(spec, "stand", 150, colour=(210, 47, 39)).image).reshape(-1, 4)

    def reds(a):
        return int(((a[:, 0] > 180) & (a[:, 1] < 90) & (a[:, 2] < 90) & (a[:, 3] > 200)).sum())

    assert reds(red) > reds(plain) + 500


def test_drawing_is_deterministic():
    from seespeech.pictures import people

    spec = PersonSpec("old", "f", None)
    first = np.asarray(draw_person(spec, "walk", 133).image).copy()
    people._figure.cache_clear()
    again = np.asarray(draw_person(spec, "walk", 133).image)
    assert np.array_equal(first, again)


def test_extreme_sizes():
    for size in (8, 1200):
        for pose in ("stand", "lie", "sit"):
            _check(draw_person(PersonSpec("child", "m", "pirate"), pose, size), "pirate", pose, size)


def test_returned_image_is_the_callers():
    spec = PersonSpec("adult", "f", "nurse")
    a = draw_person(spec, "stand", 100)
    a.image.paste((255, 0, 0, 255), (0, 0, a.image.width, a.image.height))
    b = draw_person(spec, "stand", 100)
    assert np.asarray(b.image)[..., 0].min() < 255
