"""Image → text (OCR) with RapidOCR: PP-OCR detection, direction and recognition models that
ship inside the ``rapidocr-onnxruntime`` wheel (Apache-2.0), run by ONNX Runtime on the CPU.

    result = seespeech.read_text("sign.png")
    result.text                 # the lines, top to bottom, words left to right
    result.lines[0].box         # four corners, in pixels
    result.lines[0].confidence

RapidOCR finds text as boxes, sometimes several on one line; boxes whose heights overlap
mostly are joined into one line, left to right.
"""

from __future__ import annotations

import io
import os
import re
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from seespeech.errors import ImageError, NotInstalledError

#: images larger than this (pixels) are refused rather than run for minutes
MAX_PIXELS = 40_000_000
#: OCR refuses images with a side under this many pixels, or a side more than MAX_ASPECT times the other
MIN_SIDE = 8
MAX_ASPECT = 50
#: images are shrunk to this longest side before the model: RapidOCR shrinks them to its ``max_side_len``
#: (2000) anyway, the same way, and reads the lines in that copy, so the text is the same while the
#: full-size copies it made (an 8000×5000 image: 120 MB each) are freed before the model runs
MAX_SIDE = 2000
#: two boxes are on one line when their vertical overlap is at least this share of the shorter
LINE_OVERLAP = 0.5


@dataclass
class TextLine:
    text: str
    #: the corners, clockwise from the top left, in pixels
    box: list[list[float]]
    confidence: float


@dataclass
class ReadResult:
    text: str
    lines: list[TextLine] = field(default_factory=list)
    width: int = 0
    height: int = 0
    engine: str = "rapidocr"

    def to_dict(self) -> dict:
        return asdict(self)


def open_image(image, name: str | None = None):
    """A PIL image (RGB) from a path, bytes, a file object, an array or an image; a clear error
    for anything that is not one. ``name``: what messages call it (a path names itself)."""
    return _open(image, name)[0]


def _open(image, name: str | None = None, check=None):
    """(the image as RGB, its size). ``check(name, width, height)`` sees the size before anything
    is decoded."""
    from PIL import Image, UnidentifiedImageError

    name = name or "<image>"
    if isinstance(image, (Image.Image, np.ndarray)):
        if isinstance(image, np.ndarray):
            if image.ndim not in (2, 3) or 0 in image.shape[:2]:
                raise ImageError(name, f"expected an array of shape (height, width[, channels]), got {image.shape}")
            if check:
                check(name, image.shape[1], image.shape[0])
            try:
                image = Image.fromarray(image)
            except (TypeError, ValueError) as exc:
                raise ImageError(name, f"not an image array ({exc})") from None
        elif check:
            check(name, *image.size)
        size = image.size
        return image.convert("RGB"), size
    if isinstance(image, (str, os.PathLike)):
        name = str(image)
        if not Path(image).is_file():
            raise ImageError(name, "no such file")
        source = image
    elif isinstance(image, (bytes, bytearray)):
        source = io.BytesIO(image)
    else:
        source = image
    try:
        with Image.open(source) as opened:
            size = opened.size
            if opened.width * opened.height > MAX_PIXELS:
                raise ImageError(name, f"the image is {opened.width}×{opened.height}; at most {MAX_PIXELS:,} "
                                       "pixels are read")
            if check:
                check(name, *size)
            return opened.convert("RGB"), size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow refuses to open an image this large at all (its guard against decompression bombs)
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        has = f"has {int(pixels.group(1)):,} pixels" if pixels else "is larger than Pillow opens"
        raise ImageError(name, f"the image {has}; at most {MAX_PIXELS:,} pixels are read") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageError(name, "not an image Pillow can read (png, jpg, webp, …)") from None


