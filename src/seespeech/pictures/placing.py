"""How each relation places a thing against its anchor: on (its top or seat), in (its interior),
under, held by (the hands), above (a flock over it), in front of / behind, and beside (left of,
right of, next to, following). ``Layout`` mixes these in."""

from __future__ import annotations

import math

from seespeech.pictures.geometry import MIN_AREA, Box, Link, Thing, _overlap


#: how each relation places a thing against its anchor (Layout's methods; any other: beside it)
PLACERS = {
    "on": "_put_on",
    "riding": "_put_on",
    "crossing": "_put_on",
    "in": "_put_in",
    "under": "_put_under",
    "below": "_put_under",
    "held by": "_put_held",
    "above": "_put_above",
    "in front of": "_put_front_or_behind",
    "behind": "_put_front_or_behind",
}



class Placing:
    """The placers ``Layout`` mixes in: each puts a thing against its anchor for one relation
    and returns its boxes (``PLACERS`` says which serves which)."""

    def _put_on(self, t: Thing, link: Link, anchor: Thing, a: Box, w: float, h: float) -> list[Box]:
        """On, riding, crossing: on its top (or seat), side by side in slots."""
        rel = link.relation
        boxes: list[Box] = []
        sits = rel == "on" and "seat_at" in t.surfaces and "seat" in anchor.surfaces and t.count == 1
        target = anchor.boxes
        for k in range(t.count):
            b = target[k % len(target)] if len(target) > 1 and t.count <= len(target) else a
            if rel == "riding" or sits:   # a rider's (or sitter's) hip on the seat, legs down its side
                seat = anchor.surfaces.get("seat") or (0.35, 0.3, 0.7)
                y = b.y0 + b.h * (seat[0] if isinstance(seat, (list, tuple)) else seat)
                cx = b.x0 + b.w * ((seat[1] + seat[2]) / 2 if isinstance(seat, (list, tuple)) and len(seat) > 2 else 0.5)
                hip = t.surfaces.get("seat_at", 0.55)   # where the rider's hip is, from its top
                boxes.append(Box(cx - w / 2, y - h * hip, cx + w / 2, y - h * hip + h))
                continue
            top = self._surface_box(anchor, b, "top")
            span_x0, span_y, span_x1 = top
            if anchor.feature and anchor.noun in ("lake", "river", "sea"):   # floats on it, not at its edge
                span_y = self._base_for(t, 0) if self.g.water else b.y0 + 0.55 * b.h
            if rel == "crossing":
                w2 = min(max(w, 0.3 * self.W), 0.6 * self.W)
                h2 = h * w2 / w
                w, h = w2, h2
            first, total = self._slots(t, link) if b is a else (0, 1)
            avail = (span_x1 - span_x0) / max(1, total)
            if w > avail * 0.95 and total > 1:
                k_shrink = avail * 0.95 / w
                w, h = w * k_shrink, h * k_shrink
            idx, slots = first + k, total
            cx = span_x0 + (span_x1 - span_x0) * (idx + 0.5) / slots
            if anchor.feature and anchor.noun == "island" and slots == 1:
                cx = span_x0 + (span_x1 - span_x0) * 0.3   # beside the island's palm, not in it
            boxes.append(Box.at(cx, span_y, w, h))
        return boxes

    def _put_in(self, t: Thing, link: Link, anchor: Thing, a: Box, w: float, h: float) -> list[Box]:
        """In: inside its interior, a heap in rows from the bottom up."""
        boxes: list[Box] = []
        inner = self._surface_box4(anchor, a, "interior")
        ix0, iy0, ix1, iy1 = inner
        rim = anchor.surfaces.get("rim")
        first, total = self._slots(t, link)   # a cat and a dog in one basket: side by side
        fit = min(1.0, 0.92 * (ix1 - ix0) / max(1, w * min(total, 3)))
        if rim is None:   # a closed container holds all of it; an open one lets it show above
            fit = min(fit, 0.92 * (iy1 - iy0) / max(1, h))
        w, h = w * fit, h * fit
        if rim is not None:   # an open box: what is in it shows above its front
            rim_y = a.y0 + a.h * rim
            iy1 = min(iy1, rim_y + 0.45 * h / 0.96)
        # several things in one container: a heap, rows from the bottom up
        per_row = max(1, min(total, int(0.96 * (ix1 - ix0) // max(1, w * 1.02))))
        for k in range(first, first + t.count):
            row, col = divmod(k, per_row)
            in_row = min(per_row, total - row * per_row)
            cx = ix0 + (ix1 - ix0) * (col + 0.5) / in_row
            bottom = iy1 - 0.04 * (iy1 - iy0) - row * h * 0.7
            boxes.append(Box.at(cx + (row % 2) * 0.25 * w, bottom, w, h))
        return boxes

    def _put_under(self, t: Thing, link: Link, anchor: Thing, a: Box, w: float, h: float) -> list[Box]:
        """Under, below: under it, side by side."""
        rel = link.relation
        boxes: list[Box] = []
        top_y = self._surface_box(anchor, a, "top")[1]
        room = max(8.0, a.y1 - top_y)
        if rel == "under" and h > 0.85 * room and anchor.rests != "sky" and a.y1 > top_y:
            k_fit = 0.85 * room / h
            if anchor.noun in ("tree", "pine", "palm", "umbrella"):
                k_fit = max(k_fit, 1.0) if h < room else k_fit
            w, h = w * k_fit, h * k_fit
        first, total = self._slots(t, link)
        if total > 1 and w > 0.95 * a.w / total:   # side by side under it, not in one another
            k_fit = 0.95 * a.w / total / w
            w, h = w * k_fit, h * k_fit
        for k in range(t.count):
            cx = a.x0 + a.w * (first + k + 0.5) / total
            bottom = a.y1 if rel == "under" else min(self.H - 2, a.y1 + h + 0.02 * self.H)
            if anchor.rests == "sky" or anchor.region == "sky":
                bottom = self._plane_base(anchor.depth if anchor.depth < 2 else 0)
            boxes.append(Box.at(cx, bottom, w, h))
        return boxes

    def _put_held(self, t: Thing, link: Link, anchor: Thing, a: Box, w: float, h: float) -> list[Box]:
        """Held by: in the holder's hands (balloons on strings above them)."""
        boxes: list[Box] = []
        hands = anchor.surfaces.get("hands") or [(0.8, 0.5)] * len(anchor.boxes)
        cap = 0.45 * a.h / len(anchor.boxes) if anchor.boxes else h
        if h > cap:
            w, h = w * cap / h, cap
        per_hand = math.ceil(t.count / max(1, len(anchor.boxes)))
        for k in range(t.count):
            b = anchor.boxes[k % len(anchor.boxes)]
            hx, hy = hands[k % len(hands)]
            px, py = b.x0 + b.w * hx, b.y0 + b.h * hy
            fan = (k // len(anchor.boxes)) - (per_hand - 1) / 2   # a bunch fans out from one hand
            if t.noun in ("balloon",):   # on a string above the hand
                top = b.y0 - 0.15 * b.h - abs(fan) * 0.12 * h
                boxes.append(Box(px - w / 2 + fan * 0.95 * w, top, px + w / 2 + fan * 0.95 * w, top + h))
            else:
                boxes.append(Box(px - w / 2 + fan * 0.9 * w, py - h / 2, px + w / 2 + fan * 0.9 * w, py + h / 2))
        return boxes

    def _put_above(self, t: Thing, link: Link, anchor: Thing, a: Box, w: float, h: float) -> list[Box]:
        """Above: over it; a flock spread over the sky above."""
        boxes: list[Box] = []
        top_y = a.y0
        if t.rests == "sky" and not t.far:
            w, h = w * 0.6, h * 0.6   # up in the air, farther away than what it flies over
        room = top_y - 0.06 * self.H
        if h > 0.9 * room > 0:
            k_fit = max(0.9 * room / h, math.sqrt(MIN_AREA * self.W * self.H / max(w * h, 1)))
            w, h = w * k_fit, h * k_fit
        if t.count == 1:
            boxes.append(Box.at(a.cx, max(h + 2, top_y - 0.05 * self.H), w, h))
        else:   # a flock over it: spread over the sky above, not stacked in a row
            lo = max(w / 2 + 2, a.cx - 0.33 * self.W)
            hi = min(self.W - w / 2 - 2, a.cx + 0.33 * self.W)
            for k in range(t.count):
                best, best_cost = None, None
                for _ in range(40):
                    cx = self.rng.uniform(lo, max(lo + 1, hi))
                    bottom = self.rng.uniform(h + 2, max(h + 3, top_y - 0.04 * self.H))
                    box = Box.at(cx, bottom, w, h)
                    cost = sum(_overlap(box, b) for b in boxes + self._taken())
                    if best_cost is None or cost < best_cost:
                        best, best_cost = box, cost
                    if cost < 0.02 * w * h:
                        break
                boxes.append(best)
        return boxes

    def _put_front_or_behind(self, t: Thing, link: Link, anchor: Thing, a: Box, w: float, h: float) -> list[Box]:
        """In front of (nearer, overlapping) or behind (farther, 60 % showing)."""
        rel = link.relation
        boxes: list[Box] = []
        base = self._base_for(anchor, 0) if rel == "in front of" else self._base_for(anchor, min(2, anchor.depth + 1))
        if rel == "in front of" and anchor.depth == 0:
            anchor_base = a.y1
            base = min(self.H - 2, max(anchor_base + 0.04 * self.H, self._plane_base(0)))
        if rel == "behind":
            w, h = w * 0.8, h * 0.8
        for k in range(t.count):
            shift = (0.5 * (a.w + w) - 0.4 * w if rel == "behind" else 0.0)   # peeks out: 60 % shows
            cx = a.cx + shift + (k - (t.count - 1) / 2) * w * 1.1
            bottom = base if rel == "in front of" else min(a.y1, base)
            boxes.append(Box.at(cx, bottom, w, h))
        t.depth = max(0, anchor.depth - 1) if rel == "in front of" else min(2, anchor.depth + 1)
        return boxes

    def _put_beside(self, t: Thing, link: Link, anchor: Thing, a: Box, w: float, h: float) -> list[Box]:
        """Beside, next to, left of, right of, following, facing: on its side, after what stands there."""
        rel = link.relation
        boxes: list[Box] = []
        side = self._side_of(link) or 1
        if rel == "following":
            lead = anchor.facings[0] if anchor.facings and anchor.facings[0] in ("left", "right") else "right"
            anchor.facings = [lead] * len(anchor.boxes)
            side = -1 if lead == "right" else 1
        base = a.y1 if anchor.rests not in ("sky",) else min(self.H - 2, max(h + 2, a.y1))  # in the sky too
        if anchor.raised:   # beside a cake on the counter: standing on the floor in front of it
            base = self._plane_base(0)
        if anchor.feature:
            base = self._plane_base(0)
        gap = 0.025 * self.W
        # after what already stands on that side of the anchor
        beside = [b for l in self.children(anchor.index) if l is not link and self._side_of(l) == side
                  for b in self.by_index[l.subject].boxes]
        edge = min([a.x0] + [b.x0 for b in beside]) if side < 0 else max([a.x1] + [b.x1 for b in beside])
        x = edge - gap if side < 0 else edge + gap
        for k in range(t.count):
            if side < 0:
                boxes.append(Box(x - w, base - h, x, base))
                x -= w + 0.12 * w
            else:
                boxes.append(Box(x, base - h, x + w, base))
                x += w + 0.12 * w
        return boxes
