"""Shared fixtures: real speech from ../shared/speech and the packaged models."""

import os
import subprocess
import sys
import traceback
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "speech"
DEMO = ROOT / "src" / "seespeech" / "data" / "demo.flac"
DEMO_TEXT = (ROOT / "src" / "seespeech" / "data" / "demo.txt").read_text().strip()

#: CI and every developer have it; without it the tests that read real speech are skipped
#: (marked ``speech``, by what their module or fixtures use), and the rest still run
SPEECH_MISSING = None if SPEECH.is_dir() else f"{SPEECH} is missing: this test reads real speech from ../shared/speech"


@lru_cache(maxsize=None)
def _mentions_speech(path: str) -> bool:
    return "SPEECH" in Path(path).read_text()


def _reads_speech(item) -> bool:
    module = getattr(item, "module", None)
    in_source = module is not None and module.__file__ is not None and _mentions_speech(module.__file__)
    return in_source or "speech" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _reads_speech(item):
            item.add_marker(pytest.mark.speech)
            if SPEECH_MISSING:
                item.add_marker(pytest.mark.skip(reason=SPEECH_MISSING))


@pytest.fixture(scope="session")
def speech() -> Path:
    return SPEECH


@dataclass
class CliResult:
    """What a run of the command left: as ``subprocess.run`` gives it."""

    returncode: int
    stdout: bytes
    stderr: bytes


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None):
    """Run the ``seespeech`` command with these arguments, as a user would: in this process
    (click's runner: the command's own code, exit codes and output, and models load once for
    the whole session). With ``env``, in a process of its own: some libraries read their
    environment only when first imported."""
    if env is not None:
        return run_cli_process(*args, stdin=stdin, cwd=cwd, env=env)
    from click.testing import CliRunner

    from seespeech.cli import main

    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(main, list(args), input=stdin, prog_name="seespeech")
    finally:
        os.chdir(here)
    stderr = result.stderr_bytes
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # what the process would have printed: a traceback (which the tests look for)
        stderr += "".join(traceback.format_exception(*result.exc_info)).encode()
        return CliResult(1, result.stdout_bytes, stderr)
    return CliResult(result.exit_code, result.stdout_bytes, stderr)


def run_cli_process(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None):
    """Run the installed command in a process of its own (signals, environments, a real exit)."""
    return subprocess.run(
        [sys.executable, "-m", "seespeech.cli", *args], input=stdin, capture_output=True, cwd=cwd,
        env={**os.environ, **(env or {})}, timeout=600,
    )


def assert_one_line_error(result, *fragments: str) -> None:
    err = result.stderr.decode()
    assert result.returncode != 0
    assert "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in err, err


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One real server on loopback for the whole session (model base, 1 worker, small limits)."""
    import serverutil

    root = tmp_path_factory.mktemp("server")
    (root / "tmp").mkdir()
    # a private temporary folder, so tests can see that uploads never outlive their request
    with serverutil.running(root / "data", "--max-upload-mb", "5", "--max-duration", "600",
                            "--log-file", str(root / "requests.log"), env={"TMPDIR": str(root / "tmp")}) as running:
        running.tmp = root / "tmp"
        running.request_log = root / "requests.log"
        yield running


def two_voices(folder: Path) -> tuple[Path, list[tuple[float, float, str]]]:
    """A woman (cathy, US English, CMU ARCTIC) and a man (LibriSpeech speaker 1272) taking
    turns: five turns 0.6 s apart, written to ``folder/talk.wav``; and the reference turns
    (start, end, "cathy" or "man") where each clip lies."""
    import numpy as np
    import soundfile

    from seespeech.audio import SAMPLE_RATE, load_audio

    cathy = sorted((SPEECH / "cathy_dev").glob("*.flac"))
    man = load_audio(SPEECH / "formats" / "1272-141231-0002.flac")
    half = int(6.6 * SAMPLE_RATE)
    turns = [("cathy", load_audio(cathy[0])), ("man", man[:half]), ("cathy", load_audio(cathy[1])),
             ("man", man[half:]), ("cathy", load_audio(cathy[2]))]
    pieces, reference, at = [], [], 0.0
    for who, samples in turns:
        reference.append((at, at + samples.size / SAMPLE_RATE, who))
        pieces += [samples, np.zeros(int(0.6 * SAMPLE_RATE), np.float32)]
        at += samples.size / SAMPLE_RATE + 0.6
    path = folder / "talk.wav"
    soundfile.write(path, np.concatenate(pieces), SAMPLE_RATE)
    return path, reference
