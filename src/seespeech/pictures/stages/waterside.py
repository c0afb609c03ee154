"""Places by or on water: beach, lake, river (with a bridge), sea, island."""

from __future__ import annotations

import math
import random
from PIL import Image

from seespeech.pictures.canvas import (
    CREAM, DARK_BROWN, FAR_GRASS, GRASS, GREY, INK, LIGHT_GREY, PINK, RGB, SAND, SNOW_WHITE, WET_SAND, WHITE,
    _Canvas, _draw, _shape,
)
from seespeech.pictures.stages.lighting import _mix
from seespeech.pictures.stages.scenery import _hills, _palm, _sky, _tree, _tufts, _water


def place_beach(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.5)
    c.surfaces["sky"] = _sky(c, horizon, r)
    surf = c.Y(0.645)
    _water(c, r, (0, horizon, c.w, surf + c.h * 0.02), (120, 196, 236), (48, 140, 206), 24)
    sand = c.pal(SAND)
    wet = c.pal(WET_SAND)
    # the surf: white foam scallops along the shore, the wet sand under them
    c.d.rectangle([0, surf, c.w, c.h], fill=sand)
    n = 7
    pts = []
    for i in range(n * 8 + 1):
        x = c.w * i / (n * 8)
        y = surf + c.h * 0.012 * math.sin(i / 8 * 2 * math.pi) + c.h * 0.01
        pts.append((x, y))
    c.d.polygon([(0, surf - c.h * 0.004)] + pts + [(c.w, surf - c.h * 0.004)], fill=c.pal(WHITE))
    c.d.polygon(pts + [(c.w, surf + c.h * 0.05), (0, surf + c.h * 0.05)], fill=wet)
    c.d.line(pts, fill=INK, width=c.lw(c.h * 0.15), joint="curve")
    lo = [(x, y + c.h * 0.035) for x, y in pts]
    c.d.polygon(lo + [(c.w, c.h), (0, c.h)], fill=sand)
    for _ in range(10):  # shells and pebbles
        x, y = r.uniform(0, c.w), r.uniform(surf + c.h * 0.08, c.h * 0.98)
        s = c.h * r.uniform(0.005, 0.009)
        _shape(c, "ellipse", [x - s * 1.3, y - s, x + s * 1.3, y + s], c.pal(r.choice((PINK, CREAM, LIGHT_GREY))),
               max(c.ss, round(s * 0.3)))
    c.surfaces["water"] = (0, horizon, c.w, surf)
    c.surfaces["ground"] = (0, surf + c.h * 0.02, c.w, c.h)
    c.features["sea"] = (0, horizon, c.w, surf)
    return horizon


def _reeds(c: _Canvas, r: random.Random, x0: float, x1: float, base: float, h: float) -> None:
    green = c.pal((92, 158, 49))
    lw = max(c.ss, round(h * 0.04))
    for _ in range(int((x1 - x0) / (h * 0.12)) + 1):
        x = r.uniform(x0, x1)
        hh = h * r.uniform(0.6, 1.0)
        lean = r.uniform(-0.15, 0.15) * hh
        c.d.line([(x, base), (x + lean, base - hh)], fill=green, width=lw)
        if r.random() < 0.5:  # a cattail
            tx, ty = x + lean * 0.9, base - hh * 0.9
            _shape(c, "rrect", [tx - hh * 0.04, ty - hh * 0.1, tx + hh * 0.04, ty + hh * 0.1], c.pal(DARK_BROWN), c.ss,
                   radius=hh * 0.04)


def _shoreline(c: _Canvas, r: random.Random, y: float, amp: float, n: int = 40) -> list[tuple[float, float]]:
    ph = r.uniform(0, 6.28)
    return [
        (c.w * i / n, y + amp * math.sin(i / n * 9 + ph) * 0.5 + amp * 0.5 * math.sin(i / n * 23 + ph))
        for i in range(n + 1)
    ]


def _far_trees(c: _Canvas, r: random.Random, base: float, h: float, depth: float, n: int = 12,
               kinds: tuple = ("round", "pine"), snowy: bool = False) -> None:
    for i in range(n):
        x = c.w * (i + r.uniform(0.1, 0.9)) / n
        _tree(c, x, base, h * r.uniform(0.75, 1.2), r.choice(kinds), depth, r, snowy=snowy)


