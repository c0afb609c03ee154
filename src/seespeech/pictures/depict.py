"""Which picture shows each thing, and how to draw it at a size.

In order: a person is a figure (people/: the OpenMoji bust of their age, gender and role
on a drawn body in a pose); a thing the lexicon names has its picture (an OpenMoji emoji, a
packaged Open Clip Art drawing, or a prop drawn by props/); a setting feature is drawn by
the stage; anything else is matched by name (every OpenMoji emoji and sequence the ``emoji``
package names, the packaged clip-art, Debian's Open Clip Art when installed) and lastly by
meaning with the packaged text embedder — but only within its kind: a person is never drawn
as a rocket, a vehicle never as a building. What is left is unmatched and drawn as a labelled
card, and the plan says so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from PIL import Image

from seespeech.pictures import lexicon
from seespeech.pictures.assets import (
    CLIPART_DIR, OPENCLIPART_CREDIT, OPENCLIPART_LICENCE, OPENMOJI_CREDIT, OPENMOJI_LICENCE, PERSON_WORDS, Asset,
    Match, base_image, clipart, coloured_image, load_catalogue,
)
from seespeech.pictures.grounding import TOO_GENERAL, ancestors
from seespeech.pictures.recolour import body_colour, seen_colour
from seespeech.pictures.scene import COLOURS, SceneObject

DRAWN_LICENCE = "MIT (drawn by seespeech)"

#: where things rest on emoji and clip-art pictures, as fractions of the picture's box (y grows
#: down): top → (y, x0, x1) the line things stand on; seat → (y, x0, x1) where a rider or sitter's
#: hip goes; interior → (x0, y0, x1, y1) what is "in" it (above the rim for open containers, the
#: crown for trees); read off the pictures by eye
SURFACES = {
    "horse": {"seat": (0.30, 0.40, 0.68), "top": (0.30, 0.35, 0.75)},
    "pony": {"seat": (0.30, 0.40, 0.68)},
    "camel": {"seat": (0.22, 0.35, 0.6), "top": (0.22, 0.3, 0.65)},
    "elephant": {"seat": (0.18, 0.35, 0.7), "top": (0.15, 0.3, 0.75)},
    "cow": {"seat": (0.25, 0.35, 0.75), "top": (0.25, 0.3, 0.8)},
    "unicorn": {"seat": (0.38, 0.35, 0.65)},
    "bicycle": {"seat": (0.22, 0.25, 0.45), "top": (0.22, 0.25, 0.45)},
    "motorcycle": {"seat": (0.35, 0.35, 0.6)},
    "scooter": {"seat": (0.9, 0.3, 0.7)},
    "skateboard": {"seat": (0.2, 0.1, 0.9), "top": (0.2, 0.1, 0.9)},
    "chair": {"seat": (0.55, 0.15, 0.85), "top": (0.55, 0.15, 0.85)},
    "sofa": {"seat": (0.5, 0.15, 0.85), "top": (0.5, 0.15, 0.85)},
    "bed": {"seat": (0.42, 0.1, 0.9), "top": (0.42, 0.12, 0.92), "interior": (0.1, -0.2, 0.95, 0.55)},
    "boat": {"interior": (0.08, -0.9, 0.92, 0.75), "top": (0.35, 0.1, 0.9), "seat": (0.4, 0.3, 0.7)},
    "canoe": {"interior": (0.08, -0.9, 0.92, 0.75), "top": (0.35, 0.1, 0.9), "seat": (0.4, 0.3, 0.7)},
    "sailboat": {"interior": (0.15, 0.2, 0.85, 0.85), "top": (0.62, 0.2, 0.8)},
    "ship": {"top": (0.45, 0.15, 0.85), "interior": (0.1, 0.1, 0.9, 0.7)},
    "car": {"interior": (0.2, 0.0, 0.8, 0.75), "top": (0.1, 0.3, 0.7)},
    "tree": {"interior": (0.12, 0.0, 0.88, 0.62), "top": (0.05, 0.3, 0.7)},
    "pine": {"interior": (0.2, 0.1, 0.8, 0.75)},
    "palm": {"interior": (0.1, 0.0, 0.9, 0.45)},
    "basket": {"interior": (0.12, 0.05, 0.88, 0.7), "top": (0.3, 0.1, 0.9)},
    "box": {"interior": (0.08, 0.05, 0.92, 0.8), "top": (0.12, 0.1, 0.9)},
    "bucket": {"interior": (0.1, 0.0, 0.9, 0.7)},
    "bowl": {"interior": (0.08, -0.3, 0.92, 0.6), "top": (0.25, 0.1, 0.9)},
    "cup": {"interior": (0.1, 0.0, 0.75, 0.6)},
    "nest": {"interior": (0.1, -0.4, 0.9, 0.6), "top": (0.3, 0.1, 0.9)},
    "treasure chest": {"top": (0.2, 0.1, 0.9), "interior": (0.1, 0.1, 0.9, 0.8)},
    "mushroom": {"top": (0.12, 0.15, 0.85)},
    "rock": {"top": (0.15, 0.2, 0.8)},
    "leaf": {"top": (0.3, 0.2, 0.75)},
    "flower": {"top": (0.2, 0.25, 0.75)},
    "sunflower": {"top": (0.1, 0.25, 0.75)},
    "house": {"top": (0.45, 0.2, 0.8), "interior": (0.15, 0.45, 0.85, 0.98)},
    "cake": {"top": (0.2, 0.15, 0.85)},
    "television": {"top": (0.05, 0.2, 0.8)},
    "piano": {"top": (0.15, 0.1, 0.9)},
    "tent": {"interior": (0.2, 0.3, 0.8, 1.0)},
    "igloo": {"interior": (0.2, 0.4, 0.8, 1.0)},
    "lighthouse": {"top": (0.02, 0.3, 0.7)},
    "castle": {"top": (0.1, 0.2, 0.8)},
}
#: OpenMoji pictures drawn standing in their own strip of sea: the share of their height kept
#: (the stage draws the water)
KEEP_TOP = {"1F6A2": 0.71, "26F5": 0.71}


@dataclass
class Picture:
    """What a thing is drawn with, and where things rest on it."""

    kind: str                      # emoji | clipart | prop | svg | person | stage | placeholder
    id: str
    name: str
    source: str                    # openmoji | openclipart | drawn | stage | none
    licence: str | None
    credit: str | None
    aspect: float                  # width / height
    facing: str = "front"
    surfaces: dict = field(default_factory=dict)
    path: str | None = None
    person: object | None = None   # people.PersonSpec
    pose: str = "stand"
    front_layer: bool = False
    match: str = "curated"
    similarity: float | None = None
    meant: str | None = None
    sign: str | None = None
    keep: float = 1.0              # the share of the picture's height drawn (the rest is its own water)

    def to_dict(self) -> dict | None:
        if self.kind == "placeholder":
            return None
        return {"source": self.source, "id": self.id, "name": self.name, "licence": self.licence}

    def draw(self, width: int, height: int, colour: tuple | None = None, flip: bool = False,
             part: str = "all") -> Image.Image:
        """The picture at width x height (RGBA)."""
        width, height = max(1, int(round(width))), max(1, int(round(height)))
        if self.kind == "person":
            from seespeech.pictures.people import draw_person

            figure = draw_person(self.person, self.pose, height, facing="left" if flip else "right", colour=colour)
            image = figure.image
            if image.size != (width, height):
                image = image.resize((width, height), Image.LANCZOS)
            return image
        if self.kind == "prop":
            from seespeech.pictures.props import draw_prop

            # black as a dark grey, so the black outlines still show (recolour.body_colour)
            main = body_colour(colour) if colour is not None else None
            image = draw_prop(self.id, width, height, colour=main, sign=self.sign, part=part)
        elif self.kind in ("emoji", "clipart"):   # the body's fills take the colour (recolour.py)
            key = tuple(int(c) for c in colour[:3]) if colour is not None else None
            image = _kept(self.path, self.keep, key).resize((width, height), Image.LANCZOS)
        elif self.kind == "svg":   # drawn for seespeech: its main parts take the colour (drawings.py)
            from seespeech.pictures.drawings import render

            image = render(self.id, width, height, colour=colour)
        else:
            return Image.new("RGBA", (width, height), (0, 0, 0, 0))
        return image.transpose(Image.FLIP_LEFT_RIGHT) if flip else image

    def drawn_colour(self, colour: tuple | None) -> tuple | None:
        """The RGB this picture's main part is drawn in when ``colour`` is asked (black as the
        dark grey it is drawn in, white as its near-white), or None when the picture shows no
        colour: a text card, a setting feature, or a picture that drawing in the colour does
        not change (no recolourable body)."""
        if colour is None or self.kind in ("placeholder", "stage"):
            return None
        rgb = tuple(int(c) for c in colour[:3])
        key = (self.kind, self.id, self.path, self.keep, self.pose, repr(self.person), self.sign, rgb)
        with _lock:
            if key in _DRAWN:
                return _DRAWN[key]
        drawn = _probe_colour(self, rgb)
        with _lock:
            if len(_DRAWN) > 1024:
                _DRAWN.clear()
            _DRAWN[key] = drawn
        return drawn


def _fit(aspect: float, side: int) -> tuple[int, int]:
    """A box of ``aspect`` (width / height) whose longer side is ``side``."""
    if aspect >= 1:
        return side, max(1, round(side / aspect))
    return max(1, round(side * aspect)), side


#: Picture.drawn_colour's answers by picture and colour
_DRAWN: dict[tuple, tuple | None] = {}


def _probe_colour(picture: Picture, rgb: tuple) -> tuple | None:
    """Draw the picture small without and with the colour: the colour is drawn when it changes
    at least 3 % of the picture's pixels. The RGB of its main part as drawn, else None."""
    w, h = _fit(picture.aspect, 48)
    plain = np.asarray(picture.draw(w, h, None)).astype(np.int16)
    coloured = np.asarray(picture.draw(w, h, rgb)).astype(np.int16)
    if plain.shape == coloured.shape:
        opaque = (plain[..., 3] > 128) | (coloured[..., 3] > 128)
        changed = (np.abs(plain[..., :3] - coloured[..., :3]).max(-1) > 24) & opaque
        if changed.sum() < 0.03 * max(1, opaque.sum()):
            return None
    if picture.kind == "svg":   # drawings.py's own shades: its "main" fill
        from seespeech.pictures.drawings import shades

        return tuple(shades(rgb)["main"])
    return rgb if picture.kind == "person" else body_colour(rgb)


