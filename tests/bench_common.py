"""Long test files joined from real clips (shared with the benchmarks' helpers)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from common import joined_speech, write_flac  # noqa: E402


def write_long_flac(path: Path, seconds: float) -> Path:
    audio, _ = joined_speech(seconds, folders=("cathy_dev",))
    return write_flac(path, audio)
