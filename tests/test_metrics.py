"""GET /metrics (issue 36.2): Prometheus' text format, parsed with prometheus-client's own parser."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from conftest import DEMO
from seespeech.server import Settings, create_app


def scrape(client, **headers) -> dict:
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(answer.text) for s in family.samples}


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("metrics") / "data", preload=False, workers=1,
                              queue_size=0, model="tiny.en"))
    with TestClient(app) as client:
        yield client


def test_requests_audio_and_queue_are_counted(client):
    from seespeech.speech.registry import unload_engine

    unload_engine("whisper", "tiny.en")   # loaded afresh below, whatever tests ran before in this process
    before = scrape(client)
    with DEMO.open("rb") as audio:
        assert client.post("/v1/audio/transcriptions", files={"file": ("demo.flac", audio)},
                           data={"model": "whisper-1"}).status_code == 200
    assert client.post("/v1/audio/transcriptions", data={"model": "whisper-1"}).status_code == 400
    assert client.get("/v1/jobs/nope").status_code == 404
    after = scrape(client)
    route = "/v1/audio/transcriptions"
    assert value(after, "seespeech_requests_total", method="POST", route=route, status="200") == \
        value(before, "seespeech_requests_total", method="POST", route=route, status="200") + 1
    assert value(after, "seespeech_requests_total", method="POST", route=route, status="400") >= 1
    # a job id is not a label: the route's template is
    assert value(after, "seespeech_requests_total", method="GET", route="/v1/jobs/{job_id}", status="404") >= 1
    assert value(after, "seespeech_request_duration_seconds_count", method="POST", route=route) >= 2
    demo = value(after, "seespeech_audio_seconds_total", model="whisper:tiny.en") - \
        value(before, "seespeech_audio_seconds_total", model="whisper:tiny.en")
    assert demo == pytest.approx(4.5, abs=0.3)
    assert value(after, "seespeech_real_time_factor_count", model="whisper:tiny.en") >= 1
    assert value(after, "seespeech_models_loaded") >= 1
    assert value(after, "seespeech_model_load_seconds", model="whisper:tiny.en") > 0
    assert value(after, "seespeech_queue_capacity") == 1 and value(after, "seespeech_queue_held") == 0
    assert value(after, "seespeech_live_sessions") == 0
    assert value(after, "process_resident_memory_bytes") > 50e6


def test_metrics_need_the_key_when_one_is_set(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, api_key="sesame", model="tiny.en"))
    with TestClient(app) as client:
        refused = client.get("/metrics")
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "invalid_api_key"
        assert value(scrape(client, authorization="Bearer sesame"), "seespeech_requests_total",
                     method="GET", route="/metrics", status="401") == 1
    app = create_app(Settings(data_dir=tmp_path / "data2", preload=False, metrics=False, model="tiny.en"))
    with TestClient(app) as client:
        assert client.get("/metrics").status_code == 404


def test_json_log_lines_carry_the_request_id_the_client_got(tmp_path):
    """--log-format json (issue 36.4): one JSON object per request, whose id is the response's
    X-Request-ID."""
    import json

    import httpx
    import serverutil

    log = tmp_path / "requests.log"
    with serverutil.running(tmp_path / "data", "--log-format", "json", "--log-file", str(log), "--model", "tiny.en",
                            "--model-ttl", "-1") as server:
        answer = httpx.get(server.url + "/v1/jobs/nope", timeout=30)
        assert answer.status_code == 404
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    mine = [line for line in lines if line.get("request_id") == answer.headers["x-request-id"]]
    assert len(mine) == 1, lines
    assert mine[0]["status"] == 404 and mine[0]["route"] == "/v1/jobs/{job_id}" and mine[0]["method"] == "GET"
    assert mine[0]["time"].endswith("Z") and mine[0]["logger"] == "seespeech.access" and mine[0]["ms"] >= 0