def colour_report(obj: SceneObject, picture: Picture) -> dict:
    """What the plan says of a said colour: ``rgb`` the colour the thing's main part is drawn
    in (the asked one when it is not drawn), ``colour_drawn`` whether the picture shows it, and
    ``colour_seen`` the colour name its drawn pixels read as (recolour.seen_colour). Empty when
    no colour was said."""
    if not obj.colour:
        return {}
    asked = colour_of(obj)
    drawn = picture.drawn_colour(asked)
    report = {"rgb": list(drawn or asked or ()) or None, "colour_drawn": drawn is not None}
    if drawn is not None:
        w, h = _fit(picture.aspect, 64)
        report["colour_seen"] = seen_colour(picture.draw(w, h, asked))
    return report


@lru_cache(maxsize=64)
def _kept(path: str, keep: float, colour: tuple | None = None) -> Image.Image:
    image = coloured_image(path, colour)
    if keep >= 1.0:
        return image
    return image.crop((0, 0, image.width, max(1, round(image.height * keep))))


# ---------------------------------------------------------------- the packaged clip-art




# ---------------------------------------------------------------- choosing


_lock = threading.Lock()
#: kinds of thing a word's nearest asset name may not be: a person is not a rocket
_WRONG_KIND = {"person": ("vehicle", "aircraft", "building", "boat", "food", "thing", "container", "plant", "tree")}


