"""What every text → picture engine takes and gives: ``ImagineOptions`` (validated once),
``Generation`` (pictures, plans, credits) and the ``ImageEngine`` protocol. The engines
(compose.py, diffusion.py) import these from here, never from the package."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from PIL import Image

from pydantic import Field

from seespeech.errors import OptionError
from seespeech.schema import Schema

IMAGE_ENGINES = ("compose", "diffusion")
DEFAULT_IMAGE_ENGINE = "compose"
MAX_COUNT = 8
MIN_SIDE, MAX_SIDE = 64, 2048

#: progress callback: (steps done, total steps)
ImageProgressFn = Callable[[int, int], None]


class PictureSchema(Schema):
    """The picture options a user sets: one declaration for the library, the CLI and the server."""

    seed: int = Field(0, ge=0, le=2**31 - 1, description="Same seed, same picture; picture i of count uses seed + i.")
    count: int = Field(1, ge=1, le=MAX_COUNT, description="Pictures to make.")
    side: int | None = Field(None, ge=MIN_SIDE, le=MAX_SIDE, description="A picture's width or height, in pixels.")
    steps: int | None = Field(None, ge=1, le=200, description="diffusion: denoising steps.")
    guidance: float | None = Field(None, ge=0, le=50, description="diffusion: guidance scale.")


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
        for name in ("count", "seed", "steps", "guidance"):
            PictureSchema.check(name, getattr(self, name))
        for side in ("width", "height"):
            PictureSchema.check("side", getattr(self, side), param=side)
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
