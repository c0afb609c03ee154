"""Drawers of props found indoors: furniture, a crib, a blackboard, a stove, shop shelves, a
fireplace, cages and an aquarium."""

from __future__ import annotations

import math
import random
from seespeech.pictures.canvas import (
    BLUE, BROWN, CREAM, DARK_BROWN, DARK_GREEN, DARK_GREY, DARK_ORANGE, DARK_RED, GOLD, GREEN, GREY, INK,
    LIGHT_BLUE, LIGHT_GREY, ORANGE, PINK, PURPLE, RED, RGB, SAND, WHITE, YELLOW,
)

from seespeech.pictures.props.pen import _Pen, _flame, _logs, _luma, _rot_rect, _smooth, shade, tint


def _crib(p: _Pen, main: RGB, sign: str | None) -> None:
    """Seen a little from above: the far side's bars stand behind the mattress, the near side is
    lower, so a baby lying in it shows over the near rail."""
    a = p.a
    n = 7
    x0, x1 = 0.1, a - 0.1
    far = tint(main, 0.25)
    for k in range(n):   # the far side, behind the mattress
        x = x0 + (k + 0.5) * (x1 - x0) / n
        p.rect(x - 0.024, 0.17, x + 0.024, 0.5, far)
    p.rect(0.05, 0.12, a - 0.05, 0.2, far, r=0.03)  # far rail
    p.rect(0.09, 0.44, a - 0.09, 0.6, LIGHT_BLUE)  # mattress and sheet
    p.rect(0.09, 0.44, a - 0.09, 0.49, WHITE, outline=False)  # the sheet's top
    p.rect(0.09, 0.44, a - 0.09, 0.6, None)
    p.layer("front")
    for k in range(n):   # the near side, lower
        x = x0 + (k + 0.5) * (x1 - x0) / n
        p.rect(x - 0.027, 0.55, x + 0.027, 0.76, main)
    p.rect(0.05, 0.52, a - 0.05, 0.59, main, r=0.02)  # near rail
    p.rect(0.05, 0.72, a - 0.05, 0.82, main, r=0.02)  # bottom board
    for x in (0.0, a - 0.1):
        p.rect(x, 0.08, x + 0.1, 1.0, main, r=0.02)
        p.circle(x + 0.05, 0.07, 0.055, main)


