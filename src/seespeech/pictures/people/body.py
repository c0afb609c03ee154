"""The body drawn under a bust: legs, arms and hands by pose, the clothes the role wears, the
bust's prop held, extras (a crown, an eyepatch, a rod, a cane); babies bundled, lying figures
turned."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
import numpy as np
from PIL import Image

from seespeech.pictures.canvas import Surface
from seespeech.pictures.people.spec import (
    OPENMOJI_UNITS, PersonSpec, ROLES, Role, _BLACK, _BODY, _MID, _RENDER, _SHOES, _TROUSERS, bust_code,
)
from seespeech.pictures.people.busts import _bust, _hex, _render_svg, _rgb, _rgba, _scaled, _shade, _svg_text


# -- drawing ----------------------------------------------------------------------------


def _dir(angle: float) -> tuple[float, float]:
    """Unit vector for an angle in degrees: 0 straight down, +90 forward (right), 180 up."""
    a = math.radians(angle)
    return math.sin(a), math.cos(a)


def _add(p, v, k=1.0):
    return p[0] + v[0] * k, p[1] + v[1] * k


#: limb angles per pose, drawn facing right: legs (thigh, shin) back then front; arms
#: (upper, fore) back then front. 0 = hanging down, +90 = pointing forward, 180 = up.
_POSE_ANGLES = {
    "stand": dict(legs=((-3, -1), (3, 1)), arms=((-9, -3), (9, 3))),
    "hold": dict(legs=((-3, -1), (3, 1)), arms=((-9, -3), (28, 92))),
    "wave": dict(legs=((-3, -1), (3, 1)), arms=((-9, -3), (125, 168))),
    "walk": dict(legs=((-16, -30), (20, 4)), arms=((-22, -8), (24, 48))),
    "run": dict(legs=((-28, -105), (58, 8)), arms=((-40, 40), (45, 135))),
    "sit": dict(legs=((86, -2), (90, 0)), arms=((-6, -2), (18, 75))),
    "ride": dict(legs=((38, -8), (40, -6)), arms=((30, 88), (38, 95))),
    "kneel": dict(legs=((0, -90), (88, 0)), arms=((-8, -3), (22, 70))),
    "lie": dict(legs=((-2, -1), (2, 1)), arms=((-4, -2), (4, 2))),
}
_SEATED = ("sit", "ride", "kneel")


class _Canvas(Surface):
    """The figures' surface: figure coordinates (fractions of the standing height, x 0 on the
    body's centre line, y 0 at the top of the head) on a supersampled RGBA image; points are
    (x, y) tuples."""

    def __init__(self, height_px: int) -> None:
        # supersampling for smooth edges; less for big figures, to keep the canvas small
        ss = max(1, min(4 if height_px < 90 else 3 if height_px < 180 else 2, 1400 // max(1, height_px)))
        self.k = k = height_px * ss
        super().__init__((int(1.75 * k), int(1.55 * k)), ss, scale=(k, k), origin=(0.8 * k, 0.45 * k))

    def circle(self, p, r: float, fill) -> None:
        x, y = self.P(*p)
        rr = self.units(r)
        self.d.ellipse((x - rr, y - rr, x + rr, y + rr), fill=fill)

    def segment(self, p, q, width: float, fill) -> None:
        w = max(1, round(self.units(width)))
        self.d.line([self.P(*p), self.P(*q)], fill=fill, width=w)
        self.circle(p, width / 2, fill)
        self.circle(q, width / 2, fill)

    def limb(self, points, width: float, colours, t: float) -> None:
        """Capsules through ``points`` with one outline around them all (t = outline)."""
        for p, q in zip(points, points[1:]):
            self.segment(p, q, width, _BLACK)
        inner = max(width - 2 * t, width * 0.3)
        for (p, q), colour in zip(zip(points, points[1:]), colours):
            self.segment(p, q, inner, _rgba(colour))

    def ball(self, p, r: float, colour, t: float) -> None:
        self.circle(p, r, _BLACK)
        self.circle(p, max(r - t, r * 0.4), _rgba(colour))

    def polygon(self, points, colour, t: float) -> None:
        self.d.polygon(self.pts(points), fill=_rgba(colour), outline=_BLACK, width=max(1, round(self.units(t))))

    def paste(self, image: Image.Image, p) -> None:
        """Paste ``image`` (already at canvas scale) with its top-left at figure point ``p``."""
        x, y = self.P(*p)
        self.img.alpha_composite(image, (round(x), round(y)))


def _ik(shoulder, hand, l1: float, l2: float, bend: float):
    """Elbow for a two-part limb from ``shoulder`` to ``hand``; ``bend`` +1/-1 picks the side."""
    dx, dy = hand[0] - shoulder[0], hand[1] - shoulder[1]
    d = math.hypot(dx, dy) or 1e-6
    if d >= l1 + l2:
        return _add(shoulder, (dx / d, dy / d), l1)
    d = max(d, abs(l1 - l2) + 1e-6)
    a = (l1 * l1 - l2 * l2 + d * d) / (2 * d)
    h = math.sqrt(max(0.0, l1 * l1 - a * a))
    mx, my = shoulder[0] + a * dx / d, shoulder[1] + a * dy / d
    return mx - bend * h * dy / d, my + bend * h * dx / d


@dataclass(frozen=True)
class _Look:
    """Everything about a person that does not depend on the pose."""

    code: str
    age: str
    gender: str | None
    role: Role | None
    role_name: str | None
    keep_x: tuple[float, float] | None
    shirt_hex: str | None  # recolour of the bust's clothing
    everywhere: bool = False  # recolour the hat too (mages, a baby's blanket)


def _look(spec: PersonSpec, colour) -> _Look:
    role = ROLES.get(spec.role) if spec.role and spec.age != "baby" else None  # babies are babies
    code = bust_code(spec)
    shirt = _hex(colour) if colour is not None else (role.shirt if role else None)
    everywhere = spec.age == "baby" or bool(role and role.recolour_all)
    return _Look(code, spec.age, spec.gender, role, spec.role if role else None,
                 role.keep_x if role else None, shirt, everywhere)


def _legs(B: dict, leg_angles, pose: str, hx: float, thigh: float, shin: float):
    """Legs hanging from the hips, then shifted so the lowest point is y=1 (seated: as they
    are): [hip, knee, ankle, shin angle] per leg, and the shift."""
    lw, shoe_h = B["lw"], B["shoe"]
    legs = []
    for i, (a_thigh, a_shin) in enumerate(leg_angles):
        side = -1 if i == 0 else 1
        hip = (side * hx, B["hip"])
        if pose in _SEATED:
            hip = (hip[0] * 0.25 - (0.022 if i == 0 else 0.0), B["hip"] - (0.008 if i == 0 else 0.0))
        knee = _add(hip, _dir(a_thigh), thigh)
        ankle = _add(knee, _dir(a_shin), shin)
        legs.append([hip, knee, ankle, a_shin])
    lowest = max(max(k[1] + lw / 2, a[1] + shoe_h * 0.55) for _, k, a, _ in legs)
    dy = 1.0 - lowest if pose not in ("sit", "ride") else 0.0
    return [[(h[0], h[1] + dy), (k[0], k[1] + dy), (a[0], a[1] + dy), sa] for h, k, a, sa in legs], dy


def _clothes(look: "_Look", skin, shirt, seated: bool):
    """The colours of the hands, shoes, thighs and shins, and the garment (dress, robe, coat,
    trousers), from the role, age and gender."""
    role = look.role
    hands = _rgb(role.gloves) if role and role.gloves else skin
    if role and role.trousers:
        trousers = shirt if role.trousers == "shirt" else _rgb(role.trousers)
    else:
        trousers = _rgb(_TROUSERS)
    shoes_hex = (role.shoes if role and role.shoes else _SHOES[look.age])
    shoes = _rgb(shoes_hex) if shoes_hex else shirt
    garment = role.garment if role else ("dress" if look.gender == "f" and look.age != "baby" else "trousers")
    if look.age == "baby":
        trousers = shirt  # a sleepsuit
    if garment == "dress":
        thigh_c, shin_c = (shirt, skin) if seated else (skin, skin)
    elif garment == "robe":
        thigh_c = shin_c = shirt
    elif garment == "coat":
        thigh_c, shin_c = (shirt, trousers) if seated else (trousers, trousers)
    else:
        thigh_c = shin_c = trousers
    if garment == "robe" and not seated:
        thigh_c = shin_c = _shade(shirt, 0.85)
    return hands, shoes, garment, thigh_c, shin_c


def _draw_legs(cv: "_Canvas", legs, pose: str, clown: bool, lw: float, shoe_h: float, colours, t: float) -> None:
    """Thighs, shins and shoes (front view: feet turned out; side view: toes forward)."""
    thigh_c, shin_c, shoes = colours
    front_view = pose in ("stand", "hold", "wave", "stand_lie")
    for i, (hip, knee, ankle, a_shin) in enumerate(legs):
        if front_view:
            side = -1 if i == 0 else 1
            toe = (ankle[0] + side * lw * 0.38, ankle[1])
            heel = (ankle[0] - side * lw * 0.05, ankle[1])
        else:
            foot = _dir(a_shin - 90)  # perpendicular to the shin, toes forward
            toe = _add(ankle, foot, lw * 0.75)
            heel = _add(ankle, foot, -lw * 0.2)
        if clown:
            toe = _add(toe, (toe[0] - heel[0], toe[1] - heel[1]), 0.8)
        cv.limb([hip, knee, ankle], lw, [thigh_c, shin_c], t)
        cv.limb([heel, toe], shoe_h * (1.25 if clown else 1.0), [shoes], t)


def _draw_skirt(cv: "_Canvas", garment: str, pose: str, knee_y: float, waist_y: float, robe_hem: float,
                waist_half: float, colour, t: float) -> None:
    """A dress, coat or robe below the waist, flaring to its hem (a coat with its opening)."""
    hem_y = {"dress": knee_y + 0.035, "coat": knee_y + 0.01, "robe": robe_hem}[garment]
    flare = {"dress": 0.075, "coat": 0.04, "robe": 0.09}[garment] * (hem_y - waist_y) / 0.3
    top_half = waist_half + 0.004
    shift = 0.03 if pose in ("walk", "run") else 0.0
    pts = [(-top_half, waist_y - 0.02), (top_half, waist_y - 0.02),
           (top_half + flare + shift, hem_y), (-top_half - flare + shift, hem_y)]
    cv.polygon(pts, colour, t)
    if garment == "coat":
        cv.segment((shift * 0.5, waist_y), (shift, hem_y - t), t, _BLACK)


def _draw_cane(cv: "_Canvas", hand, width: float, t: float) -> None:
    """An old person's walking stick: from the hand to the ground, its crook over the hand."""
    top = (hand[0] + 0.005, hand[1] - 0.03)
    cv.limb([top, (top[0] + 0.02, 1.0 - 0.008)], width, [_rgb("#A57939")], t)
    crook = (top[0] - 0.03, top[1] - 0.01)
    cv.limb([(top[0], top[1] + 0.01), top, crook], width, [_rgb("#A57939")] * 2, t)