def depict(obj: SceneObject, sign: str | None = None) -> Picture:
    """The picture for one said thing."""
    if obj.person is not None:
        return _person(obj)
    entry = lexicon.lookup(obj.picture_as or obj.noun) or lexicon.lookup(obj.word)
    if entry is not None:
        picture = _from_entry(entry, obj, sign)
        if picture is not None:
            return picture
    return _by_name(obj)


def _surfaces(noun: str) -> dict:
    return dict(SURFACES.get(noun, {}))


#: what a person figure is called in the plan, by age and gender
PERSON_NAMES = {("baby", None): "baby", ("baby", "f"): "baby", ("baby", "m"): "baby", ("child", None): "child",
                ("child", "m"): "boy", ("child", "f"): "girl", ("adult", None): "person", ("adult", "m"): "man",
                ("adult", "f"): "woman", ("old", None): "old person", ("old", "m"): "old man",
                ("old", "f"): "old woman"}


def _person(obj: SceneObject) -> Picture:
    from seespeech.pictures.people import PersonSpec, draw_person

    spec = PersonSpec(age=obj.person.age, gender=obj.person.gender, role=obj.person.role)
    pose = obj.pose or ("lie" if obj.person.age == "baby" else "stand")
    figure = draw_person(spec, pose, 200)
    w, h = figure.image.size
    hand = figure.anchors.get("hand", (w * 0.8, h * 0.5))
    seat = figure.anchors.get("seat", (w * 0.5, h * 0.55))
    surfaces = {"hands": [(hand[0] / w, hand[1] / h)], "seat_at": seat[1] / h}
    name = obj.person.role or PERSON_NAMES.get((obj.person.age, obj.person.gender), "person")
    return Picture("person", figure.code, name, "openmoji", OPENMOJI_LICENCE, OPENMOJI_CREDIT, w / h, "right",
                   surfaces, person=spec, pose=pose)


