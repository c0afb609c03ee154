"""GenEval (Ghosh et al. 2023, github.com/djghosh13/geneval, MIT) on the ``compose`` engine,
scored from each picture's plan and its pixels: no detector exists offline.

    python bench/geneval.py                       # the 553 prompts GenEval published
    python bench/geneval.py --seed 7 [--n 100]    # a fresh suite (bench/geneval_prompts.py)
    python bench/geneval.py --failures fail.jsonl --sheet sheet.png --sample 24 [--json]

What stands in for GenEval's detector (Mask2Former) and its CLIP colour classifier:

* Detections. A plan object is of GenEval class C when its ``concept`` (else its ``noun``) is C,
  one of C's aliases (``ALIASES``) or a plural of one — or C is "person" and the plan says it
  was drawn as a person figure (``person`` set: a detector would see a person, whatever the
  word); it must have a picture (``asset`` set, not a ``placeholder`` text card). Each of its
  instance ``boxes`` (clipped to the picture) is one detection when its area is at least 0.8 %
  of the picture and at least a quarter of its sprite (see Colour) is not hidden by things
  drawn over it. Detections of a class keep the plan's order (objects, then instances):
  GenEval's "most confident first".
* Colour. The final picture's pixels inside an instance's box where that thing's own sprite is
  opaque: the sprite is drawn again alone at the box's size (``Picture.draw``) for its alpha
  mask (pixels solid in both the sprite and its mirror image when it may have been drawn
  flipped; eroded 1 px against rounding), less what instances drawn later (the plan's
  ``layers``) cover. ``dominant_colour`` names the colour of what is left (thin near-black
  lines set aside as outlines, HSV rules in ``pixel_colours``); the plan's own ``colour`` and
  ``rgb`` are never read. When no mask can be had (a thing the stage drew, a plan the scene
  read again does not match) the box's pixels are used and the result says ``"mask": "box"``.
* The rules are GenEval's (evaluation/evaluate_images.py), written again here: every
  ``include`` needs ``count`` detections of its class; with a colour, that many of the first
  ``count`` must be of it; with a position, each of the first ``count`` must stand in
  ``relative_position`` to each of the anchor's; each ``exclude`` fails the prompt when its
  class has ``count`` or more detections (counting: exactly N). A prompt passes or fails; a
  task's score is the share passed; overall is the mean of the six task scores.

``strict`` is the same score with objects drawn with a merely similar picture (``match ==
"similar"``: the nearest asset name by meaning, e.g. a boxing glove for "baseball glove") left
out. With ``--json``, ``pictures_by_class`` lists which pictures stood for each class, to audit
by eye (the scorer trusts a plan's word for what a picture shows; a contact sheet checks it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from geneval_prompts import TASKS, published, suite  # noqa: E402

MIN_AREA = 0.008            # a box smaller than this share of the picture is no detection
MIN_VISIBLE = 0.25          # nor is a thing with less than this share of its sprite left in view
POSITION_MARGIN = 0.1       # GenEval's position threshold: centres must differ by 0.1 x (sum of sizes)

# ---------------------------------------------------------------- classes

#: GenEval class → other names a plan may give it (plurals are added by ``_forms``)
ALIASES: dict[str, list[str]] = {
    "person": ["people", "man", "woman", "boy", "girl", "child", "kid", "baby", "adult", "human", "lady",
               "guy", "old man", "old woman", "old person", "teenager", "toddler"],
    "bicycle": ["bike"],
    "car": ["automobile"],
    "motorcycle": ["motorbike"],
    "airplane": ["plane", "aeroplane", "aircraft", "jet", "airliner"],
    "traffic light": ["traffic signal", "stoplight"],
    "fire hydrant": ["hydrant"],
    "backpack": ["rucksack", "knapsack"],
    "handbag": ["purse"],
    "tie": ["necktie"],
    "suitcase": ["luggage"],
    "skis": ["ski"],
    "sports ball": ["ball"],
    "tennis racket": ["tennis racquet", "racket", "racquet"],
    "wine glass": ["wineglass"],
    "cup": ["mug"],
    "donut": ["doughnut"],
    "hot dog": ["hotdog"],
    "couch": ["sofa"],
    "potted plant": ["plant", "houseplant", "pot plant"],
    "dining table": ["table"],
    "tv": ["television", "tv set", "television set"],
    "laptop": ["laptop computer", "notebook computer"],
    "computer mouse": ["mouse"],
    "tv remote": ["remote", "remote control"],
    "computer keyboard": ["keyboard"],
    "cell phone": ["mobile phone", "phone", "cellphone", "smartphone", "mobile"],
    "refrigerator": ["fridge"],
    "teddy bear": ["teddy"],
    "hair drier": ["hair dryer", "hairdryer", "blow dryer"],
}
IRREGULAR = {"person": ["people"], "man": ["men"], "woman": ["women"], "child": ["children"], "knife": ["knives"],
             "computer mouse": ["computer mice"], "mouse": ["mice"], "sheep": ["sheep"], "old man": ["old men"],
             "old woman": ["old women"], "lady": ["ladies"], "baby": ["babies"], "scissors": ["scissor"]}


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").replace("_", " ").split())


def _forms(name: str) -> set[str]:
    forms = {name, name + "s", name + "es", *IRREGULAR.get(name, [])}
    if name.endswith("y"):
        forms.add(name[:-1] + "ies")
    return forms


def class_table(classes: list[str]) -> dict[str, str]:
    """Every accepted name (and plural) → its GenEval class."""
    table: dict[str, str] = {}
    for cls in classes:
        for name in [cls, *ALIASES.get(cls, [])]:
            for form in _forms(_norm(name)):
                table.setdefault(form, cls)
    for cls in classes:   # a class's own name always wins
        table[_norm(cls)] = cls
    return table


def plan_name(obj: dict) -> str:
    """What the plan says a thing is: its grounded ``concept`` when there is one, else its noun."""
    return obj.get("concept") or obj.get("noun") or ""


@dataclass
class Detection:
    cls: str
    box: tuple[float, float, float, float]
    obj: int      # index into plan["objects"]
    inst: int     # index into that object's boxes


def detections(plan: dict, size: tuple[int, int], table: dict[str, str], strict: bool = False,
               visible: dict[tuple[int, int], float] | None = None) -> dict[str, list[Detection]]:
    """The plan's things as a detector would report them: class → detections in plan order.
    ``visible``: (object, instance) → the share of its sprite not hidden by what was drawn over
    it; an instance under ``MIN_VISIBLE`` is no detection."""
    width, height = size
    found: dict[str, list[Detection]] = {}
    for i, obj in enumerate(plan.get("objects", [])):
        # drawn as a person figure: a detector would see a person, whatever the word was
        cls = "person" if obj.get("person") and "person" in table.values() else table.get(_norm(plan_name(obj)))
        if cls is None or obj.get("placeholder") or not obj.get("asset"):
            continue
        if strict and obj.get("match") == "similar":
            continue
        for k, box in enumerate(obj.get("boxes", [])):
            x0, y0, x1, y1 = (float(v) for v in box)
            x0, x1 = max(0.0, min(x0, width)), max(0.0, min(x1, width))
            y0, y1 = max(0.0, min(y0, height)), max(0.0, min(y1, height))
            hidden = visible is not None and visible.get((i, k), 1.0) < MIN_VISIBLE
            if (x1 - x0) * (y1 - y0) >= MIN_AREA * width * height and not hidden:
                found.setdefault(cls, []).append(Detection(cls, (x0, y0, x1, y1), i, k))
    return found


# ---------------------------------------------------------------- GenEval's rules


def relative_position(box_a, box_b, margin: float = POSITION_MARGIN) -> set[str]:
    """Where box A is against box B, GenEval's way: the offset of the centres, each axis
    shortened by ``margin`` x (A's size + B's size) on that axis (not past 0), divided by the
    full offset's length; a component beyond ±0.5 names a relation ("left of" when A's centre
    is further left; y grows down, so "above" when A's centre is higher). Boxes are
    [x0, y0, x1, y1]. None when both shortened components vanish."""
    ax0, ay0, ax1, ay1 = (float(v) for v in box_a[:4])
    bx0, by0, bx1, by1 = (float(v) for v in box_b[:4])
    offset = np.array([(ax0 + ax1) / 2 - (bx0 + bx1) / 2, (ay0 + ay1) / 2 - (by0 + by1) / 2])
    sizes = np.array([abs(ax1 - ax0) + abs(bx1 - bx0), abs(ay1 - ay0) + abs(by1 - by0)])
    kept = np.maximum(np.abs(offset) - margin * sizes, 0) * np.sign(offset)
    if np.all(np.abs(kept) < 1e-3):
        return set()
    dx, dy = kept / np.linalg.norm(offset)
    found = set()
    if dx < -0.5:
        found.add("left of")
    if dx > 0.5:
        found.add("right of")
    if dy < -0.5:
        found.add("above")
    if dy > 0.5:
        found.add("below")
    return found


def judge(meta: dict, found: dict[str, list[Detection]], colour_of) -> tuple[bool, list[dict]]:
    """GenEval's verdict on one picture: (passed, why not). ``colour_of(detection)`` names a
    detection's colour (called only for prompts that ask one)."""
    reasons: list[dict] = []
    groups: list[list[Detection] | None] = []
    for req in meta.get("include", []):
        cls, count = req["class"], req["count"]
        have = found.get(cls, [])
        first = have[:count]
        ok = True
        if len(first) < count:
            ok = False
            reasons.append({"kind": "missing" if not have else "too few", "class": cls, "expected": count,
                            "found": len(have)})
        else:
            if "color" in req:
                seen = [colour_of(d) for d in first]
                if seen.count(req["color"]) < count:
                    ok = False
                    reasons.append({"kind": "colour", "class": cls, "asked": req["color"], "seen": seen})
            if "position" in req and ok:
                relation, anchor = req["position"]
                targets = groups[anchor]
                if targets is None:
                    ok = False
                    reasons.append({"kind": "no anchor", "class": cls, "asked": relation})
                else:
                    for d in first:
                        for t in targets:
                            rel = relative_position(d.box, t.box)
                            if relation not in rel:
                                ok = False
                                reasons.append({"kind": "position", "class": cls, "anchor": t.cls, "asked": relation,
                                                "found": sorted(rel), "box": [round(v) for v in d.box],
                                                "anchor_box": [round(v) for v in t.box]})
                                break
                        if not ok:
                            break
        groups.append(first if ok else None)
    for req in meta.get("exclude", []):
        have = found.get(req["class"], [])
        if len(have) >= req["count"]:
            reasons.append({"kind": "too many", "class": req["class"], "expected": req["count"] - 1,
                            "found": len(have)})
    return not reasons, reasons


