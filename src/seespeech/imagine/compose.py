"""The ``compose`` engine: a scene drawn from clip-art, offline, without model weights.

Steps, one small function each: parse the prompt into a ``Scene``; find an asset for
every noun; choose a background from the setting; size every object; lay objects out
so the spoken relations hold (a bird *on* a branch sits on its top edge, two cats
*under* a table stand between its legs); draw back to front; write the plan.

The layout is deterministic for a seed; other seeds shuffle the order of groups, the
gaps, small jitters and which way animals and vehicles face.
"""

from __future__ import annotations

import json
import math
import random
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..files import keep_metadata
from . import Generation, ImageProgressFn, ImagineOptions
from .assets import Match, base_image, load_catalogue, render_asset
from .scene import COLOURS, MAX_INSTANCES, Scene, SceneObject, parse_scene

DEFAULT_SIDE = 512

#: typical size of a thing: its longer side as a fraction of the picture height
SIZE_OF = {
    "house": .40, "home": .40, "cottage": .40, "castle": .48, "building": .52, "school": .45,
    "hospital": .48, "church": .46, "lighthouse": .52, "tent": .28, "hut": .32,
    "tree": .42, "oak": .42, "pine": .44, "palm": .46, "christmas tree": .40, "mountain": .42,
    "volcano": .42, "snowman": .30, "person": .30, "man": .30, "woman": .30, "boy": .24,
    "girl": .24, "child": .22, "kid": .22, "baby": .14, "car": .22, "bus": .30, "truck": .28,
    "tractor": .24, "bicycle": .18, "bike": .18, "motorcycle": .20, "train": .36, "boat": .24,
    "sailboat": .24, "ship": .34, "canoe": .20, "plane": .20, "airplane": .20,
    "helicopter": .20, "rocket": .24, "sun": .16, "moon": .14, "star": .06, "cloud": .20,
    "rainbow": .40, "horse": .26, "cow": .26, "elephant": .32, "giraffe": .40, "camel": .30,
    "dog": .15, "cat": .13, "bird": .09, "duck": .10, "chicken": .10, "owl": .10,
    "penguin": .12, "rabbit": .10, "mouse": .06, "fish": .09, "whale": .32, "dolphin": .18,
    "shark": .22, "turtle": .10, "frog": .07, "butterfly": .07, "bee": .05, "snail": .06,
    "table": .26, "chair": .18, "bed": .28, "couch": .30, "sofa": .30, "lamp": .12,
    "cup": .07, "mug": .07, "book": .08, "apple": .06, "ball": .07, "flower": .09,
    "mushroom": .07, "balloon": .11, "kite": .13, "umbrella": .18, "dinosaur": .34,
    "dragon": .34, "unicorn": .22, "lion": .20, "tiger": .24, "bear": .22, "monkey": .15,
    "pig": .16, "sheep": .16, "goat": .16, "fox": .14, "wolf": .16, "deer": .22,
    "zebra": .24, "rock": .10, "fire": .12, "box": .10, "gift": .09, "cake": .10,
    "guitar": .16, "piano": .24, "tv": .16, "television": .16, "computer": .12,
    "robot": .18, "ufo": .18, "planet": .18, "earth": .18, "branch": .36, "fence": .40,
    "bush": .22, "shrub": .22, "hedge": .40, "barn": .40, "farmer": .30, "igloo": .26, "bowl": .12,
    "desk": .26, "cheese": .10, "sunflower": .14, "iceberg": .30, "bowl": .12,
}
DEFAULT_SIZE = .16

SKY_NOUNS = {"sun", "moon", "star", "cloud", "rainbow", "plane", "airplane", "aeroplane", "jet",
             "helicopter", "kite", "balloon", "hot air balloon", "ufo", "flying saucer",
             "planet", "comet", "lightning", "earth"}
WATER_NOUNS = {"boat", "sailboat", "yacht", "ship", "canoe", "kayak", "whale", "dolphin", "shark",
               "octopus", "liner", "ocean liner"}
#: things drawn facing either way; text, buildings and faces would look wrong mirrored
FLIPPABLE = {"dog", "cat", "bird", "duck", "horse", "cow", "pig", "sheep", "goat", "rabbit",
             "car", "bus", "truck", "tractor", "bicycle", "boat", "sailboat", "ship", "train",
             "plane", "fish", "whale", "dolphin", "elephant", "giraffe", "camel", "chicken",
             "deer", "mouse", "turtle", "snail", "dinosaur", "dragon", "motorcycle", "canoe"}
#: things drawn here with shapes instead of clip-art (no asset shows them)
DRAWN_PROPS = {"branch", "fence", "bush", "hedge", "shrub"}
PROP_ASPECT = {"branch": 0.28, "fence": 0.32, "bush": 0.62, "hedge": 0.4, "shrub": 0.62}

# Background geometry, as fractions of the height
HORIZON = 0.60
GROUND_LINE = 0.88
WATER_LINE = 0.70
SHORE_LINE = 0.80  # where land starts in a sea picture with standing things

