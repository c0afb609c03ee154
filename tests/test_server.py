"""The server, started for real on loopback, driven by the clients people use."""

import json
import time

import httpx
import numpy as np
import openai
import pytest

import serverutil
from conftest import SPEECH_MISSING, DEMO, DEMO_TEXT, SPEECH
if SPEECH_MISSING:   # its module-level clips come from ../shared/speech
    pytest.skip(SPEECH_MISSING, allow_module_level=True)

from seespeech.speech.evaluate import normalise

SPANISH = next((SPEECH / "multilingual").glob("mls_es_*.flac"))


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key="not-needed", max_retries=0, timeout=120)


def same_words(a: str, b: str) -> bool:
    return normalise(a) == normalise(b)


# -------------------------------------------------------------- the official openai package


def test_openai_transcription_in_every_format(client):
    with open(DEMO, "rb") as f:
        result = client.audio.transcriptions.create(model="whisper-1", file=f)
    assert same_words(result.text, DEMO_TEXT)
    for fmt in ("text", "srt", "vtt"):
        with open(DEMO, "rb") as f:
            text = client.audio.transcriptions.create(model="whisper-1", file=f, response_format=fmt)
        assert isinstance(text, str) and "red bird" in text
    assert text.startswith("WEBVTT")
    with open(DEMO, "rb") as f:
        verbose = client.audio.transcriptions.create(
            model="tiny.en", file=f, response_format="verbose_json", timestamp_granularities=["word", "segment"],
            language="en", prompt="A bird.", temperature=0)
    assert verbose.language == "en" and verbose.duration == pytest.approx(4.5, abs=0.2)
    assert verbose.segments[0].start < verbose.segments[0].end
    assert [w.word.strip().lower() for w in verbose.words][:3] == ["there", "is", "a"]


def test_openai_streaming_transcription(client):
    with open(DEMO, "rb") as f:
        stream = client.audio.transcriptions.create(model="whisper-1", file=f, stream=True)
        events = list(stream)
    kinds = [e.type for e in events]
    assert kinds[-1] == "transcript.text.done" and "transcript.text.delta" in kinds
    deltas = "".join(e.delta for e in events if e.type == "transcript.text.delta")
    assert same_words(deltas, events[-1].text) and same_words(events[-1].text, DEMO_TEXT)


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # the openai package marks it so
def test_openai_translation_to_english(client):
    with open(SPANISH, "rb") as f:
        result = client.audio.translations.create(model="whisper-1", file=f)
    words = normalise(result.text).split()
    assert len(words) > 5 and sum(w in ("the", "and", "of", "to", "a", "in", "was", "that") for w in words) >= 2


def test_openai_images_and_models(client):
    import base64
    import io

    from PIL import Image

    result = client.images.generate(prompt="two cats under a table at night", n=2, size="256x256",
                                    response_format="b64_json", extra_body={"seed": 3, "engine": "compose"})
    assert len(result.data) == 2
    images = [Image.open(io.BytesIO(base64.b64decode(d.b64_json))) for d in result.data]
    assert all(i.size == (256, 256) for i in images)
    assert not np.array_equal(np.asarray(images[0]), np.asarray(images[1]))  # seeds 3 and 4
    plan = result.data[0].model_extra["plan"]
    assert {o["noun"] for o in plan["objects"]} == {"cat", "table"}
    ids = [m.id for m in client.models.list()]
    assert {"whisper-1", "base", "tiny.en", "compose", "diffusion"} <= set(ids)


def test_openai_errors_arrive_as_exceptions_with_messages(client):
    with pytest.raises(openai.BadRequestError) as info:
        client.audio.transcriptions.create(model="whisper-1", file=("notes.wav", b"this is not audio"))
    assert "notes.wav" in info.value.message and "audio" in info.value.message
    assert info.value.body["param"] == "file"
    with pytest.raises(openai.NotFoundError) as info:
        client.audio.transcriptions.create(model="whisper-large-v9", file=("a.wav", DEMO.read_bytes()))
    assert info.value.body["code"] == "model_not_found"
    with pytest.raises(openai.BadRequestError) as info:
        client.audio.transcriptions.create(model="whisper-1", file=("a.flac", DEMO.read_bytes()),
                                           timestamp_granularities=["word"])
    assert "verbose_json" in info.value.message