# ---------------------------------------------------------------- colour from pixels

#: below this value (max channel / 255) a pixel is near-black: an outline when it lies in a thin line
NEAR_BLACK = 0.2
#: near-black regions narrower than this share of the box's longer side are lines (outlines),
#: wider ones are black paint (OpenMoji's strokes are ~1/36 of the emoji)
LINE_SHARE = 0.05
#: a colour other than white names the thing when it covers this share of its named (not
#: outline) pixels, and at least PAINT_MIN of all its pixels (--paint-share changes the first;
#: 0.5 is a plain vote)
PAINT_SHARE, PAINT_MIN = 1 / 3, 0.1
UNPAINTED = "white"


def pixel_colours(rgb: np.ndarray) -> np.ndarray:
    """Name each pixel (N x 3, 0..255) with one of GenEval's ten colours, by HSV (hue h in
    degrees, saturation s and value v in 0..1):

    * v < 0.25: black. Weakly coloured (s < 0.2): white when v ≥ 0.5, else black (GenEval asks
      for one of ten names and has no grey: light grey is white, dark grey black).
    * Otherwise by hue: red below 10° or from 340° (pink when pale: s < 0.4 and v ≥ 0.75);
      orange 10–45° when vivid (s ≥ 0.7 and v ≥ 0.7) or bright (s ≥ 0.4 and v ≥ 0.9), else
      brown (wood, fur, tan); yellow 45–70° (brown when v < 0.45); green 70–165°;
      blue 165–255°; purple 255–290°; pink 290–340° (purple when v < 0.55).
    """
    rgb = np.asarray(rgb, dtype=np.float32).reshape(-1, 3) / 255.0
    mx, mn = rgb.max(1), rgb.min(1)
    v = mx
    chroma = mx - mn
    s = np.where(mx > 0, chroma / np.maximum(mx, 1e-6), 0)
    r, g, b = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    safe = np.maximum(chroma, 1e-6)
    h = np.where(mx == r, ((g - b) / safe) % 6, np.where(mx == g, (b - r) / safe + 2, (r - g) / safe + 4)) * 60
    names = np.select(
        [(h < 10) | (h >= 340), h < 45, h < 70, h < 165, h < 255, h < 290],
        ["red", "orange", "yellow", "green", "blue", "purple"], "pink").astype(object)
    names[((h < 10) | (h >= 340)) & (s < 0.4) & (v >= 0.75)] = "pink"
    orange = (h >= 10) & (h < 45)
    names[orange & ~(((s >= 0.7) & (v >= 0.7)) | ((s >= 0.4) & (v >= 0.9)))] = "brown"
    names[(h >= 45) & (h < 70) & (v < 0.45)] = "brown"
    names[(h >= 290) & (h < 340) & (v < 0.55)] = "purple"
    dull = s < 0.2
    names[dull & (v >= 0.5)] = "white"
    names[dull & (v < 0.5)] = "black"
    names[v < 0.25] = "black"
    return names