def _arms(arm_angles, shoulders, ua: float, fa: float, grip, rod: bool, cane: bool) -> list[list]:
    """[shoulder, elbow, hand, in front of the bust] per arm: the back arm reaches for the
    bust's prop (``grip``), the front one holds a fishing rod out or rests on a cane."""
    shoulder_x, shoulder_y = shoulders
    arms = []
    for i, (a_up, a_fore) in enumerate(arm_angles):
        side = -1 if i == 0 else 1
        shoulder = (side * shoulder_x, shoulder_y)
        elbow = _add(shoulder, _dir(a_up), ua)
        hand = _add(elbow, _dir(a_fore), fa)
        arms.append([shoulder, elbow, hand, False])  # False: drawn before the bust
    if grip is not None:
        shoulder = arms[0][0]
        # the lower of the two elbows: upper arm hanging, forearm up to the prop
        elbow = max((_ik(shoulder, grip, ua, fa, bend) for bend in (1.0, -1.0)), key=lambda e: e[1])
        arms[0] = [shoulder, elbow, grip, True]
    if rod:
        shoulder = arms[1][0]
        elbow = _add(shoulder, _dir(30), ua)
        arms[1] = [shoulder, elbow, _add(elbow, _dir(120), fa), False]
    if cane:
        shoulder = arms[1][0]
        elbow = _add(shoulder, _dir(14), ua)
        arms[1] = [shoulder, elbow, _add(elbow, _dir(30), fa * 0.95), False]
    return arms


