"""Issue 21: transcribing a corpus on Ray — the same texts as the local command, resumable,
bad files recorded, and a node killed mid-run loses and duplicates nothing."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import SPEECH, assert_one_line_error, run_cli, run_cli_process
from seespeech.speech.evaluate import read_dataset

ray = pytest.importorskip("ray", reason="the Ray tests need the ray extra: pip install -e '.[ray]'")
pq = pytest.importorskip("pyarrow.parquet")

CATHY = SPEECH / "cathy_dev"
RAY = Path(sys.executable).with_name("ray")


def texts(folder: Path) -> dict[str, str]:
    return {p.stem: p.read_text() for p in folder.glob("*.txt")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """12 clips listed in a manifest, and a damaged file beside them."""
    folder = tmp_path_factory.mktemp("corpus")
    clips = [c.path for c in read_dataset(CATHY)[:12]]
    broken = folder / "broken.flac"
    broken.write_bytes(clips[0].read_bytes()[:300])   # a header and nothing else
    manifest = folder / "corpus.txt"
    manifest.write_text("# what to transcribe\n" + "\n".join(map(str, clips)) + "\nbroken.flac\n")
    return manifest, clips, broken


@pytest.mark.slow   # starts a Ray runtime twice (~30 s): make test-all and CI run it
def test_a_local_ray_runtime_gives_the_local_commands_texts_and_resumes(corpus, tmp_path):
    manifest, clips, broken = corpus
    local = tmp_path / "local"
    run_cli("transcribe", *map(str, clips), "-m", "tiny.en", "-l", "en", "-f", "txt", "-o", str(local), "-q")
    out = tmp_path / "ray"
    first = run_cli_process("transcribe", str(manifest), "-m", "tiny.en", "-l", "en", "-f", "txt,verbose_json",
                            "-o", str(out), "--ray")
    err = first.stderr.decode()
    assert first.returncode == 1, err   # one input failed; the run went on
    assert "Traceback" not in err and "broken.flac" in err
    assert "12 transcribed on 1 node " in err, err
    assert texts(out) == texts(local) and len(texts(out)) == len(clips)
    table = pq.read_table(out / "results.parquet").to_pylist()
    assert len(table) == len(clips) + 1 and len({row["path"] for row in table}) == len(table)
    bad = [row for row in table if row["error"]]
    assert [Path(row["path"]).name for row in bad] == ["broken.flac"]
    good = [row for row in table if not row["error"]]
    assert all(row["duration"] > 1 and row["language"] == "en" and json.loads(row["segments"]) for row in good)
    assert {row["model"] for row in good} == {"whisper:tiny.en"}
    # a rerun transcribes only what is not done: the damaged file, again
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("*.txt")}
    again = run_cli_process("transcribe", str(manifest), "-m", "tiny.en", "-l", "en", "-f", "txt,verbose_json",
                            "-o", str(out), "--ray")
    assert "1 to transcribe, 12 done before" in again.stderr.decode(), again.stderr.decode()
    assert {p: p.stat().st_mtime_ns for p in out.glob("*.txt")} == stamps
    assert len(pq.read_table(out / "results.parquet").to_pylist()) == len(clips) + 1


def test_ray_refuses_what_it_cannot_do(tmp_path):
    stdin = run_cli("transcribe", "-", "--ray", stdin=b"x")
    assert_one_line_error(stdin, "not standard input")
    table = run_cli("transcribe", str(CATHY), "--results", str(tmp_path / "t.parquet"))
    assert_one_line_error(table, "--results is the table of a --ray run")
    nowhere = run_cli_process("transcribe", str(CATHY), "-o", str(tmp_path), "--ray", "127.0.0.1:1")
    assert_one_line_error(nowhere, "cannot reach the Ray cluster at 127.0.0.1:1")


#: the cluster's token (Ray's token authentication): every node and the driver are given it
CLUSTER_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": os.urandom(16).hex()}


def _ray(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(RAY), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **CLUSTER_ENV}, **kwargs)


def _kill_node(resource: str) -> None:
    """SIGKILL the raylet of the node started with ``resource`` and every process under it."""
    import psutil

    for process in psutil.process_iter(["name", "cmdline"]):
        if "raylet" in (process.info["name"] or "") and resource in " ".join(process.info["cmdline"] or []):
            for child in process.children(recursive=True):
                child.kill()
            process.kill()
            return
    raise AssertionError("the worker node's raylet was not found")


@pytest.mark.slow
def test_a_worker_node_killed_mid_run_loses_and_duplicates_nothing(tmp_path):
    import serverutil

    port = serverutil.free_port()
    clips = [c.path for c in read_dataset(CATHY)[:40]]
    out = tmp_path / "out"
    try:
        head = _ray("start", "--head", f"--port={port}", "--num-cpus=1", "--include-dashboard=false",
                    "--disable-usage-stats")
        assert head.returncode == 0, head.stderr
        worker = _ray("start", f"--address=127.0.0.1:{port}", "--num-cpus=1",
                      '--resources={"seespeech_victim": 1}')
        assert worker.returncode == 0, worker.stderr
        run = subprocess.Popen(
            [sys.executable, "-m", "seespeech.cli", "transcribe", *map(str, clips), "-m", "tiny.en", "-l", "en",
             "-f", "txt,srt", "-o", str(out), "--ray", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, encoding="utf-8", errors="replace",
            env={**os.environ, **CLUSTER_ENV})
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(run.stderr), daemon=True)
        reader.start()
        # kill the worker node once a row it transcribed has reached the command (it names each
        # node as that node's first row arrives), so the kill always lands on a node with work done
        deadline = time.monotonic() + 300
        while not any("(2 nodes)" in line for line in lines) and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
        assert run.poll() is None and any("(2 nodes)" in line for line in lines), "".join(lines)
        _kill_node("seespeech_victim")
        run.wait(timeout=600)
        reader.join(timeout=10)
        err = "".join(lines)
        assert run.returncode == 0, err
        assert "40 transcribed on 2 nodes" in err, err
        assert sorted(p.stem for p in out.glob("*.txt")) == sorted(p.stem for p in clips)
        assert sorted(p.stem for p in out.glob("*.srt")) == sorted(p.stem for p in clips)
        assert not list(out.glob(".*"))   # no half-written files left behind
        table = pq.read_table(out / "results.parquet").to_pylist()
        assert sorted(Path(row["path"]).stem for row in table) == sorted(p.stem for p in clips)   # once each
        assert not any(row["error"] for row in table)
        assert len({row["node"] for row in table}) == 2   # the killed node's rows are kept, once
    finally:
        _ray("stop", "--force")
