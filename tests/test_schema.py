"""Property-based API tests: schemathesis drives every operation of the server's OpenAPI
description against the real server on loopback with generated requests — valid and
invalid fields, random bytes as the uploaded ``file``, malformed content types, other
methods — and every answer must be a 2xx/4xx, never a 5xx, and every 4xx must carry
OpenAI's error shape ``{"error": {"message": ...}}``.

The server is started for this module with small limits (2 MB uploads, 30 s of audio) so
that nothing a generator makes can keep the model busy for long; random bytes fail in
the probe before any decoding.

The schema is built at collection time from the app (``create_app().openapi()``), and a
test checks that the running server serves exactly that document at ``/openapi.json``.
(schemathesis' fixture-based lazy schema, ``schemathesis.pytest.from_fixture``, reaches
into pytest internals that pytest 9.2 no longer has: ``Function._nodeid``.)
"""

from __future__ import annotations

import json
import struct

import pytest
import schemathesis  # the test extra: schemathesis 4 (it brings hypothesis)
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

import serverutil
from seespeech.server.app import create_app
from seespeech.server.settings import Settings

#: examples per operation in the generate phase (explicit/coverage cases come on top)
MAX_EXAMPLES = 25
#: seconds one request may take; a hang is a failure too
REQUEST_TIMEOUT = 60
#: the server this module starts: small enough that no generated request runs long
LIMITS = ("--max-upload-mb", "2", "--max-duration", "30")
OPENAPI = create_app(Settings(max_upload_mb=2, max_duration=30)).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


@pytest.fixture(scope="module")
def schema_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("schema") / "data"
    with serverutil.running(data, *LIMITS) as running:
        yield running


def test_served_schema_is_the_one_tested(schema_server):
    import httpx

    served = httpx.get(schema_server.url + "/openapi.json", timeout=30)
    assert served.status_code == 200
    assert served.json() == OPENAPI


