"""The seespeech command as a user runs it: batches, bad inputs, stdin, evaluate, demo."""

import json

import srt

from conftest import DEMO, assert_one_line_error, run_cli
from test_audio import bad_inputs


def cli_bad_inputs(folder, speech) -> dict:
    """The audio module's bad inputs; a folder given to the CLI is searched for audio instead."""
    return {**bad_inputs(folder, speech), "no_audio_here": "folder holds no audio files"}


def test_batch_with_bad_files_reports_them_and_finishes_the_rest(tmp_path, speech):
    inputs = tmp_path / "in"
    inputs.mkdir()
    expected = cli_bad_inputs(inputs, speech)
    (inputs / "good.flac").write_bytes(DEMO.read_bytes())
    out = tmp_path / "out"
    paths = [str(inputs / name) for name in expected] + [str(inputs / "good.flac")]
    result = run_cli("transcribe", *paths, "-m", "tiny.en", "-o", str(out), "-f", "srt")
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "Traceback" not in err
    for name, message in expected.items():
        assert any(name in line and message in line for line in err.splitlines()), (name, err)
    assert "6 of 7 inputs failed" in err
    assert [p.name for p in out.iterdir()] == ["good.srt"]
    assert "red bird" in list(srt.parse((out / "good.srt").read_text()))[0].content


def test_each_bad_input_alone_exits_with_one_line(tmp_path, speech):
    expected = cli_bad_inputs(tmp_path, speech)
    for name, message in expected.items():
        result = run_cli("transcribe", str(tmp_path / name), "-m", "tiny.en", "-o", str(tmp_path / "out"))
        assert_one_line_error(result, message)
        assert result.returncode in (1, 3)
        assert len(result.stderr.decode().strip().splitlines()) == 1, result.stderr


def test_outputs_are_never_overwritten_silently(tmp_path):
    out = tmp_path / "out"
    assert run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-o", str(out), "-f", "txt").returncode == 0
    (out / "demo.txt").write_text("my notes\n")
    again = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-o", str(out), "-f", "txt")
    assert_one_line_error(again, "exists (use --overwrite")
    assert (out / "demo.txt").read_text() == "my notes\n"
    forced = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-o", str(out), "-f", "txt", "--overwrite")
    assert forced.returncode == 0 and "red bird" in (out / "demo.txt").read_text()


def test_same_name_in_two_folders_does_not_clobber(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "clip.flac").write_bytes(DEMO.read_bytes())
    result = run_cli("transcribe", str(tmp_path / "*" / "clip.flac"), "-m", "tiny.en", "-o", str(tmp_path / "o"),
                     "-f", "json")
    assert result.returncode == 1
    assert "would overwrite the output of" in result.stderr.decode()
    assert json.loads((tmp_path / "o" / "clip.json").read_text())["text"]


def test_folder_input_all_formats_and_word_timestamps(tmp_path, speech):
    out = tmp_path / "out"
    result = run_cli("transcribe", str(speech / "alsa"), "-m", "tiny.en", "-o", str(out), "--word-timestamps")
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*.srt"))) == 8 and len(list(out.glob("*.vtt"))) == 8
    verbose = json.loads((out / "Front_Left.verbose.json").read_text())
    assert verbose["words"] and "left" in verbose["text"].lower()


def test_stdin_to_stdout():
    result = run_cli("transcribe", "-", "-m", "tiny.en", stdin=DEMO.read_bytes())
    assert result.returncode == 0
    assert "red bird" in result.stdout.decode()
    as_json = run_cli("transcribe", "-", "-m", "tiny.en", "-f", "verbose_json", stdin=DEMO.read_bytes())
    assert json.loads(as_json.stdout)["segments"]
    empty = run_cli("transcribe", "-", "-m", "tiny.en", stdin=b"")
    assert_one_line_error(empty, "<stdin>", "empty input")


def test_option_errors(tmp_path):
    translate = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "--task", "translate", "-o", str(tmp_path))
    assert translate.returncode == 2
    assert_one_line_error(translate, "English-only")
    assert run_cli("transcribe", str(DEMO), "--language", "klingon", "-o", str(tmp_path)).returncode == 2
    assert run_cli("transcribe", str(DEMO), "--format", "docx").returncode == 2


def test_evaluate_json(speech):
    result = run_cli("evaluate", str(speech / "alsa"), "-m", "tiny.en", "--language", "en", "--json")
    assert result.returncode == 0, result.stderr
    [report] = json.loads(result.stdout)
    assert report["clips"] == 8 and report["failed"] == 0
    assert report["scores"]["wer"] <= 0.2 and report["scores"]["reference_words"] == 16
    assert report["audio_seconds"] > 5 and report["rtf"] > 0
    table = run_cli("evaluate", str(speech / "alsa"), "-m", "tiny.en", "--limit", "2")
    assert "WER" in table.stdout.decode()
    missing = run_cli("evaluate", str(speech))
    assert_one_line_error(missing, "transcripts.tsv")


def test_demo_writes_transcripts(tmp_path):
    result = run_cli("demo", "-o", str(tmp_path / "demo"))
    assert result.returncode == 0, result.stderr
    assert "red bird" in (tmp_path / "demo" / "demo.txt").read_text()
    assert {p.name for p in (tmp_path / "demo").iterdir()} >= {"demo.png", "demo.plan.json", "demo.mel.png", "demo.srt"}
    plan = json.loads((tmp_path / "demo" / "demo.plan.json").read_text())
    assert {o["noun"] for o in plan["objects"]} == {"bird", "branch", "house", "sun"}
