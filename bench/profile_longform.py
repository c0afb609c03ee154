"""Where the time goes in seespeech's default (chunked) mode on a ~10-minute file.

    python bench/profile_longform.py [--minutes 10] [--model tiny.en]

Runs ``seespeech.transcribe`` once warm under cProfile and sums the time spent *inside* each
stage's functions (``tottime``): audio decoding and resampling (PyAV), Silero VAD, log-mel
features, the CTranslate2 encoder and decoder (``generate``; ``align`` for word timings),
language detection, our cleaning, and the rest (Python around them). Also reports the padding
the batches carry: speech chunks are merged up to 30 s and each is padded to 30 s for the
encoder, so the share of encoder input that is padding is work spent on silence.

cProfile sees one thread only, so the chunk workers' calls run in the calling thread here (one
after another, each on its single-threaded replica): the shares are CPU time per stage, and the
wall time is not the default's.
"""

import argparse
import cProfile
import pstats
import time
from concurrent.futures import Future
from pathlib import Path

import seespeech
from common import long_file
from seespeech.speech import chunked

#: stage → fragments of (file, function) that belong to it
STAGES = {
    "decode audio (PyAV)": ("seespeech/audio.py", "av/", "{method 'decode'", "resample", "to_ndarray"),
    "Silero VAD": ("faster_whisper/vad.py", "onnxruntime"),
    "log-mel features": ("feature_extractor.py",),
    "encoder (CTranslate2)": ("ctranslate2._ext.encode",),
    "decoder (CTranslate2 generate)": ("ctranslate2._ext.generate",),
    "word timings (CTranslate2 align)": ("ctranslate2._ext.align",),
    "language detection": ("ctranslate2._ext.detect_language",),
    "tokenizer": ("tokenizers", "tokenizer.py"),
    "our cleaning": ("seespeech/clean.py",),
}


def stage_of(key) -> str:
    file, _, name = key
    text = f"{file}:{name}"
    for stage, fragments in STAGES.items():
        if any(f in text for f in fragments):
            return stage
    return "the rest (Python around them)"


def padding_share(path: Path) -> tuple[int, float]:
    """(chunks, share of the encoder's 30 s inputs that is padding) as the batched pipeline cuts."""
    from faster_whisper.audio import decode_audio

    _, chunks, _ = chunked.speech_chunks(decode_audio(str(path)))
    speech = sum(c.size for c in chunks) / 16000
    return len(chunks), 1 - speech / (30 * len(chunks))


class InThisThread:
    """An executor that runs each call at once, in the caller's thread (where cProfile looks)."""

    def __init__(self, *args, **kwargs):
        pass

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, **kwargs) -> None:
        pass


def main() -> None:
    chunked.ThreadPoolExecutor = InThisThread
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--model", default="tiny.en")
    args = parser.parse_args()
    audio, _, path = long_file(args.minutes)
    seespeech.transcribe(path, model=args.model, language="en")   # warm: model loaded, caches built
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    seespeech.transcribe(path, model=args.model, language="en")
    profile.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profile)
    totals: dict[str, float] = {}
    for key, (_, _, tottime, _, _) in stats.stats.items():
        totals[stage_of(key)] = totals.get(stage_of(key), 0.0) + tottime
    profiled = sum(totals.values())
    print(f"{args.model}, {audio.size / 16000 / 60:.1f} min: {wall:.1f} s wall under the profiler")
    for stage, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {stage:34s} {seconds:6.1f} s  {seconds / profiled:6.1%}")
    chunks, padding = padding_share(path)
    print(f"  batches: {chunks} chunks of ≤ 30 s; {padding:.1%} of the encoder's input is padding")


if __name__ == "__main__":
    main()
