"""Places off the earth: outer space and the moon's surface."""

from __future__ import annotations

import math
import random
from PIL import Image

from seespeech.pictures.canvas import BLUE, GOLD, INK, ORANGE, RED, WHITE, _Canvas, _draw, _gradient, _shape
from seespeech.pictures.stages.scenery import _celestial, _stars


def place_space(c: _Canvas, r: random.Random, opts: dict) -> float:
    _gradient(c, (0, 0, c.w, c.h), ((4, 6, 20), (14, 14, 44), (34, 18, 62)))
    for _ in range(3):  # faint nebula puffs
        x, y, s = r.uniform(0, c.w), r.uniform(0, c.h), c.h * r.uniform(0.15, 0.3)
        box = (int(x - s), int(y - s * 0.5), int(x + s) + 1, int(y + s * 0.5) + 1)
        puff = Image.new("L", (box[2] - box[0], box[3] - box[1]), 0)
        _draw(puff).ellipse([0, 0, puff.width - 1, puff.height - 1], fill=28)
        c.img.paste((120, 70, 170), box, puff)
    _stars(c, r, (0, 0, c.w, c.h), 160)
    # a ringed planet and a small red one
    px, py, pr = c.X(0.8), c.Y(0.2), c.h * 0.07
    lw = c.lw(pr * 2)
    ring = [px - pr * 1.9, py - pr * 0.45, px + pr * 1.9, py + pr * 0.45]
    c.d.arc(ring, 160, 380, fill=INK, width=lw * 3)
    c.d.arc(ring, 160, 380, fill=GOLD, width=lw)
    _shape(c, "ellipse", [px - pr, py - pr, px + pr, py + pr], ORANGE, lw)
    c.d.chord([px - pr + lw, py - pr * 0.3, px + pr - lw, py + pr * 0.1], 0, 180, fill=(230, 140, 60))
    c.d.arc(ring, 0, 160, fill=INK, width=lw * 3)
    c.d.arc(ring, 0, 160, fill=GOLD, width=lw)
    qx, qy, qr = c.X(0.12), c.Y(0.72), c.h * 0.03
    _shape(c, "ellipse", [qx - qr, qy - qr, qx + qr, qy + qr], RED, c.lw(qr * 2))
    c.surfaces["sky"] = (0, 0, c.w, c.h)
    c.features["planet"] = (px - pr * 1.9, py - pr, px + pr * 1.9, py + pr)
    _celestial(c, c.h, c.sun, c.moon)
    return c.Y(0.56)


def place_moon(c: _Canvas, r: random.Random, opts: dict) -> float:
    horizon = c.Y(0.58)
    _gradient(c, (0, 0, c.w, horizon + c.h * 0.05), ((2, 2, 8), (8, 8, 22)))
    _stars(c, r, (0, 0, c.w, horizon), 90)
    # the Earth, small in the black sky
    ex, ey, er = c.X(0.22), c.Y(0.17), c.h * 0.065
    lw = c.lw(er * 2)
    _shape(c, "ellipse", [ex - er, ey - er, ex + er, ey + er], BLUE, 0)
    green = (92, 178, 72)
    c.d.polygon(
        [
            (ex - er * 0.6, ey - er * 0.6),
            (ex - er * 0.1, ey - er * 0.7),
            (ex, ey - er * 0.2),
            (ex - er * 0.3, ey + er * 0.1),
            (ex - er * 0.7, ey - er * 0.1),
        ],
        fill=green,
    )
    c.d.polygon(
        [
            (ex + er * 0.2, ey + er * 0.1),
            (ex + er * 0.7, ey),
            (ex + er * 0.6, ey + er * 0.6),
            (ex + er * 0.25, ey + er * 0.7),
        ],
        fill=green,
    )
    c.d.ellipse([ex - er * 0.5, ey + er * 0.55, ex + er * 0.1, ey + er * 0.8], fill=WHITE)
    c.d.ellipse([ex - er, ey - er, ex + er, ey + er], outline=INK, width=lw)
    c.features["earth"] = (ex - er, ey - er, ex + er, ey + er)
    # the grey surface with a gently curved edge and craters
    grey, dark = (186, 186, 192), (150, 150, 158)
    edge = [(c.w * i / 40, horizon + c.h * 0.03 * (1 - math.sin(math.pi * i / 40))) for i in range(41)]
    c.d.polygon(edge + [(c.w, c.h), (0, c.h)], fill=grey)
    c.d.line(edge, fill=INK, width=c.lw(c.h * 0.15), joint="curve")
    for _ in range(11):
        y = r.uniform(horizon + c.h * 0.06, c.h * 0.98)
        k = (y - horizon) / (c.h - horizon)
        w = c.X(r.uniform(0.05, 0.12)) * (0.4 + k)
        x = r.uniform(-0.05, 1.0) * c.w
        clw = max(c.ss, c.lw(w * 0.4))
        _shape(c, "ellipse", [x, y - w * 0.16, x + w, y + w * 0.16], dark, clw)
        c.d.chord([x + clw, y - w * 0.16 + clw, x + w - clw, y + w * 0.1], 180, 360, fill=(126, 126, 134))
    c.surfaces["sky"] = (0, 0, c.w, horizon)
    c.surfaces["ground"] = (0, horizon, c.w, c.h)
    _celestial(c, horizon, False, False)
    return horizon
