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
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import ImageError, NotInstalledError

#: images larger than this (pixels) are refused rather than run for minutes
MAX_PIXELS = 40_000_000
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


def open_image(image, name: str = "<image>"):
    """A PIL image (RGB) from a path, bytes, a file object, an array or an image; a clear error
    for anything that is not one."""
    from PIL import Image, UnidentifiedImageError

    if isinstance(image, Image.Image):
        return image.convert("RGB")
    if isinstance(image, np.ndarray):
        return Image.fromarray(image).convert("RGB")
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
            if opened.width * opened.height > MAX_PIXELS:
                raise ImageError(name, f"the image is {opened.width}×{opened.height}; at most {MAX_PIXELS:,} "
                                       "pixels are read")
            return opened.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ImageError(name, "not an image Pillow can read (png, jpg, webp, …)") from None


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self):
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError:
            raise NotInstalledError("reading text from images needs the ocr extra: pip install 'seespeech[ocr]'") from None
        self.model = RapidOCR()
        self._lock = threading.Lock()

    def read(self, image) -> ReadResult:
        picture = open_image(image)
        with self._lock:
            found, _ = self.model(np.asarray(picture))
        boxes = [TextLine(text, [[float(x), float(y)] for x, y in box], round(float(score), 4))
                 for box, text, score in (found or []) if str(text).strip()]
        lines = join_lines(boxes)
        return ReadResult("\n".join(line.text for line in lines), lines, picture.width, picture.height)


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


def read_text(image) -> ReadResult:
    """The text in an image (a path, bytes, a file object, a numpy array or a PIL image)."""
    return load_ocr().read(image)
