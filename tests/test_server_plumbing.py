"""The server's request plumbing in-process (FastAPI's TestClient): no real socket needed."""

import threading

import pytest
from fastapi.testclient import TestClient

from conftest import DEMO
from seespeech.server import Settings, create_app
from seespeech.server import service


@pytest.fixture()
def app(tmp_path):
    return create_app(Settings(data_dir=tmp_path / "data", preload=False, workers=1, queue_size=1))


def test_a_first_model_load_does_not_block_other_requests(app, monkeypatch):
    """Loading a model takes seconds; meanwhile the server keeps answering."""
    loading, release = threading.Event(), threading.Event()
    real = service.warm_engine

    def slow_load(*args, **kwargs):
        loading.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "warm_engine", slow_load)
    with TestClient(app) as client:
        answers = {}
        transcribing = threading.Thread(target=lambda: answers.update(post=client.post(
            "/v1/audio/transcriptions", files={"file": ("demo.flac", DEMO.read_bytes())},
            data={"model": "tiny.en"})))
        transcribing.start()
        assert loading.wait(30)
        meanwhile = threading.Thread(target=lambda: answers.update(health=client.get("/health")))
        meanwhile.start()
        meanwhile.join(timeout=10)
        blocked = meanwhile.is_alive()
        release.set()
        transcribing.join(60)
        meanwhile.join(10)
    assert not blocked, "GET /health waited for the model load"
    assert answers["health"].status_code == 200 and answers["post"].status_code == 200


WORK_ROUTES = ("/v1/audio/transcriptions", "/v1/audio/translations", "/v1/audio/images", "/v1/audio/pictures",
               "/v1/jobs", "/upload/", "/audio/transcriptions/vlm", "/audio/transcriptions/compare")


def test_every_work_route_takes_a_ticket_and_gives_it_back(app):
    """Refused uploads leave no file and no place in the queue behind."""
    with TestClient(app) as client:
        for path in WORK_ROUTES:
            response = client.post(path, files={"file": ("x.wav", b"not audio")})
            assert response.status_code == 400, (path, response.text)
            assert "x.wav" in response.json()["error"]["message"]
        assert client.post("/v1/images/generations", json={"prompt": "a dog", "size": "huge"}).status_code == 400
        assert app.state.pool.held == 0
        assert not any(app.state.jobs.uploads.glob("*"))


def test_a_full_queue_refuses_every_work_route_but_not_the_rest(app):
    with TestClient(app) as client:
        tickets = [app.state.pool.admit() for _ in range(app.state.pool.capacity)]
        try:
            for path in WORK_ROUTES:
                response = client.post(path, files={"file": ("demo.flac", DEMO.read_bytes())})
                assert response.status_code == 503 and int(response.headers["retry-after"]) >= 1, path
            assert client.get("/v1/models").status_code == 200
            assert client.get("/health/ready").status_code == 503
            assert client.get("/health").status_code == 200
        finally:
            for ticket in tickets:
                ticket.close()
        assert client.get("/health/ready").json()["queue"]["has_room"]


def test_a_long_transcript_is_drawn_not_a_500(app):
    """JFK's sentence nine times (a 500 before: a placeholder card too small to draw)."""
    jfk = ("And so, my fellow Americans: ask not what your country can do for you, ask what you can do "
           "for your country. ") * 9
    with TestClient(app) as client:
        response = client.post("/v1/images/generations", json={"prompt": jfk})
        assert response.status_code == 200, response.text
        plan = response.json()["data"][0]["plan"]
        assert plan["mode"] == "illustration" and plan["chosen"] and not plan["unmatched"]
        assert any("flag" in c["drawn_as"] for c in plan["chosen"])


def test_a_stream_outlives_the_upload_grace():
    """A GET stream (job events) that checks for a disconnect after its body is in is not cut
    off as a "too slow upload" once the grace has passed (it was, after 10 s, mid-stream)."""
    import asyncio

    from seespeech.server.app import Admission

    sent = []

    async def app(scope, receive, send):
        await receive()   # the (empty) body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            await asyncio.wait_for(receive(), 0.5)   # is the client still there? (it is)
        except asyncio.TimeoutError:
            pass
        await send({"type": "http.response.body", "body": b"done", "more_body": False})

    async def receive():
        if not sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    admission = Admission(app, limit=1000, work_paths=frozenset(), pool=lambda: None, min_rate=1000.0, grace=0.1)
    asyncio.run(admission({"type": "http", "method": "GET", "path": "/v1/jobs/x/events", "headers": []},
                          receive, send))
    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [200]
    assert sent[-1] == {"type": "http.response.body", "body": b"done", "more_body": False}
