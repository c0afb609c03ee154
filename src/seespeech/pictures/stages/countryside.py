"""Places on open land: outdoors (a meadow), park, garden, farm, mountains, cliff, forest,
desert, snow."""

from __future__ import annotations

import math
import random

from seespeech.pictures.canvas import (
    CREAM, DARK_BROWN, DARK_GREEN, DARK_RED, FAR_GRASS, GRASS, GREY, INK, LIGHT_GREY, ORANGE, PINK, PURPLE,
    RED, RGB, SNOW_SHADE, SNOW_WHITE, WHITE, WOOD, YELLOW, _Canvas, _shape, _union,
)
from seespeech.pictures.stages.lighting import _mix
from seespeech.pictures.props.outdoors import _barn as _barn_prop
from seespeech.pictures.stages.scenery import _fence, _flowers, _ground, _hills, _prop_pen, _sky, _tree, _tufts
from seespeech.pictures.stages.waterside import _crest, _far_trees, _sky_over_sea


# -- places --------------------------------------------------------------------------------------
# Each function draws a place on the canvas and returns its horizon (canvas pixels); it records
# the boxes it makes in c.surfaces / c.features and may set "sky" and "ground" in c.surfaces.


def _meadow_sky(c: _Canvas, r: random.Random, horizon: float, clouds: int = 3) -> None:
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=clouds)


def _grass_ground(c: _Canvas, r: random.Random, horizon: float, colour: RGB = GRASS, tufts: int = 40) -> None:
    snowy = "snow" in c.weather
    col = _mix(colour, SNOW_WHITE, 0.8) if snowy else colour
    _ground(c, horizon, c.pal(col))
    tuft = c.pal(_mix(col, INK, 0.22))
    _tufts(c, r, (0, horizon + (c.h - horizon) * 0.1, c.w, c.h), tufts, tuft)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)


