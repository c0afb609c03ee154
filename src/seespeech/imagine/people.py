"""People drawn as people: an OpenMoji bust on a drawn body, in a pose.

OpenMoji draws every age, gender and role as a head-and-shoulders bust; its only
full-body people are faceless stick figures. A figure here is the bust (head, hair,
hat and the top of the clothes, rasterised from the OpenMoji SVG with resvg) on a body
drawn in the same flat style: a torso that continues the bust's clothing colour,
sleeves, hands in the face's colour (or gloves), trousers, a skirt, a robe or a coat,
and shoes, all with black outlines as thick as the bust's own strokes.

Proportions follow the age: a child's bust is a larger share of its height than an
adult's, a toddler's larger still. Roles are the OpenMoji role busts (astronaut, cook,
police officer...) with the body dressed to match; roles that OpenMoji lacks are a
plain bust plus drawn or OpenMoji additions (a pirate's tricorn and eyepatch, a king's
crown, a fisherman's rod). A prop that a role bust holds beside its shoulder (the
farmer's pitchfork, the mage's staff) gets a drawn hand on it.

Everything is drawn facing right and mirrored for ``facing="left"``. Drawing is
deterministic: no randomness at all.
"""

from __future__ import annotations

import colorsys
import io
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from .assets import load_catalogue

AGES = ("baby", "child", "adult", "old")
POSES = ("stand", "walk", "run", "sit", "ride", "lie", "kneel", "hold", "wave")
GENDERS = ("f", "m")

OPENMOJI_UNITS = 72.0  # OpenMoji SVGs are drawn in a 72 x 72 box
_MID = 36.0  # a bust's centre line in OpenMoji units
_RENDER = 384  # side at which busts are rasterised for analysis (as assets.RENDER_SIDE)

_BLACK = (0, 0, 0, 255)


# -- what a person is -------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSpec:
    age: str = "adult"
    gender: str | None = None  # "f" | "m" | None
    role: str | None = None  # a key of ROLES (or of ROLE_ALIASES)


@dataclass(frozen=True)
class Role:
    """How one role is drawn."""

    codes: tuple[str, str, str]  # OpenMoji bust for (gender unknown, man, woman)
    garment: str = "trousers"  # trousers | dress | robe | coat | full (the emoji is a whole body)
    shirt: str | None = None  # recolour the bust's clothing (hex)
    trousers: str | None = None  # hex, or "shirt" for the clothing colour
    shoes: str | None = None  # hex
    gloves: str | None = None  # hand colour (hex) instead of the face's colour
    grip: tuple[float, float] | None = None  # where the bust's prop is held, OpenMoji units
    staff: str | None = None  # the prop is a staff: its handle goes on to the ground (hex)
    extras: tuple[str, ...] = ()  # drawn additions, see _draw_extras
    keep_x: tuple[float, float] | None = None  # drop SVG elements reaching outside this x range
    arms: str = ""  # "forward": arms held out in front (zombies)
    recolour_all: bool = False  # a new clothing colour also goes to the hat (a mage's)
    how: str = ""  # one line for people reading the table


def _r(codes, how, **kw) -> Role:
    if isinstance(codes, str):
        codes = (codes, codes, codes)
    return Role(codes=tuple(codes), how=how, **kw)


_P, _M, _W = "1F9D1", "1F468", "1F469"  # person, man, woman
_ZWJ = "-200D-"


def _trio(suffix: str) -> tuple[str, str, str]:
    return (_P + _ZWJ + suffix, _M + _ZWJ + suffix, _W + _ZWJ + suffix)


def _gendered(base: str, fe0f: bool = False) -> tuple[str, str, str]:
    mid = "-FE0F-200D-" if fe0f else _ZWJ
    return (base, base + mid + "2642-FE0F", base + mid + "2640-FE0F")


