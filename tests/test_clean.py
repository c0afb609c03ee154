from seespeech.speech.clean import clean_segments, collapse_loops, strip_markers
from seespeech.transcript import Segment


def seg(text, no_speech=0.0, logprob=-0.2, start=0.0, end=1.0):
    return Segment(id=0, start=start, end=end, text=text, avg_logprob=logprob, no_speech_prob=no_speech)


def test_markers_are_removed_and_speech_kept():
    assert strip_markers(" [BLANK_AUDIO]") == ""
    assert strip_markers(" [ Silence ]") == ""
    assert strip_markers(" (upbeat music)") == ""
    assert strip_markers(" ♪♪") == ""
    assert strip_markers(" *sighs* Fine.") == " Fine."
    assert strip_markers(" (laughs) That was fun.") == " That was fun."
    assert strip_markers(" Front left.") == " Front left."


def test_repetition_loops_collapse():
    assert collapse_loops(" I am going I am going I am going I am going home") == " I am going home"
    assert collapse_loops(" no, no, no, no, no.") == " no,"
    assert collapse_loops(" yes yes") == " yes yes"  # two is speech, not a loop
    assert collapse_loops(" one two three four") == " one two three four"


def test_outros_go_only_where_there_is_no_speech():
    assert clean_segments([seg(" Thanks for watching!")], has_speech=lambda a, b: False) == []
    assert clean_segments([seg(" You", no_speech=0.5)]) == []
    kept = clean_segments([seg(" Thank you.")], has_speech=lambda a, b: True)
    assert [s.text for s in kept] == [" Thank you."]


def test_repeated_segments_are_a_loop():
    segs = [seg(" We will go.", start=i, end=i + 1) for i in range(5)] + [seg(" Done.", start=5, end=6)]
    kept = clean_segments(segs, has_speech=lambda a, b: True)
    assert [s.text for s in kept] == [" We will go.", " We will go.", " Done."]
    assert [s.id for s in kept] == [0, 1, 2]