def place_outdoors(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    _meadow_sky(c, r, horizon)
    _hills(c, r, horizon + c.ss, c.h * 0.1, c.pal(FAR_GRASS, 0.8), 0.8, bumps=2)
    _hills(c, r, horizon + c.ss, c.h * 0.045, c.pal((150, 204, 82), 0.5), 0.5, bumps=3)
    _tree(c, c.X(r.uniform(0.12, 0.3)), horizon - c.h * 0.035, c.h * 0.09, "round", 0.7, r)
    _grass_ground(c, r, horizon)
    if "snow" not in c.weather:
        _flowers(c, r, (0, horizon + (c.h - horizon) * 0.15, c.w, c.h * 0.98), 14)
    return horizon


def place_park(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    _meadow_sky(c, r, horizon)
    _hills(c, r, horizon + c.ss, c.h * 0.05, c.pal(FAR_GRASS, 0.7), 0.7, bumps=2)
    for fx, fh in ((0.1, 0.16), (0.2, 0.11), (0.78, 0.14), (0.9, 0.19)):  # distant trees and bushes
        _tree(c, c.X(fx + r.uniform(-0.03, 0.03)), horizon + c.h * 0.005, c.h * fh, "round", 0.6, r)
    for fx in (0.32, 0.62):
        bx, bw = c.X(fx + r.uniform(-0.04, 0.04)), c.X(0.07)
        _union(
            c,
            [
                ("circle", bx - bw * 0.3, horizon - bw * 0.1, bw * 0.35),
                ("circle", bx + bw * 0.2, horizon - bw * 0.18, bw * 0.42),
                ("rect", bx - bw * 0.62, horizon - bw * 0.15, bx + bw * 0.6, horizon + c.ss),
            ],
            c.pal((110, 176, 64), 0.6),
            c.lw(bw * 0.5),
            c.ink(0.4),
        )
    _grass_ground(c, r, horizon, tufts=30)
    # a winding path from the bottom to the horizon
    n = 24
    left, right = [], []
    for i in range(n + 1):
        t = i / n                      # 0 at the bottom, 1 at the horizon
        y = c.h + (horizon - c.h) * t
        cx = c.X(0.5) + c.X(0.14) * math.sin(t * math.pi * 1.4 + 0.2) * (1 - t) + c.X(0.1) * t
        half = c.X(0.2) * (1 - t) ** 1.3 + c.X(0.012)
        left.append((cx - half, y))
        right.append((cx + half, y))
    path = c.pal((236, 214, 168) if "snow" not in c.weather else (236, 236, 240))
    c.d.polygon(left + right[::-1], fill=path)
    lw = c.lw(c.h * 0.12)
    c.d.line(left, fill=INK, width=lw, joint="curve")
    c.d.line(right, fill=INK, width=lw, joint="curve")
    if "snow" not in c.weather:
        _flowers(c, r, (0, horizon + (c.h - horizon) * 0.2, c.X(0.3), c.h), 6)
    c.features["path"] = (min(p[0] for p in left), horizon, max(p[0] for p in right), c.h)
    return horizon


def _flower(c: _Canvas, x: float, base: float, h: float, colour: RGB, r: random.Random) -> None:
    lw = max(c.ss, c.lw(h))
    c.d.line([(x, base), (x, base - h)], fill=c.pal(DARK_GREEN), width=max(c.ss, round(h * 0.08)))
    c.d.ellipse([x, base - h * 0.5, x + h * 0.3, base - h * 0.36], fill=c.pal(DARK_GREEN))
    s = h * 0.22
    cy = base - h
    petals = [("circle", x + math.cos(a) * s * 0.8, cy + math.sin(a) * s * 0.8, s * 0.6) for a in
              (k * math.pi * 2 / 5 + r.uniform(0, 0.5) for k in range(5))]
    _union(c, petals, c.pal(colour), lw)
    _shape(
        c,
        "ellipse",
        [x - s * 0.45, cy - s * 0.45, x + s * 0.45, cy + s * 0.45],
        c.pal(YELLOW if colour != YELLOW else ORANGE),
        max(c.ss, lw // 2),
    )


def place_garden(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.54)
    _meadow_sky(c, r, horizon, clouds=2)
    # a hedge and two trees behind the fence
    hedge = c.pal((86, 150, 64), 0.4)
    shapes = [
        ("circle", c.X(i / 9) + r.uniform(-5, 5) * c.ss, horizon - c.h * 0.05, c.h * r.uniform(0.045, 0.06))
        for i in range(10)
    ]
    shapes.append(("rect", -c.w * 0.05, horizon - c.h * 0.05, c.w * 1.05, horizon + c.h * 0.02))
    _tree(c, c.X(0.15), horizon - c.h * 0.02, c.h * 0.26, "round", 0.4, r)
    _tree(c, c.X(0.86), horizon - c.h * 0.02, c.h * 0.22, "round", 0.4, r)
    _union(c, shapes, hedge, c.lw(c.h * 0.08), c.ink(0.3))
    _grass_ground(c, r, horizon, tufts=30)
    fence_base = horizon + c.h * 0.035
    _fence(c, -c.X(0.02), c.w + c.X(0.02), fence_base, c.h * 0.1, WHITE, 0.2, gap=c.X(0.055))
    # the flower bed: a strip of soil with a row of flowers
    bed0, bed1 = fence_base - c.h * 0.005, fence_base + c.h * 0.06
    _shape(
        c, "rrect", [-c.X(0.02), bed0, c.w + c.X(0.02), bed1], c.pal((140, 96, 60)), c.lw(c.h * 0.1), radius=c.h * 0.02
    )
    colours = (RED, YELLOW, PINK, PURPLE, ORANGE, WHITE, (97, 178, 228))
    n = 13
    for i in range(n):
        x = c.X((i + 0.5) / n) + r.uniform(-0.01, 0.01) * c.w
        _flower(c, x, bed1 - c.h * 0.015, c.h * r.uniform(0.07, 0.095), colours[i % len(colours)], r)
    c.features["fence"] = (0, fence_base - c.h * 0.1, c.w, fence_base)
    c.features["flowers"] = (0, bed0 - c.h * 0.1, c.w, bed1)
    c.features["flower bed"] = (0, bed0, c.w, bed1)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    return horizon


def _barn(c: _Canvas, box, depth: float) -> None:
    """The barn prop's drawing in ``box`` (8 wide to 7 high), hazed with ``depth``."""
    x0, y0, x1, y1 = box
    pen = _prop_pen(c, box, (x1 - x0) / (y1 - y0), c.lw((y1 - y0) * 0.6), depth, depth * 0.5)
    _barn_prop(pen, DARK_RED, None)


def place_farm(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.52)
    _meadow_sky(c, r, horizon)
    _hills(c, r, horizon + c.ss, c.h * 0.07, c.pal(FAR_GRASS, 0.8), 0.8, bumps=2)
    # patchwork fields between the horizon and the fence
    fence_base = c.Y(0.66)
    colours = [(236, 206, 90), (150, 196, 80), (190, 140, 90), (214, 226, 110), (120, 178, 70)]
    snowy = "snow" in c.weather
    bands = [horizon, horizon + (fence_base - horizon) * 0.3, horizon + (fence_base - horizon) * 0.62, fence_base]
    lw = c.lw(c.h * 0.1)
    for j in range(3):
        ya, yb = bands[j], bands[j + 1]
        xs = sorted([0.0, c.w] + [c.X(r.uniform(0.15, 0.85)) for _ in range(2)])
        for i in range(len(xs) - 1):
            col = colours[(i + 2 * j + r.randrange(2)) % len(colours)]
            col = _mix(col, SNOW_WHITE, 0.8) if snowy else col
            d = 0.7 - 0.2 * j
            poly = [(xs[i], ya), (xs[i + 1], ya), (xs[i + 1] + (xs[i + 1] - c.w / 2) * 0.15, yb),
                    (xs[i] + (xs[i] - c.w / 2) * 0.15, yb)]
            _shape(c, "poly", poly, c.pal(col, d), lw, c.ink(d))
            furrow = c.pal(_mix(col, INK, 0.15), d)
            for k in range(1, 5):
                t = k / 5
                xa = xs[i] + (xs[i + 1] - xs[i]) * t
                c.d.line([(xa, ya), (xa + (xa - c.w / 2) * 0.15, yb)], fill=furrow, width=max(c.ss, lw // 2))
    bx = c.X(0.64 + r.uniform(-0.04, 0.04))
    bh = c.h * 0.17
    bw = bh * 8 / 7   # the barn prop's proportions
    base = horizon + (bands[1] - horizon) * 0.6
    silo_x = bx + bw + c.X(0.01)
    _shape(
        c,
        "rect",
        [silo_x, base - bh * 1.1, silo_x + bw * 0.28, base],
        c.pal(LIGHT_GREY, 0.5),
        c.lw(bh * 0.6),
        c.ink(0.3),
    )
    _shape(c, "ellipse", [silo_x, base - bh * 1.1 - bw * 0.14, silo_x + bw * 0.28, base - bh * 1.1 + bw * 0.14],
           c.pal(GREY, 0.5), c.lw(bh * 0.6), c.ink(0.3))
    _barn(c, (bx, base - bh, bx + bw, base), 0.45)
    _tree(c, c.X(0.14), base, c.h * 0.16, "round", 0.5, r)
    col = _mix(GRASS, SNOW_WHITE, 0.8) if snowy else GRASS
    _ground(c, fence_base - c.h * 0.01, c.pal(col))
    _tufts(c, r, (0, fence_base + c.h * 0.04, c.w, c.h), 30, c.pal(_mix(col, INK, 0.22)))
    # a rail fence across the middle distance
    fh = c.h * 0.075
    flw = c.lw(fh)
    wood = c.pal(WOOD)
    for y in (fence_base - fh * 0.8, fence_base - fh * 0.4):
        _shape(c, "rect", [-flw, y - fh * 0.07, c.w + flw, y + fh * 0.07], wood, flw)
    x = c.X(0.03)
    while x < c.w:
        _shape(c, "rect", [x - fh * 0.07, fence_base - fh, x + fh * 0.07, fence_base + fh * 0.05], wood, flw)
        x += c.X(0.12)
    c.features["barn"] = (bx, base - bh, bx + bw, base)
    c.features["field"] = (0, horizon, c.w, fence_base)
    c.features["fence"] = (0, fence_base - fh, c.w, fence_base)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    return horizon



def _range(c: _Canvas, r: random.Random, base: float, peak_lo: float, peak_hi: float, n: int, colour: RGB, depth: float,
           caps: bool) -> tuple[float, float, float, float]:
    """A mountain range: ``n`` peaks between heights peak_lo..peak_hi (canvas y), snow caps.
    Returns the box of its highest peak."""
    step = c.w / n
    pts = [(-step * 0.5, base)]
    peaks = []
    for i in range(n + 1):
        px = step * (i + r.uniform(-0.15, 0.15))
        py = r.uniform(peak_hi, peak_lo)
        vx = px + step * r.uniform(0.4, 0.6)
        vy = base - (base - py) * r.uniform(0.3, 0.5)
        pts += [(px, py), (vx, vy)]
        peaks.append(len(pts) - 2)
    pts += [(c.w + step, base)]
    lw = c.lw(base - peak_hi)
    ink = c.ink(depth * 0.5)
    c.d.polygon(pts + [(c.w + step, base + c.h * 0.05), (-step, base + c.h * 0.05)], fill=c.pal(colour, depth))
    if caps:
        white = c.pal(SNOW_WHITE, depth * 0.6)
        for k in peaks:
            (ax, ay), (px, py), (bx, by) = pts[k - 1], pts[k], pts[k + 1]
            t = 0.32
            lx, ly = px + (ax - px) * t, py + (ay - py) * t
            rx, ry = px + (bx - px) * t, py + (by - py) * t
            cap = [
                (px, py),
                (rx, ry),
                (px + (rx - px) * 0.55, ry - (ry - py) * 0.15),
                (px + (lx - px) * 0.2, ly - (ly - py) * 0.05),
                (px + (lx - px) * 0.6, ly + (ly - py) * 0.05),
                (lx, ly),
            ]
            c.d.polygon(cap, fill=white)
            c.d.line(cap + [cap[0]], fill=ink, width=max(c.ss, lw // 2), joint="curve")
    c.d.line(pts, fill=ink, width=lw, joint="curve")
    best = min(peaks, key=lambda k: pts[k][1] if 0 < pts[k][0] < c.w else c.h)
    px, py = pts[best]
    return (px - step * 0.6, py, px + step * 0.6, base)


def place_mountains(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.6)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2)
    _range(c, r, horizon, c.Y(0.3), c.Y(0.14), 3, (150, 166, 204), 0.7, True)
    main = _range(c, r, horizon, c.Y(0.42), c.Y(0.26), 4, (112, 128, 168), 0.35, True)
    _hills(c, r, horizon + c.ss, c.h * 0.06, c.pal((112, 176, 70), 0.3), 0.3, bumps=3)
    _far_trees(c, r, horizon + c.h * 0.005, c.h * 0.07, 0.35, 9, ("pine",), "snow" in c.weather)
    _grass_ground(c, r, horizon)
    if "snow" not in c.weather:
        _flowers(c, r, (0, horizon + (c.h - horizon) * 0.2, c.w, c.h), 10)
    c.features["mountain"] = main
    c.features["mountains"] = (0, c.Y(0.14), c.w, horizon)
    return horizon


def place_cliff(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.5)
    _sky_over_sea(c, r, horizon, (30, 110, 186), 30)
    for _ in range(4):
        _crest(c, c.X(r.uniform(0.55, 0.95)), c.Y(r.uniform(0.7, 0.95)), c.X(r.uniform(0.07, 0.11)))
    top, edge = c.Y(0.42), c.X(0.4)
    # the cliff face: jagged, leaning out towards its foot
    n = 10
    face = [(edge, top)]
    for i in range(1, n + 1):
        t = i / n
        jag = c.X(0.045) * (r.random() - 0.5) if i < n else 0.0
        face.append((edge + c.X(0.12) * t ** 1.3 + jag, top + (c.h - top) * t))
    rock, dark = c.pal((206, 168, 124)), c.pal((164, 126, 90))
    lw = c.lw(c.h * 0.2)
    thin = max(c.ss, lw // 2)
    c.d.polygon([(-c.X(0.02), top)] + face + [(-c.X(0.02), c.h + c.ss)], fill=rock)
    for i in range(n):  # shadowed facets along the face, lit slabs behind it
        (ax, ay), (bx, by) = face[i], face[i + 1]
        c.d.polygon([(ax, ay), (bx, by), (bx - c.X(0.06), by), (ax - c.X(0.035), (ay + by) / 2)], fill=dark)
    for k in range(1, 7):  # strata
        y = top + (c.h - top) * k / 7
        c.d.line(
            [
                (0, y + c.h * 0.012 * math.sin(k * 1.7)),
                (c.X(0.18), y - c.h * 0.01),
                (edge + c.X(0.12) * (k / 7) ** 1.3 - c.X(0.05), y),
            ],
            fill=dark,
            width=thin,
            joint="curve",
        )
    c.d.line(face, fill=INK, width=lw, joint="curve")
    # rocks and foam at the foot
    fx, fy = face[-3]
    for k, (dx, dy, s) in enumerate(((0.02, 0.02, 0.05), (0.08, 0.06, 0.035), (0.05, 0.1, 0.045))):
        x, y, rs = fx + c.X(dx), fy + c.Y(dy), c.X(s)
        _shape(c, "chord", [x - rs, y - rs * 0.8, x + rs, y + rs * 0.8], c.pal((150, 120, 96)), thin)
    foam = [
        (x + c.X(0.012) + c.X(0.012) * math.sin(i * 2.1), y)
        for i, (x, y) in enumerate(face)
        if y >= horizon - c.h * 0.01
    ]
    edge_pts = [(x, y) for x, y in face if y >= horizon - c.h * 0.01]
    if len(foam) > 1:
        c.d.polygon(edge_pts + foam[::-1], fill=c.pal(WHITE))
        c.d.line(foam, fill=INK, width=thin, joint="curve")
    # the grassy top
    grass = c.pal(_mix(GRASS, SNOW_WHITE, 0.8) if "snow" in c.weather else GRASS)
    lip = [(-c.X(0.02), top - c.h * 0.015), (edge + c.X(0.012), top - c.h * 0.015)]
    drips = [
        (edge + c.X(0.015), top + c.h * 0.025),
        (edge - c.X(0.03), top + c.h * 0.035),
        (edge - c.X(0.06), top + c.h * 0.02),
        (edge - c.X(0.11), top + c.h * 0.045),
        (edge - c.X(0.17), top + c.h * 0.025),
        (edge - c.X(0.26), top + c.h * 0.04),
        (-c.X(0.02), top + c.h * 0.025),
    ]
    _shape(c, "poly", lip + drips, grass, lw)
    c.surfaces["cliff"] = (0, top - c.h * 0.015, edge, c.h)
    c.features["cliff"] = (0, top - c.h * 0.015, edge + c.X(0.12), c.h)
    c.surfaces["water"] = (edge + c.X(0.1), horizon, c.w, c.h)
    c.features["sea"] = (edge, horizon, c.w, c.h)
    return horizon


def place_forest(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2)
    snowy = "snow" in c.weather
    _far_trees(c, r, horizon + c.h * 0.01, c.h * 0.12, 0.75, 16, ("pine",), snowy)
    _far_trees(c, r, horizon + c.h * 0.02, c.h * 0.18, 0.5, 8, ("pine", "round"), snowy)
    col = _mix((104, 166, 66), SNOW_WHITE, 0.8) if snowy else (104, 166, 66)
    _ground(c, horizon + c.h * 0.01, c.pal(col))
    _tufts(c, r, (0, horizon + c.h * 0.05, c.w, c.h), 30, c.pal(_mix(col, INK, 0.25)))
    # middle trees at the sides, leaving the middle free
    for fx, fh in ((0.08, 0.34), (0.25, 0.26), (0.76, 0.27), (0.93, 0.36)):
        _tree(
            c,
            c.X(fx + r.uniform(-0.02, 0.02)),
            horizon + c.h * 0.06,
            c.h * fh,
            r.choice(("pine", "round")),
            0.2,
            r,
            snowy,
        )
    # big near trunks at the edges, their crowns off the top
    for x in (c.X(-0.02), c.X(1.02)):
        tw = c.X(0.09)
        _shape(c, "rect", [x - tw / 2, c.Y(0.2), x + tw / 2, c.Y(0.99)], c.pal(DARK_BROWN), c.lw(c.h * 0.3))
        _union(c, [("circle", x, c.Y(0.1), c.h * 0.2), ("circle", x + (c.w / 2 - x) * 0.25, c.Y(0.02), c.h * 0.13)],
               c.pal(DARK_GREEN if not snowy else (84, 140, 96)), c.lw(c.h * 0.3))
    if not snowy:
        for fx in (0.35, 0.62):  # mushrooms
            mx, my = c.X(fx + r.uniform(-0.05, 0.05)), c.Y(r.uniform(0.8, 0.95))
            s = c.h * 0.018
            _shape(c, "rect", [mx - s * 0.35, my - s, mx + s * 0.35, my], c.pal(CREAM), c.ss)
            _shape(c, "poly", [(mx - s, my - s * 0.8), (mx, my - s * 1.8), (mx + s, my - s * 0.8)], c.pal(RED), c.ss)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    c.features["trees"] = (0, c.Y(0.0), c.w, horizon + c.h * 0.06)
    return horizon


def _cactus(c: _Canvas, x: float, base: float, h: float, depth: float) -> None:
    w = h * 0.2
    col = c.pal((100, 170, 80), depth)
    lw = c.lw(h)
    ink = c.ink(depth * 0.5)
    shapes = [("rect", x - w / 2, base - h + w / 2, x + w / 2, base), ("circle", x, base - h + w / 2, w / 2),
              ("rect", x - w * 1.6, base - h * 0.62, x - w * 1.6 + w * 0.7, base - h * 0.35),
              ("circle", x - w * 1.25, base - h * 0.62, w * 0.35),
              ("rect", x - w * 1.6, base - h * 0.42, x, base - h * 0.35 + w * 0.1),
              ("rect", x + w * 0.9, base - h * 0.78, x + w * 1.6, base - h * 0.5),
              ("circle", x + w * 1.25, base - h * 0.78, w * 0.35),
              ("rect", x, base - h * 0.56, x + w * 1.6, base - h * 0.5 + w * 0.05)]
    _union(c, shapes, col, lw, ink)


def place_desert(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=1)
    _hills(c, r, horizon + c.ss, c.h * 0.11, c.pal((230, 170, 100), 0.6), 0.6, bumps=2)
    _hills(c, r, horizon + c.ss, c.h * 0.055, c.pal((240, 196, 126), 0.35), 0.35, bumps=3)
    sand = c.pal((246, 214, 148))
    _ground(c, horizon, sand)
    # a near dune's shaded flank sweeping across the foreground
    ridge = [(c.w * i / 30, c.Y(0.8) - c.h * 0.07 * math.sin(math.pi * i / 30 * 1.2 + 0.3)) for i in range(31)]
    c.d.polygon(ridge + [(c.w, c.h), (0, c.h)], fill=c.pal((236, 196, 126)))
    c.d.line(ridge, fill=c.pal((214, 168, 100)), width=c.lw(c.h * 0.12), joint="curve")
    ripple = c.pal((222, 186, 120))
    for _ in range(16):
        x, y = r.uniform(-0.1, 1) * c.w, r.uniform(horizon + c.h * 0.04, c.h)
        k = (y - horizon) / (c.h - horizon)
        w = c.X(0.12) * (0.4 + k)
        c.d.arc([x, y, x + w, y + w * 0.2], 200, 340, fill=ripple, width=max(c.ss, round(c.h * 0.004 * (0.5 + k))))
    _cactus(c, c.X(0.14), horizon + c.h * 0.05, c.h * 0.16, 0.3)
    _cactus(c, c.X(0.84), horizon + c.h * 0.02, c.h * 0.1, 0.5)
    for fx in (0.3, 0.7):  # pebbles
        x, y = c.X(fx + r.uniform(-0.1, 0.1)), c.Y(r.uniform(0.82, 0.96))
        _shape(
            c,
            "ellipse",
            [x - c.h * 0.015, y - c.h * 0.008, x + c.h * 0.015, y + c.h * 0.006],
            c.pal((190, 160, 120)),
            c.ss,
        )
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    c.features["dunes"] = (0, horizon - c.h * 0.09, c.w, horizon)
    return horizon


def place_snow(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2)
    _hills(c, r, horizon + c.ss, c.h * 0.12, c.pal((226, 234, 246), 0.6), 0.6, bumps=2)
    _far_trees(c, r, horizon + c.h * 0.005, c.h * 0.1, 0.55, 10, ("pine",), True)
    _hills(c, r, horizon + c.ss, c.h * 0.035, c.pal(SNOW_WHITE, 0.3), 0.3, bumps=3)
    _ground(c, horizon, c.pal(SNOW_WHITE))
    shade = c.pal(SNOW_SHADE)
    for _ in range(9):  # drifts
        x, y = r.uniform(-0.1, 1.0) * c.w, r.uniform(horizon + c.h * 0.05, c.h)
        k = (y - horizon) / (c.h - horizon)
        w = c.X(0.22) * (0.4 + k)
        c.d.chord([x, y - w * 0.1, x + w, y + w * 0.1], 180, 360, fill=shade)
    for fx, fh in ((0.1, 0.3), (0.9, 0.24)):
        _tree(c, c.X(fx), horizon + c.h * 0.08, c.h * fh, "pine", 0.15, r, snowy=True)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    return horizon
