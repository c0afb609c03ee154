"""OpenMoji busts: rasterised with resvg, measured (skin, clothes, width, bottom), their clothes
recoloured, cut to the head and shoulders, cached."""

from __future__ import annotations

import colorsys
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
import numpy as np
from PIL import Image
from seespeech.pictures.assets import load_catalogue

from seespeech.pictures.people.spec import OPENMOJI_UNITS, _MID, _RENDER


# -- colours ----------------------------------------------------------------------------


def _rgb(hexcode: str) -> tuple[int, int, int]:
    h = hexcode.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _hex(rgb) -> str:
    return "#%02X%02X%02X" % tuple(int(c) for c in rgb[:3])


def _rgba(rgb) -> tuple[int, int, int, int]:
    return (int(rgb[0]), int(rgb[1]), int(rgb[2]), 255)


def _shade(rgb, factor: float) -> tuple[int, int, int]:
    return tuple(int(max(0, min(255, round(c * factor)))) for c in rgb[:3])


# -- busts ------------------------------------------------------------------------------

_ELEMENT = re.compile(r"<(?:path|polygon|polyline|rect|line|circle|ellipse)\b[^>]*?/>", re.S)


@lru_cache(maxsize=128)
def _svg_text(code: str) -> str:
    return Path(load_catalogue().files[code]).read_text()


def _render_svg(text: str, side: int) -> Image.Image:
    import resvg_py

    png = resvg_py.svg_to_bytes(svg_string=text, width=side, height=side)
    return Image.open(io.BytesIO(bytes(png))).convert("RGBA")


@lru_cache(maxsize=64)
def _element_boxes(code: str) -> tuple[tuple[int, int, tuple[float, float, float, float] | None], ...]:
    """Each drawable element of the bust's SVG: (start, end, bounding box in OpenMoji units),
    found by rasterising it alone (OpenMoji SVGs have no transforms)."""
    text = _svg_text(code)
    head = text[:text.index(">", text.index("<svg")) + 1]
    side = 72  # one pixel per unit is precise enough
    scale = side / OPENMOJI_UNITS
    boxes = []
    for match in _ELEMENT.finditer(text):
        alone = _render_svg(head + match.group(0) + "</svg>", side)
        box = alone.getchannel("A").point(lambda a: 255 if a > 40 else 0).getbbox()
        boxes.append((match.start(), match.end(), tuple(v / scale for v in box) if box else None))
    return tuple(boxes)


#: clothing is recoloured only in elements wholly below this line (not hats, hair or faces)
_CLOTHES_TOP = 38.0


def _edited_svg(code: str, keep_x: tuple[float, float] | None, recolour: tuple = (),
                everywhere: bool = False) -> str:
    """The bust's SVG without the elements that reach outside ``keep_x`` (a blackboard), with
    ``recolour`` ((old hex, new hex), ...) applied to the clothes (or everywhere)."""
    text = _svg_text(code)
    if keep_x is None and not recolour:
        return text
    if everywhere and keep_x is None:
        for old, new in recolour:
            text = re.sub(re.escape(old), new, text, flags=re.I)
        return text
    out, last = [], 0
    for begin, finish, box in _element_boxes(code):
        out.append(text[last:begin])
        element = text[begin:finish]
        last = finish
        if keep_x is not None and box is not None and (box[0] < keep_x[0] or box[2] > keep_x[1]):
            continue
        if recolour and (everywhere or (box is not None and box[1] >= _CLOTHES_TOP)):
            for old, new in recolour:
                element = re.sub(re.escape(old), new, element, flags=re.I)
        out.append(element)
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True)
class _Bust:
    """A rasterised bust and where its parts are, in OpenMoji units."""

    image: Image.Image  # RGBA, the whole 72-unit box at _RENDER px (not cropped)
    bottom: float  # lowest row of the shoulders
    half: float  # half-width of the shoulders just above the bottom
    top: float  # highest visible row over the head
    shirt: tuple[int, int, int]
    shades: tuple[tuple[tuple[int, int, int], float], ...]  # other tones of the shirt: (colour, lum ratio)
    skin: tuple[int, int, int]


def _top_colours(pixels: np.ndarray) -> list[tuple[tuple[int, int, int], int]]:
    if pixels.size == 0:
        return []
    keys = (pixels[:, 0].astype(np.int64) << 16) | (pixels[:, 1].astype(np.int64) << 8) | pixels[:, 2]
    values, counts = np.unique(keys, return_counts=True)
    order = np.argsort(-counts)
    return [(((int(v) >> 16) & 255, (int(v) >> 8) & 255, int(v) & 255), int(c))
            for v, c in zip(values[order], counts[order])]