def _compose(look: _Look, pose: str, height_px: int) -> tuple[Image.Image, dict[str, tuple[float, float]]]:
    """The figure facing right, and its anchors in image pixels (floats)."""
    if look.role is not None and look.role.garment == "full":
        return _whole_emoji(look, pose, height_px)
    if look.age == "baby" and pose in ("sit", "lie"):
        return _bundle(look, pose, height_px)
    if pose == "lie":
        image, anchors = _compose(look, "stand_lie", height_px)
        return _rotate_lying(image, anchors)
    return _body(look, pose, height_px)


def _body(look: _Look, pose: str, height_px: int) -> tuple[Image.Image, dict[str, tuple[float, float]]]:
    """The bust on a drawn body in ``pose``: legs, the back arm, the clothes, the torso, the
    bust, the arms in front of it and what the hands hold, back to front."""
    B = _BODY[look.age]
    role = look.role
    ref_top = 5.0 if look.code == "1F476" else 12.0
    s = B["b"] / (61.0 - ref_top)  # figure units per OpenMoji unit
    cv = _Canvas(height_px)
    t = max(1.0 / cv.k * cv.ss, 2.0 * s)  # outline: the bust's 2-unit stroke, at least 1 px

    plain = _bust(look.code, look.keep_x, None)
    bust = _bust(look.code, look.keep_x, look.shirt_hex, _RENDER, look.everywhere) if look.shirt_hex else plain
    mirror = bool(role and role.grip and role.grip[0] > _MID)  # props go to the back hand

    angles = _POSE_ANGLES["lie" if pose == "stand_lie" else pose]
    arm_angles = list(angles["arms"])
    if role and role.arms == "forward" and pose in ("stand", "walk", "hold"):
        arm_angles = [(75, 88), (80, 92)]

    aw, lw, shoe_h = B["aw"], B["lw"], B["shoe"]
    ua, fa = B["ua"], B["fa"]
    hx = lw * 0.46
    half = bust.half * s
    legs, dy = _legs(B, angles["legs"], pose, hx, B["knee"] - B["hip"], 1.0 - shoe_h * 0.55 - B["knee"])

    def U(ux, uy):  # OpenMoji unit point on the bust → figure point
        if mirror:
            ux = OPENMOJI_UNITS - ux
        return (ux - _MID) * s, (uy - ref_top) * s + dy

    hip_y = B["hip"] + dy
    waist_y = B["waist"] + dy
    sb = (bust.bottom - ref_top) * s + dy  # bust bottom
    skin, shirt = bust.skin, bust.shirt
    seated = pose in _SEATED
    hands, shoes, garment, thigh_c, shin_c = _clothes(look, skin, shirt, seated)

    cane = (look.age == "old" and not (role and role.grip) and pose in ("stand", "walk"))
    shoulders = (max(half - aw * 0.55, aw * 0.6), sb - aw * 0.8)
    arms = _arms(arm_angles, shoulders, ua, fa, U(*role.grip) if role and role.grip else None,
                 "rod" in (role.extras if role else ()) and pose != "stand_lie", cane)

    # -- draw, back to front --
    hand_r = aw * 0.62
    if pose in ("walk", "run", "ride", "sit", "kneel"):
        back_first = [arms[0]] if not arms[0][3] else []
    else:
        back_first = []
    for shoulder, elbow, hand, _ in back_first:
        cv.limb([shoulder, elbow, hand], aw, [shirt, shirt], t)
        cv.ball(hand, hand_r, hands, t)

    _draw_legs(cv, legs, pose, look.role_name == "clown", lw, shoe_h, (thigh_c, shin_c, shoes), t)
    torso_top_half = max(half - aw * 0.45, aw * 0.8)
    torso_bottom_half = hx + lw / 2 + 0.006
    if garment in ("dress", "robe", "coat") and not seated:
        _draw_skirt(cv, garment, pose, B["knee"] + dy, waist_y, 1.0 - shoe_h * 0.9, torso_bottom_half, shirt, t)
    torso_bottom = waist_y + 0.01 if (garment != "trousers" and not seated) else hip_y + 0.012
    torso = [(-torso_top_half, sb - 3 * s), (torso_top_half, sb - 3 * s),
             (torso_bottom_half, torso_bottom), (-torso_bottom_half, torso_bottom)]
    cv.polygon(torso, shirt, t)

    mid = [arm for arm in arms if arm not in back_first]
    for shoulder, elbow, hand, in_front in mid:
        if in_front:
            cv.limb([shoulder, elbow], aw, [shirt], t)
        else:
            cv.limb([shoulder, elbow, hand], aw, [shirt, shirt], t)
            cv.ball(hand, hand_r, hands, t)

    # the bust
    ppu = s * cv.k  # canvas px per OpenMoji unit
    scaled = _scaled(look.code, look.keep_x, look.shirt_hex, round(ppu, 3), mirror, look.everywhere)
    cv.paste(scaled, U(OPENMOJI_UNITS if mirror else 0.0, 0.0))
    _draw_extras(cv, look, U, s, t, sb, torso_top_half, waist_y)

    # arms in front of the bust (holding the bust's prop)
    for shoulder, elbow, hand, in_front in mid:
        if not in_front:
            continue
        if role and role.staff and pose != "stand_lie":
            bottom_y = 1.0 - 0.01 if not seated else hand[1] + 0.3
            cv.limb([hand, (hand[0] - 0.004, bottom_y)], 4.0 * s, [_rgb(role.staff)], t)
        cv.limb([elbow, hand], aw, [shirt], t)
        cv.ball(hand, hand_r, hands, t)

    front_hand = arms[1][2]
    if "rod" in (role.extras if role else ()) and pose != "stand_lie":
        _paste_openmoji(cv, "1F3A3", grip_units=(9.0, 56.0), at=front_hand, height=0.46)
        cv.ball(front_hand, hand_r, hands, t)
    if cane:
        _draw_cane(cv, front_hand, 3.2 * s, t)
        cv.ball(front_hand, hand_r, hands, t)

    # anchors, canvas px: the front hand, the seat, the top of the head, between the feet
    seat = (0.0, hip_y + lw * 0.5 if seated else hip_y)
    anchors = {"hand": cv.P(*front_hand), "seat": cv.P(*seat), "head": cv.P(*(0.0, (bust.top - ref_top) * s + dy)),
               "feet": cv.P(*((legs[0][2][0] + legs[1][2][0]) / 2, 1.0))}
    return _finish(cv, anchors)


