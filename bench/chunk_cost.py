"""What one 30 s chunk costs: the floor under any schedule of the same decoding.

    python bench/chunk_cost.py [--models base tiny.en] [--chunks 8]

A long file is decoded chunk by chunk, each chunk the same work whoever schedules it (ours:
two single-threaded workers, two chunks per call; faster-whisper's batched pipeline: one
two-threaded model, eight chunks per call): an encoder pass, a beam-5 search without timestamp
tokens, and (for sentence-sized segments) a word-timing pass. This measures each part on
``--chunks`` chunks of the 10-minute file of ``bench/longform.py``, CPU seconds per chunk, and
what a call of 1, 2, 4 or 8 chunks adds to the peak RSS; then the floor of each layout
(CPU per chunk × the file's chunks ÷ 2 cores for ours, wall per chunk × chunks for the peer's).
Issue 38's targets ask ours to beat the peer's measured time by 1.5×: this shows how far the
floor of the same decoding is from that.
"""

import argparse
import os
import resource
import time

import numpy as np

import seespeech  # noqa: F401  (sets the C heap as every seespeech run has it)
from common import ChunkDecoding, long_file
from seespeech.memory import reuse_freed_memory
from seespeech.models import resolve_model
from seespeech.speech.chunked import speech_chunks


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(work) -> tuple[float, float, object]:
    """(wall, CPU seconds of this process, result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure(name: str, chunks: list[np.ndarray], total_chunks: int) -> None:
    import ctranslate2
    from faster_whisper import WhisperModel

    path = str(resolve_model(name))
    one = ChunkDecoding(WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=1))
    two = ChunkDecoding(WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=2))
    features = [one.features(chunk) for chunk in chunks]
    n = len(features)

    one.encode(features[0])   # warm
    rows = []
    wall, cpu, encoded = timed(lambda: [np.asarray(one.encode(f)) for f in features])
    rows.append(("encoder, 1 thread", wall / n, cpu / n))
    wall, cpu, _ = timed(lambda: [two.encode(f) for f in features])
    rows.append(("encoder, 2 threads", wall / n, cpu / n))

    def search(decoding, size):
        return [result for i in range(0, n, size) for result in decoding.search(np.concatenate(encoded[i:i + size]))]

    peaks = {}
    for size in (1, 2, 4, 8):
        before = peak_mb()
        wall, cpu, results = timed(lambda: search(one, size))
        peaks[size] = peak_mb() - before
        rows.append((f"beam search, {size} chunk(s) per call, 1 thread", wall / n, cpu / n))
    wall, cpu, _ = timed(lambda: search(two, 8))
    rows.append(("beam search, 8 chunks per call, 2 threads", wall / n, cpu / n))
    tokenizer = one.tokenizer
    text_tokens = [[t for t in r.sequences_ids[0] if t < tokenizer.eot] for r in results]
    wall, cpu, _ = timed(lambda: [one.model.model.align(ctranslate2.StorageView.from_array(e), tokenizer.sot_sequence,
                                                        [tokens], 1500, median_filter_width=7)
                                  for e, tokens in zip(encoded, text_tokens)])
    rows.append(("word-timing pass, 1 thread", wall / n, cpu / n))

    cost = dict((label, (w, c)) for label, w, c in rows)
    print(f"\n{name}: {n} chunks measured; the 10-minute file has {total_chunks}\n")
    print("| part | wall s/chunk | CPU s/chunk |\n|---|---|---|")
    for label, w, c in rows:
        print(f"| {label} | {w:.3f} | {c:.3f} |")
    print("\npeak RSS added by the first call of each size (1 thread): "
          + ", ".join(f"{size}: +{mb:.0f} MB" for size, mb in peaks.items()))
    ours = (cost["encoder, 1 thread"][1] + cost["beam search, 2 chunk(s) per call, 1 thread"][1]
            + cost["word-timing pass, 1 thread"][1])
    peer = cost["encoder, 2 threads"][0] + cost["beam search, 8 chunks per call, 2 threads"][0]
    print(f"\nfloor, ours (two 1-thread workers, 2 chunks per call, word timings): {ours:.2f} CPU s/chunk "
          f"→ {ours * total_chunks / 2:.1f} s on 2 cores")
    print(f"floor, faster-whisper batched (one 2-thread model, 8 per call, no word timings): {peer:.2f} s/chunk "
          f"→ {peer * total_chunks:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="+", default=["base", "tiny.en"])
    parser.add_argument("--chunks", type=int, default=8)
    args = parser.parse_args()
    reuse_freed_memory()   # as a long file's workers run
    audio, _, _ = long_file(10)
    _, chunks, _ = speech_chunks(audio)
    print(f"{os.cpu_count()} cores; 10-minute file: {len(chunks)} chunks, "
          f"{np.mean([c.size for c in chunks]) / 16000:.1f} s of speech each on average")
    for name in args.models:
        measure(name, chunks[:args.chunks], len(chunks))


if __name__ == "__main__":
    main()
