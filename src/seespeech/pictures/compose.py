"""The ``compose`` engine: a picture of what was said, drawn from clip-art, offline, without
model weights, in milliseconds.

One function per step: parse what was said into a ``Scene`` (parse.py) — or, for speech that
is not a scene, an illustration of its symbols (illustrate.py); choose the picture of each
thing (depict.py: people as figures, emoji, packaged clip-art, drawn props); infer the setting
when none was said (a snowman → snow, a crib → a bedroom); draw the stage (stages/: the
place, the light, the weather); lay things out at real-world scale so the relations said hold
(layout.py); draw back to front; add the weather; write the plan — the contract: every thing
with its picture, boxes, layers and surfaces, every relation with whether it holds, the
setting, what was left out and why.

Deterministic for a seed; another seed is another take on the same scene: another variant
of the place, free groups in another order and another spot, and every other seed the scene
seen from the other side (the place mirrored, free things in the other order, facing the
other way) — unless something was said to be left or right of another.
"""

from __future__ import annotations

import json
import random
import threading

import numpy as np

from PIL import Image, ImageDraw, ImageFont

from seespeech.files import keep_metadata
from seespeech.pictures import lexicon
from seespeech.pictures.options import Generation, ImageProgressFn, ImagineOptions
from seespeech.pictures.assets import load_catalogue
from seespeech.pictures.depict import DRAWN_LICENCE, Picture, colour_of, colour_report, depict
from seespeech.pictures.layout import Box, Ground, Layout, Link, Thing
from seespeech.pictures.relations import relation_holds
from seespeech.pictures.graph import parse_scene
from seespeech.pictures.scene import Relation, Scene, SceneObject
from seespeech.pictures.stages.places import INDOOR

DEFAULT_SIDE = 512
PLAN_VERSION = 2

#: a setting inferred from the things said when none was: (things, place, because)
INFERRED_PLACES = [
    ({"iceberg"}, "sea", "an iceberg"),
    ({"snowman", "penguin", "igloo", "sled", "polar bear", "reindeer"}, "snow", "snow things"),
    ({"camel", "cactus"}, "desert", "desert things"),
    ({"crib", "bed"}, "bedroom", "a bed"),
    ({"stove", "chef"}, "kitchen", "cooking"),
    ({"blackboard", "teacher", "student"}, "classroom", "a classroom thing"),
    ({"hospital bed", "doctor", "nurse", "stethoscope"}, "hospital", "a hospital thing"),
    ({"sofa", "television", "fireplace", "bookshelf"}, "living room", "living-room things"),
    ({"cow", "tractor", "farmer", "barn", "pig", "sheep", "goat", "chicken", "rooster", "scarecrow"}, "farm",
     "farm things"),
    ({"astronaut", "planet", "ufo"}, "space", "space things"),
    ({"whale", "dolphin", "shark", "ship", "sailboat", "octopus", "jellyfish", "seal"}, "sea", "sea things"),
    ({"boat", "canoe", "duck", "swan", "frog"}, "lake", "water things"),
    ({"crab", "shell"}, "beach", "beach things"),
    ({"bus", "taxi", "police car", "ambulance", "fire truck", "skyscraper", "tram", "lamp post"}, "city",
     "street things"),
    ({"lighthouse"}, "sea", "a lighthouse"),
    ({"cup", "laptop", "computer", "book", "apple", "cake", "teapot", "plate", "vase", "candle"}, "room",
     "small things, close up"),
]
#: the same, by what things are kinds of (WordNet), for things no list above names
INFERRED_BY_KIND = [
    ({"kitchen appliance", "kitchen utensil", "cooking utensil", "white goods", "cookware"}, "kitchen",
     "kitchen things"),
    ({"bedroom furniture"}, "bedroom", "bedroom furniture"),
    ({"home appliance", "electronic equipment", "furniture", "plumbing fixture", "toiletry"}, "room",
     "things of a home"),
    ({"livestock", "cattle", "poultry"}, "farm", "farm animals"),
    ({"aquatic mammal", "marine animal", "seabird"}, "sea", "sea animals"),
]
#: things a stage draws for itself when they are said (their box is the stage's)
STAGE_THINGS = {"cliff": "cliff", "island": "island", "river": "river", "lake": "lake", "counter": "counter"}
#: said things the stage may already have drawn (noun → the stage's feature): one of each, not two
STAGE_DRAWS = {"bridge": "bridge", "blackboard": "blackboard", "counter": "counter", "stove": "stove",
               "window": "window", "door": "door", "rug": "rug", "shop": "shop", "bakery": "bakery"}