def error_shape(ctx, response, case) -> None:
    """4xx answers are OpenAI-shaped: {"error": {"message": str, "type": str, ...}}."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{response.status_code} body is not JSON: {response.content[:200]!r}") from None
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict), f"{response.status_code} body has no 'error' object: {body!r}"
    assert isinstance(error.get("message"), str) and error["message"], f"no error message: {body!r}"
    assert isinstance(error.get("type"), str), f"no error type: {body!r}"
    return None


# Every operation is included. GET /v1/jobs/{job_id}/events streams until a job ends, but
# no job exists yet when this runs (random bytes never make a valid upload, and the jobs
# of test_odd_files_are_client_errors come later), so it answers 404 at once for any
# generated id and is safe to keep; that test follows real jobs' events to their end.
# One pytest item per operation, named by it ("POST /v1/audio/transcriptions"): items of
# schemathesis' own parametrize share one name, which parallel runs (xdist) cannot tell apart.
OPERATIONS = {result.ok().label: result.ok() for result in schema.get_all_operations()}


@pytest.mark.parametrize("label", list(OPERATIONS))
def test_no_server_errors(label, schema_server):
    from hypothesis import given

    @given(case=OPERATIONS[label].as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate], database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(base_url=schema_server.url, timeout=REQUEST_TIMEOUT)
        try:
            case.validate_response(response, checks=[not_a_server_error, error_shape])
        except Exception:
            # the traceback of a 5xx is in the server log, not in the response
            print(schema_server.log_text()[-6000:])
            raise

    check()


# Generated ``file`` parts are random text and bytes, so they almost never get past the
# container probe. These hand-made bodies go further into FFmpeg: files of other kinds it
# opens, damaged audio and WAV headers with impossible fields. Each must get a 4xx (or a
# 2xx where the little audio there is can be used), never a 5xx.
UPLOAD_PATHS = ("/v1/audio/transcriptions", "/v1/audio/translations", "/v1/audio/pictures", "/v1/audio/images",
                "/v1/jobs", "/upload/")
#: the sweep's endpoints in the default tier (the rest in the slow one: the same upload plumbing)
FAST_PATHS = ("/v1/audio/pictures",)   # the same upload plumbing as transcriptions (slow tier)
from conftest import SPEECH, SPEECH_MISSING  # noqa: E402

if SPEECH_MISSING:   # its module-level clips come from ../shared/speech
    pytest.skip(SPEECH_MISSING, allow_module_level=True)


def _wav(data: bytes, rate: int = 16000, channels: int = 1, bits: int = 16, declared: int | None = None) -> bytes:
    size = len(data) if declared is None else declared
    fmt = struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * bits // 8, channels * bits // 8, bits)
    return b"RIFF" + struct.pack("<I", min(36 + size, 0xFFFFFFFF)) + b"WAVEfmt " + fmt + b"data" + \
        struct.pack("<I", size) + data


def _tricky_bodies() -> dict[str, bytes]:
    from schemathesis.core.file_samples import FILE_SAMPLES

    flac = (SPEECH / "cathy_dev" / "arctic_a0004.flac").read_bytes()
    silence = bytes(3200)
    return {
        "png": FILE_SAMPLES["png"], "gif": FILE_SAMPLES["gif"], "pdf": FILE_SAMPLES["pdf"], "zip": FILE_SAMPLES["zip"],
        "svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>", "text": b"hello world\n", "nul": b"\0",
        "id3-only": b"ID3\x04\x00\x00\x00\x00\x00\x00", "mp3-sync-junk": b"\xff\xfb\x90\x00" * 500,
        "ffconcat": b"ffconcat version 1.0\nfile /etc/passwd\n",
        "hls-playlist": b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:1/x.ts\n#EXT-X-ENDLIST\n",
        "flac-64-bytes": flac[:64], "flac-2-kb": flac[:2048], "flac-junk-tail": flac[:4096] + bytes(range(256)) * 20,
        "wav-header-only": _wav(b""), "wav-rate-0": _wav(silence, rate=0), "wav-channels-0": _wav(silence, channels=0),
        "wav-bits-0": _wav(silence, bits=0), "wav-bits-7": _wav(silence, bits=7),
        "wav-claims-37-hours": _wav(silence, declared=0xFFFFFFF0),
    }


TRICKY = _tricky_bodies()


@pytest.mark.parametrize("path", [p if p in FAST_PATHS else pytest.param(p, marks=pytest.mark.slow)
                                  for p in UPLOAD_PATHS])
def test_odd_files_are_client_errors(schema_server, path):
    import httpx

    answers = {}
    for name, body in TRICKY.items():
        # a connection per request: after a 5xx uvicorn drops the connection, and a kept-alive
        # client would see the next, innocent request fail with "connection reset"
        response = httpx.post(schema_server.url + path, files={"file": (f"{name}.bin", body)},
                              timeout=REQUEST_TIMEOUT)
        answers[name] = response.status_code
        if 400 <= response.status_code < 500:
            error = response.json().get("error")
            assert isinstance(error, dict) and error.get("message"), (name, response.text)
        elif response.status_code == 202:  # a job: it must end, and not as an internal error
            job = _final_job_event(schema_server.url, response.json()["id"])
            if job["state"] == "failed" and job["error"].get("status", 500) >= 500:
                answers[name] = f"job failed: {job['error']}"
    server_errors = {name: status for name, status in answers.items() if not isinstance(status, int) or status >= 500}
    if server_errors:
        print(schema_server.log_text()[-6000:])
    assert not server_errors, f"POST {path}: 5xx for {server_errors} (all answers: {answers})"


def _final_job_event(url: str, job_id: str) -> dict:
    """Follow GET /v1/jobs/{id}/events (SSE) to the job's last event; return the job."""
    import httpx

    kind, job = None, None
    with httpx.stream("GET", f"{url}/v1/jobs/{job_id}/events", timeout=REQUEST_TIMEOUT) as events:
        assert events.status_code == 200
        for line in events.iter_lines():
            if line.startswith("event: "):
                kind = line[len("event: "):]
            elif line.startswith("data: "):
                job = json.loads(line[len("data: "):])
    assert kind in ("succeeded", "failed") and job["state"] == kind, (kind, job)
    return job
