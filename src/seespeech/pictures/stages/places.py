"""The places, times and weathers a stage knows, their spoken aliases, and ``Stage``: what a drawn
stage tells the layout (horizon, depth planes, named surfaces and features)."""

from __future__ import annotations

from dataclasses import dataclass
from PIL import Image

from seespeech.pictures.canvas import Box


PLACES: tuple[str, ...] = (
    "outdoors", "park", "garden", "farm", "beach", "lake", "river", "sea", "island", "mountains",
    "cliff", "forest", "desert", "snow", "city", "space", "moon", "shop",
    "room", "kitchen", "living room", "bedroom", "hospital", "classroom",
)
INDOOR = frozenset({"room", "kitchen", "living room", "bedroom", "hospital", "classroom"})
#: every word that names a place when said, and the place it means: the one table the parser
#: (graph.py, parse.py) and the stage read (a meadow is the open land of "outdoors", not a park)
PLACE_WORDS = {
    **{p: p for p in PLACES},
    "meadow": "outdoors", "field": "outdoors", "outside": "outdoors", "countryside": "outdoors",
    "grass": "outdoors", "hill": "outdoors", "lawn": "garden", "playground": "park", "yard": "garden",
    "backyard": "garden", "farmyard": "farm", "ranch": "farm",
    "ocean": "sea", "waves": "sea", "seaside": "beach", "shore": "beach", "coast": "beach", "sand": "beach",
    "water": "lake", "pond": "lake", "pool": "lake", "stream": "river", "creek": "river", "cliffs": "cliff",
    "woods": "forest", "wood": "forest", "jungle": "forest", "hills": "mountains",
    "alps": "mountains", "dunes": "desert", "sahara": "desert",
    "ice": "snow", "arctic": "snow", "north pole": "snow", "winter": "snow",
    "street": "city", "town": "city", "road": "city", "downtown": "city", "village": "city",
    "universe": "space", "galaxy": "space", "outer space": "space", "orbit": "space", "lunar surface": "moon",
    "store": "shop", "bakery": "shop", "market": "shop",
    "indoors": "room", "house inside": "room", "office": "room", "hall": "room",
    "lounge": "living room", "nursery": "bedroom", "school": "classroom", "class": "classroom",
    "ward": "hospital", "clinic": "hospital",
}
#: what ``normalise_place`` also takes: spellings, and words that mean a place only when asked for
#: as one (said, a house or a restaurant is a thing in the picture)
ALIASES = {
    **{w: p for w, p in PLACE_WORDS.items() if w != p},
    "living_room": "living room", "livingroom": "living room", "house": "room", "home": "room",
    "restaurant": "kitchen", "mountain": "mountains",
}
TIMES = {"day": "day", "noon": "day", "morning": "day", "afternoon": "day", "night": "night",
         "midnight": "night", "sunset": "sunset", "sunrise": "sunset", "dusk": "sunset",
         "dawn": "sunset", "evening": "sunset", "twilight": "sunset"}
WEATHERS = ("rain", "snow", "storm", "fog", "wind")
PLANE_SCALES = (1.0, 0.7, 0.49)


def normalise_time(time: str | None) -> str:
    """day | night | sunset for any of the accepted words (unknown words: day)."""
    return TIMES.get((time or "day").strip().lower(), "day")


_WEATHER_WORDS = {"rainy": "rain", "raining": "rain", "drizzle": "rain", "shower": "rain", "snowy": "snow",
                  "snowing": "snow", "snowfall": "snow", "blizzard": "snow", "thunderstorm": "storm",
                  "thunder": "storm", "lightning": "storm", "stormy": "storm", "foggy": "fog", "mist": "fog",
                  "misty": "fog", "haze": "fog", "windy": "wind", "breeze": "wind", "gale": "wind"}


def normalise_weather(weather) -> tuple[str, ...]:
    """The known kinds in ``weather`` (a word or words), in a fixed order; a blizzard is snow and
    wind, a thunderstorm a storm; unknown words are dropped."""
    words = [weather] if isinstance(weather, str) else list(weather or ())
    kinds = set()
    for word in words:
        word = str(word).strip().lower()
        kinds.add(_WEATHER_WORDS.get(word, word))
        if word == "blizzard":
            kinds.add("wind")
    return tuple(w for w in WEATHERS if w in kinds)


def normalise_place(place: str | None) -> str:
    """One of ``PLACES`` (aliases resolved; unknown places: "outdoors")."""
    key = (place or "outdoors").strip().lower().replace("-", " ")
    key = ALIASES.get(key, key)
    return key if key in PLACES else "outdoors"


@dataclass
class Stage:
    image: Image.Image                 # RGB, width x height: the background, drawn
    place: str
    time: str                          # normalised: day | night | sunset
    weather: tuple[str, ...]
    indoor: bool
    horizon: int                       # y of the horizon (outdoors) or of the wall/floor line (indoors)
    planes: tuple[int, int, int]       # baseline y of depth planes 0, 1, 2 (0 nearest, lowest on screen)
    surfaces: dict[str, Box]           # named boxes objects relate to
    features: dict[str, Box]           # setting things drawn here that the plan may list as objects
    sky: Box | None                    # the open sky box (indoors: the window glass, or None)
