"""The ``diffusion`` picture engine: a Stable-Diffusion-class model through diffusers.

The model is, in this order:

1. a local folder holding a diffusers pipeline (``model_index.json`` beside the
   component folders), as written by ``save_pretrained``;
2. a Hugging Face hub id (default ``stabilityai/sd-turbo``), taken from the local hub
   cache, or downloaded when the machine is online.

No text-to-image weights ship in any package registry, so unlike Whisper there is no
packaged fallback: when nothing fits, ``ModelNotFoundError`` says to pass a folder,
fetch the id once online, or use the offline ``compose`` engine.

torch, diffusers and transformers are the optional ``diffusion`` extra; they are
imported only when this engine is built, so the rest of seespeech never pays for them.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import threading
from pathlib import Path
from typing import Any, Callable, Iterator

from seespeech.errors import ModelNotFoundError, OptionError
from seespeech.models import hub_folder, looks_like_path
from seespeech.pictures.options import Generation, ImageProgressFn, ImagineOptions

DEFAULT_DIFFUSION_MODEL = "stabilityai/sd-turbo"

#: tiny decoders (~5 MB) that stand in for the full VAE: much faster, a little softer
TINY_VAE_SD = "madebyollin/taesd"
TINY_VAE_SDXL = "madebyollin/taesdxl"
#: folder or hub id of the tiny VAE, overriding the two above (for offline machines)
TINY_VAE_ENV = "SEESPEECH_TINY_VAE"

EXTRA_HINT = "the diffusion engine needs the optional extra: pip install 'seespeech[diffusion]'"

#: adversarially distilled models (sd-turbo, sdxl-turbo) are trained for 1–4 steps without
#: classifier-free guidance, at 512×512; more steps make pictures worse, not better
TURBO_STEPS, TURBO_MAX_STEPS, TURBO_GUIDANCE, TURBO_SIDE = 1, 4, 0.0, 512
#: the usual defaults of ordinary Stable Diffusion checkpoints
STEPS, GUIDANCE = 25, 7.5
#: the VAE and the UNet work on 8-pixel blocks; the pipeline would reject other sizes
SIDE_MULTIPLE = 8

#: a hub lookup should fail fast on a machine whose network is filtered


def _import_extra() -> tuple[Any, Any]:
    """Import torch and diffusers, or say how to install them."""
    try:
        import torch
        import diffusers

        # the text encoders: without it diffusers fails only later, with a longer message
        importlib.import_module("transformers")
    except ImportError:
        raise ModelNotFoundError(EXTRA_HINT) from None
    return torch, diffusers


@contextlib.contextmanager
def _quiet_loading(diffusers_warnings: bool = True) -> Iterator[None]:
    """Hide library chatter while a pipeline loads, then put the settings back.

    transformers warns that torchvision is missing (it falls back to PIL image processors,
    which is all a text-to-image pipeline needs) and both libraries draw per-component
    loading bars: noise next to seespeech's own progress. diffusers' warnings stay on unless
    ``diffusers_warnings`` is false (its "Couldn't connect to the Hub" repeats what our own
    error says), and huggingface_hub's download bars stay, since a first download takes minutes.
    """
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    verbosity = (transformers_logging.get_verbosity(), diffusers_logging.get_verbosity())
    bars = (transformers_logging.is_progress_bar_enabled(), diffusers_logging.is_progress_bar_enabled())
    transformers_logging.set_verbosity_error()
    if not diffusers_warnings:
        diffusers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    diffusers_logging.disable_progress_bar()
    try:
        yield
    finally:
        transformers_logging.set_verbosity(verbosity[0])
        diffusers_logging.set_verbosity(verbosity[1])
        if bars[0]:
            transformers_logging.enable_progress_bar()
        if bars[1]:
            diffusers_logging.enable_progress_bar()


def _not_found(name: str, reason: str) -> ModelNotFoundError:
    return ModelNotFoundError(
        f"diffusion model '{name}' is not on this machine and {reason}: no text-to-image weights "
        "ship in any package registry, so pass --image-model DIR with a local diffusers pipeline folder, "
        "run once online to fetch the hub id, or use the default offline engine --engine compose"
    )


def resolve_pipeline_folder(name: str) -> Path:
    """Return the folder of the diffusers pipeline that ``name`` stands for."""
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "model_index.json").is_file():
            raise ModelNotFoundError(
                f"{name}: this folder is not a diffusers pipeline (it needs model_index.json, "
                "as written by save_pretrained)"
            )
        return path
    if looks_like_path(name):
        raise ModelNotFoundError(
            f"{name}: no such model folder; pass --image-model DIR with a diffusers pipeline folder, "
            "a hub id, or use the default offline engine --engine compose"
        )
    from diffusers import DiffusionPipeline

    def download(local_files_only: bool) -> str:
        with _quiet_loading(diffusers_warnings=False):
            return DiffusionPipeline.download(name, local_files_only=local_files_only)

    return hub_folder(name, lambda reason: _not_found(name, reason), download=download)


def resolve_vae_folder(name: str) -> Path:
    """Return the folder of the tiny VAE that ``name`` stands for (folder or hub id)."""
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(f"{name}: this folder is not a diffusers VAE (it needs config.json)")
        return path
    if looks_like_path(name):
        raise ModelNotFoundError(f"{name}: no such tiny VAE folder")
    def not_found(reason: str) -> ModelNotFoundError:
        return ModelNotFoundError(
            f"tiny VAE '{name}' is not on this machine and {reason}: run once online to fetch it, point "
            f"{TINY_VAE_ENV} at a local AutoencoderTiny folder, or drop --tiny-vae"
        )

    return hub_folder(name, not_found, patterns=["config.json", "diffusion_pytorch_model.safetensors"])


def is_turbo(model: str) -> bool:
    """sd-turbo / sdxl-turbo and their copies: named so on the hub and, by habit, on disk."""
    return "turbo" in model.lower()


class DiffusionEngine:
    """Text → picture with one diffusers pipeline, loaded once and reused.

    ``load_image_engine`` caches engines per (engine, model), so the slow load happens
    once per process. Pipelines are not thread-safe: ``generate`` runs one call at a time.
    """

    name = "diffusion"

    def __init__(self, model: str | None = None, *, tiny_vae_model: str | None = None):
        self._torch, diffusers = _import_extra()
        self.model_name = str(model or DEFAULT_DIFFUSION_MODEL)
        self.turbo = is_turbo(self.model_name)
        self._tiny_vae_model = tiny_vae_model
        folder = resolve_pipeline_folder(self.model_name)

        torch = self._torch
        if torch.cuda.is_available():
            self.device, self.dtype = "cuda", torch.float16
        else:  # fp16 on CPU is slow or unsupported for many ops
            self.device, self.dtype = "cpu", torch.float32
        with _quiet_loading():
            try:
                # the safety checker is loaded if, and as, the pipeline folder declares it
                pipe = diffusers.AutoPipelineForText2Image.from_pretrained(folder, dtype=self.dtype)
            except (OSError, ValueError, KeyError) as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise ModelNotFoundError(
                    f"{self.model_name}: could not load the diffusers pipeline: {first}"
                ) from None
        pipe = pipe.to(self.device)
        pipe.set_progress_bar_config(disable=True)
        self.pipe = pipe
        self._full_vae = pipe.vae
        self._tiny_vae: Any = None
        self._tiny_vae_label = ""
        self._takes_callback = "callback_on_step_end" in inspect.signature(pipe.__call__).parameters
        self._lock = threading.Lock()

    # -- settings -----------------------------------------------------------------

    def default_side(self) -> int | None:
        """The pipeline's own picture side: the UNet's sample size in pixels."""
        if self.turbo:
            return TURBO_SIDE
        unet = getattr(self.pipe, "unet", None)
        sample = getattr(getattr(unet, "config", None), "sample_size", None)
        scale = getattr(self.pipe, "vae_scale_factor", None)
        if isinstance(sample, (list, tuple)):
            sample = sample[0]
        return int(sample) * int(scale) if sample and scale else None

    def settings(self, options: ImagineOptions) -> dict[str, Any]:
        """Steps, guidance and size for ``options``: ``None`` fields take the model's defaults."""
        steps = options.steps if options.steps is not None else (TURBO_STEPS if self.turbo else STEPS)
        if self.turbo and not 1 <= steps <= TURBO_MAX_STEPS:
            raise OptionError(
                f"{self.model_name} is a turbo model: it draws in 1 to {TURBO_MAX_STEPS} steps, not {steps}"
            )
        guidance = options.guidance if options.guidance is not None else (TURBO_GUIDANCE if self.turbo else GUIDANCE)
        side = self.default_side()
        width = options.width if options.width is not None else side
        height = options.height if options.height is not None else side
        for label, value in (("width", width), ("height", height)):
            if value is not None and value % SIDE_MULTIPLE:
                raise OptionError(
                    f"{label} must be a multiple of {SIDE_MULTIPLE} pixels for the diffusion engine, not {value}"
                )
        return {"steps": int(steps), "guidance": float(guidance), "width": width, "height": height}

    # -- tiny VAE -----------------------------------------------------------------

    def _tiny_vae_name(self) -> str:
        if self._tiny_vae_model:
            return self._tiny_vae_model
        if os.environ.get(TINY_VAE_ENV):
            return os.environ[TINY_VAE_ENV]
        kind = type(self.pipe).__name__
        if kind.startswith("StableDiffusionXL"):
            return TINY_VAE_SDXL
        if kind.startswith("StableDiffusion") and not kind.startswith("StableDiffusion3"):
            return TINY_VAE_SD
        raise OptionError(f"--tiny-vae works with Stable Diffusion 1/2 and SDXL pipelines, not {kind}")

    def _load_tiny_vae(self) -> Any:
        if self._tiny_vae is None:
            from diffusers import AutoencoderTiny

            name = self._tiny_vae_name()
            folder = resolve_vae_folder(name)
            with _quiet_loading():
                try:
                    vae = AutoencoderTiny.from_pretrained(folder, dtype=self.dtype)
                except (OSError, ValueError, KeyError) as exc:
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    raise ModelNotFoundError(f"tiny VAE '{name}': could not load it: {first}") from None
            # the swap only works when both decoders read the same latents
            tiny_scale = 2 ** (len(vae.config.decoder_block_out_channels) - 1)
            full = self._full_vae.config
            if vae.config.latent_channels != full.latent_channels or tiny_scale != self.pipe.vae_scale_factor:
                raise OptionError(
                    f"tiny VAE '{name}' does not fit {self.model_name}: it decodes {vae.config.latent_channels} "
                    f"latent channels at 1/{tiny_scale} scale, the pipeline makes {full.latent_channels} "
                    f"at 1/{self.pipe.vae_scale_factor}"
                )
            self._tiny_vae = vae.to(self.device)
            self._tiny_vae_label = name
        return self._tiny_vae

    # -- drawing ------------------------------------------------------------------

    def generate(
        self, prompt: str, options: ImagineOptions, progress: ImageProgressFn | None = None
    ) -> Generation:
        torch = self._torch
        settings = self.settings(options)
        steps = settings["steps"]
        total = steps * options.count
        with self._lock:
            self.pipe.vae = self._load_tiny_vae() if options.tiny_vae else self._full_vae
            images, plans = [], []
            for index in range(options.count):
                # one generator per picture, so picture i can be redrawn alone with seed + i
                seed = options.seed + index
                kwargs: dict[str, Any] = {
                    "prompt": prompt,
                    "num_inference_steps": steps,
                    "guidance_scale": settings["guidance"],
                    "width": settings["width"],
                    "height": settings["height"],
                    "generator": torch.Generator(self.device).manual_seed(seed),
                }
                if options.negative_prompt:  # ignored by the pipeline when guidance <= 1
                    kwargs["negative_prompt"] = options.negative_prompt
                if progress is not None and self._takes_callback:
                    kwargs["callback_on_step_end"] = self._step_callback(progress, index, steps, total)
                output = self.pipe(**kwargs)
                image = output.images[0]
                if progress is not None and not self._takes_callback:
                    progress((index + 1) * steps, total)
                plan: dict[str, Any] = {
                    "engine": self.name,
                    "model": self.model_name,
                    "seed": seed,
                    "steps": steps,
                    "guidance": settings["guidance"],
                    "width": image.width,
                    "height": image.height,
                    "prompt": prompt,
                }
                if options.negative_prompt:
                    plan["negative_prompt"] = options.negative_prompt
                if options.tiny_vae:
                    plan["tiny_vae"] = self._tiny_vae_label
                flagged = getattr(output, "nsfw_content_detected", None)
                if flagged and flagged[0]:
                    # the safety checker blacked the picture out: say so rather than hand
                    # back a black square without a word
                    plan["safety_checker"] = "blocked"
                images.append(image)
                plans.append(plan)
        return Generation(images=images, plans=plans, engine=self.name, model=self.model_name, credits=[])

    def _step_callback(
        self, progress: ImageProgressFn, index: int, steps: int, total: int
    ) -> Callable[..., dict]:
        def on_step_end(pipe: Any, i: int, _t: Any, callback_kwargs: dict) -> dict:
            # some schedulers (Heun, DPM2) run more timesteps than steps: scale to steps
            timesteps = getattr(pipe.scheduler, "timesteps", None)
            n = (len(timesteps) if timesteps is not None else 0) or steps
            progress(index * steps + min(steps, (i + 1) * steps // n), total)
            return callback_kwargs  # diffusers reads tensors back from the returned dict

        return on_step_end
