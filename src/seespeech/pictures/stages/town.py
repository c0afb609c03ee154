"""Places in town: the city street and the shop (the shop prop's drawing on its street)."""

from __future__ import annotations

import random

from seespeech.pictures.canvas import DARK_GREY, LIGHT_BLUE, RED, RGB, _Canvas, _shape
from seespeech.pictures.props.indoors import _shop as _shop_prop, shop_parts
from seespeech.pictures.stages.lighting import _mix
from seespeech.pictures.stages.scenery import _prop_pen, _sky


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



def place_shop(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.66)
    roof = c.Y(0.09) - c.h * 0.025
    c.surfaces["sky"] = _sky(c, horizon, r, clouds=2, box=(0, 0, c.w, horizon))
    sign = (opts.get("sign") or "SHOP").strip().upper()[:24] or "SHOP"
    bakery = any(k in sign.lower() for k in ("bake", "bread", "cake", "pastr", "patis", "boulang"))
    lw = c.lw(c.h * 0.3)
    # the neighbours, then the shop prop's drawing filling the street front (lit inside at night)
    _shape(c, "rect", [-lw, c.Y(0.2), c.X(0.06), horizon], c.pal((200, 200, 196)), lw)
    _shape(c, "rect", [c.X(0.94), c.Y(0.16), c.w + lw, horizon], c.pal((150, 170, 200)), lw)
    fx0, fx1 = c.X(0.06), c.X(0.94)
    a = (fx1 - fx0) / (horizon - roof)
    lit = {LIGHT_BLUE: (255, 226, 160)} if c.time == "night" else None
    pen = _prop_pen(c, (fx0, roof, fx1, horizon), a, lw, lit=lit)
    _shop_prop(pen, RED, sign)
    parts = {k: (*pen.P(x0, y0), *pen.P(x1, y1)) for k, (x0, y0, x1, y1) in shop_parts(a).items()}
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
    c.features["door"] = parts["door"]
    c.features["shop window"] = parts["window"]
    c.features["awning"] = parts["awning"]
    c.features["sign"] = parts["sign"]
    return horizon