def place_lake(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.5)
    c.surfaces["sky"] = _sky(c, horizon - c.h * 0.04, r)
    _hills(c, r, horizon - c.h * 0.02, c.h * 0.12, c.pal((150, 170, 200), 0.9), 0.9, bumps=2)
    shore = c.pal(FAR_GRASS, 0.7)
    c.d.rectangle([0, horizon - c.h * 0.035, c.w, horizon + c.ss], fill=shore)
    _far_trees(c, r, horizon - c.h * 0.01, c.h * 0.08, 0.65, 14)
    bank = c.Y(0.69)
    _water(c, r, (0, horizon, c.w, bank + c.h * 0.03), (136, 200, 236), (60, 150, 210), 18)
    c.d.line([(0, horizon), (c.w, horizon)], fill=c.ink(0.5), width=c.lw(c.h * 0.1))
    snowy = "snow" in c.weather
    col = _mix(GRASS, SNOW_WHITE, 0.8) if snowy else GRASS
    edge = _shoreline(c, r, bank, c.h * 0.012)
    c.d.polygon(edge + [(c.w, c.h), (0, c.h)], fill=c.pal(col))
    c.d.line(edge, fill=INK, width=c.lw(c.h * 0.15), joint="curve")
    _tufts(c, r, (0, bank + c.h * 0.05, c.w, c.h), 26, c.pal(_mix(col, INK, 0.22)))
    _reeds(c, r, 0, c.X(0.14), bank + c.h * 0.02, c.h * 0.11)
    _reeds(c, r, c.X(0.88), c.w, bank + c.h * 0.02, c.h * 0.09)
    c.surfaces["water"] = (0, horizon, c.w, bank)
    c.features["lake"] = (0, horizon, c.w, bank)
    c.surfaces["ground"] = (0, bank + c.h * 0.012, c.w, c.h)
    return horizon


