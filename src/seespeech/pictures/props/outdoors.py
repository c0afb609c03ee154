"""Drawers of props found outdoors: benches, bridges, carts, fences, a barn, playground things,
boats, signs and posts."""

from __future__ import annotations

import math
import re
from seespeech.pictures.canvas import (
    BLUE, BROWN, DARK_BROWN, DARK_GREEN, DARK_GREY, DARK_RED, GOLD, GREEN, GREY, INK, LIGHT_BLUE, LIGHT_GREY,
    LIGHT_WOOD, RED, RGB, SAND, WHITE, WOOD, YELLOW,
)

from seespeech.pictures.props.pen import _Pen, _flame, _logs, _rot_rect, _smooth, _stones, shade, tint


def _bench(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    iron = DARK_GREY
    for x in (0.28, a / 2, a - 0.28):  # back supports, behind the slats
        p.rect(x - 0.03, 0.04, x + 0.03, 0.5, iron)
    for y in (0.05, 0.18, 0.31):
        p.rect(0.08, y, a - 0.08, y + 0.1, main, r=0.025)
    p.rect(0.06, 0.46, a - 0.06, 0.53, tint(main, 0.3))  # seat slats seen from above
    p.rect(0.04, 0.53, a - 0.04, 0.62, main, r=0.025)  # front slat
    for x, s in ((0.1, -1), (a - 0.1, 1), (a / 2, 0)):
        p.band([(x, 0.62), (x + s * 0.03, 0.97)], 0.05, iron)
        p.band([(x - 0.06 + s * 0.03, 0.97), (x + 0.06 + s * 0.03, 0.97)], 0.035, iron)
        if s:  # armrests at the ends
            p.band([(x, 0.56), (x, 0.4)], 0.045, iron)
            p.rect(x - 0.08, 0.34, x + 0.08, 0.4, main, r=0.02)


def _bridge_y(p: _Pen, x: float) -> float:
    t = x / p.a
    return 0.72 - 0.3 * (1 - abs(2 * t - 1) ** 4)


def _bridge(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    xs = [a * k / 60 for k in range(61)]
    dark, light = shade(main, 0.75), tint(main, 0.3)
    # abutments
    _stones(p, 0.0, 0.8, 0.36, 1.0, LIGHT_GREY, 2, 3)
    _stones(p, a - 0.36, 0.8, a, 1.0, LIGHT_GREY, 2, 3)
    # the arch rib and its struts
    rib = [(x, 0.88 - 0.34 * math.sin(math.pi * (x - 0.25) / (a - 0.5))) for x in xs if 0.25 <= x <= a - 0.25]
    for k in range(1, 8):
        x = 0.25 + k * (a - 0.5) / 8
        yr = 0.88 - 0.34 * math.sin(math.pi * (x - 0.25) / (a - 0.5))
        p.band([(x, _bridge_y(p, x) + 0.08), (x, yr)], 0.04, dark)
    p.band(rib, 0.06, main)
    posts = [0.1 + k * (a - 0.2) / 7 for k in range(8)]
    # deck: walking surface, then front face (front layer)
    top = [(x, _bridge_y(p, x) - 0.05) for x in xs] + [(x, _bridge_y(p, x)) for x in reversed(xs)]
    p.poly(top, light)
    p.layer("front")
    face = [(x, _bridge_y(p, x)) for x in xs] + [(x, _bridge_y(p, x) + 0.1) for x in reversed(xs)]
    p.poly(face, main)
    for k in range(1, 12):
        x = a * k / 12
        p.line([(x, _bridge_y(p, x) + 0.01), (x, _bridge_y(p, x) + 0.09)], shade(main, 0.6), w=0.5)
    for x in posts:
        p.band([(x, _bridge_y(p, x)), (x, _bridge_y(p, x) - 0.3)], 0.06, dark)
    p.band([(x, _bridge_y(p, x) - 0.15) for x in xs if 0.1 <= x <= a - 0.1], 0.04, dark)
    p.band([(x, _bridge_y(p, x) - 0.29) for x in xs if 0.1 <= x <= a - 0.1], 0.075, main)


def _wheel(p: _Pen, cx: float, cy: float, r: float, rim: RGB, spokes: RGB, n: int = 10) -> None:
    for k in range(n):
        t = 2 * math.pi * k / n + 0.2
        p.band([(cx, cy), (cx + (r - 0.03) * math.cos(t) * 1, cy + (r - 0.03) * math.sin(t))], 0.025, spokes)
    p.ring(cx, cy, r - 0.02, 0.05, rim)
    p.circle(cx, cy, r * 0.22, spokes)
    p.circle(cx, cy, r * 0.08, DARK_GREY)


def _cart(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    x0, x1 = 0.64, a - 0.03
    p.band([(0.76, 0.53), (0.04, 0.44)], 0.06, shade(WOOD, 0.75))  # far shaft
    p.poly([(x0 + 0.04, 0.22), (x1 - 0.02, 0.22), (x1, 0.3), (x0, 0.3)], shade(main, 0.6))  # far side
    p.layer("front")
    p.rect(x0, 0.3, x1, 0.62, main, r=0.015)  # near side boards
    for y in (0.4, 0.51):
        p.line([(x0, y), (x1, y)], shade(main, 0.6), w=0.6)
    for x in (x0 + 0.03, (x0 + x1) / 2, x1 - 0.03):
        p.rect(x - 0.03, 0.28, x + 0.03, 0.64, shade(main, 0.8), r=0.01)  # stakes
    p.band([(0.74, 0.57), (0.03, 0.49)], 0.07, WOOD)  # near shaft
    _wheel(p, 1.0, 0.78, 0.21, DARK_BROWN, BROWN)
    _wheel(p, a - 0.38, 0.74, 0.25, DARK_BROWN, BROWN)


def _fence(p: _Pen, main: RGB, sign: str | None, pitch: float = 0.25, picket: float | None = None) -> None:
    """A picket fence: pickets about ``pitch`` apart (drawing units; a whole number of them
    fills the width), ``picket`` wide (default 64 % of the pitch), on two rails."""
    a = p.a
    n = max(2, round(a / pitch))
    pitch = a / n
    pw = pitch * 0.64 if picket is None else picket
    rail = shade(main, 0.85)
    p.rect(0, 0.3, a, 0.4, rail)
    p.rect(0, 0.7, a, 0.8, rail)
    for k in range(n):
        xa = k * pitch + (pitch - pw) / 2
        xb = xa + pw
        p.poly([(xa, 0.12), ((xa + xb) / 2, 0.0), (xb, 0.12), (xb, 1.0), (xa, 1.0)], main)


def _ladder(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    rail = 0.045
    y = 0.07
    while y < 0.97:
        p.rect(0.02, y, a - 0.02, y + 0.025, main)
        y += 0.1
    p.rect(0, 0, rail, 1.0, main, r=0.01)
    p.rect(a - rail, 0, a, 1.0, main, r=0.01)


def _barn(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    trim = WHITE
    c = a / 2
    outline = [(0.07, 1.0), (0.07, 0.42), (0.2, 0.17), (c, 0.05), (a - 0.2, 0.17), (a - 0.07, 0.42), (a - 0.07, 1.0)]
    p.poly(outline, main)
    for k in range(1, 12):  # board lines
        x = 0.07 + k * (a - 0.14) / 12
        if abs(x - c) > 0.26:
            top = 0.42 if x < 0.2 or x > a - 0.2 else 0.2
            p.line([(x, top + 0.06), (x, 0.98)], shade(main, 0.78), w=0.5)
    # roof edge: grey shingles with a white trim under them
    edge = [(0.04, 0.46), (0.18, 0.16), (c, 0.04), (a - 0.18, 0.16), (a - 0.04, 0.46)]
    p.band(edge, 0.07, (118, 118, 124))
    # hayloft
    p.rect(c - 0.12, 0.22, c + 0.12, 0.42, trim, r=0.01)
    p.rect(c - 0.08, 0.26, c + 0.08, 0.42, DARK_BROWN, outline=False)
    p.poly([(c - 0.08, 0.42), (c - 0.06, 0.34), (c - 0.02, 0.37), (c + 0.01, 0.31), (c + 0.04, 0.36),
            (c + 0.08, 0.33), (c + 0.08, 0.42)], GOLD, w=0.6)  # hay
    p.rect(c - 0.12, 0.22, c + 0.12, 0.42, None)
    # big double door with white X braces
    x0, x1, y0 = c - 0.28, c + 0.28, 0.56
    p.rect(x0, y0, x1, 1.0, trim)
    for dx0, dx1 in ((x0 + 0.04, c - 0.01), (c + 0.01, x1 - 0.04)):
        p.rect(dx0, y0 + 0.04, dx1, 1.0, shade(main, 0.9), w=0.7)
        p.band([(dx0 + 0.02, y0 + 0.06), (dx1 - 0.02, 0.98)], 0.035, trim)
        p.band([(dx1 - 0.02, y0 + 0.06), (dx0 + 0.02, 0.98)], 0.035, trim)
    # small windows either side
    for wx in (0.22, a - 0.22):
        p.rect(wx - 0.07, 0.6, wx + 0.07, 0.74, trim)
        p.rect(wx - 0.045, 0.625, wx + 0.045, 0.715, LIGHT_BLUE, w=0.6)


def _swing(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    seat = RED if main != RED else GOLD
    for x in (0.19, a - 0.19):  # A-frames
        p.band([(x, 0.07), (0.05 if x < a / 2 else a - 0.05, 0.98)], 0.06, main)
        p.band([(x, 0.07), (0.33 if x < a / 2 else a - 0.33, 0.98)], 0.06, main)
    p.band([(0.07, 0.06), (a - 0.07, 0.06)], 0.07, main)  # top beam
    p.rect(a / 2 - 0.25, 0.71, a / 2 + 0.25, 0.79, seat, r=0.02)
    p.layer("front")
    for x in (a / 2 - 0.21, a / 2 + 0.21):
        p.line([(x, 0.09), (x, 0.72)], DARK_GREY, w=1.0)
        p.circle(x, 0.1, 0.02, LIGHT_GREY, w=0.6)


def _slide(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    frame = BLUE if main != BLUE else GOLD
    p.band([(0.5, 0.24), (0.5, 0.98)], 0.05, frame)  # platform post
    p.band([(0.95, 0.6), (0.95, 0.98)], 0.045, frame)  # chute support
    # ladder: two rails leaning against the platform, with rungs
    rail_l = ((0.3, 0.22), (0.06, 0.98))
    rail_r = ((0.44, 0.22), (0.2, 0.98))
    for k in range(5):
        t = (k + 0.8) / 6
        pl = (rail_l[0][0] + (rail_l[1][0] - rail_l[0][0]) * t, rail_l[0][1] + (rail_l[1][1] - rail_l[0][1]) * t)
        pr = (rail_r[0][0] + (rail_r[1][0] - rail_r[0][0]) * t, pl[1])
        p.band([pl, pr], 0.035, LIGHT_GREY)
    p.band(list(rail_l), 0.055, frame)
    p.band(list(rail_r), 0.055, frame)
    p.band([(0.3, 0.22), (0.3, 0.06), (0.48, 0.06), (0.52, 0.2)], 0.04, frame)  # handrail
    # chute
    chute = [(0.48, 0.2), (0.64, 0.24), (0.88, 0.5), (1.1, 0.76), (1.28, 0.86), (a - 0.02, 0.87)]
    chute = _smooth(chute, 3, closed=False)
    under = [(x, y + 0.09) for x, y in reversed(chute)]
    p.poly(chute + under, main)
    p.band([(x, y - 0.025) for x, y in chute[2:-3]], 0.04, tint(main, 0.4))  # the chute's side
    p.rect(0.26, 0.19, 0.52, 0.25, GOLD if main != GOLD else RED, r=0.01)  # platform


def _sandbox(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    wood = main
    p.poly([(0.3, 0.06), (a - 0.3, 0.06), (a - 0.28, 0.22), (0.28, 0.22)], shade(wood, 0.8))  # back board
    p.poly([(0.28, 0.22), (a - 0.28, 0.22), (a - 0.06, 0.62), (0.06, 0.62)], SAND)  # sand
    p.poly(_smooth([(0.6, 0.45), (0.85, 0.3), (1.15, 0.28), (1.4, 0.45)], 2), tint(SAND, 0.25), w=0.7)  # mound
    for side in (-1, 1):  # side boards
        xo = 0.0 if side < 0 else a
        xi = 0.3 if side < 0 else a - 0.3
        p.poly([(xi, 0.06), (xi + side * 0.04, 0.06), (xo + side * -0.04 + (0.02 if side < 0 else -0.02), 0.62),
                (xo + (0.06 if side < 0 else -0.06) - side * 0.06, 0.62)], shade(wood, 0.9))
    # a bucket and spade
    bx = a - 0.75
    p.poly([(bx - 0.11, 0.3), (bx + 0.11, 0.3), (bx + 0.08, 0.48), (bx - 0.08, 0.48)], RED)
    p.line([(bx - 0.1, 0.31), (bx, 0.2), (bx + 0.1, 0.31)], DARK_GREY, w=0.7)
    p.band([(bx + 0.2, 0.5), (bx + 0.32, 0.22)], 0.03, BLUE)
    p.poly(_rot_rect(bx + 0.185, 0.5, 0.08, 0.12, 23), BLUE)
    p.layer("front")
    p.rect(0.0, 0.58, a, 1.0, wood, r=0.03)  # front board
    p.line([(0.04, 0.79), (a - 0.04, 0.79)], shade(wood, 0.7), w=0.6)


def _mailbox(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    p.rect(a / 2 - 0.04, 0.36, a / 2 + 0.04, 1.0, WOOD)  # post
    p.rect(a / 2 - 0.09, 0.34, a / 2 + 0.09, 0.4, WOOD)  # bracket
    # red flag, raised
    p.band([(a - 0.09, 0.31), (a - 0.09, 0.04)], 0.025, DARK_GREY)
    p.rect(a - 0.09, 0.03, a - 0.02, 0.1, RED, w=0.8)
    p.rect(0.0, 0.1, a - 0.06, 0.36, main, r=0.13, corners=(True, True, False, False))
    p.line([(0.07, 0.19), (0.07, 0.35)], shade(main, 0.65), w=0.6)  # the door's seam
    p.circle(0.035, 0.24, 0.016, LIGHT_GREY, w=0.6)


def _well(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    for x in (0.1, a - 0.1):  # posts
        p.rect(x - 0.035, 0.16, x + 0.035, 0.6, WOOD)
    p.band([(0.08, 0.3), (a - 0.08, 0.3)], 0.05, BROWN)  # windlass
    p.band([(a - 0.06, 0.3), (a - 0.01, 0.3), (a - 0.01, 0.38)], 0.025, DARK_GREY)  # crank
    p.line([(a / 2, 0.32), (a / 2, 0.42)], DARK_BROWN, w=0.8)  # rope
    p.poly([(a / 2 - 0.07, 0.42), (a / 2 + 0.07, 0.42), (a / 2 + 0.055, 0.52), (a / 2 - 0.055, 0.52)], GREY, w=0.8)
    p.poly([(-0.0, 0.23), (a / 2, 0.0), (a, 0.23), (a - 0.02, 0.26), (0.02, 0.26)], main)  # roof
    for k in (1, 2):
        p.line([(a / 2 - 0.43 * k / 3 * a / 0.73 * 0.73, 0.23 * k / 3 + 0.0 + 0.0),
                (a / 2 + 0.43 * k / 3 * a / 0.73 * 0.73, 0.23 * k / 3)], shade(main, 0.7), w=0.5)
    _stones(p, 0.03, 0.6, a - 0.03, 1.0, LIGHT_GREY, 3, 4)
    p.ellipse(a / 2, 0.58, a / 2 - 0.005, 0.055, GREY)  # rim
    p.ellipse(a / 2, 0.58, a / 2 - 0.08, 0.03, (40, 60, 90), w=0.6)  # dark water


def _wheelbarrow(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    p.poly([(0.36, 0.15), (a - 0.5, 0.15), (a - 0.46, 0.22), (0.4, 0.22)], shade(main, 0.6))  # far rim
    p.layer("front")
    p.band([(0.28, 0.76), (a - 0.04, 0.38)], 0.07, BROWN)  # handle and frame
    p.band([(a - 0.62, 0.6), (a - 0.6, 0.96)], 0.06, DARK_GREY)  # leg
    p.band([(a - 0.7, 0.96), (a - 0.5, 0.96)], 0.05, DARK_GREY)
    p.poly([(0.34, 0.22), (a - 0.44, 0.22), (a - 0.66, 0.62), (0.62, 0.62)], main)  # tray
    p.line([(0.4, 0.3), (a - 0.52, 0.3)], tint(main, 0.3), w=0.8)
    p.circle(0.28, 0.76, 0.22, DARK_GREY)  # wheel
    p.circle(0.28, 0.76, 0.1, LIGHT_GREY)
    p.circle(0.28, 0.76, 0.035, DARK_GREY)


def _signpost(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    c = a / 2
    p.rect(c - 0.04, 0.04, c + 0.04, 1.0, WOOD)
    p.poly([(c - 0.04, 0.04), (c, 0.0), (c + 0.04, 0.04)], WOOD)
    labels = [s.strip() for s in re.split(r"[,|/;]", sign)] if sign else []
    p.circle(c, 0.33, 0.012, DARK_GREY, outline=False)  # a nail
    arrows = [(0.1, +1, 0.02, a), (0.27, -1, 0.0, a - 0.04), (0.44, +1, 0.07, a - 0.06)]
    for k, (y, d, x0, x1) in enumerate(arrows):
        h = 0.12
        tip = 0.07
        if d > 0:
            pts = [(x0, y), (x1 - tip, y), (x1, y + h / 2), (x1 - tip, y + h), (x0, y + h)]
        else:
            pts = [(x0 + tip, y), (x1, y), (x1, y + h), (x0 + tip, y + h), (x0, y + h / 2)]
        p.poly(pts, main if k != 1 else tint(main, 0.2))
        tx0, tx1 = (x0 + 0.03, x1 - tip - 0.02) if d > 0 else (x0 + tip + 0.02, x1 - 0.03)
        if k < len(labels) and labels[k]:
            p.text((tx0 + tx1) / 2, y + h / 2, labels[k].upper(), tx1 - tx0, h * 0.62, DARK_BROWN)
        elif not labels:
            p.line([(tx0 + 0.02, y + h / 2), (tx1 - 0.02, y + h / 2)], shade(main, 0.55), w=0.7)


def _straw(p: _Pen, x: float, y: float, d: tuple[float, float], size: float) -> None:
    """A tuft of straw pointing in direction d."""
    dx, dy = d
    nx, ny = -dy, dx
    pts = []
    for k in range(5):
        s = (k - 2) / 2
        pts.append((x + nx * size * 0.5 * s + dx * size * (1.0 if k % 2 == 0 else 0.6),
                    y + ny * size * 0.5 * s + dy * size * (1.0 if k % 2 == 0 else 0.6)))
    p.poly([(x + nx * size * 0.5, y + ny * size * 0.5)] + pts[::-1] + [(x - nx * size * 0.5, y - ny * size * 0.5)]
           + [(x - nx * size * 0.5 - dx * 0.01, y - ny * size * 0.5 - dy * 0.01)], GOLD, w=0.7)


def _scarecrow(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    c = a / 2
    p.rect(c - 0.025, 0.3, c + 0.025, 1.0, WOOD)  # pole
    # trousers
    for x0, x1 in ((c - 0.15, c - 0.01), (c + 0.01, c + 0.15)):
        p.rect(x0, 0.62, x1, 0.84, BLUE, r=0.01)
    _straw(p, c - 0.08, 0.84, (0, 1), 0.1)
    _straw(p, c + 0.08, 0.84, (0, 1), 0.1)
    # shirt with sleeves along the cross bar
    _straw(p, 0.08, 0.39, (-1, 0.2), 0.09)
    _straw(p, a - 0.08, 0.39, (1, 0.2), 0.09)
    shirt = [(c - 0.17, 0.33), (0.08, 0.33), (0.08, 0.45), (c - 0.17, 0.45), (c - 0.17, 0.66),
             (c + 0.17, 0.66), (c + 0.17, 0.45), (a - 0.08, 0.45), (a - 0.08, 0.33), (c + 0.17, 0.33)]
    p.poly(shirt, main)
    dark = shade(main, 0.72)
    for x in (0.16, 0.26, c - 0.1, c + 0.1, a - 0.26, a - 0.16):  # plaid
        p.line([(x, 0.345 if abs(x - c) > 0.17 else 0.345), (x, 0.44 if abs(x - c) > 0.17 else 0.65)], dark, w=0.6)
    p.line([(c - 0.16, 0.55), (c + 0.16, 0.55)], dark, w=0.6)
    p.line([(0.09, 0.39), (a - 0.09, 0.39)], dark, w=0.6)
    p.rect(c + 0.03, 0.5, c + 0.12, 0.6, GREEN, w=0.6)  # a patch
    p.rect(c - 0.17, 0.6, c + 0.17, 0.64, DARK_BROWN, w=0.7)  # rope belt
    # head
    _straw(p, c, 0.32, (0, 1), 0.07)
    p.circle(c, 0.23, 0.1, (226, 196, 146))
    p.circle(c - 0.035, 0.22, 0.014, INK, outline=False)
    p.circle(c + 0.035, 0.22, 0.014, INK, outline=False)
    smile = [(c - 0.05 + k * 0.01, 0.265 + 0.018 * math.sin(k / 10 * math.pi)) for k in range(11)]
    p.line(smile, INK, w=0.6)
    for k in (1, 4, 7, 10):
        x, y = smile[k]
        p.line([(x, y - 0.012), (x, y + 0.012)], INK, w=0.5)
    # straw hat
    p.ellipse(c, 0.15, 0.2, 0.03, GOLD)
    p.poly(_smooth([(c - 0.11, 0.15), (c - 0.09, 0.06), (c, 0.03), (c + 0.09, 0.06), (c + 0.11, 0.15)], 2,
                   closed=False), GOLD)
    p.rect(c - 0.105, 0.11, c + 0.105, 0.14, RED, outline=False)


def _sled(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    runner = RED if main != RED else DARK_GREY
    p.band([(0.14, 0.62), (0.02, 0.78), (0.1, 0.96)], 0.03, DARK_GREY)  # pull rope
    for x in (0.6, 1.2, 1.8, a - 0.25):  # struts
        p.band([(x, 0.46), (x, 0.84)], 0.1, runner)
    curl = [(a - 0.08, 0.87), (0.5, 0.87), (0.2, 0.85), (0.07, 0.72), (0.06, 0.46), (0.12, 0.24),
            (0.24, 0.18), (0.32, 0.28)]
    p.band(_smooth(curl, 3, closed=False), 0.1, runner)  # a runner curling up at the front
    p.poly([(0.32, 0.18), (a - 0.1, 0.18), (a - 0.04, 0.3), (0.26, 0.3)], tint(main, 0.3))  # deck top
    for x in (0.75, 1.2, 1.65, 2.1):  # slats
        p.line([(x, 0.19), (x + 0.03, 0.29)], shade(main, 0.6), w=0.6)
    p.rect(0.26, 0.3, a - 0.04, 0.48, main, r=0.03)  # deck side


def _campfire(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    c = a / 2
    _flame(p, c, 0.8, 0.76, 0.62)
    _logs(p, c, 0.88, 0.95, 0.14, main)
    for k in range(6):  # ring of stones
        x = 0.08 + k * (a - 0.16) / 5
        p.ellipse(x, 0.92, 0.09, 0.07, LIGHT_GREY if k % 2 else GREY)


def _hammock(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    for x in (0.0, a - 0.1):
        p.rect(x, 0.02, x + 0.1, 1.0, WOOD, r=0.02)

    def sag(x0, x1, y, depth):
        return [(x0 + (x1 - x0) * k / 24, y + depth * math.sin(math.pi * k / 24)) for k in range(25)]

    l, r = 0.36, a - 0.36
    for dy in (0.0, 0.06, 0.12):  # ropes fanning out to the posts
        p.line([(0.08, 0.12), (l, 0.36 + dy)], DARK_BROWN, w=0.8)
        p.line([(a - 0.08, 0.12), (r, 0.36 + dy)], DARK_BROWN, w=0.8)
    back_edge = sag(l, r, 0.36, 0.12)
    low = sag(l, r, 0.5, 0.28)
    p.poly(back_edge + low[::-1], shade(main, 0.7))  # the inside of the cloth
    p.layer("front")
    front_edge = sag(l, r, 0.4, 0.26)
    bottom = sag(l, r, 0.5, 0.36)
    p.poly(front_edge + bottom[::-1], main)
    for k in (1, 3):  # stripes along the cloth
        t0, t1 = k / 5, (k + 1) / 5
        s0 = [(x, y0 + (y1 - y0) * t0) for (x, y0), (_, y1) in zip(front_edge, bottom)]
        s1 = [(x, y0 + (y1 - y0) * t1) for (x, y0), (_, y1) in zip(front_edge, bottom)]
        p.poly(s0 + s1[::-1], WHITE if main != WHITE else RED, outline=False)
    p.poly(front_edge + bottom[::-1], None)


def _picnic_blanket(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    bl, br, fl, fr, yb, yf = (0.38, a - 0.38, 0.0, a, 0.06, 0.88)

    def at(u, v):
        vv = v * (1 + 0.6 * v) / 1.6  # rows grow nearer the viewer
        y = yb + (yf - yb) * vv
        xl, xr = bl + (fl - bl) * vv, br + (fr - br) * vv
        return (xl + (xr - xl) * u, y)

    corners = [at(0, 0), at(1, 0), at(1, 1), at(0, 1)]
    p.poly(corners, WHITE, outline=False)
    nu, nv = 10, 5
    light = tint(main, 0.55)
    for i in range(nu):
        for j in range(nv):
            if i % 2 and j % 2:
                col = main
            elif i % 2 or j % 2:
                col = light
            else:
                continue
            quad = [at(i / nu, j / nv), at((i + 1) / nu, j / nv), at((i + 1) / nu, (j + 1) / nv), at(i / nu, (j + 1) / nv)]
            p.poly(quad, col, outline=False)
    p.poly([at(0, 1), at(1, 1), (fr, yf + 0.1), (fl, yf + 0.1)], shade(main, 0.85))  # the near edge's thickness
    p.poly(corners, None)


def _lamp_post(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    c = a / 2
    p.poly([(c - 0.06, 1.0), (c - 0.04, 0.9), (c + 0.04, 0.9), (c + 0.06, 1.0)], main)  # base
    p.rect(c - 0.018, 0.2, c + 0.018, 0.91, main)
    p.rect(c - 0.03, 0.6, c + 0.03, 0.63, main)  # collar
    p.rect(c - 0.06, 0.245, c + 0.06, 0.26, main)  # ladder bar
    p.poly([(c - 0.03, 0.21), (c + 0.03, 0.21), (c + 0.012, 0.18), (c - 0.012, 0.18)], main)
    p.poly([(c - 0.065, 0.07), (c + 0.065, 0.07), (c + 0.045, 0.18), (c - 0.045, 0.18)], YELLOW)  # glass
    p.line([(c, 0.075), (c, 0.175)], main, w=0.8)
    p.poly([(c - 0.08, 0.075), (c + 0.08, 0.075), (c, 0.025)], main)  # cap
    p.circle(c, 0.02, 0.012, main, w=0.6)


def _bus_stop(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    sx1 = a - 0.3
    p.rect(0.06, 0.13, sx1 - 0.04, 0.86, (190, 228, 248, 200))  # glass back
    p.poly([(0.14, 0.8), (0.34, 0.2), (0.42, 0.2), (0.22, 0.8)], (255, 255, 255, 120), outline=False)
    p.rect(0.06, 0.13, sx1 - 0.04, 0.86, None)
    p.rect(sx1 - 0.32, 0.2, sx1 - 0.08, 0.5, WHITE, w=0.8)  # timetable
    for k in range(4):
        y = 0.27 + k * 0.06
        p.line([(sx1 - 0.3, y), (sx1 - 0.1, y)], GREY, w=0.6)
    for x in (0.04, sx1 - 0.06):  # frame posts
        p.rect(x, 0.06, x + 0.04, 1.0, GREY)
    p.rect(0.0, 0.04, sx1 + 0.04, 0.13, main, r=0.02)  # roof
    p.rect(0.12, 0.6, sx1 - 0.1, 0.66, WOOD, r=0.01)  # bench
    for x in (0.2, sx1 - 0.2):
        p.rect(x - 0.015, 0.66, x + 0.015, 0.86, DARK_GREY)
    # the stop's sign on its pole
    px = a - 0.12
    p.rect(px - 0.02, 0.26, px + 0.02, 1.0, GREY)
    p.circle(px, 0.15, 0.115, RED)
    p.circle(px, 0.15, 0.075, WHITE, w=0.7)
    p.text(px, 0.152, (sign or "BUS").upper(), 0.13, 0.06, DARK_GREY)


def _branch(p: _Pen, main: RGB, sign: str | None) -> None:
    """A leafy branch, lying left to right: a bird sits on it."""
    a = p.a
    leaf = DARK_GREEN if main == BROWN else main
    for x, y, s in ((0.55, 0.3, -1), (1.35, 0.78, 1), (2.05, 0.28, -1)):   # twigs behind the leaves
        p.band([(x, 0.55), (x + 0.25, y)], 0.06, BROWN)
    p.band([(0.02, 0.62), (a * 0.45, 0.55), (a - 0.05, 0.5)], 0.13, BROWN)
    for x, y, r in ((0.75, 0.2, 0.17), (0.98, 0.28, 0.14), (1.55, 0.88, 0.15), (1.8, 0.84, 0.12),
                    (2.25, 0.16, 0.16), (2.5, 0.22, 0.13), (a - 0.12, 0.5, 0.12)):
        p.ellipse(x, y, r * 1.25, r * 0.7, leaf)


def _bush(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    for cx, cy, r in ((0.38, 0.62, 0.34), (a - 0.38, 0.62, 0.34), (a / 2, 0.42, 0.4), (0.55, 0.4, 0.3),
                      (a - 0.55, 0.4, 0.3)):
        p.circle(cx, cy, r, main)
    p.rect(0.12, 0.72, a - 0.12, 0.98, main, outline=False)
    p.line([(0.06, 0.98), (a - 0.06, 0.98)])
    for cx, cy in ((0.5, 0.55), (a / 2 + 0.1, 0.35), (a - 0.45, 0.65)):
        p.circle(cx, cy, 0.05, tint(main, 0.35), outline=False)


def _rowboat(p: _Pen, main: RGB, sign: str | None) -> None:
    """A rowing boat seen from the side, a little from above: whoever is in it shows over the
    near side (the front layer), the oars rest along it."""
    a = p.a
    inside = shade(main, 0.55)
    far = [(0.02, 0.2), (0.4, 0.3), (a / 2, 0.32), (a - 0.4, 0.3), (a - 0.02, 0.2), (a - 0.25, 0.5), (0.25, 0.5)]
    p.poly(_smooth(far, 2), inside)   # the inside and the far side
    p.layer("front")
    hull = [(0.0, 0.22), (0.35, 0.42), (a / 2, 0.46), (a - 0.35, 0.42), (a, 0.22), (a - 0.3, 0.82),
            (a - 0.45, 0.97), (0.45, 0.97), (0.3, 0.82)]
    p.poly(_smooth(hull, 2), main)
    for y in (0.64, 0.8):   # planks
        p.line([(0.22, y - 0.02), (a / 2, y + 0.01), (a - 0.22, y - 0.02)], colour=shade(main, 0.6), w=0.7)
    p.band([(0.02, 0.22), (0.35, 0.42), (a / 2, 0.46), (a - 0.35, 0.42), (a - 0.02, 0.22)], 0.05,
           tint(main, 0.35))   # the near gunwale
    p.band([(a - 0.55, 0.4), (a + 0.02, 0.9)], 0.045, LIGHT_WOOD)   # an oar
    p.ellipse(a - 0.03, 0.9, 0.1, 0.05, LIGHT_WOOD)


def _ship(p: _Pen, main: RGB, sign: str | None) -> None:
    """A ship side on, bow to the left: its hull in ``main`` with a red stripe at the waterline,
    two white decks with a row of portholes each, a funnel."""
    a = p.a
    p.rect(2.05, 0.02, 2.4, 0.2, RED)   # the funnel, its black top
    p.rect(2.05, 0.02, 2.4, 0.08, DARK_GREY, outline=False)
    p.rect(1.45, 0.18, a - 0.65, 0.36, WHITE)   # the upper deck
    p.rect(1.0, 0.34, a - 0.3, 0.56, WHITE)     # the lower deck
    for x in [1.6 + 0.22 * k for k in range(int((a - 0.65 - 1.6) / 0.22))]:
        p.circle(x, 0.27, 0.035, LIGHT_BLUE, w=0.6)
    for x in [1.15 + 0.22 * k for k in range(int((a - 0.3 - 1.15) / 0.22))]:
        p.circle(x, 0.45, 0.04, LIGHT_BLUE, w=0.6)
    hull = [(0.0, 0.52), (a, 0.54), (a - 0.12, 0.99), (0.4, 0.99)]
    p.poly(hull, main)
    p.poly([(0.3, 0.84), (a - 0.09, 0.84), (a - 0.12, 0.99), (0.4, 0.99)], DARK_RED, outline=False)
    p.line(hull + [hull[0]])
    p.line([(0.3, 0.84), (a - 0.09, 0.84)], w=0.7)


def _iceberg(p: _Pen, main: RGB, sign: str | None) -> None:
    """The part of an iceberg above the sea: jagged white peaks, their shaded faces pale blue."""
    a = p.a
    shadow = shade(main, 0.8)
    outline = [(0.0, 1.0), (0.22, 0.55), (0.42, 0.62), (0.7, 0.08), (0.95, 0.4), (1.1, 0.3),
               (1.42, 0.7), (a, 1.0)]
    p.poly(outline, WHITE)
    p.poly([(0.7, 0.08), (0.95, 0.4), (0.85, 1.0), (0.55, 1.0), (0.72, 0.5)], shadow, outline=False)
    p.poly([(1.1, 0.3), (1.42, 0.7), (a, 1.0), (1.25, 1.0), (1.2, 0.62)], shadow, outline=False)
    p.poly([(0.22, 0.55), (0.42, 0.62), (0.3, 1.0), (0.18, 1.0)], shadow, outline=False)
    p.line(outline)