def _from_entry(entry, obj: SceneObject, sign: str | None) -> Picture | None:
    kind, _, ref = entry.picture.partition(":")
    surfaces = _surfaces(entry.noun)
    if kind == "emoji":
        catalogue = load_catalogue()
        path = catalogue.files.get(ref)
        if path is None:
            return None
        asset = catalogue.emoji.get(ref) or Asset("openmoji", ref, entry.noun, str(path))
        keep = KEEP_TOP.get(ref, 1.0)
        image = _kept(str(path), keep)
        return Picture("emoji", ref, asset.name, "openmoji", OPENMOJI_LICENCE, OPENMOJI_CREDIT,
                       image.width / image.height, entry.facing, surfaces, path=str(path), keep=keep)
    if kind == "clipart":
        found = clipart().get(ref) or clipart().get(entry.noun)
        if found is None:
            return _debian_clipart(entry, surfaces)
        path = CLIPART_DIR / found["file"]
        image = base_image(str(path))
        return Picture("clipart", found["id"], found["nouns"][0], "openclipart",
                       OPENCLIPART_LICENCE, OPENCLIPART_CREDIT, image.width / image.height,
                       found.get("facing", entry.facing), surfaces, path=str(path))
    if kind == "prop":
        from seespeech.pictures.props import PROPS, lookup

        info = PROPS.get(ref) or lookup(ref)
        if info is None:
            return None
        surfaces = _prop_surfaces(info)
        label = sign if info.name in ("shop",) else None
        if info.name == "shop" and obj.noun not in ("shop", "store") and label is None:
            label = obj.word
        return Picture("prop", info.name, info.name, "drawn", DRAWN_LICENCE, None, info.aspect, entry.facing,
                       surfaces, front_layer=info.front_layer, sign=(label or "").upper() or None)
    if kind == "stage":
        return Picture("stage", ref, ref, "stage", DRAWN_LICENCE, None, 1.0, "front", {"top": 0.0})
    if kind == "svg":
        from seespeech.pictures import drawings

        drawing = drawings.entry(ref)
        if drawing is None:
            return None
        return Picture("svg", ref, ref, "drawn", DRAWN_LICENCE, None, drawings.aspect(ref), entry.facing,
                       dict(drawing.surfaces) or surfaces)
    return None