def label_font(size: int) -> ImageFont.FreeTypeFont:
    """The labels' font: the one font of every drawing, regular weight."""
    from seespeech.pictures.canvas import font

    return font(size, bold=False)


class ComposeEngine:
    name = "compose"

    def __init__(self) -> None:
        self.catalogue = load_catalogue()
        self._lock = threading.Lock()
        self._pictures: dict[tuple, Picture] = {}

    @property
    def model(self) -> str:
        return "+".join(["openmoji", "openclipart", "drawn"])

    def generate(self, prompt: str, options: ImagineOptions, progress: ImageProgressFn | None = None) -> Generation:
        width = options.width or DEFAULT_SIDE
        height = options.height or DEFAULT_SIDE
        scene = read(prompt)
        with self._lock:
            pictures = [self.picture(o, scene) for o in scene.objects]
        if not options.labels:
            scene, pictures = without_cards(scene, pictures)
        images, plans, credits = [], [], set()
        for i in range(options.count):
            image, plan = compose(prompt, scene, pictures, width, height, options.seed + i)
            credits.update(plan["credits"])
            images.append(attach_metadata(image, plan))
            plans.append(plan)
            if progress:
                progress(i + 1, options.count)
        return Generation(images=images, plans=plans, engine=self.name, model=self.model, credits=sorted(credits))

    def picture(self, obj: SceneObject, scene: Scene) -> Picture:
        key = (obj.noun, obj.word, obj.person, obj.pose, obj.region, obj.picture_as)
        if key not in self._pictures:
            self._pictures[key] = depict(obj)
        return self._pictures[key]


def without_cards(scene: Scene, pictures: list[Picture]) -> tuple[Scene, list[Picture]]:
    """Things with no picture are not drawn as text cards: the plan lists them (``unmatched``,
    with why) and the picture shows the rest. The relations they were part of go with them."""
    keep = [k for k, p in enumerate(pictures) if p.kind != "placeholder"]
    if len(keep) == len(pictures):
        return scene, pictures
    for k, p in enumerate(pictures):
        if p.kind == "placeholder":
            obj = scene.objects[k]
            why = obj.why or "no picture by that name or of anything it is a kind of"
            scene.unmatched.append({"word": obj.word, "noun": obj.noun, "why": why})
    remap = {old: new for new, old in enumerate(keep)}
    scene.objects = [scene.objects[k] for k in keep]
    scene.relations = [Relation(remap[r.subject], r.relation, remap[r.object], r.said) for r in scene.relations
                       if r.subject in remap and r.object in remap]
    return scene, [pictures[k] for k in keep]


def read(prompt: str) -> Scene:
    """What was said, as a scene (speech that is not one: its illustration)."""
    scene = parse_scene(prompt)
    if scene.mode == "illustration":
        from seespeech.pictures.illustrate import illustrate

        scene = illustrate(scene)
    seated = {r.subject for r in scene.relations if r.relation in ("on", "in", "riding")}
    for k, obj in enumerate(scene.objects):   # nobody sits on thin air: no seat said, they stand
        if obj.person is not None and obj.pose in ("sit", "ride") and k not in seated:
            obj.pose = "stand"
    return scene


def infer_place(scene: Scene) -> tuple[str, bool, str | None]:
    """(place, inferred, because): the said place, or one the things suggest."""
    if scene.place != "outdoors":
        return scene.place, False, None
    said = {o.noun for o in scene.objects} | {(o.person.role or "") for o in scene.objects if o.person}
    for things, place, why in INFERRED_PLACES:
        found = sorted(said & things)
        if found:
            if place == "room" and any(lexicon.lookup(n) and lexicon.lookup(n).rests not in ("table", "held")
                                       for n in said if lexicon.lookup(n)):
                continue   # close-up only when everything is a small thing
            if place == "lake" and any(o.region == "water" for o in scene.objects) is False and \
                    not any(n in ("boat", "canoe", "swan", "duck") for n in found):
                continue
            return place, True, f"{why}: {', '.join(found)}"
    if any(o.region == "water" for o in scene.objects):
        return "lake", True, "something swims or floats"
    from seespeech.pictures.grounding import ancestors

    kinds = {o.noun: ancestors(o.picture_as or o.noun) for o in scene.objects if o.person is None}
    for names, place, why in INFERRED_BY_KIND:
        found = sorted(n for n, k in kinds.items() if k & names)
        if found and (place != "room" or len(found) == len(kinds)):   # a room only when all are indoor things
            return place, True, f"{why}: {', '.join(found)}"
    return "outdoors", False, None


