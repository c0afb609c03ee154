"""The seespeech command as a user runs it: batches, bad inputs, stdin, evaluate, demo."""

import json
from pathlib import Path

import pytest
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
    assert f"{len(expected)} of {len(expected) + 1} inputs failed" in err
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


@pytest.mark.slow   # every format of a folder (~12 s): make test-all and CI run it
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


@pytest.mark.slow   # a WER table over clips (~8 s): make test-all and CI run it; the default tier stays near 5 minutes
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
    files = {"demo.txt", "demo.json", "demo.verbose.json", "demo.srt", "demo.vtt", "demo.mel.png", "demo.png",
             "demo.plan.json"}
    assert {p.name for p in (tmp_path / "demo").iterdir()} == files   # as the README says
    said = {Path(p).name for line in result.stdout.decode().splitlines() if line.startswith("wrote ")
            for p in line[6:].split(", ")}
    assert said == files   # and it says what it wrote, no more
    plan = json.loads((tmp_path / "demo" / "demo.plan.json").read_text())
    assert {o["noun"] for o in plan["objects"]} == {"bird", "branch", "house", "sun"}


def test_same_named_files_in_different_formats_get_distinct_names(tmp_path, speech):
    """jfk.wav, jfk.flac and jfk.mp3 into one folder: jfk.wav.txt, jfk.flac.txt, jfk.mp3.txt."""
    out = tmp_path / "out"
    result = run_cli("transcribe", str(speech / "formats"), "-m", "tiny.en", "-o", str(out), "-f", "txt")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["1272-141231-0002.flac.txt", "1272-141231-0002.mp3.txt", "LDC93S1_8000.txt",
                     "LDC93S1_stereo_44100.txt", "jfk.flac.txt", "jfk.mp3.txt", "jfk.wav.txt"]
    assert len({(out / n).read_text() for n in names if n.startswith("jfk")}) == 1  # the same speech


def test_stdin_writes_files_when_asked(tmp_path):
    out = tmp_path / "d"
    result = run_cli("transcribe", "-", "-m", "tiny.en", "-f", "all", "-o", str(out), stdin=DEMO.read_bytes())
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"stdin{ext}" for ext in (".txt", ".json", ".verbose.json", ".srt", ".vtt", ".tsv", ".lrc", ".csv"))
    assert "red bird" in (out / "stdin.txt").read_text()
    named = run_cli("transcribe", "-", "-m", "tiny.en", "-f", "srt", "-o", str(out), "--name", "call-42",
                    stdin=DEMO.read_bytes())
    assert named.returncode == 0 and (out / "call-42.srt").is_file()
    again = run_cli("transcribe", "-", "-m", "tiny.en", "-f", "srt", "-o", str(out), "--name", "call-42",
                    stdin=DEMO.read_bytes())
    assert_one_line_error(again, "call-42.srt exists")


def test_outputs_get_the_permissions_the_umask_gives(tmp_path):
    """Transcripts, pictures and plans are 0644 under umask 022 (not the 0600 of a temporary file)."""
    import os
    import stat

    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        assert run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-o", str(out), "-f", "txt").returncode == 0
        assert run_cli("imagine", "a red bird on a branch", "-o", str(out / "bird.png"),
                       "--plan", str(out / "bird.json")).returncode == 0
        assert run_cli("show", str(DEMO), "-o", str(out / "demo.mel.png"), "-k", "mel").returncode == 0
    finally:
        os.umask(old)
    for name in ("demo.txt", "bird.png", "bird.json", "demo.mel.png"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name


def test_a_missing_input_is_exit_3_in_every_command_before_any_model_loads(tmp_path):
    missing = str(tmp_path / "missing.wav")
    # a model that does not exist would be exit 4: the input is checked first
    for args in (["transcribe", missing, "-m", str(tmp_path / "no-model")], ["show", missing],
                 ["compare", missing, "--engines", "whisper", "-m", str(tmp_path / "no-model")],
                 ["imagine", missing, "-m", str(tmp_path / "no-model")]):
        result = run_cli(*args)
        assert_one_line_error(result, "missing.wav", "no such file")
        assert result.returncode == 3, (args, result.stderr)
    (tmp_path / "notes.wav").write_text("not audio")
    unreadable = run_cli("compare", str(tmp_path / "notes.wav"), "--engines", "whisper,ctc")
    assert_one_line_error(unreadable, "not an audio file")
    assert unreadable.returncode == 3


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_language_names_and_english_only_model_on_other_speech(speech, tmp_path):
    english = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "--language", "English", "-o", str(tmp_path),
                      "-f", "txt")
    assert english.returncode == 0, english.stderr
    assert "warning" not in english.stderr.decode()
    spanish = speech / "multilingual" / "mls_es_13697_11991_000000.flac"
    result = run_cli("transcribe", str(spanish), "-m", "tiny.en", "-o", str(tmp_path), "-f", "txt")
    assert result.returncode == 0
    assert "English-only" in result.stderr.decode() and "Spanish" in result.stderr.decode()
    base = run_cli("transcribe", str(spanish), "--language", "spanish", "-o", str(tmp_path), "-f", "json")
    assert base.returncode == 0 and "sorpresa" in (tmp_path / "mls_es_13697_11991_000000.json").read_text().lower()