def _fit(array: np.ndarray, max_side: int) -> np.ndarray:
    """The array shrunk as RapidOCR's own ``reduce_max_side`` shrinks it (longest side to
    ``max_side``, both sides rounded to multiples of 32, OpenCV's bilinear), so the model sees the
    same pixels it saw when RapidOCR did this itself, from a copy we can free at once."""
    import cv2

    height, width = array.shape[:2]
    if max(height, width) <= max_side:
        return array
    ratio = max_side / max(height, width)
    size = (max(32, round(int(width * ratio) / 32) * 32), max(32, round(int(height * ratio) / 32) * 32))
    return cv2.resize(array, size)


def check_shape(name: str, width: int, height: int) -> None:
    """What OCR refuses before decoding: a side under ``MIN_SIDE`` or a side more than
    ``MAX_ASPECT`` times the other (RapidOCR fails on such strips, or pads them into images
    hundreds of times larger than the upload)."""
    if min(width, height) < MIN_SIDE:
        raise ImageError(name, f"the image is {width}×{height} pixels; OCR reads images at least {MIN_SIDE} "
                               "pixels on each side")
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise ImageError(name, f"the image is {width}×{height} pixels; OCR reads images at most {MAX_ASPECT} "
                               "times as wide as tall (or tall as wide): crop it into pieces")


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self):
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            raise NotInstalledError("reading text from images needs the ocr extra: pip install 'seespeech[ocr]'") from None
        self.model = RapidOCR()
        self._lock = threading.Lock()

    def read(self, image, name: str | None = None) -> ReadResult:
        from seespeech.memory import release_free_memory

        picture, (width, height) = _open(image, name, check_shape)
        try:
            pixels = np.asarray(picture)
            del picture
            pixels = _fit(pixels, MAX_SIDE)
            sx, sy = width / pixels.shape[1], height / pixels.shape[0]
            with self._lock:
                found, _ = self.model(pixels)
        finally:
            pixels = picture = None
            # the decoded image, its copies and the detector's maps are free now, but glibc keeps
            # most of those pages (~300 MB after an 8000×5000 image) unless asked to give them back
            release_free_memory()
        boxes = [TextLine(text, [[float(x) * sx, float(y) * sy] for x, y in box], round(float(score), 4))
                 for box, text, score in (found or []) if str(text).strip()]
        lines = join_lines(boxes)
        return ReadResult("\n".join(line.text for line in lines), lines, width, height)


def join_lines(boxes: list[TextLine]) -> list[TextLine]:
    """Boxes on one line joined left to right; lines top to bottom."""
    def span(line: TextLine) -> tuple[float, float]:
        ys = [y for _, y in line.box]
        return min(ys), max(ys)

    rows: list[list[TextLine]] = []
    for box in sorted(boxes, key=lambda b: span(b)[0]):
        top, bottom = span(box)
        for row in rows:
            row_top, row_bottom = span(row[0])
            overlap = min(bottom, row_bottom) - max(top, row_top)
            if overlap >= LINE_OVERLAP * min(bottom - top, row_bottom - row_top):
                row.append(box)
                break
        else:
            rows.append([box])
    lines = []
    for row in rows:
        row.sort(key=lambda b: min(x for x, _ in b.box))
        xs = [x for b in row for x, _ in b.box]
        ys = [y for b in row for _, y in b.box]
        text = " ".join(" ".join(b.text.split()) for b in row)
        confidence = sum(b.confidence * len(b.text) for b in row) / max(1, sum(len(b.text) for b in row))
        lines.append(TextLine(text, [[min(xs), min(ys)], [max(xs), min(ys)], [max(xs), max(ys)], [min(xs), max(ys)]],
                              round(confidence, 4)))
    return lines


@lru_cache(maxsize=None)
def load_ocr() -> RapidOcrEngine:
    return RapidOcrEngine()


def ocr_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def read_text(image, name: str | None = None) -> ReadResult:
    """The text in an image (a path, bytes, a file object, a numpy array or a PIL image);
    ``name``: what messages call it (an upload's file name; a path names itself)."""
    return load_ocr().read(image, name)
