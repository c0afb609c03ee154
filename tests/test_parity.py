"""Issue 20: the Whisper CLIs' options, readable subtitles, more formats, speakers by channel,
per-file scores. Each option is checked for its effect, not only for being accepted."""

import csv
import io
import json
import re
import wave

import numpy as np
import pytest
import srt
import webvtt

import seespeech
from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.speech.diarize import TurnSpeakers, label_segment
from seespeech.speech.evaluate import normalise, read_dataset
from seespeech.speech.subtitles import SubtitleOptions, build_cues, layout
from seespeech.speech import temperature_schedule
from seespeech.transcript import Segment, Transcript, Word
from seespeech.speech.writers import WRITERS

from conftest import DEMO, SPEECH, assert_one_line_error, run_cli

CATHY = SPEECH / "cathy_dev"


def write_wav(path, audio: np.ndarray) -> None:
    """16 kHz PCM16: mono (samples,) or one channel per column (samples, channels)."""
    data = (np.clip(audio, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1 if data.ndim == 1 else data.shape[1])
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(data.tobytes())


@pytest.fixture(scope="module")
def seventy_seconds(tmp_path_factory):
    """About 70 s of one speaker's sentences, read one after another."""
    pieces, total = [], 0
    for clip in read_dataset(CATHY):
        audio = load_audio(clip.path)
        pieces.append(audio)
        total += audio.size
        if total >= 70 * SAMPLE_RATE:
            break
    path = tmp_path_factory.mktemp("long") / "seventy.wav"
    write_wav(path, np.concatenate(pieces))
    return path


# ---------------------------------------------------------------- subtitles


def test_line_limits_hold_on_a_70_second_file(seventy_seconds, tmp_path):
    result = run_cli("transcribe", str(seventy_seconds), "-m", "tiny.en", "-l", "en", "-f", "srt,vtt,txt",
                     "-o", str(tmp_path), "-q")
    assert result.returncode == 0, result.stderr
    subs = list(srt.parse((tmp_path / "seventy.srt").read_text()))
    assert len(subs) >= 12   # about 70 s of speech in readable pieces
    for sub in subs:
        lines = sub.content.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), sub.content
        assert (sub.end - sub.start).total_seconds() <= 7.0 + 1e-6, sub
    assert all(a.start <= b.start for a, b in zip(subs, subs[1:])) and all(s.start < s.end for s in subs)
    # nothing said is lost in the cutting
    words = " ".join(s.content.replace("\n", " ") for s in subs).split()
    assert words == (tmp_path / "seventy.txt").read_text().split()
    cues = list(webvtt.read(str(tmp_path / "seventy.vtt")))
    assert [c.text for c in cues] == [s.content for s in subs]


def test_narrower_lines_and_fewer_words_when_asked(seventy_seconds, tmp_path):
    result = run_cli("transcribe", str(seventy_seconds), "-m", "tiny.en", "-l", "en", "-f", "srt", "-o",
                     str(tmp_path), "-q", "--max-line-width", "24", "--max-line-count", "1",
                     "--max-words-per-line", "4")
    assert result.returncode == 0, result.stderr
    subs = list(srt.parse((tmp_path / "seventy.srt").read_text()))
    for sub in subs:
        assert "\n" not in sub.content and len(sub.content) <= 24 and len(sub.content.split()) <= 4, sub.content


def test_highlighted_words_underline_one_word_a_cue_in_time(tmp_path):
    result = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-f", "srt,verbose_json", "-o", str(tmp_path),
                     "-q", "--highlight-words")
    assert result.returncode == 0, result.stderr
    words = json.loads((tmp_path / "demo.verbose.json").read_text())["words"]   # word timings were turned on
    subs = list(srt.parse((tmp_path / "demo.srt").read_text()))
    underlined = [s for s in subs if "<u>" in s.content]
    assert len(underlined) == len(words)
    for sub, word in zip(underlined, words):
        assert sub.content.count("<u>") == 1 == sub.content.count("</u>")
        assert re.search(r"<u>(.+?)</u>", sub.content).group(1) == word["word"].strip()
        assert abs(sub.start.total_seconds() - word["start"]) < 0.002
    assert all(a.start <= b.start for a, b in zip(subs, subs[1:]))


