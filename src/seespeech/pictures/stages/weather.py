"""Weather drawn over a finished picture (rain, snow, lightning, fog, wind) and the fog veil
between depth planes."""

from __future__ import annotations

import math
import random
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from seespeech.pictures.stages.places import Stage
from seespeech.pictures.canvas import Box, INK, RGB, YELLOW, _cached, _draw
from seespeech.pictures.stages.lighting import _FOG, _look
from seespeech.pictures.stages.stage import VARIANTS


# -- weather overlays ----------------------------------------------------------------------------


def fog_veil(image: Image.Image, stage: Stage, plane: int) -> None:
    """Veil what is drawn so far (in place) by fog, after the objects of ``plane`` (2, 1, 0)
    are drawn: the picture above that plane's baseline is mixed with the fog colour, fading
    out over about 12 % of the height below it. Called after each plane, farthest first, the
    far planes end up foggiest. Does nothing without fog or indoors."""
    if "fog" not in stage.weather or stage.indoor:
        return
    plane = max(0, min(2, int(plane)))
    w, h = image.size
    base = min(max(stage.planes[plane], 0), h)
    bottom, mask = _fog_mask(w, h, base, (0.12, 0.2, 0.26)[plane])
    image.paste(_FOG[stage.time], (0, 0, w, bottom), mask)


@_cached(12, (0, 1))
def _fog_mask(w: int, h: int, base: int, amount: float) -> tuple[int, Image.Image]:
    fade = max(4.0, 0.12 * h)
    bottom = int(min(h, base + fade + 1))
    y = np.arange(bottom, dtype=np.float32)
    k = np.clip(1.0 - (y - base) / fade, 0.0, 1.0) * amount * 255
    column = Image.fromarray(np.ascontiguousarray(k.astype(np.uint8)[:, None]), "L")
    return bottom, column.resize((w, bottom), Image.NEAREST)


def draw_weather(image: Image.Image, stage: Stage, rng: random.Random) -> None:
    """Weather overlays on the finished picture (in place, after the objects): rain streaks
    (slanted, thinner and paler farther away, splashes on the near ground), snow flakes of a
    few sizes, a storm's heavier rain and a lightning bolt, fog (a veil strongest at the
    horizon, and drifting wisps), wind (curved streaks and blown leaves). Indoors the weather
    is only seen through the window, drawn with the stage, and space and the moon have none:
    nothing is added there. ``rng`` picks one of a few cached variants of each overlay."""
    if stage.indoor or stage.place in ("space", "moon") or not stage.weather:
        return
    weather = stage.weather
    w, h = image.size
    variant = rng.randrange(VARIANTS)
    windy = "wind" in weather
    layers = []
    if "fog" in weather:
        layers.append(_fog_layer(w, h, stage.time, stage.horizon, stage.planes, variant))
    if "storm" in weather:
        layers.append(_lightning_layer(w, h, stage.sky or (0, 0, w, max(1, stage.horizon)), variant))
    if "rain" in weather or "storm" in weather:
        ground = stage.surfaces.get("ground")
        layers.append(_rain_layer(w, h, stage.time, "storm" in weather, windy, ground, stage.planes[1], variant))
    if "snow" in weather:
        layers.append(_snow_layer(w, h, stage.time, windy, variant))
    if windy:
        top = stage.sky[1] if stage.sky else 0
        leaves = stage.place not in ("desert", "beach", "sea", "island", "cliff", "snow")
        layers.append(_wind_layer(w, h, stage.time, weather, top, stage.planes[1], leaves, variant))
    for layer in layers:
        image.paste(layer, (0, 0), layer)


def _layer_canvas(w: int, h: int) -> tuple[int, Image.Image, ImageDraw.ImageDraw]:
    """An L mask drawn at twice the size (smooth edges) for pictures up to 768 px."""
    ss = 2 if max(w, h) <= 768 else 1
    mask = Image.new("L", (w * ss, h * ss), 0)
    return ss, mask, _draw(mask)


def _coloured(colour: RGB, mask: Image.Image, ss: int) -> Image.Image:
    """An RGBA layer of one colour whose alpha is ``mask`` (brought to the final size)."""
    if ss > 1:
        mask = mask.reduce(ss)
    layer = Image.new("RGBA", mask.size, colour + (0,))
    layer.putalpha(mask)
    return layer


