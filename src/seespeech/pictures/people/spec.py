"""What a person is: ages, genders, poses, the OpenMoji role busts and how each dresses the body,
real heights, and the bust a spec is drawn from."""

from __future__ import annotations

from dataclasses import dataclass
from PIL import Image


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
