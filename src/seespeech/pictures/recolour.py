"""A said colour on clip-art: "a purple sheep" is drawn with a purple body, its outlines kept.

One rule for every picture drawn from clip-art (OpenMoji SVGs, Open Clip Art PNGs):

1. **Paints.** The picture's colours and how much of it each covers: for an OpenMoji SVG, the
   fills and strokes of its ``color`` groups, weighed by the area each shows once drawn (one
   flat render with a made-up colour per paint, so what lies under another fill or under the
   black lines is not counted); for a PNG, its pixels' colours (quantised).
2. **Families.** Paints alike are one part: chromatic ones of near hue (a green and a yellow
   green: the leaves), achromatic ones of the same lightness band (white and a light grey: the
   sheep's wool). Near-black paints (value < 0.2) are ink: outlines, eyes, tyres — never
   recoloured, and not counted.
3. **The body.** The largest family — or the largest chromatic one when it covers at least
   ``PAINT_SHARE`` (25 %): a thing is named by its paint, so a red frame on white wheels makes a
   red bicycle — then the next largest until the chosen ones cover ``BODY_SHARE`` (60 %) of the
   coloured area. Families under ``DETAIL_SHARE`` (5 %) are details (eyes, highlights, a beak)
   and stay; a dark-grey family (windows, tyres) is part of the body only when it is the largest;
   on a painted thing (a chromatic main part) white and grey parts stay: wheels, a clock's face.
4. **Shades.** The body's main paint (its largest) becomes the asked colour itself; each other
   body paint a lighter or darker shade of it by how much lighter or darker it was than the main
   one — the relative lightness order is kept: a white sheep's wool becomes the colour and its
   light-grey face a darker shade of it; an umbrella's light and dark purples, light and dark
   shades of the asked colour. Black and white stay readable: a black thing is a dark grey (its black
   outlines still show), a white thing is near-white with light-grey shading.
"""

from __future__ import annotations

import colorsys
import io
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image

RGB = tuple[int, int, int]

BODY_SHARE = 0.6        # the chosen families cover at least this share of the coloured area
DETAIL_SHARE = 0.05     # a family smaller than this share is a detail: it keeps its colour
PAINT_SHARE = 0.25      # a chromatic family this big is the body's main part even when a white or
                        # grey one is bigger (a red frame on white wheels: a red bicycle)
INK = 0.2               # value (max channel / 255) below which a paint is ink (outline, eyes)
DARK = 0.35             # achromatic paints below this value are dark grey (windows, tyres)
HUE_SPAN = 28.0         # chromatic paints within this many degrees of a family's first are in it
GREY_SAT = 0.18         # saturation below which a paint is achromatic (white, grey)

#: OpenMoji groups holding the picture's colours (not "skin"/"hair": people are drawn by people/)
COLOUR_GROUPS = ("color", "color-foreground")

# what black and white are drawn as: the body must stay apart from the black outlines, and a
# white thing needs light-grey shading to read as a thing
BLACK_BODY: RGB = (58, 59, 63)
WHITE_BODY: RGB = (246, 246, 244)


# ---------------------------------------------------------------- colour arithmetic


def luma(rgb) -> float:
    """Perceived lightness, 0..1."""
    return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255.0


def hsv(rgb) -> tuple[float, float, float]:
    """(hue in degrees, saturation, value), all from 0..255 RGB."""
    h, s, v = colorsys.rgb_to_hsv(*(c / 255.0 for c in rgb[:3]))
    return h * 360.0, s, v


def is_ink(rgb) -> bool:
    return max(rgb[:3]) < INK * 255


def achromatic(rgb) -> bool:
    return hsv(rgb)[1] < GREY_SAT


def band(rgb) -> str:
    """dark | mid | light: the lightness band of an achromatic paint."""
    v = max(rgb[:3]) / 255.0
    return "dark" if v < DARK else "light" if v >= 0.7 else "mid"


def _mix(rgb, to, share: float) -> RGB:
    return tuple(int(round(c + (t - c) * share)) for c, t in zip(rgb, to))


def body_colour(target) -> RGB:
    """What the asked colour is drawn as on a thing's body (black and white adjusted)."""
    target = tuple(int(c) for c in target[:3])
    if max(target) - min(target) < 25:
        if luma(target) < 80 / 255:
            return BLACK_BODY
        if luma(target) > 215 / 255:
            return WHITE_BODY
    return target


