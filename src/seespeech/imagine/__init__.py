"""Text → picture engines behind one small protocol.

An engine takes an English scene description and ``ImagineOptions`` and returns a
``Generation``: one PIL image per requested picture, plus a plan per picture when
the engine has one (the ``compose`` engine says which word became which asset
where; ``diffusion`` has no plan to give).

* ``compose`` (default): offline scene composer from packaged clip-art, no weights.
* ``diffusion``: a Stable-Diffusion-class model through diffusers; needs the
  ``diffusion`` extra and weights (a local folder, or a hub id when online).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from PIL import Image

from ..errors import OptionError

IMAGE_ENGINES = ("compose", "diffusion")
DEFAULT_IMAGE_ENGINE = "compose"
MAX_COUNT = 8
MIN_SIDE, MAX_SIDE = 64, 2048

#: progress callback: (steps done, total steps)
ImageProgressFn = Callable[[int, int], None]


@dataclass
class ImagineOptions:
    """How to draw; ``None`` means "the engine's (model's) own default"."""

    seed: int = 0
    width: int | None = None
    height: int | None = None
    #: pictures per prompt; picture i uses seed + i
    count: int = 1
    #: diffusion only
    steps: int | None = None
    guidance: float | None = None
    negative_prompt: str | None = None
    tiny_vae: bool = False
    #: compose only: draw things that have no picture as labelled cards (default: leave them
    #: out of the picture; the plan lists them as unmatched, with why)
    labels: bool = False

    def validated(self) -> "ImagineOptions":
        if not 1 <= self.count <= MAX_COUNT:
            raise OptionError(f"count must be between 1 and {MAX_COUNT}, not {self.count}", "count")
        for side in ("width", "height"):
            value = getattr(self, side)
            if value is not None and not MIN_SIDE <= value <= MAX_SIDE:
                raise OptionError(f"{side} must be between {MIN_SIDE} and {MAX_SIDE} pixels, not {value}", side)
        if self.steps is not None and self.steps < 1:
            raise OptionError("steps must be at least 1", "steps")
        if self.guidance is not None and self.guidance < 0:
            raise OptionError("guidance must be 0 or more", "guidance")
        if self.seed < 0:
            raise OptionError("seed must be 0 or more", "seed")
        return self


def parse_size(text: str) -> tuple[int, int]:
    """'512x384' → (512, 384); '512' → (512, 512)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:[x×*]\s*(\d+))?\s*", text or "")
    if not match:
        raise OptionError(f"size must look like 512x512 (width x height), not '{text}'", "size")
    width = int(match.group(1))
    height = int(match.group(2) or width)
    ImagineOptions(width=width, height=height).validated()
    return width, height


@dataclass
class Generation:
    """What an engine returns for one prompt."""

    images: list[Image.Image]
    #: one plan per image (JSON-ready dicts); empty dicts when the engine has none
    plans: list[dict[str, Any]] = field(default_factory=list)
    engine: str = ""
    #: e.g. "openmoji+openclipart" or a model id / folder
    model: str = ""
    #: attribution / licence lines the images must carry
    credits: list[str] = field(default_factory=list)


class ImageEngine(Protocol):
    """What every text → picture engine offers."""

    name: str

    def generate(
        self, prompt: str, options: ImagineOptions, progress: ImageProgressFn | None = None
    ) -> Generation: ...


_engines: dict[tuple, ImageEngine] = {}
_engines_lock = threading.Lock()


def load_image_engine(engine: str = DEFAULT_IMAGE_ENGINE, model: str | None = None) -> ImageEngine:
    """Load an engine once per process and reuse it (pipelines are slow to build)."""
    if engine not in IMAGE_ENGINES:
        raise OptionError(f"unknown picture engine '{engine}': choose one of {', '.join(IMAGE_ENGINES)}")
    key = (engine, model)
    with _engines_lock:
        if key not in _engines:
            if engine == "compose":
                from .compose import ComposeEngine

                _engines[key] = ComposeEngine()
            else:
                from .diffusion import DiffusionEngine

                _engines[key] = DiffusionEngine(model)
        return _engines[key]


def imagine(
    prompt: str,
    *,
    engine: str = DEFAULT_IMAGE_ENGINE,
    model: str | None = None,
    progress: ImageProgressFn | None = None,
    **options,
) -> Generation:
    """Draw ``prompt`` (English). Keyword options are the fields of ``ImagineOptions``."""
    try:
        opts = ImagineOptions(**options)
    except TypeError as exc:
        raise OptionError(str(exc).replace("ImagineOptions.__init__()", "imagine()")) from None
    if not prompt or not prompt.strip():
        raise OptionError("nothing to draw: the prompt is empty")
    return load_image_engine(engine, model).generate(prompt.strip(), opts.validated(), progress)
