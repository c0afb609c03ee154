"""Audio drawn as pictures: spectrogram, mel, waveform, MFCC and Whisper's own log-mel.

Two styles:

* ``figure`` is for people: time axis in seconds, frequency in Hz (linear for the
  spectrogram, mel-spaced for mel), a colour bar in dB spanning 80 dB, the perceptual
  ``magma`` colour map, a title. Drawn with matplotlib (Agg, no screen needed).
* ``raw`` is for models: only the data, one pixel column per 10 ms frame, a fixed height
  per kind, 8-bit grey, low frequencies at the bottom. The scaling is fixed and written
  into the PNG's text chunks so the numbers can be read back (``read_raw``):

  ============  ======  =====================================================
  kind          height  pixel value v (0–255) means
  ============  ======  =====================================================
  spectrogram   257     dB = db_max − 80 + 80·v/255 (power, 512-point FFT)
  mel           128     dB = db_max − 80 + 80·v/255 (power, 128 mel bands)
  whisper-mel   80      Whisper's normalised log-mel x = x_max − 2 + 2·v/255
  mfcc          20      coefficient c = c_min + (c_max − c_min)·v/255
  waveform      256     amplitude a = 1 − 2·row/255 at each drawn row (min–max envelope)
  ============  ======  =====================================================

  ``db_max`` (the loudest bin of the clip), ``x_max``, ``c_min``/``c_max`` and the rest sit in the PNG
  metadata under ``seespeech:*`` keys.

The numbers come from numpy alone (an STFT, a mel filter bank and a DCT are a few lines
each): librosa would add numba and a heavy import for the same arithmetic, and torch is
not needed at all.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import numpy as np

from seespeech.audio import SAMPLE_RATE, AudioInput, load_audio
from seespeech.errors import OptionError
from seespeech.files import METADATA_PREFIX, keep_metadata, save_image

KINDS = ("spectrogram", "mel", "waveform", "mfcc", "whisper-mel")
STYLES = ("figure", "raw")
N_FFT = 512  # 32 ms at 16 kHz
HOP = 160  # 10 ms: one pixel column per frame in raw pictures
N_MELS = 128
N_MFCC = 20
DB_RANGE = 80.0
WAVEFORM_HEIGHT = 256
#: a figure wider than this would be unreadable: ask for --window instead
MAX_FIGURE_SECONDS = 60.0
FIGURE_PIXELS_PER_SECOND = 100
#: figure titles wrap at about this many characters per inch of figure width (12 pt)
TITLE_CHARS_PER_INCH = 8.5
#: the MFCC figure shows each coefficient normalised over the clip, this many deviations each way
MFCC_FIGURE_SIGMA = 3.0


@dataclass
class Picture:
    """Numbers behind a picture: ``data`` is (rows, frames), row 0 = lowest frequency."""

    kind: str
    data: np.ndarray
    start: float
    duration: float
    #: what the rows are: Hz for spectrogram/mel, coefficient index for mfcc
    row_values: np.ndarray | None = None


def _frames(audio: np.ndarray) -> np.ndarray:
    padded = np.pad(audio, N_FFT // 2, mode="reflect" if audio.size > N_FFT // 2 else "constant")
    count = 1 + (padded.size - N_FFT) // HOP
    index = np.arange(N_FFT)[None, :] + HOP * np.arange(count)[:, None]
    return padded[index] * np.hanning(N_FFT + 1)[:-1]


def power_spectrum(audio: np.ndarray) -> np.ndarray:
    """(N_FFT/2 + 1, frames) power, scaled so a full-scale sine peaks near 0 dB."""
    window_sum = np.hanning(N_FFT + 1)[:-1].sum()
    return (np.abs(np.fft.rfft(_frames(audio), axis=1)) * 2 / window_sum).T ** 2


def hz_to_mel(hz):
    return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10 ** (np.asarray(mel) / 2595.0) - 1.0)


def mel_filters(n_mels: int = N_MELS, n_fft: int = N_FFT, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Triangular filters evenly spaced on the mel scale (HTK formula), area-normalised."""
    edges = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(sample_rate / 2), n_mels + 2))
    bins = np.fft.rfftfreq(n_fft, 1 / sample_rate)
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bins[None, :] - lower) / (centre - lower)
    falling = (upper - bins[None, :]) / (upper - centre)
    filters = np.maximum(0, np.minimum(rising, falling)) * (2.0 / (upper - lower))
    # The lowest bands are narrower than one FFT bin and would catch nothing (dark stripes
    # in the picture): give each empty band its nearest bin, with the gain of its neighbours.
    bin_width = bins[1] - bins[0]
    for row in np.flatnonzero(filters.sum(axis=1) == 0):
        filters[row, int(np.argmin(np.abs(bins - centre[row, 0])))] = 1.0 / bin_width
    return filters


