"""Who spoke when: diarization error rate (DER), speaker counts, speed and memory.

    python bench/diarize.py                      # conversations joined from ../shared/speech
    python bench/diarize.py --rttm-dir DIR       # also every DIR/NAME.wav with DIR/NAME.rttm (real data)
    python bench/diarize.py --hour               # an hour: seconds and peak memory

The joined conversations take turns (1-15 s) between different real people of ../shared/speech
(cathy, LibriSpeech 1272, JFK, TIMIT's LDC93S1 speaker, the Spanish, Swedish and Japanese
readers), 0.2-1 s apart, from fixed seeds. The reference marks each clip whole, so breaths and
pauses inside a clip count as speech: DER here is an upper bound. DER is scored on 10 ms frames,
overlap included, no collar, with the best speaker mapping (Hungarian).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SPEECH  # noqa: E402

from seespeech.audio import SAMPLE_RATE, load_audio  # noqa: E402
from seespeech.speech.speakers import diarize  # noqa: E402

VOICES = {
    "cathy": [f"cathy_dev/{p.name}" for p in sorted((SPEECH / "cathy_dev").glob("*.flac"))[:40]],
    "librispeech-1272": ["formats/1272-141231-0002.flac"],
    "jfk": ["formats/jfk.wav"],
    "timit": ["formats/LDC93S1_8000.wav"],
    "es": ["multilingual/mls_es_13697_11991_000000.flac"],
    "sv": ["multilingual/nst_sv_u0016002.flac"],
    "ja": ["multilingual/cv_ja_24511055.flac"],
}


def conversation(voices: list[str], turns: int, seed: int) -> tuple[np.ndarray, list[tuple[float, float, str]]]:
    """Turns between ``voices``, each a piece (1-15 s) of one of that person's clips."""
    rng = np.random.default_rng(seed)
    clips = {v: [load_audio(SPEECH / name) for name in VOICES[v]] for v in voices}
    pieces, reference, at, last = [], [], 0.0, None
    for _ in range(turns):
        who = rng.choice([v for v in voices if v != last])
        clip = clips[who][rng.integers(len(clips[who]))]
        length = min(clip.size, int(rng.uniform(1.0, 15.0) * SAMPLE_RATE))
        start = int(rng.integers(0, clip.size - length + 1))
        piece = clip[start:start + length]
        reference.append((at, at + piece.size / SAMPLE_RATE, who))
        gap = rng.uniform(0.2, 1.0)
        pieces += [piece, np.zeros(int(gap * SAMPLE_RATE), np.float32)]
        at += piece.size / SAMPLE_RATE + gap
        last = who
    return np.concatenate(pieces), reference


def der(reference, found, step: float = 0.01) -> float:
    """(missed + false alarm + confusion) / reference speech, on frames, best mapping."""
    end = max([b for _, b, _ in reference] + [t.end for t in found])
    frames = int(end / step) + 1
    ref_ids = {s: i for i, s in enumerate(sorted({s for *_, s in reference}))}
    hyp_ids = {s: i for i, s in enumerate(sorted({t.speaker for t in found}))}
    ref = np.zeros((frames, len(ref_ids)), bool)
    hyp = np.zeros((frames, max(1, len(hyp_ids))), bool)
    for a, b, s in reference:
        ref[int(a / step):int(b / step), ref_ids[s]] = True
    for t in found:
        hyp[int(t.start / step):int(t.end / step), hyp_ids[t.speaker]] = True
    overlap = ref.T.astype(int) @ hyp.astype(int)
    rows, cols = linear_sum_assignment(-overlap)
    n_ref, n_hyp = ref.sum(axis=1), hyp.sum(axis=1)
    missed, false_alarm = np.maximum(n_ref - n_hyp, 0).sum(), np.maximum(n_hyp - n_ref, 0).sum()
    confusion = np.minimum(n_ref, n_hyp).sum() - overlap[rows, cols].sum()
    return float((missed + false_alarm + confusion) / max(1, n_ref.sum()))


def read_rttm(path: Path) -> list[tuple[float, float, str]]:
    rows = [line.split() for line in path.read_text().splitlines() if line.startswith("SPEAKER")]
    return [(float(r[3]), float(r[3]) + float(r[4]), r[7]) for r in rows]


def items(rttm_dir: Path | None):
    for seed, voices in enumerate((["cathy", "librispeech-1272"], ["cathy", "jfk"], ["librispeech-1272", "es"],
                                   ["cathy", "librispeech-1272", "jfk"], ["cathy", "es", "sv"],
                                   ["cathy", "librispeech-1272", "es", "ja"])):
        samples, reference = conversation(voices, 8 + 2 * len(voices), seed)
        yield f"joined-{len(voices)}-{seed}", samples, reference
    if rttm_dir:
        for wav in sorted(rttm_dir.glob("*.wav")):
            if wav.with_suffix(".rttm").is_file():
                yield wav.stem, load_audio(wav), read_rttm(wav.with_suffix(".rttm"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rttm-dir", type=Path, default=None)
    parser.add_argument("--hour", action="store_true", help="time an hour of joined conversations and its memory")
    args = parser.parse_args()
    diarize(np.zeros(SAMPLE_RATE, np.float32))   # load the models: their time is not the audio's
    print(f"{'item':24} {'seconds':>8} {'DER %':>6} {'speakers':>9} {'CPU s/min':>9}")
    total_time = total_err = 0.0
    for name, samples, reference in items(args.rttm_dir):
        cpu = time.process_time()
        found = diarize(samples)
        cpu = time.process_time() - cpu
        seconds = samples.size / SAMPLE_RATE
        error = der(reference, found)
        speech = sum(b - a for a, b, _ in reference)
        total_time, total_err = total_time + speech, total_err + error * speech
        counts = f"{len({t.speaker for t in found})}/{len({s for *_, s in reference})}"
        print(f"{name:24} {seconds:8.1f} {100 * error:6.1f} {counts:>9} {60 * cpu / seconds:9.1f}")
    print(f"time-weighted DER: {100 * total_err / total_time:.1f} %")
    if args.hour:
        samples = np.concatenate([s for _, s, _ in items(None)])
        samples = np.tile(samples, int(np.ceil(3600 * SAMPLE_RATE / samples.size)))[:3600 * SAMPLE_RATE]
        path = Path("/tmp/seespeech-diarize-hour.wav")
        import soundfile

        soundfile.write(path, samples, SAMPLE_RATE)
        del samples
        start = time.perf_counter()
        found = diarize(path)
        print(f"an hour: {time.perf_counter() - start:.0f} s, {len({t.speaker for t in found})} speakers, "
              f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        path.unlink()


if __name__ == "__main__":
    main()