#: every role drawn, with the bust code(s) and what is added
ROLES: dict[str, Role] = {
    "astronaut": _r(_trio("1F680"), "astronaut bust; space suit body, gloves and boots",
                    trousers="shirt", shoes="#9B9B9A", gloves="#D0CFCE"),
    "chef": _r(_trio("1F373"), "cook bust (toque); white jacket, dark trousers",
               trousers="#3F3F3F", shoes="#3F3F3F"),
    "doctor": _r(_trio("2695-FE0F"), "health worker bust (stethoscope); long white coat",
                 garment="coat", trousers="#1E50A0", shoes="#3F3F3F"),
    "nurse": _r(("E302", "E303", "E302"), "OpenMoji nurse bust (cap with cross); white uniform",
                trousers="shirt", shoes="#FFFFFF"),
    "farmer": _r(_trio("1F33E"), "farmer bust; blue overalls; the pitchfork held, handle to the ground",
                 trousers="#61B2E4", shoes="#6A462F", grip=(60.7, 55.0), staff="#A57939"),
    "fisherman": _r(("1F9D4", "1F9D4", _W), "bearded bust; waders; fishing pole 1F3A3 held out front",
                    trousers="#5C9E31", shoes="#3F3F3F", extras=("rod",)),
    "pirate": _r(_trio("1F9B1"), "curly-haired bust, red shirt; drawn tricorn hat and eyepatch",
                 shirt="#D22F27", trousers="#6A462F", shoes="#3F3F3F", extras=("tricorn", "eyepatch")),
    "wizard": _r(("1F9D9-200D-2642-FE0F", "1F9D9-200D-2642-FE0F", "1F9D9-200D-2640-FE0F"),
                 "mage bust (bearded); long robe; staff held, to the ground",
                 garment="robe", grip=(54.5, 54.0), staff="#A57939", shoes="#6A462F", recolour_all=True),
    "witch": _r(("1F9D9-200D-2640-FE0F", "1F9D9-200D-2642-FE0F", "1F9D9-200D-2640-FE0F"),
                "mage bust recoloured purple; long robe; staff held, to the ground",
                garment="robe", shirt="#8967AA", grip=(54.5, 54.0), staff="#A57939", shoes="#3F3F3F",
                recolour_all=True),
    "police officer": _r(_gendered("1F46E"), "police bust (cap, blue shirt); navy trousers",
                         trousers="#1E50A0", shoes="#3F3F3F"),
    "firefighter": _r(_trio("1F692"), "firefighter bust (helmet, hose held); coat and trousers",
                      trousers="shirt", shoes="#3F3F3F", grip=(57.0, 48.5)),
    "teacher": _r(_trio("1F3EB"), "teacher bust without its blackboard; pointer held",
                  trousers="#3F3F3F", shoes="#6A462F", grip=(53.3, 56.5), keep_x=(14.0, 60.0)),
    "student": _r(_trio("1F393"), "student bust (mortarboard); gown over trousers",
                  garment="coat", trousers="#1E50A0", shoes="#3F3F3F"),
    "pilot": _r(_trio("2708-FE0F"), "pilot bust (cap, epaulettes); dark trousers",
                trousers="#3F3F3F", shoes="#3F3F3F"),
    "scientist": _r(_trio("1F52C"), "scientist bust (goggles, flask held); lab coat",
                    garment="coat", trousers="#1E50A0", shoes="#3F3F3F", grip=(58.5, 58.5)),
    "artist": _r(_trio("1F3A8"), "artist bust (beret, palette, brush held)",
                 trousers="#1E50A0", shoes="#6A462F", grip=(56.5, 55.0)),
    "singer": _r(_trio("1F3A4"), "singer bust; microphone held",
                 trousers="#1E50A0", shoes="#3F3F3F", grip=(61.5, 52.5)),
    "mechanic": _r(_trio("1F527"), "mechanic bust (cap, overalls); wrench held",
                   trousers="shirt", shoes="#3F3F3F", grip=(55.5, 55.5)),
    "judge": _r(_trio("2696-FE0F"), "judge bust; black robe; gavel held",
                garment="robe", shoes="#3F3F3F", grip=(49.0, 56.5)),
    "king": _r(("1F9D4-200D-2642-FE0F", "1F9D4-200D-2642-FE0F", _W), "bearded bust, crown 1F451; red robe",
               garment="robe", shirt="#D22F27", shoes="#3F3F3F", extras=("crown",)),
    "queen": _r((_W, _M, _W), "bust with crown 1F451; purple gown",
                garment="robe", shirt="#8967AA", shoes="#3F3F3F", extras=("crown",)),
    "prince": _r(("1F934", "1F934", "1F478"), "prince bust (crown); trousers",
                 trousers="#1E50A0", shoes="#3F3F3F"),
    "princess": _r(("1F478", "1F934", "1F478"), "princess bust (tiara); long pink gown",
                   garment="robe", shoes="#D22F27"),
    "builder": _r(_gendered("1F477"), "construction worker bust (hard hat, vest); work trousers",
                  trousers="#1E50A0", shoes="#6A462F"),
    "sailor": _r(_gendered("1F471"), "blond bust in white; drawn sailor cap and anchor badge",
                 shirt="#FFFFFF", trousers="#1E50A0", shoes="#3F3F3F", extras=("sailor cap", "anchor")),
    "soldier": _r(("1F9D1-200D-1F9B2", "1F468-200D-1F9B2", _W), "bald bust in green; drawn helmet",
                  shirt="#5C9E31", trousers="#5C9E31", shoes="#3F3F3F", extras=("helmet",)),
    "clown": _r(_trio("1F9B0"), "clown face 1F921 over a red-haired bust; spotted suit, big red shoes",
                shirt="#B1CC33", trousers="#61B2E4", shoes="#D22F27", extras=("clown", "dots")),
    "superhero": _r(_gendered("1F9B8"), "superhero bust (mask, costume); tights and boots",
                    trousers="shirt", shoes="#D22F27"),
    "supervillain": _r(_gendered("1F9B9"), "supervillain bust; tights",
                       trousers="shirt", shoes="#3F3F3F"),
    "fairy": _r(_gendered("1F9DA"), "fairy bust (wings); dress; wand held",
                garment="dress", shoes="#5C9E31", grip=(50.0, 56.5)),
    "mermaid": _r(("1F9DC-200D-2640-FE0F", "1F9DC-200D-2642-FE0F", "1F9DC-200D-2640-FE0F"),
                  "OpenMoji mermaid/merman, already a whole figure", garment="full"),
    "elf": _r(_gendered("1F9DD"), "elf bust (pointed ears); green tights",
              trousers="#5C9E31", shoes="#6A462F"),
    "vampire": _r(_gendered("1F9DB"), "vampire bust (cape collar); long black cape",
                  garment="coat", trousers="#3F3F3F", shoes="#3F3F3F"),
    "zombie": _r(_gendered("1F9DF"), "zombie bust (green skin); arms out in front",
                 trousers="#6A462F", shoes="#3F3F3F", arms="forward"),
    "santa": _r(("1F385", "1F385", "1F936"), "Santa / Mrs Claus bust; red suit, black boots",
                trousers="#D22F27", shoes="#3F3F3F", gloves="#FFFFFF"),
    "detective": _r(_gendered("1F575", fe0f=True), "detective bust (deerstalker); trench coat; magnifier held",
                    garment="coat", trousers="#3F3F3F", shoes="#6A462F", grip=(51.0, 56.5)),
    "guard": _r(_gendered("1F482"), "guard bust (bearskin, red tunic); black trousers",
                trousers="#3F3F3F", shoes="#3F3F3F"),
    "factory worker": _r(_trio("1F3ED"), "factory worker bust (welding mask); torch held",
                         trousers="#1E50A0", shoes="#3F3F3F", grip=(49.5, 55.5)),
    "office worker": _r(_trio("1F4BC"), "office worker bust (suit); papers held",
                        trousers="#3F3F3F", shoes="#3F3F3F", grip=(54.5, 57.0)),
    "bride": _r(("1F470", "1F470-200D-2642-FE0F", "1F470-200D-2640-FE0F"), "bust with veil; long white gown",
                garment="robe", shirt="#FFFFFF", shoes="#FFFFFF"),
    "groom": _r(("1F935", "1F935-200D-2642-FE0F", "1F935-200D-2640-FE0F"), "bust in tuxedo; black trousers",
                trousers="#3F3F3F", shoes="#3F3F3F"),
}

