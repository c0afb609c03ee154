"""Is a composed picture fully right? The test's own reading of a plan, independent of the engine.

A plan (the compose engine's JSON) lists each object's boxes (x0, y0, x1, y1; y grows down),
the layer each box was drawn in, where things rest on it (``surfaces``: top/seat/interior, when
the asset has them), its person figure and its facing. ``check(case, plan)`` returns the list of
what is wrong — empty when the picture is fully right:

* every expected object is drawn with a real asset (not a placeholder card) in the said number,
  each instance at least 0.8 % of the picture, inside it, and at least half visible;
* every relation holds on the boxes by the rules below;
* setting, time and weather are the said ones; nothing is unmatched; nothing in ``absent``;
* speech that is not a scene is drawn as an illustration with the expected symbols.
"""

from __future__ import annotations

import numpy as np

MIN_AREA = 0.008          # of the picture, per instance
MIN_VISIBLE = 0.5         # share of an instance not covered by later layers
GRID = 64                 # occupancy grid for visibility


def union(boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def area(b) -> float:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def overlap_x(a, b) -> float:
    return max(0, min(a[2], b[2]) - max(a[0], b[0]))


def intersection(a, b) -> float:
    return overlap_x(a, b) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def find(plan, noun):
    """The plan's object for a noun: by noun, word, or person role."""
    for o in plan.get("objects", []):
        if noun in (o.get("noun"), o.get("word")) or (o.get("person") or {}).get("role") == noun:
            return o
    return None


def _surface(obj, index, name):
    surfaces = obj.get("surfaces") or []
    if index < len(surfaces) and surfaces[index] and name in surfaces[index]:
        return surfaces[index][name]
    return None


def top_of(obj, index=0) -> float:
    """Where things rest on the object: its top surface when the plan says, else its box top."""
    top = _surface(obj, index, "top")
    return top if top is not None else obj["boxes"][index][1]


def visibility(plan, width, height):
    """For each (object, box): the share of its pixels not covered by boxes drawn after it."""
    scale_x, scale_y = GRID / width, GRID / height
    cells = []
    for o in plan.get("objects", []):
        layers = o.get("layers") or [o.get("layer", 0)] * len(o.get("boxes", []))
        # what an instance covers of what is drawn before it: its box, or the part the plan says
        # covers (a crib's bars and rail, not the space above its mattress)
        covers = o.get("occludes") or o.get("boxes", [])
        opacity = o.get("opacity") or [1.0] * len(o.get("boxes", []))
        for i, b in enumerate(o.get("boxes", [])):
            cells.append((layers[i], id(o), i, b, (covers[i], opacity[i])))
    result = {}
    for layer, oid, i, b, _ in cells:
        mask = np.zeros((GRID, GRID), bool)
        x0, y0 = int(max(0, b[0]) * scale_x), int(max(0, b[1]) * scale_y)
        x1, y1 = int(np.ceil(min(width, b[2]) * scale_x)), int(np.ceil(min(height, b[3]) * scale_y))
        mask[y0:y1, x0:x1] = True
        total = mask.sum()
        if not total:
            result[(oid, i)] = 0.0
            continue
        covered = np.zeros(mask.shape, np.float32)
        for other_layer, other, j, _, (c, opacity) in cells:
            if other_layer > layer and (other, j) != (oid, i):
                cx0, cy0 = int(max(0, c[0]) * scale_x), int(max(0, c[1]) * scale_y)
                cx1, cy1 = int(np.ceil(min(width, c[2]) * scale_x)), int(np.ceil(min(height, c[3]) * scale_y))
                if cx1 <= cx0 or cy1 <= cy0:
                    continue
                # an occluder with an opacity grid (bars) covers each part as much as it says
                shade = _grid(opacity, cx1 - cx0, cy1 - cy0)
                covered[cy0:cy1, cx0:cx1] = np.maximum(covered[cy0:cy1, cx0:cx1], shade)
        result[(oid, i)] = 1 - (covered * mask).sum() / total
    return result


def _grid(opacity, w: int, h: int) -> np.ndarray:
    if not isinstance(opacity, list):
        return np.full((h, w), float(opacity), np.float32)
    g = np.asarray(opacity, np.float32)
    rows = np.minimum((np.arange(h) * g.shape[0]) // max(h, 1), g.shape[0] - 1)
    cols = np.minimum((np.arange(w) * g.shape[1]) // max(w, 1), g.shape[1] - 1)
    return g[np.ix_(rows, cols)]


def relation_holds(rel: str, a_obj, b_obj, width: int, height: int) -> bool:
    """The test's reading of each relation: every box of A against B (the union of B's boxes)."""
    b = union(b_obj["boxes"])
    facing_a = a_obj.get("facing") or []
    facing_b = b_obj.get("facing") or []
    boxes = a_obj["boxes"]
    if rel in ("beside", "next to") and len(boxes) > 1:   # a group stands next to it, together
        boxes = [union(boxes)]
    for i, a in enumerate(boxes):
        aw, ah = a[2] - a[0], a[3] - a[1]
        acx, acy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
        j = 0 if len(b_obj["boxes"]) == 1 else min(range(len(b_obj["boxes"])),
                                                   key=lambda k: abs((b_obj["boxes"][k][0] + b_obj["boxes"][k][2]) / 2 - acx))
        bj = b_obj["boxes"][j]
        top = top_of(b_obj, j)
        seat = _surface(b_obj, j, "seat")
        # sitting or riding: the seat line crosses the lower half of the sitter (legs hang below it)
        sitting = seat is not None and a[1] + 0.35 * ah <= seat <= a[3] - 0.02 * ah
        if rel == "riding":
            ok = sitting and bj[0] + 0.1 * (bj[2] - bj[0]) <= acx <= bj[2] - 0.1 * (bj[2] - bj[0])
        elif rel == "on" and b_obj.get("role") == "setting" and b_obj.get("noun") in ("lake", "river", "sea"):
            ok = bj[1] <= a[3] <= bj[3] + 0.02 * height   # on a lake: floating on its water
        elif rel in ("on", "crossing"):
            standing = abs(a[3] - top) <= 0.04 * height and overlap_x(a, bj) >= 0.5 * aw and acy < (bj[1] + bj[3]) / 2
            ok = standing or (sitting and overlap_x(a, bj) >= 0.5 * aw)
            if rel == "crossing":
                ok = ok and (bj[2] - bj[0]) >= 0.6 * width
        elif rel == "in":
            inner = _surface(b_obj, j, "interior")
            box = inner if inner is not None else bj
            grown = (box[0] - 0.02 * width, box[1] - 0.02 * height, box[2] + 0.02 * width, box[3] + 0.02 * height)
            ok = intersection(a, grown) >= 0.7 * area(a)
        elif rel == "under":
            ok = a[1] >= top - 0.02 * height and overlap_x(a, bj) >= 0.5 * aw and a[3] <= bj[3] + 0.05 * height
        elif rel in ("beside", "next to"):
            gap = max(bj[0] - a[2], a[0] - bj[2], 0)
            ok = intersection(a, bj) <= 0.25 * min(area(a), area(bj)) and gap <= 0.35 * width \
                and abs(a[3] - bj[3]) <= 0.15 * height
        elif rel == "left of":
            ok = acx < b[0]
        elif rel == "right of":
            ok = acx > b[2]
        elif rel == "behind":
            ok = _layer(a_obj, i) < _layer(b_obj, j) and (overlap_x(a, bj) > 0 or _depth(a_obj) > _depth(b_obj))
        elif rel in ("in front of", "past"):
            ok = _layer(a_obj, i) > _layer(b_obj, j) and overlap_x(a, bj) > 0 and a[3] >= bj[3] - 0.02 * height
        elif rel in ("above", "flying over", "over"):
            ok = a[3] <= top + 0.01 * height and abs(acx - (bj[0] + bj[2]) / 2) <= 0.35 * width
        elif rel in ("following", "chasing"):
            fa = facing_a[i] if i < len(facing_a) else None
            fb = facing_b[j] if j < len(facing_b) else None
            bcx = (bj[0] + bj[2]) / 2
            behind_leader = (acx < bcx) if fb == "right" else (acx > bcx)
            ok = fa is not None and fa == fb and behind_leader and abs(a[3] - bj[3]) <= 0.15 * height
        elif rel == "facing":
            fa = facing_a[i] if i < len(facing_a) else None
            bcx = (bj[0] + bj[2]) / 2
            ok = (fa == "right" and bcx > acx) or (fa == "left" and bcx < acx)
        else:
            return False
        if not ok:
            return False
    return True


def _layer(obj, i):
    layers = obj.get("layers") or [obj.get("layer", 0)] * len(obj["boxes"])
    return layers[i]


def _depth(obj):
    return obj.get("depth", 0) or 0


def _name(obj) -> str:
    asset = obj.get("asset") or {}
    person = obj.get("person") or {}
    return " ".join(filter(None, [asset.get("name", ""), person.get("role") or "", person.get("age") or ""]))


def check(case: dict, plan: dict) -> list[str]:
    """What is wrong with ``plan`` for ``case`` (empty: fully right)."""
    width, height = plan["size"]
    problems = []
    seen = visibility(plan, width, height)
    if case.get("mode", "scene") != plan.get("mode", "scene"):
        problems.append(f"mode {plan.get('mode', 'scene')}, not {case.get('mode', 'scene')}")
    for noun, count in case.get("objects", {}).items():
        obj = find(plan, noun)
        if obj is None:
            problems.append(f"{noun}: not in the plan")
            continue
        expected = case.get("assets", {}).get(noun, noun)
        if obj.get("placeholder") or not obj.get("asset"):
            problems.append(f"{noun}: drawn as a placeholder")
            continue
        person = case.get("people", {}).get(noun)
        if person:
            got = obj.get("person") or {}
            for key, value in person.items():
                if got.get(key) != value:
                    problems.append(f"{noun}: person {key} {got.get(key)!r}, not {value!r}")
        elif expected not in _name(obj) and expected not in (obj.get("noun"), obj.get("word")):
            problems.append(f"{noun}: asset '{_name(obj)}' does not show '{expected}'")
        if len(obj["boxes"]) != count:
            problems.append(f"{noun}: {len(obj['boxes'])} drawn, not {count}")
        for i, box in enumerate(obj["boxes"]):
            inside = intersection(box, (0, 0, width, height))
            if area(box) < MIN_AREA * width * height:
                problems.append(f"{noun}: instance {i} is {area(box) / (width * height):.2%} of the picture")
            if inside < 0.6 * area(box):
                problems.append(f"{noun}: instance {i} is mostly outside the picture")
            if seen.get((id(obj), i), 1) < MIN_VISIBLE:
                problems.append(f"{noun}: instance {i} is mostly hidden")
        share = case.get("min_area", {}).get(noun)
        if share and area(union(obj["boxes"])) < share * width * height:
            problems.append(f"{noun}: {area(union(obj['boxes'])) / (width * height):.1%} of the picture, "
                            f"not at least {share:.0%}")
    for subject, rel, anchor in case.get("relations", []):
        a, b = find(plan, subject), find(plan, anchor)
        if a is None or b is None or not a.get("boxes") or not b.get("boxes"):
            problems.append(f"{subject} {rel} {anchor}: an object is missing")
        elif rel == "holding":
            if not _holding(a, b, width, height):
                problems.append(f"{subject} {rel} {anchor}: does not hold")
        elif not relation_holds(rel, a, b, width, height):
            problems.append(f"{subject} {rel} {anchor}: does not hold")
    for (big, small), ratio in case.get("taller", {}).items():
        a, b = find(plan, big), find(plan, small)
        if a and b and (a["boxes"][0][3] - a["boxes"][0][1]) < ratio * (b["boxes"][0][3] - b["boxes"][0][1]):
            problems.append(f"{big} is not {ratio}x as tall as {small}")
    for (big, small), ratio in case.get("larger", {}).items():
        a, b = find(plan, big), find(plan, small)
        if a and b and area(a["boxes"][0]) < ratio * area(b["boxes"][0]):
            problems.append(f"{big} is not {ratio}x as large as {small}")
    for noun, colour in case.get("colours", {}).items():
        obj = find(plan, noun)
        if obj and obj.get("colour") != colour:
            problems.append(f"{noun}: colour {obj.get('colour')}, not {colour}")
    setting = plan.get("setting", {})
    if "place" in case and setting.get("place") != case["place"]:
        problems.append(f"place {setting.get('place')}, not {case['place']}")
    if "time" in case and setting.get("time") != case["time"]:
        problems.append(f"time {setting.get('time')}, not {case['time']}")
    for weather in case.get("weather", []):
        if weather not in (setting.get("weather") or []):
            problems.append(f"weather {setting.get('weather')}, not {weather}")
    if plan.get("unmatched"):
        problems.append(f"unmatched: {plan['unmatched']}")
    drawn_names = " ".join(_name(o) for o in plan.get("objects", []) if not o.get("placeholder"))
    nouns = {o.get("noun") for o in plan.get("objects", [])}
    for word in case.get("absent", []):
        if word in nouns or any(word == part for part in drawn_names.split(" ")):
            problems.append(f"'{word}' is drawn")
    if any(o.get("placeholder") for o in plan.get("objects", [])):
        problems.append("placeholder cards: " + ", ".join(o["noun"] for o in plan["objects"] if o.get("placeholder")))
    chosen = {c.get("word", "").lower(): c for c in plan.get("chosen", [])}
    for word, symbols in case.get("symbols", {}).items():
        entry = chosen.get(word)
        if entry is None or not any(s in entry.get("drawn_as", "") for s in symbols):
            problems.append(f"'{word}' not drawn as any of {symbols} (chosen: {entry})")
    things = [o for o in plan.get("objects", []) if o.get("role") != "setting"]   # a lake is not a thing
    if "max_objects" in case and len(things) > case["max_objects"]:
        problems.append(f"{len(things)} things, more than {case['max_objects']}")
    if case.get("left_out") and not plan.get("left_out"):
        problems.append("nothing said to be left out")
    for noun in case.get("objects_any", []):
        if find(plan, noun) is None:
            problems.append(f"{noun}: not in the plan")
    return problems


def _holding(holder, held, width, height) -> bool:
    """B is at A's hand: touching A, within A's body height, smaller than A."""
    a = union(holder["boxes"])
    for b in held["boxes"]:
        gap = max(b[0] - a[2], a[0] - b[2], 0)
        if gap > 0.03 * width or not (a[1] - 0.25 * (a[3] - a[1]) <= (b[1] + b[3]) / 2 <= a[3]) \
                or area(b) > area(a) * 1.2:
            return False
    return True