def _finish(cv: _Canvas, anchors):
    """Crop the canvas to the figure, scale it down from supersampling, move the anchors."""
    box = cv.img.getchannel("A").point(lambda a: 255 if a > 0 else 0).getbbox()
    ss = cv.ss
    if box is None:
        box = (0, 0, ss, ss)
    x0, y0 = box[0] - box[0] % ss, box[1] - box[1] % ss
    x1 = box[2] + (-box[2]) % ss
    y1 = box[3] + (-box[3]) % ss
    x1, y1 = min(x1, cv.img.width - cv.img.width % ss), min(y1, cv.img.height - cv.img.height % ss)
    crop = cv.img.crop((x0, y0, x1, y1))
    small = cv.reduce(crop, premultiply=False)
    # rows and columns that averaged down to nothing
    tight = small.getchannel("A").getbbox() or (0, 0, small.width, small.height)
    small = small.crop(tight)
    moved = {k: ((x - x0) / ss - tight[0], (y - y0) / ss - tight[1]) for k, (x, y) in anchors.items()}
    # "feet" sits on the bottom row
    moved["feet"] = (moved["feet"][0], small.height - 1)
    return small, moved


def _paste_openmoji(cv: _Canvas, code: str, grip_units, at, height: float) -> None:
    """Paste an OpenMoji asset ``height`` tall (figure units) with its point ``grip_units``
    (in its 72 box) at figure point ``at``."""
    ppu = height / OPENMOJI_UNITS * cv.k
    image = _scaled_plain(code, round(ppu, 3))
    gx, gy = grip_units[0] * ppu, grip_units[1] * ppu
    x, y = cv.P(*at)
    cv.img.alpha_composite(image, (round(x - gx), round(y - gy)))