def test_cues_break_at_sentence_and_clause_ends_and_balance_lines():
    text = ("And so, my fellow Americans, ask not what your country can do for you; ask what you can do "
            "for your country. Short one.")
    t = Transcript(text, "en", 1.0, 9.0, [Segment(0, 0.0, 9.0, " " + text)])
    cues = build_cues(t.segments)
    assert [c.text for c in cues] == [
        "And so, my fellow Americans,\nask not what your country can do for you;",
        "ask what you can do for your country.",
        "Short one.",
    ]
    assert layout(["one", "two"], (42, 42), None) == (0,)   # one line when it fits
    assert layout(["x" * 50], (42, 42), None) == (0,)        # an over-long word stands alone
    with pytest.raises(seespeech.OptionError):
        SubtitleOptions(max_line_width=3).validated()


# ---------------------------------------------------------------- formats


def test_tsv_csv_and_lrc_parse_as_their_tools_write_them(tmp_path):
    result = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-f", "tsv,csv,lrc,verbose_json", "-o",
                     str(tmp_path), "-q")
    assert result.returncode == 0, result.stderr
    segments = json.loads((tmp_path / "demo.verbose.json").read_text())["segments"]
    # openai/whisper's tsv: integer milliseconds, a header
    rows = list(csv.DictReader(io.StringIO((tmp_path / "demo.tsv").read_text()), delimiter="\t"))
    assert [int(r["start"]) for r in rows] == [round(s["start"] * 1000) for s in segments]
    assert [int(r["end"]) for r in rows] == [round(s["end"] * 1000) for s in segments]
    assert [r["text"] for r in rows] == [s["text"].strip() for s in segments]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "demo.csv").read_text())))
    assert list(rows[0]) == ["start", "end", "text"] and rows[0]["text"] == segments[0]["text"].strip()
    lrc = (tmp_path / "demo.lrc").read_text().splitlines()
    assert lrc[0] == "[by:seespeech]"
    assert all(re.fullmatch(r"\[\d\d:\d\d\.\d\d\].+", line) for line in lrc[1:]) and len(lrc) == len(segments) + 1
    bad = run_cli("transcribe", str(DEMO), "-f", "srt,docx", "-o", str(tmp_path))
    assert_one_line_error(bad, "'docx' is not a format")
    assert bad.returncode == 2


# ---------------------------------------------------------------- decoding options


def test_temperature_schedule_and_no_fallback_is_deterministic(tmp_path):
    assert temperature_schedule(0.0, 0.2) == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    assert temperature_schedule(0.3, 0.2) == (0.3, 0.5, 0.7, 0.9) and temperature_schedule(0.0, 0) == 0.0
    runs = []
    for _ in range(2):
        result = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-f", "verbose_json", "-o", str(tmp_path),
                         "-q", "--overwrite", "--temperature", "0", "--temperature-increment-on-fallback", "0")
        assert result.returncode == 0, result.stderr
        runs.append(json.loads((tmp_path / "demo.verbose.json").read_text()))
    assert runs[0]["segments"] == runs[1]["segments"]
    assert {s["temperature"] for s in runs[0]["segments"]} == {0.0}
    hot = seespeech.transcribe(DEMO, model="tiny.en", temperature=0.6, best_of=2)
    assert {s.temperature for s in hot.segments} == {0.6}   # the temperature asked for was used