def dominant_colour(rgb: np.ndarray, thick: np.ndarray | None = None, min_pixels: int = 20
                    ) -> tuple[str, dict[str, float]]:
    """The colour a thing's pixels (N x 3, 0..255) show, and the shares seen.

    Near-black pixels (max channel < ``NEAR_BLACK`` x 255) are outlines and set aside, except
    those ``thick`` marks (N booleans: in a region too wide to be a line; ``line_mask`` finds
    them): those are black paint. Every other pixel is named (``pixel_colours``). Then, as a
    person names a thing by its paint rather than its white face, paper or wheels (clip-art
    leaves unpainted parts white):

    1. the most common name other than white wins when it covers at least ``PAINT_SHARE`` (a
       third) of the named pixels and ``PAINT_MIN`` of all the thing's pixels (a green clock
       with a white face is green; a white sheep with blue hooves is white; a black engine
       with red wheels is black);
    2. else the most common name.

    A thing drawn in outline alone (under 5 % of its pixels named) is black; fewer than
    ``min_pixels`` pixels: "unknown".
    """
    rgb = np.asarray(rgb, dtype=np.float32).reshape(-1, 3)
    if len(rgb) < min_pixels:
        return "unknown", {}
    dark = rgb.max(1) < NEAR_BLACK * 255
    outline = dark if thick is None else dark & ~np.asarray(thick, dtype=bool).reshape(-1)
    shares: dict[str, float] = {"outline": round(float(outline.mean()), 3)}
    named = rgb[~outline]
    if len(named) < max(1, 0.05 * len(rgb)):
        return "black", shares
    names, counts = np.unique(pixel_colours(named), return_counts=True)
    order = sorted(zip(names, counts), key=lambda p: -p[1])
    shares.update({str(n): round(float(c) / len(named), 3) for n, c in order})
    paint = [(n, c) for n, c in order if n != UNPAINTED]
    if paint and paint[0][1] >= PAINT_SHARE * len(named) and paint[0][1] >= PAINT_MIN * len(rgb):
        return str(paint[0][0]), shares
    return str(order[0][0]), shares