# ---------------------------------------------------------------- one picture


def compose(prompt: str, scene: Scene, pictures: list[Picture], width: int, height: int, seed: int
            ) -> tuple[Image.Image, dict]:
    from seespeech.pictures.stages import VARIANTS, draw_stage, draw_weather

    rng = random.Random(seed)
    place, inferred, because = infer_place(scene)
    nouns = {o.noun for o in scene.objects}
    features = frozenset(f for f in ("bridge",) if f in nouns and place == "river")
    sign = next((o.word for o in scene.objects if o.noun == "shop" and o.word not in ("shop", "store")), None)
    moon_said = "moon" in nouns
    # picture i of a request uses seed + i: each seed its own variant of the place, every other
    # seed the scene seen from the other side (unless something was said left or right of another)
    sided = any(r.relation in ("left of", "right of") for r in scene.relations)
    mirror = seed % 2 == 1 and not sided and sign is None
    stage = draw_stage(place, scene.time, tuple(scene.weather), width, height, rng, features=features,
                       sign=sign.upper() if sign else None, moon=scene.time == "night" and not moon_said
                       and place not in INDOOR, variant=seed, mirror=mirror)
    close_up = inferred and place == "room"   # small things, seen close: on a table top
    if close_up:
        _table_top(stage)
    things = _things(scene, pictures, stage, place)
    # "A below B" is laid out as "B above A": what is below stands where it would, what is
    # above it goes up into the room over it (sized to fit), so the order holds for any pair
    links = [Link(r.object, "above", r.subject, r.said) if r.relation == "below" else
             Link(r.subject, r.relation, r.object, r.said) for r in scene.relations]
    ground = Ground(width, height, tuple(stage.planes), stage.horizon, stage.indoor,
                    water=stage.surfaces.get("water"), sky=stage.sky,
                    features={k: v for k, v in stage.features.items() if k in nouns}, ground_free=place != "space",
                    counter=stage.surfaces.get("counter"), close_up=close_up)
    Layout(things, links, ground, rng, vary=seed != 0, mirror=mirror).run()
    image = stage.image.convert("RGB")
    _draw(image, things, pictures, scene, stage)
    draw_weather(image, stage, rng)
    plan = make_plan(prompt, scene, things, pictures, stage, place, inferred, because, seed, width, height)
    plan["view"] = {"variant": seed % VARIANTS, "mirrored": mirror}
    return image, plan


#: in space nothing stands: things float, sized as a share of the picture
SPACE_SHARE = {"aircraft": 0.42, "vehicle": 0.3, "building": 0.4, "person": 0.3}