#: other words for a role
ROLE_ALIASES = {
    "cook": "chef", "health worker": "doctor", "physician": "doctor", "construction worker": "builder",
    "mage": "wizard", "sorcerer": "wizard", "sorceress": "witch", "police": "police officer",
    "policeman": "police officer", "policewoman": "police officer", "cop": "police officer",
    "fireman": "firefighter", "firewoman": "firefighter", "fire fighter": "firefighter", "fisher": "fisherman",
    "fisherwoman": "fisherman", "angler": "fisherman", "merman": "mermaid", "mermaid": "mermaid",
    "mrs claus": "santa", "santa claus": "santa", "father christmas": "santa",
    "knight": "soldier", "army": "soldier", "trooper": "soldier", "spaceman": "astronaut", "cosmonaut": "astronaut",
    "worker": "builder", "businessman": "office worker", "businesswoman": "office worker",
    "pupil": "student", "painter": "artist", "monarch": "king", "empress": "queen", "emperor": "king",
}

#: plain busts by age and gender (None, "m", "f")
_PLAIN = {
    "baby": ("1F476", "1F476", "1F476"),
    "child": ("1F9D2", "1F466", "1F467"),
    "adult": (_P, _M, _W),
    "old": ("1F9D3", "1F474", "1F475"),
}
_HEIGHT_M = {"baby": 0.6, "child": 1.2, "adult": 1.72, "old": 1.65}

#: body proportions as fractions of the standing height (top of head 0, soles 1).
#: b: where the bust's bottom (OpenMoji y=61) falls; aw, lw: arm and leg widths;
#: waist, hip (hip joint), knee; shoe: shoe height; ua, fa: upper arm, forearm lengths
_BODY = {
    "adult": dict(b=0.31, aw=0.056, lw=0.074, waist=0.455, hip=0.515, knee=0.745, shoe=0.045, ua=0.155, fa=0.150),
    "old": dict(b=0.32, aw=0.056, lw=0.074, waist=0.465, hip=0.52, knee=0.75, shoe=0.045, ua=0.155, fa=0.150),
    "child": dict(b=0.40, aw=0.066, lw=0.088, waist=0.565, hip=0.60, knee=0.79, shoe=0.05, ua=0.125, fa=0.12),
    "baby": dict(b=0.56, aw=0.08, lw=0.11, waist=0.70, hip=0.715, knee=0.85, shoe=0.055, ua=0.10, fa=0.09),
}
_SHOES = {"adult": "#3F3F3F", "old": "#6A462F", "child": "#D22F27", "baby": None}
_TROUSERS = "#1E50A0"