SKY_COLOURS = {
    "day": ((96, 160, 230), (196, 228, 250)),
    "night": ((8, 12, 40), (40, 52, 104)),
    "sunset": ((92, 84, 170), (252, 176, 110)),
}
GROUND_COLOURS = {
    "outdoors": ((118, 190, 92), (84, 150, 64)), "park": ((118, 190, 92), (84, 150, 64)),
    "forest": ((78, 140, 70), (52, 104, 48)), "city": ((150, 150, 156), (110, 110, 118)),
    "snow": ((240, 244, 250), (214, 224, 238)), "desert": ((238, 206, 140), (214, 176, 110)),
    "beach": ((240, 220, 160), (222, 196, 134)), "sea": ((40, 110, 190), (22, 72, 150)),
    "room": ((190, 140, 92), (160, 112, 70)),
}
NIGHT_DIM = 0.55  # ground and props are darker at night


def label_font(size: int) -> ImageFont.FreeTypeFont:
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    return ImageFont.truetype(str(path), size)


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def moved(self, dx: float, dy: float) -> "Box":
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def overlap(self, other: "Box") -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(0.0, w) * max(0.0, h)

    def as_list(self) -> list[int]:
        return [round(self.x0), round(self.y0), round(self.x1), round(self.y1)]


@dataclass
class Item:
    """One object of the scene with its instances' sizes and, after layout, boxes."""

    index: int
    obj: SceneObject
    match: Match
    region: str  # "ground", "sky", "water", "prop"
    sizes: list[tuple[float, float]]  # (w, h) per instance
    flips: list[bool]
    boxes: list[Box] = field(default_factory=list)
    z: float = 0.0
    anchor: int | None = None  # index of the item this one is placed relative to
    relation: str | None = None

    @property
    def drawn(self) -> bool:
        return self.match.asset is not None or self.obj.noun in DRAWN_PROPS

    def group_width(self, gap: float) -> float:
        return sum(w for w, _ in self.sizes) + gap * (len(self.sizes) - 1)

    def group_height(self) -> float:
        return max(h for _, h in self.sizes)


class ComposeEngine:
    """Scene composer from packaged clip-art; see the module docstring."""

    name = "compose"

    def __init__(self) -> None:
        self.catalogue = load_catalogue()
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return "+".join(self.catalogue.sources) or "placeholders"

    def generate(
        self, prompt: str, options: ImagineOptions, progress: ImageProgressFn | None = None
    ) -> Generation:
        width = options.width or DEFAULT_SIDE
        height = options.height or DEFAULT_SIDE
        known = set(self.catalogue.labels())
        scene = parse_scene(prompt, known)
        with self._lock:  # the embedder's vectors load once
            matches = [self._match(o) for o in scene.objects]
        images, plans, credits = [], [], set()
        for i in range(options.count):
            image, plan = compose(prompt, scene, matches, width, height, options.seed + i)
            credits.update(plan["credits"])
            images.append(attach_metadata(image, plan))
            plans.append(plan)
            if progress:
                progress(i + 1, options.count)
        return Generation(images, plans, self.name, self.model, sorted(credits))

    def _match(self, obj: SceneObject) -> Match:
        if obj.noun in DRAWN_PROPS:
            return Match(None, "drawn")
        return self.catalogue.match(obj.noun)


# -- layout -------------------------------------------------------------------------------


def _region(obj: SceneObject, scene: Scene) -> str:
    if obj.noun in DRAWN_PROPS:
        return "prop"
    if obj.region:
        return obj.region
    if obj.noun in SKY_NOUNS or scene.place == "space":
        return "sky"
    if obj.noun in WATER_NOUNS and scene.place in ("sea", "beach"):
        return "water"
    return "ground"


def _instance_size(item_noun: str, match: Match, scale: float, height: int, rng: random.Random) -> tuple[float, float]:
    side = SIZE_OF.get(item_noun, SIZE_OF.get(item_noun.split()[-1], DEFAULT_SIZE)) * scale * height
    side *= rng.uniform(0.92, 1.08)
    if item_noun in PROP_ASPECT:
        return side, side * PROP_ASPECT[item_noun]
    if match.asset is None:
        return side, side * 0.75
    base = base_image(match.asset.path)
    k = side / max(base.size)
    return base.width * k, base.height * k


def _anchor_of(scene: Scene, index: int) -> tuple[int, str] | None:
    """The first relation that places object ``index``: (object it is placed by, relation)."""
    for r in scene.relations:
        if r.subject == index and r.object != index:
            return r.object, r.relation
    return None


LATERAL = {"next to", "beside", "left of", "right of"}