def to_db(power: np.ndarray) -> np.ndarray:
    return 10 * np.log10(np.maximum(power, 1e-12))


def dct_matrix(n_out: int, n_in: int) -> np.ndarray:
    """Orthonormal DCT-II as a matrix (the usual MFCC transform)."""
    k = np.arange(n_out)[:, None]
    n = np.arange(n_in)[None, :]
    basis = np.cos(np.pi * k * (2 * n + 1) / (2 * n_in)) * np.sqrt(2.0 / n_in)
    basis[0] /= np.sqrt(2.0)
    return basis


def compute(audio: np.ndarray, kind: str, start: float = 0.0) -> Picture:
    """The numbers of one picture of ``audio`` (16 kHz mono float32)."""
    duration = audio.size / SAMPLE_RATE
    if kind == "spectrogram":
        return Picture(kind, to_db(power_spectrum(audio)), start, duration, np.fft.rfftfreq(N_FFT, 1 / SAMPLE_RATE))
    if kind == "mel":
        centres = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))[1:-1]
        return Picture(kind, to_db(mel_filters() @ power_spectrum(audio)), start, duration, centres)
    if kind == "mfcc":
        log_mel = to_db(mel_filters() @ power_spectrum(audio))
        return Picture(kind, dct_matrix(N_MFCC, N_MELS) @ log_mel, start, duration, np.arange(N_MFCC))
    if kind == "whisper-mel":
        from faster_whisper.feature_extractor import FeatureExtractor

        # Whisper's exact features: log10 mel, floored 8 below the max, scaled to about [-1, 1]
        features = FeatureExtractor(feature_size=80)(audio, padding=0)
        return Picture(kind, features, start, duration, np.arange(features.shape[0]))
    if kind == "waveform":
        return Picture(kind, audio[None, :], start, duration)
    raise OptionError(f"unknown picture kind '{kind}': choose one of {', '.join(KINDS)}")


def _windows(audio: np.ndarray, window: float | None) -> list[tuple[float, np.ndarray]]:
    if not window:
        return [(0.0, audio)]
    if window <= 0:
        raise OptionError("the window must be a positive number of seconds")
    step = int(window * SAMPLE_RATE)
    return [(i / SAMPLE_RATE, audio[i:i + step]) for i in range(0, audio.size, step)]


def render(
    audio: AudioInput | np.ndarray,
    kind: str = "spectrogram",
    style: str = "figure",
    window: float | None = None,
    title: str | None = None,
):
    """Draw ``audio``; returns a PIL image, or a list of them when ``window`` (seconds) is set.

    A figure of more than a minute would squash speech into an unreadable strip, so it is
    refused with a pointer to ``window``; raw pictures are one column per 10 ms at any length.
    """
    if kind not in KINDS:
        raise OptionError(f"unknown picture kind '{kind}': choose one of {', '.join(KINDS)}")
    if style not in STYLES:
        raise OptionError(f"unknown picture style '{style}': choose figure or raw")
    samples = audio if isinstance(audio, np.ndarray) and audio.ndim == 1 and audio.dtype == np.float32 else load_audio(audio)
    pieces = _windows(samples, window)
    if style == "figure" and any(p.size / SAMPLE_RATE > MAX_FIGURE_SECONDS + 1e-6 for _, p in pieces):
        raise OptionError(
            f"the audio is {samples.size / SAMPLE_RATE:.0f} s long: a figure over {MAX_FIGURE_SECONDS:.0f} s is "
            "unreadable; draw it in windows (--window 10s) or use --style raw"
        )
    images = []
    for start, piece in pieces:
        picture = compute(piece, kind, start)
        images.append(raw_image(picture) if style == "raw" else figure(picture, title))
    return images if window else images[0]