def shade(target, delta: float) -> RGB:
    """The asked colour for a paint ``delta`` lighter (> 0) or darker (< 0) than the body's
    main paint (luma difference, -1..1): lighter and darker shades of it, in the same order,
    compressed so each still reads as the asked colour."""
    base = body_colour(target)
    if max(base) - min(base) < 25:   # black, white, grey, silver: move the lightness in a band
        low, high = ((28, 105) if base == BLACK_BODY else (205, 255) if base == WHITE_BODY
                     else (max(0, min(base) - 60), min(255, max(base) + 45)))
        step = (0.35 if base == WHITE_BODY else 0.55) * delta * 255
        mid = sum(base) / 3
        new = min(high, max(low, mid + step))
        return tuple(int(round(min(255, max(0, c + new - mid)))) for c in base)
    if delta >= 0:
        return _mix(base, (255, 255, 255), min(0.55, 1.0 - math.exp(-1.3 * delta)))
    return tuple(int(round(c * max(0.5, math.exp(0.9 * delta)))) for c in base)


# ---------------------------------------------------------------- choosing the body


@dataclass
class Family:
    seed: RGB
    area: float
    members: list[RGB]

    @property
    def dark(self) -> bool:
        return achromatic(self.seed) and band(self.seed) == "dark"


def families(paints: dict[RGB, float], seed_share: float = 0.001) -> list[Family]:
    """Paints (colour → area) grouped into families, largest family first; ink left out.
    Paints smaller than ``seed_share`` (a PNG's anti-aliased in-between colours) join an alike
    family but start none."""
    found: list[Family] = []
    features: list[tuple] = []   # per family: (achromatic, band, hue) of its seed
    for rgb, area in sorted(paints.items(), key=lambda p: -p[1]):
        if is_ink(rgb) or area <= 0:
            continue
        h, s, v = hsv(rgb)
        grey = s < GREY_SAT
        lightness = band(rgb) if grey else None
        for family, (f_grey, f_band, f_hue) in zip(found, features):
            if grey or f_grey:
                alike = grey and f_grey and lightness == f_band
            else:
                dh = abs(h - f_hue) % 360
                alike = min(dh, 360 - dh) <= HUE_SPAN
            if alike:
                family.area += area
                family.members.append(rgb)
                break
        else:
            if area >= seed_share:
                found.append(Family(rgb, area, [rgb]))
                features.append((grey, lightness, h))
    return sorted(found, key=lambda f: -f.area)


@dataclass(frozen=True)
class Body:
    """Which paints are the body, and its main one."""

    paints: frozenset          # colours recoloured
    main: RGB | None           # the largest of them: becomes the asked colour itself
    share: float               # the share of the coloured area they cover

    def palette(self, target) -> dict[RGB, RGB]:
        """Old colour → new colour for every body paint."""
        if self.main is None:
            return {}
        ref = luma(self.main)
        return {rgb: shade(target, luma(rgb) - ref) for rgb in self.paints}


def choose_body(paints: dict[RGB, float]) -> Body:
    """The paints that make up the thing's body (rules 2 and 3 of the module's doc)."""
    fams = families(paints)
    total = sum(f.area for f in fams)
    if not fams or total <= 0:
        return Body(frozenset(), None, 0.0)
    # a thing is named by its paint: a red frame on white wheels is a red bicycle
    painted = [f for f in fams if not achromatic(f.seed) and f.area >= PAINT_SHARE * total]
    first = painted[0] if painted else fams[0]
    chosen, covered = [first], first.area
    for k, family in enumerate(fams):
        if covered >= BODY_SHARE * total:
            break
        if family is first or (k and family.dark) or family.area < DETAIL_SHARE * total:
            continue
        if painted and achromatic(family.seed) and not family.dark:
            continue   # a painted thing's white and grey parts are not paint: wheels, a clock's face
        chosen.append(family)
        covered += family.area
    main = max(first.members, key=lambda rgb: paints[rgb])
    members = frozenset(rgb for f in chosen for rgb in f.members)
    return Body(members, main, covered / total)