def _arch_bridge(c: _Canvas, top: float, bottom: float) -> tuple[float, float]:
    """A stone bridge across the whole picture, its deck at ``top``, three arches standing in
    the water down to ``bottom``; returns the deck's (top, bottom)."""
    deck = c.h * 0.045
    y0, y1 = int(top), int(bottom) + 1
    hgt = y1 - y0
    stone, dark = c.pal((200, 172, 140)), c.pal((168, 142, 112))
    layer = Image.new("RGB", (c.w, hgt), stone)
    ld = _draw(layer)
    lw = c.lw(c.h * 0.2)
    thin = max(c.ss, lw // 2)
    rows = 5
    for i in range(1, rows + 1):  # stone courses with staggered joints
        y = deck + (hgt - deck) * i / rows
        ld.line([(0, y), (c.w, y)], fill=dark, width=thin)
        step = c.X(0.07)
        x = step * (0.5 if i % 2 else 0.0)
        ya = deck + (hgt - deck) * (i - 1) / rows
        while x < c.w:
            ld.line([(x, ya), (x, y)], fill=dark, width=thin)
            x += step
    mask = Image.new("L", (c.w, hgt), 255)
    md = _draw(mask)
    span = c.w / 3
    arch_top = deck + c.h * 0.04
    holes = []
    for i in range(3):
        cx = span * (i + 0.5)
        rx = span * 0.5 - c.X(0.04)
        holes.append((cx - rx, arch_top, cx + rx, hgt + (hgt - arch_top)))
        md.ellipse(holes[-1], fill=0)
    c.img.paste(layer, (0, y0), mask)
    for hx0, hy0, hx1, hy1 in holes:
        g = c.h * 0.018
        c.d.arc([hx0 - g, y0 + hy0 - g, hx1 + g, y0 + hy1 + g], 180, 360, fill=dark, width=thin)
        c.d.arc([hx0, y0 + hy0, hx1, y0 + hy1], 180, 360, fill=INK, width=lw)
    _shape(c, "rect", [-lw, top, c.w + lw, top + deck], c.pal((150, 120, 96)), lw)
    return top, top + deck


def place_river(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.48)
    bridge = "bridge" in opts["features"]
    c.surfaces["sky"] = _sky(c, horizon, r)
    _hills(c, r, horizon + c.ss, c.h * 0.08, c.pal(FAR_GRASS, 0.85), 0.85, bumps=2)
    snowy = "snow" in c.weather
    col = _mix(GRASS, SNOW_WHITE, 0.8) if snowy else GRASS
    far_bank = c.pal(col, 0.45)
    c.d.rectangle([0, horizon, c.w, c.Y(0.58)], fill=far_bank)
    c.d.line([(0, horizon), (c.w, horizon)], fill=c.ink(0.5), width=c.lw(c.h * 0.1))
    _far_trees(c, r, horizon + c.h * 0.02, c.h * 0.1, 0.55, 8)
    w0, w1 = c.Y(0.555), c.Y(0.672)
    top_edge = _shoreline(c, r, w0, c.h * 0.008)
    _water(c, r, (0, w0 - c.h * 0.01, c.w, w1 + c.h * 0.02), (110, 186, 230), (56, 140, 204), 16, depth_top=0.4)
    c.d.polygon([(0, w0 - c.h * 0.02)] + top_edge + [(c.w, w0 - c.h * 0.02)], fill=far_bank)
    c.d.line(top_edge, fill=INK, width=c.lw(c.h * 0.12), joint="curve")
    flow = c.pal((196, 230, 250))
    for _ in range(8):  # flow lines
        x, y = r.uniform(0, c.w), r.uniform(w0 + c.h * 0.02, w1 - c.h * 0.01)
        c.d.line([(x, y), (x + c.X(0.08), y)], fill=flow, width=max(c.ss, c.lw(c.h * 0.1) // 2))
    if bridge:
        deck = _arch_bridge(c, c.Y(0.4), w1 - c.h * 0.015)
        c.surfaces["bridge"] = (0, deck[0], c.w, deck[1])
        c.features["bridge"] = (0, deck[0], c.w, w1)
    edge = _shoreline(c, r, w1, c.h * 0.01)
    c.d.polygon(edge + [(c.w, c.h), (0, c.h)], fill=c.pal(col))
    c.d.line(edge, fill=INK, width=c.lw(c.h * 0.15), joint="curve")
    _tufts(c, r, (0, w1 + c.h * 0.05, c.w, c.h), 26, c.pal(_mix(col, INK, 0.22)))
    _reeds(c, r, c.X(0.86), c.w, w1 + c.h * 0.02, c.h * 0.1)
    c.surfaces["water"] = (0, w0, c.w, w1)
    c.features["river"] = (0, w0, c.w, w1)
    c.surfaces["ground"] = (0, w1 + c.h * 0.01, c.w, c.h)
    c.surfaces["far bank"] = (0, horizon, c.w, w0)
    return horizon


def _crest(c: _Canvas, x: float, y: float, w: float) -> None:
    """A wave crest: a short white "~" stroke on the water."""
    pts = [(x + w * t, y - w * 0.12 * math.sin(2 * math.pi * t)) for t in (i / 16 for i in range(17))]
    c.d.line(pts, fill=c.pal((236, 248, 255)), width=max(c.ss, round(w * 0.09)), joint="curve")


def _sky_over_sea(c: _Canvas, r: random.Random, horizon: float, deep: RGB, ripples: int) -> None:
    """Sky down to the horizon, open water from it to the bottom edge, a thin horizon line."""
    c.surfaces["sky"] = _sky(c, horizon, r)
    _water(c, r, (0, horizon, c.w, c.h), (120, 192, 234), deep, ripples, depth_top=0.6)
    c.d.line([(0, horizon), (c.w, horizon)], fill=c.ink(0.6), width=c.lw(c.h * 0.1))


def place_sea(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.5)
    _sky_over_sea(c, r, horizon, (30, 110, 186), 44)
    for n, (fy0, fy1), size in ((8, (0.56, 0.66), 0.05), (6, (0.68, 0.8), 0.08), (5, (0.82, 0.96), 0.12)):
        for _ in range(n):  # crests, bigger nearer
            _crest(c, r.uniform(-0.05, 0.95) * c.w, c.Y(r.uniform(fy0, fy1)), c.X(size * r.uniform(0.8, 1.2)))
    c.surfaces["water"] = (0, horizon, c.w, c.h)
    c.features["sea"] = (0, horizon, c.w, c.h)
    return horizon


def place_island(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.46)
    _sky_over_sea(c, r, horizon, (36, 120, 196), 40)
    water_line, top = c.Y(0.7), c.Y(0.585)
    xl, xr = c.X(0.14), c.X(0.86)
    fl, fr = c.X(0.3), c.X(0.7)
    lw = c.lw(c.h * 0.15)
    # foam ring, sand hump, grass cap
    c.d.ellipse([xl - c.X(0.04), water_line - c.h * 0.025, xr + c.X(0.04), water_line + c.h * 0.03], fill=c.pal(WHITE),
                outline=INK, width=lw)
    hump = [(xl, water_line)]
    for i in range(13):
        t = i / 12
        hump.append((xl + (fl - xl) * t, water_line - (water_line - top) * math.sin(t * math.pi / 2) ** 0.8))
    hump += [
        (fr + (xr - fr) * (i / 12), water_line - (water_line - top) * math.cos(i / 12 * math.pi / 2) ** 0.8)
        for i in range(13)
    ]
    _shape(c, "poly", hump, c.pal(SAND), lw)
    cut = water_line - (water_line - top) * 0.6
    grass = [(x, y - c.h * 0.006) for x, y in hump if y < cut]
    if len(grass) > 2:
        gx0, gx1 = grass[0][0], grass[-1][0]
        lower = [
            (gx1 - (gx1 - gx0) * t, cut + c.h * 0.012 * (1 + math.sin(t * math.pi * 7)))
            for t in (i / 14 for i in range(15))
        ]
        _shape(
            c,
            "poly",
            grass + lower,
            c.pal(_mix(GRASS, SNOW_WHITE, 0.8) if "snow" in c.weather else GRASS),
            max(c.ss, lw * 2 // 3),
        )
    _palm(c, c.X(0.64), top + c.h * 0.01, c.h * 0.3)
    for fx in (0.22, 0.8):
        x = c.X(fx)
        _shape(
            c,
            "ellipse",
            [x - c.X(0.03), water_line - c.h * 0.03, x + c.X(0.03), water_line + c.h * 0.005],
            c.pal(GREY),
            max(c.ss, lw // 2 + c.ss),
        )
    c.surfaces["water"] = (0, horizon, c.w, c.h)
    c.features["sea"] = (0, horizon, c.w, c.h)
    c.surfaces["island"] = (fl, top, fr, water_line)
    c.features["island"] = (xl, top, xr, water_line)
    return horizon
