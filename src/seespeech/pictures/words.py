"""The words the scene readers know (graph.py reads spaCy's parse with them, parse.py is the
fallback): people and their ages and roles, verbs and the relations and poses they mean,
prepositions, places (one table with the stage's), times, weather, words that are never things,
symbols, and a lemma for a word the tables know."""

from __future__ import annotations

import re

from seespeech.pictures.stages.places import PLACE_WORDS


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
#: a place word → the place it means (one table with the stage's: stages/places.py)
PLACES = PLACE_WORDS
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