def thick_dark(pixels: np.ndarray, mask: np.ndarray, box) -> np.ndarray:
    """Which of ``mask``'s pixels are near-black and in a region wider than a line: a
    morphological opening (min then max filter) of the near-black pixels with a square
    ``LINE_SHARE`` x the box's longer side across (odd, at least 3 px). Returns a
    picture-sized boolean array."""
    x0, y0, x1, y1 = _clip_box(box, (pixels.shape[1], pixels.shape[0]))
    out = np.zeros(mask.shape, dtype=bool)
    if x1 <= x0 or y1 <= y0:
        return out
    crop = pixels[y0:y1, x0:x1]
    dark = (crop.max(2) < NEAR_BLACK * 255) & mask[y0:y1, x0:x1]
    size = max(3, int(round(LINE_SHARE * max(x1 - x0, y1 - y0))) | 1)
    image = Image.fromarray(dark.astype(np.uint8) * 255)
    opened = np.asarray(image.filter(ImageFilter.MinFilter(size)).filter(ImageFilter.MaxFilter(size))) > 0
    out[y0:y1, x0:x1] = opened & dark
    return out


class Masks:
    """Where each drawn instance's own sprite is opaque in the picture (boolean, picture-sized),
    less what was drawn over it."""

    def __init__(self, prompt: str, plan: dict, size: tuple[int, int]):
        self.size = size
        self.masks: dict[tuple[int, int], np.ndarray] = {}
        self.how: dict[tuple[int, int], str] = {}
        occluders = set()   # what can hide what is under it: sprites and text cards (not the stage)
        pictures = _pictures(prompt, plan)
        for i, obj in enumerate(plan.get("objects", [])):
            card = bool(obj.get("placeholder")) or not obj.get("asset")
            for k, box in enumerate(obj.get("boxes", [])):
                mask = None
                if pictures[i] is not None and not card:
                    facing = obj.get("facing") or []
                    mask = _sprite_mask(pictures[i], box, size, facing[k] if k < len(facing) else "front")
                self.how[(i, k)] = "sprite" if mask is not None else "box"
                if mask is not None or card:
                    occluders.add((i, k))
                if mask is None:
                    mask = np.zeros(size[::-1], dtype=bool)
                    x0, y0, x1, y1 = _clip_box(box, size)
                    mask[y0:y1, x0:x1] = True
                self.masks[(i, k)] = mask
        # what another instance drawn later covers shows that one: the plan's ``layers`` give
        # the drawing order; without them, pixels two instances share judge neither
        objects = plan.get("objects", [])

        def layer(key):
            layers = objects[key[0]].get("layers") or []
            return layers[key[1]] if key[1] < len(layers) else None

        keys = list(self.masks)
        ordered = all(layer(key) is not None for key in keys)
        covered = {key: np.zeros(size[::-1], dtype=bool) for key in keys}
        for a in keys:
            for b in occluders:
                if a != b and (not ordered or layer(b) > layer(a)):
                    covered[a] |= self.masks[b]
        self.visible: dict[tuple[int, int], float] = {}
        for key in keys:
            whole = int(self.masks[key].sum())
            self.masks[key] = self.masks[key] & ~covered[key]
            self.visible[key] = float(self.masks[key].sum()) / whole if whole else 0.0

    def colour(self, pixels: np.ndarray, d: Detection) -> tuple[str, dict, str]:
        mask = self.masks.get((d.obj, d.inst))
        if mask is None:
            return "unknown", {}, "none"
        thick = thick_dark(pixels, mask, d.box)
        name, shares = dominant_colour(pixels[mask], thick[mask])
        return name, shares, self.how[(d.obj, d.inst)]


