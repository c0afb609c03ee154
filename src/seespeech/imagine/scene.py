"""Read a spoken scene description into objects, relations and a setting.

"there's a red bird sitting on a branch next to a small house, and the sun is shining"
→ objects bird (red), branch, house (small), sun; relations bird on branch, bird next
to house; setting: day outdoors.

This is a small hand-written chunker, not a general parser: spoken scene descriptions
are short noun phrases joined by prepositions, and a rule per construction is easier to
test and to explain than a statistical model we cannot ship. Words it does not know are
kept: the head of every noun phrase becomes an object, drawn or shown as a labelled
placeholder, so nothing said is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

NUMBERS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "another": 1,
    "two": 2, "pair": 2, "couple": 2, "both": 2, "twin": 2,
    "three": 3, "few": 3, "some": 3, "several": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "many": 5, "lots": 5, "lot": 5, "bunch": 4, "group": 4, "dozen": 8,
}
MAX_INSTANCES = 8  # "a hundred birds" draws eight; the plan keeps the number said

COLOURS = {
    "red": (220, 40, 40), "orange": (245, 140, 30), "yellow": (250, 215, 40),
    "green": (60, 170, 70), "blue": (40, 110, 220), "purple": (140, 70, 190),
    "violet": (140, 70, 190), "pink": (245, 120, 180), "brown": (140, 90, 50),
    "black": (35, 35, 35), "white": (245, 245, 245), "grey": (140, 140, 140),
    "gray": (140, 140, 140), "golden": (230, 180, 40), "gold": (230, 180, 40),
    "silver": (190, 195, 200), "turquoise": (40, 190, 190), "dark": None, "light": None,
}
SIZES = {
    "tiny": 0.5, "little": 0.7, "small": 0.7, "baby": 0.7, "short": 0.8,
    "big": 1.4, "large": 1.4, "tall": 1.4, "huge": 1.8, "giant": 1.8, "enormous": 1.8,
}

#: spoken relation phrases → canonical relation (longest phrases first when matching)
RELATION_PHRASES = {
    "on top of": "on", "on": "on", "onto": "on", "upon": "on", "sitting on": "on",
    "under": "under", "underneath": "under", "beneath": "under", "below": "below",
    "above": "above", "over": "above",
    "beside": "beside", "next to": "next to", "near": "next to", "by": "next to",
    "close to": "next to", "with": "next to", "alongside": "next to",
    "to the left of": "left of", "left of": "left of", "on the left of": "left of",
    "to the right of": "right of", "right of": "right of", "on the right of": "right of",
    "in front of": "in front of", "before": "in front of",
    "behind": "behind", "in back of": "behind",
    "in": "in", "inside": "in", "inside of": "in", "into": "in", "at": "at", "among": "in",
    "between": "beside", "holding": "next to", "carrying": "next to", "leaning against": "next to",
    "against": "next to",
}
RELATIONS = ("on", "under", "above", "below", "beside", "next to", "left of", "right of",
             "in front of", "behind", "in")

#: words that name where the scene is; they choose the background, not an object
SETTINGS = {
    "night": "night", "midnight": "night", "evening": "sunset", "dusk": "sunset",
    "sunset": "sunset", "sunrise": "sunset", "dawn": "sunset", "day": "day",
    "daytime": "day", "morning": "day", "afternoon": "day",
    "beach": "beach", "seaside": "beach", "shore": "beach", "coast": "beach", "sand": "beach",
    "sea": "sea", "ocean": "sea", "lake": "sea", "water": "sea", "river": "sea", "waves": "sea",
    "forest": "forest", "woods": "forest", "jungle": "forest",
    "city": "city", "town": "city", "street": "city", "downtown": "city",
    "snow": "snow", "winter": "snow", "snowy": "snow", "ice": "snow",
    "desert": "desert", "dunes": "desert",
    "space": "space", "universe": "space", "galaxy": "space",
    "room": "room", "bedroom": "room", "kitchen": "room", "living": "room", "house inside": "room",
    "indoors": "room", "inside": "room", "office": "room", "classroom": "room",
    "park": "park", "garden": "park", "field": "park", "meadow": "park", "grass": "park",
    "farm": "park", "countryside": "park", "hill": "park", "hills": "park",
    "sky": "sky", "air": "sky", "ground": "ground", "floor": "room",
}
#: times of day combine with places ("a beach at night")
TIMES = {"night", "sunset", "day"}

# Words that end a noun phrase without being part of it.
STOPWORDS = set("""
the this that these those there here it its it's they them their he she him her his we us our you
your i me my is are was were be been being am has have had do does did will would can could should
shall may might must and or but so then also too very really just quite rather all each every
which who whom whose what where when while as of for from about if than like because
sitting standing lying flying swimming floating hanging playing running walking sleeping
shining looking watching waiting eating drinking holding wearing parked parking growing
sits stands lies flies swims floats hangs plays runs walks sleeps shines looks watches
sat stood lay flew swam floated hung played ran walked slept shone looked
see seen show shows showing draw drawn drawing picture image painting photo scene view
get got go going goes come coming comes make making made let let's
please okay ok um uh er hmm maybe perhaps probably kind sort bit
nice beautiful pretty lovely cute happy sad old new young other same whole
up down out off away around together far high low not no nor yes
ask asks asked say says said tell tells told think thinks thought know knows knew want wants
need needs like likes love loves hope wish guess mean means feel feels seem seems try tries
give gives put puts take takes bring brings keep keeps find finds leave leaves call calls
something anything everything nothing someone anyone everyone nobody thing things stuff
""".split())

#: verbs that say where a thing is: in the air or on the water
MOTION_REGIONS = {"flying": "sky", "flies": "sky", "fly": "sky", "soaring": "sky", "hovering": "sky",
                  "gliding": "sky", "swimming": "water", "swims": "water", "floating": "water",
                  "sailing": "water", "sails": "water", "paddling": "water"}

NUMBER_WORDS_RE = re.compile(r"^\d+$")

#: "a piece of cheese" is cheese
PARTITIVES = {"piece", "pieces", "slice", "slices", "bit", "bits", "lump", "chunk", "kind", "sort",
              "type", "pair", "couple", "bunch", "group", "herd", "flock", "lot", "lots", "pile",
              "heap", "row", "line", "family", "pack", "school", "swarm", "crowd"}
#: nouns that look like verbs or adverbs to the rules below
ING_LY_NOUNS = {"building", "ceiling", "king", "ring", "swing", "wing", "string", "spring",
                "pudding", "painting", "wedding", "earring", "stocking", "butterfly", "fly",
                "lily", "jelly", "family", "dragonfly", "firefly", "bully", "sibling", "duckling",
                "dumpling", "evening", "morning", "icing", "clothing", "sling", "sledding"}


@dataclass
class SceneObject:
    """One noun phrase: ``count`` instances of ``noun``."""

    word: str  # as said, e.g. "cats"
    noun: str  # singular, e.g. "cat"
    count: int = 1
    colour: str | None = None
    size: str | None = None
    modifiers: list[str] = field(default_factory=list)
    #: "sky" / "water" / "ground" when the speech placed it ("in the sky")
    region: str | None = None

    @property
    def scale(self) -> float:
        return SIZES.get(self.size or "", 1.0)


@dataclass
class Relation:
    subject: int  # index into Scene.objects
    relation: str
    object: int


@dataclass
class Scene:
    objects: list[SceneObject] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    #: place: beach, sea, forest, city, snow, desert, space, room, park, or "outdoors"
    place: str = "outdoors"
    #: day, night or sunset
    time: str = "day"

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


def _match_phrase(tokens: list[str], i: int, table: dict[str, str]) -> tuple[str, int] | None:
    """The longest phrase of ``table`` starting at ``tokens[i]``: (value, length)."""
    for n in (4, 3, 2, 1):
        phrase = " ".join(tokens[i : i + n])
        if len(tokens[i : i + n]) == n and phrase in table:
            return table[phrase], n
    return None


def _is_verb_like(tok: str, known: set[str] = frozenset()) -> bool:
    if tok in STOPWORDS:
        return True
    if tok in ING_LY_NOUNS or tok in known:
        return False
    return ((tok.endswith("ing") and len(tok) > 5) or (tok.endswith("ly") and len(tok) > 4)
            or (tok.endswith("ed") and len(tok) > 5))


def parse_scene(text: str, known_phrases: set[str] | None = None) -> Scene:
    """Parse an English scene description.

    ``known_phrases`` are the nouns the caller can draw: multi-word ones stay one object
    ("hot air balloon", "fire truck"), and known words are never taken for verbs
    ("butterfly" is not an adverb); the compose engine passes its asset names.
    """
    known = known_phrases or set()
    tokens = tokenize(text)
    scene = Scene()
    clause_subjects: list[int] = []  # the noun phrases a relation in this clause attaches to
    clause_has_relation = False
    pending_relation: str | None = None
    i = 0

    def add_object(words: list[str], count: int | None) -> int | None:
        """Turn the words of one noun phrase into an object (or a setting)."""
        nonlocal pending_relation
        colour = size = None
        modifiers: list[str] = []
        content = [w for w in words if w not in STOPWORDS]
        if not content:
            return None
        # the head noun: the longest known multi-word phrase at the end, else the last word
        head_len = 1
        for n in (3, 2):
            # "red apple" is an apple that is red, not an asset named "red apple"
            if len(content) < n or content[-n] in COLOURS or content[-n] in SIZES:
                continue
            if len(content) >= n and " ".join(singular(w) if k == n - 1 else w
                                              for k, w in enumerate(content[-n:])) in known:
                head_len = n
                break
        head_words = content[-head_len:]
        for w in content[:-head_len]:
            if w in COLOURS and COLOURS[w] is not None:
                colour = w
            elif w in SIZES:
                size = w
            elif w in NUMBERS and count is None:
                count = NUMBERS[w]
            elif NUMBER_WORDS_RE.match(w) and count is None:
                count = int(w)
            elif w not in NUMBERS:
                modifiers.append(w)
        said = " ".join(head_words)
        noun = " ".join(head_words[:-1] + [singular(head_words[-1])])
        setting = SETTINGS.get(noun) or SETTINGS.get(said)
        if setting and not (colour or size or (count or 1) > 1):
            if setting in TIMES:
                scene.time = setting
            elif setting == "sky":
                for s in clause_subjects:
                    scene.objects[s].region = "sky"
            elif setting != "ground":
                # a beach already has its sea; a park is the least specific place
                if not (setting == "sea" and scene.place == "beach") and not (
                    setting == "park" and scene.place != "outdoors"
                ):
                    scene.place = setting
                if setting == "sea" and pending_relation in ("on", "in"):
                    for s in clause_subjects:
                        scene.objects[s].region = "water"
            pending_relation = None
            return None
        if count is None:
            count = 2 if (is_plural(head_words[-1]) and head_words[-1] not in ("fish", "sheep", "deer")) else 1
        scene.objects.append(SceneObject(said, noun, count, colour, size, modifiers))
        return len(scene.objects) - 1

    while i < len(tokens):
        tok = tokens[i]
        if tok in ",.;!?":
            if tok != ",":
                clause_subjects, clause_has_relation = [], False
            i += 1
            continue
        if tok == "and":
            # "a cat and a dog under a tree": both are subjects; after a relation, a new clause
            if clause_has_relation:
                clause_subjects, clause_has_relation = [], False
            i += 1
            continue
        if tok in MOTION_REGIONS and clause_subjects:  # "birds flying", "ducks swimming"
            for s in clause_subjects:
                scene.objects[s].region = scene.objects[s].region or MOTION_REGIONS[tok]
        rel = _match_phrase(tokens, i, RELATION_PHRASES)
        if rel:
            pending_relation, n = rel
            i += n
            continue
        if tok in NUMBERS or NUMBER_WORDS_RE.match(tok) or not _is_verb_like(tok, known):
            # a noun phrase: determiners/numbers, adjectives, then the noun(s)
            count: int | None = None
            words: list[str] = []
            while i < len(tokens):
                t = tokens[i]
                if t in ",.;!?" or t == "and" or _match_phrase(tokens, i, RELATION_PHRASES):
                    # "a couple of birds": "of" inside a quantity is not a relation
                    break
                if t == "of" and words and (words[-1] in NUMBERS or words[-1] in PARTITIVES):
                    words.pop()  # "a couple of birds", "a piece of cheese"
                    i += 1
                    continue
                if t in NUMBERS and not words:
                    count = NUMBERS[t] if t not in ("a", "an") else None
                    if t in ("a", "an"):
                        count = 1
                    i += 1
                    continue
                if NUMBER_WORDS_RE.match(t) and not words:
                    count = int(t)
                    i += 1
                    continue
                if _is_verb_like(t, known):
                    if words:
                        break
                    i += 1
                    continue
                words.append(t)
                i += 1
            if words and words[0] in NUMBERS and count in (None, 1):  # "a couple of", "a few"
                count = NUMBERS[words[0]]
                words = words[1:]
            index = add_object(words, count)
            if index is None:
                continue
            if pending_relation and clause_subjects:
                last = scene.relations[-1] if clause_has_relation and scene.relations else None
                if pending_relation == "at":
                    pass
                elif last and last.relation in ("in", "on") and pending_relation in ("in", "on", "under"):
                    # "a fish in a bowl on a table": the bowl is on the table
                    scene.relations.append(Relation(last.object, pending_relation, index))
                else:
                    for s in clause_subjects:
                        scene.relations.append(Relation(s, pending_relation, index))
                clause_has_relation = True
                pending_relation = None
            elif pending_relation and not clause_subjects:
                # "on the table there is a cup": the object is the anchor, the subject comes later
                scene.relations.append(Relation(-1, pending_relation, index))
                pending_relation = None
                clause_subjects = []
            else:
                clause_subjects.append(index)
                # fill a fronted relation ("under the tree sits a dog")
                for r in scene.relations:
                    if r.subject == -1:
                        r.subject = index
            continue
        i += 1
    scene.relations = [r for r in scene.relations if r.subject >= 0 and r.relation in RELATIONS]
    for obj in scene.objects:
        obj.count = max(1, obj.count)
    return scene