def _things(scene: Scene, pictures: list[Picture], stage, place: str) -> list[Thing]:
    related = {r.subject for r in scene.relations} | {r.object for r in scene.relations}
    things = []
    for k, (obj, picture) in enumerate(zip(scene.objects, pictures)):
        entry = lexicon.lookup(obj.picture_as or obj.noun) or (lexicon.lookup(obj.like) if obj.like else None)
        if obj.person is not None:
            from seespeech.pictures.people import person_height_m

            height_m = person_height_m(picture.person) * _pose_height(picture.pose)
        elif entry is not None:
            height_m = entry.height
        else:   # grounded by its category (WordNet's): a size class and a resting place
            height_m = lexicon.CATEGORY_HEIGHT.get(obj.category or "thing", lexicon.CATEGORY_HEIGHT["thing"])
        rests = entry.rests if entry is not None else lexicon.CATEGORY_RESTS.get(obj.category or "", "ground")
        if obj.person is not None:
            rests = "ground"
        if obj.region == "sky" and rests != "sky":
            rests = "sky" if obj.noun not in ("kite",) else "sky"
        on_table = rests == "table" and obj.person is None
        if rests in ("table", "held", "wall"):
            rests = "ground"
        given = None
        feature = picture.kind == "stage"
        if feature:
            box = stage.features.get(STAGE_THINGS.get(obj.noun, obj.noun)) or stage.surfaces.get(
                {"lake": "water", "river": "water"}.get(obj.noun, obj.noun))
            given = Box(*box) if box else None
            feature = given is not None
        drawn_by_stage = STAGE_DRAWS.get(obj.noun)
        if drawn_by_stage and obj.count == 1 and drawn_by_stage in stage.features:
            given, feature = Box(*stage.features[drawn_by_stage]), True   # the classroom's own blackboard
        surfaces = dict(picture.surfaces)
        if feature and given is not None:
            surfaces = {"top": 0.0}
        # sun, moon, stars, emblems: far away, sized as a share of the picture
        far = entry is not None and entry.category in ("sky", "symbol") and rests == "sky"
        if far:
            height_m = entry.height
        elif place == "space":   # nothing stands in space: everything floats, sized as a share
            category = "person" if obj.person else (entry.category if entry else "thing")
            rests, far, height_m = "sky", True, SPACE_SHARE.get(category, 0.22)
        things.append(Thing(
            index=k, noun=obj.noun, count=obj.count, height_m=height_m,
            aspect=max(0.15, min(6.0, picture.aspect)), rests=rests, facing=picture.facing, surfaces=surfaces,
            subject=k in related and any(r.subject == k for r in scene.relations) or len(scene.objects) == 1,
            feature=feature, given=given, region=obj.region, scale=obj.scale, far=far, on_table=on_table))
    return things


