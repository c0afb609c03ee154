"""transcribe --ray against the in-process command, on the same clips in the same run.

    python bench/ray_cluster.py [--clips 240] [--model tiny.en]

The clips (cathy_dev, then cathy_train) are listed in a manifest and transcribed three ways,
each from the command line as a user runs it, timed from start to exit (Ray's start-up
included):

* the in-process command (one process; the model on every core);
* ``--ray local`` (a Ray runtime started on this machine: actors with one model thread each);
* ``--ray HOST:PORT`` on a two-node cluster on this machine (``ray start --head --num-cpus 1``
  and ``ray start --address ... --num-cpus 1``): the same cores, split in two nodes, so it
  measures what a second node costs, not what it adds.

Prints seconds, audio hours per hour and the ratio to the in-process command; checks that
the three give the same texts. Target (issue 21): ``--ray`` ≥ 0.9× the in-process command.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import SPEECH
from seespeech.audio import probe
from seespeech.speech.evaluate import read_dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import serverutil  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": os.urandom(16).hex()}


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(BIN / "seespeech"), *args], check=True, env=ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def texts(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.glob("*.txt")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=240)
    parser.add_argument("--model", default="tiny.en")
    args = parser.parse_args()
    clips = [c.path for folder in ("cathy_dev", "cathy_train") for c in read_dataset(SPEECH / folder)][:args.clips]
    hours = sum(probe(p).duration for p in clips) / 3600
    work = Path(tempfile.mkdtemp())
    manifest = work / "clips.txt"
    manifest.write_text("\n".join(map(str, clips)) + "\n")
    common = ["transcribe", str(manifest), "-m", args.model, "-l", "en", "-f", "txt", "-q"]
    print(f"{len(clips)} clips, {hours * 60:.1f} min of audio, model {args.model}, {os.cpu_count()} cores")
    rows = [("in-process command", timed([*common, "-o", str(work / "local")]), work / "local")]
    rows.append(("--ray local", timed([*common, "-o", str(work / "ray"), "--ray"]), work / "ray"))
    port = serverutil.free_port()
    ray = str(BIN / "ray")
    try:
        subprocess.run([ray, "start", "--head", f"--port={port}", "--num-cpus=1", "--include-dashboard=false",
                        "--disable-usage-stats"], check=True, env=ENV, capture_output=True)
        subprocess.run([ray, "start", f"--address=127.0.0.1:{port}", "--num-cpus=1"], check=True, env=ENV,
                       capture_output=True)
        rows.append(("--ray, 2 nodes × 1 CPU", timed([*common, "-o", str(work / "nodes"), "--ray",
                                                       f"127.0.0.1:{port}"]), work / "nodes"))
    finally:
        subprocess.run([ray, "stop", "--force"], env=ENV, capture_output=True)
    base = rows[0][1]
    reference = texts(rows[0][2])
    for name, seconds, folder in rows:
        same = "same texts" if texts(folder) == reference else "TEXTS DIFFER"
        print(f"{name:24s} {seconds:6.1f} s  {hours / (seconds / 3600):5.1f} h of audio an hour  "
              f"{base / seconds:4.2f}× the in-process command  {same}", flush=True)


if __name__ == "__main__":
    main()