def _prop_surfaces(info) -> dict:
    out = {}
    for name, value in info.surfaces.items():
        if name in ("top", "seat", "deck") and len(value) == 4:
            x0, y, x1, _ = value
            out["top" if name == "deck" else name] = (y, x0, x1)
        elif name == "interior":
            out["interior"] = tuple(value)
    if "seat" in out and "top" not in out:
        out["top"] = out["seat"]
    if info.name in RIMS:
        out["rim"] = RIMS[info.name]
    if info.name in ("rowboat",) and "interior" in out:   # in a boat: anywhere over its hull
        x0, y0, x1, y1 = out["interior"]
        out["interior"] = (x0, y0 - 1.6, x1, y1)
    return out


#: open containers whose front hides the lower part of what is in them: the front's top edge
RIMS = {"open box": 0.42, "rowboat": 0.33}


def _debian_clipart(entry, surfaces) -> Picture | None:
    match = load_catalogue().match(entry.noun, embed=False)
    if match.asset is None or match.asset.source != "openclipart":
        return None
    return _asset_picture(match, entry.facing, surfaces)


def _asset_picture(match: Match, facing: str, surfaces: dict) -> Picture:
    asset = match.asset
    image = base_image(asset.path)
    return Picture("emoji" if asset.source == "openmoji" else "clipart", asset.id, asset.name, asset.source,
                   asset.licence, asset.credit, image.width / image.height, facing, surfaces, path=asset.path,
                   match=match.how, similarity=match.similarity, meant=match.meant)


def _by_name(obj: SceneObject) -> Picture:
    """A name match in the emoji/clip-art names, then the embedder within the thing's kind."""
    noun = obj.picture_as or obj.noun   # what it was grounded to (eyeglasses for glasses)
    packaged = clipart().get(noun)
    if packaged is not None:
        path = CLIPART_DIR / packaged["file"]
        image = base_image(str(path))
        return Picture("clipart", packaged["id"], packaged["nouns"][0], "openclipart",
                       OPENCLIPART_LICENCE, OPENCLIPART_CREDIT, image.width / image.height,
                       packaged.get("facing", "front"), _surfaces(noun), path=str(path), match="name")
    with _lock:
        match = load_catalogue().match(noun)
    if match.asset is not None and match.how == "similar" and (_wrong_kind(obj, match) or (
            obj.person is None and PERSON_WORDS & set(match.asset.name.split())) or _other_sense(noun, match)):
        match = Match(None, "none", match.similarity, match.meant)   # a thing is never drawn as a person
    if match.asset is None:
        return Picture("placeholder", obj.noun, obj.noun, "none", None, None, 1.4, "front", {},
                       match="none", similarity=match.similarity, meant=match.meant)
    return _asset_picture(match, "front", _surfaces(noun))


def _other_sense(noun: str, match: Match) -> bool:
    """A word WordNet knows is only drawn as a name the embedder finds near when WordNet agrees
    the two are kinds of the same thing (canine, dog: canines; a suit is clothing, not a card
    suit)."""

    mine = ancestors(noun)
    if not mine:
        return False   # WordNet does not know it: the embedder is all there is
    meant = (match.meant or match.asset.name).lower()
    theirs = ancestors(meant) | {meant}
    generic = {w.replace("_", " ") for w in TOO_GENERAL} | {"abstraction", "physical entity", "artefact"}
    return not (mine & theirs) - generic


def _wrong_kind(obj: SceneObject, match: Match) -> bool:
    """The embedder's nearest name is of another kind of thing than the word (a person is not
    a rocket; a word that names a person-like role is not an object)."""
    meant = lexicon.lookup(match.meant or "") or lexicon.lookup(match.asset.name.split()[-1])
    if meant is None:
        return False
    said_kind = "person" if obj.person is not None else None
    return said_kind is not None and meant.category in _WRONG_KIND.get(said_kind, ())


#: words of an emoji name that make it a picture of a person


def colour_of(obj: SceneObject) -> tuple | None:
    return COLOURS.get(obj.colour) if obj.colour else None