def _clip_box(box, size) -> tuple[int, int, int, int]:
    w, h = size
    x0, y0, x1, y1 = (int(round(float(v))) for v in box[:4])
    return max(0, min(x0, w)), max(0, min(y0, h)), max(0, min(x1, w)), max(0, min(y1, h))


def _pictures(prompt: str, plan: dict) -> list:
    """The engine's picture of each plan object (to redraw its sprite), or None where the scene
    read again from the prompt does not line up with the plan."""
    objects = plan.get("objects", [])
    try:
        from seespeech.pictures import load_image_engine
        from seespeech.pictures.compose import read

        engine = load_image_engine("compose")
        scene = read(prompt)
    except Exception:   # noqa: BLE001 — no sprite: the box fallback, and the result says so
        return [None] * len(objects)
    out = []
    for i, obj in enumerate(objects):
        same = [o for o in scene.objects if o.noun == obj.get("noun")]
        candidate = scene.objects[i] if i < len(scene.objects) and scene.objects[i].noun == obj.get("noun") else (
            same[0] if len(same) == 1 else None)
        try:
            out.append(engine.picture(candidate, scene) if candidate is not None else None)
        except Exception:   # noqa: BLE001
            out.append(None)
    return out


def _sprite_mask(picture, box, size, facing: str) -> np.ndarray | None:
    """The sprite's opaque pixels (alpha ≥ 128) placed at the box, eroded by 1 px; None when the
    picture draws nothing by itself (the stage drew it)."""
    x0, y0, x1, y1 = (float(v) for v in box[:4])
    w, h = max(1, int(round(x1 - x0))), max(1, int(round(y1 - y0)))
    try:
        sprite = picture.draw(w, h)
    except Exception:   # noqa: BLE001
        return None
    alpha = np.asarray(sprite.getchannel("A")) >= 128
    if alpha.sum() < 20:
        return None
    kind, own = getattr(picture, "kind", ""), getattr(picture, "facing", "front")
    if kind == "person" or own in ("left", "right"):   # it may have been drawn mirrored
        both = alpha & alpha[:, ::-1]
        if both.sum() >= 0.3 * alpha.sum():
            alpha = both
        else:   # too lopsided to intersect: mirror as the plan's facing says it was drawn
            flipped = facing == "left" if kind == "person" else (
                facing in ("left", "right") and facing != own)
            alpha = alpha[:, ::-1] if flipped else alpha
    eroded = np.zeros_like(alpha)   # 1 px in from every edge, the sprite's own border too
    eroded[1:-1, 1:-1] = alpha[1:-1, 1:-1]
    eroded[1:, :] &= alpha[:-1, :]
    eroded[:-1, :] &= alpha[1:, :]
    eroded[:, 1:] &= alpha[:, :-1]
    eroded[:, :-1] &= alpha[:, 1:]
    mask = np.zeros(size[::-1], dtype=bool)
    left, top = int(round(x0)), int(round(y0))
    sx0, sy0 = max(0, -left), max(0, -top)
    sx1, sy1 = min(w, size[0] - left), min(h, size[1] - top)
    if sx1 <= sx0 or sy1 <= sy0:
        return None
    mask[top + sy0:top + sy1, left + sx0:left + sx1] = eroded[sy0:sy1, sx0:sx1]
    return mask


