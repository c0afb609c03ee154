"""Models load on first use, unload after --model-ttl idle seconds or on request (issue 36.3)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from conftest import DEMO
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
    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, model="base", model_ttl=1.0))
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
        deadline = time.monotonic() + 10
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
