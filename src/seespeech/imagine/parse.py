"""Read what was said into a scene: things (with counts, colours, sizes, people's age, gender
and role, poses), relations between them (from prepositions and from verbs), a setting, the
time of day and the weather — or, for speech that is not a description of a scene (a talk, a
greeting, a story's moral), the words worth drawing as an illustration.

This is a hand-written chunker, not a general parser. Spoken scene descriptions are noun
phrases joined by prepositions and verbs; a rule per construction is easy to test and to
explain, and runs in well under a millisecond. What it reads, by construction:

* noun phrases: determiner or number, adjectives (colour, size, age), the head noun
  (multi-word nouns from the lexicon stay one: "fire truck", "police officer");
* verbs after their subjects: "riding a horse" (A on B's back), "holding a balloon" (B in
  A's hand), "chasing a cat" (A behind B, facing the same way), "pulling a cart" (the cart
  behind), "building a snowman" (A beside B, facing it), "crossing a bridge", "flying a
  kite" (the kite above), "sitting/sleeping/standing on …" (the pose, the preposition's
  relation), "swimming"/"flying" (in the water, in the air);
* prepositions: on, under, in, above/over, below, beside/next to/near/by/with/at, left/right
  of, in front of/past, behind; "a fish in a bowl on a table" chains (the bowl is on the
  table); after "riding X", places and relations belong to X (the rider goes with it);
* settings: "in the kitchen", "on the moon", "at sea", "on an island" (a setting the stage
  draws, listed as a thing too, so "a house on an island" can be checked);
* time ("at night", "at sunset") and weather ("in the rain", "during a storm", "foggy").
"""

from __future__ import annotations

import re

from . import lexicon
from .scene import (
    COLOURS, MAX_INSTANCES, NUMBERS, PARTITIVES, SIZES, Person, Relation, Scene, SceneObject, is_plural,
    singular, tokenize,
)

# ---------------------------------------------------------------- words

#: people: noun → (age, gender, role)
PEOPLE = {
    "person": ("adult", None, None), "people": ("adult", None, None), "human": ("adult", None, None),
    "adult": ("adult", None, None), "friend": ("adult", None, None), "somebody": ("adult", None, None),
    "man": ("adult", "m", None), "gentleman": ("adult", "m", None), "guy": ("adult", "m", None),
    "father": ("adult", "m", None), "dad": ("adult", "m", None), "daddy": ("adult", "m", None),
    "husband": ("adult", "m", None), "uncle": ("adult", "m", None), "brother": ("child", "m", None),
    "woman": ("adult", "f", None), "lady": ("adult", "f", None), "mother": ("adult", "f", None),
    "mom": ("adult", "f", None), "mum": ("adult", "f", None), "mummy": ("adult", "f", None),
    "mommy": ("adult", "f", None), "wife": ("adult", "f", None), "aunt": ("adult", "f", None),
    "sister": ("child", "f", None), "bride": ("adult", "f", None), "groom": ("adult", "m", None),
    "child": ("child", None, None), "kid": ("child", None, None), "toddler": ("baby", None, None),
    "boy": ("child", "m", None), "son": ("child", "m", None), "schoolboy": ("child", "m", None),
    "girl": ("child", "f", None), "daughter": ("child", "f", None), "schoolgirl": ("child", "f", None),
    "teenager": ("child", None, None), "teen": ("child", None, None),
    "baby": ("baby", None, None), "infant": ("baby", None, None), "newborn": ("baby", None, None),
    "grandfather": ("old", "m", None), "grandpa": ("old", "m", None), "granddad": ("old", "m", None),
    "grandmother": ("old", "f", None), "grandma": ("old", "f", None), "granny": ("old", "f", None),
    "doctor": ("adult", None, "doctor"), "nurse": ("adult", None, "nurse"),
    "chef": ("adult", None, "chef"), "cook": ("adult", None, "chef"), "baker": ("adult", None, "chef"),
    "farmer": ("adult", None, "farmer"), "fisherman": ("adult", "m", "fisherman"),
    "fisher": ("adult", None, "fisherman"), "astronaut": ("adult", None, "astronaut"),
    "spaceman": ("adult", "m", "astronaut"), "cosmonaut": ("adult", None, "astronaut"),
    "pirate": ("adult", None, "pirate"), "wizard": ("adult", "m", "wizard"), "witch": ("adult", "f", "witch"),
    "police officer": ("adult", None, "police officer"), "policeman": ("adult", "m", "police officer"),
    "policewoman": ("adult", "f", "police officer"), "cop": ("adult", None, "police officer"),
    "police": ("adult", None, "police officer"), "firefighter": ("adult", None, "firefighter"),
    "fireman": ("adult", "m", "firefighter"), "teacher": ("adult", None, "teacher"),
    "student": ("child", None, "student"), "pupil": ("child", None, "student"), "pilot": ("adult", None, "pilot"),
    "scientist": ("adult", None, "scientist"), "artist": ("adult", None, "artist"),
    "painter": ("adult", None, "artist"), "singer": ("adult", None, "singer"),
    "mechanic": ("adult", None, "mechanic"), "judge": ("adult", None, "judge"), "king": ("adult", "m", "king"),
    "queen": ("adult", "f", "queen"), "prince": ("child", "m", "prince"), "princess": ("child", "f", "princess"),
    "builder": ("adult", None, "builder"), "construction worker": ("adult", None, "builder"),
    "sailor": ("adult", None, "sailor"), "soldier": ("adult", None, "soldier"), "clown": ("adult", None, "clown"),
    "superhero": ("adult", None, "superhero"), "fairy": ("child", "f", "fairy"), "mermaid": ("adult", "f", "mermaid"),
    "elf": ("adult", None, "elf"), "vampire": ("adult", None, "vampire"), "zombie": ("adult", None, "zombie"),
    "santa": ("old", "m", "santa"), "santa claus": ("old", "m", "santa"), "detective": ("adult", None, "detective"),
    "guard": ("adult", None, "guard"), "worker": ("adult", None, "factory worker"),
    "waiter": ("adult", "m", "office worker"), "waitress": ("adult", "f", "office worker"),
}
#: adjectives that change a person's age ("old man", "little girl", "young woman")
AGE_WORDS = {"old": "old", "elderly": "old", "aged": "old", "little": "child", "young": "adult", "baby": "baby"}
PERSON_PLURALS = {"people": "person", "children": "child", "kids": "kid", "men": "man", "women": "woman",
                  "police": "police officer", "folks": "person"}

