"""Models load on first use, unload after --model-ttl idle seconds or on request (issue 36.3)."""

from __future__ import annotations

import pytest

import time

from fastapi.testclient import TestClient

from conftest import DEMO
from seespeech.models import resolve_model
from seespeech.server import Settings, create_app


def loaded(client) -> list[str]:
    answer = client.get("/v1/models/loaded")
    assert answer.status_code == 200
    return [m["id"] for m in answer.json()["data"]]


def transcribe(client) -> str:
    with DEMO.open("rb") as audio:
        answer = client.post("/v1/audio/transcriptions", files={"file": ("demo.flac", audio)},
                             data={"model": "tiny.en"})
    assert answer.status_code == 200, answer.text
    return answer.json()["text"]


def test_load_unload_and_idle_unloading(tmp_path):
    from seespeech.speech.registry import unload_engine

    unload_engine("whisper", "tiny.en")   # other tests of this process may have loaded it
    # a TTL a loaded machine cannot outrun between a load and the look at it (1 s could: CI's
    # parallel run found the model already unloaded); still short enough to wait for below
    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, model="base", model_ttl=4.0))
    with TestClient(app) as client:
        assert "whisper:tiny.en" not in loaded(client)
        preloaded = client.post("/v1/models/tiny.en")
        assert preloaded.status_code == 200 and preloaded.json()["id"] == "whisper:tiny.en"
        entry = next(m for m in client.get("/v1/models/loaded").json()["data"] if m["id"] == "whisper:tiny.en")
        assert entry["size_bytes"] > 30e6 and entry["load_seconds"] > 0 and entry["busy"] == 0
        assert client.delete("/v1/models/tiny.en").json()["unloaded"] is True
        assert "whisper:tiny.en" not in loaded(client)
        gone = client.delete("/v1/models/tiny.en")
        assert gone.status_code == 404 and gone.json()["error"]["code"] == "model_not_loaded"
        assert client.post("/v1/models/nope").status_code == 404

        # first use loads it; a second unused after the TTL is unloaded; the next request loads it again
        assert "red bird" in transcribe(client)
        assert "whisper:tiny.en" in loaded(client)
        deadline = time.monotonic() + 20
        while "whisper:tiny.en" in loaded(client) and time.monotonic() < deadline:
            time.sleep(0.25)
        assert "whisper:tiny.en" not in loaded(client), "the idle model stayed"
        assert "red bird" in transcribe(client)


def test_the_api_key_guards_loading_and_unloading(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, model="tiny.en", api_key="sesame"))
    with TestClient(app) as client:
        assert client.post("/v1/models/tiny.en").status_code == 401
        assert client.delete("/v1/models/tiny.en").status_code == 401
        assert client.get("/v1/models/loaded").status_code == 401


@pytest.mark.slow   # CI runs it (make test-all); the default tier stays under 5 minutes
def test_an_idle_model_gives_its_memory_back_and_unloading_fails_no_request(tmp_path):
    """A real server (its own process): base loaded by a request, unloaded after a 2-second TTL;
    the process's resident memory falls by half base's weights or more. Requests running while base is
    unloaded on request all succeed."""
    import threading

    import httpx
    import serverutil
    from prometheus_client.parser import text_string_to_metric_families

    def rss(url) -> float:
        text = httpx.get(url + "/metrics", timeout=30).text
        return next(s.value for f in text_string_to_metric_families(text) for s in f.samples
                    if s.name == "process_resident_memory_bytes")

    def base_request(url) -> int:
        with DEMO.open("rb") as audio:
            return httpx.post(url + "/v1/audio/transcriptions", files={"file": ("demo.flac", audio)},
                              data={"model": "base"}, timeout=120).status_code

    with serverutil.running(tmp_path / "data", "--model", "tiny.en", "--model-ttl", "2") as server:
        assert base_request(server.url) == 200
        loaded_rss = rss(server.url)
        ids = [m["id"] for m in httpx.get(server.url + "/v1/models/loaded").json()["data"]]
        assert "whisper:base" in ids
        deadline = time.monotonic() + 20
        while "whisper:base" in ids and time.monotonic() < deadline:
            time.sleep(0.5)
            ids = [m["id"] for m in httpx.get(server.url + "/v1/models/loaded").json()["data"]]
        assert "whisper:base" not in ids and ids == ["whisper:tiny.en"]   # the server's own model stays
        # half its int8 weights (which are half its float16 file, ~73 MB): the process gave back 65–90 MB
        # (110 MB before all threads shared one C heap, seespeech/memory.py: it held more then);
        # a model not unloaded gives back nothing
        weights = (resolve_model("base") / "model.bin").stat().st_size / 2
        assert loaded_rss - rss(server.url) >= weights / 2, (loaded_rss, rss(server.url), weights)

        answers = []
        clients = [threading.Thread(target=lambda: answers.append(base_request(server.url))) for _ in range(3)]
        for client in clients:
            client.start()
            time.sleep(0.3)
            httpx.delete(server.url + "/v1/models/base", timeout=30)   # 200 or 404: it may not be loaded yet
        for client in clients:
            client.join()
        assert answers == [200, 200, 200]
