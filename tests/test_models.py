import hashlib
import os
import subprocess
import sys

import pytest

from seespeech.errors import ModelNotFoundError
from seespeech.models import BASE_MODEL_SHA256, resolve_model

from conftest import assert_one_line_error, run_cli


def test_packaged_models_resolve():
    tiny = resolve_model("tiny.en")
    assert (tiny / "model.bin").stat().st_size == 75_537_502
    base = resolve_model("base")
    assert (base / "model.bin").stat().st_size == 145_217_532
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in base.iterdir()}
    assert resolve_model(None) == base  # base is the default
    assert resolve_model(str(tiny)) == tiny  # a folder is used as it is


def test_base_halves_join_once_even_with_two_processes_at_once(tmp_path):
    """Two processes start on an empty cache at the same time: one joins, both get the same checked file."""
    code = "from seespeech.models import resolve_model; print(resolve_model('base'))"
    env = {**os.environ, "SEESPEECH_CACHE": str(tmp_path)}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE) for _ in range(2)]
    paths = {p.communicate(timeout=300)[0].decode().strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(paths) == 1
    joined = paths.pop()
    digest = hashlib.sha256((tmp_path / joined / "model.bin").read_bytes()).hexdigest()
    assert digest == BASE_MODEL_SHA256
    assert [p.name for p in (tmp_path / "models").iterdir() if not p.name.endswith(".lock")] == [
        os.path.basename(joined)
    ]  # no temporary folders left behind


def test_missing_models_say_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("SEESPEECH_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError, match="pass --model with a local CTranslate2 model folder"):
        resolve_model("small")
    with pytest.raises(ModelNotFoundError, match="not on this machine"):
        resolve_model("someone/whisper-made-up")
    with pytest.raises(ModelNotFoundError, match="no such model folder"):
        resolve_model("./not/here")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(ModelNotFoundError, match="not a CTranslate2 Whisper model"):
        resolve_model(tmp_path)


def test_models_cli(tmp_path):
    listing = run_cli("models", "list")
    assert listing.returncode == 0
    out = listing.stdout.decode()
    assert "base" in out and "tiny.en" in out and "multilingual" in out
    path = run_cli("models", "path", "tiny.en")
    assert path.returncode == 0 and (resolve_model("tiny.en") / "model.bin").parent == \
        type(resolve_model("tiny.en"))(path.stdout.decode().strip())
    missing = run_cli("models", "path", "large-v3", env={"SEESPEECH_OFFLINE": "1"})
    assert missing.returncode == 4
    assert_one_line_error(missing, "large-v3", "--model")