def test_decoding_options_reach_faster_whisper(monkeypatch):
    from seespeech.speech import load_engine

    engine = load_engine("whisper", "tiny.en")
    seen = {}
    real = type(engine.model).transcribe

    def spy(self, audio, **kwargs):
        seen.update(kwargs)
        return real(self, audio, **kwargs)

    monkeypatch.setattr(type(engine.model), "transcribe", spy)
    seespeech.transcribe(DEMO, model="tiny.en", condition_on_previous_text=False, best_of=3, patience=1.5,
                         hotwords="Kathy Lee", beam_size=4)
    assert (seen["condition_on_previous_text"], seen["best_of"], seen["patience"], seen["hotwords"],
            seen["beam_size"]) == (False, 3, 1.5, "Kathy Lee", 4)
    seespeech.transcribe(DEMO, model="tiny.en")
    assert seen["condition_on_previous_text"] is True and seen["hotwords"] is None   # Whisper's defaults
    with pytest.raises(seespeech.OptionError, match="best_of"):
        seespeech.transcribe(DEMO, model="tiny.en", best_of=0)


def test_threads_and_compute_type_load_the_model_as_asked(tmp_path):
    from seespeech.speech import _engines

    result = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-f", "txt", "-o", str(tmp_path), "-q",
                     "--threads", "1", "--compute-type", "float32")
    assert result.returncode == 0, result.stderr
    loaded = [engine for key, engine in _engines.items()
              if key[:2] == ("whisper", "tiny.en") and ("compute_type", "float32") in key[2]]
    assert loaded and loaded[0].model.model.compute_type == "float32"
    assert "red bird" in (tmp_path / "demo.txt").read_text()
    refused = run_cli("transcribe", str(DEMO), "--engine", "ctc", "--threads", "2", "-o", str(tmp_path))
    assert_one_line_error(refused, "--threads", "whisper engine")


# ---------------------------------------------------------------- speakers


@pytest.fixture(scope="module")
def call(tmp_path_factory):
    """A stereo 'call': the left speaker says one sentence, then the right speaker another."""
    clips = read_dataset(CATHY)[:2]
    left, right = load_audio(clips[0].path), load_audio(clips[1].path)
    gap = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    n = left.size + gap.size + right.size
    stereo = np.zeros((n, 2), dtype=np.float32)
    stereo[:left.size, 0] = left
    stereo[left.size + gap.size:, 1] = right
    stereo[:, 1] += 0.003 * np.random.default_rng(0).standard_normal(n)   # a little line noise
    path = tmp_path_factory.mktemp("call") / "call.wav"
    write_wav(path, stereo)
    return path, clips


def test_diarize_channels_labels_each_speaker(call, tmp_path):
    path, clips = call
    result = run_cli("transcribe", str(path), "-m", "tiny.en", "-l", "en", "--diarize", "channels",
                     "-f", "verbose_json,txt,srt,csv", "-o", str(tmp_path), "-q")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "call.verbose.json").read_text())
    spoken = {}
    for segment in data["segments"]:
        spoken.setdefault(segment["speaker"], []).append(segment["text"])
    assert set(spoken) == {"SPEAKER_00", "SPEAKER_01"}
    for label, clip in zip(("SPEAKER_00", "SPEAKER_01"), clips):
        said = set(re.findall(r"[a-z']+", " ".join(spoken[label]).lower()))
        meant = set(re.findall(r"[a-z']+", clip.text.lower()))
        assert len(said & meant) >= 0.7 * len(meant), (label, said, meant)
    assert "words" not in data   # word timings were used, not asked for
    txt = (tmp_path / "call.txt").read_text().splitlines()
    assert [line.split(":")[0] for line in txt] == ["SPEAKER_00", "SPEAKER_01"]
    assert "[SPEAKER_00]" in (tmp_path / "call.srt").read_text()
    assert list(csv.DictReader(io.StringIO((tmp_path / "call.csv").read_text())))[-1]["speaker"] == "SPEAKER_01"


def test_diarize_refuses_what_it_cannot_do(tmp_path):
    mono = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "--diarize", "channels", "-o", str(tmp_path))
    assert_one_line_error(mono, "one speaker per channel")
    assert mono.returncode == 3
    nonsense = run_cli("transcribe", str(DEMO), "--diarize", "speakers", "-o", str(tmp_path))
    assert_one_line_error(nonsense, "diarize must be 'auto'")
    assert nonsense.returncode == 2
    pipeline = tmp_path / "pipeline"
    pipeline.mkdir()
    (pipeline / "config.yaml").write_text("pipeline: {}\n")
    try:
        import pyannote.audio  # noqa: F401
    except ImportError:
        missing = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "--diarize", str(pipeline), "-o", str(tmp_path))
        assert_one_line_error(missing, "pip install pyannote.audio")


