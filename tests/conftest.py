"""Shared fixtures: real speech from ../shared/speech and the packaged models."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEECH = ROOT.parent / "shared" / "speech"
DEMO = ROOT / "src" / "seespeech" / "data" / "demo.flac"
DEMO_TEXT = (ROOT / "src" / "seespeech" / "data" / "demo.txt").read_text().strip()

if not SPEECH.is_dir():  # CI and every developer have it; without it the tests mean nothing
    raise RuntimeError(f"{SPEECH} is missing: the tests read real speech from ../shared/speech")


@pytest.fixture(scope="session")
def speech() -> Path:
    return SPEECH


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None, env: dict | None = None):
    """Run the installed ``seespeech`` command as a user would."""
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