#: verbs: lemma → (relation with the direct object, pose, region of the subject)
#: relations: riding (A on B), holding (B in A's hand), beside (A next to B, facing it),
#: following (A behind B), pulled (B behind A), crossing (A on B, across), above (B above A),
#: in (A in B). None: the verb gives a pose or region only (the preposition says where).
VERBS = {
    "ride": ("riding", "ride", None), "hold": ("holding", "hold", None), "carry": ("holding", "hold", None),
    "read": ("holding", "sit", None), "eat": ("holding", "hold", None), "drink": ("holding", "hold", None),
    "lick": ("holding", "hold", None), "hug": ("beside", "hold", None), "walk": ("beside", "walk", None),
    "chase": ("following", "run", None), "follow": ("following", "walk", None), "pull": ("pulled", "walk", None),
    "tow": ("pulled", "walk", None), "drag": ("pulled", "walk", None), "push": ("following", "walk", None),
    "build": ("beside", "stand", None), "water": ("beside", "stand", None), "feed": ("beside", "stand", None),
    "play": ("beside", "stand", None), "paint": ("beside", "stand", None), "talk": ("beside", "stand", None),
    "look": ("beside", "stand", None), "watch": ("beside", "stand", None), "kiss": ("beside", "stand", None),
    "pet": ("beside", "stand", None), "wash": ("beside", "stand", None), "cook": ("beside", "stand", None),
    "bake": ("beside", "stand", None), "make": ("beside", "stand", None), "kick": ("beside", "run", None),
    "help": ("beside", "stand", None), "meet": ("beside", "stand", None), "greet": ("beside", "wave", None),
    "visit": ("beside", "stand", None), "fix": ("beside", "kneel", None), "catch": ("beside", "run", None),
    "throw": ("beside", "stand", None), "sing": ("beside", "stand", None), "dance": ("beside", "stand", None),
    "cross": ("crossing", "walk", None), "climb": ("on", "stand", None), "drive": ("in", "sit", None),
    "fly": ("above", None, "sky"), "soar": (None, None, "sky"), "hover": (None, None, "sky"),
    "glide": (None, None, "sky"), "swim": (None, None, "water"), "float": (None, None, "water"),
    "sail": (None, None, "water"), "paddle": (None, None, "water"), "row": ("in", "sit", "water"),
    "dive": (None, None, "water"), "sit": (None, "sit", None), "stand": (None, "stand", None),
    "lie": (None, "lie", None), "sleep": (None, "lie", None), "rest": (None, "sit", None),
    "nap": (None, "lie", None), "wait": (None, "stand", None), "run": (None, "run", None),
    "jump": (None, "run", None), "hop": (None, "run", None), "skate": (None, "run", None),
    "ski": (None, "run", None), "wave": (None, "wave", None), "kneel": (None, "kneel", None),
    "hide": (None, "kneel", None), "stroll": (None, "walk", None), "graze": (None, None, None),
    "live": (None, None, None), "stay": (None, None, None), "go": (None, "walk", None),
    "sunbathe": (None, "lie", None), "relax": (None, "sit", None), "smile": (None, None, None),
    "laugh": (None, None, None), "bark": (None, None, None), "lean": ("beside", None, None),
    "park": (None, None, None), "grow": (None, None, None), "shine": (None, None, None),
    "fish": (None, "stand", None), "study": (None, "sit", None), "write": (None, "sit", None),
    "work": (None, "stand", None), "pass": ("in front of", None, None), "stare": ("beside", "stand", None),
    "choose": (None, None, None), "earn": (None, None, None), "become": (None, None, None),
    "come": (None, "walk", None), "find": (None, None, None), "start": (None, None, None),
}
#: drinks and the like: "a cup of coffee" is a cup (the coffee is in it, not beside it)
CONTENTS = {"coffee", "tea", "milk", "water", "juice", "soup", "wine", "lemonade", "cocoa", "chocolate",
            "hot chocolate", "beer", "cereal", "sugar", "flour", "rice", "sand"}