# ---------------------------------------------------------------- raw pictures


def raw_image(picture: Picture):
    from PIL import Image

    meta = {"kind": picture.kind, "sample_rate": SAMPLE_RATE, "hop": HOP, "start": round(picture.start, 3),
            "duration": round(picture.duration, 3)}
    data = picture.data
    if picture.kind in ("spectrogram", "mel"):
        db_max = float(data.max())
        scaled = np.clip((data - (db_max - DB_RANGE)) / DB_RANGE, 0, 1)
        meta.update(db_max=repr(db_max), db_range=DB_RANGE, n_fft=N_FFT,
                    formula="dB = db_max - db_range + db_range * v / 255")
    elif picture.kind == "whisper-mel":
        # Whisper floors its log-mel 8 (log10) below the maximum and divides by 4: a span of 2
        x_max = float(data.max())
        scaled = np.clip((data - (x_max - 2)) / 2, 0, 1)
        meta.update(x_max=repr(x_max), formula="x = x_max - 2 + 2 * v / 255")
    elif picture.kind == "mfcc":
        low, high = float(data.min()), float(data.max())
        scaled = (data - low) / max(high - low, 1e-9)
        meta.update(c_min=repr(low), c_max=repr(high), formula="c = c_min + (c_max - c_min) * v / 255")
    else:
        scaled = _waveform_envelope(data[0])
        meta.update(formula="row r holds samples in [1 - 2 * (r + 1) / 256, 1 - 2 * r / 256]; v = 255 where the "
                            "frame's min-max envelope covers the row")
    pixels = np.round(scaled[::-1] * 255).astype(np.uint8)  # low rows at the bottom
    # kept by image.save() too: read_raw needs the scale to give the numbers back
    return keep_metadata(Image.fromarray(pixels, mode="L"), {METADATA_PREFIX + k: v for k, v in meta.items()})


def _waveform_envelope(samples: np.ndarray) -> np.ndarray:
    """(256, frames) mask: 1 where each 10 ms frame's min–max range covers the row."""
    frames = samples.size // HOP + 1  # the same columns as the centred STFT pictures
    padded = np.pad(samples, (0, frames * HOP - samples.size))
    chunks = padded.reshape(frames, HOP)
    low, high = chunks.min(axis=1), chunks.max(axis=1)
    row_top = 1 - 2 * np.arange(WAVEFORM_HEIGHT) / WAVEFORM_HEIGHT  # amplitude at each row's top edge
    row_bottom = row_top - 2 / WAVEFORM_HEIGHT
    mask = (row_bottom[:, None] <= high[None, :]) & (row_top[:, None] >= low[None, :])
    return mask[::-1].astype(np.float32)  # flipped back by the caller's [::-1]


def save(image, path) -> None:
    """Save a picture atomically as PNG with its metadata (raw pictures need it to be read
    back); ``image.save(path)`` keeps the metadata too."""
    save_image(image, path)


def read_raw(path_or_image) -> tuple[np.ndarray, dict]:
    """Read a raw picture back to its values (rows bottom-up) and metadata.

    A PNG without seespeech's pixel scale (saved by something that dropped it, or not a raw
    picture at all) is refused: its pixels alone cannot give the numbers back."""
    from PIL import Image

    image = Image.open(path_or_image) if not hasattr(path_or_image, "getdata") else path_or_image
    meta = {k[len(METADATA_PREFIX):]: v for k, v in image.info.items() if k.startswith(METADATA_PREFIX)}
    kind = meta.get("kind")
    if kind not in KINDS or "formula" not in meta:
        name = path_or_image if isinstance(path_or_image, (str, bytes)) or hasattr(path_or_image, "__fspath__") \
            else getattr(image, "filename", None) or "the picture"
        raise OptionError(f"{name}: not a raw seespeech picture, or its pixel scale was lost (it has no "
                          f"{METADATA_PREFIX}* text chunks): save raw pictures with image.save() on a .png, "
                          "seespeech.speech.spectrogram.save or seespeech show --style raw")
    v = np.asarray(image, dtype=np.float64)[::-1]
    if kind in ("spectrogram", "mel"):
        values = float(meta["db_max"]) - float(meta["db_range"]) + float(meta["db_range"]) * v / 255
    elif kind == "whisper-mel":
        values = float(meta["x_max"]) - 2 + 2 * v / 255
    elif kind == "mfcc":
        low, high = float(meta["c_min"]), float(meta["c_max"])
        values = low + (high - low) * v / 255
    else:
        values = v / 255
    return values, meta