def test_a_diarizations_turns_split_segments_by_word():
    words = [Word(0.0, 0.4, " Hello", 0.9), Word(0.4, 0.9, " there.", 0.9), Word(1.2, 1.6, " Hi", 0.9),
             Word(1.6, 2.0, " back.", 0.9)]
    segment = Segment(0, 0.0, 2.0, " Hello there. Hi back.", words, tokens=[1, 2, 3])
    turns = TurnSpeakers([(0.0, 1.0, "SPEAKER_00"), (1.1, 2.5, "SPEAKER_01")])
    pieces = label_segment(segment, turns, keep_words=False)
    assert [(p.speaker, p.text, p.start, p.end, p.words) for p in pieces] == [
        ("SPEAKER_00", " Hello there.", 0.0, 0.9, None), ("SPEAKER_01", " Hi back.", 1.2, 2.0, None)]
    assert WRITERS["txt"].render(Transcript("", "en", 1, 2, pieces)) == (
        "SPEAKER_00: Hello there.\nSPEAKER_01: Hi back.\n")


# ---------------------------------------------------------------- evaluate


def test_evaluate_json_scores_each_file(tmp_path):
    result = run_cli("evaluate", str(CATHY), "-m", "tiny.en", "-l", "en", "--limit", "3", "--json")
    assert result.returncode == 0, result.stderr
    files = json.loads(result.stdout)[0]["files"]
    assert len(files) == 3
    for f in files:
        assert 0 <= f["wer"] <= 1 and 0 <= f["cer"] <= 1 and f["hypothesis"]
    # the corpus WER is the files' WERs weighted by their reference words
    lengths = [len(normalise(f["reference"]).split()) for f in files]
    weighted = sum(f["wer"] * n for f, n in zip(files, lengths)) / sum(lengths)
    assert abs(weighted - json.loads(result.stdout)[0]["scores"]["wer"]) < 1e-4


# ---------------------------------------------------------------- the server


def test_the_server_takes_the_same_options(tmp_path, call):
    from fastapi.testclient import TestClient

    from seespeech.server import Settings, create_app

    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, workers=1))
    path, _ = call
    with TestClient(app) as client:
        def post(audio, **data):
            return client.post("/v1/audio/transcriptions", files={"file": (audio.name, audio.read_bytes())},
                               data={"model": "tiny.en", **data})

        narrow = post(DEMO, response_format="srt", max_line_width="16", max_line_count="1")
        assert narrow.status_code == 200 and narrow.headers["content-type"].startswith("text/plain")
        assert all(len(s.content) <= 16 and "\n" not in s.content for s in srt.parse(narrow.text))
        tsv = post(DEMO, response_format="tsv")
        assert tsv.status_code == 200 and tsv.text.startswith("start\tend\ttext\n")
        assert tsv.headers["content-type"].startswith("text/tab-separated-values")
        karaoke = post(DEMO, response_format="vtt", highlight_words="true")
        assert karaoke.text.count("<u>") >= 5
        speakers = post(path, response_format="verbose_json", diarize="channels", language="en")
        assert speakers.status_code == 200, speakers.text
        assert {s["speaker"] for s in speakers.json()["segments"]} == {"SPEAKER_00", "SPEAKER_01"}
        hot = post(DEMO, response_format="verbose_json", temperature="0.6", best_of="2")
        assert {s["temperature"] for s in hot.json()["segments"]} == {0.6}
        for field, value in (("best_of", "0"), ("max_line_width", "3"), ("diarize", "people"),
                             ("patience", "-1")):
            refused = post(DEMO, **{field: value})
            assert refused.status_code == 400 and refused.json()["error"]["param"] == field, refused.text
        mono = post(DEMO, diarize="channels")
        assert mono.status_code == 400 and "one speaker per channel" in mono.json()["error"]["message"]