# ---------------------------------------------------------------- OpenMoji SVGs

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def parse_colour(value: str | None) -> RGB | None:
    if not value:
        return None
    m = _HEX.fullmatch(value.strip())
    if not m:
        return None
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def _hex(rgb) -> str:
    return "#%02X%02X%02X" % tuple(rgb)


def _colour_elements(root: ET.Element):
    """(element, attribute, colour) for each fill and stroke in the SVG's colour groups."""
    for group in root.iter():
        if group.get("id") not in COLOUR_GROUPS:
            continue
        for element in group.iter():
            for attr in ("fill", "stroke"):
                rgb = parse_colour(element.get(attr))
                if rgb is not None:
                    yield element, attr, rgb


def _id_colour(k: int) -> RGB:
    """A made-up colour for paint ``k`` (distinct, and not one clip-art uses)."""
    return (7 + (k * 37) % 240, 251 - (k * 11) % 200, 3 + (k * 53) % 250)


def rasterise(svg: str, width: int, height: int, crisp: bool = False) -> Image.Image:
    import resvg_py

    png = resvg_py.svg_to_bytes(svg_string=svg, width=max(1, int(width)), height=max(1, int(height)),
                                skip_system_fonts=True,
                                shape_rendering="crisp_edges" if crisp else "geometric_precision")
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")


@lru_cache(maxsize=512)
def svg_paints(path: str, side: int = 96) -> dict[RGB, float]:
    """Each colour of the SVG's colour groups → the share of the picture it shows (the area it
    covers when drawn, less what other fills and the black lines hide)."""
    root = ET.parse(path).getroot()
    ids: dict[RGB, RGB] = {}
    for element, attr, rgb in _colour_elements(root):
        code = ids.setdefault(rgb, _id_colour(len(ids)))
        element.set(attr, _hex(code))
        element.attrib.pop("opacity", None)
        element.attrib.pop(f"{attr}-opacity", None)
    if not ids:
        return {}
    image = np.asarray(rasterise(ET.tostring(root, encoding="unicode"), side, side, crisp=True))
    solid = image[..., 3] == 255
    packed = (image[..., 0].astype(np.int64) << 16 | image[..., 1].astype(np.int64) << 8 | image[..., 2])[solid]
    values, counts = np.unique(packed, return_counts=True)
    seen = dict(zip(values.tolist(), counts.tolist()))
    return {rgb: seen.get(code[0] << 16 | code[1] << 8 | code[2], 0) / float(side * side)
            for rgb, code in ids.items()}


def svg_body(path: str) -> Body:
    return choose_body(svg_paints(path))


def recolour_svg(path: str, target) -> str:
    """The SVG's text with its body paints in the asked colour and its shades."""
    palette = svg_body(path).palette(target)
    root = ET.parse(path).getroot()
    for element, attr, rgb in _colour_elements(root):
        if rgb in palette:
            element.set(attr, _hex(palette[rgb]))
    return ET.tostring(root, encoding="unicode")


# ---------------------------------------------------------------- pixels (PNG clip-art)


def _quantise(rgb: np.ndarray) -> np.ndarray:
    """Colours to 32 levels a channel (packed ints), so a drawing's flat fills are few paints."""
    q = (rgb >> 3).astype(np.int64)
    return q[..., 0] << 10 | q[..., 1] << 5 | q[..., 2]


def _unpack(code: int) -> RGB:
    return (((code >> 10) & 31) * 8 + 4, ((code >> 5) & 31) * 8 + 4, (code & 31) * 8 + 4)


