"""Where each thing goes: a camera for the scene, depth planes, and relations made true.

The rules (WordsEye's real-world scale and spatial tags, Text2Scene's three depth planes):

* **Scale.** Every thing has a real height (lexicon.py). The camera is set so that the main
  things — what the sentence is about and what it is related to — fill the picture: the
  tallest stands about 0.62 of the picture's height and together they fit 0.86 of its
  width. So a giraffe is taller than a man, a cup smaller than a laptop, and "a snail on a
  mushroom" is a close-up. Sky things (sun, moon, stars, planets) are far away: their size
  is a share of the picture, not metres.
* **Visible.** Nothing said is drawn smaller than 0.8 % of the picture (a thing the sentence
  is about: 2.5 %); an enlarged thing says so in the plan.
* **Depth.** Three planes (scale 1, 0.7, 0.49; baselines from the stage, farther = higher and
  smaller). Main things stand on the nearest plane; what is "behind" or in the background
  goes farther back and is drawn first.
* **Relations** use the parts of things that things rest on (surfaces): on → feet on the top
  (a table's top, a horse's back, a cliff's top), in → inside the interior (a crib, a boat, a
  basket, a tree's crown), under → below the top, within its width, holding → at the hand,
  riding → on the seat facing the same way, above → clear above, beside → next to it on the
  same ground, following → behind it facing the same way, in front of → nearer and
  overlapping, crossing → on a deck that spans the picture.
"""

from __future__ import annotations

import math
import random

from seespeech.pictures.geometry import (  # noqa: F401  (compose takes these from here)
    BACKDROP, INDOOR_MIN_M, MAX_HEIGHT, MIN_AREA, MIN_SIDE, MIN_SUBJECT_AREA, PLANE_SCALES, SKY_HEIGHT,
    TARGET_HEIGHT, TARGET_WIDTH, WATER_HEIGHT, Box, Ground, Link, Thing, _overlap, _union,
)
from seespeech.pictures.placing import PLACERS, Placing

#: another seed may see the scene from a little farther back (a share of the nearest camera)
CAMERA_STEPS = (1.0, 0.86, 0.74)


