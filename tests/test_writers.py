import json

import srt
import webvtt

import seespeech
from seespeech.transcript import Segment, Transcript, Word
from seespeech.speech.writers import WRITERS, format_timestamp

from conftest import DEMO


def sample() -> Transcript:
    segs = [
        Segment(0, 0.0, 2.5, " Hello there.", [Word(0.0, 1.0, " Hello", 0.9), Word(1.0, 2.5, " there.", 0.8)]),
        Segment(1, 2.4, 2.4, " Overlapping start, zero length."),
        Segment(2, 3661.25, 3662.0, " An hour later."),
    ]
    return Transcript("Hello there. Overlapping start, zero length. An hour later.", "en", 0.99, 3663.0, segs)


def test_timestamps():
    assert format_timestamp(3661.25, ",") == "01:01:01,250"
    assert format_timestamp(0.0016) == "00:00:00.002"


def test_srt_and_vtt_parse_in_standard_parsers_with_monotonic_times():
    t = sample()
    subs = list(srt.parse(WRITERS["srt"].render(t)))
    assert [s.content for s in subs] == ["Hello there.", "Overlapping start, zero length.", "An hour later."]
    assert all(a.start <= b.start for a, b in zip(subs, subs[1:]))
    assert all(s.start < s.end for s in subs)
    cues = webvtt.from_string(WRITERS["vtt"].render(t))
    assert [c.text for c in cues] == [s.content for s in subs]
    assert all(a.start_in_seconds <= b.start_in_seconds for a, b in zip(cues, cues[1:]))
    assert cues[2].start == "01:01:01.250"


def test_json_formats():
    t = sample()
    assert json.loads(WRITERS["json"].render(t)) == {"text": t.text}
    verbose = json.loads(WRITERS["verbose_json"].render(t))
    assert verbose["language"] == "en" and verbose["duration"] == 3663.0
    assert set(verbose["segments"][0]) >= {"id", "start", "end", "text", "avg_logprob", "compression_ratio",
                                           "no_speech_prob", "temperature"}
    assert [w["word"] for w in verbose["words"]] == [" Hello", " there."]
    assert Transcript.from_dict(t.to_dict()) == t


def test_real_transcript_round_trips_through_every_writer():
    t = seespeech.transcribe(DEMO, model="tiny.en", word_timestamps=True)
    for name, writer in WRITERS.items():
        text = writer.render(t)
        if name == "rttm":   # who spoke when: nothing without speakers
            assert text == ""
            continue
        assert text.endswith("\n") and "red bird" in text, name
    cues = list(srt.parse(WRITERS["srt"].render(t)))
    assert " ".join(c.content.replace("\n", " ") for c in cues).split() == t.text.split()   # all of it, cut
