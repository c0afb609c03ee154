"""Front ends: audio (16 kHz mono float32) → frames the recurrent network reads.

* ``spectrogram`` — the seed system's front end. It used frames of 256 samples, a step of
  160 and a 384-point FFT at 22.05 kHz (11.6 ms, 7.3 ms, 17.4 ms). At 16 kHz we keep the
  frame and step durations: a 192-sample frame (12 ms) every 112 samples (7 ms), with a
  256-point FFT (the next power of two above the frame; 129 bins up to 8 kHz). Log power,
  normalised per utterance (zero mean, unit variance per bin), as DeepSpeech2 does.
* ``whisper-encoder`` — the frozen encoder of a packaged Whisper model (base by default),
  run by CTranslate2: 80-bin log-mel in, 50 frames/s of 512 features out (384 for tiny.en).
  Whisper's encoder was trained on 30 s windows, so every piece is padded to 30 s as
  Whisper itself does. (CTranslate2 also accepts shorter inputs, 5–15× faster; on 300
  cathy_train clips that gave a validation CER of 59 % after 10 epochs against 53 % with
  padding — out-of-distribution features cost more than the time saved.)
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from seespeech.errors import OptionError

FRONTENDS = ("spectrogram", "whisper-encoder")

SPEC_FRAME, SPEC_HOP, SPEC_FFT = 192, 112, 256
SPEC_RATE = 16000 / SPEC_HOP  # frames per second

MEL_HOP = 160  # Whisper's mel frames: 100 per second
ENCODER_RATE = 50.0  # encoder frames per second
ENCODER_ROUND = 3000  # mel frames: inputs are padded to the full 30 s window
ENCODER_MAX = 3000  # mel frames in one encoder window (30 s)


class SpectrogramFrontend:
    name = "spectrogram"
    rate = SPEC_RATE
    dim = SPEC_FFT // 2 + 1

    def __call__(self, audio: np.ndarray) -> np.ndarray:
        audio = np.asarray(audio, dtype=np.float32)
        if audio.size < SPEC_FRAME:
            audio = np.pad(audio, (0, SPEC_FRAME - audio.size))
        count = 1 + (audio.size - SPEC_FRAME) // SPEC_HOP
        index = np.arange(SPEC_FRAME)[None, :] + SPEC_HOP * np.arange(count)[:, None]
        frames = audio[index] * np.hanning(SPEC_FRAME).astype(np.float32)
        power = np.abs(np.fft.rfft(frames, n=SPEC_FFT)) ** 2
        logs = np.log(power + 1e-10)
        logs -= logs.mean(axis=0, keepdims=True)
        logs /= logs.std(axis=0, keepdims=True) + 1e-5
        return logs.astype(np.float32)

    @property
    def key(self) -> str:
        return f"spectrogram-{SPEC_FRAME}-{SPEC_HOP}-{SPEC_FFT}"


class WhisperEncoderFrontend:
    name = "whisper-encoder"
    rate = ENCODER_RATE

    def __init__(self, model: str = "base"):
        from seespeech.models import load_whisper

        self.model_name = model
        self.whisper = load_whisper(model)  # shared with the Whisper engine
        self.dim = self._probe_dim()
        self._lock = threading.Lock()

    def _probe_dim(self) -> int:
        out = np.array(self.whisper.encode(np.zeros((1, 80, ENCODER_ROUND), np.float32)))
        return out.shape[-1]

    @property
    def key(self) -> str:
        return f"whisper-encoder-{self.model_name}-full"

    def __call__(self, audio: np.ndarray) -> np.ndarray:
        mel = self.whisper.feature_extractor(np.asarray(audio, dtype=np.float32))
        frames = max(1, int(np.ceil(audio.size / MEL_HOP)))
        mel = mel[:, :frames]
        parts = []
        for start in range(0, frames, ENCODER_MAX):
            piece = mel[:, start:start + ENCODER_MAX]
            width = min(ENCODER_MAX, int(np.ceil(piece.shape[1] / ENCODER_ROUND)) * ENCODER_ROUND)
            padded = np.zeros((mel.shape[0], width), np.float32)
            padded[:, :piece.shape[1]] = piece
            with self._lock:
                out = np.array(self.whisper.encode(padded[None]))[0]
            parts.append(out[: int(np.ceil(piece.shape[1] / 2))])
        return np.concatenate(parts).astype(np.float32)


def make_frontend(name: str, whisper_model: str = "base"):
    if name == "spectrogram":
        return SpectrogramFrontend()
    if name == "whisper-encoder":
        return WhisperEncoderFrontend(whisper_model)
    raise OptionError(f"unknown front end '{name}': choose one of {', '.join(FRONTENDS)}")


@lru_cache(maxsize=100_000)
def _content_digest(path: str, size: int, mtime_ns: int) -> str:
    """sha256 of a file's bytes, once per file version (a file is read for each of its copies)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cached_features(frontend, path: Path, cache: Path, copy: int = 0) -> np.ndarray:
    """Features of one file, computed once per front end and audio content. ``copy`` k > 0:
    the features of its k-th perturbed copy (``perturbed_copy``), cached the same way."""
    from seespeech.audio import load_audio

    stat = path.stat()
    variant = f":copy{copy}" if copy else ""
    # keyed by the file's bytes, not its path: a copied, moved or re-provisioned data folder
    # finds its features again instead of spending minutes re-encoding them
    digest = _content_digest(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    key = hashlib.sha256(f"{frontend.key}:{digest}{variant}".encode()).hexdigest()
    target = cache / frontend.key / f"{key[:24]}.npy"
    if target.is_file():
        return np.load(target).astype(np.float32)
    audio = load_audio(path)
    features = frontend(perturbed_copy(audio, copy, key) if copy else audio)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp.npy")
    stored = features.astype(np.float16)
    np.save(tmp, stored)
    os.replace(tmp, target)
    # what later runs will read, so a first run and a cached run train on the same numbers
    return stored.astype(np.float32)


#: speeds of the perturbed copies, in turn (copy 1: 0.9×, copy 2: 1.1×, copy 3: 0.9× …)
COPY_SPEEDS = (0.9, 1.1)
COPY_MAX_NOISE = 0.01  # the copies' Gaussian noise level is drawn from [0, this]


def perturbed_copy(audio: np.ndarray, copy: int, key: str) -> np.ndarray:
    """The ``copy``-th perturbed version of a recording: resampled to another speed (tempo and
    pitch both move, as in Ko et al.'s speed perturbation) plus light noise. Deterministic for
    (file, copy), so a cached copy and a recomputed one are the same."""
    rng = np.random.default_rng(int(key[:12], 16))
    factor = COPY_SPEEDS[(copy - 1) % len(COPY_SPEEDS)]
    positions = np.arange(0, audio.size - 1, factor)
    audio = np.interp(positions, np.arange(audio.size), audio).astype(np.float32)
    level = float(rng.uniform(0.0, COPY_MAX_NOISE))
    return audio + rng.normal(0, level, audio.size).astype(np.float32)