_IRREGULAR_VERBS = {
    "rode": "ride", "ridden": "ride", "held": "hold", "ate": "eat", "eaten": "eat", "drank": "drink",
    "built": "build", "flew": "fly", "flown": "fly", "flies": "fly", "swam": "swim", "sat": "sit",
    "stood": "stand", "lay": "lie", "lying": "lie", "lies": "lie", "slept": "sleep", "ran": "run",
    "made": "make", "caught": "catch", "threw": "throw", "sang": "sing", "drove": "drive",
    "driving": "drive", "went": "go", "goes": "go", "hid": "hide", "hidden": "hide", "hiding": "hide",
    "taking": "take", "dove": "dive", "grew": "grow", "shone": "shine", "met": "meet",
    "carries": "carry", "carried": "carry", "studies": "study", "studied": "study",
}
#: prepositions → relation (longest phrases first); "" : a phrase that relates nothing
PREPOSITIONS = {
    "on top of": "on", "on": "on", "onto": "on", "upon": "on", "atop": "on",
    "under": "under", "underneath": "under", "beneath": "under", "below": "below",
    "above": "above", "over": "above",
    "beside": "beside", "next to": "beside", "near": "beside", "by": "beside", "close to": "beside",
    "alongside": "beside", "with": "with", "at": "at", "against": "beside", "around": "beside",
    "along": "beside", "toward": "beside", "towards": "beside", "among": "in", "between": "beside",
    "to the left of": "left of", "left of": "left of", "on the left of": "left of",
    "to the right of": "right of", "right of": "right of", "on the right of": "right of",
    "in front of": "in front of", "before": "in front of", "past": "in front of",
    "behind": "behind", "in back of": "behind",
    "in": "in", "inside": "in", "inside of": "in", "into": "in", "within": "in", "through": "in",
    "across": "crossing", "to": "to", "from": "", "during": "", "for": "", "about": "", "of": "of",
}
RELATIONS = ("on", "under", "above", "below", "beside", "left of", "right of", "in front of", "behind", "in",
             "riding", "holding", "following", "crossing")

#: places a preposition puts the scene in: word → stage place
PLACES = {
    "beach": "beach", "seaside": "beach", "shore": "beach", "coast": "beach", "sand": "beach",
    "sea": "sea", "ocean": "sea", "waves": "sea", "water": "lake",
    "forest": "forest", "woods": "forest", "wood": "forest", "jungle": "forest",
    "city": "city", "town": "city", "street": "city", "downtown": "city", "road": "city", "village": "city",
    "snow": "snow", "winter": "snow", "ice": "snow", "arctic": "snow", "north pole": "snow",
    "desert": "desert", "dunes": "desert", "sahara": "desert",
    "space": "space", "universe": "space", "galaxy": "space", "outer space": "space", "orbit": "space",
    "room": "room", "indoors": "room", "house inside": "room", "office": "room", "hall": "room",
    "kitchen": "kitchen", "bedroom": "bedroom", "living room": "living room", "lounge": "living room",
    "nursery": "bedroom", "classroom": "classroom", "class": "classroom", "hospital": "hospital",
    "ward": "hospital", "clinic": "hospital",
    "park": "park", "playground": "park", "field": "park", "meadow": "park", "grass": "park", "lawn": "park",
    "garden": "garden", "backyard": "garden", "yard": "garden",
    "farm": "farm", "farmyard": "farm", "countryside": "farm", "ranch": "farm",
    "mountains": "mountains", "hills": "mountains", "alps": "mountains",
    "hill": "outdoors",
    "cliff": "cliff", "cliffs": "cliff", "island": "island",
    "river": "river", "stream": "river", "creek": "river", "lake": "lake", "pond": "lake", "pool": "lake",
    "moon": "moon", "shop": "shop", "store": "shop", "bakery": "shop", "market": "shop", "school": "classroom",
}
#: places that are only places (never a thing in the picture)
PURE_PLACES = {"beach", "seaside", "shore", "coast", "sand", "sea", "ocean", "waves", "water", "forest", "woods",
               "jungle", "city", "town", "street", "downtown", "road", "village", "snow", "winter", "ice", "arctic",
               "north pole", "desert", "dunes", "sahara", "space", "universe", "galaxy", "outer space", "orbit",
               "room", "indoors", "office", "hall", "kitchen", "bedroom", "living room", "lounge", "nursery",
               "classroom", "class", "ward", "clinic", "park", "playground", "field", "meadow", "grass", "lawn",
               "garden", "backyard", "yard", "farm", "farmyard", "countryside", "ranch", "mountains", "hills",
               "alps", "hill", "wood"}
