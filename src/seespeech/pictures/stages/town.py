"""Places in town: the city street and the shop (its sign, its shelves of bread)."""

from __future__ import annotations

import random

from seespeech.pictures.canvas import (
    BLUE, CREAM, DARK_BROWN, DARK_GREY, GOLD, GREEN, INK, ORANGE, PINK, PURPLE, RED, RGB, WHITE, WOOD, YELLOW,
    _Canvas, _shape, _text,
)
from seespeech.pictures.stages.lighting import _look, _mix
from seespeech.pictures.stages.scenery import _sky


def _building(c: _Canvas, r: random.Random, box, colour: RGB, depth: float = 0.0) -> None:
    x0, y0, x1, y1 = box
    lw = c.lw(min(y1 - y0, (x1 - x0) * 2))
    ink = c.ink(depth * 0.6)
    _shape(c, "rect", [x0, y0, x1, y1], c.pal(colour, depth), lw, ink)
    ww = (x1 - x0)
    cols = max(2, int(ww / (c.h * 0.05)))
    rows = max(2, int((y1 - y0) / (c.h * 0.07)))
    gx = ww / cols
    gy = (y1 - y0 - c.h * 0.02) / rows
    glass = (120, 190, 230)
    lit = (255, 214, 110)
    for i in range(cols):
        for j in range(rows):
            wx0 = x0 + gx * (i + 0.25)
            wy0 = y0 + c.h * 0.02 + gy * (j + 0.2)
            if c.time == "night":
                col = lit if r.random() < 0.45 else c.pal((60, 70, 90), depth)
            else:
                col = c.pal(glass, depth)
            _shape(c, "rect", [wx0, wy0, wx0 + gx * 0.5, wy0 + gy * 0.55], col, max(c.ss, lw // 2), ink)


def place_city(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.56)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2)
    colours = [(150, 170, 200), (214, 130, 104), (236, 210, 150), (120, 190, 180), (190, 170, 210), (200, 200, 196)]
    # far row (hazy), then near row
    x = -c.X(0.02)
    while x < c.w:
        w = c.X(r.uniform(0.1, 0.16))
        h = c.Y(r.uniform(0.26, 0.42))
        _building(c, r, (x, horizon - h, x + w, horizon + c.ss), _mix(r.choice(colours), (170, 190, 220), 0.35), 0.7)
        x += w + c.X(r.uniform(0.0, 0.03))
    x = -c.X(0.05)
    while x < c.w:
        w = c.X(r.uniform(0.14, 0.22))
        h = c.Y(r.uniform(0.13, 0.3))
        _building(c, r, (x, horizon - h, x + w, horizon + c.ss), r.choice(colours), 0.25)
        x += w + c.X(r.uniform(0.01, 0.05))
    far_kerb, road0, road1 = horizon, c.Y(0.62), c.Y(0.8)
    lw = c.lw(c.h * 0.15)
    _shape(c, "rect", [-lw, far_kerb, c.w + lw, road0], c.pal((200, 198, 194)), lw)
    _shape(c, "rect", [-lw, road0, c.w + lw, road1], c.pal((96, 98, 106)), lw)
    dash = c.X(0.07)
    y = (road0 + road1) / 2
    x = c.X(0.02)
    while x < c.w:
        c.d.rectangle([x, y - c.h * 0.006, x + dash, y + c.h * 0.006], fill=c.pal((250, 250, 240)))
        x += dash * 2
    _shape(c, "rect", [-lw, road1, c.w + lw, road1 + c.h * 0.02], c.pal((176, 174, 170)), lw)
    pav = c.pal((214, 212, 206))
    c.d.rectangle([0, road1 + c.h * 0.02 + lw / 2, c.w, c.h], fill=pav)
    slab = c.pal((186, 184, 178))
    for i in range(-6, 16):
        xb = c.w * i / 8
        c.d.line([(c.w / 2 + (xb - c.w / 2) * 0.8, road1 + c.h * 0.02), (xb, c.h)], fill=slab, width=max(c.ss, lw // 2))
    c.d.line([(0, c.Y(0.9)), (c.w, c.Y(0.9))], fill=slab, width=max(c.ss, lw // 2))
    # two street lamps on the far pavement
    for fx in (0.2, 0.8):
        lx = c.X(fx)
        ph = c.h * 0.2
        _shape(
            c,
            "rect",
            [lx - ph * 0.025, road0 - ph, lx + ph * 0.025, road0 - c.h * 0.005],
            c.pal(DARK_GREY),
            c.lw(ph * 0.4),
        )
        bulb = (255, 226, 120) if c.time != "day" else c.pal((236, 236, 220))
        if c.time == "night":
            c.d.ellipse(
                [lx - ph * 0.22, road0 - ph * 1.15, lx + ph * 0.22, road0 - ph * 0.75],
                fill=_mix(c.pal(c.look.sky[-1]), bulb, 0.3),
            )
        _shape(
            c, "ellipse", [lx - ph * 0.07, road0 - ph * 1.05, lx + ph * 0.07, road0 - ph * 0.9], bulb, c.lw(ph * 0.4)
        )
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    c.surfaces["road"] = (0, road0, c.w, road1)
    c.surfaces["pavement"] = (0, road1, c.w, c.h)
    return horizon



def _bread(c: _Canvas, x: float, base: float, s: float, kind: str) -> None:
    lw = max(c.ss, c.lw(s))
    crust, light_crust = c.pal((210, 140, 70)), c.pal((236, 186, 110))
    if kind == "loaf":
        _shape(c, "ellipse", [x - s, base - s * 0.9, x + s, base + s * 0.05], crust, lw)
        for k in (-0.4, 0.0, 0.4):
            c.d.line(
                [(x + s * k - s * 0.12, base - s * 0.65), (x + s * k + s * 0.12, base - s * 0.35)],
                fill=light_crust,
                width=lw,
            )
    elif kind == "baguette":
        _shape(c, "rrect", [x - s * 1.3, base - s * 0.38, x + s * 1.3, base], crust, lw, radius=s * 0.19)
        for k in (-0.7, -0.2, 0.3, 0.8):
            c.d.line(
                [(x + s * k - s * 0.1, base - s * 0.28), (x + s * k + s * 0.12, base - s * 0.12)],
                fill=light_crust,
                width=lw,
            )
    elif kind == "cake":
        _shape(c, "rect", [x - s, base - s * 0.9, x + s, base], c.pal(CREAM), lw)
        _shape(c, "rect", [x - s, base - s * 0.55, x + s, base - s * 0.4], c.pal(PINK), max(c.ss, lw // 2))
        icing = (
            [(x - s, base - s * 0.9)]
            + [(x - s + s * 2 * i / 8, base - s * (0.75 if i % 2 else 0.95)) for i in range(9)]
            + [(x + s, base - s * 0.9)]
        )
        c.d.polygon(icing + [(x + s, base - s * 1.05), (x - s, base - s * 1.05)], fill=c.pal(PINK))
        _shape(c, "ellipse", [x - s * 0.18, base - s * 1.4, x + s * 0.18, base - s * 1.04], c.pal(RED), lw)
    else:  # croissant
        pts = [
            (x - s, base),
            (x - s * 0.6, base - s * 0.6),
            (x, base - s * 0.75),
            (x + s * 0.6, base - s * 0.6),
            (x + s, base),
            (x + s * 0.4, base - s * 0.2),
            (x, base - s * 0.3),
            (x - s * 0.4, base - s * 0.2),
        ]
        _shape(c, "poly", pts, c.pal(light_crust), lw)


def _window_goods(c: _Canvas, window, bakery: bool, lw: int) -> None:
    """Two shelves of goods in the shop window: bread and cakes in a bakery, boxes elsewhere."""
    wx0, wy0, wx1, wy1 = window
    for sy in (wy0 + (wy1 - wy0) * 0.48, wy1 - (wy1 - wy0) * 0.08):
        _shape(c, "rect", [wx0, sy, wx1, sy + c.h * 0.012], c.pal(WOOD), max(c.ss, lw // 2))
        n = 4
        for i in range(n):
            x = wx0 + (wx1 - wx0) * (i + 0.5) / n
            s = (wx1 - wx0) / n * 0.34
            if bakery:
                _bread(
                    c, x, sy, s, ("loaf", "cake", "baguette", "croissant")[(i + (sy > wy0 + (wy1 - wy0) * 0.5) * 2) % 4]
                )
            else:
                colours = (RED, BLUE, YELLOW, GREEN, PURPLE, ORANGE)
                k = i + (2 if sy > (wy0 + wy1) / 2 else 0)
                _shape(
                    c,
                    "rrect" if k % 2 else "rect",
                    [x - s * 0.7, sy - s * 1.3, x + s * 0.7, sy],
                    c.pal(colours[k % 6]),
                    max(c.ss, lw // 2),
                    radius=s * 0.3,
                )
                _shape(
                    c, "rect", [x - s * 0.4, sy - s * 0.9, x + s * 0.4, sy - s * 0.5], c.pal(WHITE), max(c.ss, lw // 3)
                )


def place_shop(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.66)
    roof = c.Y(0.09)
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2, box=(0, 0, c.w, horizon))
    sign = (opts.get("sign") or "SHOP").strip().upper()[:24] or "SHOP"
    bakery = any(k in sign.lower() for k in ("bake", "bread", "cake", "pastr", "patis", "boulang"))
    lw = c.lw(c.h * 0.3)
    # the neighbours and the shop's own facade
    _shape(c, "rect", [-lw, c.Y(0.2), c.X(0.06), horizon], c.pal((200, 200, 196)), lw)
    _shape(c, "rect", [c.X(0.94), c.Y(0.16), c.w + lw, horizon], c.pal((150, 170, 200)), lw)
    fx0, fx1 = c.X(0.06), c.X(0.94)
    wall = (236, 200, 150) if bakery else (214, 130, 104)
    _shape(c, "rect", [fx0, roof, fx1, horizon], c.pal(wall), lw)
    _shape(
        c, "rect", [fx0 - c.X(0.015), roof - c.h * 0.025, fx1 + c.X(0.015), roof + c.h * 0.012], c.pal(DARK_BROWN), lw
    )
    # sign board
    sb = [c.X(0.16), c.Y(0.115), c.X(0.84), c.Y(0.205)]
    _shape(c, "rrect", sb, c.pal((60, 90, 140) if not bakery else (120, 70, 40)), lw, radius=c.h * 0.012)
    _text(
        c,
        (sb[0] + lw, sb[1] + lw, sb[2] - lw, sb[3] - lw),
        sign,
        c.pal(CREAM) if c.time != "night" else (255, 230, 150),
    )
    # striped awning with a scalloped edge
    a0, a1 = c.Y(0.23), c.Y(0.3)
    ax0, ax1 = c.X(0.09), c.X(0.91)
    stripes = 10
    sw = (ax1 - ax0) / stripes
    for i in range(stripes):
        col = c.pal(RED if i % 2 == 0 else WHITE)
        c.d.rectangle([ax0 + sw * i, a0, ax0 + sw * (i + 1), a1], fill=col)
        c.d.chord(
            [ax0 + sw * i, a1 - sw * 0.5, ax0 + sw * (i + 1), a1 + sw * 0.5], 0, 180, fill=col, outline=INK, width=lw
        )
    c.d.rectangle([ax0, a0, ax1, a1], outline=INK, width=lw)
    # shop window with goods on two shelves; the door
    wx0, wy0, wx1, wy1 = c.X(0.12), c.Y(0.35), c.X(0.58), c.Y(0.6)
    glass = (255, 226, 160) if c.time == "night" else c.pal((196, 226, 240))
    _shape(c, "rect", [wx0, wy0, wx1, wy1], glass, lw)
    day_look = c.look
    if c.time == "night":  # the shop is lit inside: its goods keep their colours
        c.look = _look("night", (), True)
    _window_goods(c, (wx0, wy0, wx1, wy1), bakery, lw)
    c.look = day_look
    for k in (0.15, 0.22):  # reflections
        c.d.line([(wx0 + (wx1 - wx0) * k, wy0 + c.h * 0.01), (wx0 + (wx1 - wx0) * (k + 0.08), wy0 + c.h * 0.06)],
                 fill=c.pal(WHITE), width=max(c.ss, lw))
    c.d.rectangle([wx0, wy0, wx1, wy1], outline=INK, width=lw)
    _shape(c, "rect", [wx0 - c.X(0.01), wy1, wx1 + c.X(0.01), wy1 + c.h * 0.02], c.pal(DARK_BROWN), lw)
    dx0, dx1, dy0 = c.X(0.65), c.X(0.84), c.Y(0.34)
    _shape(c, "rect", [dx0, dy0, dx1, horizon], c.pal((70, 140, 110) if not bakery else (150, 90, 50)), lw)
    _shape(
        c, "rect", [dx0 + (dx1 - dx0) * 0.18, dy0 + c.h * 0.03, dx1 - (dx1 - dx0) * 0.18, dy0 + c.h * 0.14], glass, lw
    )
    _shape(
        c,
        "ellipse",
        [dx0 + (dx1 - dx0) * 0.78, c.Y(0.5), dx0 + (dx1 - dx0) * 0.9, c.Y(0.5) + (dx1 - dx0) * 0.12],
        c.pal(GOLD),
        lw,
    )
    # pavement
    pav = c.pal((214, 212, 206))
    _shape(c, "rect", [-lw, horizon, c.w + lw, c.h + lw], pav, lw)
    slab = c.pal((186, 184, 178))
    for i in range(-6, 16):
        xb = c.w * i / 8
        c.d.line([(c.w / 2 + (xb - c.w / 2) * 0.6, horizon), (xb, c.h)], fill=slab, width=max(c.ss, lw // 2))
    for fy in (0.74, 0.85):
        c.d.line([(0, c.Y(fy)), (c.w, c.Y(fy))], fill=slab, width=max(c.ss, lw // 2))
    c.surfaces["sky"] = (0, 0, c.w, roof)
    c.surfaces["shopfront"] = (fx0, roof, fx1, horizon)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    c.features["shop"] = (fx0, roof, fx1, horizon)
    if bakery:
        c.features["bakery"] = (fx0, roof, fx1, horizon)
    c.features["door"] = (dx0, dy0, dx1, horizon)
    c.features["shop window"] = (wx0, wy0, wx1, wy1)
    c.features["awning"] = (ax0, a0, ax1, a1)
    c.features["sign"] = tuple(sb)
    return horizon
