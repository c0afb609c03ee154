"""The server on Ray Serve vs the plain server, on one machine (issue 37).

    python bench/serve_ray.py [--requests 40] [--clients 4] [--model tiny.en] [--rounds 1]

Builds 5-second clips (cathy_dev clips joined with short gaps), then for each server in turn —
the plain ``seespeech serve`` (its default pool: cores ÷ 4 workers, at least 1), ``serve --ray``
with 1 speech replica on all the cores and with 2 on half each (``--replicas 2``; a local Ray
cluster on this machine; the ingress reserves no CPU) —
starts it, times its start-up (process start to the first answer of GET /) and reads the memory
of its whole process tree (the server and, for Ray, the Ray processes it started: GCS, raylet,
Serve controller, proxy, replicas, the job board), warms it with one request, then sends
``--requests`` transcriptions from ``--clients`` threads at once (POST /v1/audio/transcriptions,
model whisper-1, as OpenAI's client sends them) and reports requests/s and the median and p95
latency. A 503 waits for its Retry-After and is sent again (counted); other errors fail.

Serve's overhead at one replica = 1 − (Ray 1 replica requests/s ÷ plain requests/s): target ≤ 10 %.
The machine may be shared: every server is measured in the same run, one after the other
(``--rounds 2`` alternates the order and keeps each server's best).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import psutil

from common import GAP, SPEECH, write_flac

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import serverutil  # noqa: E402

from seespeech.audio import SAMPLE_RATE, load_audio  # noqa: E402
from seespeech.speech.evaluate import read_dataset  # noqa: E402


def five_second_clips(folder: Path, count: int) -> list[Path]:
    clips = read_dataset(SPEECH / "cathy_dev")
    out, parts, i = [], [], 0
    while len(out) < count:
        audio = load_audio(clips[i % len(clips)].path)
        i += 1
        parts += [audio, GAP]
        joined = np.concatenate(parts)
        if joined.size >= 5 * SAMPLE_RATE:
            out.append(write_flac(folder / f"clip{len(out):02d}.flac", joined[:5 * SAMPLE_RATE]))
            parts = []
    return out


def tree_memory(pid: int) -> float:
    """MB of resident memory of a process and everything under it (unique pages not told apart)."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def start(name: str, args: list[str], data: Path) -> tuple[subprocess.Popen, str, float, Path]:
    port = serverutil.free_port()
    log = data / f"{name}.log"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "seespeech.cli", "serve", "--port", str(port),
                                "--data-dir", str(data / name), *args], stdout=open(log, "wb"),
                               stderr=subprocess.STDOUT, env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - started < 300:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited:\n{log.read_text()}")
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return process, url, time.perf_counter() - started, log
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{name} did not start:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def load(url: str, clips: list[Path], requests: int, clients: int) -> dict:
    latencies, failures, refused = [], [], [0]
    lock = threading.Lock()
    blobs = [(p.name, p.read_bytes()) for p in clips]

    def one(i: int) -> None:
        name, data = blobs[i % len(blobs)]
        begun = time.perf_counter()
        with httpx.Client(timeout=600) as client:
            while True:
                answer = client.post(url + "/v1/audio/transcriptions", files={"file": (name, data)},
                                     data={"model": "whisper-1", "language": "en"})
                if answer.status_code == 503:
                    with lock:
                        refused[0] += 1
                    time.sleep(float(answer.headers.get("retry-after", 1)))
                    continue
                break
        with lock:
            if answer.status_code == 200 and answer.json()["text"].strip():
                latencies.append(time.perf_counter() - begun)
            else:
                failures.append((answer.status_code, answer.text[:200]))

    wall = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - wall
    latencies.sort()
    return {"requests": requests, "wall_s": round(wall, 2), "requests_per_s": round(len(latencies) / wall, 3),
            "median_s": round(statistics.median(latencies), 3) if latencies else None,
            "p95_s": round(latencies[max(0, int(0.95 * len(latencies)) - 1)], 3) if latencies else None,
            "failures": failures, "503s": refused[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    servers = {
        "plain": ["-m", args.model],
        # the plain server's model runs on every core: so does the one replica's (Ray gives an
        # actor as many threads as the CPUs it reserves); two replicas take a core each
        "ray, 1 replica": ["-m", args.model, "--ray", "--replicas", "1", "--speech-num-cpus", str(cores),
                           "--ingress-num-cpus", "0"],
        "ray, 2 replicas": ["-m", args.model, "--ray", "--replicas", "2", "--speech-num-cpus", str(cores / 2),
                            "--ingress-num-cpus", "0"],
    }
    best: dict[str, dict] = {}
    every: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        clips = five_second_clips(data, 8)
        for round_ in range(args.rounds):
            order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
            for name in order:
                process, url, startup, log = start(name.replace(" ", "").replace(",", "-"), servers[name], data)
                try:
                    time.sleep(2)
                    memory_idle = tree_memory(process.pid)
                    load(url, clips[:1], 2, 1)   # warm: the model loaded, the first call's costs paid
                    result = load(url, clips, args.requests, args.clients)
                    result.update(startup_s=round(startup, 1), memory_idle_mb=round(memory_idle),
                                  memory_loaded_mb=round(tree_memory(process.pid)))
                finally:
                    stop(process)
                print(f"{name:16s} round {round_ + 1}: {json.dumps(result)}", flush=True)
                every.setdefault(name, []).append(result["requests_per_s"])
                if name not in best or result["requests_per_s"] > best[name]["requests_per_s"]:
                    best[name] = result
    plain, one = best["plain"]["requests_per_s"], best["ray, 1 replica"]["requests_per_s"]
    print("\n| server | requests/s | median s | p95 s | start-up s | memory MB (idle → loaded) | 503s |")
    print("|---|---|---|---|---|---|---|")
    for name, r in best.items():
        print(f"| {name} | {r['requests_per_s']:.2f} | {r['median_s']} | {r['p95_s']} | {r['startup_s']} | "
              f"{r['memory_idle_mb']} → {r['memory_loaded_mb']} | {r['503s']} |")
    median = {name: statistics.median(rates) for name, rates in every.items()}
    print(f"\nServe's overhead at 1 replica: {100 * (1 - one / plain):.1f} % best round against best round, "
          f"{100 * (1 - median['ray, 1 replica'] / median['plain']):.1f} % median against median (target ≤ 10 %); "
          f"2 replicas ÷ 1: {best['ray, 2 replicas']['requests_per_s'] / one:.2f}× "
          f"(medians: {median['ray, 2 replicas'] / median['ray, 1 replica']:.2f}×)")
    print("requests/s of every round:", json.dumps(every))
    if args.json:
        args.json.write_text(json.dumps({"best": best, "rounds": every}, indent=1))


if __name__ == "__main__":
    main()