#: places the stage draws and the plan also lists as things when they are said
FEATURES = {"cliff", "island", "river", "lake", "counter"}
#: prepositions after which a place word is where the scene is (not a thing beside another)
LOCATIVE = {"in", "on", "at", "", "to", "of", "crossing", "above"}
TIMES = {
    "night": "night", "tonight": "night", "midnight": "night", "nighttime": "night",
    "evening": "sunset", "dusk": "sunset", "sunset": "sunset", "sunrise": "sunset", "dawn": "sunset",
    "twilight": "sunset", "day": "day", "daytime": "day", "morning": "day", "noon": "day", "afternoon": "day",
    "midday": "day",
}
WEATHER = {
    "rain": "rain", "raining": "rain", "rainy": "rain", "rains": "rain", "drizzle": "rain", "shower": "rain",
    "storm": "storm", "stormy": "storm", "thunderstorm": "storm", "thunder": "storm", "hurricane": "storm",
    "fog": "fog", "foggy": "fog", "mist": "fog", "misty": "fog", "haze": "fog",
    "wind": "wind", "windy": "wind", "breeze": "wind", "breezy": "wind", "gale": "wind",
    "snowing": "snow", "snowy": "snow", "snowfall": "snow", "blizzard": "snow", "snowstorm": "snow",
}
#: words that are never things in a picture
STOPWORDS = set("""
the this that these those there here it its they them their he she him her his we us our you your i me my
mine yours hers ours theirs is are was were be been being am has have had do does did will would can could
should shall may might must and or but so then also too very really just quite rather all each every which
who whom whose what where when while as if than because though although until unless yet still even
see seen show shows showing draw drawn drawing picture image photo scene view get got make let please okay ok
um uh er hmm maybe perhaps probably kind sort bit nice beautiful pretty lovely cute happy sad new other same
whole up down out off away around together far high low not no nor yes ask say tell think know want need like
love hope wish guess mean feel seem try give put take bring keep find leave call something anything everything
nothing someone anyone everyone nobody thing things stuff lot lots one ones way time times today yesterday
tomorrow now soon again always never ever once twice fellow own more most less least much many few some any
such only first last next another great good bad big small little large huge tiny back fast slow suddenly
happily sadly quickly slowly better best worse worst came told found said saw got took gave knew thought
felt heard began brought bought kept lost paid wrote became named called
""".split()) - {"big", "small", "little", "large", "huge", "tiny", "some", "many", "few", "another", "one"}
#: words speech uses that are not things: they go to the illustration, never to a placeholder
ABSTRACT = set("""
country nation world people freedom liberty peace war love hate money economy job jobs work life death
dream dreams hope future past history year years decade century week month idea ideas thought truth
justice law government president leader citizens citizen americans american society community family
families content character promise time day days moment goal challenge problem question answer reason
meeting speech talk story lesson morning evening everyone everybody thanks welcome greeting education
health science business energy power price tax taxes vote election democracy right rights freedom pride
sorry name matter effort spirit heart mind soul faith land adventure friend friends fun minute minutes
hour hours second seconds while way kind lot bit thing things place time times end start beginning
""".split())
#: abstract or symbolic words that have a picture in the illustration
#: (word → what to draw, why): emblems, characters and conventional icons (WordsEye's list)
SYMBOLS = {
    "americans": (["flag:us", "people"], "a nationality: its flag and its people"),
    "american": (["flag:us"], "a nationality: its flag"), "america": (["flag:us"], "a country: its flag"),
    "country": (["map"], "a country: a map"), "nation": (["flag", "map"], "a nation: a flag and a map"),
    "land": (["map"], "a land: a map"), "homeland": (["map"], "a homeland: a map"),
    "world": (["earth"], "the world: the globe"), "people": (["people"], "people: a group of people"),
    "everyone": (["people"], "everyone: a group of people"), "everybody": (["people"], "everybody: a group of people"),
    "citizens": (["people"], "citizens: people"), "crowd": (["people"], "a crowd: people"),
    "family": (["family"], "a family"), "families": (["family"], "families: a family"),
    "children": (["child", "child"], "children"), "money": (["coin", "money bag"], "money: coins and a money bag"),
    "economy": (["money bag", "chart"], "the economy: money and a rising chart"),
    "tax": (["coin"], "taxes: coins"), "taxes": (["coin"], "taxes: coins"), "dollar": (["coin"], "money"),
    "freedom": (["dove"], "freedom: a flying dove"), "liberty": (["dove"], "liberty: a dove"),
    "peace": (["dove"], "peace: a dove"), "love": (["heart"], "love: a heart"),
    "thanks": (["heart", "people"], "thanks: a heart and people"), "thank": (["heart", "people"], "thanks: a heart"),
    "welcome": (["people"], "welcome: people waving"), "hello": (["people"], "a greeting: people waving"),
    "meeting": (["people", "table"], "a meeting: people at a table"), "dream": (["cloud", "star"], "a dream"),
    "dreams": (["cloud", "star"], "dreams"), "future": (["rocket"], "the future: a rocket"),
    "time": (["clock"], "time: a clock"), "decade": (["calendar"], "a decade: a calendar"),
    "year": (["calendar"], "a year: a calendar"), "years": (["calendar"], "years: a calendar"),
    "work": (["briefcase"], "work: a briefcase"), "job": (["briefcase"], "a job: a briefcase"),
    "jobs": (["briefcase"], "jobs: a briefcase"), "science": (["microscope"], "science: a microscope"),
    "health": (["stethoscope"], "health: a stethoscope"), "school": (["school"], "school"),
    "education": (["books"], "education: books"), "vote": (["ballot box"], "voting: a ballot box"),
    "election": (["ballot box"], "an election: a ballot box"), "law": (["scales"], "the law: scales"),
    "justice": (["scales"], "justice: scales"), "government": (["classical building"], "the government"),
    "president": (["classical building", "flag"], "a president"), "idea": (["light bulb"], "an idea: a bulb"),
    "ideas": (["light bulb"], "ideas: a bulb"), "war": (["sword"], "war: a sword"),
    "music": (["musical notes"], "music: notes"), "story": (["book"], "a story: a book"),
    "friend": (["people"], "friends: people"), "friends": (["people"], "friends: people"),
    "energy": (["lightning"], "energy: a lightning bolt"), "home": (["house"], "home: a house"),
    "character": (["people"], "character: people"), "content": (["heart"], "content: a heart"),
    "hope": (["rainbow"], "hope: a rainbow"), "morning": (["sun"], "the morning: the sun"),
    "moon": (["moon"], "the moon"), "sun": (["sun"], "the sun"), "earth": (["earth"], "the earth"),
}
#: speech, not a description: words that make a sentence a talk rather than a scene
SPEECH_WORDS = {"i", "we", "you", "my", "our", "your", "us", "me", "ask", "choose", "thank", "thanks", "welcome",
                "hello", "hi", "dream", "believe", "hope", "will", "shall", "must", "should", "promise",
                "let", "good", "fellow", "ladies", "gentlemen", "everyone", "everybody"}
#: the most things one picture shows; what else was said is listed as left out
MAX_OBJECTS = 6
MAX_TOTAL_INSTANCES = 20

_DETERMINERS = {"a", "an", "the", "some", "my", "your", "his", "her", "their", "our", "its", "this", "that",
                "these", "those", "another", "one", "two", "three", "four", "five", "six", "seven", "eight",
                "nine", "ten", "many", "few", "several", "lots", "both", "each", "every", "no"}
_NUMBER_RE = re.compile(r"^\d+$")
_PRONOUNS = {"it", "them", "him", "her", "this", "that"}