def test_quiet_everywhere_and_one_plan_object_per_picture(tmp_path, speech):
    quiet = run_cli("show", str(DEMO), "-o", str(tmp_path / "m.png"), "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == b"" and quiet.stderr == b""
    table = run_cli("evaluate", str(speech / "alsa"), "-m", "tiny.en", "--limit", "1", "--quiet")
    assert table.returncode == 0 and "WER" in table.stdout.decode() and table.stderr == b""
    compared = run_cli("compare", str(DEMO), "--engines", "whisper", "-m", "tiny.en", "--json", "--quiet")
    assert compared.returncode == 0 and json.loads(compared.stdout)["rows"][0]["engine"] == "whisper"
    two = run_cli("imagine", "two cats under a table", "-n", "2", "-o", str(tmp_path / "c.png"),
                  "--plan", str(tmp_path / "c.json"), "--quiet")
    assert two.returncode == 0, two.stderr
    for i in (1, 2):
        plan = json.loads((tmp_path / f"c-{i}.json").read_text())
        assert isinstance(plan, dict) and plan["seed"] == i - 1 and (tmp_path / f"c-{i}.png").is_file()
    one = run_cli("imagine", "a cat", "-o", str(tmp_path / "one.png"), "--plan", str(tmp_path / "one.json"))
    assert one.returncode == 0 and isinstance(json.loads((tmp_path / "one.json").read_text()), dict)


def test_manifests_list_the_inputs(tmp_path):
    """A path a line (relative to the manifest), or a CSV with a path column; a listed file that
    is missing is reported and the rest are done."""
    (tmp_path / "clips").mkdir()
    (tmp_path / "clips" / "a.flac").write_bytes(DEMO.read_bytes())
    listing = tmp_path / "list.txt"
    listing.write_text("# my corpus\nclips/a.flac\nclips/missing.flac\n")
    result = run_cli("transcribe", str(listing), "-m", "tiny.en", "-f", "txt", "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "missing.flac: listed in" in result.stderr.decode()
    assert "red bird" in (tmp_path / "out" / "a.txt").read_text()
    table = tmp_path / "list.csv"
    table.write_text(f"path,speaker\n{tmp_path / 'clips' / 'a.flac'},cathy\n")
    again = run_cli("transcribe", str(table), "-m", "tiny.en", "-f", "srt", "-o", str(tmp_path / "out"))
    assert again.returncode == 0 and (tmp_path / "out" / "a.srt").is_file()


def test_a_folder_and_a_pattern_and_the_same_file_twice(tmp_path):
    """The README's `transcribe recordings/ "*.mp3" -o subs -f srt --word-timestamps`: the pattern
    filters the folder's files, wherever the command runs; a file found twice is transcribed once."""
    recordings = tmp_path / "recordings"
    (recordings / "older").mkdir(parents=True)
    for name in ("a.flac", "older/b.flac", "c.wav"):
        (recordings / name).write_bytes(DEMO.read_bytes())
    subs = tmp_path / "subs"
    result = run_cli("transcribe", "recordings/", "*.flac", "-m", "tiny.en", "-o", str(subs), "-f", "srt",
                     "--word-timestamps", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no files match" not in result.stderr.decode()
    assert sorted(p.name for p in subs.iterdir()) == ["a.srt", "b.srt"]   # c.wav is not a flac
    inside = run_cli("transcribe", "./", "*.flac", "-m", "tiny.en", "-o", str(tmp_path / "here"), "-f", "srt",
                     cwd=recordings)
    assert inside.returncode == 0, inside.stderr
    assert "would overwrite" not in inside.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "here").iterdir()) == ["a.srt", "b.srt"]
    twice = run_cli("transcribe", "recordings/a.flac", str(recordings / "a.flac"), "recordings/*.flac",
                    "-m", "tiny.en", "-o", str(tmp_path / "twice"), "-f", "txt", cwd=tmp_path)
    assert twice.returncode == 0, twice.stderr
    assert twice.stderr.decode().count("✓") == 1 and "recordings/a.flac" in twice.stderr.decode()
    nothing = run_cli("transcribe", "recordings/", "*.mp3", "-m", "tiny.en", "-o", str(tmp_path / "n"), cwd=tmp_path)
    assert_one_line_error(nothing, "recordings/", "matches *.mp3")
    assert nothing.returncode == 3
    stray = run_cli("transcribe", "*.mp3", "-m", "tiny.en", "-o", str(tmp_path / "n"), cwd=tmp_path)
    assert_one_line_error(stray, "*.mp3", "no files match this pattern (in the current folder")


def test_openai_whisper_spellings_work_and_stay_out_of_help(tmp_path):
    out = tmp_path / "out"
    result = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "--output_dir", str(out), "--output_format", "srt",
                     "--word_timestamps", "True", "--condition_on_previous_text", "False", "--beam_size", "2",
                     "--best_of=3", "--initial_prompt", "Birds.", "--verbose", "False")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["demo.srt"] and "red bird" in (out / "demo.srt").read_text()
    assert result.stderr == b""   # --verbose False is --quiet
    words = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "--output_dir", str(out), "--output_format",
                    "verbose_json", "--word_timestamps", "False")
    assert words.returncode == 0, words.stderr
    assert "words" not in json.loads((out / "demo.verbose.json").read_text())
    bad = run_cli("transcribe", str(DEMO), "--word_timestamps=maybe", "-o", str(out))
    assert bad.returncode == 2 and "not True or False" in bad.stderr.decode()
    shown = run_cli("transcribe", "--help").stdout.decode()
    assert "--output_format" not in shown and "--word_timestamps" not in shown and "--output-dir" in shown