def normalise(spec: PersonSpec) -> PersonSpec:
    """The spec with an age from AGES, a gender from GENDERS or None, a role from ROLES or None."""
    age = (spec.age or "adult").lower().strip()
    age = {"toddler": "baby", "infant": "baby", "kid": "child", "teen": "child", "teenager": "child",
           "elderly": "old", "senior": "old", "grown-up": "adult"}.get(age, age)
    if age not in AGES:
        age = "adult"
    gender = (spec.gender or "").lower().strip()[:1] or None
    if gender not in GENDERS:
        gender = None
    role = canonical_role(spec.role)
    return PersonSpec(age, gender, role)


def canonical_role(role: str | None) -> str | None:
    """The ROLES key for a role word (its aliases and plurals too), or None."""
    if not role:
        return None
    word = " ".join(role.lower().replace("_", " ").replace("-", " ").split())
    for candidate in (word, word[:-1] if word.endswith("s") else word,
                      word.replace("women", "woman").replace("men", "man")):
        if candidate in ROLES:
            return candidate
        if candidate in ROLE_ALIASES:
            return ROLE_ALIASES[candidate]
    return None


def bust_code(spec: PersonSpec) -> str:
    """The OpenMoji hexcode drawn as the head and shoulders of ``spec``."""
    spec = normalise(spec)
    which = {None: 0, "m": 1, "f": 2}[spec.gender]
    if spec.age == "baby":
        return _PLAIN["baby"][0]
    if spec.role is not None:
        return ROLES[spec.role].codes[which]
    return _PLAIN[spec.age][which]


def person_height_m(spec: PersonSpec) -> float:
    """Real standing height in metres: baby 0.6, child 1.2, adult 1.72, old 1.65."""
    return _HEIGHT_M[normalise(spec).age]


@dataclass
class Figure:
    image: Image.Image  # RGBA, cropped tight to the figure
    #: in image px: "feet" (bottom centre), "hand" (centre of a held thing), "seat" (hip point
    #: that touches a seat or saddle), "head" (top of the head, centre)
    anchors: dict[str, tuple[int, int]]
    code: str  # the bust's hexcode


# -- colours ----------------------------------------------------------------------------


def _rgb(hexcode: str) -> tuple[int, int, int]:
    h = hexcode.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _hex(rgb) -> str:
    return "#%02X%02X%02X" % tuple(int(c) for c in rgb[:3])


def _rgba(rgb) -> tuple[int, int, int, int]:
    return (int(rgb[0]), int(rgb[1]), int(rgb[2]), 255)


def _shade(rgb, factor: float) -> tuple[int, int, int]:
    return tuple(int(max(0, min(255, round(c * factor)))) for c in rgb[:3])


# -- busts ------------------------------------------------------------------------------

_ELEMENT = re.compile(r"<(?:path|polygon|polyline|rect|line|circle|ellipse)\b[^>]*?/>", re.S)


@lru_cache(maxsize=128)
def _svg_text(code: str) -> str:
    return Path(load_catalogue().files[code]).read_text()


def _render_svg(text: str, side: int) -> Image.Image:
    import resvg_py

    png = resvg_py.svg_to_bytes(svg_string=text, width=side, height=side)
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")


@lru_cache(maxsize=64)
def _element_boxes(code: str) -> tuple[tuple[int, int, tuple[float, float, float, float] | None], ...]:
    """Each drawable element of the bust's SVG: (start, end, bounding box in OpenMoji units),
    found by rasterising it alone (OpenMoji SVGs have no transforms)."""
    text = _svg_text(code)
    head = text[:text.index(">", text.index("<svg")) + 1]
    side = 72  # one pixel per unit is precise enough
    scale = side / OPENMOJI_UNITS
    boxes = []
    for match in _ELEMENT.finditer(text):
        alone = _render_svg(head + match.group(0) + "</svg>", side)
        box = alone.getchannel("A").point(lambda a: 255 if a > 40 else 0).getbbox()
        boxes.append((match.start(), match.end(), tuple(v / scale for v in box) if box else None))
    return tuple(boxes)


#: clothing is recoloured only in elements wholly below this line (not hats, hair or faces)
_CLOTHES_TOP = 38.0