def layout(scene: Scene, items: list[Item], width: int, height: int, rng: random.Random) -> None:
    """Give every instance a box so the relations hold; see the module docstring."""
    # 1. who is placed relative to whom (no cycles: an anchor must not depend on its subject)
    for item in items:
        found = _anchor_of(scene, item.index)
        if found is None:
            continue
        target, relation = found
        chain, seen = target, {item.index}
        while chain is not None and chain not in seen:
            seen.add(chain)
            nxt = items[chain].anchor
            chain = nxt
        if chain is None:
            item.anchor, item.relation = target, relation
    # a thing on the ground is not lifted into the sky by "a girl with a balloon":
    # the sky thing goes beside it instead
    for item in items:
        if item.anchor is not None and item.relation in LATERAL:
            target = items[item.anchor]
            if item.region in ("ground", "water") and target.region == "sky" and target.anchor is None:
                flipped = {"left of": "right of", "right of": "left of"}.get(item.relation, item.relation)
                item.anchor, item.relation = None, None
                target.anchor, target.relation = item.index, flipped
    # a second, lateral relation of an attached object moves its whole group:
    # "a bird on a branch next to a house" puts the branch next to the house
    for r in scene.relations:
        subj = items[r.subject]
        if r.relation in LATERAL and subj.anchor is not None and subj.anchor != r.object:
            root = subj
            while root.anchor is not None:
                root = items[root.anchor]
            if root.index != r.object and root.anchor is None and not _depends_on(items, r.object, root.index):
                root.anchor, root.relation = r.object, r.relation

    gap = 0.03 * width
    # 2. ground and water rows: root groups left to right, lateral dependents beside them
    rows: dict[str, list[list[Item]]] = {"ground": [], "water": [], "prop": []}
    for item in items:
        if item.anchor is None and item.region in ("ground", "water", "prop"):
            rows["ground" if item.region == "prop" else item.region].append(_cluster(item, items, rng))
    for region, clusters in rows.items():
        if clusters:
            _place_row(region, clusters, width, height, gap, rng)
    # 3. sky roots: free positions in the upper band without collisions
    placed_sky: list[Box] = []
    for item in items:
        if item.anchor is None and item.region == "sky":
            low = any(it.anchor == item.index and it.relation == "above" for it in items)
            item.boxes = [_free_spot(w, h, width, height, placed_sky, rng, low) for w, h in item.sizes]
            placed_sky.extend(item.boxes)
            item.z = -1000
    # 4. everything attached: on, under, above, below, in, in front of, behind
    pending = [it for it in items if not it.boxes]
    for _ in range(len(items) + 1):
        for item in list(pending):
            if item not in pending:  # placed with its group already
                continue
            anchor = items[item.anchor] if item.anchor is not None else None
            if anchor is None or not anchor.boxes:
                continue
            # things with the same place ("a dog and a cat under a tree") share it side by side
            group = [it for it in pending if it.anchor == item.anchor and it.relation == item.relation]
            if len(group) > 1 and item.relation not in LATERAL:
                joint = replace(item, sizes=[s for it in group for s in it.sizes], boxes=[])
                _attach(joint, anchor, width, height, gap, rng, placed_sky)
                start = 0
                for it in group:
                    n = len(it.sizes)
                    it.sizes, it.boxes, it.z = joint.sizes[start:start + n], joint.boxes[start:start + n], joint.z
                    start += n
                    pending.remove(it)
                continue
            _attach(item, anchor, width, height, gap, rng, placed_sky)
            pending.remove(item)
    for item in pending:  # unreachable anchors: put them in the sky band rather than lose them
        item.boxes = [_free_spot(w, h, width, height, placed_sky, rng) for w, h in item.sizes]


def _depends_on(items: list[Item], index: int, on: int) -> bool:
    seen = set()
    while index is not None and index not in seen:
        if index == on:
            return True
        seen.add(index)
        index = items[index].anchor
    return False


def _cluster(root: Item, items: list[Item], rng: random.Random) -> list[Item]:
    """A root and its lateral dependents, in left-to-right order."""
    left, right = [], []
    for item in items:
        if item.anchor == root.index and item.relation in LATERAL:
            side = {"left of": "left", "right of": "right"}.get(item.relation) or rng.choice(["left", "right"])
            (left if side == "left" else right).append(item)
    ordered = left + [root] + right
    # lateral dependents of lateral dependents join at the outer ends
    for it in list(left) + list(right):
        for sub in items:
            if sub.anchor == it.index and sub.relation in LATERAL:
                if it in left:
                    ordered.insert(0, sub)
                else:
                    ordered.append(sub)
    return ordered


