"""Synthetic non-speech signals: 30 s each at 16 kHz, float32 in [-1, 1]."""

import numpy as np

SR = 16000


def silence(seconds: float = 30.0) -> np.ndarray:
    return np.zeros(int(seconds * SR), dtype=np.float32)


def pink_noise(seconds: float = 30.0, level: float = 0.1, seed: int = 0) -> np.ndarray:
    """1/f noise: white noise shaped by 1/sqrt(f) in the frequency domain."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SR)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / SR)
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    noise = np.fft.irfft(spectrum, n)
    return (level * noise / np.abs(noise).max()).astype(np.float32)


def mains_hum(seconds: float = 30.0, freq: float = 60.0, level: float = 0.2) -> np.ndarray:
    """Mains hum: the fundamental plus the odd harmonics a transformer adds."""
    t = np.arange(int(seconds * SR)) / SR
    wave = sum(level / k * np.sin(2 * np.pi * freq * k * t) for k in (1, 3, 5))
    return wave.astype(np.float32)