def _edited_svg(code: str, keep_x: tuple[float, float] | None, recolour: tuple = (),
                everywhere: bool = False) -> str:
    """The bust's SVG without the elements that reach outside ``keep_x`` (a blackboard), with
    ``recolour`` ((old hex, new hex), ...) applied to the clothes (or everywhere)."""
    text = _svg_text(code)
    if keep_x is None and not recolour:
        return text
    if everywhere and keep_x is None:
        for old, new in recolour:
            text = re.sub(re.escape(old), new, text, flags=re.I)
        return text
    out, last = [], 0
    for begin, finish, box in _element_boxes(code):
        out.append(text[last:begin])
        element = text[begin:finish]
        last = finish
        if keep_x is not None and box is not None and (box[0] < keep_x[0] or box[2] > keep_x[1]):
            continue
        if recolour and (everywhere or (box is not None and box[1] >= _CLOTHES_TOP)):
            for old, new in recolour:
                element = re.sub(re.escape(old), new, element, flags=re.I)
        out.append(element)
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True)
class _Bust:
    """A rasterised bust and where its parts are, in OpenMoji units."""

    image: Image.Image  # RGBA, the whole 72-unit box at _RENDER px (not cropped)
    bottom: float  # lowest row of the shoulders
    half: float  # half-width of the shoulders just above the bottom
    top: float  # highest visible row over the head
    shirt: tuple[int, int, int]
    shades: tuple[tuple[tuple[int, int, int], float], ...]  # other tones of the shirt: (colour, lum ratio)
    skin: tuple[int, int, int]


def _top_colours(pixels: np.ndarray) -> list[tuple[tuple[int, int, int], int]]:
    if pixels.size == 0:
        return []
    keys = (pixels[:, 0].astype(np.int64) << 16) | (pixels[:, 1].astype(np.int64) << 8) | pixels[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    order = np.argsort(-counts)
    return [(((int(v) >> 16) & 255, (int(v) >> 8) & 255, int(v) & 255), int(c))
            for v, c in zip(values[order], counts[order])]


def _analyse(image: Image.Image, skin_hex: str | None = None) -> _Bust:
    arr = np.asarray(image)
    alpha = arr[..., 3]
    u = image.width / OPENMOJI_UNITS
    centre = int(_MID * u)
    band = alpha[:, int(centre - 6 * u):int(centre + 6 * u)] > 128
    rows = np.nonzero(band.any(axis=1))[0]
    if rows.size == 0:
        return _Bust(image, 61.0, 19.0, 12.0, (146, 211, 245), (), (252, 234, 43))
    bottom_px, top_px = int(rows[-1]), int(rows[0])
    probe = max(0, bottom_px - int(2 * u))
    line = alpha[probe] > 128
    left = centre
    while left > 0 and line[left - 1]:
        left -= 1
    right = centre
    while right < image.width - 1 and line[right + 1]:
        right += 1
    half_px = max(4 * u, min(centre - left, right - centre))
    # clothing: the commonest flat colour just above the bottom, between the shoulders
    y0, y1 = int(bottom_px - 6 * u), int(bottom_px - 0.5 * u)
    x0, x1 = int(centre - half_px + 2.5 * u), int(centre + half_px - 2.5 * u)
    patch = arr[max(0, y0):y1, max(0, x0):x1].reshape(-1, 4)
    patch = patch[patch[:, 3] == 255][:, :3]
    patch = patch[patch.max(axis=1) > 45]
    colours = _top_colours(patch)
    shirt = colours[0][0] if colours else (146, 211, 245)
    shades = []
    if colours:
        h0, l0, s0 = colorsys.rgb_to_hls(*(c / 255 for c in shirt))
        for colour, count in colours[1:6]:
            if count < 0.08 * colours[0][1]:
                break
            h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))
            same_hue = min(abs(h - h0), 1 - abs(h - h0)) < 0.07 and s > 0.2 and s0 > 0.2
            if same_hue and l0 > 0:
                shades.append((colour, l / l0))
    # skin: the SVG's skin layer, else the commonest bright colour over the cheeks
    if skin_hex:
        return _Bust(image, bottom_px / u, half_px / u, top_px / u, shirt, tuple(shades), _rgb(skin_hex))
    face = arr[int(32 * u):int(37 * u), int(28 * u):int(44 * u)].reshape(-1, 4)
    face = face[face[:, 3] == 255][:, :3]
    face = face[face.max(axis=1) > 90]
    skins = _top_colours(face)
    skin = skins[0][0] if skins else (252, 234, 43)
    return _Bust(image, bottom_px / u, half_px / u, top_px / u, shirt, tuple(shades), skin)


def _bust(code: str, keep_x: tuple[float, float] | None = None, shirt: str | None = None,
          side: int = _RENDER, everywhere: bool = False) -> _Bust:
    """The bust, optionally without far-out elements and with its clothing recoloured."""
    return _bust_cached(code, keep_x, shirt, side, everywhere and shirt is not None)


