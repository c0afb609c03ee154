"""Issue 32, item 6: one table of exit codes (errors.EXIT_CODES, the README's "Exit codes"),
and every command held to it, in this process and before any model loads."""

import importlib.util
import re
import sys
from pathlib import Path

from conftest import DEMO, run_cli
from seespeech.errors import (
    EXIT_CODES, EXIT_EXTRA, EXIT_FAILED, EXIT_INPUT, EXIT_MODEL, EXIT_OPTION, EXIT_UNAVAILABLE,
)

README = Path(__file__).parents[1] / "README.md"


def test_the_readme_table_is_the_code_table():
    text = README.read_text(encoding="utf-8")
    section = text.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = {int(code): meaning for code, meaning in re.findall(r"^\| (\d+) \| (.+) \|$", section, re.M)}
    assert rows == EXIT_CODES
    assert text.count("### Exit codes") == 1


def test_every_command_keeps_to_the_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # no PortAudio, whatever this machine has: the import fails as it does without the library
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    demo = str(DEMO)
    for name in ("exists.wav", "exists.png", "exists.txt"):
        (tmp_path / name).write_bytes(b"mine")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "demo.txt").write_text("mine")
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "again.flac").write_bytes(DEMO.read_bytes())
    (tmp_path / "out" / "again.txt").write_text("mine")
    (tmp_path / "clips").mkdir()
    (tmp_path / "clips" / "transcripts.tsv").write_text("file\ttext\ngone.flac\thello\nlost.flac\tthere\n")
    try:
        import ray  # noqa: F401
        no_cluster = EXIT_UNAVAILABLE
    except ImportError:
        no_cluster = EXIT_EXTRA
    has_torch = importlib.util.find_spec("torch") is not None
    cases = [
        # a device or service that is not there
        (["say", "Hi.", "--play"], EXIT_UNAVAILABLE, "PortAudio"),
        (["listen", "-q"], EXIT_UNAVAILABLE, "PortAudio"),
        (["transcribe", demo, "--ray", "nohost.invalid:6379", "-q"], no_cluster, "nohost.invalid"),
        # a missing input, in every command that reads one
        (["listen", "--from", "missing.wav"], EXIT_INPUT, "missing.wav: no such file"),
        (["transcribe", "missing.wav"], EXIT_INPUT, "missing.wav: no such file"),
        (["show", "missing.wav"], EXIT_INPUT, "missing.wav: no such file"),
        (["imagine", "missing.wav"], EXIT_INPUT, "missing.wav: no such file"),
        (["compare", "missing.wav"], EXIT_INPUT, "missing.wav: no such file"),
        (["evaluate", "missing/"], EXIT_INPUT, "missing: not a folder"),
        (["read", "missing.png"], EXIT_INPUT, "missing.png"),
        (["train-ctc", "--data", "missing/", "--out", "m"], EXIT_INPUT if has_torch else EXIT_EXTRA,
         "missing" if has_torch else "[ctc]"),
        # a model that is not there, whichever command names it
        (["transcribe", demo, "-m", "no-model/"], EXIT_MODEL, "no-model/"),
        (["models", "path", "no-model/"], EXIT_MODEL, "no-model/"),
        (["describe", "exists.png", "--model", "no-model/"], EXIT_MODEL, "no-model/"),
        (["translate", "Hi.", "--from", "en", "--to", "pt", "--engine", "opus-mt", "--model", "no-model/"],
         EXIT_MODEL, "no-model/"),
        (["compare", demo, "--engines", "vlm", "--vlm-model", "no-model/"], EXIT_MODEL, "no engine ran: vlm"),
        # an output that is there already
        (["say", "Hi.", "-o", "exists.wav"], EXIT_OPTION, "exists.wav exists (use --overwrite"),
        (["show", demo, "-o", "exists.png"], EXIT_OPTION, "exists.png exists (use --overwrite"),
        (["imagine", "a red bird", "-o", "exists.png"], EXIT_OPTION, "exists.png exists (use --overwrite"),
        (["listen", "--from", demo, "-o", "exists.txt"], EXIT_OPTION, "exists.txt exists (use --overwrite"),
        (["transcribe", demo, "-o", "out", "-f", "txt"], EXIT_OPTION, "demo.txt exists (use --overwrite"),
        # several inputs: 1 when any failed (evaluate: clips it could not transcribe)
        (["evaluate", "clips", "-m", "tiny.en"], EXIT_FAILED, "clips/gone.flac: no such file"),
        (["transcribe", demo, "copy/again.flac", "-o", "out", "-f", "txt"], EXIT_FAILED, "add --overwrite"),
        # a bad option
        (["transcribe", demo, "--beam-size", "0"], EXIT_OPTION, "--beam-size"),
    ]
    for args, code, fragment in cases:
        result = run_cli(*args)
        err = result.stderr.decode()
        lines = err.strip().splitlines()
        assert result.returncode == code, (args, result.returncode, err)
        assert "Traceback" not in err, (args, err)
        assert fragment in err, (args, err)
        if code == EXIT_FAILED:   # a line for each failure, and how many of the inputs they were
            assert lines[0].startswith("✗") and re.fullmatch(r"seespeech: 2 of 2 (inputs|clips) failed", lines[-1])
        elif "--beam-size" not in args:   # click's usage errors add how to get help
            assert len(lines) == 1 and lines[0].startswith(("seespeech: error:", "✗")), (args, err)
    # nothing was written over
    for name in ("exists.wav", "exists.png", "exists.txt"):
        assert (tmp_path / name).read_bytes() == b"mine"
    assert (tmp_path / "out" / "demo.txt").read_text() == "mine"

