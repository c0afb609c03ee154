"""Server under load vs the same work done sequentially in-process.

    python bench/server_load.py [--clips 40] [--clients 20] [--model base|tiny.en]
                                [--workers N] [--queue-size N] [--rounds 2]

Starts ``seespeech serve`` on loopback (model ``--model`` behind "whisper-1"), then
``--clients`` threads send ``--clips`` cathy_dev clips to POST /v1/audio/transcriptions
as OpenAI clients would (model whisper-1, no other fields). A client answered 503 waits
for its Retry-After and sends the clip again; any other non-200 is a failure, and a
request with no answer at all (connection error, timeout) is lost. Wall time runs from
the first request to the last answer, after one warm-up request that loads the model.

Then the same clips are transcribed one after another in this process with
``load_engine("whisper", model)`` and the options the server builds for such a request
(``service.transcribe_options``: temperature fallback, the server's max_duration), after
the same warm-up.

Both sides run ``--rounds`` times, alternating which goes first (the machine is shared:
a busy moment then costs both sides alike); the best wall of each side is compared.
Failures, lost requests and 503s are counted over all rounds.

Targets: 0 failures, 0 lost; throughput ratio = sequential wall / server wall ≥ 0.9
(the server's queueing, uploads and HTTP cost at most 10 %); server WER equal to the
sequential WER (the same texts). ``--queue-size 2`` exercises the 503 + Retry-After path.
"""

import argparse
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from common import SPEECH

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import serverutil  # noqa: E402

import seespeech  # noqa: E402
from seespeech.speech.evaluate import read_dataset, score  # noqa: E402
from seespeech.server import service  # noqa: E402
from seespeech.server.settings import Settings  # noqa: E402

#: seconds one request may wait for its answer (queueing included) before it counts as lost
REQUEST_TIMEOUT = 900.0
#: a clip refused with 503 this many times counts as failed
MAX_RETRIES = 100
#: the whole load phase stops after this long, whatever is left
LOAD_DEADLINE = 1800.0


@dataclass
class Tally:
    texts: dict = field(default_factory=dict)
    latencies: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    lost: list = field(default_factory=list)
    busy: int = 0
    retry_after: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def post_clip(client: httpx.Client, url: str, path: Path, tally: Tally, deadline: float) -> None:
    data = path.read_bytes()
    for _ in range(MAX_RETRIES + 1):
        start = time.perf_counter()
        try:
            response = client.post(f"{url}/v1/audio/transcriptions", data={"model": "whisper-1"},
                                   files={"file": (path.name, data, "audio/flac")})
        except httpx.HTTPError as exc:
            with tally.lock:
                tally.lost.append(f"{path.name}: {type(exc).__name__}: {exc}")
            return
        if response.status_code == 503:
            wait = float(response.headers.get("retry-after", "1"))
            with tally.lock:
                tally.busy += 1
                tally.retry_after.append(wait)
            if time.monotonic() + wait > deadline:
                break
            time.sleep(wait)
            continue
        if response.status_code != 200:
            with tally.lock:
                tally.failures.append(f"{path.name}: {response.status_code} {response.text[:200]}")
            return
        with tally.lock:
            tally.texts[path] = response.json()["text"]
            tally.latencies.append(time.perf_counter() - start)
        return
    with tally.lock:
        tally.failures.append(f"{path.name}: still refused with 503 after retries")


def run_server(args, clips: list[Path]) -> tuple[Tally, float, str]:
    extra = ["--model", args.model]
    if args.workers is not None:
        extra += ["--workers", str(args.workers)]
    if args.queue_size is not None:
        extra += ["--queue-size", str(args.queue_size)]
    with tempfile.TemporaryDirectory(prefix="seespeech-load-") as tmp:
        with serverutil.running(Path(tmp) / "data", *extra) as server:
            # warm-up: the first request loads the model
            warm = httpx.post(f"{server.url}/v1/audio/transcriptions", data={"model": "whisper-1"},
                              files={"file": (clips[0].name, clips[0].read_bytes())}, timeout=REQUEST_TIMEOUT)
            warm.raise_for_status()
            todo: queue.Queue = queue.Queue()
            for path in clips:
                todo.put(path)
            tally = Tally()
            deadline = time.monotonic() + LOAD_DEADLINE

            def client_loop():
                with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
                    while time.monotonic() < deadline:
                        try:
                            path = todo.get_nowait()
                        except queue.Empty:
                            return
                        post_clip(client, server.url, path, tally, deadline)

            threads = [threading.Thread(target=client_loop) for _ in range(args.clients)]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - start
            errors = server.log_text().count("Traceback")
    left = todo.qsize()
    if left:
        tally.lost += [f"{left} clips never sent (deadline)"]
    return tally, wall, f"{errors} tracebacks in the server log"


