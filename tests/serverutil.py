"""Start the real server on loopback for tests, in its own process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    data_dir: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start(data_dir: Path, *args: str, env: dict | None = None, port: int | None = None) -> Server:
    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"server-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "seespeech.cli", "serve", "--port", str(port), "--data-dir", str(data_dir), *args],
        stdout=open(log, "ab"), stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return Server(url, process, log, data_dir)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"server did not start in time:\n{log.read_text()}")


def stop(server: Server, kill: bool = False) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@contextmanager
def running(data_dir: Path, *args: str, env: dict | None = None):
    server = start(data_dir, *args, env=env)
    try:
        yield server
    finally:
        stop(server)


def long_clip(folder: Path, times: int = 3) -> Path:
    """The demo clip said ``times`` times over (~13 s): a job that runs for a while."""
    import wave

    import numpy as np

    from seespeech.audio import load_audio

    from conftest import DEMO

    samples = np.tile(load_audio(DEMO), times)
    path = folder / "long talk.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path