def _place_row(region: str, clusters: list[list[Item]], width: int, height: int,
               gap: float, rng: random.Random) -> None:
    rng.shuffle(clusters)
    widths = [sum(it.group_width(gap) for it in c) + gap * (len(c) - 1) for c in clusters]
    total = sum(widths) + gap * 2 * (len(clusters) - 1)
    usable = width * 0.94
    if total > usable:  # shrink the whole row rather than overlap or leave the frame
        k = usable / total
        for c in clusters:
            for it in c:
                it.sizes = [(w * k, h * k) for w, h in it.sizes]
        total = usable
    spare = width - total
    # spread the spare room: margins and gaps get random shares
    shares = [rng.uniform(0.6, 1.4) for _ in range(len(clusters) + 1)]
    unit = spare / sum(shares)
    x = unit * shares[0]
    for c, share in zip(clusters, shares[1:]):
        depth = rng.uniform(-0.025, 0.015) * height
        for it in c:
            base_y = (GROUND_LINE if region == "ground" else WATER_LINE) * height + depth
            if it.obj.noun == "branch":
                base_y = 0.56 * height + depth
            boxes = []
            for w, h in it.sizes:
                boxes.append(Box(x, base_y - h, x + w, base_y))
                x += w + gap
            it.boxes = boxes
            it.z = base_y
        # each instance already left one gap after it; the share of spare room comes on top
        x += unit * share + gap


def _free_spot(w: float, h: float, width: int, height: int, taken: list[Box], rng: random.Random,
               low: bool = False) -> Box:
    """A place in the sky band that overlaps what is there as little as possible."""
    best, best_cost = None, math.inf
    top = (0.26 if low else 0.04) * height
    for _ in range(40):
        x = rng.uniform(0.03 * width, max(0.03 * width, 0.97 * width - w))
        y = rng.uniform(top, max(top, HORIZON * height * (0.8 if low else 0.62) - h * 0.5))
        box = Box(x, y, x + w, y + h)
        cost = sum(box.overlap(t) for t in taken)
        if cost < best_cost:
            best, best_cost = box, cost
            if cost == 0:
                break
    return best


def _spread(sizes: list[tuple[float, float]], cx: float, gap: float) -> list[float]:
    """Left edges of instances laid side by side, centred on ``cx``."""
    total = sum(w for w, _ in sizes) + gap * (len(sizes) - 1)
    x, lefts = cx - total / 2, []
    for w, _ in sizes:
        lefts.append(x)
        x += w + gap
    return lefts


def _attach(item: Item, anchor: Item, width: int, height: int, gap: float, rng: random.Random,
            sky: list[Box]) -> None:
    rel = item.relation
    a = Box(min(b.x0 for b in anchor.boxes), min(b.y0 for b in anchor.boxes),
            max(b.x1 for b in anchor.boxes), max(b.y1 for b in anchor.boxes))
    small_gap = gap * 0.3
    if rel == "under":
        # fit between the legs: no taller than 60 % of the anchor, all within its width
        limit_h = a.h * 0.6
        limit_w = a.w * 0.9
        k = min(1.0, limit_h / item.group_height(), limit_w / item.group_width(small_gap))
        item.sizes = [(w * k, h * k) for w, h in item.sizes]
        bottom = a.y1 if anchor.region != "sky" else min(height * GROUND_LINE, a.y1 + item.group_height() + gap)
        lefts = _spread(item.sizes, a.cx + rng.uniform(-0.1, 0.1) * (a.w - item.group_width(small_gap)), small_gap)
        item.boxes = [Box(x, bottom - h, x + w, bottom) for x, (w, h) in zip(lefts, item.sizes)]
        item.z = anchor.z + 1
    elif rel in ("on",):
        limit_w = a.w * (0.95 if anchor.obj.noun != "branch" else 0.8)
        k = min(1.0, limit_w / item.group_width(small_gap))
        item.sizes = [(w * k, h * k) for w, h in item.sizes]
        # rest on the top edge, sunk a little into it (clip-art tops are rounded)
        top = a.y0 + min(a.h * 0.12, 0.02 * height)
        lefts = _spread(item.sizes, a.cx + rng.uniform(-0.15, 0.15) * (a.w - item.group_width(small_gap)), small_gap)
        item.boxes = [Box(x, top - h, x + w, top) for x, (w, h) in zip(lefts, item.sizes)]
        item.z = anchor.z + 1
    elif rel == "in":
        limit = max(a.w, a.h) * 0.55
        k = min(1.0, limit / max(item.group_width(small_gap), item.group_height()))
        item.sizes = [(w * k, h * k) for w, h in item.sizes]
        lefts = _spread(item.sizes, a.cx, small_gap)
        item.boxes = [Box(x, a.cy - h / 2, x + w, a.cy + h / 2) for x, (w, h) in zip(lefts, item.sizes)]
        item.z = anchor.z + 1
    elif rel == "above":
        lefts = _spread(item.sizes, a.cx + rng.uniform(-0.2, 0.2) * a.w, gap)
        bottom = a.y0 - max(gap, 0.04 * height)
        h_max = item.group_height()
        if bottom - h_max < 0.02 * height:  # no room: shrink to fit between the top and the anchor
            k = max(0.3, (bottom - 0.02 * height) / h_max)
            item.sizes = [(w * k, h * k) for w, h in item.sizes]
            lefts = _spread(item.sizes, a.cx, gap)
        item.boxes = [Box(x, bottom - h, x + w, bottom) for x, (w, h) in zip(lefts, item.sizes)]
        item.z = -500
    elif rel == "below":
        top = a.y1 + gap
        lefts = _spread(item.sizes, a.cx, gap)
        bottom_limit = height * 0.97
        k = min(1.0, max(0.3, (bottom_limit - top) / item.group_height()))
        item.sizes = [(w * k, h * k) for w, h in item.sizes]
        lefts = _spread(item.sizes, a.cx, gap)
        if top + item.group_height() > bottom_limit:  # the anchor is low: overlap its lower half
            top = a.cy
        item.boxes = [Box(x, top, x + w, top + h) for x, (w, h) in zip(lefts, item.sizes)]
        item.z = anchor.z + 1
    elif rel == "in front of":
        bottom = min(height * 0.985, a.y1 + 0.04 * height)
        lefts = _spread(item.sizes, a.cx + rng.uniform(-0.2, 0.2) * a.w, small_gap)
        item.boxes = [Box(x, bottom - h, x + w, bottom) for x, (w, h) in zip(lefts, item.sizes)]
        item.z = anchor.z + 10
    elif rel == "behind":
        item.sizes = [(w * 0.9, h * 0.9) for w, h in item.sizes]
        bottom = a.y1 - min(0.05 * height, 0.25 * a.h)
        side = rng.choice([-1, 1])
        # peek out from one side: about half of it stays visible
        lefts = _spread(item.sizes, a.cx + side * (a.w / 2), small_gap)
        item.boxes = [Box(x, bottom - h, x + w, bottom) for x, (w, h) in zip(lefts, item.sizes)]
        item.z = anchor.z - 10
    else:  # lateral relations of sky things: beside in the same band
        side = {"left of": -1, "right of": 1}.get(rel) or rng.choice([-1, 1])
        total = item.group_width(gap)
        start = a.x1 + gap if side > 0 else a.x0 - gap - total
        start = min(max(start, 0.01 * width), width * 0.99 - total)
        lefts, x = [], start
        for w, _ in item.sizes:
            lefts.append(x)
            x += w + gap
        # a sky thing beside a grounded one floats at its shoulder (a balloon held by a girl)
        bottom = a.y1 if item.region == anchor.region else a.y0 + 0.3 * a.h
        item.boxes = [Box(x0, bottom - h, x0 + w, bottom) for x0, (w, h) in zip(lefts, item.sizes)]
        item.z = anchor.z + 1
    # keep every box inside the frame
    item.boxes = [_clamp(b, width, height) for b in item.boxes]


