"""The server under hostile clients (issue 31's check): schemathesis over the HTTP schema, a
corpus of bad bodies for every POST endpoint, bad events for the realtime WebSocket, and the
server's memory after 100 OCR / speech / transcription requests of every size.

    python bench/hostile.py [--examples 25] [--op-seconds 45] [--memory-requests 100]
                            [--model tiny.en] [--skip-schemathesis] [--skip-memory]

Starts ``seespeech serve`` on loopback (``--model``, its own temporary data folder), then

1. schemathesis (its Python API: each operation's positive and negative strategies through
   Hypothesis, at most ``--examples`` cases each and ``--op-seconds`` per operation);
2. its own corpus of bad bodies for every POST endpoint (missing, empty and odd files, bytes
   that are no audio or image, truncated audio, 9- and 32-channel WAVs, thin, tiny and huge
   PNGs, NUL and lone surrogates in fields, huge numbers, wrong types, over-long text);
3. bad realtime events (unreadable JSON, deeply nested frames, wrong field types, empty and
   odd appends); each must get an ``error`` event, and after them the same session must
   still transcribe a clip;
4. the server's VmRSS / VmHWM (``/proc/PID/status``) before and after ``--memory-requests``
   requests: OCR of small, medium and large (up to 8000×5000) images, speech of short and
   long texts (when the ``tts`` extra is installed), transcriptions of short clips and of
   clips joined to 1 and 3 minutes.

Counts per endpoint: requests, status codes, 500s, errors not in OpenAI's shape (a user's
request answered without saying what went wrong: "lost"). A 503 with Retry-After (a full
queue) is allowed, any other 5xx is not; a realtime close without a close frame (1006) is not;
a bad event with no ``error`` event in answer is lost. The server log is searched for tracebacks.
Exit 1 if any 500, 5xx without Retry-After, 1006, lost request or traceback happened.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import random
import struct
import sys
import tempfile
import time
import wave
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
import serverutil  # noqa: E402
from common import SPEECH, joined_speech, write_flac  # noqa: E402

DEMO = ROOT / "src" / "seespeech" / "data" / "demo.flac"
TIMEOUT = httpx.Timeout(180.0, connect=10.0)


# ---------------------------------------------------------------- the tally


class Tally:
    def __init__(self):
        self.status: dict[str, Counter] = defaultdict(Counter)
        self.bad: list[str] = []          # 500s, 5xx without Retry-After, 1006, lost
        self.unshaped: Counter = Counter()
        self.timeouts: Counter = Counter()

    def record(self, key: str, response: httpx.Response | None, what: str, exc: Exception | None = None) -> None:
        if response is None:
            self.status[key]["timeout" if isinstance(exc, httpx.TimeoutException) else "no answer"] += 1
            if isinstance(exc, httpx.TimeoutException):
                self.timeouts[key] += 1      # slow work, not a failure: the server goes on with it
            else:
                self.bad.append(f"{key}: no answer ({type(exc).__name__}: {exc}) for {what}")
            return
        code = response.status_code
        self.status[key][code] += 1
        if code >= 500 and not (code == 503 and "retry-after" in response.headers):
            self.bad.append(f"{key}: {code} {response.text[:300]!r} for {what}")
        elif code >= 400 and not _error_shape(response):
            self.unshaped[key] += 1
            self.bad.append(f"{key}: {code} without an error message in OpenAI's shape: "
                            f"{response.text[:200]!r} for {what}")


def _error_shape(response: httpx.Response) -> bool:
    try:
        error = response.json()["error"]
        return bool(error["message"]) and "type" in error
    except Exception:
        return False


# ---------------------------------------------------------------- files


def wav_bytes(channels: int, seconds: float = 1.0, rate: int = 16000, width: int = 2) -> bytes:
    frames = int(seconds * rate)
    t = np.arange(frames) / rate
    tone = (0.2 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")
    data = np.repeat(tone[:, None], channels, axis=1).tobytes() if width == 2 else bytes(frames * channels * width)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(data)
    return buffer.getvalue()


def lying_wav() -> bytes:
    """A WAV header claiming 4 GB of data, followed by 100 bytes."""
    header = wav_bytes(1, 0.01)[:44]
    return header[:40] + struct.pack("<I", 0xFFFFFFF0) + bytes(100)


def png(width: int, height: int, mode: str = "L", text: str | None = None) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new(mode, (width, height), 255 if mode in ("L", "1") else "white")
    if text:
        draw = ImageDraw.Draw(image)
        size = max(12, min(width, height) // 12)
        try:
            from PIL import ImageFont
            font = ImageFont.load_default(size=size)
        except Exception:
            font = None
        y = size
        for i in range(max(1, min(40, height // (3 * size)))):
            draw.text((size, y), f"{text} {i + 1}", fill=0, font=font)
            y += 3 * size
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width×height, with one row of data: read by its header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1))) + \
        chunk(b"IEND", b"")


def multipart(parts: list[tuple[str, bytes | str, str | None, str | None]]) -> tuple[bytes, str]:
    """A multipart body built by hand, so field values may be any bytes (a lone surrogate's UTF-8
    form, a NUL) and file names anything: (name, value, filename or None, content type or None)."""
    boundary = "hostile%016x" % random.getrandbits(64)
    out = io.BytesIO()
    for name, value, filename, ctype in parts:
        out.write(f"--{boundary}\r\n".encode())
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out.write(disposition.encode("utf-8", "surrogatepass") + b"\r\n")
        if ctype:
            out.write(f"Content-Type: {ctype}\r\n".encode())
        out.write(b"\r\n")
        out.write(value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass"))
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------- 1. schemathesis


def run_schemathesis(url: str, tally: Tally, examples: int, op_seconds: float) -> None:
    import requests
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_url(url + "/openapi.json")
    session = requests.Session()
    for result in schema.get_all_operations():
        operation = result.ok()
        key = f"{operation.method.upper()} {operation.path}"
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            deadline = time.monotonic() + op_seconds / 2

            @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck), derandomize=True)
            @given(case=operation.as_strategy(generation_mode=mode))
            def probe(case):
                if time.monotonic() > deadline:
                    return
                what = f"schemathesis {mode.value}: {case.as_curl_command()[:600]}"
                try:
                    response = case.call(base_url=url, session=session, timeout=TIMEOUT.read)
                except requests.Timeout as exc:
                    tally.record("schemathesis " + key, None, what, httpx.TimeoutException(str(exc)))
                    return
                except requests.RequestException as exc:
                    tally.record("schemathesis " + key, None, what, exc)
                    return
                headers = {k: v[0] if isinstance(v, list) else v for k, v in response.headers.items()}
                fake = httpx.Response(response.status_code, headers=headers,
                                      content=response.content)
                tally.record("schemathesis " + key, fake, what)

            try:
                probe()
            except Exception as exc:   # a generation problem of schemathesis itself
                print(f"  schemathesis could not generate for {key} ({mode.value}): {type(exc).__name__}: {exc}"[:300])
        print(f"  {key}: {dict(tally.status['schemathesis ' + key])}", flush=True)


# ---------------------------------------------------------------- 2. bad bodies


def audio_corpus(flac: bytes) -> list[tuple[str, list]]:
    """(name, multipart parts) for every endpoint taking an audio ``file``."""
    f = lambda data, name="a.flac", ctype="audio/flac": ("file", data, name, ctype)  # noqa: E731
    surrogate = "\ud800"
    return [
        ("no file", [("model", "whisper-1", None, None)]),
        ("empty file", [f(b"")]),
        ("empty file name", [f(flac, "")]),
        ("5000-char file name", [f(flac, "a" * 5000 + ".flac")]),
        ("file name with NUL and surrogate", [f(flac, "a\0b" + surrogate + ".flac")]),
        ("file name with path", [f(flac, "../../etc/passwd")]),
        ("text as audio", [f(b"hello, I am not audio\n" * 100, "a.txt", "text/plain")]),
        ("random bytes", [f(random.Random(1).randbytes(50_000), "a.wav")]),
        ("png as audio", [f(png(64, 64), "a.png", "image/png")]),
        ("truncated flac 100 B", [f(flac[:100])]),
        ("truncated flac half", [f(flac[:len(flac) // 2])]),
        ("wav header claiming 4 GB", [f(lying_wav(), "a.wav", "audio/wav")]),
        ("zero-sample wav", [f(wav_bytes(1, 0.0), "a.wav", "audio/wav")]),
        ("9-channel wav", [f(wav_bytes(9), "nine.wav", "audio/wav")]),
        ("32-channel wav", [f(wav_bytes(32), "many.wav", "audio/wav")]),
        ("8-bit 1 Hz wav", [f(wav_bytes(1, 0.5, rate=1, width=1) , "a.wav", "audio/wav")]),
        ("two files", [f(flac), f(flac, "b.flac")]),
        ("model NUL", [f(flac), ("model", "whisper\0-1", None, None)]),
        ("model surrogate", [f(flac), ("model", surrogate, None, None)]),
        ("model invalid utf-8", [f(flac), ("model", b"\xff\xfe\xfd", None, None)]),
        ("language surrogate", [f(flac), ("language", surrogate, None, None)]),
        ("language 5000 chars", [f(flac), ("language", "e" * 5000, None, None)]),
        ("prompt NUL", [f(flac), ("prompt", "a\0b", None, None)]),
        ("temperature 1e400", [f(flac), ("temperature", "1e400", None, None)]),
        ("temperature nan", [f(flac), ("temperature", "nan", None, None)]),
        ("temperature -1", [f(flac), ("temperature", "-1", None, None)]),
        ("beam_size huge", [f(flac), ("beam_size", "9" * 40, None, None)]),
        ("beam_size 0", [f(flac), ("beam_size", "0", None, None)]),
        ("best_of text", [f(flac), ("best_of", "many", None, None)]),
        ("response_format odd", [f(flac), ("response_format", "xml", None, None)]),
        ("granularities word+text", [f(flac), ("response_format", "text", None, None),
                                     ("timestamp_granularities[]", "word", None, None)]),
        ("stream maybe", [f(flac), ("stream", "maybe", None, None)]),
        ("include odd", [f(flac), ("include[]", "everything", None, None)]),
        ("n huge", [f(flac), ("n", "1" + "0" * 30, None, None)]),
        ("size odd", [f(flac), ("size", "0x99999999", None, None)]),
        ("seed negative huge", [f(flac), ("seed", "-" + "9" * 30, None, None)]),
        ("image_type odd", [f(flac), ("image_type", "x", None, None)]),
        ("vlm_model path", [f(flac), ("vlm_model", "/etc", None, None)]),
        ("max_line_width -5", [f(flac), ("response_format", "srt", None, None), ("max_line_width", "-5", None, None)]),
        ("10000 fields", [f(flac)] + [(f"x{i}", "y", None, None) for i in range(10_000)]),
    ]


def image_corpus() -> list[tuple[str, list]]:
    f = lambda data, name="a.png", ctype="image/png": ("file", data, name, ctype)  # noqa: E731
    from PIL import Image

    cmyk = io.BytesIO()
    Image.new("CMYK", (64, 32), (0, 0, 0, 0)).save(cmyk, "JPEG")
    gif = io.BytesIO()
    frames = [Image.new("P", (40, 40), i) for i in range(3)]
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    sixteen = io.BytesIO()
    Image.new("I;16", (64, 64), 300).save(sixteen, "PNG")
    good = png(200, 60, text="Hello")
    return [
        ("no file", []),
        ("empty file", [f(b"")]),
        ("empty file name", [f(good, "")]),
        ("text as image", [f(b"not an image\n" * 50, "a.txt", "text/plain")]),
        ("flac as image", [f(DEMO.read_bytes(), "a.flac", "audio/flac")]),
        ("truncated png", [f(good[:len(good) // 2])]),
        ("1x1 png", [f(png(1, 1))]),
        ("2x2 png", [f(png(2, 2))]),
        ("100000x1 png", [f(png(100_000, 1))]),
        ("1x39000000 png (header)", [f(png_header_only(1, 39_000_000))]),
        ("20000x20000 png (header)", [f(png_header_only(20_000, 20_000))]),
        ("20000x20000 1-bit png", [f(png(20_000, 20_000, mode="1"))]),
        ("65535x65535 png (header)", [f(png_header_only(65535, 65535))]),
        ("8 x 5000 png", [f(png(8, 5000))]),
        ("cmyk jpeg", [f(cmyk.getvalue(), "a.jpg", "image/jpeg")]),
        ("animated gif", [f(gif.getvalue(), "a.gif", "image/gif")]),
        ("16-bit png", [f(sixteen.getvalue())]),
        ("svg", [f(b'<svg xmlns="http://www.w3.org/2000/svg" width="9e9" height="9e9"/>', "a.svg", "image/svg+xml")]),
        ("over 20 MB", [f(random.Random(2).randbytes(21 * 1024 * 1024), "big.png")]),
        ("prompt NUL", [f(good), ("prompt", "a\0b", None, None)]),
        ("prompt surrogate", [f(good), ("prompt", "\ud800", None, None)]),
    ]


def json_corpus(path: str) -> list[tuple[str, object]]:
    """(name, JSON value or raw bytes) for JSON endpoints."""
    generic: list[tuple[str, object]] = [
        ("empty body", b""),
        ("invalid json", b"{not json"),
        ("json null", None),
        ("json list", [1, 2]),
        ("json string", "x"),
        ("100000 nested arrays", b"[" * 100_000 + b"]" * 100_000),
        ("100000 nested objects", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
        ("5000-digit int", b'{"x": ' + b"1" * 5000 + b"}"),
        ("invalid utf-8", b'{"text": "\xff\xfe"}'),
    ]
    if path == "/v1/audio/speech":
        base = {"model": "tts-1", "input": "Hello there.", "voice": "alloy"}
        specific = [
            ("input NUL", {**base, "input": "Hello\0world."}),
            ("input surrogate", b'{"model": "tts-1", "voice": "alloy", "input": "hi \\ud800 there"}'),
            ("input NUL mid-way", {**base, "input": "Hello there, the first sentence. And the second\0 one."}),
            ("input empty", {**base, "input": ""}),
            ("input only spaces", {**base, "input": "   \n\t "}),
            ("input only punctuation", {**base, "input": "?!...;;--"}),
            ("input 4097 chars", {**base, "input": "a" * 4097}),
            ("input int", {**base, "input": 5}),
            ("input list", {**base, "input": ["hi"]}),
            ("speed 1e400", b'{"model": "tts-1", "voice": "alloy", "input": "hi", "speed": 1e400}'),
            ("speed NaN", b'{"model": "tts-1", "voice": "alloy", "input": "hi", "speed": NaN}'),
            ("speed 0", {**base, "speed": 0}),
            ("speed text", {**base, "speed": "fast"}),
            ("voice int", {**base, "voice": 5}),
            ("voice odd", {**base, "voice": "../../etc"}),
            ("model odd", {**base, "model": "x" * 5000}),
            ("response_format odd", {**base, "response_format": "exe"}),
            ("instructions", {**base, "instructions": "whisper"}),
            ("stream_format sse", {**base, "stream_format": "sse"}),
            ("emoji and RTL", {**base, "input": "\U0001f600 \u202e\u0645\u0631\u062d\u0628\u0627 \ufeff\u200b"}),
        ]
    elif path == "/v1/text/translations":
        base = {"text": "Hello there.", "source": "en", "target": "pt"}
        specific = [
            ("text NUL", {**base, "text": "a\0b"}),
            ("text surrogate", b'{"text": "hi \\ud800", "source": "en", "target": "pt"}'),
            ("text 10001 chars", {**base, "text": "Hi. " * 2500 + "a"}),
            ("text 1 MB", {**base, "text": "a" * 1_000_000}),
            ("text empty", {**base, "text": ""}),
            ("text int", {**base, "text": 5}),
            ("text object", {**base, "text": {"a": 1}}),
            ("source unknown", {**base, "source": "xx"}),
            ("same languages", {**base, "target": "en"}),
            ("source surrogate", b'{"text": "hi", "source": "\\udfff", "target": "pt"}'),
            ("engine argos", {**base, "engine": "argos"}),
            ("missing target", {"text": "hi", "source": "en"}),
            ("one 3000-char sentence", {**base, "text": "word " * 600}),
        ]
    elif path == "/v1/images/generations":
        base = {"prompt": "a red ball", "size": "256x256", "engine": "compose"}
        specific = [
            ("prompt NUL", {**base, "prompt": "a\0b"}),
            ("prompt surrogate", b'{"prompt": "a \\ud800 b", "size": "256x256"}'),
            ("prompt empty", {**base, "prompt": ""}),
            ("prompt 4001", {**base, "prompt": "a" * 4001}),
            ("n 0", {**base, "n": 0}),
            ("n 1e30", {**base, "n": 1e30}),
            ("n 9", {**base, "n": 9}),
            ("size 0x0", {**base, "size": "0x0"}),
            ("size huge", {**base, "size": "99999x99999"}),
            ("size odd", {**base, "size": "512x"}),
            ("size negative", {**base, "size": "-512x512"}),
            ("seed 2**80", {**base, "seed": 2**80}),
            ("steps huge", {**base, "steps": 10**9}),
            ("guidance NaN", b'{"prompt": "a", "guidance": NaN}'),
            ("response_format url", {**base, "response_format": "url"}),
            ("engine odd", {**base, "engine": "../x"}),
            ("model odd", {**base, "model": "dall-e-3"}),
            ("negative_prompt surrogate", b'{"prompt": "a", "negative_prompt": "\\ud800"}'),
        ]
    else:
        specific = []
    return generic + specific


def run_corpus(url: str, tally: Tally, openapi: dict) -> None:
    flac = DEMO.read_bytes()
    client = httpx.Client(base_url=url, timeout=TIMEOUT)
    for path, methods in sorted(openapi["paths"].items()):
        if "post" not in methods:
            continue
        body = methods["post"].get("requestBody", {}).get("content", {})
        key = f"POST {path}"
        if "multipart/form-data" in body:
            ref = body["multipart/form-data"]["schema"].get("$ref", "")
            props = openapi["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
            image = "/images/" in path
            corpus = image_corpus() if image else audio_corpus(flac)
            if "/vlm" in path or "/compare" in path:
                # readable audio would load the VLM (GBs): keep to what fails before it
                corpus = [(n, p) for n, p in corpus if any(w in n for w in (
                    "no file", "empty", "text as", "random", "png as", "truncated flac 100", "4 GB",
                    "image_type", "vlm_model", "invalid utf-8", "NUL and surrogate"))]
            for name, parts in corpus:
                if not image and "file" in props and not any(p[0] == "model" for p in parts) and "model" in props:
                    parts = parts + [("model", "whisper-1", None, None)]
                content, ctype = multipart(parts)
                send(client, tally, key, name, content=content, headers={"content-type": ctype})
            # a JSON body where a form is expected, and a form with no boundary
            send(client, tally, key, "json to a form", json={"file": "x"})
            send(client, tally, key, "multipart without boundary", content=b"--x\r\n",
                 headers={"content-type": "multipart/form-data"})
        elif "application/json" in body:
            for name, value in json_corpus(path):
                if isinstance(value, bytes):
                    send(client, tally, key, name, content=value, headers={"content-type": "application/json"})
                else:
                    send(client, tally, key, name, content=json.dumps(value).encode(),
                         headers={"content-type": "application/json"})
            send(client, tally, key, "form to a JSON endpoint", data={"text": "hi"})
        else:
            send(client, tally, key, "no body", content=b"")
        print(f"  {key}: {dict(tally.status[key])}", flush=True)


def send(client: httpx.Client, tally: Tally, key: str, name: str, **kwargs) -> httpx.Response | None:
    try:
        response = client.post(key.split(" ", 1)[1], **kwargs)
    except httpx.HTTPError as exc:
        tally.record(key, None, name, exc)
        return None
    tally.record(key, response, name)
    return response


def check_jobs(url: str, tally: Tally) -> None:
    """Jobs the corpus started finish, and none ends in an internal error."""
    client = httpx.Client(base_url=url, timeout=TIMEOUT)
    deadline = time.monotonic() + 300
    while True:
        jobs = client.get("/v1/jobs", params={"limit": 100}).json()
        jobs = jobs.get("data", jobs) if isinstance(jobs, dict) else jobs
        running = [j for j in jobs if j.get("state") in ("queued", "running")]
        if not running or time.monotonic() > deadline:
            break
        time.sleep(2)
    for job in jobs:
        tally.status["jobs started by the corpus"][job.get("state")] += 1
        error = json.dumps(job.get("error") or {})
        if "internal" in error or '"status": 500' in error:
            tally.bad.append(f"job {job.get('id')} ended in an internal error: {error[:300]}")


# ---------------------------------------------------------------- 3. realtime


def realtime_cases() -> list[tuple[str, str]]:
    raw = '{"type": "session.update", "session": {"type": "transcription", "audio": {"input": %s}}}'
    app = lambda data: json.dumps({"type": "input_audio_buffer.append", "audio": data})  # noqa: E731
    return [
        ("invalid json", "{not json"),
        ("empty frame", ""),
        ("json null", "null"),
        ("json list", "[1, 2]"),
        ("json string", '"x"'),
        ("100000 nested arrays", "[" * 100_000 + "]" * 100_000),
        ("100000 nested objects", '{"a":' * 100_000 + "1" + "}" * 100_000),
        ("5000-digit int", '{"type": "session.update", "x": ' + "1" * 5000 + "}"),
        ("no type", '{"session": {}}'),
        ("type int", '{"type": 5}'),
        ("type surrogate", '{"type": "\\ud800"}'),
        ("unknown type", '{"type": "response.create"}'),
        ("input 'x'", raw % '"x"'),
        ("input [1,2]", raw % "[1, 2]"),
        ("input 5", raw % "5"),
        ("language 5", raw % '{"transcription": {"language": 5}}'),
        ("language list", raw % '{"transcription": {"language": ["en"]}}'),
        ("language surrogate", raw % '{"transcription": {"language": "\\ud800"}}'),
        ("silence 1e400", raw % '{"turn_detection": {"silence_duration_ms": 1e400}}'),
        ("silence -1", raw % '{"turn_detection": {"silence_duration_ms": -1}}'),
        ("threshold NaN", raw % '{"turn_detection": {"threshold": NaN}}'),
        ("threshold 1.5", raw % '{"turn_detection": {"threshold": 1.5}}'),
        ("prefix true", raw % '{"turn_detection": {"prefix_padding_ms": true}}'),
        ("turn_detection type odd", raw % '{"turn_detection": {"type": "semantic_vad_x"}}'),
        ("model surrogate", raw % '{"transcription": {"model": "\\ud800"}}'),
        ("model path", raw % '{"transcription": {"model": "/etc"}}'),
        ("prompt object", raw % '{"transcription": {"prompt": {"text": "hi"}}}'),
        ("prompt 100000 chars", raw % json.dumps({"transcription": {"prompt": "a" * 100_000}})),
        ("english-only with de", raw % '{"transcription": {"language": "de"}}'),
        ("format pcm16 string", raw % '{"format": "pcm16"}'),
        ("rate 0", raw % '{"format": {"type": "audio/pcm", "rate": 0}}'),
        ("rate 1e12", raw % '{"format": {"type": "audio/pcm", "rate": 1000000000000}}'),
        ("format type odd", raw % '{"format": {"type": "audio/flac"}}'),
        ("audio 'x'", json.dumps({"type": "session.update", "session": {"type": "transcription", "audio": "x"}})),
        ("session list", json.dumps({"type": "session.update", "session": [1]})),
        ("session type realtime", json.dumps({"type": "session.update", "session": {"type": "realtime"}})),
        ("include [a, 5]", json.dumps({"type": "session.update",
                                       "session": {"type": "transcription", "include": ["a", 5]}})),
        ("beta transcription 'x'", json.dumps({"type": "transcription_session.update",
                                               "session": {"input_audio_transcription": "x"}})),
        ("beta threshold 'x'", json.dumps({"type": "transcription_session.update",
                                           "session": {"turn_detection": {"threshold": "x"}}})),
        ("append empty", app("")),
        ("append one byte", app(base64.b64encode(b"\x01").decode())),
        ("append three bytes", app(base64.b64encode(b"\x01\x02\x03").decode())),
        ("append null", app(None)),
        ("append int", app(5)),
        ("append not base64", app("!!!not base64!!!")),
        ("append base64 padding odd", app("QUJD=")),
        ("append missing", '{"type": "input_audio_buffer.append"}'),
        ("commit empty buffer", '{"type": "input_audio_buffer.commit"}'),
        ("clear with junk", '{"type": "input_audio_buffer.clear", "x": [1]}'),
        ("item delete unknown", '{"type": "conversation.item.delete", "item_id": "nope"}'),
    ]


async def _realtime(url: str, tally: Tally, pcm: bytes, demo_text: str) -> None:
    import websockets

    from seespeech.speech.evaluate import normalise

    ws_url = url.replace("http://", "ws://") + "/v1/realtime?intent=transcription"
    key = "WS /v1/realtime"

    async def answer(ws, timeout=30.0) -> dict:
        try:
            return json.loads(await asyncio.wait_for(ws.recv(), timeout))
        except websockets.ConnectionClosed as closed:
            return {"type": "closed", "code": closed.rcvd.code if closed.rcvd else 1006}
        except asyncio.TimeoutError:
            return {"type": "silence"}

    cases = realtime_cases()
    for start in range(0, len(cases), 10):   # ten bad events per session, then the session transcribes
        async with websockets.connect(ws_url, max_size=None) as ws:
            first = await answer(ws)
            assert first["type"] == "session.created", first
            for name, text in cases[start:start + 10]:
                await ws.send(text)
                got = await answer(ws)
                # some events are fine to accept (commit of an empty buffer answers an error; clear: cleared)
                kind = got["type"]
                if kind in ("error", "closed"):
                    tally.status[key][kind if kind != "closed" else f"closed {got['code']}"] += 1
                if kind == "closed":
                    tally.bad.append(f"{key}: {name}: closed {got['code']}")
                    break
                if kind == "silence":
                    tally.bad.append(f"{key}: {name}: no answer in 30 s (lost)")
                elif kind != "error":
                    tally.status[key][f"{kind} ({name})"] += 1
                if kind != "error" and not kind.endswith((".cleared", ".deleted", "session.updated")):
                    tally.bad.append(f"{key}: {name}: answered {kind}, not an error: {json.dumps(got)[:200]}")
            else:
                # the same session still transcribes
                await ws.send(json.dumps({"type": "session.update", "session": {
                    "type": "transcription", "audio": {"input": {"turn_detection": None}}}}))
                got = await answer(ws)
                while got["type"] not in ("session.updated", "closed", "silence", "error"):
                    got = await answer(ws)
                await ws.send(json.dumps({"type": "input_audio_buffer.append",
                                          "audio": base64.b64encode(pcm).decode()}))
                await ws.send(json.dumps({"type": "input_audio_buffer.commit"}))
                while True:
                    got = await answer(ws, 120)
                    if got["type"] in ("closed", "silence", "error") or got["type"].endswith(".failed"):
                        tally.bad.append(f"{key}: session after cases {start}-{start + 9} did not transcribe: "
                                         f"{json.dumps(got)[:200]}")
                        break
                    if got["type"].endswith(".completed"):
                        ok = normalise(got["transcript"]) == normalise(demo_text)
                        tally.status[key]["transcribed afterwards" if ok else "wrong transcript afterwards"] += 1
                        if not ok:
                            tally.bad.append(f"{key}: transcript after bad events: {got['transcript']!r}")
                        break
    # a frame over the limit: closed with a close frame (1009), never dropped
    async with websockets.connect(ws_url, max_size=None) as ws:
        await answer(ws)
        await ws.send("[" + " " * (24 * 1024 * 1024) + "]")
        got = await answer(ws)
        tally.status[key][f"oversized frame: {got['type']} {got.get('code', '')}".strip()] += 1
        if got.get("code") == 1006 or got["type"] != "closed":
            tally.bad.append(f"{key}: a 24 MiB frame answered {got}")
    # a client that goes without a close frame, mid-append: the server goes on
    ws = await websockets.connect(ws_url, max_size=None)
    await answer(ws)
    await ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": base64.b64encode(pcm[:48000]).decode()}))
    ws.transport.abort()
    await asyncio.sleep(1)


def run_realtime(url: str, tally: Tally) -> None:
    from seespeech.audio import load_audio
    from seespeech.speech.live import pcm16

    pcm = pcm16(load_audio(DEMO))
    demo_text = (ROOT / "src" / "seespeech" / "data" / "demo.txt").read_text().strip()
    asyncio.run(_realtime(url, tally, pcm, demo_text))
    print(f"  WS /v1/realtime: {dict(tally.status['WS /v1/realtime'])}", flush=True)


# ---------------------------------------------------------------- 4. memory


def memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of the process, MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out


def memory_corpus(count: int, folder: Path, tts: bool) -> list[tuple[str, str, dict]]:
    """``count`` requests of every size, interleaved: (kind, path, httpx kwargs)."""
    from seespeech.speech.evaluate import read_dataset

    clips = [c.path for c in read_dataset(SPEECH / "cathy_dev")][:20]
    one_min = write_flac(folder / "one_minute.flac", joined_speech(60)[0])
    three_min = write_flac(folder / "three_minutes.flac", joined_speech(180)[0])
    images = {
        "ocr small 400x120": png(400, 120, text="Small receipt line"),
        "ocr medium 1600x1200": png(1600, 1200, text="A medium page of text"),
        "ocr large 4000x3000": png(4000, 3000, text="A large scan"),
        "ocr 8000x5000": png(8000, 5000, "RGB", text="The largest image"),
    }
    sentence = "The quick brown fox jumps over the lazy dog, and then it runs away into the woods. "
    texts = {"speech short": "Hello there.", "speech medium": sentence * 4, "speech long": sentence * 45}
    plan: list[tuple[str, str, dict]] = []
    kinds = [("ocr", k) for k in images] + ([("speech", k) for k in texts] if tts else []) + \
        [("asr", "transcribe short clip"), ("asr", "transcribe short clip"), ("asr", "transcribe 1 min"),
         ("asr", "transcribe 3 min")]
    i = 0
    while len(plan) < count:
        family, kind = kinds[i % len(kinds)]
        if family == "ocr":
            plan.append((kind, "/v1/images/read", {"files": {"file": (kind.split()[-1] + ".png", images[kind],
                                                                      "image/png")}}))
        elif family == "speech":
            plan.append((kind, "/v1/audio/speech", {"json": {"model": "tts-1", "voice": "alloy", "input": texts[kind],
                                                             "response_format": "mp3"}}))
        else:
            path = {"transcribe 1 min": one_min, "transcribe 3 min": three_min}.get(kind, clips[i % len(clips)])
            plan.append((kind, "/v1/audio/transcriptions",
                         {"files": {"file": (path.name, path.read_bytes(), "audio/flac")},
                          "data": {"model": "whisper-1"}}))
        i += 1
    return plan


def run_memory(url: str, pid: int, tally: Tally, count: int, tts: bool) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="hostile-mem-"))
    plan = memory_corpus(count, folder, tts)
    client = httpx.Client(base_url=url, timeout=httpx.Timeout(600.0, connect=10.0))
    before = memory(pid)
    after_first: dict[str, float] = {}
    seconds: dict[str, list[float]] = defaultdict(list)
    for n, (kind, path, kwargs) in enumerate(plan):
        start = time.perf_counter()
        try:
            response = client.post(path, **kwargs)
            tally.record(f"memory: {kind}", response, kind)
            if response.status_code == 200 and not response.content:
                tally.bad.append(f"memory: {kind}: an empty 200")
        except httpx.HTTPError as exc:
            tally.record(f"memory: {kind}", None, kind, exc)
        seconds[kind].append(time.perf_counter() - start)
        if n == len(set(k for k, _, _ in plan)) - 1:
            after_first = memory(pid)
        if (n + 1) % 10 == 0:
            print(f"  {n + 1}/{len(plan)} requests, RSS {memory(pid)['VmRSS']:.0f} MB", flush=True)
    after = memory(pid)
    time.sleep(5)
    settled = memory(pid)
    return {"before": before, "after_one_of_each": after_first, "after": after, "settled": settled,
            "requests": Counter(k for k, _, _ in plan),
            "seconds": {k: sum(v) / len(v) for k, v in seconds.items()}}


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=25, help="schemathesis cases per operation and mode")
    parser.add_argument("--op-seconds", type=float, default=45, help="schemathesis time per operation")
    parser.add_argument("--memory-requests", type=int, default=100)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--skip-schemathesis", action="store_true")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-realtime", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()

    import importlib.util

    tts = importlib.util.find_spec("piper") is not None
    random.seed(0)
    tally = Tally()
    data = Path(tempfile.mkdtemp(prefix="hostile-")) / "data"
    started = time.perf_counter()
    server = serverutil.start(data, "--model", args.model)
    results: dict = {}
    try:
        pid = server.process.pid
        print(f"server {server.url} pid {pid}, RSS at start {memory(pid)}", flush=True)
        openapi = httpx.get(server.url + "/openapi.json").json()
        if not args.skip_memory:
            # memory first, on a fresh server, so its numbers are not the corpus's
            print("memory: %d requests" % args.memory_requests, flush=True)
            results["memory"] = run_memory(server.url, pid, tally, args.memory_requests, tts)
        if not args.skip_corpus:
            print("corpus of bad bodies", flush=True)
            run_corpus(server.url, tally, openapi)
        if not args.skip_realtime:
            print("realtime events", flush=True)
            run_realtime(server.url, tally)
        if not args.skip_schemathesis:
            print("schemathesis", flush=True)
            run_schemathesis(server.url, tally, args.examples, args.op_seconds)
        if not args.skip_corpus:
            check_jobs(server.url, tally)
        results["end"] = memory(pid)
        alive = server.process.poll() is None and httpx.get(server.url + "/health").status_code == 200
    finally:
        serverutil.stop(server)
    log = server.log_text()
    for marker in ("Traceback", "Exception in ASGI application", "internal error on"):
        if marker in log:
            tally.bad.append(f"server log has {marker!r}: " + log[log.index(marker) - 300:log.index(marker) + 1200])

    print(f"\n{'endpoint':58} {'requests':>8}  {'500s':>4}  statuses")
    for key in sorted(tally.status):
        counts = tally.status[key]
        total = sum(counts.values())
        fives = sum(v for k, v in counts.items() if k == 500)
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0])))
        print(f"{key:58} {total:>8}  {fives:>4}  {statuses}")
    if "memory" in results:
        m = results["memory"]
        print(f"\nmemory ({sum(m['requests'].values())} requests: "
              + ", ".join(f"{k} ×{v} ({m['seconds'][k]:.1f} s)" for k, v in m["requests"].items()) + ")")
        for name in ("before", "after_one_of_each", "after", "settled"):
            if m.get(name):
                print(f"  {name:18} VmRSS {m[name]['VmRSS']:7.0f} MB   VmHWM {m[name]['VmHWM']:7.0f} MB")
    print(f"  at the end        VmRSS {results['end']['VmRSS']:7.0f} MB   VmHWM {results['end']['VmHWM']:7.0f} MB")
    print(f"\nserver alive and healthy at the end: {alive}; {time.perf_counter() - started:.0f} s in all; "
          f"timeouts (slow work, not failures): {dict(tally.timeouts) or 0}")
    if tally.bad or not alive:
        print(f"\nFAILED: {len(tally.bad)} problems")
        for line in tally.bad:
            print("  -", line)
        return 1
    print("\n0 responses with status 500, 0 WebSocket closes without a close frame, nothing lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
