"""Drawn props: everyday things that neither OpenMoji nor Open Clip Art pictures well.

Each prop is drawn with Pillow in OpenMoji's look: flat fills, black outlines (about 2.5 % of
the prop's size, at least 1 px), friendly saturated colours. ``draw_prop`` returns an RGBA
image of exactly the requested size; props whose contents sit *inside* them (a baby in a
crib, hay in a cart, fish in an aquarium) also come as a "back" and a "front" part, so the
composer can draw the back, then the contents, then the front (bars, a side board, glass).

``PROPS`` describes every prop: its real-world size (metres), the aspect of its drawing and
its *surfaces* as fractions of the drawing's box:

* ``top``: ``(x0, y, x1, y)`` the line things stand on (table top, mattress, shelf top);
* ``seat``: ``(x0, y, x1, y)`` where someone sits (bench, swing, sled);
* ``deck``: ``(x0, y, x1, y)`` where people walk on a bridge;
* ``interior``: ``(x0, y0, x1, y1)`` the box things are in (crib, cart, cage, aquarium);
* ``door`` / ``window``: boxes on buildings (shop, barn).

Everything is drawn from this file's own geometry (no third-party artwork), so there is no
clip-art licence to record. Drawing is deterministic and cached per (name, size, colour, sign).
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from PIL import Image, ImageDraw

__all__ = ["PropInfo", "PROPS", "lookup", "draw_prop", "prop_names", "clear_cache"]

from .canvas import (  # noqa: F401  (OpenMoji's palette, shared with the stages and people)
    BLUE, BROWN, CREAM, DARK_BROWN, DARK_GREEN, DARK_GREY, DARK_ORANGE, DARK_RED, GOLD, GREEN, GREY, INK,
    LIGHT_BLUE, LIGHT_GREY, LIGHT_WOOD, ORANGE, PINK, PURPLE, RED, RGB, SAND, WHITE, WOOD, YELLOW, font,
)


def shade(colour: tuple, k: float) -> RGB:
    """``colour`` darkened (k < 1)."""
    return tuple(max(0, min(255, round(c * k))) for c in colour[:3])  # type: ignore[return-value]


def tint(colour: tuple, k: float) -> RGB:
    """``colour`` moved a fraction ``k`` towards white."""
    return tuple(round(c + (255 - c) * k) for c in colour[:3])  # type: ignore[return-value]


def _luma(colour: tuple) -> float:
    r, g, b = colour[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b


# --------------------------------------------------------------------------------------------
# Fonts


_font = font   # the one font of every drawing (canvas.py)


# --------------------------------------------------------------------------------------------
# Drawing helpers


def _smooth(points: list, iterations: int = 2, closed: bool = True) -> list:
    """Chaikin corner cutting: a polygon with straight sides becomes a soft curve."""
    pts = list(points)
    for _ in range(iterations):
        out = []
        n = len(pts)
        edges = range(n) if closed else range(n - 1)
        if not closed:
            out.append(pts[0])
        for i in edges:
            (x0, y0), (x1, y1) = pts[i], pts[(i + 1) % n]
            out.append((0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1))
            out.append((0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1))
        if not closed:
            out.append(pts[-1])
        pts = out
    return pts


def _rot_rect(cx: float, cy: float, w: float, h: float, angle: float, r: float = 0.0) -> list:
    """Corners (optionally rounded) of a w x h rectangle turned by ``angle`` degrees."""
    r = min(r, w / 2, h / 2)
    pts = []
    if r <= 0:
        base = [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    else:
        base = []
        for (ox, oy), start in (((w / 2 - r, -h / 2 + r), -90), ((w / 2 - r, h / 2 - r), 0),
                                ((-w / 2 + r, h / 2 - r), 90), ((-w / 2 + r, -h / 2 + r), 180)):
            for k in range(5):
                t = math.radians(start + k * 22.5)
                base.append((ox + r * math.cos(t), oy + r * math.sin(t)))
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    for x, y in base:
        pts.append((cx + x * c - y * s, cy + x * s + y * c))
    return pts


class _Pen:
    """Draws in *drawing units* (height 1, width ``a``) on a supersampled back and front layer.

    Outlines are centred on the shapes' edges like OpenMoji's strokes; the whole drawing is
    inset by half an outline so nothing is clipped at the box's edge.
    """

    def __init__(self, width: int, height: int, a: float, frame: tuple | None = None):
        self.width, self.height, self.a = width, height, a
        fx0, fy0, fx1, fy1 = frame or (0.0, 0.0, a, 1.0)
        side = max(width, height)
        self.ss = 4 if side <= 200 else 3 if side <= 400 else 2 if side <= 1400 else 1
        ss = self.ss
        base = max(1.0, 0.025 * math.sqrt(width * height))
        base = min(base, max(1.0, 0.12 * min(width, height)))
        self.lw = max(1, round(base * ss))
        self.size = (width * ss, height * ss)
        inset = self.lw / 2
        self.sx = max(1e-6, self.size[0] - 2 * inset) / (fx1 - fx0)
        self.sy = max(1e-6, self.size[1] - 2 * inset) / (fy1 - fy0)
        self.ox = inset - fx0 * self.sx
        self.oy = inset - fy0 * self.sy
        self.images: dict[str, Image.Image] = {}
        self.draws: dict[str, ImageDraw.ImageDraw] = {}
        self.layer("back")

    # layers ---------------------------------------------------------------------------------
    def layer(self, name: str) -> None:
        if name not in self.images:
            self.images[name] = Image.new("RGBA", self.size, (0, 0, 0, 0))
            self.draws[name] = ImageDraw.Draw(self.images[name])
        self.d = self.draws[name]

    def results(self) -> dict[str, Image.Image]:
        """The layers at the requested size: "back", "front" (when drawn) and "all"."""
        out = {}
        for name, image in self.images.items():
            if self.ss > 1:
                image = image.convert("RGBa").reduce(self.ss).convert("RGBA")
            out[name] = image
        # "all" is made from the finished parts, so back + front composites to exactly "all"
        out["all"] = Image.alpha_composite(out["back"], out["front"]) if "front" in out else out["back"]
        return out

    # coordinates ----------------------------------------------------------------------------
    def P(self, x: float, y: float) -> tuple[float, float]:
        return (self.ox + x * self.sx, self.oy + y * self.sy)

    def pts(self, points) -> list[tuple[float, float]]:
        return [self.P(x, y) for x, y in points]

    def px(self, w: float) -> int:
        """A stroke ``w`` outlines wide, in supersampled pixels."""
        return max(1, round(w * self.lw))

    def units(self, w: float) -> float:
        """A length in y units as supersampled pixels."""
        return w * self.sy

    @staticmethod
    def _c(colour) -> tuple:
        return tuple(colour) if len(colour) == 4 else (*colour, 255)

    # shapes ---------------------------------------------------------------------------------
    def poly(self, points, fill, outline: bool | tuple = True, w: float = 1.0) -> None:
        p = self.pts(points)
        if len(p) < 3:
            return
        if fill is not None:
            self.d.polygon(p, fill=self._c(fill))
        if outline:
            ink = INK if outline is True else outline
            self._stroke(p + [p[0]], ink, self.px(w), closed=True)

    def _stroke(self, p, ink, width: int, closed: bool = False) -> None:
        self.d.line(p, fill=self._c(ink), width=width, joint="curve")
        if width >= 3:
            r = width / 2 - 0.5
            for x, y in ((p[0], p[-1]) if not closed else (p[0],)):
                self.d.ellipse([x - r, y - r, x + r, y + r], fill=self._c(ink))

    def line(self, points, colour=INK, w: float = 1.0) -> None:
        """A stroke ``w`` outlines wide with round ends."""
        self._stroke(self.pts(points), colour, self.px(w))

    def thin(self, points, colour, units: float) -> None:
        """A stroke ``units`` (drawing units) wide, without outline."""
        self._stroke(self.pts(points), colour, max(1, round(self.units(units))))

    def band(self, points, units: float, fill) -> None:
        """A thick outlined stroke (a pole, a rope, a rail) ``units`` wide."""
        p = self.pts(points)
        wpx = self.units(units)
        if wpx >= 1.6 * self.lw:
            self._stroke(p, INK, round(wpx + self.lw))
            self._stroke(p, fill, max(1, round(wpx - self.lw)))
        else:
            self._stroke(p, INK, max(self.lw, round(wpx)))

    def rect(self, x0, y0, x1, y1, fill, r: float = 0.0, outline: bool | tuple = True,
             w: float = 1.0, corners: tuple | None = None) -> None:
        (X0, Y0), (X1, Y1) = self.P(x0, y0), self.P(x1, y1)
        X0, X1 = min(X0, X1), max(X0, X1)
        Y0, Y1 = min(Y0, Y1), max(Y0, Y1)
        lw = self.px(w) if outline else 0
        ink = INK if outline is True else (outline or INK)
        if outline and min(X1 - X0, Y1 - Y0) < 1.6 * lw:  # too thin for a fill: a solid ink bar
            fill, lw = ink, 0
        half = lw / 2
        box = [X0 - half, Y0 - half, X1 + half, Y1 + half]
        if box[2] - box[0] < 1 or box[3] - box[1] < 1:
            box[2], box[3] = max(box[2], box[0] + 1), max(box[3], box[1] + 1)
        rad = min(r * self.sy, (box[2] - box[0]) / 2, (box[3] - box[1]) / 2)
        kw = dict(fill=self._c(fill) if fill is not None else None)
        if lw:
            kw.update(outline=self._c(ink), width=lw)
        if rad >= 2:
            try:
                self.d.rounded_rectangle(box, radius=int(rad), corners=corners, **kw)
                return
            except ValueError:  # Pillow trips over some tiny rounded boxes
                pass
        self.d.rectangle(box, **kw)

    def ellipse(self, cx, cy, rx, ry, fill, outline: bool | tuple = True, w: float = 1.0) -> None:
        """An ellipse with radii in drawing units (rx in x units, ry in y units)."""
        X, Y = self.P(cx, cy)
        RX, RY = rx * self.sx, ry * self.sy
        lw = self.px(w) if outline else 0
        ink = INK if outline is True else (outline or INK)
        if outline and min(RX, RY) * 2 < 1.6 * lw:
            fill, lw = ink, 0
        RX, RY = RX + lw / 2, RY + lw / 2
        kw = dict(fill=self._c(fill) if fill is not None else None)
        if lw:
            kw.update(outline=self._c(ink), width=lw)
        self.d.ellipse([X - RX, Y - RY, X + max(RX, 0.5), Y + max(RY, 0.5)], **kw)

    def circle(self, cx, cy, r, fill, outline: bool | tuple = True, w: float = 1.0) -> None:
        self.ellipse(cx, cy, r, r, fill, outline, w)

    def ring(self, cx, cy, r, thick, fill) -> None:
        """An outlined ring (a wheel's rim) of radius r and thickness ``thick`` (y units)."""
        X, Y = self.P(cx, cy)
        t = thick * self.sy
        lw = self.lw
        R = r * self.sy
        if t < 1.6 * lw:
            rr = R + lw / 2
            self.d.ellipse([X - rr, Y - rr, X + rr, Y + rr], outline=self._c(INK), width=max(lw, round(t)))
            return
        ro = R + t / 2 + lw / 2
        self.d.ellipse([X - ro, Y - ro, X + ro, Y + ro], outline=self._c(INK), width=round(t + lw))
        ri = R + t / 2 - lw / 2
        self.d.ellipse([X - ri, Y - ri, X + ri, Y + ri], outline=self._c(fill), width=max(1, round(t - lw)))

    def text(self, x, y, s: str, max_w: float, max_h: float, fill, bold: bool = True,
             anchor: str = "mm") -> None:
        """``s`` as large as fits a max_w x max_h box (drawing units), anchored at (x, y)."""
        if not s.strip():
            return
        W, H = max_w * self.sx, max_h * self.sy
        ref = _font(100, bold)
        l, t, r, b = ref.getbbox(s)
        size = int(min(H / max(1, b - t), W / max(1, r - l)) * 100)
        if size < 3:
            return
        font = _font(size, bold)
        l, t, r, b = font.getbbox(s)
        while size > 3 and (r - l > W or b - t > H):
            size = int(size * 0.92)
            font = _font(size, bold)
            l, t, r, b = font.getbbox(s)
        X, Y = self.P(x, y)
        self.d.text((X, Y), s, fill=self._c(fill), font=font, anchor=anchor)


def _flame(p: _Pen, cx: float, base: float, h: float, w: float, outer=DARK_ORANGE, inner=GOLD,
           core=YELLOW) -> None:
    """An OpenMoji-like flame standing on ``base``."""
    shape = [(-0.5, 0.22), (-0.46, 0.5), (-0.3, 0.7), (-0.27, 0.52), (-0.14, 0.74), (-0.04, 1.0),
             (0.1, 0.76), (0.2, 0.86), (0.26, 0.62), (0.38, 0.72), (0.5, 0.36), (0.44, 0.1),
             (0.26, 0.0), (-0.26, 0.0), (-0.44, 0.08)]
    for colour, k, dy in ((outer, 1.0, 0.0), (inner, 0.68, 0.0), (core, 0.38, 0.0)):
        pts = [(cx + u * w * k, base - dy - v * h * k) for u, v in shape]
        p.poly(_smooth(pts, 2), colour, outline=(k == 1.0))


def _logs(p: _Pen, cx: float, base: float, length: float, thick: float, colour) -> None:
    """Two crossed logs lying on ``base``."""
    for sign in (-1, 1):
        angle = sign * 14
        cy = base - thick / 2 - length * 0.1
        p.poly(_rot_rect(cx, cy, length, thick, angle, r=thick * 0.3), colour)
        ex = cx + sign * math.cos(math.radians(angle)) * (length / 2 - thick * 0.35)
        ey = cy + math.sin(math.radians(angle)) * sign * (length / 2 - thick * 0.35)
        p.ellipse(ex, ey, thick * 0.38, thick * 0.42, tint(colour, 0.45))


def _stones(p: _Pen, x0, y0, x1, y1, colour, rows: int, per_row: int) -> None:
    """A wall of rounded stones filling a box."""
    p.rect(x0, y0, x1, y1, shade(colour, 0.8))
    h = (y1 - y0) / rows
    w = (x1 - x0) / per_row
    for r in range(rows):
        off = (w / 2) if r % 2 else 0
        x = x0 - off
        while x < x1 - 1e-6:
            a, b = max(x0, x + w * 0.06), min(x1, x + w * 0.94)
            if b - a > w * 0.25:
                p.rect(a, y0 + r * h + h * 0.08, b, y0 + (r + 1) * h - h * 0.08, colour, r=h * 0.3, w=0.6)
            x += w
    p.rect(x0, y0, x1, y1, None)


# --------------------------------------------------------------------------------------------
# The props. Each drawer draws in units where the drawing is ``p.a`` wide and 1 high.


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


def _fence(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    n = max(2, round(a / 0.25))
    pitch = a / n
    pw = pitch * 0.64
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


def _shop(p: _Pen, main: RGB, sign: str | None) -> None:
    a = p.a
    text = (sign or "SHOP").strip() or "SHOP"
    p.rect(0.03, 0.06, a - 0.03, 1.0, CREAM)  # facade
    p.rect(0.0, 0.0, a, 0.08, shade(main, 0.7), r=0.015)  # cornice
    p.rect(0.1, 0.13, a - 0.1, 0.32, WHITE, r=0.03)  # sign board
    ink = shade(main, 0.5) if _luma(shade(main, 0.5)) < 90 else DARK_GREY
    p.text(a / 2, 0.225, text.upper(), a - 0.32, 0.13, ink)
    # awning: stripes and a scalloped edge
    top, bottom, n = 0.37, 0.5, 8
    left, right = 0.02, a - 0.02
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
    wx0, wx1, wy0, wy1 = 0.08, 0.68, 0.58, 0.9
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
    dx0, dx1 = 0.78, a - 0.1
    p.rect(dx0, 0.56, dx1, 1.0, main, r=0.015)
    p.rect(dx0 + 0.05, 0.61, dx1 - 0.05, 0.8, LIGHT_BLUE, r=0.01)
    p.circle(dx0 + 0.05, 0.87, 0.022, GOLD, w=0.7)
    p.rect(0.03, 0.94, dx0, 1.0, GREY)  # plinth


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


# --------------------------------------------------------------------------------------------
# The table of props


@dataclass(frozen=True)
class PropInfo:
    """What the composer needs to know about one drawn prop."""

    name: str
    synonyms: tuple[str, ...]
    height_m: float  # real-world height of the thing
    width_m: float  # real-world width as drawn (side or front view)
    aspect: float  # width / height of the drawing
    surfaces: dict[str, tuple[float, float, float, float]]  # fractions of the drawing's box
    front_layer: bool  # a front part drawn over whatever is inside


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


@dataclass(frozen=True)
class _Spec:
    draw: Callable[[_Pen, RGB, str | None], None]
    colour: RGB
    a: float  # the width of the drawing units (their height is 1)
    tiles: bool = False  # drawn at the requested aspect (more pickets), not stretched
    frame: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # the ink's extent, in drawing units


_SPECS: dict[str, _Spec] = {}


# Where the ink of each drawing really lies (drawing units, outlines excluded), so each
# picture's box is tight: feet on its bottom edge, nothing but the prop inside.
_FRAMES: dict[str, tuple[float, float, float, float]] = {
    "crib": (0.0, 0.015, 1.3, 1.0),
    "bench": (0.01, 0.039, 1.872, 0.977),
    "blackboard": (0.0, 0.0, 1.5, 0.95),
    "hospital bed": (0.04, 0.16, 1.961, 0.985),
    "bridge": (0.0, 0.093, 3.0, 1.0),
    "cart": (0.0, 0.22, 1.971, 0.97),
    "barn": (0.005, 0.005, 1.138, 1.0),
    "swing": (0.02, 0.025, 1.07, 1.0),
    "slide": (0.033, 0.056, 1.435, 1.0),
    "sandbox": (0.0, 0.06, 3.0, 1.0),
    "mailbox": (0.0, 0.031, 0.44, 1.0),
    "wheelbarrow": (0.06, 0.15, 2.137, 0.981),
    "scarecrow": (0.0, 0.038, 0.737, 1.0),
    "sled": (0.015, 0.149, 2.635, 0.96),
    "campfire": (0.0, 0.087, 1.25, 0.99),
    "fireplace": (0.0, 0.02, 1.154, 1.0),
    "birdcage": (0.02, 0.015, 0.695, 0.971),
    "hammock": (0.0, 0.02, 2.0, 1.0),
    "picnic blanket": (0.0, 0.06, 3.333, 0.98),
    "lamp post": (0.007, 0.01, 0.167, 1.0),
    "bus stop": (0.0, 0.035, 1.149, 0.987),
    "sofa": (0.0, 0.08, 2.222, 1.0),
}


def _prop(name: str, synonyms: str, height_m: float, width_m: float, draw, colour: RGB, *,
          frame: tuple[float, float, float, float] | None = None, front: bool = False, tiles: bool = False,
          **surfaces: tuple) -> PropInfo:
    """Register a prop drawn in units ``a = width_m / height_m`` wide and 1 high.

    ``frame`` is the part of that drawing area the ink really covers (so the picture's box is
    tight: feet on its bottom edge); the real width is then ``height_m`` times the frame's
    aspect. Surfaces are given in drawing units, like the drawing.
    """
    a = round(width_m / height_m, 4)
    fx0, fy0, fx1, fy1 = frame or _FRAMES.get(name) or (0.0, 0.0, a, 1.0)
    aspect = round((fx1 - fx0) / (fy1 - fy0), 4)

    def fx(x: float) -> float:
        return round(min(1.0, max(0.0, (x - fx0) / (fx1 - fx0))), 4)

    def fy(y: float) -> float:
        return round(min(1.0, max(0.0, (y - fy0) / (fy1 - fy0))), 4)

    fractions = {}
    for key, box in surfaces.items():
        if len(box) == 3:  # a line: (x0, y, x1)
            box = (box[0], box[1], box[2], box[1])
        x0, y0, x1, y1 = box
        fractions[key] = (fx(x0), fy(y0), fx(x1), fy(y1))
    width_m = round(height_m * aspect, 3)
    info = PropInfo(name, tuple(s.strip() for s in synonyms.split(",") if s.strip()), height_m, width_m,
                    aspect, fractions, front)
    _SPECS[name] = _Spec(draw, colour, a, tiles, (fx0, fy0, fx1, fy1))
    return info


def _build() -> dict[str, PropInfo]:
    a = {}  # aspects, for surfaces near the right edge

    def add(info: PropInfo) -> None:
        a[info.name] = info.aspect
        props[info.name] = info

    props: dict[str, PropInfo] = {}
    add(_prop("crib", "cot, cradle, baby bed, babybed, crib bed", 1.0, 1.3, _crib, LIGHT_WOOD, front=True,
              interior=(0.1, 0.2, 1.2, 0.46), top=(0.1, 0.46, 1.2)))
    add(_prop("bench", "park bench, garden bench, wooden bench, bench seat", 0.85, 1.6, _bench, WOOD,
              seat=(0.1, 0.5, 1.78), top=(0.1, 0.5, 1.78)))
    add(_prop("blackboard", "chalkboard, chalk board, black board, school board", 1.2, 1.8, _blackboard,
              (38, 92, 66), interior=(0.07, 0.07, 1.43, 0.83), top=(0.05, 0.86, 1.45)))
    add(_prop("hospital bed", "hospital beds, sickbed, sick bed, patient bed, hospital cot", 1.05, 2.1,
              _hospital_bed, LIGHT_BLUE, front=True, top=(0.62, 0.52, 1.83), interior=(0.18, 0.2, 1.83, 0.52)))
    add(_prop("bridge", "footbridge, foot bridge, wooden bridge, arched bridge, little bridge, small bridge",
              2.8, 8.4, _bridge, WOOD, front=True, deck=(0.75, 0.405, 2.25), top=(0.75, 0.405, 2.25)))
    add(_prop("cart", "wagon, waggon, horse cart, horse-drawn cart, hay cart, hay wagon, farm cart, "
              "oxcart, ox cart, handcart", 1.5, 3.0, _cart, WOOD, front=True,
              interior=(0.66, 0.22, 1.96, 0.44), top=(0.66, 0.44, 1.96)))
    add(_prop("fence", "fences, picket fence, garden fence, fencing, paling", 1.0, 3.0, _fence, (250, 248, 240),
              tiles=True, top=(0.0, 0.04, 3.0)))
    add(_prop("ladder", "ladders, stepladder, step ladder", 3.0, 0.55, _ladder, LIGHT_WOOD,
              top=(0.0, 0.47, 0.1833)))
    add(_prop("table", "kitchen table, dining table, wooden table, tables", 0.75, 1.4, _table, WOOD,
              top=(0.07, 0.04, 1.8)))
    add(_prop("desk", "school desk, writing desk, office desk, desks", 0.76, 1.2, _desk, BROWN,
              top=(0.07, 0.04, 1.51)))
    add(_prop("stove", "oven, cooker, kitchen stove, cookstove, cook stove, range cooker, stoves, ovens", 1.05, 0.76,
              _stove, (244, 244, 240), top=(0.0, 0.19, 0.7238)))
    add(_prop("shop", "store, shop front, shopfront, storefront, store front, bakery, bakeshop, bakehouse, "
              "grocery, grocery store, grocer, toy shop, toyshop, toy store, bookshop, bookstore, flower shop, "
              "florist, sweet shop, candy store, corner shop, boutique", 5.0, 6.0, _shop, RED,
              door=(0.78, 0.56, 1.1, 1.0), window=(0.05, 0.55, 0.71, 0.93)))
    add(_prop("barn", "red barn, barns, cowshed, cow shed, stable", 7.0, 8.0, _barn, DARK_RED,
              door=(0.2914, 0.56, 0.8514, 1.0)))
    add(_prop("swing", "swings, swing set, swingset, playground swing", 2.2, 2.4, _swing, BLUE, front=True,
              seat=(0.2955, 0.71, 0.7955), top=(0.2955, 0.71, 0.7955), interior=(0.2955, 0.3, 0.7955, 0.71)))
    add(_prop("slide", "slides, playground slide, children's slide, sliding board, slippery dip", 2.2, 3.2,
              _slide, RED, top=(0.26, 0.19, 0.5)))
    add(_prop("sandbox", "sandpit, sand pit, sand box, sandboxes", 0.6, 1.8, _sandbox, WOOD, front=True,
              interior=(0.1, 0.06, 2.9, 0.6), top=(0.2, 0.5, 2.8)))
    add(_prop("mailbox", "mail box, letterbox, letter box, mailboxes", 1.3, 0.6, _mailbox, BLUE,
              top=(0.0, 0.1, 0.4)))
    add(_prop("well", "wishing well, water well, wells", 2.2, 1.6, _well, DARK_RED, top=(0.03, 0.56, 0.697)))
    add(_prop("wheelbarrow", "wheel barrow, barrow, wheelbarrows", 0.7, 1.5, _wheelbarrow, DARK_GREEN, front=True,
              interior=(0.38, 0.15, 1.66, 0.4), top=(0.5, 0.4, 1.5)))
    add(_prop("signpost", "sign post, signposts, fingerpost, finger post, guidepost, guide post, direction sign",
              2.4, 1.4, _signpost, LIGHT_WOOD))
    add(_prop("scarecrow", "scarecrows, scare crow", 1.9, 1.4, _scarecrow, DARK_RED))
    add(_prop("sled", "sledge, snow sled, toboggan, sleds, sledges", 0.35, 0.9333, _sled, WOOD,
              seat=(0.32, 0.24, 2.56), top=(0.32, 0.24, 2.56)))
    add(_prop("campfire", "camp fire, bonfire, fire pit, firepit, campfires", 0.8, 1.0, _campfire, BROWN))
    add(_prop("bookshelf", "bookcase, book shelf, book case, bookshelves, shelves, shelf, library shelf",
              1.8, 1.0, _bookshelf, BROWN, top=(0.0, 0.0, 0.5556)))
    add(_prop("fireplace", "fire place, hearth, fireplaces, mantelpiece, mantel, chimney piece", 1.3, 1.5,
              _fireplace, (190, 84, 58), top=(0.0, 0.02, 1.1538), interior=(0.3, 0.42, 0.8538, 0.95)))
    add(_prop("aquarium", "fish tank, fishtank, aquariums, aquaria", 0.6, 1.0, _aquarium, DARK_GREY, front=True,
              interior=(0.04, 0.17, 1.6267, 0.8), top=(0.0, 0.0, 1.6667)))
    add(_prop("cage", "cages, animal cage, pet cage, zoo cage", 1.2, 1.3, _cage, GREY, front=True,
              interior=(0.06, 0.08, 1.0233, 0.88), top=(0.0, 0.0, 1.0833)))
    add(_prop("birdcage", "bird cage, birdcages, bird cages", 0.7, 0.5, _birdcage, GOLD, front=True,
              interior=(0.08, 0.3, 0.634, 0.86), top=(0.1, 0.66, 0.614)))
    add(_prop("hammock", "hammocks", 1.6, 3.2, _hammock, DARK_ORANGE, front=True,
              interior=(0.36, 0.25, 1.64, 0.76), top=(0.6, 0.74, 1.4)))
    add(_prop("picnic blanket", "picnic rug, picnic cloth, picnic mat, blanket", 0.6, 2.0, _picnic_blanket, DARK_RED,
              top=(0.4, 0.55, 2.93)))
    add(_prop("lamp post", "lamppost, street lamp, streetlamp, street light, streetlight, lamp-post, "
              "lampposts, street lamps, street lights, gas lamp", 4.0, 0.7, _lamp_post, (58, 70, 78)))
    add(_prop("bus stop", "bus shelter, busstop, bus stops", 2.6, 3.0, _bus_stop, DARK_GREEN,
              seat=(0.12, 0.6, 0.754), top=(0.12, 0.6, 0.754)))
    add(_prop("sofa", "couch, settee, sofas, couches, divan", 0.9, 2.0, _sofa, BLUE,
              seat=(0.18, 0.52, 2.04), top=(0.18, 0.52, 2.04)))
    add(_prop("branch", "branches, twig, bough, tree branch", 0.35, 1.05, _branch, BROWN,
              frame=(0.0, 0.05, 3.0, 0.99), top=(0.3, 0.48, 2.7)))
    add(_prop("bush", "bushes, shrub, shrubs, hedge, hedges", 1.0, 1.5, _bush, DARK_GREEN,
              frame=(0.04, 0.02, 1.46, 0.98), top=(0.25, 0.05, 1.25)))
    add(_prop("rowboat", "rowing boat, row boat, dinghy, boat", 0.7, 1.75, _rowboat, (70, 130, 200), front=True,
              frame=(0.03, 0.14, 2.56, 0.975), interior=(0.3, 0.0, 2.2, 0.45), top=(0.3, 0.42, 2.2)))
    add(_prop("ship", "ships, ocean liner, liner, steamer, ferry, cruise ship, freighter, cargo ship", 15.0, 48.0,
              _ship, DARK_GREY, frame=(-0.01, 0.005, 3.21, 0.99), top=(0.2, 0.53, 0.98)))
    add(_prop("iceberg", "icebergs, ice berg, ice bergs, ice floe", 12.0, 19.2, _iceberg, (168, 214, 240),
              frame=(0.0, 0.065, 1.6, 1.0), top=(0.6, 0.2, 1.0)))
    add(_prop("open box", "cardboard box, carton, crate", 0.45, 0.585, _open_box, (205, 160, 100), front=True,
              frame=(0.0, 0.02, 1.3, 0.98), interior=(0.1, 0.2, 1.2, 0.97), top=(0.1, 0.42, 1.2)))
    return props


PROPS: dict[str, PropInfo] = _build()

# --------------------------------------------------------------------------------------------
# Lookup


def _key(word: str) -> str:
    word = word.strip().lower().replace("_", " ").replace("’", "'")
    word = re.sub(r"^(a|an|the|some)\s+", "", word)
    return re.sub(r"[\s\-]+", " ", word).strip()


_BY_WORD: dict[str, str] = {}
for _name, _info in PROPS.items():
    for _w in (_name, *_info.synonyms):
        _BY_WORD.setdefault(_key(_w), _name)
        _BY_WORD.setdefault(_key(_w).replace(" ", ""), _name)


def _singulars(word: str) -> list[str]:
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("ves") and len(word) > 4:
        out += [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("es") and len(word) > 3:
        out.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.append(word[:-1])
    return out


def _match(word: str) -> tuple[str, str] | tuple[None, None]:
    """(prop name, the name or synonym that matched) for a noun, or (None, None)."""
    key = _key(word or "")
    if not key:
        return None, None
    head, _, last = key.rpartition(" ")
    candidates = [key] + [(head + " " + s).strip() for s in _singulars(last)]
    for c in candidates:
        for k in (c, c.replace(" ", "")):
            if k in _BY_WORD:
                return _BY_WORD[k], k
    return None, None


def lookup(word: str) -> PropInfo | None:
    """The prop a noun names (its name or a synonym; singular or plural), else None."""
    name = _match(word)[0]
    return PROPS[name] if name else None


def prop_names() -> list[str]:
    """Every prop's name."""
    return list(PROPS)


# --------------------------------------------------------------------------------------------
# Drawing


def _render(name: str, width: int, height: int, colour: RGB | None, sign: str | None) -> dict[str, Image.Image]:
    spec = _SPECS[name]
    if spec.tiles:
        pen = _Pen(width, height, width / height)
    else:
        pen = _Pen(width, height, spec.a, spec.frame)
    spec.draw(pen, colour or spec.colour, sign)
    return pen.results()


# Finished drawings by (name, width, height, colour, sign), least recently used first. Bounded
# by pixels, not entries, so a few huge props cannot hold hundreds of megabytes.
_CACHE: OrderedDict[tuple, dict[str, Image.Image]] = OrderedDict()
_CACHE_PIXELS = 0
CACHE_BUDGET = 12_000_000  # pixels (4 bytes each)
_LOCK = threading.Lock()


def clear_cache() -> None:
    """Forget every drawing made so far."""
    global _CACHE_PIXELS
    with _LOCK:
        _CACHE.clear()
        _CACHE_PIXELS = 0


def _layers(name: str, width: int, height: int, colour: RGB | None, sign: str | None) -> dict[str, Image.Image]:
    global _CACHE_PIXELS
    key = (name, width, height, colour, sign)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    images = _render(name, width, height, colour, sign)
    if "front" in images:  # "all" is cheap to remake from the two parts
        images = {"back": images["back"], "front": images["front"]}
    size = width * height * len(images)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = images
            _CACHE_PIXELS += size
        while _CACHE_PIXELS > CACHE_BUDGET and len(_CACHE) > 1:
            (_, w, h, _, _), old = _CACHE.popitem(last=False)
            _CACHE_PIXELS -= w * h * len(old)
    return images


_PLAIN_SHOP = {"shop", "shop front", "shopfront"}


def draw_prop(name: str, width: int, height: int, *, colour: tuple[int, int, int] | None = None,
              sign: str | None = None, part: str = "all") -> Image.Image:
    """An RGBA picture of the prop ``name`` (a name or synonym), exactly ``width`` x ``height``.

    The drawing fills the box; ask for a box of the prop's ``aspect`` to keep its proportions
    (a fence alone draws more pickets when it is wider instead of stretching). ``colour``
    recolours the main body. ``sign`` is the text of a shop's sign, a signpost's arrows
    (comma-separated), a blackboard's writing or a bus stop's sign; when ``name`` is a shop
    synonym such as "bakery" and no sign is given, the word itself is written.
    ``part``: "all", or "back" / "front" for props with ``front_layer`` (draw the back, then
    what is inside, then the front). For other props "back" is the whole drawing and "front"
    is empty.
    """
    info = lookup(name)
    if info is None:
        raise KeyError(f"no drawn prop called {name!r}")
    if part not in ("all", "back", "front"):
        raise ValueError(f"part must be 'all', 'back' or 'front', not {part!r}")
    width, height = int(width), int(height)
    if width < 1 or height < 1:
        raise ValueError(f"a prop needs a positive size, not {width}x{height}")
    if sign is None and info.name == "shop":
        said = _match(name)[1]
        if said not in _PLAIN_SHOP:
            sign = "store" if said in ("storefront", "store front") else said
    col = tuple(int(c) for c in colour[:3]) if colour is not None else None
    images = _layers(info.name, width, height, col, sign)
    if not info.front_layer:
        if part == "front":
            return Image.new("RGBA", (width, height), (0, 0, 0, 0))
        return images["all"].copy()
    if part == "all":
        return Image.alpha_composite(images["back"], images["front"])
    return images[part].copy()