def _blackboard(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    p.rect(0, 0, a, 0.9, BROWN, r=0.03)  # frame
    p.rect(0.07, 0.07, a - 0.07, 0.83, main)  # board
    chalk = (240, 242, 234)
    p.rect(0.12, 0.12, a - 0.12, 0.78, None, outline=tint(main, 0.12), w=0.5)  # old smudges
    if sign:
        words = sign.split()
        lines = [sign]
        if len(sign) > 12 and len(words) > 1:
            half = max(1, len(words) // 2)
            lines = [" ".join(words[:half]), " ".join(words[half:])]
        h = 0.62 / len(lines)
        for k, line in enumerate(lines):
            p.text(a / 2, 0.14 + h * (k + 0.5), line, a - 0.3, h * 0.75, chalk, bold=False)
    else:
        p.text(0.16, 0.22, "A B C", 0.6, 0.15, chalk, bold=False, anchor="lm")
        p.text(0.16, 0.44, "1+2=3", 0.6, 0.15, chalk, bold=False, anchor="lm")
        wave = [(0.16 + k * 0.02, 0.65 + 0.03 * math.sin(k * 0.9)) for k in range(36)]
        p.thin(wave, chalk, 0.018)
        cx, cy = a - 0.34, 0.3  # a sun doodle
        p.ellipse(cx, cy, 0.08, 0.08, None, outline=chalk, w=0.8)
        for k in range(8):
            t = k * math.pi / 4
            p.thin([(cx + 0.11 * math.cos(t), cy + 0.11 * math.sin(t)),
                    (cx + 0.16 * math.cos(t), cy + 0.16 * math.sin(t))], chalk, 0.016)
    p.rect(0.02, 0.86, a - 0.02, 0.95, BROWN, r=0.015)  # chalk tray
    p.rect(0.3, 0.815, 0.45, 0.86, chalk, r=0.01, w=0.7)  # chalk
    p.rect(a - 0.5, 0.78, a - 0.26, 0.86, GREY, w=0.8)  # eraser: felt
    p.rect(a - 0.5, 0.75, a - 0.26, 0.8, BROWN, r=0.01, w=0.8)  # and its wooden back


def _hospital_bed(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    metal, light = GREY, LIGHT_GREY
    for x in (0.36, a - 0.36):  # legs and castors
        p.band([(x, 0.74), (x, 0.86)], 0.04, light)
        p.circle(x, 0.91, 0.075, DARK_GREY)
        p.circle(x, 0.91, 0.025, light)
    p.rect(0.12, 0.68, a - 0.12, 0.76, metal, r=0.02)  # frame
    p.poly([(0.26, 0.47), (0.7, 0.67), (0.26, 0.68)], light)  # lifting gear under the backrest
    p.rect(0.04, 0.16, 0.18, 0.82, main, r=0.05)  # headboard
    p.rect(a - 0.17, 0.34, a - 0.04, 0.82, main, r=0.05)  # footboard
    p.rect(0.62, 0.52, a - 0.17, 0.67, WHITE, r=0.03)  # mattress, flat part
    p.poly([(0.19, 0.28), (0.7, 0.52), (0.7, 0.67), (0.19, 0.44)], WHITE)  # raised head part
    p.poly(_rot_rect(0.36, 0.31, 0.3, 0.1, 25.3, r=0.045), LIGHT_BLUE)  # pillow
    p.rect(1.0, 0.52, a - 0.17, 0.67, LIGHT_BLUE, r=0.03)  # a folded blanket at the foot
    p.layer("front")
    rail = light
    p.band([(0.82, 0.43), (1.5, 0.43)], 0.035, rail)  # side rail over whoever lies there
    p.band([(0.82, 0.52), (1.5, 0.52)], 0.03, rail)
    for x in (0.86, 1.16, 1.46):
        p.band([(x, 0.43), (x, 0.6)], 0.03, rail)


def _table_top(p: _Pen, main: RGB) -> None:
    a = p.a
    p.poly([(0.07, 0.0), (a - 0.07, 0.0), (a, 0.075), (0, 0.075)], tint(main, 0.3))
    p.rect(0, 0.075, a, 0.16, main, r=0.015)


def _table(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    back = shade(main, 0.72)
    for x in (0.22, a - 0.22):
        p.rect(x - 0.035, 0.16, x + 0.035, 0.92, back)
    p.rect(0.1, 0.16, a - 0.1, 0.25, shade(main, 0.85))  # apron
    for x in (0.12, a - 0.12):
        p.poly([(x - 0.05, 0.16), (x + 0.05, 0.16), (x + 0.035, 1.0), (x - 0.035, 1.0)], main)
    _table_top(p, main)


def _desk(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    back = shade(main, 0.72)
    p.rect(a - 0.26, 0.16, a - 0.19, 0.93, back)  # back leg
    p.rect(0.55, 0.16, a - 0.14, 0.5, back)  # modesty panel
    p.poly([(a - 0.15, 0.16), (a - 0.05, 0.16), (a - 0.065, 1.0), (a - 0.135, 1.0)], main)
    p.rect(0.05, 0.16, 0.6, 1.0, main, r=0.01)  # drawer pedestal
    for k in range(3):
        y0 = 0.2 + k * 0.26
        p.rect(0.1, y0, 0.55, y0 + 0.22, tint(main, 0.15), r=0.015)
        p.rect(0.27, y0 + 0.09, 0.38, y0 + 0.13, DARK_GREY, r=0.02, w=0.7)
    _table_top(p, main)


def _stove(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    p.rect(0.06, 0.0, a - 0.06, 0.17, main, r=0.03, corners=(True, True, False, False))  # back panel
    p.rect(0.14, 0.06, a - 0.14, 0.11, DARK_GREY, r=0.02, w=0.6)  # clock strip
    p.rect(0.2, 0.068, 0.34, 0.102, (120, 220, 120), outline=False)
    for x in (0.16, a - 0.16):  # burners seen edge on
        p.rect(x - 0.1, 0.15, x + 0.1, 0.19, DARK_GREY, r=0.01)
    p.rect(0.0, 0.185, a, 0.23, LIGHT_GREY, r=0.01)  # hob
    p.rect(0.02, 0.23, a - 0.02, 0.96, main, r=0.02)  # body
    for k in range(4):  # knobs
        x = 0.12 + k * (a - 0.24) / 3
        p.circle(x, 0.29, 0.033, DARK_GREY)
        p.line([(x, 0.27), (x, 0.29)], WHITE, w=0.6)
    p.rect(0.07, 0.36, a - 0.07, 0.9, tint(main, 0.12), r=0.03)  # oven door
    p.rect(0.14, 0.38, a - 0.14, 0.42, LIGHT_GREY, r=0.02)  # handle
    p.rect(0.14, 0.5, a - 0.14, 0.83, DARK_GREY, r=0.03)  # window
    p.rect(0.19, 0.56, a - 0.19, 0.78, (120, 72, 40), r=0.02, outline=False)  # warm inside
    p.rect(0.22, 0.7, a - 0.22, 0.72, GREY, outline=False)  # the shelf
    p.line([(0.18, 0.54), (0.28, 0.54)], tint(DARK_GREY, 0.5), w=0.6)
    for x in (0.07, a - 0.07):
        p.rect(x - 0.035, 0.95, x + 0.035, 1.0, DARK_GREY)

_GOODS = {
    "bake": "bread", "bread": "bread", "cake": "bread", "pastr": "bread", "boulang": "bread", "patis": "bread",
    "toy": "toys", "flower": "flowers", "florist": "flowers", "book": "books", "fruit": "fruit",
    "grocer": "fruit", "market": "fruit", "veg": "fruit", "candy": "sweets", "sweet": "sweets",
}


def _goods(sign: str | None) -> str:
    word = (sign or "").lower()
    for key, kind in _GOODS.items():
        if key in word:
            return kind
    return "mixed"


def _shop_goods(p: _Pen, kind: str, x0: float, x1: float, shelf: float, h: float, row: int) -> None:
    """Things on one shelf of a shop window, ``h`` tall, standing on ``shelf``."""
    n = max(3, round((x1 - x0) / (h * 1.4)))
    step = (x1 - x0) / n
    for k in range(n):
        cx = x0 + (k + 0.5) * step
        if kind == "bread":
            if (k + row) % 3 == 0:  # a loaf
                p.ellipse(cx, shelf - h * 0.32, step * 0.42, h * 0.32, ORANGE)
                for d in (-0.15, 0.0, 0.15):
                    p.line([(cx + step * (d - 0.05), shelf - h * 0.48), (cx + step * (d + 0.05), shelf - h * 0.38)],
                           DARK_ORANGE, w=0.6)
            elif (k + row) % 3 == 1:  # a cake
                p.rect(cx - step * 0.36, shelf - h * 0.62, cx + step * 0.36, shelf, PINK, r=h * 0.06)
                p.rect(cx - step * 0.36, shelf - h * 0.62, cx + step * 0.36, shelf - h * 0.42, WHITE, r=h * 0.06)
                p.circle(cx, shelf - h * 0.72, h * 0.1, DARK_RED)
            else:  # a croissant
                p.poly(_smooth([(cx - step * 0.44, shelf - h * 0.05), (cx - step * 0.25, shelf - h * 0.42),
                                (cx, shelf - h * 0.52), (cx + step * 0.25, shelf - h * 0.42),
                                (cx + step * 0.44, shelf - h * 0.05), (cx, shelf - h * 0.2)], 2), GOLD)
        elif kind == "flowers":
            p.poly([(cx - step * 0.3, shelf - h * 0.4), (cx + step * 0.3, shelf - h * 0.4),
                    (cx + step * 0.22, shelf), (cx - step * 0.22, shelf)], DARK_ORANGE)
            p.circle(cx, shelf - h * 0.72, h * 0.26, [RED, PINK, YELLOW, PURPLE][(k + row) % 4])
            p.circle(cx, shelf - h * 0.72, h * 0.09, GOLD, w=0.5)
        elif kind == "books":
            colour = [RED, BLUE, GREEN, GOLD, PURPLE][(k + row) % 5]
            p.rect(cx - step * 0.3, shelf - h * 0.8, cx + step * 0.3, shelf, colour, r=h * 0.03)
            p.line([(cx - step * 0.15, shelf - h * 0.6), (cx + step * 0.15, shelf - h * 0.6)], WHITE, w=0.6)
        elif kind == "fruit":
            p.rect(cx - step * 0.44, shelf - h * 0.3, cx + step * 0.44, shelf, BROWN, r=h * 0.03)
            colour = [RED, DARK_GREEN, ORANGE, YELLOW][(k + row) % 4]
            for d in (-0.22, 0.0, 0.22):
                p.circle(cx + step * d, shelf - h * 0.4, h * 0.13, colour, w=0.6)
        elif kind == "sweets":
            p.line([(cx, shelf), (cx, shelf - h * 0.45)], WHITE, w=1.0)
            p.circle(cx, shelf - h * 0.62, h * 0.2, [PINK, LIGHT_BLUE, YELLOW, GREEN][(k + row) % 4])
        elif kind == "toys":
            if (k + row) % 2:
                p.circle(cx, shelf - h * 0.3, h * 0.3, [RED, BLUE, GOLD][(k + row) % 3])
                p.line([(cx - h * 0.3, shelf - h * 0.3), (cx + h * 0.3, shelf - h * 0.3)], WHITE, w=0.6)
            else:
                p.rect(cx - step * 0.3, shelf - h * 0.55, cx + step * 0.3, shelf, [GREEN, PURPLE, ORANGE][(k + row) % 3],
                       r=h * 0.04)
                p.text(cx, shelf - h * 0.27, "ABC"[(k + row) % 3], step * 0.5, h * 0.4, WHITE)
        else:  # jars and boxes
            if (k + row) % 2:
                p.rect(cx - step * 0.28, shelf - h * 0.6, cx + step * 0.28, shelf, [RED, BLUE, GREEN][(k + row) % 3],
                       r=h * 0.05)
                p.rect(cx - step * 0.28, shelf - h * 0.4, cx + step * 0.28, shelf - h * 0.2, WHITE, outline=False)
            else:
                p.rect(cx - step * 0.3, shelf - h * 0.5, cx + step * 0.3, shelf, tint(LIGHT_BLUE, 0.3), r=h * 0.08)
                p.rect(cx - step * 0.3, shelf - h * 0.62, cx + step * 0.3, shelf - h * 0.5, GOLD, r=h * 0.03)


def shop_parts(a: float) -> dict[str, tuple[float, float, float, float]]:
    """Where the shop's parts are in its drawing (``a`` wide, 1 high): the window keeps the
    width the door leaves it."""
    return {"sign": (0.1, 0.13, a - 0.1, 0.32), "awning": (0.02, 0.37, a - 0.02, 0.5),
            "window": (0.08, 0.58, a - 0.52, 0.9), "door": (a - 0.42, 0.56, a - 0.1, 1.0)}


def _shop(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    parts = shop_parts(a)
    text = (sign or "SHOP").strip() or "SHOP"
    p.rect(0.03, 0.06, a - 0.03, 1.0, CREAM)  # facade
    p.rect(0.0, 0.0, a, 0.08, shade(main, 0.7), r=0.015)  # cornice
    p.rect(*parts["sign"], WHITE, r=0.03)  # sign board
    ink = shade(main, 0.5) if _luma(shade(main, 0.5)) < 90 else DARK_GREY
    p.text(a / 2, 0.225, text.upper(), a - 0.32, 0.13, ink)
    # awning: stripes and a scalloped edge
    left, top, right, bottom = parts["awning"]
    n = max(8, 2 * round(a * 10 / 3))   # stripes: 8 on a shop 1.2 wide
    p.poly([(left + 0.05, top), (right - 0.05, top), (right, bottom), (left, bottom)], WHITE)
    for k in range(0, n, 2):
        u0, u1 = k / n, (k + 1) / n
        xt0, xt1 = left + 0.05 + u0 * (right - left - 0.1), left + 0.05 + u1 * (right - left - 0.1)
        xb0, xb1 = left + u0 * (right - left), left + u1 * (right - left)
        p.poly([(xt0, top), (xt1, top), (xb1, bottom), (xb0, bottom)], main, outline=False)
    p.poly([(left + 0.05, top), (right - 0.05, top), (right, bottom), (left, bottom)], None)
    for k in range(n):
        xb0 = left + k / n * (right - left)
        xb1 = left + (k + 1) / n * (right - left)
        r = (xb1 - xb0) / 2
        p.ellipse((xb0 + xb1) / 2, bottom, r, 0.04, main if k % 2 == 0 else WHITE)
        p.rect(xb0 + 0.002, bottom - 0.03, xb1 - 0.002, bottom, main if k % 2 == 0 else WHITE, outline=False)
    # window with goods
    wx0, wy0, wx1, wy1 = parts["window"]
    p.rect(wx0 - 0.03, wy0 - 0.03, wx1 + 0.03, wy1 + 0.03, WHITE, r=0.01)
    p.rect(wx0, wy0, wx1, wy1, LIGHT_BLUE)
    kind = _goods(text)
    for row, shelf in enumerate((wy0 + 0.15, wy1 - 0.015)):
        p.rect(wx0, shelf, wx1, shelf + 0.015, BROWN, outline=False)
        _shop_goods(p, kind, wx0 + 0.02, wx1 - 0.02, shelf, 0.125, row)
    p.poly([(wx0 + 0.06, wy1), (wx0 + 0.22, wy0), (wx0 + 0.28, wy0), (wx0 + 0.12, wy1)], (255, 255, 255, 110),
           outline=False)  # a glint
    p.rect(wx0, wy0, wx1, wy1, None)
    # door
    dx0, _, dx1, _ = parts["door"]
    p.rect(dx0, 0.56, dx1, 1.0, main, r=0.015)
    p.rect(dx0 + 0.05, 0.61, dx1 - 0.05, 0.8, LIGHT_BLUE, r=0.01)
    p.circle(dx0 + 0.05, 0.87, 0.022, GOLD, w=0.7)
    p.rect(0.03, 0.94, dx0, 1.0, GREY)  # plinth


def _bookshelf(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    p.rect(0, 0, a, 1.0, main, r=0.01)
    inner = shade(main, 0.55)
    x0, x1 = 0.045, a - 0.045
    shelves = [0.035, 0.265, 0.495, 0.725, 0.93]
    rng = random.Random(1717)
    colours = [RED, BLUE, GREEN, GOLD, PURPLE, DARK_ORANGE, LIGHT_BLUE, DARK_RED, DARK_GREEN, PINK]
    for top, bottom in zip(shelves, shelves[1:]):
        y0, y1 = top + 0.025 if top > 0.05 else top, bottom
        p.rect(x0, y0, x1, y1, inner, outline=False)
        x = x0 + 0.005
        h = y1 - y0
        while x < x1 - 0.05:
            w = rng.uniform(0.03, 0.052)
            if x + w > x1 - 0.005:
                break
            bh = h * rng.uniform(0.62, 0.9)
            col = rng.choice(colours)
            if rng.random() < 0.1 and x < x1 - 0.12:  # one leaning book
                p.poly(_rot_rect(x + bh * 0.25, y1 - bh * 0.47, w, bh, 28, r=0.006), col, w=0.6)
                x += bh * 0.5 + w
                continue
            p.rect(x, y1 - bh, x + w, y1, col, r=0.006, w=0.6)
            p.line([(x + w * 0.25, y1 - bh * 0.8), (x + w * 0.75, y1 - bh * 0.8)], tint(col, 0.6), w=0.5)
            x += w + rng.choice((0.0, 0.0, 0.004))
        p.rect(x0, y0, x1, y1, None, w=0.7)
    for y in shelves[1:-1]:
        p.rect(0.0, y, a, y + 0.025, tint(main, 0.15), outline=False)
        p.line([(0.02, y + 0.025), (a - 0.02, y + 0.025)], INK, w=0.5)
    p.rect(0.0, 0.93, a, 1.0, shade(main, 0.85))
    p.rect(0, 0, a, 1.0, None)


def _fireplace(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    x0, x1 = 0.06, a - 0.06
    p.rect(x0, 0.1, x1, 0.95, main)  # brick surround
    mortar = tint(main, 0.35)
    rows = 8
    h = 0.85 / rows
    for r in range(rows):
        y = 0.1 + r * h
        p.line([(x0 + 0.01, y), (x1 - 0.01, y)], mortar, w=0.5)
        off = 0.09 if r % 2 else 0.0
        x = x0 + off + 0.18
        while x < x1 - 0.02:
            p.line([(x, y + 0.005), (x, y + h - 0.005)], mortar, w=0.5)
            x += 0.18
    p.rect(x0, 0.1, x1, 0.95, None)
    # firebox with a rounded top
    fx0, fx1, fy0 = 0.3, a - 0.3, 0.42
    r = (fx1 - fx0) / 2
    p.rect(fx0 - 0.04, fy0 - 0.04, fx1 + 0.04, 0.95, shade(main, 0.75), r=r + 0.04, corners=(True, True, False, False))
    p.rect(fx0, fy0, fx1, 0.95, (42, 36, 34), r=r, corners=(True, True, False, False))
    _flame(p, a / 2, 0.86, 0.36, 0.34)
    _logs(p, a / 2, 0.93, 0.42, 0.08, BROWN)
    p.rect(0.0, 0.02, a, 0.1, BROWN, r=0.015)  # mantelpiece
    p.rect(0.0, 0.94, a, 1.0, GREY)  # hearth


def _aquarium(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    x0, x1, y0, y1 = 0.04, a - 0.04, 0.1, 0.9
    # water (a gentle gradient, as water may have)
    band = 24
    top_c, bottom_c = (170, 222, 248), (80, 160, 215)
    p.rect(x0, y0, x1, y0 + 0.06, (222, 242, 252), outline=False)
    for k in range(band):
        t = k / (band - 1)
        col = tuple(round(top_c[i] * (1 - t) + bottom_c[i] * t) for i in range(3))
        ya = y0 + 0.06 + (y1 - y0 - 0.06) * k / band
        yb = y0 + 0.06 + (y1 - y0 - 0.06) * (k + 1) / band
        p.rect(x0, ya, x1, yb + 0.003, col, outline=False)
    # plants
    for bx, hgt, col in ((0.22, 0.46, DARK_GREEN), (0.32, 0.36, GREEN), (a - 0.3, 0.52, DARK_GREEN),
                         (a - 0.2, 0.34, GREEN), (a / 2 + 0.12, 0.26, DARK_GREEN)):
        pts = [(bx + 0.035 * math.sin(k * 1.3), 0.82 - hgt * k / 8) for k in range(9)]
        p.band(pts, 0.035, col)
    p.ellipse(a / 2 - 0.12, 0.78, 0.12, 0.07, GREY)  # a rock
    # gravel
    p.rect(x0, 0.8, x1, y1, SAND, outline=False)
    rng = random.Random(4)
    for k in range(26):
        x = x0 + 0.03 + (x1 - x0 - 0.06) * k / 25
        p.circle(x, 0.84 + rng.uniform(-0.02, 0.03), 0.018, rng.choice([ORANGE, LIGHT_GREY, DARK_ORANGE, WHITE]),
                 w=0.4)
    p.line([(x0, 0.8), (x1, 0.8)], shade(SAND, 0.8), w=0.5)
    # bubbles
    for k, (bx, by, br) in enumerate(((a - 0.45, 0.62, 0.025), (a - 0.42, 0.5, 0.02), (a - 0.46, 0.39, 0.028),
                                      (a - 0.43, 0.27, 0.02))):
        p.circle(bx, by, br, (235, 248, 255), w=0.5)
    p.layer("front")
    p.rect(x0, y0, x1, y1, (210, 240, 255, 46), outline=False)  # glass
    for gx in (0.16, 0.26):
        p.poly([(gx, y1 - 0.04), (gx + 0.22, y0 + 0.1), (gx + 0.27, y0 + 0.1), (gx + 0.05, y1 - 0.04)],
               (255, 255, 255, 120), outline=False)
    p.rect(x0, y0, x1, y1, None)
    p.rect(0.0, 0.0, a, 0.1, main, r=0.02)  # lid
    p.rect(0.0, y1, a, 1.0, main, r=0.015)  # base
    for x in (x0, x1):
        p.line([(x, y0), (x, y1)], INK, w=1.2)


def _cage(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    back = tint(main, 0.35)
    p.rect(0.06, 0.82, a - 0.06, 0.9, GOLD, outline=False)  # straw on the floor
    for k in range(1, 7):
        x = 0.04 + k * (a - 0.08) / 7
        p.line([(x, 0.07), (x, 0.9)], back, w=0.7)
    p.layer("front")
    n = 9
    for k in range(1, n):
        x = 0.03 + k * (a - 0.06) / n
        p.rect(x - 0.017, 0.06, x + 0.017, 0.9, main)
    for x in (0.0, a - 0.06):
        p.rect(x, 0.0, x + 0.06, 1.0, shade(main, 0.8), r=0.01)
    p.rect(0.0, 0.0, a, 0.07, main, r=0.02)
    p.rect(0.0, 0.89, a, 0.98, main, r=0.02)
    p.line([(0.03, 0.45), (a - 0.03, 0.45)], INK, w=0.7)
    p.rect(0.0, 0.43, a, 0.47, main)


def _birdcage(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    c = a / 2
    p.band([(0.1, 0.66), (a - 0.1, 0.66)], 0.028, BROWN)  # perch
    p.rect(0.08, 0.78, 0.2, 0.86, LIGHT_BLUE, r=0.01, w=0.7)  # water cup
    p.layer("front")
    xs = [0.06 + k * (a - 0.12) / 8 for k in range(9)]
    top = (c, 0.09)
    for x in xs:  # bars and the dome's ribs
        rib = [(c + (x - c) * math.sin(t * math.pi / 2), 0.38 - (0.38 - top[1]) * math.cos(t * math.pi / 2))
               for t in [k / 10 for k in range(11)]]
        p.line(rib + [(x, 0.87)], main, w=0.9)
    p.ring(c, 0.05, 0.035, 0.015, main)
    p.band([(0.05, 0.38), (a - 0.05, 0.38)], 0.03, main)
    p.rect(0.02, 0.86, a - 0.02, 0.97, main, r=0.02)
    p.circle(c, 0.095, 0.03, main, w=0.7)


def _sofa(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    dark, light = shade(main, 0.8), tint(main, 0.2)
    for x in (0.2, a - 0.2):
        p.rect(x - 0.04, 0.86, x + 0.04, 1.0, DARK_BROWN)
    p.rect(0.14, 0.08, a - 0.14, 0.58, dark, r=0.06)  # back
    for k in range(2):  # back cushions
        x0 = 0.2 + k * (a - 0.4) / 2
        p.rect(x0 + 0.01, 0.14, x0 + (a - 0.4) / 2 - 0.01, 0.56, main, r=0.05)
    p.rect(0.12, 0.56, a - 0.12, 0.88, dark, r=0.04)  # base
    for k in range(2):  # seat cushions
        x0 = 0.16 + k * (a - 0.32) / 2
        p.rect(x0 + 0.01, 0.5, x0 + (a - 0.32) / 2 - 0.01, 0.66, light, r=0.04)
    for x in (0.0, a - 0.18):  # arms
        p.rect(x, 0.34, x + 0.18, 0.88, main, r=0.07)


def _open_box(p: _Pen, main: RGB, sign: str | None) -> None:
    """An open cardboard box: the back and inside, then (front layer) its front face."""
    a = p.a
    p.poly([(0.05, 0.2), (0.28, 0.02), (a - 0.28, 0.02), (a - 0.05, 0.2)], shade(main, 0.75))   # back flap
    p.rect(0.08, 0.2, a - 0.08, 0.98, shade(main, 0.6))   # inside
    p.layer("front")
    p.rect(0.08, 0.42, a - 0.08, 0.98, main)   # front face
    p.poly([(0.08, 0.42), (0.0, 0.62), (0.3, 0.62), (0.34, 0.42)], tint(main, 0.15))   # front flaps
    p.poly([(a - 0.08, 0.42), (a, 0.62), (a - 0.3, 0.62), (a - 0.34, 0.42)], tint(main, 0.15))
    p.line([(a / 2 - 0.12, 0.7), (a / 2 + 0.12, 0.7)], colour=shade(main, 0.55), w=1.0)
