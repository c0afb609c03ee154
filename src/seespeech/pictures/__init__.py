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

import threading

from seespeech.errors import OptionError, options_from
from seespeech.pictures.options import (  # noqa: F401  (the package's face)
    DEFAULT_IMAGE_ENGINE, IMAGE_ENGINES, MAX_COUNT, MAX_SIDE, MIN_SIDE, Generation, ImageEngine, ImageProgressFn,
    ImagineOptions, parse_size,
)

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
                from seespeech.pictures.compose import ComposeEngine

                _engines[key] = ComposeEngine()
            else:
                from seespeech.pictures.diffusion import DiffusionEngine

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
    opts = options_from(ImagineOptions, "imagine", **options)
    if not prompt or not prompt.strip():
        raise OptionError("nothing to draw: the prompt is empty")
    return load_image_engine(engine, model).generate(prompt.strip(), opts.validated(), progress)