def test_the_text_shows_as_it_is_decoded_and_existing_outputs_are_said_once(tmp_path):
    """As the Whisper CLIs do: `[00:00.000 --> 00:04.400]  text` lines on standard output
    (not with --quiet, not when the transcript itself goes there); running twice says once
    which option replaces the outputs."""
    for name in ("a.flac", "b.flac"):
        (tmp_path / name).write_bytes(DEMO.read_bytes())
    out = tmp_path / "out"
    result = run_cli("transcribe", str(tmp_path / "a.flac"), str(tmp_path / "b.flac"), "-m", "tiny.en",
                     "-o", str(out), "-f", "txt")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) >= 2 and all(line.startswith("[00:0") and " --> " in line and "]  " in line for line in lines)
    assert sum("red bird" in line for line in lines) == 2
    again = run_cli("transcribe", str(tmp_path / "a.flac"), str(tmp_path / "b.flac"), "-m", "tiny.en",
                    "-o", str(out), "-f", "txt")
    assert again.returncode == 1 and again.stdout == b""
    err = again.stderr.decode()
    assert "the outputs of 2 inputs exist already" in err and "add --overwrite to replace them" in err
    assert err.count("--overwrite") == 1
    quiet = run_cli("transcribe", str(tmp_path / "a.flac"), "-m", "tiny.en", "-o", str(out), "-f", "srt", "-q")
    assert quiet.returncode == 0 and quiet.stdout == b"" and quiet.stderr == b""
    piped = run_cli("transcribe", "-", "-m", "tiny.en", stdin=DEMO.read_bytes())
    assert "-->" not in piped.stdout.decode() and "red bird" in piped.stdout.decode()
