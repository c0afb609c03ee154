"""What the web page needs from the server (issue 32, items 13–15): jobs that can be cancelled
and say why they wait, downloads named after the upload, and which choices can run here.

Against the session's real server (one worker, no diffusion or VLM weights)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from conftest import DEMO
from serverutil import long_clip


def start_job(server, clip: Path, **data) -> dict:
    response = httpx.post(server.url + "/v1/jobs", files={"file": (clip.name, clip.read_bytes())}, data=data,
                          timeout=60)
    assert response.status_code == 202, response.text
    return response.json()


def job(server, job_id: str) -> dict:
    return httpx.get(f"{server.url}/v1/jobs/{job_id}", timeout=30).json()


def wait_until(server, job_id: str, states: tuple[str, ...], timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        current = job(server, job_id)
        if current["state"] in states:
            return current
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {current['state']} after {timeout} s")


@pytest.mark.slow   # ~25 s on a busy machine; test_web.py's test_cancel_and_queue_in_the_page covers the page's way
def test_cancel_a_queued_and_a_running_job(server, tmp_path):
    """Item 14: a queued job says what runs ahead of it and is dropped at once when cancelled; a
    running job stops at its next segment; the queue is free again afterwards."""
    clip = long_clip(tmp_path)
    first = start_job(server, clip)
    second = start_job(server, DEMO)
    wait_until(server, first["id"], ("running",), timeout=60)
    waiting = job(server, second["id"])
    assert waiting["state"] == "queued", waiting
    queue = waiting["queue"]
    assert queue["position"] == 2 and queue["workers"] == 1
    assert [j["id"] for j in queue["jobs_ahead"]] == [first["id"]] and queue["jobs_ahead"][0]["state"] == "running"

    cancelled = httpx.post(f"{server.url}/v1/jobs/{second['id']}/cancel", timeout=30)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["error"]["code"] == "cancelled"

    stopped = httpx.post(f"{server.url}/v1/jobs/{first['id']}/cancel", timeout=30)
    assert stopped.status_code == 200, stopped.text
    # at its next segment (Whisper decodes 30 s at a time): "cancelling" until then, never a result
    assert stopped.json()["state"] == "cancelled" or stopped.json()["progress"]["stage"] == "cancelling", stopped.text
    ended = wait_until(server, first["id"], ("cancelled", "succeeded", "failed"), timeout=60)
    assert ended["state"] == "cancelled" and ended["result"] is None, ended
    # again: still cancelled; the events stream ends with a "cancelled" event
    assert httpx.post(f"{server.url}/v1/jobs/{first['id']}/cancel", timeout=30).json()["state"] == "cancelled"
    with httpx.stream("GET", f"{server.url}/v1/jobs/{first['id']}/events", timeout=30) as events:
        assert "event: cancelled" in events.read().decode()

    # the queue is free: the next job runs at once and ends; a finished job cannot be cancelled
    after = start_job(server, DEMO)
    done = wait_until(server, after["id"], ("succeeded", "failed"))
    assert done["state"] == "succeeded", done
    finished = httpx.post(f"{server.url}/v1/jobs/{after['id']}/cancel", timeout=30)
    assert finished.status_code == 409 and finished.json()["error"]["code"] == "job_finished"
    missing = httpx.post(f"{server.url}/v1/jobs/job_{'0' * 20}/cancel", timeout=30)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "job_not_found"

    # item 15: downloads are named after the uploaded file
    names = {}
    for path in [*done["result"]["files"].values(), *done["result"]["images"], done["result"]["spectrogram"]]:
        response = httpx.get(server.url + path, timeout=30)
        assert response.status_code == 200
        names[path.rsplit("/", 1)[1]] = response.headers["content-disposition"]
    assert 'filename="demo.srt"' in names["transcript.srt"]
    assert 'filename="demo.verbose.json"' in names["transcript.verbose.json"]
    assert 'filename="demo-picture-1.png"' in names["picture-0.png"]
    assert 'filename="demo-spectrogram.png"' in names["spectrogram.png"]


def test_models_say_what_can_run_here(server):
    """Item 13: /v1/models marks the picture engine and the VLM that cannot run on this server,
    with a reason for someone using the web page."""
    models = {m["id"]: m for m in httpx.get(server.url + "/v1/models", timeout=30).json()["data"]}
    assert models["compose"]["installed"] is True and models["compose"]["unavailable"] is None
    assert models["diffusion"]["installed"] is False
    assert "not installed on this server" in models["diffusion"]["unavailable"]
    assert "--image-model" not in models["diffusion"]["unavailable"].split("(")[0]   # the action comes first
    vlm = next(m for m in models.values() if m["kind"] == "speech-picture-to-text")
    assert vlm["installed"] is False and "vision-language model" in vlm["unavailable"]


@pytest.mark.parametrize("model", ["ctc"])
def test_compare_takes_every_model_of_its_menu(server, model):
    """Item 13: Compare runs with each speech model /v1/models lists (ctc was refused), and the VLM
    row that cannot run says why without trying (no seconds spent loading)."""
    response = httpx.post(server.url + "/audio/transcriptions/compare", files={"file": ("demo.flac", DEMO.read_bytes())},
                          data={"model": model}, timeout=120)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "bird" in answer["traditional_stt"].lower()
    assert answer["vlm_transcription"] is None and "not installed on this server" in answer["errors"]["vlm"]
    assert "ctc" in answer["models"]["whisper"]
