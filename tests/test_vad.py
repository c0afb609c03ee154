"""Silero VAD run a section or a frame at a time gives what faster-whisper's one call gives."""

import numpy as np
import pytest

from seespeech.audio import load_audio
from seespeech.speech.vad import FRAME, SECTION_FRAMES, SileroStream, run_in_sections, speech_probabilities

from conftest import DEMO, SPEECH


@pytest.fixture(scope="module")
def long_audio():
    """Three minutes and a bit of real speech (a few sections, the last one short)."""
    from seespeech.speech.evaluate import read_dataset

    size = int(2.5 * SECTION_FRAMES * FRAME) + 300
    pieces, total = [], 0
    for clip in read_dataset(SPEECH / "cathy_dev"):
        pieces.append(load_audio(clip.path))
        total += pieces[-1].size
        if total >= size:
            return np.concatenate(pieces)[:size]
    pytest.fail("cathy_dev has less than 2.5 sections of speech")


def stock(audio):
    """faster-whisper's own call, whatever the shared model has been made to do, on every frame
    but the last: that call zeroes the last 64 samples of its input (it writes the first frame's
    empty context through a view of the input) before reading the last frame."""
    from faster_whisper.vad import SileroVADModel, get_vad_model

    return SileroVADModel.__call__(get_vad_model(), audio.copy())[:-1]


def test_frame_by_frame_is_silero():
    audio = load_audio(DEMO)
    audio = audio[:audio.size // FRAME * FRAME]
    stream = SileroStream()
    framed = np.array([stream(audio[i:i + FRAME]) for i in range(0, audio.size, FRAME)])
    assert np.allclose(stock(audio), framed[:-1], atol=1e-4)
    assert framed.max() > 0.9 and framed[0] < 0.5 and framed[-1] < 0.5   # speech between quiet ends


def test_sections_give_the_same_probabilities_and_timestamps(long_audio):
    from faster_whisper.vad import SileroVADModel, VadOptions, get_speech_timestamps, get_vad_model

    whole = long_audio[:long_audio.size // FRAME * FRAME]
    sectioned = speech_probabilities(whole)
    assert sectioned.shape == (whole.size // FRAME,)
    assert np.allclose(stock(whole), sectioned[:-1], atol=1e-3)
    assert ((sectioned[:-1] > 0.5) == (stock(whole) > 0.5)).all()

    options = VadOptions(max_speech_duration_s=30, min_silence_duration_ms=160)
    model = get_vad_model()
    original = type(model)
    try:
        model.__class__ = SileroVADModel
        before = get_speech_timestamps(long_audio, options)
        assert run_in_sections() and run_in_sections()   # idempotent
        assert type(model).__name__ == "SectionedSileroVAD"
        after = get_speech_timestamps(long_audio, options)
    finally:
        model.__class__ = original
    assert len(before) > 10 and after == before


def test_an_unknown_model_is_left_alone(monkeypatch):
    import faster_whisper.vad as fw_vad

    class Other:
        pass

    monkeypatch.setattr(fw_vad, "get_vad_model", lambda: Other())
    assert run_in_sections() is False