# -------------------------------------------------------------- bad input: 4xx with a clear JSON message


def post(server, path, **kwargs):
    return httpx.post(server.url + path, timeout=120, **kwargs)


def assert_error(response, status, *fragments, param=None):
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert set(body) == {"message", "type", "param", "code"}
    for fragment in fragments:
        assert fragment in body["message"], body
    if param:
        assert body["param"] == param


TRANSCRIBE = "/v1/audio/transcriptions"


def test_bad_input_suite(server, tmp_path):
    demo = DEMO.read_bytes()
    assert_error(post(server, TRANSCRIBE, data={"model": "whisper-1"}), 400, "'file' is required", param="file")
    assert_error(post(server, TRANSCRIBE, files={"file": ("empty.wav", b"")}), 400, "empty", param="file")
    assert_error(post(server, TRANSCRIBE, files={"file": ("x.mp3", b"\x00garbage" * 100)}), 400, "x.mp3",
                 param="file")
    assert_error(post(server, TRANSCRIBE, files={"file": ("a.flac", demo)}, data={"response_format": "docx"}),
                 400, "response_format", param="response_format")
    assert_error(post(server, TRANSCRIBE, files={"file": ("a.flac", demo)},
                      data={"response_format": "json", "timestamp_granularities[]": "word"}),
                 400, "verbose_json", param="timestamp_granularities[]")
    assert_error(post(server, TRANSCRIBE, files={"file": ("a.flac", demo)}, data={"language": "klingon"}),
                 400, "klingon", param="language")
    assert_error(post(server, TRANSCRIBE, files={"file": ("a.flac", demo)}, data={"temperature": "7"}),
                 400, "temperature", param="temperature")
    assert_error(post(server, TRANSCRIBE, files={"file": ("a.flac", demo)}, data={"model": "tiny.en",
                                                                                  "language": "de"}),
                 400, "English-only")
    big = b"\x00" * (6 * 1024 * 1024)  # the test server's limit is 5 MB
    assert_error(post(server, TRANSCRIBE, files={"file": ("big.wav", big)}), 413, "limit", param="file")
    assert_error(post(server, "/upload/", files={"file": ("big.wav", big)}), 413, "limit")
    # path-like file names are only names: nothing is written or read there
    for name in ("../../etc/passwd", "/tmp/owned.wav", "..\\..\\win.ini", "a/b/../../c.flac"):
        response = post(server, TRANSCRIBE, files={"file": (name, demo)})
        assert response.status_code == 200 and same_words(response.json()["text"], DEMO_TEXT)
    assert not (tmp_path.parent / "owned.wav").exists()
    assert_error(post(server, "/v1/images/generations", json={"prompt": "a dog", "response_format": "url"}),
                 400, "b64_json", param="response_format")
    assert_error(post(server, "/v1/images/generations", json={"prompt": "a dog", "size": "huge"}), 400, "size")
    assert_error(post(server, "/v1/images/generations", json={"prompt": "a dog", "n": 99}), 400, "n")
    started = time.monotonic()   # no diffusion weights here: said at once, with what to do
    assert_error(post(server, "/v1/images/generations", json={"prompt": "a dog", "model": "diffusion"}), 404,
                 "not installed on this server", "--image-model DIR", param="engine")
    assert time.monotonic() - started < 2.0
    assert_error(post(server, "/v1/images/generations", json={"prompt": "a dog", "model": "dall-e-3"}), 404,
                 "dall-e-3", param="engine")
    assert_error(post(server, "/v1/images/generations", content=b"{not json", headers={"content-type":
                                                                                       "application/json"}), 400)
    assert_error(httpx.get(server.url + "/v1/jobs/job_00000000000000000000"), 404, "does not exist")
    assert_error(httpx.get(server.url + "/v1/nothing-here"), 404)


def test_audio_longer_than_allowed_is_refused_before_decoding(tmp_path):
    from bench_common import write_long_flac

    clip = write_long_flac(tmp_path / "long.flac", seconds=40)
    with serverutil.running(tmp_path / "data", "--max-duration", "30") as server:
        response = post(server, TRANSCRIBE, files={"file": ("long.flac", clip.read_bytes())})
    assert_error(response, 413, "long.flac", "30 s", param="file")