def _clamp(box: Box, width: int, height: int) -> Box:
    dx = max(0.0, -box.x0) - max(0.0, box.x1 - width)
    dy = max(0.0, -box.y0) - max(0.0, box.y1 - height)
    return box.moved(dx, dy)


# -- relations, checked on the boxes ------------------------------------------------------


def relation_holds(relation: str, subject: list[list[int]], anchor: list[list[int]],
                   subject_z: float, anchor_z: float) -> bool:
    """Does ``relation`` hold between the drawn boxes? (x0, y0, x1, y1), y grows down."""
    a = Box(min(b[0] for b in anchor), min(b[1] for b in anchor), max(b[2] for b in anchor), max(b[3] for b in anchor))
    ok = []
    for b in subject:
        s = Box(*b)
        x_inside = a.x0 - 1 <= s.cx <= a.x1 + 1
        if relation == "on":
            ok.append(x_inside and s.cy < a.cy and s.y1 <= a.y0 + 0.35 * a.h)
        elif relation in ("under", "below"):
            ok.append((x_inside or relation == "below") and s.cy > a.cy)
        elif relation == "above":
            ok.append(s.y1 <= a.y0 + 0.1 * a.h)
        elif relation == "in":
            ok.append(a.x0 <= s.cx <= a.x1 and a.y0 <= s.cy <= a.y1)
        elif relation == "in front of":
            ok.append(s.overlap(a) > 0 and subject_z > anchor_z and s.y1 >= a.y1 - 1)
        elif relation == "behind":
            ok.append(s.overlap(a) > 0 and subject_z < anchor_z)
        elif relation == "left of":
            ok.append(s.cx < a.x0)
        elif relation == "right of":
            ok.append(s.cx > a.x1)
        else:  # next to, beside: side by side, not on top of each other
            ok.append((s.cx < a.x0 or s.cx > a.x1) and s.overlap(a) < 0.25 * min(s.w * s.h, a.w * a.h))
    return all(ok)


# -- drawing -------------------------------------------------------------------------------


def _gradient(size: tuple[int, int], top: tuple, bottom: tuple) -> Image.Image:
    import numpy as np

    w, h = size
    t = np.linspace(0, 1, h)[:, None, None]
    arr = (np.array(top)[None, None, :] * (1 - t) + np.array(bottom)[None, None, :] * t)
    return Image.fromarray(np.repeat(arr, w, axis=1).astype("uint8"), "RGB")


def _dim(colour: tuple, factor: float) -> tuple:
    return tuple(int(c * factor) for c in colour)