# ---------------------------------------------------------------- a run


@dataclass
class Result:
    tag: str
    prompt: str
    picture: int
    passed: bool
    strict: bool
    reasons: list = field(default_factory=list)
    colours: list = field(default_factory=list)
    plan: list = field(default_factory=list)


def score_picture(meta: dict, image: Image.Image, plan: dict, table: dict[str, str], picture: int = 0) -> Result:
    size = image.size
    pixels = np.asarray(image.convert("RGB"))
    masks = Masks(meta["prompt"], plan, size)
    seen: dict[tuple[int, int], tuple] = {}

    def colour_of(d: Detection) -> str:
        if (d.obj, d.inst) not in seen:
            seen[(d.obj, d.inst)] = masks.colour(pixels, d)
        return seen[(d.obj, d.inst)][0]

    found = detections(plan, size, table, visible=masks.visible)
    passed, reasons = judge(meta, found, colour_of)
    strict, _ = judge(meta, detections(plan, size, table, strict=True, visible=masks.visible), colour_of)
    colours = [{"class": plan["objects"][o]["noun"] if o < len(plan["objects"]) else "?", "instance": k,
                "colour": c[0], "shares": c[1], "mask": c[2]} for (o, k), c in seen.items()]
    class_of = {d.obj: cls for cls, ds in found.items() for d in ds}
    things = [{"noun": o.get("noun"), "concept": o.get("concept"), "class": class_of.get(i),
               "drawn": o.get("drawn_count", len(o.get("boxes", []))),
               "asset": (o.get("asset") or {}).get("name"), "placeholder": bool(o.get("placeholder")),
               "match": o.get("match"),
               "hidden": sum(1 for (j, _), share in masks.visible.items() if j == i and share < MIN_VISIBLE)}
              for i, o in enumerate(plan.get("objects", []))]
    return Result(meta["tag"], meta["prompt"], picture, passed, strict, reasons, colours, things)


