"""The lm decoder's three weights and where a model folder keeps them (``decoder.json``):
read by the engine (model.py) and written by the tuner (tune.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DECODER_FILE = "decoder.json"
#: the packaged model's weights: tuned on held-out cathy_train clips (never on cathy_dev)
DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_PREFIX_PENALTY = 0.9, 5.0, -12.0


@dataclass(frozen=True)
class DecoderWeights:
    alpha: float = DEFAULT_ALPHA
    beta: float = DEFAULT_BETA
    prefix_penalty: float = DEFAULT_PREFIX_PENALTY

    @classmethod
    def load(cls, folder: Path) -> "DecoderWeights":
        """The folder's tuned weights (``decoder.json``), else the defaults."""
        path = Path(folder) / DECODER_FILE
        if not path.is_file():
            return cls()
        try:
            return cls(**{k: float(v) for k, v in json.loads(path.read_text())["weights"].items()})
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            from seespeech.errors import ModelNotFoundError

            raise ModelNotFoundError(f"{path} is not a decoder file train-ctc wrote ({exc}); "
                                     "delete it to decode with the default weights") from None

    def describe(self) -> str:
        return f"alpha {self.alpha:g}, beta {self.beta:g}, prefix penalty {self.prefix_penalty:g}"
