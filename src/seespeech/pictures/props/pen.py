"""The pen props are drawn with (drawing units: ``p.a`` wide and 1 high, outlines scaled to the
size) and the strokes several props share (flames, logs, stones)."""

from __future__ import annotations

import math
from PIL import Image
from seespeech.pictures.canvas import DARK_ORANGE, GOLD, INK, RGB, YELLOW, Surface, font


def shade(colour: tuple, k: float) -> RGB:
    """``colour`` darkened (k < 1)."""
    return tuple(max(0, min(255, round(c * k))) for c in colour[:3])  # type: ignore[return-value]


def tint(colour: tuple, k: float) -> RGB:
    """``colour`` moved a fraction ``k`` towards white."""
    return tuple(round(c + (255 - c) * k) for c in colour[:3])  # type: ignore[return-value]


def _luma(colour: tuple) -> float:
    r, g, b = colour[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b



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


class _Pen(Surface):
    """Draws in *drawing units* (height 1, width ``a``) on a supersampled back and front layer.

    Outlines are centred on the shapes' edges like OpenMoji's strokes; the whole drawing is
    inset by half an outline so nothing is clipped at the box's edge.
    """

    def __init__(self, width: int, height: int, a: float, frame: tuple | None = None):
        self.width, self.height, self.a = width, height, a
        fx0, fy0, fx1, fy1 = frame or (0.0, 0.0, a, 1.0)
        side = max(width, height)
        ss = 4 if side <= 200 else 3 if side <= 400 else 2 if side <= 1400 else 1
        base = max(1.0, 0.025 * math.sqrt(width * height))
        base = min(base, max(1.0, 0.12 * min(width, height)))
        self.lw = max(1, round(base * ss))
        size = (width * ss, height * ss)
        inset = self.lw / 2
        sx = max(1e-6, size[0] - 2 * inset) / (fx1 - fx0)
        sy = max(1e-6, size[1] - 2 * inset) / (fy1 - fy0)
        super().__init__(size, ss, scale=(sx, sy), origin=(inset - fx0 * sx, inset - fy0 * sy))
        self.tone = None

    @classmethod
    def into(cls, c: Surface, box, a: float, lw: int, tone) -> _Pen:
        """A pen drawing straight onto ``c``'s image (a stage's canvas): drawing units ``a``
        wide and 1 high fill ``box`` (c's pixels), outlines are ``lw`` wide and every colour
        goes through ``tone`` (the stage's look and distance haze; None: not drawn). This is how
        a stage draws a prop's drawing into its scenery."""
        x0, y0, x1, y1 = box
        p = cls.__new__(cls)
        p.width, p.height, p.a = max(1, round((x1 - x0) / c.ss)), max(1, round((y1 - y0) / c.ss)), a
        p.lw, p.tone = lw, tone
        Surface.__init__(p, c.size, c.ss, c.mode, c.background, scale=((x1 - x0) / a, y1 - y0), origin=(x0, y0),
                         onto=c)
        return p

    def results(self) -> dict[str, Image.Image]:
        """The layers at the requested size: "back", "front" (when drawn) and "all"."""
        out = {name: self.reduce(image) for name, image in self.images.items()}
        # "all" is made from the finished parts, so back + front composites to exactly "all"
        out["all"] = Image.alpha_composite(out["back"], out["front"]) if "front" in out else out["back"]
        return out

    def px(self, w: float) -> int:
        """A stroke ``w`` outlines wide, in supersampled pixels."""
        return max(1, round(w * self.lw))

    def _c(self, colour) -> tuple | None:
        if self.tone is not None:
            return self.tone(colour)
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
        ref = font(100, bold)
        l, t, r, b = ref.getbbox(s)
        size = int(min(H / max(1, b - t), W / max(1, r - l)) * 100)
        if size < 3:
            return
        face = font(size, bold)
        l, t, r, b = face.getbbox(s)
        while size > 3 and (r - l > W or b - t > H):
            size = int(size * 0.92)
            face = font(size, bold)
            l, t, r, b = face.getbbox(s)
        X, Y = self.P(x, y)
        self.d.text((X, Y), s, fill=self._c(fill), font=face, anchor=anchor)


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