def _analyse(image: Image.Image, skin_hex: str | None = None) -> _Bust:
    arr = np.asarray(image)
    alpha = arr[..., 3]
    u = image.width / OPENMOJI_UNITS
    centre = int(_MID * u)
    band = alpha[:, int(centre - 6 * u):int(centre + 6 * u)] > 128
    rows = np.nonzero(band.any(axis=1))[0]
    if rows.size == 0:
        return _Bust(image, 61.0, 19.0, 12.0, (146, 211, 245), (), (252, 234, 43))
    bottom_px, top_px = int(rows[-1]), int(rows[0])
    probe = max(0, bottom_px - int(2 * u))
    line = alpha[probe] > 128
    left = centre
    while left > 0 and line[left - 1]:
        left -= 1
    right = centre
    while right < image.width - 1 and line[right + 1]:
        right += 1
    half_px = max(4 * u, min(centre - left, right - centre))
    # clothing: the commonest flat colour just above the bottom, between the shoulders
    y0, y1 = int(bottom_px - 6 * u), int(bottom_px - 0.5 * u)
    x0, x1 = int(centre - half_px + 2.5 * u), int(centre + half_px - 2.5 * u)
    patch = arr[max(0, y0):y1, max(0, x0):x1].reshape(-1, 4)
    patch = patch[patch[:, 3] == 255][:, :3]
    patch = patch[patch.max(axis=1) > 45]
    colours = _top_colours(patch)
    shirt = colours[0][0] if colours else (146, 211, 245)
    shades = []
    if colours:
        h0, l0, s0 = colorsys.rgb_to_hls(*(c / 255 for c in shirt))
        for colour, count in colours[1:6]:
            if count < 0.08 * colours[0][1]:
                break
            h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))
            same_hue = min(abs(h - h0), 1 - abs(h - h0)) < 0.07 and s > 0.2 and s0 > 0.2
            if same_hue and l0 > 0:
                shades.append((colour, l / l0))
    # skin: the SVG's skin layer, else the commonest bright colour over the cheeks
    if skin_hex:
        return _Bust(image, bottom_px / u, half_px / u, top_px / u, shirt, tuple(shades), _rgb(skin_hex))
    face = arr[int(32 * u):int(37 * u), int(28 * u):int(44 * u)].reshape(-1, 4)
    face = face[face[:, 3] == 255][:, :3]
    face = face[face.max(axis=1) > 90]
    skins = _top_colours(face)
    skin = skins[0][0] if skins else (252, 234, 43)
    return _Bust(image, bottom_px / u, half_px / u, top_px / u, shirt, tuple(shades), skin)


def _bust(code: str, keep_x: tuple[float, float] | None = None, shirt: str | None = None,
          side: int = _RENDER, everywhere: bool = False) -> _Bust:
    """The bust, optionally without far-out elements and with its clothing recoloured."""
    return _bust_cached(code, keep_x, shirt, side, everywhere and shirt is not None)


@lru_cache(maxsize=96)
def _bust_cached(code: str, keep_x, shirt, side: int, everywhere: bool) -> _Bust:
    if shirt is None:
        text = _edited_svg(code, keep_x)
        return _analyse(_render_svg(text, side), _skin_hex(text))
    plain = _bust(code, keep_x, None, _RENDER)
    new = _rgb(shirt)
    pairs = [(_hex(plain.shirt), _hex(new))]
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in new))
    for colour, ratio in plain.shades:
        r, g, b = colorsys.hls_to_rgb(h, max(0.0, min(1.0, l * ratio)), s)
        pairs.append((_hex(colour), _hex((r * 255, g * 255, b * 255))))
    image = _render_svg(_edited_svg(code, keep_x, tuple(pairs), everywhere), side)
    # where things are does not change with colour; keep the plain measurements
    return _Bust(image, plain.bottom, plain.half, plain.top, new, (), plain.skin)


def _skin_hex(text: str) -> str | None:
    group = re.search(r'<g id="skin">(.*?)</g>', text, re.S)
    fill = re.search(r'fill="(#[0-9a-fA-F]{6})"', group.group(1)) if group else None
    return fill.group(1) if fill else None


@lru_cache(maxsize=64)
def _scaled(code: str, keep_x, shirt, px_per_unit: float, mirror: bool, everywhere: bool = False) -> Image.Image:
    """The bust's whole 72-unit box at ``px_per_unit``, mirrored if asked."""
    side = _RENDER
    while side * 1.15 < px_per_unit * OPENMOJI_UNITS and side < 4096:
        side *= 2
    image = _bust(code, keep_x, shirt, side, everywhere).image
    target = max(2, round(px_per_unit * OPENMOJI_UNITS))
    image = image.resize((target, target), Image.LANCZOS)
    return image.transpose(Image.FLIP_LEFT_RIGHT) if mirror else image
