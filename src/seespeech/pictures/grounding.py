"""From the words that name a thing to something the composer can draw.

A noun phrase's words are looked up whole before their head ("hot dog" is a hot dog, not a
dog; "parking meter" is one thing), in this order:

1. **drawable names**: the lexicon (nouns with a size and a resting place), the drawn props
   and SVG drawings, every OpenMoji emoji the ``emoji`` package names, the packaged clip-art;
2. **WordNet** (3.0, nouns): the word's senses, most common first, then their hypernyms,
   nearest first, until one is drawable — a cellist is a musician is a performer is a person;
   a sapling is a tree (and "young" in its gloss makes it a small one); ramen is noodles is
   pasta is food … The sense's category (WordNet's lexicographer file and its ancestors)
   gives the size class and where it rests when the lexicon has no row for it.
3. A sense that is not a thing (a feeling, an act, an attribute, a time, a body part …) is
   never drawn: the plan lists it with why.

Plural forms are found by WordNet's own rules and by the naive ones people and generators
use ("skises", "benchs", "sheeps").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from seespeech.pictures import lexicon
from seespeech.pictures.wordnet import Synset, load_wordnet

#: WordNet lexicographer files of senses that are not things a picture shows
ABSTRACT_LEXNAMES = {
    "noun.act": "an act", "noun.attribute": "a quality", "noun.cognition": "an idea",
    "noun.communication": "something said or written", "noun.event": "an event", "noun.feeling": "a feeling",
    "noun.motive": "a motive", "noun.phenomenon": "a happening", "noun.process": "a process",
    "noun.quantity": "an amount", "noun.relation": "a relation", "noun.state": "a state",
    "noun.time": "a time", "noun.shape": "a shape", "noun.possession": "a possession", "noun.group": "a group",
    "noun.location": "a place", "noun.Tops": "too general", "noun.body": "a part of a body",
}
#: concrete lexicographer files (what a sense must be to be drawn)
CONCRETE_LEXNAMES = {"noun.artifact", "noun.animal", "noun.food", "noun.plant", "noun.person", "noun.object",
                     "noun.substance"}
#: ancestors (WordNet lemma) → the composer's category (size class and resting place)
CATEGORY_ANCESTORS = (
    ("person", "person"), ("bird", "bird"), ("fish", "water animal"), ("aquatic_mammal", "water animal"),
    ("insect", "insect"), ("arthropod", "insect"), ("animal", "animal"), ("aircraft", "aircraft"),
    ("vessel", "boat"), ("boat", "boat"), ("wheeled_vehicle", "vehicle"), ("vehicle", "vehicle"),
    ("building", "building"), ("structure", "building"), ("furniture", "furniture"), ("tree", "tree"),
    ("flower", "plant"), ("plant", "plant"), ("musical_instrument", "instrument"), ("toy", "toy"),
    ("plaything", "toy"), ("container", "container"), ("dish", "food"), ("food", "food"), ("fruit", "food"),
    ("vegetable", "food"), ("foodstuff", "food"), ("geological_formation", "landform"),
)
#: words of a gloss that make a kind of thing smaller or larger than what it is a kind of
SMALL_WORDS = {"small", "young", "little", "miniature", "tiny", "baby", "short"}
LARGE_WORDS = {"large", "big", "huge", "giant", "tall", "enormous"}
#: ancestors too general to draw a thing as (a 'device' or an 'object' has no one picture)
TOO_GENERAL = {"entity", "physical_entity", "object", "whole", "artifact", "instrumentality", "thing", "matter",
               "device", "organism", "living_thing", "causal_agent", "unit", "part", "commodity", "material",
               "substance", "covering", "implement", "equipment", "article", "creation", "decoration"}
MAX_DEPTH = 7
#: words of a definition that never name what the thing looks like
GLOSS_SKIP = {"the", "and", "for", "with", "that", "which", "where", "one", "used", "use", "kind", "form", "made",
              "usually", "especially", "often", "any", "various", "other", "another", "something", "person",
              "someone", "who", "its", "from", "into", "has", "having", "being", "part", "piece", "small",
              "large", "type", "sort", "its"}


@dataclass
class Grounding:
    """What a phrase was taken to mean, and how."""

    concept: str | None          # the drawable name (None: nothing to draw)
    words: int                   # how many words from the end of the phrase it used
    how: str                     # lexicon | name | wordnet | abstract | none
    category: str | None = None  # the composer's category when the lexicon has no row
    kind: str = "thing"          # thing | person | abstract | unknown
    size: str | None = None      # "small" / "big", from a gloss ("a young tree")
    sense: str | None = None     # the WordNet sense followed
    why: str = ""
    #: a lexicon noun it is the size of and rests like, when it has no row of its own ("full
    #: moon": the moon; "sports car": a car)
    like: str | None = None

    def to_dict(self) -> dict:
        return {"concept": self.concept, "how": self.how, "sense": self.sense, "why": self.why}


def drawable(phrase: str) -> bool:
    """Is there a picture under this name (lexicon, drawings, emoji, clip-art)?"""
    phrase = phrase.lower().strip()
    if not phrase:
        return False
    if lexicon.lookup(phrase) is not None:
        return True
    return _named_asset(phrase)


@lru_cache(maxsize=4096)
def _named_asset(phrase: str) -> bool:
    from seespeech.pictures.assets import load_catalogue
    from seespeech.pictures.assets import PERSON_WORDS, clipart

    if phrase in clipart():
        return True
    asset = load_catalogue().match(phrase, embed=False).asset
    # an emoji alias that is an action ("bow": a person bowing) is not a name for a thing
    return asset is not None and not (PERSON_WORDS & set(asset.name.split()) and not PERSON_WORDS & set(
        phrase.split()) and lexicon.lookup(phrase) is None)


def forms(word: str, lemma: str | None = None) -> list[str]:
    """Ways to read a head word: its lemma, as said, WordNet's base form, naive plurals undone."""
    word = word.lower()
    wn = load_wordnet()
    # a plural WordNet knows as a word of its own comes first: glasses (spectacles), clothes
    out = [word] if plural_only(word) else []
    out += [lemma.lower()] if lemma else []
    out.append(word)
    if wn is not None:
        base = wn.morphy(word)
        if base:
            out.append(base.replace("_", " "))
    for suffix in ("es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            out.append(word[: -len(suffix)])
            if wn is not None and wn.morphy(word[: -len(suffix)]):
                out.append(wn.morphy(word[: -len(suffix)]).replace("_", " "))
    return list(dict.fromkeys(out))


def plural_only(word: str) -> bool:
    """A plural that WordNet knows as a word of its own: glasses, scissors, trousers."""
    wn = load_wordnet()
    if wn is None or not word.endswith("s") or word not in wn.index or word in wn.exceptions:
        return False
    sense = wn.synsets(word)[0]
    single = wn.index.get(word[:-1]) or wn.index.get(word[:-2]) or ()
    if sense.lexname not in CONCRETE_LEXNAMES or sense.offset in single:
        return False
    if single and not wn.tagged.get(word):   # "clocks" is a rare plant's name, and the plural of clock
        return False
    # cows are cattle, and a cow is a kind of cattle: a plural of its singular after all
    return not any(sense.offset in wn.synset(o).hypernyms for o in single)


def ground(words: list[str], lemma: str | None = None) -> Grounding:
    """Ground a noun phrase's words (modifiers that may be part of a name, then the head).
    Answers are cached (a noun is grounded once when it is checked for a place and again as a
    thing): treat the result as read-only."""
    return _ground(tuple(w.lower() for w in words if w), lemma)


@lru_cache(maxsize=4096)
def _ground(words: tuple[str, ...], lemma: str | None) -> Grounding:
    words = list(words)
    if not words:
        return Grounding(None, 0, "none", kind="unknown")
    heads = forms(words[-1], lemma)
    wn = load_wordnet()
    if plural_only(words[-1]):
        heads = [words[-1]]   # glasses are spectacles, not two glasses
    # 1. a drawable name, longest first: "hot dog" before "dog"; a longer name WordNet knows
    # comes before a shorter one with a picture ("sea lion" is a seal, "guinea pig" no pig)
    for n in range(min(3, len(words)), 0, -1):
        for head in heads:
            phrase = " ".join(words[len(words) - n:-1] + [head])
            if n > 1 and not drawable(phrase) and wn is not None and wn.index.get(phrase.replace(" ", "_")):
                return _from_senses(wn, wn.synsets(phrase.replace(" ", "_")), n)
            if drawable(phrase):
                entry = lexicon.lookup(phrase)
                return Grounding(phrase, n, "lexicon" if entry else "name",
                                 kind="person" if entry is not None and entry.category == "person" else "thing",
                                 like=None if entry else _like(phrase))
    # 2. WordNet: the phrase's senses, then their ancestors
    if wn is None:
        return Grounding(None, 1, "none", kind="unknown", why="no picture by that name (WordNet not installed)")
    for n in range(min(3, len(words)), 0, -1):
        for head in heads:
            phrase = "_".join(words[len(words) - n:-1] + [head.replace(" ", "_")])
            senses = wn.synsets(phrase)
            if senses:
                return _from_senses(wn, senses, n)
    return Grounding(None, 1, "none", kind="unknown", why="no picture by that name, and not in WordNet")


def _pick(senses: list[Synset]) -> Synset:
    """The most common sense, unless it is abstract and a common one is a thing ("tie": a
    necktie; "canine": a dog before a tooth); never a named one ("peel" is a fruit's skin before
    it is Robert Peel). (Someone's body parts are not things of their own: graph.py.)"""
    kinds = [s for s in senses if not s.instance] or senses
    first = kinds[0]
    if first.lexname in CONCRETE_LEXNAMES:
        return first
    for s in kinds[1:3]:
        if s.lexname in CONCRETE_LEXNAMES:
            return s
    return first


def _from_senses(wn, senses: list[Synset], n: int) -> Grounding:
    sense = _pick(senses)
    if sense.lexname not in CONCRETE_LEXNAMES:
        what = ABSTRACT_LEXNAMES.get(sense.lexname, "not a thing")
        return Grounding(None, n, "abstract", kind="abstract", sense=sense.name,
                         why=f"not something a picture shows ({what}: {sense.gloss.split(';')[0]})")
    ancestors = wn.hypernym_closure(sense, MAX_DEPTH)
    category = category_of(sense, ancestors)
    kind = "person" if category == "person" else "thing"
    for depth, s in [(0, sense)] + ancestors:
        for w in s.words:
            if w in TOO_GENERAL or len(w) < 3:   # "x" is ecstasy, not the letter's picture
                continue
            name = w.replace("_", " ")
            # the name must mean this sense: a court is a parcel of land, but the picture called
            # "parcel" is a package
            if depth > 0 and s.offset not in wn.index.get(w, ())[:2]:
                continue
            if drawable(name):
                size = _size_from_gloss(sense.gloss) if depth > 0 else None
                why = (f"{sense.name} is a kind of {name}" if depth > 0 else f"{sense.name}")
                return Grounding(name, n, "wordnet", category=category, kind=kind, size=size, sense=sense.name,
                                 why=why)
    # what its definition names: a crossroads is "a junction where one street or road crosses
    # another" (a street), ramen "… noodles in broth"
    for word in _gloss_nouns(sense.gloss.split(";")[0])[:6]:
        if word in GLOSS_SKIP or len(word) < 3:
            continue
        base = wn.morphy(word) or word
        if drawable(base) and base not in TOO_GENERAL:
            return Grounding(base, n, "wordnet", category=category, kind=kind, sense=sense.name,
                             why=f"{sense.name}: {sense.gloss.split(';')[0]}")
    return Grounding(None, n, "none", category=category, kind=kind, sense=sense.name,
                     why=f"no picture of {sense.name} or of what it is a kind of")


def _like(phrase: str) -> str | None:
    """The nearest lexicon noun: the phrase's head ("full moon": moon), else its nearest
    WordNet ancestor with a row."""
    words = phrase.split()
    for n in range(len(words) - 1, 0, -1):
        if lexicon.lookup(" ".join(words[-n:])) is not None:
            return " ".join(words[-n:])
    wn = load_wordnet()
    senses = wn.synsets(phrase.replace(" ", "_")) if wn is not None else []
    if senses:
        for _, s in wn.hypernym_closure(_pick(senses), MAX_DEPTH):
            for w in s.words:
                if w not in TOO_GENERAL and lexicon.lookup(w.replace("_", " ")) is not None:
                    return w.replace("_", " ")
    return None


@lru_cache(maxsize=1024)
def _gloss_nouns(gloss: str) -> list[str]:
    """The nouns of a definition, in order (spaCy tags it; "as well as" is not a well)."""
    try:
        from seespeech.pictures.nlp import load_nlp

        return [t.lemma_.lower() for t in load_nlp()(gloss) if t.pos_ == "NOUN"]
    except Exception:   # no parser: the words that WordNet knows as nouns
        return re.findall(r"[a-z]+", gloss.lower())


def category_of(sense: Synset, ancestors: list[tuple[int, Synset]]) -> str:
    names = {w for w in sense.words}
    for _, s in ancestors:
        names.update(s.words)
    for ancestor, category in CATEGORY_ANCESTORS:
        if ancestor in names:
            return category
    return {"noun.person": "person", "noun.animal": "animal", "noun.food": "food",
            "noun.plant": "plant"}.get(sense.lexname, "thing")


def _size_from_gloss(gloss: str) -> str | None:
    words = set(gloss.lower().replace(",", " ").replace(";", " ").split()[:8])
    if words & SMALL_WORDS:
        return "small"
    if words & LARGE_WORDS:
        return "big"
    return None


@lru_cache(maxsize=2048)
def ancestors(word: str, depth: int = MAX_DEPTH) -> frozenset[str]:
    """The names of what a thing (not a person) is a kind of, by WordNet (its common concrete sense)."""
    wn = load_wordnet()
    senses = wn.synsets(word.replace(" ", "_")) if wn is not None else []
    things = [s for s in senses if s.lexname != "noun.person"]   # asked of things: a toaster is no person
    if not things:
        return frozenset()
    return frozenset(w.replace("_", " ") for _, h in wn.hypernym_closure(_pick(things), depth) for w in h.words)


@lru_cache(maxsize=2048)
def is_clothing(word: str) -> bool:
    """A dress, a coat, a hat, boots: something worn (WordNet: a kind of clothing)."""
    wn = load_wordnet()
    senses = wn.synsets(word.replace(" ", "_")) if wn is not None else []
    if not senses:
        return False
    sense = _pick(senses)
    names = {w for _, h in wn.hypernym_closure(sense, MAX_DEPTH) for w in h.words}
    return bool(names & {"clothing", "garment", "footwear", "headdress", "neckwear", "spectacles", "jewelry",
                         "handwear", "eyewear"}) or "spectacles" in sense.words


def is_representation(word: str) -> bool:
    """"photo", "picture", "drawing", "painting", "image": a noun for a picture of something
    (the framing of a request, "a photo of three apples"), by WordNet's hypernyms."""
    wn = load_wordnet()
    if wn is None:
        return word in ("photo", "picture", "image", "drawing", "painting")
    for s in wn.synsets(word)[:2]:
        if s.name in ("representation", "picture", "image", "drawing", "painting", "photograph") or any(
                "representation" in h.words or "picture" in h.words or "art" in h.words or "artwork" in h.words
                or "graphic_art" in h.words
                for _, h in wn.hypernym_closure(s, 4)):
            return True
    return False
