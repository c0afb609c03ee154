"""The engine table and the driver every engine runs under (transcribe/core.py)."""

import numpy as np
import pytest

import seespeech
from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.speech.compare import compare
from seespeech.errors import AudioTooLongError, OptionError
from seespeech.speech.evaluate import read_dataset, score
from seespeech.speech import ENGINES, EngineEntry, TranscribeOptions, split_model
from seespeech.speech.driver import DecodeState, SpeechEngine, Window, cut_windows
from seespeech.transcript import Segment

from conftest import DEMO


class EchoEngine(SpeechEngine):
    """The README's example engine: one segment per window, saying how long it is."""

    name, default_model = "echo", "none"
    honours = frozenset({"language"})
    window_seconds, cut_search_seconds = 10.0, 2.0
    decoded: list[int] = []

    def __init__(self, model: str = "none"):
        self.model_name = model

    def decode(self, window: Window, options, state: DecodeState):
        EchoEngine.decoded.append(window.index)
        yield Segment(id=0, start=round(window.start, 3), end=round(window.end, 3),
                      text=f" {window.end - window.start:.1f} seconds")


@pytest.fixture
def echo(monkeypatch):
    """Adding an engine: its module (above) and one line of the table."""
    monkeypatch.setitem(ENGINES, "echo", EngineEntry("echo", f"{__name__}:EchoEngine", "says how long the audio is"))
    EchoEngine.decoded = []
    return ENGINES["echo"]


def test_one_line_adds_an_engine_everywhere_the_table_is_read(echo):
    speech = np.zeros(25 * SAMPLE_RATE, dtype=np.float32)
    t = seespeech.transcribe(speech, engine="echo")
    assert t.model == "echo:none" and t.duration == 25.0 and len(t.segments) >= 3
    assert [s.id for s in t.segments] == list(range(len(t.segments)))
    assert t.segments[0].start == 0 and t.segments[-1].end == 25.0
    assert all(a.end == b.start for a, b in zip(t.segments, t.segments[1:]))   # windows meet
    assert t.text.endswith("seconds") and max(s.end - s.start for s in t.segments) <= 10.0
    assert split_model("echo") == ("echo", None) and split_model("echo:x") == ("echo", "x")
    rows = compare(speech, ["echo"]).rows
    assert rows[0].label == "echo:none" and rows[0].text == t.text
    with pytest.raises(OptionError, match="the echo engine takes no beam size") as refused:
        seespeech.transcribe(speech, engine="echo", beam_size=2)
    assert refused.value.param == "beam_size"


def test_the_driver_is_lazy_and_numbers_what_it_yields(echo):
    speech = np.zeros(35 * SAMPLE_RATE, dtype=np.float32)
    run = seespeech.stream(speech, engine="echo", first_window=False)
    assert EchoEngine.decoded == [] and run.total == 35.0   # nothing decoded before iterating
    first = next(iter(run))
    assert first.id == 0 and EchoEngine.decoded == [0]    # one window decoded for one segment
    transcript = run.result()
    assert len(transcript.segments) >= 4 and transcript.duration == 35.0
    assert EchoEngine.decoded == [s.id for s in transcript.segments] == list(range(len(transcript.segments)))
    assert list(run) == transcript.segments   # iterating again gives what was decoded


def test_every_engine_in_the_table_refuses_what_it_does_not_honour():
    for entry in ENGINES.values():
        for option in ("beam_size", "keep_markers", "initial_prompt", "batch_size", "vad"):
            value = {"beam_size": 2, "keep_markers": True, "initial_prompt": "x", "batch_size": 0, "vad": False}[option]
            options = TranscribeOptions(**{option: value})
            if option in entry.honours:
                entry.check(options)
            else:
                with pytest.raises(OptionError, match=f"the {entry.name} engine takes no") as refused:
                    entry.check(options)
                assert refused.value.param == option
    assert ENGINES["whisper"].honours >= {"beam_size", "keep_markers", "initial_prompt", "batch_size", "vad"}
    assert "beam_size" not in ENGINES["ctc"].honours and "keep_markers" not in ENGINES["vlm"].honours


def test_cut_windows_first_window_and_quiet_cuts():
    tone = (0.3 * np.sin(np.arange(95 * SAMPLE_RATE) * 2 * np.pi * 220 / SAMPLE_RATE)).astype(np.float32)
    tone[int(27.5 * SAMPLE_RATE):int(27.7 * SAMPLE_RATE)] = 0   # a pause just before 30 s
    sizes = [p.size / SAMPLE_RATE for p in cut_windows(tone, 40.0, 5.0, None, [], first_seconds=30.0)]
    assert sum(sizes) == pytest.approx(95.0)
    assert 27.5 <= sizes[0] <= 27.7   # cut in the pause, within the first 30 s
    assert all(s <= 40.0 for s in sizes[1:])


def test_a_stream_sends_its_first_words_after_the_first_window_only(speech):
    """On a long file (decoded in batches), the first segment leaves once the first 30 s
    are decoded, not when the whole file is; the words are as right as ever."""
    clips = read_dataset(speech / "cathy_dev")[:24]
    gap = np.zeros(6400, dtype=np.float32)
    audio = np.concatenate([x for c in clips for x in (load_audio(c.path), gap)])
    assert audio.size > 65 * SAMPLE_RATE
    decoded = []
    run = seespeech.stream(audio, model="tiny.en", language="en", progress=lambda done, total: decoded.append(done))
    first = next(iter(run))
    assert first.end <= 30.0 and max(decoded) <= 30.0, decoded
    transcript = run.result()
    assert transcript.duration > 65 and max(decoded) == pytest.approx(transcript.duration, abs=0.01)
    assert score([" ".join(c.text for c in clips)], [transcript.text]).wer < 0.08


def test_typed_errors_choose_the_status():
    from seespeech.server.errors import from_seespeech

    too_long = AudioTooLongError("talk.wav", 100.0, 60.0)
    assert from_seespeech(too_long).status == 413 and from_seespeech(too_long).code == "audio_too_long"
    assert "longer than the maximum duration 60 s" in str(too_long)
    refused = from_seespeech(OptionError("the ctc engine takes no prompt", "initial_prompt"))
    assert refused.status == 400 and refused.param == "prompt"
    with pytest.raises(AudioTooLongError):
        seespeech.transcribe(DEMO, max_duration=1.0)


def test_a_failed_transcription_says_so_when_asked_again(echo, monkeypatch):
    def broken(self, window, options, state):
        if window.index == 1:
            raise OptionError("broken on purpose")
        yield Segment(id=0, start=window.start, end=window.end, text=" fine")

    monkeypatch.setattr(EchoEngine, "decode", broken)
    run = seespeech.stream(np.zeros(25 * SAMPLE_RATE, dtype=np.float32), engine="echo", first_window=False)
    with pytest.raises(OptionError, match="broken on purpose"):
        list(run)
    with pytest.raises(RuntimeError, match="failed earlier"):
        run.result()