class Layout(Placing):
    def __init__(self, things: list[Thing], links: list[Link], ground: Ground, rng: random.Random,
                 vary: bool = False, mirror: bool = False):
        self._grounded = True
        #: another seed, another arrangement: the order of free groups, where the row stands, which
        #: way free animals face (seed 0 keeps the order things were said in)
        self.vary = vary
        #: the stage is seen from the other side: free groups stand in the other order and face
        #: the other way (what was said left or right of something stays there)
        self.mirror = mirror
        self.things = things
        self.links = links
        self.g = ground
        self.rng = rng
        self.W, self.H = ground.width, ground.height
        self._layer = 0
        self.by_index = {t.index: t for t in things}
        # one anchor per thing: the first relation said that places it (no cycles)
        self.parent: dict[int, Link] = {}
        # a held thing is placed by its holder's hand: the holder is its anchor
        links = [Link(l.anchor, "held by", l.subject, l.said) if l.relation == "holding" else l for l in links]
        for link in links:
            if link.subject in self.parent or link.subject not in self.by_index or link.anchor not in self.by_index:
                continue
            if self._depends(link.anchor, link.subject):
                continue
            self.parent[link.subject] = link

    def _depends(self, index: int, on: int) -> bool:
        seen = set()
        while index in self.parent and index not in seen:
            seen.add(index)
            index = self.parent[index].anchor
            if index == on:
                return True
        return index == on

    # ---------------------------------------------------------------- sizes

    def children(self, index: int) -> list[Link]:
        return [l for l in self.parent.values() if l.anchor == index]

    def _slots(self, t: Thing, link: Link) -> tuple[int, int]:
        """Where this thing's instances start among everything put the same way on one anchor
        (a dog and a cat under one tree share it side by side), and how many there are in all."""
        same = [l for l in self.children(link.anchor) if l.relation == link.relation]
        counts = [self.by_index[l.subject].count for l in same]
        at = next((i for i, l in enumerate(same) if l.subject == t.index), len(same))
        return sum(counts[:at]), max(sum(counts), t.count)

    def real_size(self, t: Thing) -> tuple[float, float]:
        """Width and height in metres of one instance."""
        h = t.height_m * t.scale
        return h * t.aspect, h

    def unit_size_m(self, t: Thing) -> tuple[float, float]:
        """A thing with what stands on or rides it (for the camera): width, height in metres."""
        w, h = self.real_size(t)
        width = w * t.count if t.rests != "sky" else 0
        height = h
        for link in self.children(t.index):
            c = self.by_index[link.subject]
            cw, ch = self.unit_size_m(c)
            if link.relation in ("on", "riding"):
                top = self._surface_y(t, "seat" if link.relation == "riding" else "top")
                height = max(height, h * (1 - top) + ch * (0.55 if link.relation == "riding" else 1))
            elif link.relation == "in" and "rim" in t.surfaces:   # who sits in a boat shows above it
                height = max(height, h * t.surfaces["rim"] + ch * 0.6)
            elif link.relation in ("beside", "left of", "right of", "following", "in front of"):
                width += cw + 0.3 * max(w, cw)
                height = max(height, ch)
        return width, height

    def _surface_y(self, t: Thing, name: str) -> float:
        s = t.surfaces.get(name)
        if s is None:
            return 0.0 if name != "seat" else 0.35
        return s[0] if isinstance(s, (tuple, list)) else s

    def camera(self) -> float:
        """Pixels per metre: the main things fill the picture."""
        # what stands on the ground, or on a setting's feature (a cliff, an island)
        roots = [t for t in self.things if not t.feature and t.rests != "sky" and not t.far and (
            t.index not in self.parent or self.by_index[self.parent[t.index].anchor].feature)]
        self._grounded = bool(roots)
        main = [t for t in roots if t.subject or self.children(t.index)] or roots
        if not main:
            return self.H * TARGET_HEIGHT / 2.0
        backdrops = {l.anchor for l in self.parent.values() if l.relation in ("under", "in front of", "behind")}

        def camera_height(t: Thing) -> float:
            return self.unit_size_m(t)[1] * (BACKDROP if t.index in backdrops else 1.0)

        tallest = max(camera_height(t) for t in main)
        total = sum(self.unit_size_m(t)[0] for t in roots) or 1.0
        gaps = 0.15 * total * max(0, len(roots) - 1) / max(1, len(roots))
        room = self.H * TARGET_HEIGHT
        if all(t.rests == "water" or t.region == "water" for t in main):
            room = self.H * WATER_HEIGHT   # boats and swans are seen across the water
        limit = self.W * TARGET_WIDTH / (total + gaps)
        if self.g.indoor and not self.g.close_up:   # a room has its own scale: a door, a window, a bed
            limit = min(limit, self.H * TARGET_HEIGHT / INDOOR_MIN_M)
        on_feature = [t for t in main if t.index in self.parent and self.parent[t.index].relation == "on"
                      and self.by_index[self.parent[t.index].anchor].feature]
        if on_feature:  # things standing on a cliff or an island have less room above them
            room = min(room, 0.9 * min(self.by_index[self.parent[t.index].anchor].given.y0 for t in on_feature))
        return max(1e-6, min(room / max(tallest, 1e-6), limit))

    def size_px(self, t: Thing, ppm: float, plane_scale: float = 1.0) -> tuple[float, float]:
        if t.far:  # far away: a share of the picture
            h = t.height_m * self.H * t.scale
        elif t.rests == "sky" or t.region == "sky":   # up in the air: far off, never filling the sky
            h = min(t.height_m * t.scale * ppm * plane_scale, SKY_HEIGHT * self.H)
            if not self._grounded:
                h = SKY_HEIGHT * self.H * min(1.0, max(0.6, t.height_m / 6))
        else:
            h = t.height_m * t.scale * ppm * plane_scale
        h = min(h, MAX_HEIGHT * self.H)
        w = h * t.aspect
        if w > 0.95 * self.W:
            w, h = 0.95 * self.W, 0.95 * self.W / t.aspect
        floor = (MIN_SUBJECT_AREA if t.subject and t.count == 1 and not t.far else MIN_AREA) * self.W * self.H
        if w * h < floor:
            k = math.sqrt(floor / max(w * h, 1e-6))
            w, h = w * k, h * k
            t.enlarged = True
        return max(w, MIN_SIDE), max(h, MIN_SIDE)

    # ---------------------------------------------------------------- placing

    def run(self) -> None:
        ppm = self.camera()
        if self.vary:   # another take: the camera a step or two farther back
            ppm *= self.rng.choice(CAMERA_STEPS)
        self.ppm = ppm
        for t in self.things:
            if t.feature and t.given is not None:
                t.boxes = [t.given]
                t.layers = [0]
                t.facings = ["front"]
                t.depth = 1
        roots = [t for t in self.things if t.index not in self.parent and not t.feature]
        tabled = []
        if self.g.counter is not None:   # small things stand on the counter, not on the floor
            sided = {i for l in self.links if l.relation in ("left of", "right of") for i in (l.subject, l.anchor)}
            tabled = [t for t in roots if t.on_table and t.index not in sided]   # left of the couch: on the floor
            roots = [t for t in roots if not t.on_table]
        ground_roots = [t for t in roots if t.rests not in ("sky",) and t.region != "sky"]
        sky_roots = [t for t in roots if t not in ground_roots]
        self._place_row(ground_roots, ppm)
        if tabled:   # after the floor's row: on the stretches of counter it does not hide
            self._place_on_counter(tabled, ppm, [b for t in ground_roots for b in t.boxes])
        for t in sky_roots:
            self._place_sky(t, ppm)
        # anchored things, parents first
        done = {t.index for t in self.things if t.boxes}
        pending = [t for t in self.things if not t.boxes]
        for _ in range(len(pending) + 1):
            progress = False
            for t in pending:
                if t.boxes:
                    continue
                link = self.parent.get(t.index)
                if link is None:
                    self._place_sky(t, ppm) if t.rests == "sky" else self._place_row([t], ppm)
                elif link.anchor in done:
                    self._attach(t, link, ppm)
                else:
                    continue
                done.add(t.index)
                progress = True
            if not progress:
                break
        for t in self.things:
            if not t.boxes:  # a cycle or a missing anchor: it still gets drawn
                self._place_row([t], ppm)
        for t in self.things:   # a crowded or narrow picture: nothing leaves the frame
            if not (t.feature and t.given is not None):
                t.boxes = [self._inside(b) for b in t.boxes]
        self._layers()

    def _place_on_counter(self, things: list[Thing], ppm: float, hiding: list[Box] = ()) -> None:
        """Small things side by side along the counter top, spread over the stretches that what
        stands on the floor in front (``hiding``: boxes reaching above the top) leaves in view."""
        x0, y0, x1, _ = self.g.counter
        slots = sum(t.count for t in things)
        widest = max((self.size_px(t, ppm, PLANE_SCALES[1])[0] for t in things), default=0.0)
        spans = [(x0, x1)]
        for b in hiding:
            if b.y0 < y0:
                spans = [piece for a, z in spans for piece in ((a, min(z, b.x0)), (max(a, b.x1), z)) if piece[1] > piece[0]]
        spans = [(a, z) for a, z in spans if z - a >= widest * 1.1] or [(x0, x1)]
        free = sum(z - a for a, z in spans)

        def along(d: float) -> float:   # a distance along the free stretches → x
            for a, z in spans:
                if d <= z - a:
                    return a + d
                d -= z - a
            return spans[-1][1]

        k = 0
        for t in things:
            w, h = self.size_px(t, ppm, PLANE_SCALES[1])
            t.boxes = []
            for _ in range(t.count):
                cx = along(free * (k + 0.5) / max(1, slots))
                t.boxes.append(self._inside(Box.at(cx, y0, w, h)))
                k += 1
            t.facings = [self._facing_for(t)] * t.count
            t.depth, t.raised = 1, True

    def _plane_base(self, plane: int) -> float:
        return self.g.planes[min(plane, 2)]

    def _base_for(self, t: Thing, plane: int) -> float:
        if (t.rests == "water" or t.region == "water") and self.g.water:
            x0, y0, x1, y1 = self.g.water
            return y0 + (y1 - y0) * (0.72 if plane == 0 else 0.42 if plane == 1 else 0.18)
        return self._plane_base(plane)

    def _place_row(self, things: list[Thing], ppm: float) -> None:
        """Roots on the ground, left to right as said (relations first), centred; a row too
        wide for the nearest plane puts its later things on farther planes."""
        if not things:
            return
        order = self._order(things)
        plane_of = {t.index: 0 for t in order}
        fronted = {l.anchor for l in self.parent.values() if l.relation == "in front of"}
        for t in order:   # what something is in front of stands farther back
            if t.index in fronted:
                plane_of[t.index] = 1
        for t in order:   # "behind X" roots and backdrops stand farther back
            if t.noun in ("house", "building", "castle", "church", "school", "hospital", "shop", "barn",
                          "lighthouse", "mountain", "volcano", "skyscraper", "windmill") and len(order) > 1 and not t.subject:
                plane_of[t.index] = 1
        widths = {t.index: self._group_width(t, ppm, PLANE_SCALES[plane_of[t.index]]) for t in order}
        gap = 0.04 * self.W
        total = sum(widths.values()) + gap * (len(order) - 1)
        if total > 0.96 * self.W and len(order) > 1:
            # too wide: later things go one plane back (smaller), until it fits
            for t in reversed(order):
                if total <= 0.96 * self.W:
                    break
                if plane_of[t.index] < 2:
                    plane_of[t.index] += 1
                    old = widths[t.index]
                    widths[t.index] = self._group_width(t, ppm, PLANE_SCALES[plane_of[t.index]])
                    total -= old - widths[t.index]
        squeeze = min(1.0, 0.96 * self.W / max(total, 1))
        x = (self.W - min(total, 0.96 * self.W)) / 2
        if self.vary:   # the row stands a little left or right of the middle
            x = max(0.02 * self.W, min(x + self.rng.uniform(-0.5, 0.5) * x, self.W - min(total, 0.96 * self.W)))
        for t in order:
            width = widths[t.index] * squeeze
            self._place_group(t, x, x + width, plane_of[t.index], ppm, squeeze)
            x += width + gap * squeeze

    def _order(self, things: list[Thing]) -> list[Thing]:
        order = list(things)
        if self.vary:
            self.rng.shuffle(order)
        if self.mirror:
            order.reverse()
        for link in self.links:   # left of / right of between roots
            a, b = self.by_index.get(link.subject), self.by_index.get(link.anchor)
            if a in order and b in order and link.relation in ("left of", "right of"):
                order.remove(a)
                k = order.index(b)
                order.insert(k if link.relation == "left of" else k + 1, a)
        return order

    def _group_width(self, t: Thing, ppm: float, plane_scale: float) -> float:
        w, h = self.size_px(t, ppm, plane_scale)
        own = w * t.count + 0.15 * w * max(0, t.count - 1)
        extra = 0.0
        for link in self.children(t.index):
            if link.relation in ("beside", "left of", "right of", "following", "next to"):
                c = self.by_index[link.subject]
                cw, _ = self.size_px(c, ppm, plane_scale)
                extra += cw * c.count + 0.2 * cw * c.count + 0.05 * self.W
        return own + extra

    def _place_group(self, t: Thing, x0: float, x1: float, plane: int, ppm: float, squeeze: float = 1.0) -> None:
        """Instances side by side from the left of the span, after room for what goes left of it."""
        scale = PLANE_SCALES[plane] * squeeze
        w, h = self.size_px(t, ppm, scale)
        left = 0.0
        for link in self.children(t.index):
            if self._side_of(link) < 0:
                c = self.by_index[link.subject]
                cw, _ = self.size_px(c, ppm, scale)
                left += cw * c.count * 1.12 + 0.025 * self.W
        start = x0 + left
        base = self._base_for(t, plane)
        step = w * 1.15
        t.boxes = [Box.at(start + w / 2 + k * step, base + self._jitter(k, t) * self.H, w, h) for k in range(t.count)]
        t.facings = [self._facing_for(t)] * t.count
        if t.facing in ("left", "right") and (self.mirror or self.vary and self.rng.random() < 0.5):
            t.facings = ["left" if t.facing == "right" else "right"] * t.count
        if any(l.relation == "following" for l in self.children(t.index)) and t.facing != "front":
            t.facings = ["right"] * t.count   # a leader runs away to the right, the follower after it
        t.depth = plane

    def _side_of(self, link: Link) -> int:
        """Which side of its anchor a thing beside it stands: left of → left, right of → right,
        a follower behind a leader running right; several things beside one: right, left, right…"""
        if link.relation == "left of":
            return -1
        if link.relation == "right of":
            return 1
        if link.relation == "following":
            anchor = self.by_index[link.anchor]
            return 1 if anchor.facing == "left" and anchor.facings and anchor.facings[0] == "left" else -1
        if link.relation not in ("beside", "next to"):
            return 0
        siblings = [l for l in self.children(link.anchor) if l.relation in ("beside", "next to")]
        side = 1 if siblings.index(link) % 2 == 0 else -1
        return -side if self.mirror else side

    def _jitter(self, k: int, t: Thing) -> float:
        if t.count == 1:
            return 0.0
        return (0.012 if k % 2 else 0.0)

    def _facing_for(self, t: Thing) -> str:
        return t.facing if t.facing in ("left", "right") else "front"

    def _place_sky(self, t: Thing, ppm: float) -> None:
        sky = self.g.sky or (0, 0, self.W, int(self.g.horizon))
        sx0, sy0, sx1, sy1 = sky
        w, h = self.size_px(t, ppm)
        if t.noun in ("sun", "moon"):
            cx = sx0 + (sx1 - sx0) * (0.8 if t.noun == "sun" else 0.2)
            top = sy0 + (0.06 if self.g.ground_free else 0.4) * self.H   # in space: in the middle
            t.boxes = [Box(cx - w / 2, top, cx + w / 2, top + h)]
        else:
            boxes: list[Box] = []
            band = (sx1 - sx0) * min(sy1 - sy0, 0.55 * self.H)
            if t.count > 1 and t.count * w * h > 0.3 * band:   # a flock fits the sky, not one another
                k_fit = max(math.sqrt(0.3 * band / (t.count * w * h)),
                            math.sqrt(MIN_AREA * self.W * self.H / max(w * h, 1)))
                w, h = w * k_fit, h * k_fit
            band_bottom = max(sy0 + h + 2, min(sy1, sy0 + 0.55 * self.H) - 0.02 * self.H)
            for k in range(t.count):   # the free spot least in the way of what is there, of 40 tried
                best, best_cost = None, None
                for _ in range(40):
                    cx = self.rng.uniform(sx0 + w / 2 + 4, max(sx0 + w / 2 + 5, sx1 - w / 2 - 4))
                    bottom = self.rng.uniform(sy0 + h + 0.04 * self.H, max(sy0 + h + 0.05 * self.H, band_bottom))
                    box = Box.at(cx, bottom, w, h)
                    cost = sum(_overlap(box, b) for b in boxes + self._taken())
                    if best_cost is None or cost < best_cost:
                        best, best_cost = box, cost
                    if cost < 0.02 * box.w * box.h:
                        break
                boxes.append(best)
            t.boxes = boxes
        t.facings = [self._facing_for(t)] * len(t.boxes)
        t.depth = 2

    def _taken(self) -> list[Box]:
        return [b for t in self.things for b in t.boxes]

    # ---------------------------------------------------------------- relations

    def _attach(self, t: Thing, link: Link, ppm: float) -> None:
        """Place ``t`` against its anchor the way ``link`` says (one placer per relation)."""
        anchor = self.by_index[link.anchor]
        rel = link.relation
        t.placed_by = rel
        scale = PLANE_SCALES[anchor.depth] if not anchor.feature else 1.0
        w, h = self.size_px(t, ppm, scale)
        t.depth = anchor.depth
        a = _union(anchor.boxes)
        boxes = getattr(self, PLACERS.get(rel, "_put_beside"))(t, link, anchor, a, w, h)
        t.boxes = [self._inside(b) for b in boxes] or [Box.at(self.W / 2, self._plane_base(0), w, h)]
        t.facings = [self._facing_for(t)] * len(t.boxes)
        if rel == "riding" and anchor.facings:
            t.facings = [anchor.facings[0]] * len(t.boxes)
        if rel == "following" and anchor.facings:
            t.facings = [anchor.facings[0]] * len(t.boxes)
        if rel in ("beside", "next to") and link.said not in ("next to", "beside", "near", "by", "with", "at", ""):
            # a verb said it ("building", "talking to"): face the other one
            acx = a.cx
            t.facings = ["right" if b.cx < acx else "left" for b in t.boxes]
        # keep side-by-side things clear of the anchor after clamping
        self._clear_of(t, anchor, rel)

    def _clear_of(self, t: Thing, anchor: Thing, rel: str) -> None:
        if rel not in ("beside", "next to", "left of", "right of", "following"):
            return
        a = _union(anchor.boxes)
        fixed = []
        for b in t.boxes:
            if _overlap(b, a) > 0.2 * min(b.w * b.h, a.w * a.h):
                dx = (a.x0 - b.x1 - 4) if b.cx < a.cx else (a.x1 - b.x0 + 4)
                b = b.moved(dx, 0)
                if b.x0 < 0 or b.x1 > self.W:   # no room on that side: the other side
                    b = b.moved(-dx + ((a.x1 - b.x0 + 4) if dx < 0 else (a.x0 - b.x1 - 4)), 0)
                b = self._inside(b)
            fixed.append(b)
        t.boxes = fixed

    def _surface_box(self, t: Thing, b: Box, name: str) -> tuple[float, float, float]:
        """(x0, y, x1) of a thing's top/seat line in pixels."""
        s = t.surfaces.get(name)
        if isinstance(s, (list, tuple)) and len(s) >= 3:
            y, fx0, fx1 = s[0], s[1], s[2]
            return b.x0 + b.w * fx0, b.y0 + b.h * y, b.x0 + b.w * fx1
        y = s if isinstance(s, (int, float)) else 0.0
        return b.x0 + 0.12 * b.w, b.y0 + b.h * y, b.x1 - 0.12 * b.w

    def _surface_box4(self, t: Thing, b: Box, name: str) -> tuple[float, float, float, float]:
        s = t.surfaces.get(name) or (0.12, 0.25, 0.88, 0.95)
        return b.x0 + b.w * s[0], b.y0 + b.h * s[1], b.x0 + b.w * s[2], b.y0 + b.h * s[3]

    def _inside(self, b: Box) -> Box:
        """The box moved into the picture (and shrunk about its bottom centre if bigger than it)."""
        k = min(1.0, self.W / max(b.w, 1e-6), self.H / max(b.h, 1e-6))
        if k < 1.0:
            b = Box.at(b.cx, b.y1, b.w * k * 0.999, b.h * k * 0.999)
        dx = max(0.0, -b.x0) - max(0.0, b.x1 - self.W)
        dy = max(0.0, -b.y0) - max(0.0, b.y1 - self.H)
        return b.moved(dx, dy)

    def _layers(self) -> None:
        """Drawing order: farther planes first, then by feet; what stands on, rides, hides in or
        is held by another comes after it (what is behind another, before it)."""
        order = []
        for t in self.things:
            for k, b in enumerate(t.boxes):
                order.append((t, k, b))

        def key(item):
            t, k, b = item
            if t.feature:   # the setting's things first: water, then land, then what spans them
                return (-3, {"lake": 0, "river": 0, "sea": 0, "cliff": 1, "island": 1}.get(t.noun, 2), b.y1, 0)
            return (-t.depth, 0, b.y1, self._chain(t))

        order.sort(key=key)
        position = {(id(t), k): n for n, (t, k, b) in enumerate(order)}
        # relations that fix the order regardless of feet (repeated: chains of them settle)
        for _ in range(len(self.parent) + 1):
            changed = False
            for link in self.parent.values():
                t, a = self.by_index[link.subject], self.by_index[link.anchor]
                after = link.relation in ("on", "riding", "in", "held by", "crossing", "under", "in front of",
                                          "above")
                before = link.relation in ("behind",)
                for k in range(len(t.boxes)):
                    for j in range(len(a.boxes)):
                        p, q = position[(id(t), k)], position[(id(a), j)]
                        if after and p <= q or before and p >= q:
                            position[(id(t), k)] = q + 0.5 if after else q - 0.5
                            changed = True
            if not changed:
                break
        ranked = sorted(position.items(), key=lambda kv: kv[1])
        layer = {key_: n for n, (key_, _) in enumerate(ranked)}
        for t in self.things:
            t.layers = [layer[(id(t), k)] + 1 for k in range(len(t.boxes))]
            t.occludes = [None] * len(t.boxes)
            t.opacity = [None] * len(t.boxes)

    def _chain(self, t: Thing) -> int:
        n, index = 0, t.index
        while index in self.parent and n < 10:
            index = self.parent[index].anchor
            n += 1
        return n