def run(prompts: list[dict], pictures: int = 1, progress: bool = True) -> tuple[list[Result], list]:
    import seespeech

    from geneval_prompts import CLASSES

    table = class_table(CLASSES)
    results, images = [], []
    start = time.perf_counter()
    for n, meta in enumerate(prompts, 1):
        generation = seespeech.imagine(meta["prompt"], seed=0, count=pictures)
        for p, (image, plan) in enumerate(zip(generation.images, generation.plans)):
            results.append(score_picture(meta, image, plan, table, p))
            images.append(image)
        if progress and (n % 25 == 0 or n == len(prompts)):
            done = sum(r.passed for r in results)
            live = sys.stderr.isatty() and n < len(prompts)   # one line redrawn on a terminal
            back = "\r" if sys.stderr.isatty() else ""
            print(f"{back}{n}/{len(prompts)} prompts, {done}/{len(results)} "
                  f"pictures pass, {time.perf_counter() - start:.0f} s", end="" if live else "\n",
                  file=sys.stderr, flush=True)
    return results, images


def summary(results: list[Result]) -> dict:
    tasks = {}
    for tag in TASKS:
        mine = [r for r in results if r.tag == tag]
        if mine:
            tasks[tag] = {"pictures": len(mine), "passed": sum(r.passed for r in mine),
                          "score": sum(r.passed for r in mine) / len(mine),
                          "strict": sum(r.strict for r in mine) / len(mine)}
    return {"tasks": tasks,
            "overall": float(np.mean([t["score"] for t in tasks.values()])) if tasks else 0.0,
            "overall_strict": float(np.mean([t["strict"] for t in tasks.values()])) if tasks else 0.0}


def why(reason: dict) -> str:
    kind = reason["kind"]
    if kind == "missing":
        return f"missing {reason['class']}"
    if kind in ("too few", "too many"):
        return f"wrong count: {reason['class']} {reason['found']} (wanted {reason['expected']})"
    if kind == "colour":
        return f"colour: {reason['class']} seen {'/'.join(reason['seen'])}, asked {reason['asked']}"
    if kind == "position":
        return f"position: {reason['class']} {' & '.join(reason['found']) or 'overlapping'} {reason['anchor']}" \
               f" (asked {reason['asked']})"
    return f"{kind}: {reason['class']}"


def reason_group(reason: dict) -> str:
    """A failure, coarse enough to count: which class, and what went wrong with it."""
    kind = reason["kind"]
    if kind == "colour":
        return f"colour: {reason['class']} seen {reason['seen'][0]}"
    if kind == "position":
        return f"position: {' & '.join(reason['found']) or 'no relation'} found for {reason['asked']}"
    return f"{kind}: {reason['class']}"


def contact_sheet(results: list[Result], images: list[Image.Image], path: Path, sample: int, seed: int = 0) -> None:
    from sheet import INK, contact_sheet as draw_sheet

    picks = sorted(random.Random(seed).sample(range(len(results)), min(sample, len(results))))
    tiles = []
    for index in picks:
        r = results[index]
        verdict = "PASS" if r.passed else "FAIL: " + "; ".join(why(q) for q in r.reasons)
        colour = (20, 130, 40) if r.passed else (190, 30, 30)
        lines = [(line, INK) for line in _wrap(r.prompt.removeprefix("a photo of "), 34)[:2]]
        tiles.append((images[index], lines + [(line, colour) for line in _wrap(verdict, 34)[:2]]))
    draw_sheet(tiles, path)


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False)