def recolour_pixels(image: Image.Image, target) -> tuple[Image.Image, Body]:
    """The picture with the pixels of its body (chosen by area, as for SVGs) moved to the asked
    colour: each pixel becomes the shade of it for its lightness relative to the body's main
    colour, so shading inside a fill and its order of light and dark are kept. Outlines, small
    details and parts of other colours keep theirs; transparency is untouched."""
    arr = np.asarray(image.convert("RGBA"))
    rgb, alpha = arr[..., :3], arr[..., 3]
    codes = _quantise(rgb)
    visible = alpha >= 128
    values, counts = np.unique(codes[visible], return_counts=True)
    n = max(1, int(visible.sum()))
    paints = {_unpack(int(c)): k / n for c, k in zip(values.tolist(), counts.tolist())}
    body = choose_body(paints)
    if body.main is None:
        return image.convert("RGBA"), body
    palette_codes = np.array([((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3) for r, g, b in body.paints], np.int64)
    member = np.isin(codes, palette_codes)
    # a pixel's own lightness against the main colour's: shading inside a fill is kept
    lum = (rgb.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)) / 255.0
    delta = lum - luma(body.main)
    out = rgb.astype(np.float32).copy()
    base = np.array(body_colour(target), np.float32)
    if max(base) - min(base) < 25:   # achromatic target: shade() per distinct lightness
        table = {}
        for d in np.unique(np.round(delta[member], 2)).tolist():
            table[d] = shade(target, d)
        keys = np.round(delta[member], 2)
        lut = np.array([table[k] for k in keys.tolist()], np.float32).reshape(-1, 3)
        out[member] = lut
    else:
        d = delta[member][:, None]
        lighter = np.minimum(0.55, 1.0 - np.exp(-1.3 * np.maximum(d, 0)))
        darker = np.maximum(0.5, np.exp(0.9 * np.minimum(d, 0)))
        out[member] = np.where(d >= 0, base + (255 - base) * lighter, base * darker)
    result = np.dstack([np.clip(out, 0, 255).round().astype(np.uint8), alpha])
    return Image.fromarray(result, "RGBA"), body


# ---------------------------------------------------------------- naming what was drawn

#: colour names ``pixel_names`` gives; the achromatic ones are not "paint"
ACHROMATIC_NAMES = ("black", "white", "grey", "silver")


def pixel_names(rgb: np.ndarray) -> np.ndarray:
    """A colour name for each pixel of an (n, 3) 0..255 array, by HSV (hue in degrees):
    achromatic (saturation < 0.15, or value < 0.3): black below value 0.3, white above 0.85,
    silver from 0.65, else grey; brown: hue 10–48° and dark (value < 0.62) or dull (saturation
    < 0.45, value < 0.8); red below 10° or from 345° (pink when value > 0.75 and saturation
    < 0.6); orange to 38°, gold to 48°, yellow to 70°, green to 170°, blue to 255°, purple to
    290°; then pink when value > 0.6, else purple."""
    rgb = np.asarray(rgb, np.float32).reshape(-1, 3) / 255.0
    mx, mn = rgb.max(1), rgb.min(1)
    s = np.where(mx > 0, (mx - mn) / np.maximum(mx, 1e-6), 0.0)
    d = np.maximum(mx - mn, 1e-6)
    r, g, b = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    h = np.where(mx == r, ((g - b) / d) % 6, np.where(mx == g, (b - r) / d + 2, (r - g) / d + 4)) * 60.0
    v = mx
    grey = (s < 0.15) | (v < 0.3)
    reddish = (h < 10) | (h >= 345)
    return np.select(
        [grey & (v < 0.3), grey & (v > 0.85), grey & (v >= 0.65), grey,
         (h >= 10) & (h < 48) & ((v < 0.62) | ((s < 0.45) & (v < 0.8))),
         reddish & (v > 0.75) & (s < 0.6), reddish, h < 38, h < 48, h < 70, h < 170, h < 255, h < 290, v > 0.6],
        ["black", "white", "silver", "grey", "brown", "pink", "red", "orange", "gold", "yellow", "green", "blue",
         "purple", "pink"], "purple").astype(object)


def seen_colour(image: Image.Image) -> str | None:
    """The colour a person would name a drawn thing by: of its opaque pixels that are not
    outline (value ≥ 0.12), the commonest chromatic name when it covers a third of them (a red
    bicycle on white wheels is red), else the commonest name. None for an empty picture."""
    arr = np.asarray(image.convert("RGBA"))
    rgb = arr[..., :3][arr[..., 3] >= 200]
    rgb = rgb[rgb.max(1) >= 0.12 * 255]
    if not len(rgb):
        return None
    names, counts = np.unique(pixel_names(rgb), return_counts=True)
    order = sorted(zip(names.tolist(), counts.tolist()), key=lambda p: -p[1])
    paint = [(n, c) for n, c in order if n not in ACHROMATIC_NAMES]
    if paint and paint[0][1] * 3 >= len(rgb):
        return paint[0][0]
    return order[0][0]