@lru_cache(maxsize=96)
def _bust_cached(code: str, keep_x, shirt, side: int, everywhere: bool) -> _Bust:
    if shirt is None:
        text = _edited_svg(code, keep_x)
        return _analyse(_render_svg(text, side), _skin_hex(text))
    plain = _bust(code, keep_x, None, _RENDER)
    new = _rgb(shirt)
    pairs = [(_hex(plain.shirt), _hex(new))]
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in new))
    for colour, ratio in plain.shades:
        r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, l * ratio)), s)
        pairs.append((_hex(colour), _hex((r * 255, g * 255, b * 255))))
    image = _render_svg(_edited_svg(code, keep_x, tuple(pairs), everywhere), side)
    # where things are does not change with colour; keep the plain measurements
    return _Bust(image, plain.bottom, plain.half, plain.top, new, (), plain.skin)


def _skin_hex(text: str) -> str | None:
    group = re.search(r'<g id="skin">(.*?)</g>', text, re.S)
    fill = re.search(r'fill="(#[0-9a-fA-F]{6})"', group.group(1)) if group else None
    return fill.group(1) if fill else None


@lru_cache(maxsize=64)
def _scaled(code: str, keep_x, shirt, px_per_unit: float, mirror: bool, everywhere: bool = False) -> Image.Image:
    """The bust's whole 72-unit box at ``px_per_unit``, mirrored if asked."""
    side = _RENDER
    while side * 1.15 < px_per_unit * OPENMOJI_UNITS and side < 4096:
        side *= 2
    image = _bust(code, keep_x, shirt, side, everywhere).image
    target = max(2, round(px_per_unit * OPENMOJI_UNITS))
    image = image.resize((target, target), Image.LANCZOS)
    return image.transpose(Image.FLIP_LEFT_RIGHT) if mirror else image


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