def main() -> None:
    global PAINT_SHARE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, help="a fresh suite from this seed instead of GenEval's 553 prompts")
    parser.add_argument("--n", type=int, default=100, help="prompts per task in a fresh suite (default 100)")
    parser.add_argument("--pictures", type=int, default=1, help="pictures per prompt, seeds 0.. (GenEval draws 4)")
    parser.add_argument("--failures", type=Path, help="write each failed picture and why (JSONL)")
    parser.add_argument("--sheet", type=Path, help="write a contact sheet of a random sample (PNG)")
    parser.add_argument("--sample", type=int, default=24, help="pictures on the sheet (default 24)")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--paint-share", type=float, default=PAINT_SHARE,
                        help="share of a thing's named pixels a colour needs to name it over white "
                             "(default 1/3; 0.5: a plain vote)")
    args = parser.parse_args()
    PAINT_SHARE = args.paint_share
    prompts = suite(args.seed, args.n) if args.seed is not None else published()
    name = f"fresh suite, seed {args.seed}, n {args.n}" if args.seed is not None else "GenEval's 553 prompts"
    start = time.perf_counter()
    results, images = run(prompts, args.pictures)
    seconds = time.perf_counter() - start
    report = summary(results)
    if args.failures:
        with args.failures.open("w") as out:
            for r in results:
                if not r.passed:
                    out.write(json.dumps({"tag": r.tag, "prompt": r.prompt, "picture": r.picture,
                                          "why": [why(q) for q in r.reasons], "reasons": r.reasons,
                                          "colours": r.colours, "plan": r.plan}) + "\n")
    if args.sheet:
        contact_sheet(results, images, args.sheet, args.sample, args.seed or 0)
    groups: dict[str, int] = {}
    for r in results:
        for q in r.reasons:
            key = reason_group(q)
            groups[key] = groups.get(key, 0) + 1
    fallbacks = sum(c["mask"] != "sprite" for r in results for c in r.colours)
    pictured: dict[str, dict[str, int]] = {}   # which pictures stood for each class (to audit by eye)
    for r in results:
        for thing in r.plan:
            if thing["class"]:
                names = pictured.setdefault(thing["class"], {})
                key = f"{thing['asset']} ({thing['match']})"
                names[key] = names.get(key, 0) + 1
    if args.json:
        print(json.dumps({"suite": name, "pictures_per_prompt": args.pictures, "seconds": round(seconds, 1),
                          **report, "colour_mask_fallbacks": fallbacks,
                          "failure_groups": dict(sorted(groups.items(), key=lambda g: -g[1])),
                          "pictures_by_class": dict(sorted(pictured.items())),
                          "results": [r.__dict__ for r in results]}))
        return
    print(f"GenEval on compose, scored from plans and pixels ({name}, {args.pictures} picture(s) each, "
          f"{seconds:.0f} s)")
    print(f"{'task':14} {'pictures':>8} {'passed':>6} {'score':>6} {'strict':>6}")
    for tag, t in report["tasks"].items():
        print(f"{tag:14} {t['pictures']:8} {t['passed']:6} {t['score']:6.3f} {t['strict']:6.3f}")
    print(f"{'overall':14} {'':8} {'':6} {report['overall']:6.3f} {report['overall_strict']:6.3f}")
    print("strict: things drawn with a merely similar picture (match 'similar') left out")
    if fallbacks:
        print(f"colour judged on whole boxes (no sprite mask) for {fallbacks} instance(s)")
    print("top failure reasons:")
    for key, count in sorted(groups.items(), key=lambda g: -g[1])[:15]:
        print(f"  {count:4}  {key}")


if __name__ == "__main__":
    main()