def _table_top(stage) -> None:
    """A close-up of small things: a wooden table top fills the lower picture, its front edge
    near the bottom; the things stand on it (the stage's planes are on the table)."""
    image = stage.image
    width, height = image.size
    top = int(stage.horizon + 0.08 * height)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, top, width, height], fill=(198, 146, 92))
    for k in range(1, 5):   # the grain of the planks
        y = top + (height - top) * k / 5
        draw.line([(0, y), (width, y + 0.01 * height)], fill=(176, 124, 74), width=max(1, height // 256))
    draw.line([(0, top), (width, top)], fill=(0, 0, 0), width=max(1, height // 170))
    stage.surfaces["table"] = (0, top, width, height)


def _pose_height(pose: str) -> float:
    """A figure's picture height against standing height (its box holds the whole pose)."""
    return {"sit": 0.72, "ride": 0.72, "lie": 0.4, "kneel": 0.72}.get(pose, 1.0)


def _draw(image: Image.Image, things: list[Thing], pictures: list[Picture], scene: Scene, stage) -> None:
    from seespeech.pictures.stages import light

    items = []
    contents: dict[int, int] = {}   # a prop drawn in two parts → the highest layer of what is in it
    for t in things:
        for k, box in enumerate(t.boxes):
            items.append((t.layers[k], t, k, box, "back" if pictures[t.index].front_layer else "all"))
    for t in things:
        if t.placed_by != "in":
            continue
        for holder in things:
            if holder is not t and pictures[holder.index].front_layer and _inside(t.boxes, holder.boxes):
                contents[holder.index] = max(contents.get(holder.index, 0), max(t.layers))
    for t in things:   # the front part (crib bars, a cart's side) goes over what is inside
        if pictures[t.index].front_layer:
            for k, box in enumerate(t.boxes):
                items.append((max(t.layers[k], contents.get(t.index, t.layers[k])) + 0.5, t, k, box, "front"))
    items.sort(key=lambda item: item[0])
    # the plan's layers are the drawing order: an instance's layer is that of its last part
    for n, (_, t, k, box, part) in enumerate(items):
        t.layers[k] = n + 1
    for _, t, k, box, part in items:
        picture = pictures[t.index]
        obj = scene.objects[t.index]
        if picture.kind == "stage" or t.feature:   # the stage drew it
            continue
        if picture.kind == "placeholder":
            draw_placeholder(image, box, obj.noun, scene.time == "night")
            continue
        facing = t.facings[k] if k < len(t.facings) else "front"
        flip = picture.facing in ("left", "right") and facing in ("left", "right") and facing != picture.facing
        if picture.kind == "person":
            flip = facing == "left"
        sprite = picture.draw(box.w, box.h, colour_of(obj), flip=flip, part=part)
        if part == "front":   # what the front part covers of what is inside (the plan says)
            alpha = sprite.getchannel("A")
            found = alpha.getbbox()
            if found:
                t.occludes[k] = [round(box.x0 + found[0]), round(box.y0 + found[1]),
                                 round(box.x0 + found[2]), round(box.y0 + found[3])]
                # bars cover part of what is behind them: how much, on an 8 x 8 grid of that box
                t.opacity[k] = occlusion_grid(alpha.crop(found))
        elif part == "all" and t.opacity[k] is None:   # a figure covers its limbs, not its whole box
            t.opacity[k] = occlusion_grid(sprite.getchannel("A"))
        sprite = light(sprite, stage)
        if _swims(t, obj, picture):   # in the water, not standing on it: its lower part is under
            _submerged(image, sprite, box)
        else:
            image.paste(sprite, (round(box.x0), round(box.y0)), sprite)


#: the share of a swimmer's height under the water line
UNDERWATER = 0.22


def _swims(t: Thing, obj: SceneObject, picture: Picture) -> bool:
    entry = lexicon.lookup(obj.noun)
    return (t.rests == "water" or t.region == "water") and picture.kind != "prop" and not t.far and (
        entry is None or entry.category in ("bird", "water animal", "animal"))


def _submerged(image: Image.Image, sprite: Image.Image, box: Box) -> None:
    """Paste a swimmer with its lower part left out (the water stays in front of it), and a
    light ripple along the water line where its body meets it."""
    cut = max(1, round(sprite.height * (1 - UNDERWATER)))
    above = sprite.crop((0, 0, sprite.width, cut))
    image.paste(above, (round(box.x0), round(box.y0)), above)
    row = np.asarray(above.getchannel("A"))[-1] > 128
    if row.any():
        xs = np.nonzero(row)[0]
        y = round(box.y0) + cut
        draw = ImageDraw.Draw(image)
        draw.line([(round(box.x0) + xs[0] - 3, y), (round(box.x0) + xs[-1] + 3, y)], fill=(235, 245, 255),
                  width=max(1, round(box.h * 0.025)))


def occlusion_grid(alpha: Image.Image, cells: int = 8) -> list[list[float]]:
    """How opaque each of cells x cells parts of a front part is (0: see-through, 1: solid)."""
    grid = np.asarray(alpha.resize((cells, cells), Image.BOX), dtype=np.float32) / 255
    return [[round(float(v), 2) for v in row] for row in grid]


def _inside(inner: list[Box], outer: list[Box]) -> bool:
    return any(b.x0 >= o.x0 - 2 and b.x1 <= o.x1 + 2 and b.y1 <= o.y1 + 2 for b in inner for o in outer)


def draw_placeholder(image: Image.Image, box: Box, word: str, night: bool) -> None:
    """A neat labelled card for a word no picture shows (the plan lists it as unmatched)."""
    draw = ImageDraw.Draw(image, "RGBA")
    w, h = max(box.w, 8), max(box.h, 8)
    r = max(1, int(min(w, h) * 0.12))
    fill = (255, 255, 255, 200) if not night else (230, 230, 245, 190)
    draw.rounded_rectangle([box.x0, box.y0, box.x0 + w, box.y0 + h], radius=r, fill=fill,
                           outline=(90, 90, 110, 255), width=2)
    size = max(8, int(min(h * 0.3, w / max(3, len(word)) * 1.6)))
    draw.text((box.x0 + w / 2, box.y0 + h / 2), word, fill=(40, 40, 60, 255), font=label_font(size), anchor="mm")


# ---------------------------------------------------------------- the plan


def make_plan(prompt: str, scene: Scene, things: list[Thing], pictures: list[Picture], stage, place: str,
              inferred: bool, because: str | None, seed: int, width: int, height: int) -> dict:
    objects, unmatched, credits = [], [], set()
    for t, picture in zip(things, pictures):
        obj = scene.objects[t.index]
        if picture.kind == "placeholder":
            unmatched.append(obj.noun)
        if picture.credit:
            credits.add(picture.credit)
        entry = {
            "word": obj.word, "noun": obj.noun, "concept": obj.picture_as or obj.noun, "count": obj.count, "said_count": obj.said_count,
            "drawn_count": len(t.boxes), "colour": obj.colour, "size": obj.size,
            "category": (lexicon.lookup(obj.noun).category if lexicon.lookup(obj.noun) else
                         "person" if obj.person else None),
            "person": {"age": obj.person.age, "gender": obj.person.gender, "role": obj.person.role}
            if obj.person else None,
            "pose": picture.pose if picture.kind == "person" else None,
            "region": t.rests, "match": picture.match,
            "asset": {"source": "stage", "id": obj.noun, "name": obj.noun, "licence": DRAWN_LICENCE}
            if t.feature else picture.to_dict(),
            "boxes": [b.as_list() for b in t.boxes], "layers": t.layers, "layer": t.layers[0] if t.layers else 0,
            "depth": t.depth, "facing": t.facings, "enlarged": t.enlarged,
            "role": "setting" if t.feature else ("symbol" if scene.mode == "illustration" else "thing"),
            "placeholder": picture.kind == "placeholder", "surfaces": _surfaces_px(t),
        }
        # what each instance covers of what was drawn before it (a crib's bars, a figure's
        # limbs): the part of its box, and how opaque each of 8 x 8 cells of that part is
        entry["occludes"] = [o or b.as_list() for o, b in zip(t.occludes, t.boxes)]
        entry["opacity"] = [o if o is not None else 1.0 for o in t.opacity]
        if picture.match == "similar":
            entry.update(similar_to=picture.meant, similarity=picture.similarity)
        if obj.colour:   # what was drawn, whether the picture took the colour, and how it reads
            entry.update(colour_report(obj, picture))
        if obj.grounding and obj.grounding.get("how") == "wordnet":
            entry["grounding"] = obj.grounding
        objects.append(entry)
    relations = []
    for r in scene.relations:
        relations.append({
            "subject": r.subject, "subject_word": scene.objects[r.subject].noun, "relation": r.relation,
            "said": r.said, "object": r.object, "object_word": scene.objects[r.object].noun,
            "holds": relation_holds(r.relation, objects[r.subject], objects[r.object], width, height),
        })
    for picture in pictures:
        if picture.source == "openclipart":
            credits.add(picture.credit)
    return {
        "version": PLAN_VERSION, "engine": "compose", "mode": scene.mode, "prompt": prompt, "seed": seed,
        "size": [width, height],
        "setting": {"place": place, "time": scene.time, "weather": list(scene.weather), "inferred": inferred,
                    "because": because, "indoor": bool(stage.indoor)},
        "objects": objects, "relations": relations,
        "unmatched": sorted(set(unmatched) | {u["noun"] for u in scene.unmatched}),
        "unmatched_why": scene.unmatched + [{"word": o["word"], "noun": o["noun"], "why": "shown as a label"}
                                            for o in objects if o["placeholder"]],
        "left_out": scene.left_out, "chosen": scene.chosen, "credits": sorted(c for c in credits if c),
    }


def _surfaces_px(t: Thing) -> list[dict]:
    """Where things rest on each instance, in pixels: top and seat lines (y), interior box."""
    out = []
    for b in t.boxes:
        entry = {}
        for name in ("top", "seat"):
            s = t.surfaces.get(name)
            if s is not None:
                y = s[0] if isinstance(s, (list, tuple)) else s
                entry[name] = round(b.y0 + b.h * y)
        inner = t.surfaces.get("interior")
        if inner is not None:
            entry["interior"] = [round(b.x0 + b.w * inner[0]), round(b.y0 + b.h * inner[1]),
                                 round(b.x0 + b.w * inner[2]), round(b.y0 + b.h * inner[3])]
        out.append(entry)
    return out


def attach_metadata(image: Image.Image, plan: dict) -> Image.Image:
    """Carry the prompt, the plan and the licence credits inside the PNG (tEXt chunks, kept
    by a plain ``image.save(...)`` too: the credits must travel with the picture)."""
    entries = {"Software": "seespeech", "Description": plan.get("prompt", ""),
               "seespeech:plan": json.dumps(plan, separators=(",", ":"))}
    if plan.get("credits"):
        entries["Copyright"] = " ".join(plan["credits"])
    return keep_metadata(image, entries)

__all__ = ["ComposeEngine", "compose", "relation_holds"]