class _Canvas:
    """Figure coordinates (fractions of the standing height, x 0 on the body's centre line,
    y 0 at the top of the head) mapped onto a supersampled RGBA canvas."""

    def __init__(self, height_px: int) -> None:
        # supersampling for smooth edges; less for big figures, to keep the canvas small
        self.ss = max(1, min(4 if height_px < 90 else 3 if height_px < 180 else 2, 1400 // max(1, height_px)))
        self.k = height_px * self.ss
        self.ox, self.oy = 0.8 * self.k, 0.45 * self.k
        size = (int(1.75 * self.k), int(1.55 * self.k))
        self.image = Image.new("RGBA", size, (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)

    def px(self, p) -> tuple[float, float]:
        return self.ox + p[0] * self.k, self.oy + p[1] * self.k

    def circle(self, p, r: float, fill) -> None:
        x, y = self.px(p)
        rr = r * self.k
        self.draw.ellipse((x - rr, y - rr, x + rr, y + rr), fill=fill)

    def segment(self, p, q, width: float, fill) -> None:
        w = max(1, round(width * self.k))
        self.draw.line([self.px(p), self.px(q)], fill=fill, width=w)
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
        pts = [self.px(p) for p in points]
        self.draw.polygon(pts, fill=_rgba(colour), outline=_BLACK, width=max(1, round(t * self.k)))

    def paste(self, image: Image.Image, p) -> None:
        """Paste ``image`` (already at canvas scale) with its top-left at figure point ``p``."""
        x, y = self.px(p)
        self.image.alpha_composite(image, (round(x), round(y)))


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


def _compose(look: _Look, pose: str, height_px: int) -> tuple[Image.Image, dict[str, tuple[float, float]]]:
    """The figure facing right, and its anchors in image pixels (floats)."""
    if look.role is not None and look.role.garment == "full":
        return _whole_emoji(look, pose, height_px)
    if look.age == "baby" and pose in ("sit", "lie"):
        return _bundle(look, pose, height_px)
    if pose == "lie":
        image, anchors = _compose(look, "stand_lie", height_px)
        return _rotate_lying(image, anchors)

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
    thigh = B["knee"] - B["hip"]
    shin = 1.0 - shoe_h * 0.55 - B["knee"]
    hx = lw * 0.46
    half = bust.half * s
    bottom = (bust.bottom - ref_top) * s

    # legs first, hanging from hips at y=hip; then shift everything so the lowest point is y=1
    legs = []
    for i, (a_thigh, a_shin) in enumerate(angles["legs"]):
        side = -1 if i == 0 else 1
        hip = (side * hx, B["hip"])
        if pose in _SEATED:
            hip = (hip[0] * 0.25 - (0.022 if i == 0 else 0.0), B["hip"] - (0.008 if i == 0 else 0.0))
        knee = _add(hip, _dir(a_thigh), thigh)
        ankle = _add(knee, _dir(a_shin), shin)
        legs.append([hip, knee, ankle, a_shin])
    lowest = max(max(k[1] + lw / 2, a[1] + shoe_h * 0.55) for _, k, a, _ in legs)
    dy = 1.0 - lowest if pose not in ("sit", "ride") else 0.0
    legs = [[(h[0], h[1] + dy), (k[0], k[1] + dy), (a[0], a[1] + dy), sa] for h, k, a, sa in legs]

    def U(ux, uy):  # OpenMoji unit point on the bust → figure point
        if mirror:
            ux = OPENMOJI_UNITS - ux
        return (ux - _MID) * s, (uy - ref_top) * s + dy

    hip_y = B["hip"] + dy
    waist_y = B["waist"] + dy
    sb = bottom + dy  # bust bottom
    skin = bust.skin
    shirt = bust.shirt
    hands = _rgb(role.gloves) if role and role.gloves else skin
    trousers = _TROUSERS
    if role and role.trousers:
        trousers = shirt if role.trousers == "shirt" else _rgb(role.trousers)
    else:
        trousers = _rgb(trousers)
    shoes_hex = (role.shoes if role and role.shoes else _SHOES[look.age])
    shoes = _rgb(shoes_hex) if shoes_hex else shirt
    garment = role.garment if role else ("dress" if look.gender == "f" and look.age != "baby" else "trousers")
    if look.age == "baby":
        trousers = shirt  # a sleepsuit
    seated = pose in _SEATED
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

    # shoulders and arms
    shoulder_x = max(half - aw * 0.55, aw * 0.6)
    shoulder_y = sb - aw * 0.8
    arms = []
    for i, (a_up, a_fore) in enumerate(arm_angles):
        side = -1 if i == 0 else 1
        shoulder = (side * shoulder_x, shoulder_y)
        elbow = _add(shoulder, _dir(a_up), ua)
        hand = _add(elbow, _dir(a_fore), fa)
        arms.append([shoulder, elbow, hand, False])  # False: drawn before the bust
    grip = None
    if role and role.grip:
        grip = U(*role.grip)
        shoulder = arms[0][0]
        # the lower of the two elbows: upper arm hanging, forearm up to the prop
        elbow = max((_ik(shoulder, grip, ua, fa, bend) for bend in (1.0, -1.0)), key=lambda e: e[1])
        arms[0] = [shoulder, elbow, grip, True]
    if "rod" in (role.extras if role else ()) and pose != "stand_lie":
        a_up, a_fore = (30, 120)
        shoulder = arms[1][0]
        elbow = _add(shoulder, _dir(a_up), ua)
        arms[1] = [shoulder, elbow, _add(elbow, _dir(a_fore), fa), False]
    cane = (look.age == "old" and not (role and role.grip) and pose in ("stand", "walk"))
    if cane:
        shoulder = arms[1][0]
        elbow = _add(shoulder, _dir(14), ua)
        arms[1] = [shoulder, elbow, _add(elbow, _dir(30), fa * 0.95), False]

    # -- draw, back to front --
    hand_r = aw * 0.62
    if pose in ("walk", "run", "ride", "sit", "kneel"):
        back_first = [arms[0]] if not arms[0][3] else []
    else:
        back_first = []
    for shoulder, elbow, hand, _ in back_first:
        cv.limb([shoulder, elbow, hand], aw, [shirt, shirt], t)
        cv.ball(hand, hand_r, hands, t)

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
        if look.role_name == "clown":
            toe = _add(toe, (toe[0] - heel[0], toe[1] - heel[1]), 0.8)
        cv.limb([hip, knee, ankle], lw, [thigh_c, shin_c], t)
        cv.limb([heel, toe], shoe_h * (1.25 if look.role_name == "clown" else 1.0), [shoes], t)

    torso_top_half = max(half - aw * 0.45, aw * 0.8)
    torso_bottom_half = hx + lw / 2 + 0.006
    if garment in ("dress", "robe", "coat") and not seated:
        hem_y = {"dress": B["knee"] + dy + 0.035, "coat": B["knee"] + dy + 0.01,
                 "robe": 1.0 - shoe_h * 0.9}[garment]
        flare = {"dress": 0.075, "coat": 0.04, "robe": 0.09}[garment] * (hem_y - waist_y) / 0.3
        top_half = torso_bottom_half + 0.004
        shift = 0.03 if pose in ("walk", "run") else 0.0
        pts = [(-top_half, waist_y - 0.02), (top_half, waist_y - 0.02),
               (top_half + flare + shift, hem_y), (-top_half - flare + shift, hem_y)]
        cv.polygon(pts, shirt, t)
        if garment == "coat":
            cv.segment((shift * 0.5, waist_y), (shift, hem_y - t), t, _BLACK)
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
        top = (front_hand[0] + 0.005, front_hand[1] - 0.03)
        cv.limb([top, (top[0] + 0.02, 1.0 - 0.008)], 3.2 * s, [_rgb("#A57939")], t)
        crook = (top[0] - 0.03, top[1] - 0.01)
        cv.limb([(top[0], top[1] + 0.01), top, crook], 3.2 * s, [_rgb("#A57939")] * 2, t)
        cv.ball(front_hand, hand_r, hands, t)

    # anchors, canvas px
    head = (0.0, (bust.top - ref_top) * s + dy)
    if seated:
        seat = (0.0, hip_y + lw * 0.5)
    else:
        seat = (0.0, hip_y)
    feet_x = (legs[0][2][0] + legs[1][2][0]) / 2
    anchors = {"hand": cv.px(front_hand), "seat": cv.px(seat), "head": cv.px(head),
               "feet": cv.px((feet_x, 1.0))}
    return _finish(cv, anchors)


def _finish(cv: _Canvas, anchors):
    """Crop the canvas to the figure, scale it down from supersampling, move the anchors."""
    box = cv.image.getchannel("A").point(lambda a: 255 if a > 0 else 0).getbbox()
    ss = cv.ss
    if box is None:
        box = (0, 0, ss, ss)
    x0, y0 = box[0] - box[0] % ss, box[1] - box[1] % ss
    x1 = box[2] + (-box[2]) % ss
    y1 = box[3] + (-box[3]) % ss
    x1, y1 = min(x1, cv.image.width - cv.image.width % ss), min(y1, cv.image.height - cv.image.height % ss)
    crop = cv.image.crop((x0, y0, x1, y1))
    small = crop.reduce(ss) if ss > 1 else crop
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
    x, y = cv.px(at)
    cv.image.alpha_composite(image, (round(x - gx), round(y - gy)))


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
        x, y = cv.px(U(_MID, 27.5))
        cv.image.alpha_composite(image, (round(x - 36 * ppu), round(y - 35 * ppu)))
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
        x, y = cv.px(U(_MID, top + 4.5))
        cv.image.alpha_composite(image, (round(x - 36.5 * ppu), round(y - 58 * ppu)))
    if "anchor" in extras:
        ppu = 0.16 * s * cv.k
        image = _scaled_plain("2693", round(ppu, 3))
        x, y = cv.px((0.0, sb + (waist_y - sb) * 0.35))
        cv.image.alpha_composite(image, (round(x - 36 * ppu), round(y - 36 * ppu)))
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
    anchors = {"hand": cv.px(U(_MID + half * 0.6, bottom)), "seat": cv.px(U(_MID, y1)),
               "head": cv.px(U(_MID, top)), "feet": cv.px(U(_MID, y1))}
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
    anchors = {"hand": cv.px(U(9, 34)), "seat": cv.px(U(31, 46)), "head": cv.px(U(31, top)),
               "feet": cv.px(U(31, bottom))}
    return _finish(cv, anchors)


# -- the public call --------------------------------------------------------------------


def _bucket(height_px: int) -> int:
    """Heights drawn: exact up to 96 px, then in steps of about 2 %."""
    if height_px <= 96:
        return height_px
    step = 2 if height_px <= 200 else 4 if height_px <= 400 else 8
    return int(round(height_px / step) * step)


@lru_cache(maxsize=256)
def _figure(spec: PersonSpec, pose: str, height_px: int, colour) -> tuple[Image.Image, dict, str]:
    look = _look(spec, colour)
    image, anchors = _compose(look, pose, height_px)
    return image, anchors, look.code


def draw_person(spec: PersonSpec, pose: str = "stand", height_px: int = 200, *, facing: str = "right",
                colour: tuple[int, int, int] | None = None) -> Figure:
    """``spec`` as a figure ``height_px`` tall when standing (feet to the top of the head;
    a hat or raised arm may add to it), in ``pose``, facing ``facing`` ("right" or "left"),
    its clothes recoloured to ``colour`` if given.

    A lying figure is about ``height_px`` wide; sitting, riding and kneeling ones are
    shorter. Anchors are image pixels. The returned image is the caller's to change.
    """
    spec = normalise(spec)
    pose = pose if pose in POSES else "stand"
    height_px = max(8, int(round(height_px)))
    colour = tuple(int(c) for c in colour[:3]) if colour is not None else None
    drawn = _bucket(height_px)
    image, anchors, code = _figure(spec, pose, drawn, colour)
    if drawn != height_px:
        k = height_px / drawn
        size = (max(1, round(image.width * k)), max(1, round(image.height * k)))
        image = image.resize(size, Image.LANCZOS)
        anchors = {n: (x * k, y * k) for n, (x, y) in anchors.items()}
    else:
        image = image.copy()
    w, h = image.size
    out = {}
    for name, (x, y) in anchors.items():
        out[name] = (min(w - 1, max(0, int(round(x)))), min(h - 1, max(0, int(round(y)))))
    out["feet"] = (out["feet"][0], h - 1)
    if facing == "left":
        image = image.transpose(Image.FLIP_LEFT_RIGHT)
        out = {n: (w - 1 - x, y) for n, (x, y) in out.items()}
    return Figure(image, out, code)