# ---------------------------------------------------------------- figures


def mfcc_figure_rows(data: np.ndarray) -> np.ndarray:
    """What the MFCC figure shows: c1…c19, each normalised over the clip (mean 0, one standard
    deviation = 1), so every coefficient shows its movement. c0 is the frame's loudness, on a
    scale of its own that would set the colours for all the others: left out, as usual."""
    rest = data[1:]
    spread = rest.std(axis=1, keepdims=True)
    return (rest - rest.mean(axis=1, keepdims=True)) / np.where(spread > 1e-9, spread, 1.0)


def figure(picture: Picture, title: str | None):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from PIL import Image

    width = max(6.0, min(24.0, picture.duration * FIGURE_PIXELS_PER_SECOND / 100 + 2))
    fig = Figure(figsize=(width, 4), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    end = picture.start + picture.duration
    names = {"spectrogram": "Spectrogram", "mel": "Mel spectrogram", "mfcc": "MFCC",
             "whisper-mel": "Whisper log-mel features", "waveform": "Waveform"}
    heading = title or f"{names[picture.kind]} · {picture.start:.1f}–{end:.1f} s"
    lines = textwrap.wrap(heading, width=int(width * TITLE_CHARS_PER_INCH))
    ax.set_title("\n".join(lines[:2]) + (" …" if len(lines) > 2 else ""))
    ax.set_xlabel("time (s)")
    if picture.kind == "waveform":
        samples = picture.data[0]
        t = picture.start + np.arange(samples.size) / SAMPLE_RATE
        ax.plot(t, samples, linewidth=0.5, color="#3b0f70")
        ax.set_ylim(-1.05, 1.05)
        ax.set_xlim(picture.start, end)
        ax.set_ylabel("amplitude (full scale = 1)")
    else:
        data = picture.data
        extent = (picture.start, end, 0, data.shape[0])
        if picture.kind in ("spectrogram", "mel"):
            top = float(data.max())
            image = ax.imshow(data, origin="lower", aspect="auto", cmap="magma", vmin=top - DB_RANGE, vmax=top,
                              extent=extent, interpolation="nearest")
            fig.colorbar(image, ax=ax, label=f"power (dB, {DB_RANGE:.0f} dB range)")
            hz = picture.row_values
            ticks = [0, 250, 500, 1000, 2000, 4000, 8000] if picture.kind == "mel" else list(range(0, 8001, 1000))
            rows = [float(np.interp(f, hz, np.arange(hz.size))) for f in ticks]
            ax.set_yticks(rows, [f"{f:g}" if f < 1000 else f"{f / 1000:g}k" for f in ticks])
            ax.set_ylabel("frequency (Hz" + (", mel scale)" if picture.kind == "mel" else ")"))
        elif picture.kind == "mfcc":
            image = ax.imshow(mfcc_figure_rows(data), origin="lower", aspect="auto", cmap="RdBu_r", vmin=-MFCC_FIGURE_SIGMA,
                              vmax=MFCC_FIGURE_SIGMA, extent=(picture.start, end, 0.5, data.shape[0] - 0.5),
                              interpolation="nearest")
            fig.colorbar(image, ax=ax, label="value per coefficient (σ from its mean)")
            ax.set_yticks(range(1, data.shape[0], 2))
            ax.set_ylabel("MFCC coefficient (c0, loudness, left out)")
        else:
            image = ax.imshow(data, origin="lower", aspect="auto", cmap="magma", extent=extent, interpolation="nearest")
            fig.colorbar(image, ax=ax, label="normalised log-mel")
            ax.set_ylabel("mel band (80)")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    buffer.seek(0)
    result = Image.open(buffer)
    result.load()
    return keep_metadata(result, {METADATA_PREFIX + "figure": picture.kind})
