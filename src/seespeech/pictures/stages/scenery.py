"""What places are made of: skies, clouds, sun and moon, ground, hills, trees, fences, water,
windows, floors and walls."""

from __future__ import annotations

import math
import random
from functools import lru_cache
from PIL import Image

from seespeech.pictures.canvas import (
    BROWN, DARK_BROWN, DARK_GREEN, GOLD, GRASS, INK, ORANGE, PINK, PURPLE, RED, RGB, SNOW_WHITE, WHITE, WOOD,
    YELLOW, _Canvas, _draw, _gradient, _shape, _union,
)
from seespeech.pictures.props.outdoors import _fence as _fence_prop
from seespeech.pictures.props.pen import _Pen
from seespeech.pictures.stages.lighting import _look, _mix


def _sky(c: _Canvas, y1: float, r: random.Random, *, clouds: int = 3, stars: int = 60,
         box: tuple | None = None) -> tuple[float, float, float, float]:
    """The sky from the top down to ``y1`` (a little past it, hidden by the land): gradient,
    stars at night, clouds (white by day, grey in rain, dark in a storm)."""
    box = box or (0, 0, c.w, y1)
    x0, y0, x1, yb = box
    _gradient(c, (x0, y0, x1, yb + 2 * c.ss), c.look.sky)
    look = c.look
    if look.night and not look.cloudy:
        _stars(c, r, (x0, y0, x1, y0 + (yb - y0) * 0.85), stars)
    if look.cloudy:
        n = clouds + 3 if ("storm" in c.weather or "rain" in c.weather) else clouds
        if "fog" in c.weather and not ("storm" in c.weather or "rain" in c.weather):
            n = 0
        grey = {"storm": (92, 96, 112), "rain": (176, 182, 192), "snow": (226, 230, 238)}
        kind = next((k for k in ("storm", "rain", "snow") if k in c.weather), "snow")
        colour = tuple(v * (0.36 if look.night else 1.0) for v in grey[kind])
        _clouds(c, r, (x0, y0 - (yb - y0) * 0.1, x1, y0 + (yb - y0) * 0.45), n, _mix(colour, colour, 0), big=True)
    elif clouds and not look.night:
        colour = WHITE if c.time == "day" else (255, 214, 196)
        _clouds(c, r, (x0, y0 + (yb - y0) * 0.08, x1, y0 + (yb - y0) * 0.55), clouds, colour)
    elif clouds and look.night and "wind" in c.weather:
        _clouds(c, r, (x0, y0, x1, y0 + (yb - y0) * 0.4), 2, (60, 68, 96))
    _celestial(c, yb, c.sun, c.moon)
    return (x0, y0, x1, yb)


