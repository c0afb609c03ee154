"""Greedy search first, beam 5 only on the chunks where greedy doubts itself: how much of the
beam search it would save and what it does to WER (issue 38: is a cheaper decoding a way to
the speed targets?).

    python bench/greedy_gate.py [--model base] [--folder cathy_dev]

Every chunk of 10 minutes of the folder's joined clips is decoded both ways (2 threads, without
timestamp tokens, as faster-whisper's batched mode decodes it); it prints the WER of beam
everywhere, of greedy everywhere, and of greedy kept only where its length-normalised score is
at least a threshold, with the decoder CPU each would take.
"""

import argparse
import time

import seespeech  # noqa: F401  (the C heap every seespeech run has)
from common import ChunkDecoding, joined_speech
from seespeech.memory import reuse_freed_memory
from seespeech.models import resolve_model
from seespeech.speech.chunked import speech_chunks
from seespeech.speech.evaluate import score


def main() -> None:
    from faster_whisper import WhisperModel

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="base")
    parser.add_argument("--folder", default="cathy_dev")
    args = parser.parse_args()
    reuse_freed_memory()
    audio, reference = joined_speech(600, folders=(args.folder,))
    _, chunks, _ = speech_chunks(audio)
    decoding = ChunkDecoding(WhisperModel(str(resolve_model(args.model)), device="cpu", compute_type="int8",
                                          cpu_threads=2))
    tokenizer = decoding.tokenizer
    decoded = {1: [], 5: []}   # beam size → (text, length-normalised score) per chunk
    cpu = {1: 0.0, 5: 0.0}
    for chunk in chunks:
        encoded = decoding.encode(decoding.features(chunk))
        for beam in decoded:
            start = time.process_time()
            result = decoding.search(encoded, beam_size=beam)[0]
            cpu[beam] += time.process_time() - start
            ids = [i for i in result.sequences_ids[0] if i < tokenizer.eot]
            decoded[beam].append((tokenizer.decode(ids), result.scores[0]))

    def wer(texts) -> float:
        return 100 * score([reference], [" ".join(texts)]).wer

    greedy, beam = decoded[1], decoded[5]
    n = len(chunks)
    print(f"{args.model}, {args.folder}: {n} chunks; decoder CPU greedy {cpu[1]:.1f} s, beam 5 {cpu[5]:.1f} s")
    print(f"WER beam everywhere {wer(t for t, _ in beam):.2f} %, greedy everywhere {wer(t for t, _ in greedy):.2f} %; "
          f"greedy's text equal to beam's on {sum(g[0] == b[0] for g, b in zip(greedy, beam))} chunks")
    for threshold in (-0.05, -0.1, -0.15, -0.2):
        texts = [g[0] if g[1] >= threshold else b[0] for g, b in zip(greedy, beam)]
        beams = sum(g[1] < threshold for g in greedy)
        print(f"greedy kept where its score ≥ {threshold}: beam on {beams}/{n} chunks, WER {wer(texts):.2f} %, "
              f"decoder CPU {cpu[1] + cpu[5] * beams / n:.1f} s")
    print("greedy's scores where its text differs from beam's:",
          sorted(round(g[1], 3) for g, b in zip(greedy, beam) if g[0] != b[0]))
    print("where it agrees:", sorted(round(g[1], 3) for g, b in zip(greedy, beam) if g[0] == b[0]))


if __name__ == "__main__":
    main()
