"""Does a relation hold in a picture? The engine's reading of the plan's boxes, written into
the plan as each relation's ``holds`` (the tests keep their own reading, tests/everyday_check.py).

Boxes are (x0, y0, x1, y1), y growing downwards; an object's ``surfaces`` give where things rest
on it (its top or seat line, its interior) when its picture has them.
"""

from __future__ import annotations


WATERS = ("lake", "river", "sea")


def _union(boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _overlap_x(a, b) -> float:
    return max(0, min(a[2], b[2]) - max(a[0], b[0]))


def _area(b) -> float:
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])


def _inter(a, b) -> float:
    return _overlap_x(a, b) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def _surface(obj: dict, name: str, box_index: int = 0):
    surfaces = obj.get("surfaces") or []
    if box_index < len(surfaces) and surfaces[box_index]:
        return surfaces[box_index].get(name)
    return None


def relation_holds(relation: str, subject: dict, anchor: dict, width: int, height: int) -> bool:
    """Whether every instance of ``subject`` stands in ``relation`` to ``anchor`` (plan objects)."""
    if not subject.get("boxes") or not anchor.get("boxes"):
        return False
    b = _union(anchor["boxes"])
    top = _surface(anchor, "top")
    top = b[1] if top is None else top
    boxes = subject["boxes"]
    if relation == "beside":   # a flock beside a farmer: the group stands next to it, together
        boxes = [_union(boxes)]
    for i, a in enumerate(boxes):
        aw = a[2] - a[0]
        acx, acy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
        if relation == "on" and anchor.get("role") == "setting" and anchor.get("noun") in WATERS:
            ok = b[1] <= a[3] <= b[3] + 0.02 * height   # on a lake: floating in it, anywhere on its water
        elif relation in ("on", "crossing"):
            ok = abs(a[3] - top) <= 0.05 * height and _overlap_x(a, b) >= 0.4 * aw and acy < (b[1] + b[3]) / 2 + 1
        elif relation == "riding":
            seat = _surface(anchor, "seat")
            ok = seat is not None and a[1] < seat < a[3] and b[0] <= acx <= b[2]
        elif relation == "in":
            inner = _surface(anchor, "interior") or b
            ok = _inter(a, (inner[0] - 0.02 * width, inner[1] - 0.02 * height, inner[2] + 0.02 * width,
                            inner[3] + 0.02 * height)) >= 0.7 * _area(a)
        elif relation == "under":
            ok = a[1] >= top - 0.02 * height and _overlap_x(a, b) >= 0.5 * aw
        elif relation == "below":
            ok = acy > (b[1] + b[3]) / 2
        elif relation == "above":
            ok = a[3] <= top + 0.01 * height and abs(acx - (b[0] + b[2]) / 2) <= 0.4 * width
        elif relation == "holding":
            gap = max(b[0] - a[2], a[0] - b[2], 0)
            ok = gap <= 0.04 * width
        elif relation == "beside":
            gap = max(b[0] - a[2], a[0] - b[2], 0)
            ok = gap <= 0.35 * width and _inter(a, b) <= 0.3 * min(_area(a), _area(b)) + \
                0.3 * _area(a) * (len(subject["boxes"]) > 1)
        elif relation == "left of":
            ok = acx < b[0]
        elif relation == "right of":
            ok = acx > b[2]
        elif relation in ("in front of", "behind"):
            layers_a = subject.get("layers") or [subject.get("layer", 0)]
            layers_b = anchor.get("layers") or [anchor.get("layer", 0)]
            nearer = max(layers_a) > max(layers_b)
            ok = (nearer if relation == "in front of" else not nearer) and (
                _overlap_x(a, b) > 0 or subject.get("depth", 0) != anchor.get("depth", 0))
        elif relation == "following":
            facing = (subject.get("facing") or ["front"])[min(i, len(subject.get("facing") or [1]) - 1)]
            lead = (anchor.get("facing") or ["front"])[0]
            ahead = (b[0] + b[2]) / 2 > acx if lead == "right" else (b[0] + b[2]) / 2 < acx
            ok = facing == lead and lead in ("left", "right") and ahead
        else:
            return False
        if not ok:
            return False
    return True