def lemma(word: str) -> str | None:
    """The verb a word is a form of ("riding" → ride, "flies" → fly), or None."""
    if word in _IRREGULAR_VERBS:
        return _IRREGULAR_VERBS[word]
    if word in VERBS:
        return word
    for suffix, fixes in (("ing", ("", "e")), ("ed", ("", "e")), ("es", ("",)), ("s", ("",))):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "ls":  # running → run
                candidates = [stem[:-1], stem]
            else:
                candidates = [stem + f for f in fixes]
            if suffix in ("ed", "es") and stem.endswith("i"):  # carried → carry
                candidates.append(stem[:-1] + "y")
            for c in candidates:
                if c in VERBS:
                    return c
    return None


# ---------------------------------------------------------------- the parser


class _Sentence:
    """Parsing state of one sentence: the clause's subjects and what is pending."""

    def __init__(self, scene: Scene, known: set[str]):
        self.scene = scene
        self.known = known
        self.subjects: list[int] = []
        self.pending: tuple[str, str] | None = None   # (relation, as said)
        self.verb: tuple[str, str, str | None] | None = None   # (lemma, relation, as said)
        self.clause_related = False
        self.carrier: list[int] | None = None          # after "riding X": X carries the clause's relations
        self.last_relation: Relation | None = None


def parse_scene(text: str, known_phrases: set[str] | None = None) -> Scene:
    """Parse what was said (English) into a ``Scene``.

    ``known_phrases`` are nouns the caller can draw (multi-word ones stay one object); the
    lexicon's are always known. Repeated sentences are read once (a long transcript often
    says the same thing twice)."""
    known = set(known_phrases or ()) | lexicon.phrases() | set(PEOPLE) | set(PLACES)
    scene = Scene(words=tokenize(text))
    seen: set[str] = set()
    for sentence in re.split(r"(?<=[.!?;])\s+|\n+", text.strip()):
        key = " ".join(tokenize(sentence))
        if not key or key in seen:
            continue
        seen.add(key)
        scene.sentences += 1
        _parse_sentence(tokenize(sentence), scene, known)
    _merge_repeats(scene)
    _settle(scene)
    return scene


def _parse_sentence(tokens: list[str], scene: Scene, known: set[str]) -> None:
    state = _Sentence(scene, known)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in ",.;!?:":
            if tok != ",":
                state.subjects, state.clause_related, state.carrier = [], False, None
            state.verb = None
            i += 1
            continue
        if tok in WEATHER:
            scene.add_weather(WEATHER[tok])
            i += 1
            continue
        if tok == "and":
            if state.clause_related or state.verb:
                state.subjects, state.clause_related, state.carrier, state.verb = [], False, None, None
            i += 1
            continue
        verb = lemma(tok) if state.subjects and not _is_noun_here(tokens, i, known) else None
        if verb is not None:
            i = _read_verb(state, tokens, i, verb)
            continue
        if _verb_like(tok, known):
            i += 1
            continue
        prep = _match(tokens, i, PREPOSITIONS)
        if prep:
            relation, length = prep
            state.pending = (relation, " ".join(tokens[i:i + length]))
            state.verb = None   # "flying in space next to a planet": no direct object after all
            i += length
            continue
        if tok in _PRONOUNS and state.pending and i + 1 <= len(tokens):
            _attach(state, _pronoun(state))
            i += 1
            continue
        if (tok in STOPWORDS and tok not in _DETERMINERS and not _NUMBER_RE.match(tok)) or "'" in tok:
            i += 1   # (contractions — i'll, can't, don't — are never things)
            continue
        start = i
        words, count, i = _noun_phrase(tokens, i, known)
        if not words:
            i = max(i, start + 1)
            continue
        index = _add(state, words, count)
        if index is not None:
            _attach(state, index)


def _is_noun_here(tokens: list[str], i: int, known: set[str]) -> bool:
    """A verb form used as a noun: right after a determiner ("a building") or the head of a
    known phrase ("fishing rod")."""
    if i > 0 and tokens[i - 1] in _DETERMINERS | set(COLOURS) | set(SIZES):
        return True
    two = " ".join(tokens[i:i + 2])
    return two in known and len(tokens) > i + 1


def _read_verb(state: _Sentence, tokens: list[str], i: int, verb: str) -> int:
    relation, pose, region = VERBS[verb]
    said = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if relation == "above" and (nxt in _DETERMINERS or nxt in NUMBERS):
        region = None   # "flying a kite": the kite flies, the children stand
    for s in state.subjects:
        obj = state.scene.objects[s]
        if pose and obj.person is not None:
            obj.pose = pose
        if region and not obj.region:
            obj.region = region
    if verb in ("fly",) and i + 1 < len(tokens) and tokens[i + 1] in ("over", "above", "across"):
        relation = None  # "flying over a house": the preposition says it
    state.verb = (verb, relation, said) if relation else None
    i += 1
    # a particle that belongs to the verb: "talking to", "looking at", "playing with"
    if state.verb and i < len(tokens) and tokens[i] in ("to", "at", "with", "after", "on") and verb in (
            "talk", "look", "play", "stare", "wave", "bark", "sing", "dance", "wait", "smile", "laugh", "watch", "feed"):
        i += 1
    if state.verb:
        state.pending = None
    return i


def _match(tokens: list[str], i: int, table: dict[str, str]) -> tuple[str, int] | None:
    for n in (4, 3, 2, 1):
        if i + n <= len(tokens):
            phrase = " ".join(tokens[i:i + n])
            if phrase in table:
                return table[phrase], n
    return None