@_cached(6, (0, 1))
def _rain_layer(w: int, h: int, time: str, heavy: bool, windy: bool, ground: Box | None, near: int,
                variant: int) -> Image.Image:
    r = random.Random(7000 + variant * 31 + heavy * 5 + windy)
    ss, mask, d = _layer_canvas(w, h)
    W, H = w * ss, h * ss
    slant = 0.5 if windy else 0.22          # dx per dy
    unit = H / 512
    n = int((420 if heavy else 300) * w * h / 512 ** 2) + 12
    for i in range(n):
        layer = 0 if i % 6 == 0 else (1 if i % 6 < 3 else 2)  # near, middle, far
        length = H * (0.075, 0.045, 0.026)[layer] * r.uniform(0.8, 1.2)
        width = max(1, round(unit * ss * (1.8, 1.2, 0.8)[layer]))
        x, y = r.uniform(-0.1 * W, 1.1 * W), r.uniform(-length, H)
        d.line([(x, y), (x - slant * length, y + length)], fill=(190, 140, 95)[layer], width=width)
    if ground:  # splashes on the near ground
        gx0, gy0, gx1, gy1 = (v * ss for v in ground)
        top = max(gy0, near * ss)
        for _ in range(int(14 * w / 512) + 2):
            x, y = r.uniform(gx0, gx1), r.uniform(top, max(top + 1, gy1))
            sp = H * 0.012 * (0.5 + (y - top) / max(1, gy1 - top))
            d.arc([x - sp, y - sp * 0.3, x + sp, y + sp * 0.3], 180, 360, fill=170, width=max(1, round(unit * ss)))
    colour = (214, 226, 244) if time != "night" else (150, 164, 200)
    return _coloured(colour, mask, ss)


@_cached(6, (0, 1))
def _snow_layer(w: int, h: int, time: str, windy: bool, variant: int) -> Image.Image:
    r = random.Random(8000 + variant * 31 + windy)
    ss, mask, d = _layer_canvas(w, h)
    W, H = w * ss, h * ss
    unit = H / 512
    big = []
    n = int(230 * w * h / 512 ** 2) + 12
    for i in range(n):
        layer = 0 if i % 8 == 0 else (1 if i % 8 < 4 else 2)
        rad = unit * ss * (2.5, 1.3, 0.75)[layer] * r.uniform(0.8, 1.2)
        x, y = r.uniform(0, W), r.uniform(0, H)
        if windy:
            x += (y / H) * W * 0.05
        if layer == 0:
            big.append((x / ss, y / ss, rad / ss))
        else:
            d.ellipse([x - rad, y - rad, x + rad, y + rad], fill=(240, 200, 150)[layer])
    white = (255, 255, 255) if time != "night" else (214, 222, 240)
    layer_img = _coloured(white, mask, ss)
    dr = _draw(layer_img)
    rim = (150, 170, 200, 255) if time != "night" else (90, 100, 130, 255)
    for x, y, rad in big:  # near flakes: discs with a soft rim so they show on snow too
        dr.ellipse(
            [x - rad, y - rad, x + rad, y + rad], fill=white + (255,), outline=rim, width=max(1, round(rad * 0.25))
        )
    return layer_img