def draw_background(place: str, time: str, width: int, height: int, rng: random.Random,
                    shore: bool = False) -> Image.Image:
    """Sky, ground or water for the setting, drawn with shapes; ``shore``: a strip of
    land at the bottom of the sea for things that stand (a lighthouse, a frog on a rock)."""
    night = time == "night"
    if place == "space":
        image = _gradient((width, height), (4, 4, 16), (24, 12, 48))
        _stars(image, rng, 90, 1.0)
        return image
    if place == "room":
        wall = (236, 222, 196) if not night else (120, 112, 140)
        image = _gradient((width, height), wall, _dim(wall, 0.9))
        floor_top = int(0.70 * height)
        top, bottom = GROUND_COLOURS["room"]
        image.paste(_gradient((width, height - floor_top), top, bottom), (0, floor_top))
        draw = ImageDraw.Draw(image)
        for x in range(-width, width * 2, max(8, width // 8)):  # floor boards in perspective
            draw.line([(width / 2 + (x - width / 2) * 0.55, floor_top), (x, height)], fill=_dim(bottom, 0.85), width=2)
        draw.rectangle([0, floor_top - 6, width, floor_top], fill=(245, 245, 240))
        return image
    top, bottom = SKY_COLOURS[time]
    image = _gradient((width, height), top, bottom)
    draw = ImageDraw.Draw(image)
    if night:
        _stars(image, rng, 50, HORIZON)
    horizon = int(HORIZON * height)
    factor = NIGHT_DIM if night else 1.0
    if place == "city":
        x = 0
        while x < width:  # a skyline of blocks with windows
            w = rng.randint(width // 12, width // 6)
            h = rng.randint(int(0.12 * height), int(0.34 * height))
            shade = rng.randint(110, 170)
            block = _dim((shade, shade, shade + 12), factor)
            draw.rectangle([x, horizon - h, x + w, horizon], fill=block)
            for wy in range(horizon - h + 8, horizon - 10, 16):
                for wx in range(x + 6, x + w - 8, 12):
                    lit = rng.random() < (0.5 if night else 0.0)
                    draw.rectangle([wx, wy, wx + 5, wy + 7], fill=(250, 220, 120) if lit else _dim(block, 0.8))
            x += w + rng.randint(0, 8)
    if place == "forest":
        for _ in range(9):  # a row of dark trees along the horizon
            cx = rng.uniform(0, width)
            h = rng.uniform(0.14, 0.24) * height
            w = h * 0.45
            colour = _dim((40, 100, 52), factor)
            draw.polygon([(cx - w / 2, horizon + 4), (cx + w / 2, horizon + 4), (cx, horizon - h)], fill=colour)
    if place == "snow":
        for _ in range(3):  # white hills
            cx = rng.uniform(0, width)
            r = rng.uniform(0.3, 0.5) * width
            draw.ellipse([cx - r, horizon - r * 0.25, cx + r, horizon + r * 0.5], fill=_dim((232, 238, 248), factor))
    if place == "desert":
        for _ in range(3):
            cx = rng.uniform(0, width)
            r = rng.uniform(0.3, 0.5) * width
            draw.ellipse([cx - r, horizon - r * 0.2, cx + r, horizon + r * 0.5], fill=_dim((228, 190, 120), factor))
    if place == "sea":
        top_c, bottom_c = GROUND_COLOURS["sea"]
        image.paste(_gradient((width, height - horizon), _dim(top_c, factor), _dim(bottom_c, factor)), (0, horizon))
        _waves(draw, width, height, horizon, rng, factor)
        if shore:
            land = int(SHORE_LINE * height)
            s_top, s_bottom = GROUND_COLOURS["beach"]
            image.paste(_gradient((width, height - land), _dim(s_top, factor), _dim(s_bottom, factor)), (0, land))
        return image
    if place == "beach":
        sand_top = int(0.74 * height)
        top_c, bottom_c = GROUND_COLOURS["sea"]
        image.paste(_gradient((width, sand_top - horizon), _dim(top_c, factor), _dim(bottom_c, factor)), (0, horizon))
        _waves(draw, width, sand_top, horizon, rng, factor)
        s_top, s_bottom = GROUND_COLOURS["beach"]
        image.paste(_gradient((width, height - sand_top), _dim(s_top, factor), _dim(s_bottom, factor)), (0, sand_top))
        return image
    g_top, g_bottom = GROUND_COLOURS.get(place, GROUND_COLOURS["outdoors"])
    image.paste(_gradient((width, height - horizon), _dim(g_top, factor), _dim(g_bottom, factor)), (0, horizon))
    if place == "city":
        draw.rectangle([0, int(0.8 * height), width, int(0.96 * height)], fill=_dim((80, 80, 86), factor))
        for x in range(0, width, width // 8):
            draw.rectangle([x, int(0.875 * height), x + width // 16, int(0.885 * height)], fill=(240, 240, 240))
    return image


def _stars(image: Image.Image, rng: random.Random, n: int, band: float) -> None:
    draw = ImageDraw.Draw(image)
    for _ in range(n):
        x, y = rng.uniform(0, image.width), rng.uniform(0, band * image.height)
        r = rng.choice([0.8, 1.0, 1.4])
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 255, 230))


def _waves(draw: ImageDraw.ImageDraw, width: int, bottom: int, top: int, rng: random.Random, factor: float) -> None:
    colour = _dim((150, 200, 240), factor)
    for _ in range(max(4, (bottom - top) // 14)):
        x, y = rng.uniform(0, width), rng.uniform(top + 6, bottom - 4)
        w = rng.uniform(0.04, 0.09) * width
        draw.arc([x, y, x + w, y + w * 0.3], 200, 340, fill=colour, width=2)


def draw_branch(image: Image.Image, box: Box, night: bool, flip: bool) -> None:
    """A leafy branch entering from the nearer side of the picture."""
    draw = ImageDraw.Draw(image)
    bark = (110, 72, 40) if not night else (70, 46, 26)
    leaf = (70, 160, 70) if not night else (40, 96, 44)
    y = box.y0 + box.h * 0.45
    thick = max(4, int(box.h * 0.35))
    from_left = box.cx < image.width / 2 if not flip else box.cx <= image.width / 2
    start = 0 if from_left else image.width
    draw.line([(start, y + thick * 0.4), (box.x0 if from_left else box.x1, y)], fill=bark, width=thick)
    draw.line([(box.x0, y), (box.x1, y)], fill=bark, width=thick)
    tip = box.x1 if from_left else box.x0
    for k in range(5):
        fx = box.x0 + (k + 0.5) / 5 * box.w
        dy = (-1) ** k * box.h * 0.45
        draw.ellipse([fx - box.h * 0.35, y + dy - box.h * 0.2, fx + box.h * 0.35, y + dy + box.h * 0.2], fill=leaf)
    draw.ellipse([tip - box.h * 0.3, y - box.h * 0.25, tip + box.h * 0.3, y + box.h * 0.25], fill=leaf)


def draw_prop(image: Image.Image, noun: str, box: Box, night: bool, colour: tuple | None) -> None:
    """Fences and bushes: simple shapes read better than any clip-art we have."""
    draw = ImageDraw.Draw(image)
    factor = NIGHT_DIM if night else 1.0
    if noun == "fence":
        wood = _dim(colour or (236, 226, 206), factor)
        edge = _dim((120, 100, 80), factor)
        n = max(4, int(box.w / max(8, box.h * 0.28)))
        w = box.w / n
        for k in range(n):  # pickets with pointed tops
            x0, x1 = box.x0 + k * w + w * 0.12, box.x0 + (k + 1) * w - w * 0.12
            draw.polygon([(x0, box.y0 + w * 0.4), ((x0 + x1) / 2, box.y0), (x1, box.y0 + w * 0.4),
                          (x1, box.y1), (x0, box.y1)], fill=wood, outline=edge)
        for y in (box.y0 + box.h * 0.35, box.y0 + box.h * 0.75):
            draw.rectangle([box.x0, y - box.h * 0.05, box.x1, y + box.h * 0.05], fill=wood, outline=edge)
        return
    leaf = _dim(colour or (64, 150, 64), factor)
    dark = _dim(leaf, 0.8)
    rng = random.Random(int(box.x0 * 7 + box.y0))
    for k in range(9):  # overlapping round clumps, darker at the back
        r = box.h * rng.uniform(0.28, 0.42)
        cx = box.x0 + r + rng.uniform(0, max(1.0, box.w - 2 * r))
        cy = box.y1 - r - rng.uniform(0, max(1.0, box.h - 2 * r)) * (0.6 if k > 4 else 1.0)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=dark if k < 5 else leaf, outline=_dim(leaf, 0.6))


def draw_placeholder(image: Image.Image, box: Box, word: str, night: bool) -> None:
    """A neat labelled card for a word no asset shows."""
    draw = ImageDraw.Draw(image, "RGBA")
    r = max(6, int(min(box.w, box.h) * 0.12))
    fill = (255, 255, 255, 200) if not night else (230, 230, 245, 190)
    draw.rounded_rectangle([box.x0, box.y0, box.x1, box.y1], radius=r, fill=fill, outline=(90, 90, 110, 255), width=2)
    size = max(10, int(min(box.h * 0.3, box.w / max(3, len(word)) * 1.6)))
    font = label_font(size)
    draw.text((box.cx, box.cy), word, fill=(40, 40, 60, 255), font=font, anchor="mm")


def compose(prompt: str, scene: Scene, matches: list[Match], width: int, height: int, seed: int
            ) -> tuple[Image.Image, dict]:
    """One picture and its plan."""
    rng = random.Random(seed)
    place = scene.place
    inferred = False
    if place in ("outdoors", "park") and any(o.noun in WATER_NOUNS or o.region == "water" for o in scene.objects):
        place, inferred = "sea", True  # a boat needs water to float on
    scene_for_layout = Scene(scene.objects, scene.relations, place, scene.time)
    items = []
    for index, (obj, match) in enumerate(zip(scene.objects, matches)):
        count = min(obj.count, MAX_INSTANCES)
        sizes = [_instance_size(obj.noun, match, obj.scale, height, rng) for _ in range(count)]
        flips = [obj.noun in FLIPPABLE and rng.random() < 0.5 for _ in range(count)]
        items.append(Item(index, obj, match, _region(obj, scene_for_layout), sizes, flips))
    layout(scene_for_layout, items, width, height, rng)

    shore = place == "sea" and any(it.region in ("ground", "prop") for it in items)
    image = draw_background(place, scene.time, width, height, rng, shore).convert("RGBA")
    night = scene.time == "night"
    order = sorted(((it.z + k * 0.01, it, k) for it in items for k in range(len(it.boxes))), key=lambda t: t[0])
    for _, item, k in order:
        box = item.boxes[k]
        if item.obj.noun == "branch":
            draw_branch(image, box, night, item.flips[k] if item.flips else False)
        elif item.obj.noun in DRAWN_PROPS:
            draw_prop(image, item.obj.noun, box, night, COLOURS.get(item.obj.colour or ""))
        elif item.match.asset is None:
            draw_placeholder(image, box, item.obj.noun, night)
        else:
            colour = COLOURS.get(item.obj.colour or "")
            sprite = render_asset(item.match.asset, int(round(max(box.w, box.h))), colour, item.flips[k])
            if night and item.obj.noun not in ("moon", "star", "sun", "fire", "candle", "lamp"):
                sprite = _night(sprite)
            image.alpha_composite(sprite, (int(round(box.x0)), int(round(box.y0))))
    plan = make_plan(prompt, scene, place, inferred, items, seed, width, height)
    return image.convert("RGB"), plan


def _night(sprite: Image.Image) -> Image.Image:
    r, g, b, a = sprite.split()
    rgb = Image.merge("RGB", (r, g, b)).point(lambda v: int(v * 0.78))
    return Image.merge("RGBA", (*rgb.split(), a))


def _asset_entry(item: Item) -> dict | None:
    if item.match.asset is not None:
        return item.match.asset.to_dict()
    if item.obj.noun in DRAWN_PROPS:
        return {"source": "drawn", "id": item.obj.noun, "name": item.obj.noun, "licence": "part of seespeech"}
    return None


def make_plan(prompt: str, scene: Scene, place: str, inferred: bool, items: list[Item], seed: int,
              width: int, height: int) -> dict:
    objects, unmatched, credits = [], [], set()
    # drawing order, back to front, so "in front of" and "behind" can be checked from the plan
    layers = {it.index: rank for rank, it in enumerate(sorted(items, key=lambda it: it.z))}
    for it in items:
        m = it.match
        entry = {
            "word": it.obj.word, "noun": it.obj.noun, "count": it.obj.count,
            "drawn_count": len(it.boxes), "colour": it.obj.colour, "size": it.obj.size,
            "region": it.region, "match": m.how, "asset": _asset_entry(it),
            "boxes": [b.as_list() for b in it.boxes], "layer": layers[it.index], "placeholder": not it.drawn,
        }
        if m.how == "similar":
            entry["similar_to"] = m.meant
            entry["similarity"] = m.similarity
        if it.obj.colour:
            entry["rgb"] = list(COLOURS[it.obj.colour])
        objects.append(entry)
        if not it.drawn:
            unmatched.append(it.obj.noun)
        if m.asset:
            credits.add(m.asset.credit)
    relations = []
    for r in scene.relations:
        s, o = items[r.subject], items[r.object]
        relations.append({
            "subject": r.subject, "subject_word": s.obj.noun, "relation": r.relation,
            "object": r.object, "object_word": o.obj.noun,
            "holds": relation_holds(r.relation, [b.as_list() for b in s.boxes], [b.as_list() for b in o.boxes], s.z, o.z),
        })
    return {
        "engine": "compose", "prompt": prompt, "seed": seed, "size": [width, height],
        "setting": {"place": place, "time": scene.time, "inferred": inferred},
        "objects": objects, "relations": relations, "unmatched": unmatched,
        "credits": sorted(credits),
    }


def attach_metadata(image: Image.Image, plan: dict) -> Image.Image:
    """Carry the prompt, the plan and the licence credits inside the PNG (tEXt chunks, kept
    by a plain ``image.save(...)`` too: the credits must travel with the picture)."""
    entries = {"Software": "seespeech", "Description": plan.get("prompt", ""),
               "seespeech:plan": json.dumps(plan, separators=(",", ":"))}
    if plan.get("credits"):
        entries["Copyright"] = " ".join(plan["credits"])
    return keep_metadata(image, entries)


__all__ = ["ComposeEngine", "relation_holds"]