def _noun_phrase(tokens: list[str], i: int, known: set[str]) -> tuple[list[str], int | None, int]:
    """Determiners and numbers, adjectives, then the noun(s); stops at a preposition, a verb
    after the head, punctuation or "and"."""
    count: int | None = None
    words: list[str] = []
    while i < len(tokens):
        t = tokens[i]
        if t in ",.;!?:" or t == "and":
            break
        if t == "of" and words and (words[-1] in NUMBERS or words[-1] in PARTITIVES):
            if words[-1] in NUMBERS and count in (None, 1):
                count = NUMBERS[words[-1]]
            words.pop()  # "a couple of birds", "a piece of cheese", "a herd of cows"
            i += 1
            continue
        if t == "of" and words:
            break
        if _match(tokens, i, PREPOSITIONS) and words and " ".join(words + [t]) not in known:
            break
        if t in NUMBERS and not words:
            count = 1 if t in ("a", "an", "another", "one", "single") else NUMBERS[t]
            i += 1
            continue
        if _NUMBER_RE.match(t) and not words:
            count = int(t)
            i += 1
            continue
        if t in _DETERMINERS and not words:
            i += 1
            continue
        if words and _verb_here(tokens, i, known) and not _continues_known(words, t, known) and not all(
                w in COLOURS or w in SIZES or w in AGE_WORDS for w in words):
            break  # "children building …": the verb ends the noun phrase (not "a big building")
        if t in STOPWORDS and t not in SIZES and t not in AGE_WORDS and t not in COLOURS:
            if words:
                break
            i += 1
            continue
        if t in WEATHER and words:
            break
        words.append(t)
        i += 1
        if words and words[-1] in known and not (i < len(tokens) and _continues_known(words, tokens[i], known)):
            # the head is known and the next word does not extend it: the phrase ends here
            if not (i < len(tokens) and (tokens[i] not in STOPWORDS and not lemma(tokens[i])
                                         and not _match(tokens, i, PREPOSITIONS) and tokens[i] not in ",.;!?:and"
                                         and tokens[i] not in WEATHER and tokens[i] not in TIMES)):
                break
    if words and words[0] in NUMBERS and count in (None, 1):
        count = NUMBERS[words[0]]
        words = words[1:]
    return words, count, i


def _verb_here(tokens: list[str], i: int, known: set[str]) -> bool:
    """Is tokens[i] a verb here? A verb form not known as a noun; or one known as a noun
    ("building", "cooking") followed by what follows verbs (a determiner, a preposition, the end)."""
    t = tokens[i]
    if not lemma(t) and not _verb_like(t, known):
        return False
    if t not in known:
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    return nxt == "" or nxt in ",.;!?:" or nxt in _DETERMINERS or nxt in NUMBERS or bool(_match(tokens, i + 1,
                                                                                               PREPOSITIONS))


def _verb_like(t: str, known: set[str]) -> bool:
    """An -ing or -ed word nobody said as a thing ("earned", "lived"): a verb we do not act on."""
    return t not in known and ((t.endswith("ing") and len(t) > 5) or (t.endswith("ed") and len(t) > 4))


def _continues_known(words: list[str], nxt: str, known: set[str]) -> bool:
    for n in (1, 2):
        if len(words) >= n and " ".join(words[-n:] + [nxt]) in known:
            return True
        if len(words) >= n and " ".join(words[-n:] + [singular(nxt)]) in known:
            return True
    return False


def _head(words: list[str], known: set[str]) -> tuple[list[str], list[str]]:
    """(modifiers, head words): the longest known phrase at the end, else the last word."""
    for n in (3, 2):
        if len(words) >= n and words[-n] not in COLOURS and words[-n] not in SIZES:
            phrase = words[-n:]
            if " ".join(phrase) in known or " ".join(phrase[:-1] + [singular(phrase[-1])]) in known:
                return words[:-n], phrase
    return words[:-1], words[-1:]


