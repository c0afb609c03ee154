"""Speech → picture speed: the whole job vs transcription alone, same clips, same run.

    python bench/imagine.py [--model base] [--rounds 5]

Clips: the demo clip and the spoken requests in tests/data/requests (4–5 s each, the
"5-second utterance" of the target). Both sides are warm (models loaded, assets
rasterised once). Per clip and round: transcribe alone, then speech_to_image, back to
back; the median over rounds is kept. Targets (issue 17): the picture stage under 50 ms,
speech → picture ≤ 1.1× transcription alone.
"""

import argparse
import statistics
import time
from pathlib import Path

import seespeech
from seespeech.audio import probe

ROOT = Path(__file__).resolve().parents[1]
CLIPS = [ROOT / "src" / "seespeech" / "data" / "demo.flac", *sorted((ROOT / "tests" / "data" / "requests").glob("*.flac"))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="base")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for clip in CLIPS:  # warm: load Whisper, the catalogue, the embedder, every asset used
        seespeech.speech_to_image(clip, model=args.model)
    print(f"model {args.model}, {args.rounds} rounds, median seconds per clip")
    print(f"{'clip':24} {'audio s':>7} {'transcribe':>10} {'→ picture':>10} {'ratio':>6}  (picture stage)")
    ratios, walls, draws = [], [], []
    for clip in CLIPS:
        alone, whole, draw = [], [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            seespeech.transcribe(clip, model=args.model)
            alone.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = seespeech.speech_to_image(clip, model=args.model)
            whole.append(time.perf_counter() - start)
            draw.append(result.timings["imagine"])
        a, w = statistics.median(alone), statistics.median(whole)
        ratios.append(w / a)
        walls.append(w)
        draws.append(statistics.median(draw))
        print(f"{clip.stem:24} {probe(clip).duration:7.1f} {a:10.3f} {w:10.3f} {w / a:6.2f}  ({statistics.median(draw):.3f})")
    print(f"worst: picture stage {max(draws) * 1000:.0f} ms (target < 50), ratio {max(ratios):.2f} "
          f"(target ≤ 1.1); median ratio {statistics.median(ratios):.2f}; slowest whole job {max(walls):.3f} s")


if __name__ == "__main__":
    main()