def _stars(c: _Canvas, r: random.Random, box, n: int) -> None:
    x0, y0, x1, y1 = box
    size = min(c.w, c.h) / c.ss                       # final pixels
    n = max(2, int(n * (x1 - x0) * (y1 - y0) / (c.w * c.h * 0.5) * min(1.0, max(0.15, size / 512) ** 1.5)))
    for _ in range(n):
        x, y = r.uniform(x0, x1), r.uniform(y0, y1)
        s = c.ss * r.choice((0.6, 0.8, 1.1, 1.5)) * max(0.6, min(2.0, size / 512))
        c.d.ellipse([x - s, y - s, x + s, y + s], fill=(255, 250, 220))
    for _ in range(max(1, n // 25)):  # a few four-point twinkles
        x, y = r.uniform(x0, x1), r.uniform(y0, y1)
        _twinkle(c, x, y, c.h * 0.012)


def _twinkle(c: _Canvas, x: float, y: float, s: float) -> None:
    k = s * 0.28
    c.d.polygon([(x, y - s), (x + k, y - k), (x + s, y), (x + k, y + k), (x, y + s), (x - k, y + k),
                 (x - s, y), (x - k, y - k)], fill=(255, 246, 190))


def _cloud(c: _Canvas, cx: float, cy: float, w: float, colour: RGB, ink: RGB = INK) -> None:
    h = w * 0.42
    r1, r2, r3 = h * 0.42, h * 0.58, h * 0.4
    base = cy + h * 0.3
    shapes = [("circle", cx - w * 0.28, base - r1, r1), ("circle", cx - w * 0.02, base - r2 * 1.05, r2),
              ("circle", cx + w * 0.27, base - r3, r3), ("circle", cx + w * 0.12, base - r2 * 0.9, r2 * 0.8),
              ("rect", cx - w * 0.28, base - r1, cx + w * 0.27, base)]
    _union(c, shapes, colour, c.lw(h), ink)


def _clouds(c: _Canvas, r: random.Random, box, n: int, colour: RGB, big: bool = False) -> None:
    x0, y0, x1, y1 = box
    if n <= 0:
        return
    if c.sun and c.time == "day" and not big:   # keep the sun's corner clear
        x0 = max(x0, c.X(0.3))
    span = (x1 - x0) / n
    for i in range(n):
        w = r.uniform(0.16, 0.26) * min(c.w, c.h * 1.25) * (1.5 if big else 1.0)
        cx = x0 + span * (i + 0.5) + r.uniform(-0.3, 0.3) * span
        cy = r.uniform(y0 + w * 0.15, max(y0 + w * 0.15 + 1, y1 - w * 0.2))
        _cloud(c, cx, cy, w, colour)


def _sun(c: _Canvas, cx: float, cy: float, rad: float) -> None:
    colour = YELLOW if c.time == "day" else (255, 150, 60)
    lw = c.lw(2 * rad)
    for k in range(12):
        a = k * math.pi / 6
        p = [(cx + math.cos(a) * rad * 1.25, cy + math.sin(a) * rad * 1.25),
             (cx + math.cos(a) * rad * 1.6, cy + math.sin(a) * rad * 1.6)]
        c.d.line(p, fill=INK, width=lw + 2 * max(1, lw // 2) + c.ss)
        c.d.line(p, fill=colour, width=lw + c.ss)
    _shape(c, "ellipse", [cx - rad, cy - rad, cx + rad, cy + rad], colour, lw)
    c.features["sun"] = (cx - rad * 1.6, cy - rad * 1.6, cx + rad * 1.6, cy + rad * 1.6)


@lru_cache(maxsize=16)
def _crescent_tile(size: int, lw: int) -> Image.Image:
    """A crescent moon on a transparent tile: pale yellow, black outline."""
    tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = _draw(tile)
    d.ellipse([0, 0, size - 1, size - 1], fill=INK + (255,))
    d.ellipse([lw, lw, size - 1 - lw, size - 1 - lw], fill=(252, 234, 150, 255))
    off = size * 0.34
    d.ellipse([off - lw, -size * 0.12 - lw, size + off * 0.9 + lw, size * 0.88 + lw], fill=INK + (255,))
    d.ellipse([off, -size * 0.12, size + off * 0.9, size * 0.88], fill=(0, 0, 0, 0))
    return tile


def _crescent(c: _Canvas, cx: float, cy: float, rad: float) -> None:
    size = max(4, int(2 * rad))
    tile = _crescent_tile(size, c.lw(size) + c.ss // 2)
    c.img.paste(tile, (int(cx - rad), int(cy - rad)), tile)
    c.features["moon"] = (cx - rad, cy - rad, cx + rad, cy + rad)


def _celestial(c: _Canvas, sky_bottom: float, sun: bool, moon: bool) -> None:
    """The sun (when asked) and a crescent moon at night (when asked), in the upper corners."""
    if moon and c.time != "day":
        rad = c.h * 0.06
        _crescent(c, c.w - c.X(0.09) - rad * 0.2, c.Y(0.1), rad)
    if sun and c.time != "night" and "storm" not in c.weather:
        rad = c.h * 0.055
        if c.time == "sunset":
            _sun(c, c.X(0.78), sky_bottom - rad * 1.1, rad * 1.3)
        else:
            _sun(c, c.X(0.15), c.Y(0.13), rad)


def _ground(c: _Canvas, y0: float, colour: RGB, y1: float | None = None, outline: bool = True) -> None:
    y1 = c.h if y1 is None else y1
    c.d.rectangle([0, y0, c.w, y1], fill=colour)
    if outline:
        c.d.line([(0, y0), (c.w, y0)], fill=INK, width=c.lw(c.h * 0.2))


def _hills(c: _Canvas, r: random.Random, base: float, amp: float, colour: RGB, depth: float,
           bumps: int = 3, outline: bool = True) -> list[tuple[float, float]]:
    """A rolling silhouette across the picture, its feet hidden below ``base``."""
    phase = [r.uniform(0, 2 * math.pi) for _ in range(3)]
    n = 48
    pts = []
    for i in range(n + 1):
        x = c.w * i / n
        t = i / n * math.pi * bumps
        y = base - amp * (0.55 + 0.3 * math.sin(t + phase[0]) + 0.15 * math.sin(2.3 * t + phase[1]))
        pts.append((x, y))
    poly = [(-c.w * 0.05, pts[0][1])] + pts + [(c.w * 1.05, pts[-1][1]), (c.w * 1.05, base + c.h * 0.02),
                                               (-c.w * 0.05, base + c.h * 0.02)]
    c.d.polygon(poly, fill=colour)
    if outline:
        c.d.line(pts, fill=c.ink(depth * 0.6), width=c.lw(amp * 2), joint="curve")
    return pts


def _tree(c: _Canvas, x: float, base: float, h: float, kind: str = "round", depth: float = 0.0,
          r: random.Random | None = None, snowy: bool = False) -> None:
    """A tree standing at (x, base), ``h`` tall: "round" (leafy), "pine" or "palm"."""
    lw = c.lw(h)
    ink = c.ink(depth * 0.6)
    trunk = c.pal(BROWN, depth)
    if kind == "pine":
        tw = h * 0.09
        _shape(c, "rect", [x - tw / 2, base - h * 0.22, x + tw / 2, base], trunk, lw, ink)
        leaf = c.pal((74, 150, 70) if not snowy else (84, 140, 96), depth)
        tiers = [(0.12, 0.62, 0.5), (0.32, 0.8, 0.4), (0.5, 1.0, 0.3)]
        shapes = []
        for lo, hi, half in tiers:
            shapes.append(
                (
                    "poly",
                    [
                        (x - h * half * 0.8, base - h * lo - h * 0.08),
                        (x + h * half * 0.8, base - h * lo - h * 0.08),
                        (x, base - h * hi),
                    ],
                )
            )
        _union(c, shapes, leaf, lw, ink)
        if snowy:
            white = c.pal(SNOW_WHITE, depth)
            for lo, hi, half in tiers:
                top = base - h * hi
                k = 0.35
                c.d.polygon([(x, top), (x + h * half * 0.8 * k, top + (h * (hi - lo) + h * 0.08) * k),
                             (x - h * half * 0.8 * k, top + (h * (hi - lo) + h * 0.08) * k)], fill=white)
    elif kind == "palm":
        _palm(c, x, base, h, depth)
    else:
        tw = h * 0.11
        _shape(c, "rect", [x - tw / 2, base - h * 0.45, x + tw / 2, base], trunk, lw, ink)
        cr = h * 0.3
        cy = base - h + cr
        rr = r or random.Random(int(x) * 31 + int(h))
        shapes = [("circle", x, cy, cr), ("circle", x - cr * 0.7, cy + cr * 0.55, cr * 0.72),
                  ("circle", x + cr * 0.72, cy + cr * 0.5, cr * 0.75 * rr.uniform(0.9, 1.1))]
        leaf = c.pal(DARK_GREEN if rr.random() < 0.5 else (112, 178, 58), depth)
        _union(c, shapes, leaf, lw, ink)


def _palm(c: _Canvas, x: float, base: float, h: float, depth: float = 0.0) -> None:
    lw = c.lw(h)
    ink = c.ink(depth * 0.6)
    top = (x + h * 0.12, base - h * 0.82)
    tw = h * 0.07
    trunk = []
    n = 8
    for i in range(n + 1):  # a gently curved trunk
        t = i / n
        px = x + (top[0] - x) * t * t
        py = base + (top[1] - base) * t
        trunk.append((px, py))
    left = [(px - tw / 2 * (1 - 0.35 * i / n), py) for i, (px, py) in enumerate(trunk)]
    right = [(px + tw / 2 * (1 - 0.35 * i / n), py) for i, (px, py) in enumerate(trunk)]
    _shape(c, "poly", left + right[::-1], c.pal(WOOD, depth), lw, ink)
    for i in range(1, n, 2):
        px, py = trunk[i]
        c.d.line([(px - tw * 0.45, py), (px + tw * 0.45, py - tw * 0.2)], fill=ink, width=max(1, lw // 2 + 1))
    leaf = c.pal((84, 170, 60), depth)
    tx, ty = top
    for ang, length in ((-160, 0.5), (-125, 0.42), (-55, 0.42), (-20, 0.5), (-90, 0.34), (150, 0.34), (30, 0.34)):
        a = math.radians(ang)
        L = h * length
        ex, ey = tx + math.cos(a) * L, ty + math.sin(a) * L + L * 0.35
        mx, my = tx + math.cos(a) * L * 0.5, ty + math.sin(a) * L * 0.5 - L * 0.08
        nx, ny = -(my - ty), (mx - tx)
        norm = math.hypot(nx, ny) or 1
        wdt = h * 0.07
        pts = [
            (tx, ty),
            (mx + nx / norm * wdt, my + ny / norm * wdt),
            (ex, ey),
            (mx - nx / norm * wdt, my - ny / norm * wdt),
        ]
        _shape(c, "poly", pts, leaf, lw, ink)
    _union(
        c,
        [("circle", tx - h * 0.03, ty + h * 0.03, h * 0.035), ("circle", tx + h * 0.03, ty + h * 0.04, h * 0.035)],
        c.pal(BROWN, depth),
        max(1, lw // 2 + 1),
        ink,
    )


def _tufts(c: _Canvas, r: random.Random, box, n: int, colour: RGB) -> None:
    """Little grass tufts (three strokes), bigger lower down."""
    x0, y0, x1, y1 = box
    for _ in range(n):
        y = r.uniform(y0, y1)
        k = 0.4 + 0.6 * (y - y0) / max(1.0, y1 - y0)
        x = r.uniform(x0, x1)
        s = c.h * 0.016 * k
        w = max(c.ss, round(s * 0.22))
        for dx, top in ((-0.6, 0.7), (0.0, 1.0), (0.6, 0.7)):
            c.d.line([(x + dx * s * 0.5, y), (x + dx * s, y - s * top)], fill=colour, width=w)


def _flowers(c: _Canvas, r: random.Random, box, n: int, depth: float = 0.0) -> None:
    x0, y0, x1, y1 = box
    colours = (RED, YELLOW, WHITE, PINK, PURPLE, ORANGE)
    for _ in range(n):
        y = r.uniform(y0, y1)
        k = 0.5 + 0.5 * (y - y0) / max(1.0, y1 - y0)
        x = r.uniform(x0, x1)
        s = c.h * 0.009 * k
        col = c.pal(r.choice(colours), depth)
        lw = max(c.ss, round(s * 0.3))
        c.d.ellipse([x - s, y - s, x + s, y + s], fill=col, outline=INK, width=lw)
        c.d.ellipse([x - s * 0.35, y - s * 0.35, x + s * 0.35, y + s * 0.35], fill=c.pal(GOLD, depth))


def _prop_pen(c: _Canvas, box, a: float, lw: int, depth: float = 0.0, ink_depth: float | None = None,
              lit: dict | None = None) -> _Pen:
    """A prop pen drawing into ``box`` of the stage (drawing units ``a`` wide, 1 high), its
    colours in the stage's look hazed with ``depth``, its ink with ``ink_depth`` (default
    ``depth``); ``lit`` maps colours to ones drawn as they are (a shop window lit at night)."""
    ink = c.ink(depth if ink_depth is None else ink_depth)
    lit = lit or {}

    def look(colour) -> tuple:
        rgb = tuple(colour[:3])
        out = lit.get(rgb) or (ink if rgb == INK else c.pal(rgb, depth))
        return (*out, colour[3] if len(colour) == 4 else 255)

    return _Pen.into(c, box, a, lw, look)


def _fence(c: _Canvas, x0: float, x1: float, base: float, h: float, colour: RGB = WHITE, depth: float = 0.0,
           gap: float | None = None) -> None:
    """A picket fence from x0 to x1 standing on ``base``: the fence prop's drawing, pickets
    ``gap`` apart (default 0.55 h)."""
    pen = _prop_pen(c, (x0, base - h, x1, base), (x1 - x0) / h, c.lw(h), depth, depth * 0.6)
    pitch = (gap or h * 0.55) / h
    _fence_prop(pen, colour, None, pitch, min(0.2, pitch * 0.64))


def _waves(c: _Canvas, r: random.Random, box, colour: RGB, n: int) -> None:
    """Short wave crests (little arcs), bigger towards the bottom of ``box``."""
    x0, y0, x1, y1 = box
    for _ in range(n):
        y = r.uniform(y0, y1)
        k = 0.3 + 0.7 * (y - y0) / max(1.0, y1 - y0)
        w = c.w * 0.05 * k
        x = r.uniform(x0 - w, x1)
        c.d.arc([x, y, x + w, y + w * 0.5], 200, 340, fill=colour, width=max(c.ss, round(c.h * 0.004 * k)))


def _water(c: _Canvas, r: random.Random, box, top: RGB, bottom: RGB, waves: int = 20, depth_top: float = 0.6) -> None:
    """Water: a gradient that mirrors the sky's horizon colour (warm at sunset), wave marks."""
    x0, y0, x1, y1 = box
    if c.time == "sunset" and not c.look.cloudy:  # the warm sky mirrored over deep blue-violet water
        far = _mix(c.look.sky[-2], (110, 100, 170), 0.45)
        near = c.pal(_mix(bottom, (70, 60, 150), 0.4))
    else:
        mirror = 0.2 if c.time == "night" else 0.12
        far = _mix(c.pal(top, depth_top), c.look.sky[-1], mirror)
        near = _mix(c.pal(bottom), c.look.sky[-1], mirror * 0.4)
    _gradient(c, box, (far, near))
    _waves(c, r, (x0, y0 + (y1 - y0) * 0.08, x1, y1 - (y1 - y0) * 0.05), c.pal((196, 230, 250), depth_top * 0.5), waves)


def _window(c: _Canvas, r: random.Random, box, *, curtains: RGB | None = None, frame: RGB = WHITE) -> tuple:
    """A window in a wall showing the time of day and the weather; returns its glass box."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    lw = c.lw(h)
    f = h * 0.07
    glass = (x0 + f, y0 + f, x1 - f, y1 - f)
    outdoor = _look(c.time, c.weather, False)
    gx0, gy0, gx1, gy1 = glass
    around = tuple(int(v) for v in (max(0, x0 - h), max(0, y0 - h), min(c.w, x1 + h), min(c.h, y1 + h)))
    saved = c.img.crop(around)
    _gradient(c, glass, outdoor.sky[:3])
    if c.time == "night" and not outdoor.cloudy:
        _stars(c, r, (gx0, gy0, gx1, gy1 - (gy1 - gy0) * 0.3), 30)
        _twinkle(c, gx0 + (gx1 - gx0) * 0.28, gy0 + (gy1 - gy0) * 0.3, h * 0.04)
    # a hill and a tree outside
    hill = outdoor.colour(GRASS, 0.5)
    c.d.ellipse([gx0 - (gx1 - gx0) * 0.3, gy1 - (gy1 - gy0) * 0.22, gx1 + (gx1 - gx0) * 0.2, gy1 + (gy1 - gy0) * 0.4],
                fill=hill)
    if outdoor.cloudy:
        grey = outdoor.colour((200, 204, 212))
        cl = c.lw(h * 0.2)
        for fx, fy in ((0.25, 0.18), (0.72, 0.3)):
            cx, cy = gx0 + (gx1 - gx0) * fx, gy0 + (gy1 - gy0) * fy
            wdt = (gx1 - gx0) * 0.4
            _union(
                c,
                [
                    ("circle", cx - wdt * 0.2, cy, wdt * 0.18),
                    ("circle", cx + wdt * 0.05, cy - wdt * 0.1, wdt * 0.24),
                    ("circle", cx + wdt * 0.28, cy, wdt * 0.16),
                    ("rect", cx - wdt * 0.2, cy, cx + wdt * 0.28, cy + wdt * 0.16),
                ],
                grey,
                cl,
            )
        if "rain" in c.weather or "storm" in c.weather:
            for _ in range(int(40 * (gx1 - gx0) * (gy1 - gy0) / (c.w * c.h * 0.05)) + 6):
                x, y = r.uniform(gx0, gx1), r.uniform(gy0, gy1)
                L = h * 0.06
                c.d.line([(x, y), (x - L * 0.25, y + L)], fill=(210, 222, 236), width=c.ss)
        if "snow" in c.weather:
            for _ in range(int(40 * (gx1 - gx0) * (gy1 - gy0) / (c.w * c.h * 0.05)) + 6):
                x, y = r.uniform(gx0, gx1), r.uniform(gy0, gy1)
                s = h * r.choice((0.008, 0.012, 0.018))
                c.d.ellipse([x - s, y - s, x + s, y + s], fill=WHITE)
    elif c.time == "day":
        cx, cy = gx0 + (gx1 - gx0) * 0.66, gy0 + (gy1 - gy0) * 0.3
        _cloud(c, cx, cy, (gx1 - gx0) * 0.45, WHITE)
    mask = Image.new("L", saved.size, 255)
    _draw(mask).rectangle([gx0 - around[0], gy0 - around[1], gx1 - around[0] - 1, gy1 - around[1] - 1], fill=0)
    c.img.paste(saved, around[:2], mask)
    fr = c.pal(frame)
    # frame: outer rectangle minus glass, then the cross bars
    c.d.rectangle([x0, y0, x1, gy0], fill=fr)
    c.d.rectangle([x0, gy1, x1, y1], fill=fr)
    c.d.rectangle([x0, y0, gx0, y1], fill=fr)
    c.d.rectangle([gx1, y0, x1, y1], fill=fr)
    mx, my = (x0 + x1) / 2, (gy0 + gy1) / 2
    c.d.rectangle([mx - f * 0.4, gy0, mx + f * 0.4, gy1], fill=fr)
    c.d.rectangle([gx0, my - f * 0.4, gx1, my + f * 0.4], fill=fr)
    for b in ([x0, y0, x1, y1], [gx0, gy0, mx - f * 0.4, my - f * 0.4], [mx + f * 0.4, gy0, gx1, my - f * 0.4],
              [gx0, my + f * 0.4, mx - f * 0.4, gy1], [mx + f * 0.4, my + f * 0.4, gx1, gy1]):
        c.d.rectangle(b, outline=INK, width=lw)
    sill = [x0 - f * 0.8, y1 - f * 0.2, x1 + f * 0.8, y1 + f * 0.7]
    _shape(c, "rect", sill, fr, lw)
    if curtains:
        col = c.pal(curtains)
        cw = (x1 - x0) * 0.22
        for side in (0, 1):
            if side == 0:
                pts = [
                    (x0 - cw * 0.5, y0 - f),
                    (x0 + cw, y0 - f),
                    (x0 + cw * 0.35, y0 + h * 0.55),
                    (x0 + cw * 0.55, y1 + f * 1.5),
                    (x0 - cw * 0.5, y1 + f * 1.5),
                ]
            else:
                pts = [
                    (x1 + cw * 0.5, y0 - f),
                    (x1 - cw, y0 - f),
                    (x1 - cw * 0.35, y0 + h * 0.55),
                    (x1 - cw * 0.55, y1 + f * 1.5),
                    (x1 + cw * 0.5, y1 + f * 1.5),
                ]
            _shape(c, "poly", pts, col, lw)
        _shape(c, "rect", [x0 - cw * 0.7, y0 - f * 1.6, x1 + cw * 0.7, y0 - f * 0.7], c.pal(DARK_BROWN), lw)
    c.surfaces["window"] = (x0, y0, x1, y1)
    return glass


def _floor(c: _Canvas, y0: float, colour: RGB, kind: str = "boards") -> None:
    """A floor from the wall line down: boards or tiles, lines converging to the middle."""
    col = c.pal(colour)
    line = c.pal(tuple(v * 0.8 for v in colour))
    c.d.rectangle([0, y0, c.w, c.h], fill=col)
    vx = c.w / 2
    lw = max(c.ss, c.lw(c.h * 0.12) // 2 + c.ss // 2)
    n = 9 if kind == "boards" else 11
    for i in range(-n, 2 * n + 1):
        xb = c.w * i / n
        xt = vx + (xb - vx) * 0.45
        c.d.line([(xt, y0), (xb, c.h)], fill=line, width=lw)
    if kind == "tiles":
        y, step = y0, (c.h - y0) * 0.1
        while y < c.h:
            c.d.line([(0, y), (c.w, y)], fill=line, width=lw)
            y += step
            step *= 1.25


def _wall(c: _Canvas, y1: float, colour: RGB, skirting: RGB = WHITE) -> None:
    c.d.rectangle([0, 0, c.w, y1], fill=c.pal(colour))
    sk = c.h * 0.03
    _shape(c, "rect", [-c.ss * 4, y1 - sk, c.w + c.ss * 4, y1], c.pal(skirting), c.lw(c.h * 0.15))