def _add(state: _Sentence, words: list[str], count: int | None) -> int | None:
    """A noun phrase → an object (or the setting, time, weather); its index, or None."""
    scene = state.scene
    modifiers, head = _head(words, state.known)
    said = " ".join(head)
    last = head[-1]
    noun = " ".join(head[:-1] + [PERSON_PLURALS.get(last, singular(last))])
    relation = state.pending[0] if state.pending else None
    for w in modifiers:  # "a foggy morning", "a windy day"
        if w in WEATHER:
            scene.add_weather(WEATHER[w])
    modifiers = [w for w in modifiers if w not in WEATHER]
    if relation == "of" and scene.objects and (noun in CONTENTS or said in CONTENTS):
        state.pending = None
        return None   # "a cup of coffee": the cup
    # time, weather, places
    if said in TIMES or noun in TIMES:
        scene.time = TIMES.get(said) or TIMES[noun]
        state.pending = None
        return None
    if said in WEATHER or noun in WEATHER or noun in ("rain", "storm", "fog", "wind"):
        scene.add_weather(WEATHER.get(said) or WEATHER.get(noun) or noun)
        state.pending = None
        return None
    if noun == "snow" and relation in ("in", "on", "at", None):
        scene.set_place("snow")
        if said == "snow" and relation == "in":
            scene.add_weather("snow")
        state.pending = None
        return None
    if said in ("sky", "air") or noun in ("sky", "air"):
        for s in state.subjects:
            scene.objects[s].region = "sky"
        state.pending = None
        return None
    if noun in ("ground", "floor", "grass") and relation in ("on", "in", None):
        state.pending = None
        return None
    place = PLACES.get(said) or PLACES.get(noun)
    if place and _is_place_here(noun, said, relation, state, count, modifiers):
        scene.set_place(place)
        if place in ("sea", "lake", "river") and relation in ("on", "in") and state.subjects:
            for s in state.carrier or state.subjects:
                obj = scene.objects[s]
                if lexicon.lookup(obj.noun) is None or lexicon.lookup(obj.noun).rests != "sky":
                    obj.region = obj.region or "water"
        if noun not in FEATURES and said not in FEATURES:
            state.pending = None
            return None
        # a feature the stage draws: also a thing, so "a house on an island" can be checked
        noun = "lake" if noun in ("pond", "pool", "lake") else ("river" if noun in ("stream", "creek") else
                                                                 ("cliff" if noun == "cliff" else noun))
        for k, obj in enumerate(scene.objects):
            if obj.noun == noun and obj.feature:
                return k
        scene.objects.append(SceneObject(said, noun, 1, feature=True, mentions=1))
        return len(scene.objects) - 1
    # an ordinary thing
    colour = size = None
    age = None
    rest: list[str] = []
    for w in modifiers:
        if w in COLOURS and COLOURS[w] is not None:
            colour = w
        elif w in AGE_WORDS and (noun in PEOPLE or last in PERSON_PLURALS):
            age = AGE_WORDS[w]
        elif w in SIZES:
            size = w
        elif w in NUMBERS and count is None:
            count = NUMBERS[w]
        elif _NUMBER_RE.match(w) and count is None:
            count = int(w)
        elif w not in NUMBERS:
            rest.append(w)
    person = None
    if noun in PEOPLE or said in PEOPLE:
        base_age, gender, role = PEOPLE.get(said) or PEOPLE[noun]
        if age == "child" and base_age == "adult" and noun in ("man", "woman", "person"):
            age = "child"  # "little man" is still a small one
        if age == "adult" and base_age in ("child",):
            age = None
        person = Person(age or base_age, gender, role)
        if noun in ("people", "kid", "folks"):
            noun = {"kid": "kid", "people": "person"}.get(noun, noun)
    plural = is_plural(last) or last in PERSON_PLURALS
    said_count = count if count is not None else (2 if plural and last not in ("fish", "sheep", "deer") else 1)
    obj = SceneObject(" ".join(head), noun, min(said_count, MAX_INSTANCES), colour, size, rest, person=person,
                      said_count=said_count, mentions=1)
    if noun in ABSTRACT or said in ABSTRACT:
        obj.abstract = True
    scene.objects.append(obj)
    return len(scene.objects) - 1


def _is_place_here(noun: str, said: str, relation: str | None, state: _Sentence, count, modifiers) -> bool:
    """Is this place word where the scene is (rather than a thing in it)?"""
    if (count or 1) > 1 or any(m in COLOURS for m in modifiers):
        return False
    if noun == "moon":  # "on the moon" is where we stand; "next to the moon" is a thing in the sky
        return relation == "on"
    if noun in ("shop", "store", "bakery", "market"):
        return relation in ("in", "at") and bool(state.subjects)
    if noun == "school":
        return relation in ("in", "at")
    if noun == "hospital":
        return relation in ("in", "at") or not state.subjects and relation is None and False
    if noun in FEATURES or said in FEATURES or noun in ("pond", "pool", "stream", "creek"):
        return True
    if noun in PURE_PLACES or said in PURE_PLACES:
        return relation in LOCATIVE or relation is None or relation == "beside"
    return relation in LOCATIVE


def _pronoun(state: _Sentence) -> int | None:
    """"it", "them": the most recent thing other than the clause's newest one."""
    objects = state.scene.objects
    if not objects:
        return None
    candidates = [k for k in range(len(objects) - 1, -1, -1) if not objects[k].feature]
    if len(candidates) >= 2:
        return candidates[1] if candidates[0] not in state.subjects[:1] else candidates[1]
    return candidates[0] if candidates else None


def _attach(state: _Sentence, index: int | None) -> None:
    """Relate a new thing to the clause: as a verb's object, a preposition's object, or a subject."""
    if index is None:
        return
    scene = state.scene
    if state.verb is not None:
        verb, relation, said = state.verb
        state.verb = None
        for s in state.subjects:
            if s == index:
                continue
            if relation == "pulled":
                _relate(state, index, "following", s, said)
            elif relation == "above":   # "flying a kite": the kite is up in the air
                _relate(state, index, "above", s, said)
                scene.objects[index].region = "sky"
            elif relation == "holding" and not _holdable(scene.objects[index]):
                _relate(state, s, "beside", index, said)
            else:
                _relate(state, s, relation, index, said)
                if relation == "riding":
                    state.carrier = [index]
        state.pending = None
        return
    if state.pending is not None:
        relation, said = state.pending
        state.pending = None
        if relation == "of":   # "a basket of apples": the apples are in it
            if state.subjects and lexicon.lookup(scene.objects[state.subjects[-1]].noun) is not None and \
                    lexicon.lookup(scene.objects[state.subjects[-1]].noun).category == "container":
                _relate(state, index, "in", state.subjects[-1], "of")
            return
        if relation in ("", "to"):
            return
        if scene.objects[index].feature and relation not in ("on", "in"):
            return   # "a bridge over a river": the stage draws the river under it
        if not state.subjects:   # "on the table there is a cup": the subject comes later
            scene.fronted.append((relation, index, said))
            state.subjects = []
            return
        subjects = state.carrier or state.subjects
        last = state.last_relation
        if relation == "with":
            for s in subjects:
                if scene.objects[s].person is not None and _holdable(scene.objects[index]):
                    _relate(state, s, "holding", index, said)
                else:
                    _relate(state, index, "beside", s, said)
            return
        if relation == "at":
            relation = "beside"
        if last is not None and last.relation in ("in", "on") and relation in ("in", "on", "under") \
                and state.clause_related and last.object != index and not scene.objects[last.object].feature:
            _relate(state, last.object, relation, index, said)   # "a fish in a bowl on a table"
            return
        for s in subjects:
            if s != index:
                _relate(state, s, relation, index, said)
        return
    state.subjects.append(index)
    for relation, anchor, said in scene.fronted:   # "under the tree sits a dog"
        _relate(state, index, relation, anchor, said)
    scene.fronted.clear()