@lru_cache(maxsize=64)
def _scaled_plain(code: str, px_per_unit: float) -> Image.Image:
    side = _RENDER
    while side * 1.15 < px_per_unit * OPENMOJI_UNITS and side < 4096:
        side *= 2
    image = _render_svg(_svg_text(code), side)
    target = max(2, round(px_per_unit * OPENMOJI_UNITS))
    return image.resize((target, target), Image.LANCZOS)


def _draw_extras(cv: _Canvas, look: _Look, U, s: float, t: float, sb: float, torso_half: float,
                 waist_y: float) -> None:
    """Hats, crowns, eyepatches, badges: drawn over the bust, in OpenMoji units."""
    role = look.role
    if role is None:
        return
    extras = role.extras

    def poly(points, colour):
        cv.polygon([U(*p) for p in points], _rgb(colour) if isinstance(colour, str) else colour, t)

    if "clown" in extras:
        # the clown face over the head: 1F921's face spans about (7..65, 8..62) of its box
        ppu = 0.62 * s * cv.k
        image = _scaled_plain("1F921", round(ppu, 3))
        x, y = cv.P(*U(_MID, 27.5))
        cv.img.alpha_composite(image, (round(x - 36 * ppu), round(y - 35 * ppu)))
    if "tricorn" in extras:
        poly([(16, 19), (20.5, 8.5), (29, 11.5), (36, 3.5), (43, 11.5), (51.5, 8.5), (56, 19),
              (46, 15.5), (36, 17.5), (26, 15.5)], "#3F3F3F")
        cv.ball(U(36, 11), 2.3 * s, (255, 255, 255), t * 0.6)
    if "eyepatch" in extras:
        cv.segment(U(25, 21.5), U(40, 30), 1.3 * s, _BLACK)
        cv.segment(U(40, 30), U(49.5, 27.5), 1.3 * s, _BLACK)
        cv.circle(U(40, 30.2), 3.3 * s, _BLACK)
    if "helmet" in extras:
        dome = [(36 + 17 * math.cos(a), 23 - 17 * math.sin(a)) for a in np.linspace(0, math.pi, 13)]
        poly(dome, "#5C9E31")
        poly([(16.5, 21.5), (55.5, 21.5), (55.5, 25), (16.5, 25)], "#5C9E31")
        for cx, cy, r in ((29, 14, 2.4), (40, 11, 2.0), (46, 18, 2.2)):
            cv.circle(U(cx, cy), r * s, _rgba(_rgb("#3E6B21")))
    if "sailor cap" in extras:
        dome = [(36 + 13 * math.cos(a), 13 - 10 * math.sin(a)) for a in np.linspace(0, math.pi, 13)]
        poly(dome, "#FFFFFF")
        poly([(20, 11), (52, 11), (53, 17.5), (19, 17.5)], "#FFFFFF")
        poly([(29, 45.5), (43, 45.5), (36, 56)], "#1E50A0")
    if "crown" in extras:
        ppu = 0.36 * s * cv.k
        image = _scaled_plain("1F451", round(ppu, 3))
        top = _bust(look.code, look.keep_x, None).top
        x, y = cv.P(*U(_MID, top + 4.5))
        cv.img.alpha_composite(image, (round(x - 36.5 * ppu), round(y - 58 * ppu)))
    if "anchor" in extras:
        ppu = 0.16 * s * cv.k
        image = _scaled_plain("2693", round(ppu, 3))
        x, y = cv.P(*(0.0, sb + (waist_y - sb) * 0.35))
        cv.img.alpha_composite(image, (round(x - 36 * ppu), round(y - 36 * ppu)))
    if "dots" in extras:
        h = waist_y - sb
        for fx, fy in ((-0.45, 0.25), (0.4, 0.15), (0.05, 0.55), (-0.3, 0.85), (0.45, 0.8)):
            cv.ball((fx * torso_half, sb + fy * h), 2.6 * s, _rgb("#D22F27"), t * 0.6)


