"""The moonshine engine (issue 35): Moonshine tiny and base from their wheels, our own decoding
loop, everywhere an engine is accepted."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

import seespeech
from conftest import DEMO, SPEECH, assert_one_line_error, run_cli
from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.speech import ENGINES, split_model
from seespeech.speech.evaluate import read_dataset, score


def test_in_the_engine_table_with_both_models():
    assert ENGINES["moonshine"].models() == ["tiny", "base"]
    assert split_model("moonshine-tiny") == ("moonshine", "tiny") and split_model("moonshine") == ("moonshine", None)
    assert split_model("base") == ("whisper", "base")


@pytest.mark.parametrize("model", ["tiny", "base"])
def test_transcribes_real_speech(model):
    t = seespeech.transcribe(SPEECH / "formats" / "jfk.flac", engine="moonshine", model=model)
    said = " ".join("".join(c for c in t.text.lower() if c.isalpha() or c == " ").split())
    assert "what your country can do for you" in said and "what you can do for your country" in said, t.text
    assert t.model == f"moonshine:{model}" and t.language == "en" and t.segments[0].start < 1.0
    assert abs(t.segments[-1].end - 11.0) < 1.0


@pytest.mark.slow   # CI runs it (make test-all); the default tier stays under 5 minutes
def test_read_speech_is_as_good_as_whisper_tiny_en():
    """Same run, first 40 clips of cathy_dev: Moonshine tiny within 1.5 points of Whisper tiny.en
    (bench/moonshine.py has the whole set and base)."""
    clips = read_dataset(SPEECH / "cathy_dev")[:40]
    refs = [c.text for c in clips]
    ours = [seespeech.transcribe(c.path, engine="moonshine").text for c in clips]
    whisper = [seespeech.transcribe(c.path, model="tiny.en", language="en").text for c in clips]
    assert score(refs, ours).wer <= score(refs, whisper).wer + 0.015, (score(refs, ours), score(refs, whisper))


def test_no_words_from_silence_or_noise(tmp_path):
    rng = np.random.default_rng(0)
    t = np.arange(8 * SAMPLE_RATE) / SAMPLE_RATE
    for name, audio in (("silence", np.zeros(t.size)), ("hum", 0.3 * np.sin(2 * np.pi * 50 * t)),
                        ("noise", 0.05 * rng.standard_normal(t.size))):
        path = tmp_path / f"{name}.wav"
        soundfile.write(path, audio.astype(np.float32), SAMPLE_RATE)
        assert seespeech.transcribe(path, engine="moonshine").text == "", name


def test_long_audio_goes_through_vad_segments_with_right_times(tmp_path):
    """80 s of joined clips with pauses: every clip's words come back, in order, with times
    inside the clip's stretch; no repetition loop."""
    clips = read_dataset(SPEECH / "cathy_dev")[40:60]
    pieces, spans, at = [], [], 0.0
    for clip in clips:
        audio = load_audio(clip.path)
        spans.append((at, at + audio.size / SAMPLE_RATE))
        pieces += [audio, np.zeros(int(1.5 * SAMPLE_RATE), np.float32)]
        at += audio.size / SAMPLE_RATE + 1.5
    path = tmp_path / "long.wav"
    soundfile.write(path, np.concatenate(pieces), SAMPLE_RATE)
    t = seespeech.transcribe(path, engine="moonshine")
    assert score([" ".join(c.text for c in clips)], [t.text]).wer < 0.08
    for segment in t.segments:
        assert any(a - 0.5 <= segment.start and segment.end <= b + 0.5 for a, b in spans), segment
        words = segment.text.lower().split()
        assert len(words) < 4 or len(set(words)) > len(words) / 3, segment.text   # no loop


@pytest.mark.parametrize("args, fragment, param", [
    (["--task", "translate"], "cannot translate", "task"),
    (["--language", "de"], "English only", "language"),
    (["--word-timestamps"], "word timings", "word_timestamps"),
    (["--beam-size", "3"], "beam", "beam_size"),
])
def test_options_it_cannot_honour_are_refused_before_loading(args, fragment, param):
    result = run_cli("transcribe", str(DEMO), "--engine", "moonshine", "-o", "-", *args)
    assert_one_line_error(result, fragment)
    assert result.returncode == 2


def test_cli_and_compare(tmp_path):
    result = run_cli("transcribe", str(DEMO), "--engine", "moonshine", "-m", "base", "-o", "-")
    assert result.returncode == 0 and b"red bird" in result.stdout.lower()
    compared = run_cli("compare", str(DEMO), "--engines", "whisper,moonshine", "-m", "tiny.en", "--json")
    assert compared.returncode == 0, compared.stderr
    assert b"moonshine:tiny" in compared.stdout


def test_server_models_and_realtime_model(tmp_path):
    from fastapi.testclient import TestClient

    from seespeech.server import Settings, create_app

    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, model="tiny.en"))
    with TestClient(app) as client:
        ids = [m["id"] for m in client.get("/v1/models").json()["data"]]
        assert {"moonshine", "moonshine-tiny", "moonshine-base"} <= set(ids)
        for model in ("moonshine-tiny", "moonshine-base"):
            with DEMO.open("rb") as audio:
                answer = client.post("/v1/audio/transcriptions", files={"file": ("demo.flac", audio)},
                                     data={"model": model, "response_format": "verbose_json"})
            assert answer.status_code == 200, answer.text
            assert "red bird" in answer.json()["text"].lower() and answer.json()["model"] == model.replace("-", ":")
        with DEMO.open("rb") as audio:
            refused = client.post("/v1/audio/transcriptions", files={"file": ("demo.flac", audio)},
                                  data={"model": "moonshine-tiny", "language": "fr"})
        assert refused.status_code == 400 and refused.json()["error"]["param"] == "language"