#: where a person goes in or on, and how they are there when nothing else was said
SITTING_IN = {"boat", "vehicle", "furniture"}
SITTING_ON = {"bench", "chair", "sofa", "stool", "bed", "swing", "sled", "rock", "log", "fence", "horse",
              "bicycle", "motorcycle", "camel", "elephant", "hospital bed"}


def _relate(state: _Sentence, subject: int, relation: str, anchor: int, said: str) -> None:
    if relation not in RELATIONS or subject == anchor:
        return
    who, where = state.scene.objects[subject], state.scene.objects[anchor]
    sky = lexicon.lookup(where.noun)
    if relation in ("under", "below") and sky is not None and sky.category == "sky":
        return   # "under the sun", "under the stars": outdoors, with the sun in the sky
    if where.noun == "bowl" and relation == "in" and lexicon.lookup(who.noun) is not None and \
            lexicon.lookup(who.noun).category == "water animal":
        where.picture_as = "fishbowl"   # a fish in a bowl: a glass bowl of water
    if who.person is not None and who.pose is None:
        entry = lexicon.lookup(where.noun)
        if relation == "in" and entry is not None and entry.category in SITTING_IN:
            who.pose = "lie" if where.noun in ("bed", "hospital bed", "crib") else "sit"
        elif relation == "on" and where.noun in SITTING_ON:
            who.pose = "ride" if where.noun in ("horse", "bicycle", "motorcycle", "camel", "elephant") else "sit"
    rel = Relation(subject, relation, anchor, said)
    state.scene.relations.append(rel)
    state.last_relation = rel
    state.clause_related = True


def _holdable(obj: SceneObject) -> bool:
    entry = lexicon.lookup(obj.noun)
    if obj.person is not None:
        return obj.person.age == "baby"
    return entry is None or entry.holdable or entry.rests == "held"


# ---------------------------------------------------------------- after the words


def _merge_repeats(scene: Scene) -> None:
    """The same thing said again is one thing mentioned twice (counts: the largest said)."""
    merged: dict[tuple, int] = {}
    remap: dict[int, int] = {}
    kept: list[SceneObject] = []
    for k, obj in enumerate(scene.objects):
        key = (obj.noun, obj.colour, obj.person.role if obj.person else None,
               obj.person.age if obj.person else None)
        if key in merged:
            target = kept[merged[key]]
            target.mentions += 1
            target.count = max(target.count, obj.count)
            target.said_count = max(target.said_count, obj.said_count)
            target.pose = target.pose or obj.pose
            target.region = target.region or obj.region
            remap[k] = merged[key]
        else:
            merged[key] = len(kept)
            remap[k] = len(kept)
            kept.append(obj)
    scene.objects = kept
    seen = set()
    relations = []
    for r in scene.relations:
        r = Relation(remap[r.subject], r.relation, remap[r.object], r.said)
        if r.subject != r.object and (r.subject, r.relation, r.object) not in seen:
            seen.add((r.subject, r.relation, r.object))
            relations.append(r)
    scene.relations = relations


def _settle(scene: Scene) -> None:
    """Salience, the illustration mode for speech, and what a picture leaves out."""
    related = {r.subject for r in scene.relations} | {r.object for r in scene.relations}
    for k, obj in enumerate(scene.objects):
        obj.salience = (2.0 if k in related else 1.0) + 0.5 * (obj.mentions - 1) + (0.5 if k < 3 else 0.0)
        if obj.abstract:
            obj.salience = 0.0
    concrete = [o for o in scene.objects if not o.abstract]
    words = scene.words
    speechy = sum(w in SPEECH_WORDS for w in words)
    spatial = any(r.relation in RELATIONS for r in scene.relations
                  if not scene.objects[r.subject].abstract and not scene.objects[r.object].abstract)
    landscape = not concrete and speechy == 0 and (scene.place != "outdoors" or scene.time != "day" or scene.weather)
    if landscape:   # "sunset over the sea", "a foggy forest": the place itself is the picture
        _left_out(scene)
        return
    if not concrete or (speechy >= 2 and not spatial and len(words) >= 8) or (
            len(words) >= 12 and len(concrete) <= 1 and not spatial):
        scene.mode = "illustration"
        return
    _left_out(scene)


def _left_out(scene: Scene) -> None:
    order = sorted(range(len(scene.objects)), key=lambda k: (-scene.objects[k].salience, k))
    keep: list[int] = []
    total = 0
    for k in order:
        obj = scene.objects[k]
        if obj.abstract:
            scene.left_out.append({"word": obj.word, "why": obj.why or "not something a picture shows"})
            continue
        if obj.feature:   # the setting's own things (a lake, an island) do not count
            keep.append(k)
            continue
        if len(keep) - sum(scene.objects[j].feature for j in keep) >= MAX_OBJECTS \
                or total + obj.count > MAX_TOTAL_INSTANCES:
            scene.left_out.append({"word": obj.word, "why": f"a picture shows at most {MAX_OBJECTS} things; "
                                                           "this one was said less"})
            continue
        keep.append(k)
        total += obj.count
    if len(keep) == len(scene.objects):
        return
    keep.sort()
    remap = {old: new for new, old in enumerate(keep)}
    scene.objects = [scene.objects[k] for k in keep]
    scene.relations = [Relation(remap[r.subject], r.relation, remap[r.object], r.said) for r in scene.relations
                       if r.subject in remap and r.object in remap]
