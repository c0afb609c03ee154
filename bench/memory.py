"""Memory: peak RSS transcribing 10, 30 and 60 minutes with tiny.en, each in a fresh process.

    python bench/memory.py [--minutes 10 30 60] [--model tiny.en]

Target (issue 23): ≤ 700 MB at 60 minutes, flat in duration. Plain faster-whisper on the 10-minute
file is measured in the same run for comparison (it holds the whole file and its features).

The peak is the child's own ``VmHWM`` (Linux): ``ru_maxrss`` survives ``exec``, so a child
started by this script (which holds the hour of audio it wrote, ~750 MB at its own peak)
reported the parent's high-water mark instead of its own whenever that was higher.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from common import joined_speech, write_flac

CHILD = """
import resource, sys, time
t = time.perf_counter()
if sys.argv[1] == "plain":
    from faster_whisper import WhisperModel
    from seespeech.models import resolve_model
    m = WhisperModel(str(resolve_model(sys.argv[3])), device="cpu", compute_type="int8")
    n = len(list(m.transcribe(sys.argv[2], language="en", beam_size=5)[0]))
else:
    import seespeech
    n = len(seespeech.transcribe(sys.argv[2], model=sys.argv[3], language="en").segments)
try:   # this process's own peak: ru_maxrss keeps the parent's when it was higher (it survives exec)
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(n, round(time.perf_counter() - t, 1), peak)
"""


def run(kind: str, path: Path, model: str) -> tuple[int, float, int]:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path), model], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, nargs="+", default=[10, 30, 60])
    parser.add_argument("--model", default="tiny.en")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    ten, _ = joined_speech(600)
    for minutes in args.minutes:
        reps = int(np.ceil(minutes * 60 * 16000 / ten.size))
        path = write_flac(tmp / f"{minutes:g}min.flac", np.tile(ten, reps)[: int(minutes * 60 * 16000)])
        segments, wall, rss = run("seespeech", path, args.model)
        print(f"seespeech {args.model} {minutes:4g} min: peak RSS {rss:5d} MB  ({segments} segments, {wall} s)",
              flush=True)
        if minutes == args.minutes[0]:
            segments, wall, rss_plain = run("plain", path, args.model)
            print(f"plain     {args.model} {minutes:4g} min: peak RSS {rss_plain:5d} MB  ({segments} segments, {wall} s)",
                  flush=True)


if __name__ == "__main__":
    main()
