"""What a scene is: things (``SceneObject``), how they relate (``Relation``), where and when
(``Scene``), and the word tables and helpers the parser shares (numbers, colours, sizes,
singular forms, tokens). parse.py reads speech into a Scene.

"there's a red bird sitting on a branch next to a small house, and the sun is shining"
→ objects bird (red), branch, house (small), sun; relations bird on branch, bird next to
house; setting: day outdoors.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

NUMBERS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "another": 1,
    "two": 2, "pair": 2, "couple": 2, "both": 2, "twin": 2,
    "three": 3, "few": 3, "some": 3, "several": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "many": 5, "lots": 5, "lot": 5, "bunch": 4, "group": 4, "dozen": 12,
}
MAX_INSTANCES = 10  # "a hundred birds" draws ten; the plan keeps the number said

COLOURS = {
    "red": (220, 40, 40), "orange": (245, 140, 30), "yellow": (250, 215, 40),
    "green": (60, 170, 70), "blue": (40, 110, 220), "purple": (140, 70, 190),
    "violet": (140, 70, 190), "pink": (245, 120, 180), "brown": (140, 90, 50),
    "black": (35, 35, 35), "white": (245, 245, 245), "grey": (140, 140, 140),
    "gray": (140, 140, 140), "golden": (230, 180, 40), "gold": (230, 180, 40),
    "silver": (190, 195, 200), "turquoise": (40, 190, 190), "dark": None, "light": None,
}
SIZES = {
    "tiny": 0.5, "little": 0.7, "small": 0.7, "short": 0.8,
    "big": 1.4, "large": 1.4, "tall": 1.4, "huge": 1.8, "giant": 1.8, "enormous": 1.8,
}

#: "a piece of cheese" is cheese
PARTITIVES = {"piece", "pieces", "slice", "slices", "bit", "bits", "lump", "chunk", "kind", "sort",
              "type", "pair", "couple", "bunch", "group", "herd", "flock", "lot", "lots", "pile",
              "heap", "row", "line", "family", "pack", "school", "swarm", "crowd"}
@dataclass(frozen=True)
class Person:
    """Who a person is: what people/ draws."""

    age: str = "adult"          # baby | child | adult | old
    gender: str | None = None   # f | m | None
    role: str | None = None     # doctor, astronaut, pirate, ...


@dataclass
class SceneObject:
    """One noun phrase: ``count`` instances of ``noun``."""

    word: str  # as said, e.g. "cats"
    noun: str  # singular, e.g. "cat"
    count: int = 1
    colour: str | None = None
    size: str | None = None
    modifiers: list[str] = field(default_factory=list)
    #: "sky" / "water" / "ground" when the speech placed it ("in the sky", "swimming")
    region: str | None = None
    person: Person | None = None
    #: stand, walk, run, sit, ride, lie, kneel, hold, wave (people, from the verb said)
    pose: str | None = None
    #: how many were said ("a dozen": 12); ``count`` is how many are drawn
    said_count: int = 1
    #: a setting feature the stage draws (cliff, island, river, lake)
    feature: bool = False
    #: a word of speech with no picture of its own (country, freedom)
    abstract: bool = False
    mentions: int = 1
    salience: float = 1.0
    #: what to draw it as, when what is said around it decides (a bowl with a fish in it: a fishbowl),
    #: or what it was grounded to (a cellist: a person; a sapling: a tree)
    picture_as: str | None = None
    #: the composer's category (size class, resting place) when the lexicon has no row for it
    category: str | None = None
    #: a lexicon noun whose size and resting place it takes, when it has no row of its own
    like: str | None = None
    #: how the words were grounded (grounding.Grounding.to_dict()), and why it is not drawn
    grounding: dict | None = None
    why: str | None = None

    @property
    def scale(self) -> float:
        return SIZES.get(self.size or "", 1.0)


@dataclass
class Relation:
    subject: int  # index into Scene.objects
    relation: str
    object: int
    #: the words that said it ("riding", "next to")
    said: str = ""


#: how specific a place is: a more specific one said later wins ("a park by a lake": lake)
PLACE_RANK = {"outdoors": 0, "park": 1, "room": 1, "sea": 2, "beach": 3, "city": 2, "forest": 2, "mountains": 2,
              "snow": 2, "desert": 2, "farm": 2, "garden": 2, "lake": 3, "river": 3, "space": 3, "cliff": 4,
              "island": 4, "moon": 4, "kitchen": 4, "bedroom": 4, "living room": 4, "classroom": 4, "hospital": 4,
              "shop": 3}


@dataclass
class Scene:
    objects: list[SceneObject] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    #: where the stage is: outdoors, park, garden, farm, beach, lake, river, sea, island, mountains,
    #: cliff, forest, desert, snow, city, space, moon, shop, room, kitchen, living room, bedroom,
    #: hospital, classroom
    place: str = "outdoors"
    #: day, night or sunset
    time: str = "day"
    weather: list[str] = field(default_factory=list)
    #: "scene", or "illustration" for speech that is not a description of one
    mode: str = "scene"
    #: things said that the picture does not show, and why
    left_out: list[dict] = field(default_factory=list)
    #: things said that have no picture: {"word", "noun", "why"} (not drawn unless labels are asked for)
    unmatched: list[dict] = field(default_factory=list)
    #: illustrations: which symbol was drawn for which word, and why
    chosen: list[dict] = field(default_factory=list)
    #: every word said (the illustration reads them)
    words: list[str] = field(default_factory=list)
    sentences: int = 0
    #: relations said before their subject ("on the table there is a cup")
    fronted: list = field(default_factory=list)

    def set_place(self, place: str) -> None:
        if PLACE_RANK.get(place, 2) > PLACE_RANK.get(self.place, 0):
            self.place = place

    def add_weather(self, kind: str) -> None:
        if kind not in self.weather:
            self.weather.append(kind)

    def to_dict(self) -> dict:
        return asdict(self)


_IRREGULAR = {
    "people": "person", "children": "child", "men": "man", "women": "woman", "mice": "mouse",
    "geese": "goose", "feet": "foot", "teeth": "tooth", "sheep": "sheep", "fish": "fish",
    "deer": "deer", "leaves": "leaf", "wolves": "wolf", "knives": "knife", "shelves": "shelf",
    "loaves": "loaf", "oxen": "ox", "puppies": "puppy", "kitties": "kitty", "butterflies": "butterfly",
    "strawberries": "strawberry", "cherries": "cherry", "bunnies": "bunny", "ladies": "lady",
    "babies": "baby", "cookies": "cookie", "dice": "die", "cacti": "cactus",
}
_NOT_PLURAL = {"bus", "glass", "grass", "cactus", "octopus", "dress", "class", "chess", "gas",
               "news", "lens", "bus", "compass", "canvas", "walrus", "circus", "moss", "cross",
               "princess", "mattress", "iris", "hippopotamus", "asparagus", "bonus", "tennis"}


def singular(word: str) -> str:
    """Singular of an English noun, by rule; good enough for scene nouns."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in _NOT_PLURAL or len(w) < 4 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes", "oes")):
        return w[:-2]
    if w.endswith("ves"):
        return w[:-3] + "f"
    if w.endswith("s"):
        return w[:-1]
    return w


def is_plural(word: str) -> bool:
    return singular(word) != word.lower()


_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[,.;!?]")
_CONTRACTIONS = {"there's": "there is", "it's": "it is", "here's": "here is", "what's": "what is",
                 "that's": "that is", "they're": "they are", "i'd": "i would", "i'm": "i am",
                 "let's": "let us"}


def tokenize(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("-", " ")
    tokens: list[str] = []
    for tok in _TOKEN_RE.findall(text):
        tokens.extend(_CONTRACTIONS.get(tok, tok).split())
    return [t[:-2] if t.endswith("'s") else t for t in tokens]