def _rotate_lying(image: Image.Image, anchors):
    """A standing figure turned to lie on its back: head on the left, feet on the right."""
    w = image.width
    rotated = image.rotate(90, expand=True)
    moved = {k: (y, w - 1 - x) for k, (x, y) in anchors.items()}
    moved["feet"] = (rotated.width / 2, rotated.height - 1)
    return rotated, moved


def _bundle(look: _Look, pose: str, height_px: int):
    """A swaddled baby: the 1F476 bust with its blanket closed below; upright or lying."""
    cv = _Canvas(height_px)
    bust = _bust(look.code, None, look.shirt_hex, _RENDER, True) if look.shirt_hex else _bust(look.code)
    top, bottom = bust.top, bust.bottom
    length = bottom + 20 - top  # OpenMoji units, head to the blanket's end
    s = 0.85 / length  # a bundle is a little shorter than the baby standing
    t = max(1.0 / cv.k * cv.ss, 2.0 * s)

    def U(ux, uy):
        return (ux - _MID) * s, (uy - top) * s

    half = bust.half
    x0, x1 = _MID - half, _MID + half
    y0, y1 = bottom - 6, bottom + 20
    r = half * 0.9
    pts = [(x0, y0), (x1, y0)]
    for a in np.linspace(0, math.pi, 15):
        pts.append((_MID + half * math.cos(a), y1 - r + r * math.sin(a)))
    cv.polygon([U(*p) for p in pts], bust.shirt, t)
    scaled = _scaled(look.code, None, look.shirt_hex, round(s * cv.k, 3), False, True)
    cv.paste(scaled, U(0.0, 0.0))
    anchors = {"hand": cv.P(*U(_MID + half * 0.6, bottom)), "seat": cv.P(*U(_MID, y1)),
               "head": cv.P(*U(_MID, top)), "feet": cv.P(*U(_MID, y1))}
    image, anchors = _finish(cv, anchors)
    if pose == "lie":
        return _rotate_lying(image, anchors)
    return image, anchors


def _whole_emoji(look: _Look, pose: str, height_px: int):
    """A role OpenMoji draws whole (the mermaid, sitting on her tail): the emoji itself,
    the same in every pose (it already reclines), 0.8 of a standing height tall."""
    cv = _Canvas(height_px)
    base = _bust(look.code)
    alpha = np.asarray(base.image.getchannel("A"))
    rows = np.nonzero(alpha.max(axis=1) > 128)[0]
    u = base.image.width / OPENMOJI_UNITS
    top, bottom = rows[0] / u, rows[-1] / u
    s = 0.8 / (bottom - top)
    scaled = _scaled(look.code, None, look.shirt_hex, round(s * cv.k, 3), False)

    def U(ux, uy):
        return (ux - _MID) * s, (uy - top) * s

    cv.paste(scaled, U(0.0, 0.0))
    # OpenMoji's mer-people: head at x 31, the hand on the trident at (9, 34), tail from y 44
    anchors = {"hand": cv.P(*U(9, 34)), "seat": cv.P(*U(31, 46)), "head": cv.P(*U(31, top)),
               "feet": cv.P(*U(31, bottom))}
    return _finish(cv, anchors)