def test_uploads_never_outlive_their_request(server):
    post(server, TRANSCRIBE, files={"file": ("a.flac", DEMO.read_bytes())})
    post(server, TRANSCRIBE, files={"file": ("x.wav", b"not audio at all")})
    post(server, "/upload/", files={"file": ("a.flac", DEMO.read_bytes())})
    post(server, TRANSCRIBE, files={"file": ("a.flac", DEMO.read_bytes())}, data={"model": "nope"})
    # uploads are saved in the data folder (where a restart finds leftovers), never in $TMPDIR
    assert list((server.data_dir / "uploads").iterdir()) == []
    assert [p.name for p in server.tmp.iterdir() if "upload" in p.name] == []


def test_request_log_has_a_line_per_request(server):
    response = httpx.get(server.url + "/audio_specs/", headers={"X-Request-ID": "trace-me-123"})
    assert response.headers["x-request-id"] == "trace-me-123"
    time.sleep(0.2)
    line = next(l for l in server.request_log.read_text().splitlines() if "trace-me-123" in l)
    assert "GET /audio_specs/ 200" in line and "ms" in line


def test_cors_is_off_unless_configured(server):
    response = httpx.options(server.url + TRANSCRIBE, headers={"Origin": "https://evil.example",
                                                               "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in response.headers


# -------------------------------------------------------------- the legacy endpoints


def test_legacy_endpoints(server):
    status = httpx.get(server.url + "/", headers={"Accept": "application/json"}).json()
    assert status["status"] == "ok" and status["message"]
    assert ".wav" in status["audio_specs"]["accepted_formats"]
    assert httpx.get(server.url + "/audio_specs/").json() == status["audio_specs"]
    page = httpx.get(server.url + "/", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.headers["content-type"].startswith("text/html") and "<html" in page.text.lower()
    # the field really is spelled "transcryption"; any audio the decoder reads is accepted
    for clip in (SPEECH / "formats" / "jfk.wav", DEMO):
        answer = post(server, "/upload/", files={"file": (clip.name, clip.read_bytes())}).json()
        assert set(answer) == {"transcryption"} and len(answer["transcryption"]) > 20
    assert_error(post(server, "/upload/", files={"file": ("notes.txt", b"hello")}), 400, "notes.txt")


# -------------------------------------------------------------- speech → picture, jobs


def test_speech_to_picture_endpoint(server):
    response = post(server, "/v1/audio/images", files={"file": ("demo.flac", DEMO.read_bytes())},
                    data={"seed": "2", "size": "320x240"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert same_words(data["transcript"]["text"], DEMO_TEXT)
    assert data["prompt"] and len(data["images"]) == 1 and data["plans"][0]["size"] == [320, 240]
    assert {o["noun"] for o in data["plans"][0]["objects"]} == {"bird", "branch", "house", "sun"}


def test_job_with_events_then_files(server):
    created = post(server, "/v1/jobs", files={"file": ("demo.flac", DEMO.read_bytes())}, data={"n": "2"})
    assert created.status_code == 202 and created.headers["location"] == f"/v1/jobs/{created.json()['id']}"
    job_id = created.json()["id"]
    events = []
    with httpx.stream("GET", f"{server.url}/v1/jobs/{job_id}/events", timeout=120) as stream:
        kind = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    assert events[-1][0] == "succeeded" and all(k == "progress" for k, _ in events[:-1])
    fractions = [e["progress"].get("fraction", 0) for _, e in events]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    job = httpx.get(f"{server.url}/v1/jobs/{job_id}").json()
    assert job["state"] == "succeeded" and len(job["result"]["images"]) == 2
    for url in [*job["result"]["images"], job["result"]["spectrogram"], job["result"]["files"]["srt"]]:
        assert httpx.get(server.url + url).status_code == 200
    assert "red bird" in httpx.get(server.url + job["result"]["files"]["vtt"]).text
    assert httpx.get(f"{server.url}/v1/jobs/{job_id}/files/..%2F..%2Fjobs.sqlite3").status_code == 404


def test_a_job_on_unreadable_audio_is_refused_up_front(server):
    assert_error(post(server, "/v1/jobs", files={"file": ("x.wav", b"RIFF....WAVEjunk")}), 400, "x.wav")


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_killed_server_leaves_no_job_stuck(tmp_path):
    """SIGKILL in the middle of a job; the restarted server says truthfully what happened."""
    from bench_common import write_long_flac

    long_clip = write_long_flac(tmp_path / "long.flac", seconds=150)
    data = tmp_path / "data"
    server = serverutil.start(data, "--model", "tiny.en")
    try:
        done = post(server, "/v1/jobs", files={"file": ("demo.flac", DEMO.read_bytes())}).json()["id"]
        deadline = time.time() + 120
        while httpx.get(f"{server.url}/v1/jobs/{done}").json()["state"] != "succeeded" and time.time() < deadline:
            time.sleep(0.3)
        busy = post(server, "/v1/jobs", files={"file": ("long.flac", long_clip.read_bytes())}).json()["id"]
        queued = post(server, "/v1/jobs", files={"file": ("demo.flac", DEMO.read_bytes())}).json()["id"]
        while httpx.get(f"{server.url}/v1/jobs/{busy}").json()["state"] != "running" and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
    finally:
        serverutil.stop(server, kill=True)
    assert server.process.returncode == -9
    server = serverutil.start(data, "--model", "tiny.en")
    try:
        finished = httpx.get(f"{server.url}/v1/jobs/{done}").json()
        assert finished["state"] == "succeeded"
        assert httpx.get(server.url + finished["result"]["images"][0]).status_code == 200
        for job_id, state in ((busy, "running"), (queued, "queued")):
            job = httpx.get(f"{server.url}/v1/jobs/{job_id}").json()
            assert job["state"] == "failed", job
            assert job["error"]["code"] == "interrupted" and state in job["error"]["message"]
        assert not list((data / "uploads").glob("*"))  # the interrupted uploads are gone too
    finally:
        serverutil.stop(server)


# -------------------------------------------------------------- API key


def test_api_key_is_required_when_set(tmp_path):
    with serverutil.running(tmp_path / "data", env={"SEESPEECH_API_KEY": "s3cret"}) as server:
        files = {"file": ("demo.flac", DEMO.read_bytes())}
        assert_error(post(server, TRANSCRIBE, files=files), 401, "API key")
        assert_error(post(server, TRANSCRIBE, files=files, headers={"Authorization": "Bearer wrong"}), 401)
        assert_error(post(server, "/upload/", files=files), 401)
        assert_error(httpx.get(server.url + "/v1/models"), 401)
        ok = post(server, TRANSCRIBE, files=files, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and same_words(ok.json()["text"], DEMO_TEXT)
        key_client = openai.OpenAI(base_url=server.url + "/v1", api_key="s3cret", max_retries=0)
        assert "whisper-1" in [m.id for m in key_client.models.list()]
        # the page and the API description stay readable, the status line too
        assert httpx.get(server.url + "/", headers={"Accept": "text/html"}).status_code == 200
        assert httpx.get(server.url + "/openapi.json").status_code == 200


# -------------------------------------------------------------- limits before the body, cancelled work


@pytest.fixture(scope="module")
def one_slot(tmp_path_factory):
    """A server that runs one request at a time and queues none (5 MB uploads)."""
    root = tmp_path_factory.mktemp("one-slot")
    with serverutil.running(root / "data", "--workers", "1", "--queue-size", "0", "--max-upload-mb", "5") as running:
        yield running


def ready(server) -> dict:
    return httpx.get(server.url + "/health/ready", timeout=10).json()


def wait_until_ready(server) -> None:
    """A server loads its model after it starts answering (a fraction of a second)."""
    deadline = time.time() + 60
    while ready(server)["status"] != "ready" and time.time() < deadline:
        time.sleep(0.1)


def raw_request(server, head: str, body: bytes = b"") -> tuple[int, str]:
    """Send a request by hand (headers, then only ``body``) and read the answer."""
    import socket

    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        answer = b""
        while chunk := sock.recv(65536):  # the server closes the connection: it will not read the rest
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1].decode(errors="replace")


def test_slow_uploads_hold_no_place_and_are_cut_off(tmp_path):
    """Clients trickling their uploads (a byte every 0.3 s) take no place in the queue while
    they send: a real request to a one-place server is served meanwhile; once their average rate
    falls under the minimum after the grace, they get 408 in OpenAI's shape (issue 31, item 3)."""
    import socket
    import threading

    env = {"SEESPEECH_UPLOAD_GRACE_S": "2", "SEESPEECH_MIN_UPLOAD_KB_PER_S": "1"}
    with serverutil.running(tmp_path / "data", "--workers", "1", "--queue-size", "0", env=env) as server:
        wait_until_ready(server)
        host, port = server.url.removeprefix("http://").split(":")
        head = (f"POST {TRANSCRIBE} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                f"Content-Length: 100000\r\n\r\n").encode()
        answers: list[bytes] = []

        def trickle():
            with socket.create_connection((host, int(port)), timeout=30) as sock:
                sock.sendall(head + b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.wav"\r\n\r\n')
                answer = b""
                try:
                    for _ in range(60):
                        sock.sendall(b"-")
                        sock.settimeout(0.3)
                        try:
                            chunk = sock.recv(65536)
                        except socket.timeout:
                            continue
                        if not chunk:
                            break
                        answer += chunk
                        if b"\r\n\r\n" in answer and b"}" in answer:
                            break
                except OSError:
                    pass
                answers.append(answer)

        slow = [threading.Thread(target=trickle) for _ in range(2)]
        for t in slow:
            t.start()
        time.sleep(0.5)
        response = post(server, TRANSCRIBE, files={"file": ("demo.flac", DEMO.read_bytes())})
        assert response.status_code == 200, response.text
        for t in slow:
            t.join(timeout=40)
        assert len(answers) == 2
        for answer in answers:
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            error = json.loads(answer.split(b"\r\n\r\n", 1)[1])["error"]
            assert error["code"] == "upload_too_slow" and "KB/s" in error["message"]
        assert ready(server)["queue"]["held"] == 0


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_a_full_queue_is_refused_before_the_upload_is_read(one_slot, tmp_path):
    from bench_common import write_long_flac

    clip = write_long_flac(tmp_path / "long.flac", seconds=50).read_bytes()
    import threading

    busy = threading.Thread(target=post, args=(one_slot, TRANSCRIBE), kwargs={"files": {"file": ("l.flac", clip)}})
    busy.start()
    deadline = time.time() + 30
    while ready(one_slot)["queue"]["held"] < 1 and time.time() < deadline:
        time.sleep(0.05)
    # 4 MB announced (under the 5 MB limit), not a byte of it sent: the answer comes anyway
    head = (f"POST {TRANSCRIBE} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {4 * 1024 * 1024}\r\n")
    status, body = raw_request(one_slot, head)
    assert status == 503 and json.loads(body)["error"]["code"] == "queue_full"
    # an announced size over the limit: 413 before the body, whatever the queue
    status, body = raw_request(one_slot, head.replace(str(4 * 1024 * 1024), str(9 * 1024 * 1024)))
    assert status == 413 and "limit" in json.loads(body)["error"]["message"]
    busy.join()


def test_a_chunked_upload_over_the_limit_gets_413(one_slot):
    def body():
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.wav\"\r\n\r\n"
        for _ in range(7):
            yield b"\0" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    response = httpx.post(one_slot.url + TRANSCRIBE, content=body(), timeout=60,
                          headers={"content-type": "multipart/form-data; boundary=b"})
    assert_error(response, 413, "limit", param="file")
    assert ready(one_slot)["queue"]["held"] == 0


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_a_disconnected_stream_cancels_its_work_and_keeps_its_slot_until_then(one_slot, tmp_path):
    from bench_common import write_long_flac

    # under a minute: decoded segment by segment, the way a cancel can stop it between segments
    clip = write_long_flac(tmp_path / "long.flac", seconds=55).read_bytes()
    start = time.perf_counter()
    assert post(one_slot, TRANSCRIBE, files={"file": ("l.flac", clip)}).status_code == 200
    whole = time.perf_counter() - start
    with httpx.stream("POST", one_slot.url + TRANSCRIBE, files={"file": ("l.flac", clip)},
                      data={"stream": "true"}, timeout=60) as stream:
        assert stream.status_code == 200
        time.sleep(min(2.0, whole / 4))  # the work is under way
    left = time.perf_counter()
    held = [ready(one_slot)["queue"]["held"]]
    # the slot stays taken while the work winds down: the next request is refused, not queued behind it
    assert held[0] == 1, "the slot was given back before the work stopped"
    assert post(one_slot, TRANSCRIBE, files={"file": ("demo.flac", DEMO.read_bytes())}).status_code == 503
    while ready(one_slot)["queue"]["held"] and time.perf_counter() - left < whole:
        time.sleep(0.05)
    freed = time.perf_counter() - left
    assert freed < 0.5 * whole, (freed, whole)  # cancelled, not run to the end
    assert "cancelling its work" in one_slot.log_text()
    assert post(one_slot, TRANSCRIBE, files={"file": ("demo.flac", DEMO.read_bytes())}).status_code == 200


# -------------------------------------------------------------- one server per data folder, leftovers


def test_a_second_server_on_the_same_data_folder_refuses_to_start(server):
    with pytest.raises(RuntimeError) as info:
        serverutil.start(server.data_dir, "--model", "tiny.en")
    assert "is in use by another seespeech server" in str(info.value) and "Traceback" not in str(info.value)
    assert "exited with 2" in str(info.value)
    assert ready(server)["status"] == "ready"  # the first one is untouched


def test_uploads_left_by_a_killed_server_are_removed_at_the_next_start(tmp_path):
    from bench_common import write_long_flac
    import threading

    clip = write_long_flac(tmp_path / "long.flac", seconds=90).read_bytes()
    data = tmp_path / "data"
    server = serverutil.start(data, "--model", "tiny.en")
    def doomed_request():  # the server is killed under it
        with pytest.raises(httpx.HTTPError):
            httpx.post(server.url + TRANSCRIBE, files={"file": ("l.flac", clip)}, timeout=120)

    try:
        threading.Thread(target=doomed_request, daemon=True).start()
        deadline = time.time() + 60
        while not list((data / "uploads").glob("upload-*")) and time.time() < deadline:
            time.sleep(0.05)
        assert list((data / "uploads").glob("upload-*"))
    finally:
        serverutil.stop(server, kill=True)
    assert list((data / "uploads").glob("upload-*"))  # what kill -9 leaves behind
    with serverutil.running(data, "--model", "tiny.en") as again:
        assert list((data / "uploads").glob("*")) == []
        # a failed job (no speech in it) keeps its error, not an empty folder
        silence = np.zeros(16000 * 3, dtype=np.float32)
        from bench_common import write_flac

        write_flac(tmp_path / "silence.flac", silence)
        job = post(again, "/v1/jobs", files={"file": ("s.flac", (tmp_path / "silence.flac").read_bytes())}).json()
        while httpx.get(f"{again.url}/v1/jobs/{job['id']}").json()["state"] in ("queued", "running"):
            time.sleep(0.1)
        assert httpx.get(f"{again.url}/v1/jobs/{job['id']}").json()["state"] == "failed"
        assert not (data / "jobs" / job["id"]).exists()


# -------------------------------------------------------------- cut-off files, docs, health


def test_cut_off_files_are_transcribed_as_far_as_they_go_and_say_so(server, tmp_path, speech):
    from test_audio import truncated_files

    for name in truncated_files(tmp_path, speech):
        response = post(server, TRANSCRIBE, files={"file": (name, (tmp_path / name).read_bytes())})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["text"] and name in body["warnings"][0] and "truncated" in body["warnings"][0]
        assert "truncated" in response.headers["x-seespeech-warning"]
        assert str(server.data_dir) not in response.text  # the client's name, not our path
    whole = post(server, TRANSCRIBE, files={"file": ("demo.flac", DEMO.read_bytes())})
    assert "warnings" not in whole.json() and "x-seespeech-warning" not in whole.headers


def test_docs_are_served_from_the_package_and_declare_the_key(server):
    page = httpx.get(server.url + "/docs").text
    assert "/docs/assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert httpx.get(f"{server.url}/docs/assets/{asset}").status_code == 200
    assert "cdn" not in httpx.get(server.url + "/redoc").text.lower()
    spec = httpx.get(server.url + "/openapi.json").json()
    assert spec["components"]["securitySchemes"]["apiKey"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["apiKey"]["description"]}
    assert {"apiKey": []} in spec["paths"][TRANSCRIBE]["post"]["security"]


def test_health_and_readiness(server):
    assert httpx.get(server.url + "/health").json() == {"status": "ok"}
    wait_until_ready(server)
    state = ready(server)
    assert state["status"] == "ready" and state["model_loaded"] and state["queue"]["has_room"]


def test_health_stays_open_when_a_key_is_set(tmp_path):
    with serverutil.running(tmp_path / "data", "--model", "tiny.en", env={"SEESPEECH_API_KEY": "k"}) as server:
        assert httpx.get(server.url + "/health").status_code == 200
        wait_until_ready(server)
        assert httpx.get(server.url + "/health/ready").status_code == 200
        assert httpx.get(server.url + "/docs").status_code == 200
        assert httpx.get(server.url + "/v1/models").status_code == 401


def test_onnxruntime_telemetry_is_off(tmp_path):
    """Silero VAD runs on onnxruntime, which otherwise keeps a telemetry queue in ~/.cache."""
    import subprocess
    import sys

    code = "import seespeech; seespeech.transcribe(%r, model='tiny.en', vad=True)" % str(DEMO)
    subprocess.run([sys.executable, "-c", code], check=True, env={**__import__("os").environ, "HOME": str(tmp_path),
                                                                  "XDG_CACHE_HOME": str(tmp_path / ".cache")})
    assert not (tmp_path / ".cache" / "Microsoft").exists()


# -------------------------------------------------------------- OpenAI's own behaviour (issue 24)


@pytest.mark.parametrize("granularities", [["segment"], ["word"], ["word", "segment"], []])
def test_timestamp_granularities_as_openai_answers_them(client, granularities):
    with open(DEMO, "rb") as f:
        if "word" in granularities:  # OpenAI: word timings only with verbose_json
            with pytest.raises(openai.BadRequestError) as info:
                client.audio.transcriptions.create(model="whisper-1", file=f, response_format="json",
                                                   timestamp_granularities=granularities)
            assert info.value.body["param"] == "timestamp_granularities[]"
        else:
            result = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="json",
                                                        timestamp_granularities=granularities)
            assert same_words(result.text, DEMO_TEXT)
    with open(DEMO, "rb") as f:
        verbose = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="verbose_json",
                                                     timestamp_granularities=granularities)
    assert verbose.segments  # always there in verbose_json
    assert (verbose.words is not None) == ("word" in granularities)


def test_subtitle_content_types_are_openais(server):
    demo = DEMO.read_bytes()
    srt_ = post(server, TRANSCRIBE, files={"file": ("a.flac", demo)}, data={"response_format": "srt"})
    assert srt_.headers["content-type"] == "text/plain; charset=utf-8"
    vtt = post(server, TRANSCRIBE, files={"file": ("a.flac", demo)}, data={"response_format": "vtt"})
    assert vtt.headers["content-type"] == "text/vtt; charset=utf-8"


def test_openais_newer_fields_are_honoured_or_refused_as_documented(client):
    with open(DEMO, "rb") as f:
        result = client.audio.transcriptions.create(model="whisper-1", file=f, include=["logprobs"],
                                                    chunking_strategy="auto")
    assert [p.token.strip().lower() for p in result.logprobs][:3] == ["there", "is", "a"]
    assert all(p.logprob <= 0 for p in result.logprobs)
    assert result.usage.type == "duration" and result.usage.seconds == 5  # 4.5 s, rounded up as OpenAI bills
    with open(DEMO, "rb") as f:
        verbose = client.audio.transcriptions.create(model="whisper-1", file=f, response_format="verbose_json")
    assert verbose.segments[0].tokens and verbose.segments[0].seek == 0
    # known speakers are honoured (tests/test_diarize.py); a reference that is no audio is its field's fault
    for extra, param in (({"known_speaker_names": ["agent"], "known_speaker_references": ["data:audio/wav;base64,AA=="]},
                          "known_speaker_references[]"),
                         ({"known_speaker_names": ["agent", "client"], "known_speaker_references": ["data:,"]},
                          "known_speaker_references[]"),
                         ({"include": ["logprobs"], "response_format": "text"}, "include[]")):
        with open(DEMO, "rb") as f, pytest.raises(openai.BadRequestError) as info:
            client.audio.transcriptions.create(model="whisper-1", file=f, **extra)
        assert info.value.body["param"] == param, info.value.body
