"""Audio pictures: figures for people, raw pictures that read back to their numbers."""

import numpy as np
import pytest
from PIL import Image

from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.errors import OptionError
from seespeech.speech.spectrogram import DB_RANGE, KINDS, compute, mfcc_figure_rows, read_raw, render, save

from conftest import assert_one_line_error, run_cli

HEIGHTS = {"spectrogram": 257, "mel": 128, "mfcc": 20, "whisper-mel": 80, "waveform": 256}


@pytest.fixture(scope="module")
def jfk(speech):
    return load_audio(speech / "formats" / "jfk.flac")


@pytest.mark.parametrize("kind", KINDS)
def test_figure_and_raw_for_every_kind(jfk, kind, tmp_path):
    figure = render(jfk, kind=kind, style="figure")
    assert figure.mode in ("RGBA", "RGB") and figure.size[0] >= 600 and figure.size[1] == 400
    colours = np.asarray(figure.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(colours[::97], axis=0)) > 50  # a real picture, not a blank canvas
    raw = render(jfk, kind=kind, style="raw")
    frames = jfk.size // 160 + (kind != "whisper-mel")
    assert raw.mode == "L" and raw.size == (frames, HEIGHTS[kind])
    save(raw, tmp_path / "raw.png")
    values, meta = read_raw(tmp_path / "raw.png")
    assert meta["kind"] == kind and values.shape == (HEIGHTS[kind], frames)


@pytest.mark.parametrize("kind", ["spectrogram", "mel", "mfcc", "whisper-mel"])
def test_raw_pictures_read_back_within_one_quantisation_step(jfk, kind, tmp_path):
    truth = compute(jfk, kind).data
    save(render(jfk, kind=kind, style="raw"), tmp_path / "raw.png")
    values, meta = read_raw(tmp_path / "raw.png")
    if kind in ("spectrogram", "mel"):
        truth = np.maximum(truth, truth.max() - DB_RANGE)
        step = DB_RANGE / 255
    elif kind == "mfcc":
        step = (float(meta["c_max"]) - float(meta["c_min"])) / 255
    else:
        truth = np.maximum(truth, truth.max() - 2)
        step = 2 / 255
    assert np.abs(values - truth).max() <= step / 2 + 1e-6


def test_spectrogram_puts_a_tone_where_it_belongs():
    tone = (0.5 * np.sin(2 * np.pi * 1000 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)).astype(np.float32)
    picture = compute(tone, "spectrogram")
    peak_hz = picture.row_values[picture.data[:, 50].argmax()]
    assert peak_hz == pytest.approx(1000, abs=32)
    # a 0.5-amplitude sine is 6 dB below full scale
    assert picture.data[:, 50].max() == pytest.approx(20 * np.log10(0.5), abs=1.0)
    mel = compute(tone, "mel")
    assert mel.row_values[mel.data[:, 50].argmax()] == pytest.approx(1000, rel=0.1)


def test_waveform_raw_is_the_envelope():
    square = np.tile([0.5, 0.5, -0.5, -0.5], 400)  # a square wave touching exactly ±0.5
    samples = np.concatenate([np.zeros(1600), square]).astype(np.float32)
    values, _ = read_raw(render(samples, kind="waveform", style="raw"))
    quiet, loud = values[:, :10], values[:, 10:19]
    assert quiet.sum(axis=0).max() <= 2  # silence: the zero line only
    rows = np.nonzero(loud[:, 5])[0]  # rows bottom-up: amplitude -1 … 1
    assert rows.min() == pytest.approx(63, abs=1) and rows.max() == pytest.approx(191, abs=1)


def test_a_plain_pil_save_keeps_the_pixel_scale_and_a_png_without_it_is_refused(jfk, tmp_path):
    """What a user of the library writes (image.save) keeps what read_raw needs; a PNG that lost
    it (re-saved by another program) is refused instead of read as 0-1 values."""
    raw = render(jfk, kind="mel", style="raw")
    raw.save(tmp_path / "r.png")
    values, meta = read_raw(tmp_path / "r.png")
    assert meta["kind"] == "mel" and values.max() == pytest.approx(float(meta["db_max"]), abs=DB_RANGE / 255)
    with Image.open(tmp_path / "r.png") as png:
        Image.fromarray(np.asarray(png)).save(tmp_path / "stripped.png")
    with pytest.raises(OptionError, match="pixel scale was lost"):
        read_raw(tmp_path / "stripped.png")
    with pytest.raises(OptionError, match="not a raw seespeech picture"):
        read_raw(render(jfk, kind="mel", style="figure"))


def test_mfcc_figure_shows_every_coefficient_on_its_own_scale(jfk):
    """c0 (loudness) spans ten times the others: on one shared scale c1-c19 came out flat."""
    data = compute(jfk, "mfcc").data
    assert np.ptp(data[0]) > 5 * np.ptp(data[1:], axis=1).mean()
    rows = mfcc_figure_rows(data)
    assert rows.shape == (19, data.shape[1])  # c0 is left out
    assert np.allclose(rows.mean(axis=1), 0, atol=1e-6) and np.allclose(rows.std(axis=1), 1, atol=1e-6)


def test_long_audio_needs_windows(jfk):
    long = np.tile(jfk, 7)  # 77 s
    with pytest.raises(OptionError, match="--window"):
        render(long, style="figure")
    pictures = render(long, style="figure", window=10)
    assert len(pictures) == 8 and all(isinstance(p, Image.Image) for p in pictures)
    raw = render(long, kind="mel", style="raw")  # raw pictures: one column per 10 ms, any length
    assert raw.size[0] == long.size // 160 + 1


def test_show_cli(speech, tmp_path):
    out = tmp_path / "jfk.png"
    result = run_cli("show", str(speech / "formats" / "jfk.mp3"), "--kind", "mel", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert Image.open(out).size[1] == 400
    again = run_cli("show", str(speech / "formats" / "jfk.mp3"), "-o", str(out))
    assert_one_line_error(again, "exists")
    windows = run_cli("show", str(speech / "formats" / "jfk.flac"), "-s", "raw", "-w", "4s", "-o", str(tmp_path / "w.png"))
    assert windows.returncode == 0
    assert sorted(p.name for p in tmp_path.glob("w-*.png")) == ["w-001.png", "w-002.png", "w-003.png"]
    bad = run_cli("show", str(tmp_path / "missing.wav"))
    assert_one_line_error(bad, "no such file")
    assert bad.returncode == 3  # as in transcribe, compare and imagine
    assert run_cli("show", str(speech / "formats" / "jfk.flac"), "-w", "soon").returncode == 2


def test_every_mel_band_catches_energy():
    from seespeech.speech.spectrogram import mel_filters

    assert (mel_filters().sum(axis=1) > 0).all()