@_cached(6, (0, 1))
def _lightning_layer(w: int, h: int, sky: Box, variant: int) -> Image.Image:
    """A jagged bolt from the clouds, OpenMoji yellow with a black outline, and a soft glow."""
    r = random.Random(9000 + variant)
    x = r.uniform(sky[0] + 0.3 * (sky[2] - sky[0]), sky[0] + 0.75 * (sky[2] - sky[0]))
    y = sky[1] + (sky[3] - sky[1]) * 0.22
    bottom = sky[1] + (sky[3] - sky[1]) * r.uniform(0.85, 0.97)
    pts = [(x, y)]
    step = (bottom - y) / 5
    for i in range(5):
        y += step
        x += (1 if i % 2 == 0 else -1) * r.uniform(0.03, 0.06) * w + r.uniform(-0.01, 0.01) * w
        pts.append((x, y))
    thick = max(2.0, h * 0.016)
    left, right = [], []
    for i, (px, py) in enumerate(pts):
        a, b = pts[max(0, i - 1)], pts[min(len(pts) - 1, i + 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        norm = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / norm, dx / norm
        k = thick * (1 - i / (len(pts) - 1)) ** 0.7 + 0.6
        left.append((px + nx * k, py + ny * k))
        right.append((px - nx * k, py - ny * k))
    bolt = left + right[::-1]
    q = 8
    small = Image.new("L", (max(1, w // q), max(1, h // q)), 0)
    _draw(small).line([(px / q, py / q) for px, py in pts], fill=120, width=max(1, round(h / q * 0.05)))
    small = small.filter(ImageFilter.GaussianBlur(max(0.5, h / q * 0.02)))
    layer = _coloured((255, 250, 200), small.resize((w, h), Image.BILINEAR), 1)
    d = _draw(layer)
    fx, fy = pts[2]  # a fork from the third bend, under the main bolt
    fork = [(fx, fy), (fx + w * 0.05, fy + (pts[-1][1] - fy) * 0.3), (fx + w * 0.035, fy + (pts[-1][1] - fy) * 0.55)]
    d.line(fork, fill=INK + (255,), width=max(2, round(h * 0.013)), joint="curve")
    d.line(fork, fill=YELLOW + (255,), width=max(1, round(h * 0.006)), joint="curve")
    d.polygon(bolt, fill=YELLOW + (255,))
    d.line(bolt + [bolt[0]], fill=INK + (255,), width=max(1, round(h * 0.004)), joint="curve")
    return layer


@_cached(6, (0, 1))
def _fog_layer(w: int, h: int, time: str, horizon: int, planes: tuple[int, int, int], variant: int) -> Image.Image:
    """A veil strongest around the horizon, thinning towards the bottom, and a few wisps."""
    r = random.Random(10000 + variant)
    q = 4
    sw, sh = max(2, w // q), max(2, h // q)
    y = (np.arange(sh, dtype=np.float32) + 0.5) * q
    near = max(planes[0], horizon + 1)
    veil = np.where(
        y < horizon, 0.3 + 0.14 * y / max(1, horizon), 0.44 - 0.34 * np.clip((y - horizon) / (near - horizon), 0, 1.2)
    )
    arr = np.broadcast_to((np.clip(veil, 0.06, 0.5) * 255).astype(np.uint8)[:, None], (sh, sw))
    base = Image.fromarray(np.ascontiguousarray(arr), "L")
    wisps = Image.new("L", (sw, sh), 0)
    d = _draw(wisps)
    for _ in range(6):
        cy = r.uniform(horizon * 0.6, max(horizon * 0.6 + 1, planes[1])) / q
        cx = r.uniform(0, sw)
        rx, ry = sw * r.uniform(0.2, 0.4), max(1.5, sh * 0.03)
        d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=110)
    wisps = wisps.filter(ImageFilter.GaussianBlur(max(1.0, sh * 0.015)))
    return _coloured(_FOG[time], ImageChops.add(base, wisps).resize((w, h), Image.BILINEAR), 1)


@_cached(6, (0, 1))
def _wind_layer(w: int, h: int, time: str, weather: tuple[str, ...], top: int, near: int, leaves: bool,
                variant: int) -> Image.Image:
    """Curved white streaks with a curl at the end, and a few blown leaves (where trees grow)."""
    r = random.Random(11000 + variant)
    ss, mask, d = _layer_canvas(w, h)
    W, H = w * ss, h * ss
    lw = max(ss, round(H * 0.007))
    bottom = max(near, top + 2) * ss
    for i in range(5):
        x0 = r.uniform(-0.1, 0.55) * W
        y0 = top * ss + (bottom - top * ss) * (i + r.uniform(0.2, 0.8)) / 5
        length = W * r.uniform(0.25, 0.42)
        amp = H * r.uniform(0.01, 0.025)
        pts = [(x0 + length * t / 20, y0 + amp * math.sin(t / 20 * math.pi * 1.5)) for t in range(21)]
        ex, ey = pts[-1]
        cr = H * 0.025
        curl = [
            (ex + cr * math.sin(a / 10 * math.pi * 1.5), ey - cr + cr * math.cos(a / 10 * math.pi * 1.5))
            for a in range(11)
        ]
        d.line(pts + curl, fill=220, width=lw, joint="curve")
    layer = _coloured((250, 252, 255) if time != "night" else (170, 180, 210), mask, ss)
    dr = _draw(layer)
    look = _look(time, weather, False)
    leaf_colours = ((126, 190, 60), (241, 179, 28), (226, 112, 34), (92, 158, 49))
    for i in range(9 if leaves else 0):
        x, y = r.uniform(0.05, 0.95) * w, r.uniform(top + 0.05 * h, max(top + 0.05 * h + 1, near))
        s = h * r.uniform(0.012, 0.02)
        a = r.uniform(0, math.pi)
        ca, sa = math.cos(a), math.sin(a)
        shape = [(-1.0, 0.0), (-0.4, -0.45), (0.4, -0.45), (1.0, 0.0), (0.4, 0.45), (-0.4, 0.45)]
        pts = [(x + s * (px * ca - py * sa), y + s * (px * sa + py * ca)) for px, py in shape]
        dr.polygon(pts, fill=look.colour(leaf_colours[i % 4]) + (255,))
        dr.line(pts + [pts[0]], fill=INK + (255,), width=max(1, round(s * 0.15)))
        dr.line([pts[0], pts[3]], fill=INK + (255,), width=max(1, round(s * 0.1)))
    return layer