def run_sequential(args, clips: list[Path]) -> tuple[dict, float]:
    settings = Settings.from_env(model=args.model)
    options = service.transcribe_options(None, "transcribe", None, None, False, settings)
    engine = seespeech.load_engine("whisper", settings.model)
    engine.transcribe(clips[0], options)  # warm-up
    texts = {}
    start = time.perf_counter()
    for path in clips:
        texts[path] = engine.transcribe(path, options).text
    return texts, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--model", default="base", help="Whisper model the server puts behind whisper-1")
    parser.add_argument("--workers", type=int, help="passed to seespeech serve (default: its own)")
    parser.add_argument("--queue-size", type=int, help="passed to seespeech serve (default: its own)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each side; the best wall counts")
    args = parser.parse_args()
    dataset = read_dataset(SPEECH / "cathy_dev")[: args.clips]
    clips = [c.path for c in dataset]
    reference = {c.path: c.text for c in dataset}
    settings = Settings.from_env(model=args.model, workers=args.workers, queue_size=args.queue_size)
    print(f"model {args.model}, {len(clips)} clips, {args.clients} clients, server workers {settings.workers}, "
          f"queue size {settings.queue_size}, {os.cpu_count()} cores", flush=True)

    tallies, server_walls, sequential_walls, sequential = [], [], [], {}
    for round_ in range(args.rounds):
        for side in ("server", "sequential") if round_ % 2 == 0 else ("sequential", "server"):
            if side == "server":
                tally, wall, log_note = run_server(args, clips)
                tallies.append(tally)
                server_walls.append(wall)
                print(f"round {round_ + 1} server:     {wall:7.2f} s  ({len(tally.texts)} answered, "
                      f"{len(tally.failures)} failed, {len(tally.lost)} lost, {tally.busy} × 503; {log_note})",
                      flush=True)
            else:
                sequential, wall = run_sequential(args, clips)
                sequential_walls.append(wall)
                print(f"round {round_ + 1} sequential: {wall:7.2f} s", flush=True)
    server_wall, sequential_wall = min(server_walls), min(sequential_walls)
    tally = tallies[server_walls.index(server_wall)]
    failures = [f for t in tallies for f in t.failures]
    lost = [f for t in tallies for f in t.lost]
    busy = sum(t.busy for t in tallies)
    retry_after = [w for t in tallies for w in t.retry_after]
    latencies = [x for t in tallies for x in t.latencies]

    answered = [p for p in clips if p in tally.texts]
    server_scores = score([reference[p] for p in answered], [tally.texts[p] for p in answered])
    sequential_scores = score([reference[p] for p in clips], [sequential[p] for p in clips])
    same = sum(t.texts[p] == sequential[p] for t in tallies for p in t.texts)
    answers = sum(len(t.texts) for t in tallies)
    latency = f"p50 {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s" if latencies else "none"
    waits = f", Retry-After {min(retry_after):g}–{max(retry_after):g} s" if retry_after else ""
    print()
    print(f"clips              {len(clips)} × {args.rounds} rounds")
    print(f"clients            {args.clients}")
    print(f"failures           {len(failures)}")
    print(f"lost               {len(lost)}")
    print(f"503 answers        {busy}{waits}")
    print(f"latency (200s)     {latency}")
    print(f"server wall        {server_wall:.2f} s  (best of {', '.join(f'{w:.2f}' for w in server_walls)})")
    print(f"sequential wall    {sequential_wall:.2f} s  (best of {', '.join(f'{w:.2f}' for w in sequential_walls)})")
    print(f"throughput ratio   {sequential_wall / server_wall:.3f}  (sequential / server; target ≥ 0.9)")
    print(f"WER server         {server_scores.wer:.2%} over {len(answered)} clips (best round)")
    print(f"WER sequential     {sequential_scores.wer:.2%} over {len(clips)} clips")
    print(f"same text          {same}/{answers} server answers equal the sequential text")
    for line in (failures + lost)[:10]:
        print(f"  {line}")


if __name__ == "__main__":
    main()
