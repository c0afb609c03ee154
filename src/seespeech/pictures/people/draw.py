"""``draw_person``: a figure at a height, facing left or right, with its anchors (hand, seat,
head, feet); figures cached by size bucket."""

from __future__ import annotations

from functools import lru_cache
from PIL import Image

from seespeech.pictures.people.spec import Figure, POSES, PersonSpec, normalise
from seespeech.pictures.people.body import _compose, _look


# -- the public call --------------------------------------------------------------------


def _bucket(height_px: int) -> int:
    """Heights drawn: exact up to 96 px, then in steps of about 2 %."""
    if height_px <= 96:
        return height_px
    step = 2 if height_px <= 200 else 4 if height_px <= 400 else 8
    return int(round(height_px / step) * step)


@lru_cache(maxsize=256)
def _figure(spec: PersonSpec, pose: str, height_px: int, colour) -> tuple[Image.Image, dict, str]:
    look = _look(spec, colour)
    image, anchors = _compose(look, pose, height_px)
    return image, anchors, look.code


def draw_person(spec: PersonSpec, pose: str = "stand", height_px: int = 200, *, facing: str = "right",
                colour: tuple[int, int, int] | None = None) -> Figure:
    """``spec`` as a figure ``height_px`` tall when standing (feet to the top of the head;
    a hat or raised arm may add to it), in ``pose``, facing ``facing`` ("right" or "left"),
    its clothes recoloured to ``colour`` if given.

    A lying figure is about ``height_px`` wide; sitting, riding and kneeling ones are
    shorter. Anchors are image pixels. The returned image is the caller's to change.
    """
    spec = normalise(spec)
    pose = pose if pose in POSES else "stand"
    height_px = max(8, int(round(height_px)))
    colour = tuple(int(c) for c in colour[:3]) if colour is not None else None
    drawn = _bucket(height_px)
    image, anchors, code = _figure(spec, pose, drawn, colour)
    if drawn != height_px:
        k = height_px / drawn
        size = (max(1, round(image.width * k)), max(1, round(image.height * k)))
        image = image.resize(size, Image.LANCZOS)
        anchors = {n: (x * k, y * k) for n, (x, y) in anchors.items()}
    else:
        image = image.copy()
    w, h = image.size
    out = {}
    for name, (x, y) in anchors.items():
        out[name] = (min(w - 1, max(0, int(round(x)))), min(h - 1, max(0, int(round(y)))))
    out["feet"] = (out["feet"][0], h - 1)
    if facing == "left":
        image = image.transpose(Image.FLIP_LEFT_RIGHT)
        out = {n: (w - 1 - x, y) for n, (x, y) in out.items()}
    return Figure(image, out, code)
