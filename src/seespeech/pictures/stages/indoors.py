"""Rooms: a room, kitchen, living room, bedroom, hospital ward and classroom."""

from __future__ import annotations

import random

from seespeech.pictures.canvas import (
    BLUE, CREAM, DARK_GREEN, DARK_GREY, GOLD, GREEN, GREY, INK, LIGHT_BLUE, LIGHT_GREY, LIGHT_WOOD, PINK, RED,
    RGB, WHITE, WOOD, YELLOW, _Canvas, _shape, _text, _union,
)
from seespeech.pictures.stages.lighting import _mix
from seespeech.pictures.stages.scenery import _floor, _twinkle, _wall, _window
from seespeech.pictures.stages.countryside import _flower


def _indoor(c: _Canvas, wall: RGB, floor: RGB, floor_kind: str = "boards", skirting: RGB = WHITE) -> float:
    """Wall down to the floor line at 60 % of the height, the floor below it."""
    line = c.Y(0.6)
    _wall(c, line, wall, skirting)
    _floor(c, line, floor, floor_kind)
    c.d.line([(0, line), (c.w, line)], fill=INK, width=c.lw(c.h * 0.15))
    c.surfaces["ground"] = (0, line, c.w, c.h)
    return line


def _frame(c: _Canvas, box, r: random.Random, kind: str = "landscape") -> None:
    """A framed picture on the wall."""
    x0, y0, x1, y1 = box
    lw = c.lw(y1 - y0)
    f = (y1 - y0) * 0.1
    _shape(c, "rect", [x0, y0, x1, y1], c.pal(GOLD if kind == "landscape" else WOOD), lw)
    ix0, iy0, ix1, iy1 = x0 + f, y0 + f, x1 - f, y1 - f
    _shape(c, "rect", [ix0, iy0, ix1, iy1], c.pal(LIGHT_BLUE), max(c.ss, lw // 2))
    if kind == "landscape":
        c.d.polygon(
            [(ix0, iy1), (ix0 + (ix1 - ix0) * 0.35, iy0 + (iy1 - iy0) * 0.35), (ix0 + (ix1 - ix0) * 0.7, iy1)],
            fill=c.pal(GREEN),
        )
        c.d.polygon(
            [(ix0 + (ix1 - ix0) * 0.4, iy1), (ix0 + (ix1 - ix0) * 0.7, iy0 + (iy1 - iy0) * 0.5), (ix1, iy1)],
            fill=c.pal(DARK_GREEN),
        )
        s = (iy1 - iy0) * 0.12
        cx, cy = ix0 + (ix1 - ix0) * 0.78, iy0 + (iy1 - iy0) * 0.28
        c.d.ellipse([cx - s, cy - s, cx + s, cy + s], fill=c.pal(YELLOW))
    else:  # a flower in a vase
        cx = (ix0 + ix1) / 2
        c.d.rectangle(
            [cx - (ix1 - ix0) * 0.15, iy1 - (iy1 - iy0) * 0.35, cx + (ix1 - ix0) * 0.15, iy1], fill=c.pal(BLUE)
        )
        _flower(c, cx, iy1 - (iy1 - iy0) * 0.35, (iy1 - iy0) * 0.5, PINK, r)
    c.d.rectangle([ix0, iy0, ix1, iy1], outline=INK, width=max(c.ss, lw // 2))


def _rug(c: _Canvas, cx: float, cy: float, w: float, h: float, colour: RGB, trim: RGB, round_: bool = False) -> None:
    lw = c.lw(h * 2)
    if round_:
        _shape(c, "ellipse", [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], c.pal(colour), lw)
        _shape(
            c, "ellipse", [cx - w * 0.36, cy - h * 0.3, cx + w * 0.36, cy + h * 0.3], c.pal(trim), max(c.ss, lw // 2)
        )
        _shape(
            c, "ellipse", [cx - w * 0.2, cy - h * 0.15, cx + w * 0.2, cy + h * 0.15], c.pal(colour), max(c.ss, lw // 2)
        )
        return
    k = 0.16  # a trapezoid: the far edge is narrower
    pts = [
        (cx - w / 2 * (1 - k), cy - h / 2),
        (cx + w / 2 * (1 - k), cy - h / 2),
        (cx + w / 2, cy + h / 2),
        (cx - w / 2, cy + h / 2),
    ]
    _shape(c, "poly", pts, c.pal(colour), lw)
    inner = [(cx + (x - cx) * 0.8, cy + (y - cy) * 0.7) for x, y in pts]
    _shape(c, "poly", inner, c.pal(trim), max(c.ss, lw // 2))
    inner2 = [(cx + (x - cx) * 0.6, cy + (y - cy) * 0.45) for x, y in pts]
    _shape(c, "poly", inner2, c.pal(colour), max(c.ss, lw // 2))
    fr = c.pal(CREAM)
    for side, (a, b) in ((-1, (pts[0], pts[3])), (1, (pts[1], pts[2]))):
        for i in range(9):
            t = (i + 0.5) / 9
            x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
            c.d.line([(x, y), (x + side * h * 0.08, y)], fill=fr, width=max(c.ss, lw // 2))


def place_room(c: _Canvas, r: random.Random, opts: dict) -> float:
    line = _indoor(c, (250, 234, 200), WOOD)
    glass = _window(c, r, (c.X(0.6), c.Y(0.12), c.X(0.86), c.Y(0.4)))
    _frame(c, (c.X(0.18), c.Y(0.16), c.X(0.38), c.Y(0.32)), r)
    # a door on the left edge
    lw = c.lw(c.h * 0.4)
    dx0, dx1, dy0 = c.X(0.02), c.X(0.13), c.Y(0.12)
    _shape(c, "rect", [dx0, dy0, dx1, line], c.pal(LIGHT_WOOD), lw)
    _shape(
        c,
        "rect",
        [dx0 + (dx1 - dx0) * 0.2, dy0 + c.h * 0.05, dx1 - (dx1 - dx0) * 0.2, dy0 + c.h * 0.18],
        c.pal(WOOD),
        max(c.ss, lw // 2),
    )
    _shape(
        c,
        "ellipse",
        [dx1 - (dx1 - dx0) * 0.3, c.Y(0.37), dx1 - (dx1 - dx0) * 0.12, c.Y(0.37) + (dx1 - dx0) * 0.18],
        c.pal(GOLD),
        c.ss,
    )
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    c.features["door"] = (dx0, dy0, dx1, line)
    return line


def _tiles(c: _Canvas, box, colour: RGB, size: float) -> None:
    x0, y0, x1, y1 = box
    c.d.rectangle(box, fill=c.pal(colour))
    line = c.pal(_mix(colour, (120, 130, 140), 0.35))
    w = max(c.ss, round(size * 0.06))
    y = y1
    while y > y0:
        c.d.line([(x0, y), (x1, y)], fill=line, width=w)
        y -= size
    x = x0
    while x < x1:
        c.d.line([(x, y0), (x, y1)], fill=line, width=w)
        x += size


def place_kitchen(c: _Canvas, r: random.Random, opts: dict) -> float:
    floor = c.Y(0.6)
    _tiles(c, (0, 0, c.w, floor), (236, 242, 244), c.h * 0.055)
    _floor(c, floor, (222, 200, 160), "tiles")
    c.d.line([(0, floor), (c.w, floor)], fill=INK, width=c.lw(c.h * 0.15))
    # window above the counter, upper cabinets to its right
    glass = _window(c, r, (c.X(0.07), c.Y(0.13), c.X(0.33), c.Y(0.39)))
    cab = c.pal((120, 190, 180))
    lw = c.lw(c.h * 0.2)
    for i in range(2):
        x0 = c.X(0.4 + i * 0.13)
        _shape(c, "rect", [x0, c.Y(0.12), x0 + c.X(0.13), c.Y(0.31)], cab, lw)
        kx = x0 + c.X(0.13) * (0.82 if i == 0 else 0.18)
        _shape(
            c,
            "ellipse",
            [kx - c.h * 0.008, c.Y(0.27), kx + c.h * 0.008, c.Y(0.27) + c.h * 0.016],
            c.pal(LIGHT_GREY),
            c.ss,
        )
    # the counter: top slab, cabinets with doors, a stove in the middle
    top, x1 = c.Y(0.47), c.X(0.68)
    slab = c.h * 0.025
    body = (top + slab, floor)
    for i in range(4):
        cx0 = x1 * i / 4
        if i == 2:  # the stove
            _shape(c, "rect", [cx0, body[0], cx0 + x1 / 4, floor], c.pal((230, 230, 232)), lw)
            _shape(
                c,
                "rrect",
                [
                    cx0 + x1 * 0.03,
                    body[0] + (floor - body[0]) * 0.3,
                    cx0 + x1 / 4 - x1 * 0.03,
                    floor - (floor - body[0]) * 0.1,
                ],
                c.pal((70, 72, 80)),
                lw,
                radius=c.h * 0.01,
            )
            for k in range(3):
                kx = cx0 + x1 / 4 * (0.25 + 0.25 * k)
                ky = body[0] + (floor - body[0]) * 0.14
                _shape(
                    c,
                    "ellipse",
                    [kx - c.h * 0.009, ky - c.h * 0.009, kx + c.h * 0.009, ky + c.h * 0.009],
                    c.pal(DARK_GREY),
                    c.ss,
                )
            continue
        _shape(c, "rect", [cx0, body[0], cx0 + x1 / 4, floor], cab, lw)
        hx = cx0 + x1 / 4 * (0.8 if i % 2 == 0 else 0.2)
        _shape(
            c,
            "rect",
            [
                hx - c.h * 0.005,
                body[0] + (floor - body[0]) * 0.15,
                hx + c.h * 0.005,
                body[0] + (floor - body[0]) * 0.45,
            ],
            c.pal(LIGHT_GREY),
            c.ss,
        )
    _shape(c, "rect", [-lw, top, x1 + c.X(0.01), top + slab], c.pal(LIGHT_WOOD), lw)
    # burners on the stove top
    sx = x1 / 2
    for k in (0.3, 0.7):
        bx = sx + x1 / 4 * k
        _shape(
            c,
            "ellipse",
            [bx - c.X(0.025), top - c.h * 0.008, bx + c.X(0.025), top + c.h * 0.004],
            c.pal(DARK_GREY),
            c.ss,
        )
    c.surfaces["counter"] = (0, top, x1, floor)
    c.features["counter"] = (0, top, x1, floor)
    c.features["stove"] = (sx, top, sx + x1 / 4, floor)
    c.features["window"] = c.surfaces["window"]
    c.surfaces["sky"] = glass
    c.surfaces["ground"] = (0, floor, c.w, c.h)
    return floor


def place_living_room(c: _Canvas, r: random.Random, opts: dict) -> float:
    wall = (246, 222, 180)
    line = c.Y(0.6)
    c.d.rectangle([0, 0, c.w, line], fill=c.pal(wall))
    stripe = c.pal((236, 204, 156))
    n = 14
    for i in range(n):  # wallpaper: stripes with small dots
        x = c.w * i / n
        c.d.rectangle([x, 0, x + c.w / n * 0.35, line], fill=stripe)
        for j in range(8):
            y = line * (j + 0.5) / 8
            s = c.h * 0.005
            xx = x + c.w / n * 0.68
            c.d.ellipse([xx - s, y - s, xx + s, y + s], fill=c.pal((214, 130, 104)))
    # a dado rail and wainscot
    c.d.rectangle([0, c.Y(0.46), c.w, line], fill=c.pal((180, 120, 90)))
    _shape(c, "rect", [-c.ss * 4, c.Y(0.455), c.w + c.ss * 4, c.Y(0.47)], c.pal(CREAM), c.lw(c.h * 0.15))
    _floor(c, line, LIGHT_WOOD, "boards")
    c.d.line([(0, line), (c.w, line)], fill=INK, width=c.lw(c.h * 0.15))
    glass = _window(c, r, (c.X(0.56), c.Y(0.09), c.X(0.86), c.Y(0.4)), curtains=(120, 150, 210))
    _frame(c, (c.X(0.13), c.Y(0.12), c.X(0.37), c.Y(0.3)), r)
    _rug(c, c.X(0.5), c.Y(0.79), c.X(0.7), c.h * 0.2, (200, 80, 70), (250, 200, 110))
    c.surfaces["ground"] = (0, line, c.w, c.h)
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    c.features["rug"] = (c.X(0.15), c.Y(0.69), c.X(0.85), c.Y(0.89))
    c.features["picture"] = (c.X(0.13), c.Y(0.12), c.X(0.37), c.Y(0.3))
    return line


def place_bedroom(c: _Canvas, r: random.Random, opts: dict) -> float:
    line = _indoor(c, (190, 214, 240), (206, 160, 110))
    for j in range(6):  # wallpaper: little stars
        for i in range(9):
            x = c.w * (i + 0.5 * (j % 2) + 0.25) / 9
            y = line * (j + 0.5) / 6.5
            _twinkle(c, x, y, c.h * 0.012)
    glass = _window(c, r, (c.X(0.1), c.Y(0.12), c.X(0.36), c.Y(0.4)), curtains=(255, 167, 192))
    # a wall shelf with books and a little plant
    lw = c.lw(c.h * 0.3)
    sx0, sx1, sy = c.X(0.6), c.X(0.88), c.Y(0.3)
    x = sx0 + c.X(0.015)
    for col, hh in ((RED, 0.09), (BLUE, 0.075), (YELLOW, 0.085), (GREEN, 0.07)):
        bw = c.X(0.028)
        _shape(c, "rect", [x, sy - c.h * hh, x + bw, sy], c.pal(col), max(c.ss, lw // 2))
        x += bw
    px = sx1 - c.X(0.06)
    _shape(c, "poly", [(px - c.X(0.025), sy - c.h * 0.045), (px + c.X(0.025), sy - c.h * 0.045), (px + c.X(0.018), sy),
                       (px - c.X(0.018), sy)], c.pal((214, 120, 80)), max(c.ss, lw // 2))
    _union(
        c,
        [
            ("circle", px - c.X(0.015), sy - c.h * 0.065, c.h * 0.022),
            ("circle", px + c.X(0.015), sy - c.h * 0.07, c.h * 0.022),
            ("circle", px, sy - c.h * 0.085, c.h * 0.022),
        ],
        c.pal(GREEN),
        max(c.ss, lw // 2),
    )
    _shape(c, "rect", [sx0, sy, sx1, sy + c.h * 0.018], c.pal(WOOD), lw)
    _frame(c, (c.X(0.64), c.Y(0.38), c.X(0.8), c.Y(0.5)), r, "flower")
    _rug(c, c.X(0.5), c.Y(0.8), c.X(0.5), c.h * 0.16, (178, 153, 200), (250, 236, 204), round_=True)
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    c.features["rug"] = (c.X(0.25), c.Y(0.72), c.X(0.75), c.Y(0.88))
    c.features["shelf"] = (sx0, sy - c.h * 0.09, sx1, sy + c.h * 0.018)
    return line


def place_hospital(c: _Canvas, r: random.Random, opts: dict) -> float:
    line = _indoor(c, (222, 240, 234), (206, 216, 222), "tiles", (150, 200, 190))
    c.d.rectangle([0, c.Y(0.42), c.w, line - c.h * 0.03], fill=c.pal((190, 224, 214)))
    c.d.line([(0, c.Y(0.42)), (c.w, c.Y(0.42))], fill=INK, width=c.lw(c.h * 0.1))
    glass = _window(c, r, (c.X(0.08), c.Y(0.12), c.X(0.3), c.Y(0.36)))
    # the red-cross sign
    lw = c.lw(c.h * 0.3)
    s = c.h * 0.075
    cx, cy = c.X(0.46), c.Y(0.2)
    _shape(c, "rrect", [cx - s, cy - s, cx + s, cy + s], c.pal(WHITE), lw, radius=s * 0.2)
    a, b = s * 0.6, s * 0.2
    cross = [
        (cx - b, cy - a),
        (cx + b, cy - a),
        (cx + b, cy - b),
        (cx + a, cy - b),
        (cx + a, cy + b),
        (cx + b, cy + b),
        (cx + b, cy + a),
        (cx - b, cy + a),
        (cx - b, cy + b),
        (cx - a, cy + b),
        (cx - a, cy - b),
        (cx - b, cy - b),
    ]
    _shape(c, "poly", cross, c.pal(RED), max(c.ss, lw // 2))
    # a curtain on a ceiling rail, drawn open at the right
    rx0 = c.X(0.66)
    _shape(c, "rect", [rx0 - c.X(0.02), c.Y(0.03), c.w + lw, c.Y(0.045)], c.pal(GREY), lw)
    cur = c.pal((150, 200, 220))
    fold = c.pal((120, 176, 200))
    cy0, cy1 = c.Y(0.045), line - c.h * 0.02
    folds = 6
    fw = (c.w - rx0) / folds
    pts = [(rx0, cy0)]
    for i in range(folds + 1):
        pts.append((rx0 + fw * i + (fw * 0.25 if i % 2 else 0), cy1 + (c.h * 0.01 if i % 2 else 0)))
    pts += [(c.w + lw, cy1), (c.w + lw, cy0)]
    _shape(c, "poly", pts, cur, lw)
    for i in range(1, folds):
        x = rx0 + fw * i
        c.d.line([(x, cy0 + c.h * 0.02), (x + fw * 0.1, cy1 - c.h * 0.01)], fill=fold, width=max(c.ss, lw))
    for i in range(folds + 1):
        x = rx0 + fw * i + fw * 0.1
        _shape(c, "ellipse", [x - c.h * 0.008, c.Y(0.03), x + c.h * 0.008, c.Y(0.05)], c.pal(LIGHT_GREY), c.ss)
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    c.features["curtain"] = (rx0, cy0, c.w, cy1)
    c.features["red cross"] = (cx - s, cy - s, cx + s, cy + s)
    return line


def place_classroom(c: _Canvas, r: random.Random, opts: dict) -> float:
    line = _indoor(c, (250, 232, 180), LIGHT_WOOD)
    lw = c.lw(c.h * 0.3)
    bx0, by0, bx1, by1 = c.X(0.17), c.Y(0.15), c.X(0.83), c.Y(0.43)
    _shape(c, "rect", [bx0 - c.X(0.015), by0 - c.X(0.015), bx1 + c.X(0.015), by1 + c.X(0.015)], c.pal(WOOD), lw)
    board = (46, 96, 72)
    _shape(c, "rect", [bx0, by0, bx1, by1], c.pal(board), lw)
    chalk = c.pal((240, 240, 230))
    _text(
        c,
        (bx0 + (bx1 - bx0) * 0.06, by0 + (by1 - by0) * 0.1, bx0 + (bx1 - bx0) * 0.5, by0 + (by1 - by0) * 0.42),
        "A B C",
        chalk,
    )
    _text(
        c,
        (bx0 + (bx1 - bx0) * 0.06, by0 + (by1 - by0) * 0.5, bx0 + (bx1 - bx0) * 0.5, by0 + (by1 - by0) * 0.82),
        "1+2=3",
        chalk,
    )
    # a chalk drawing of a house and sun on the right half
    hx, hy, hs = bx0 + (bx1 - bx0) * 0.72, by0 + (by1 - by0) * 0.72, (by1 - by0) * 0.22
    cw = max(c.ss, lw // 2)
    c.d.rectangle([hx - hs, hy - hs, hx + hs, hy + hs * 0.6], outline=chalk, width=cw)
    c.d.line([(hx - hs * 1.2, hy - hs), (hx, hy - hs * 2), (hx + hs * 1.2, hy - hs)], fill=chalk, width=cw)
    c.d.ellipse([hx + hs * 1.6, hy - hs * 2.4, hx + hs * 2.2, hy - hs * 1.8], outline=chalk, width=cw)
    _shape(c, "rect", [bx0, by1 + c.X(0.015), bx1, by1 + c.X(0.03)], c.pal(WOOD), lw)
    # a clock above the board
    cx, cy, cr = c.X(0.5), c.Y(0.075), c.h * 0.045
    _shape(c, "ellipse", [cx - cr, cy - cr, cx + cr, cy + cr], c.pal(WHITE), lw)
    c.d.line([(cx, cy), (cx, cy - cr * 0.7)], fill=INK, width=cw)
    c.d.line([(cx, cy), (cx + cr * 0.5, cy + cr * 0.1)], fill=INK, width=cw)
    # a window on the right edge
    glass = _window(c, r, (c.X(0.88), c.Y(0.14), c.X(1.08), c.Y(0.42)))
    c.surfaces["blackboard"] = (bx0, by0, bx1, by1)
    c.features["blackboard"] = (bx0 - c.X(0.015), by0 - c.X(0.015), bx1 + c.X(0.015), by1 + c.X(0.03))
    c.features["clock"] = (cx - cr, cy - cr, cx + cr, cy + cr)
    c.surfaces["sky"] = glass
    c.features["window"] = c.surfaces["window"]
    return line
