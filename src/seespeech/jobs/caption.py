"""Image → a sentence about it (captioning), through transformers' BLIP captioning models.

No captioning weights exist in any package registry reachable here, so seespeech ships none:
give a BLIP model folder you have (``save_pretrained`` of e.g. a BLIP image-captioning model:
``config.json``, the weights, the processor's files) as ``--model DIR`` or
``SEESPEECH_CAPTION_MODEL``; ``pip install 'seespeech[vlm]'`` brings transformers and torch.
The tests run this code on a tiny randomly initialised BLIP built from a config, so they check
the plumbing, not the quality of any caption.
"""

from __future__ import annotations

import os
import threading
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from seespeech.errors import NotInstalledError, OptionError
from seespeech.jobs.ocr import open_image

#: where the model comes from when none is given
MODEL_VARIABLE = "SEESPEECH_CAPTION_MODEL"
MAX_NEW_TOKENS = 40


@dataclass
class Caption:
    text: str
    model: str

    def to_dict(self) -> dict:
        return asdict(self)


def caption_model() -> str | None:
    return os.environ.get(MODEL_VARIABLE) or None


class BlipEngine:
    name = "blip"

    def __init__(self, model: str):
        folder = Path(model)
        if not (folder / "config.json").is_file():
            raise OptionError(f"{model}: not a captioning model folder (no config.json)", "model")
        try:
            import torch
            from transformers import BlipForConditionalGeneration, BlipProcessor
        except ImportError:
            raise NotInstalledError("describing images needs transformers and torch: pip install 'seespeech[vlm]'") \
                from None
        self.model_name = folder.name
        self.processor = BlipProcessor.from_pretrained(str(folder))
        self.model = BlipForConditionalGeneration.from_pretrained(str(folder)).eval()
        self._torch = torch
        self._lock = threading.Lock()

    def describe(self, image, prompt: str | None = None, max_new_tokens: int = MAX_NEW_TOKENS) -> Caption:
        picture = open_image(image)
        inputs = self.processor(images=picture, text=prompt or None, return_tensors="pt")
        with self._lock, self._torch.inference_mode():
            tokens = self.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        text = self.processor.decode(tokens[0], skip_special_tokens=True).strip()
        return Caption(" ".join(text.split()), self.model_name)


@lru_cache(maxsize=None)
def load_captioner(model: str) -> BlipEngine:
    return BlipEngine(model)


def describe(image, model: str | None = None, prompt: str | None = None) -> Caption:
    """A sentence about ``image`` from the BLIP model in folder ``model`` (or $SEESPEECH_CAPTION_MODEL)."""
    model = model or caption_model()
    if not model:
        raise OptionError("describing images needs a captioning model you supply (a BLIP model folder: --model DIR "
                          f"or {MODEL_VARIABLE}); no package registry has captioning weights", "model")
    return load_captioner(model).describe(image, prompt)
