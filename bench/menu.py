"""Speed of the neighbouring jobs on this machine: say, read, translate.

    python bench/menu.py

* text → speech: real-time factor of the packaged Piper voice (seconds of work per second of
  audio) on 50 everyday sentences, WAV, one at a time and as one text;
* OCR: seconds per image for rendered signs (small, 640×200) and a composed 768×768 picture;
* translation: sentences per second, en→pt and pt→en, one at a time (warm).
"""

import importlib
import io
import statistics
import time
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFont

import seespeech

SENTENCES = [line for line in (Path(__file__).resolve().parents[1] / "tests" / "data" / "say_sentences.txt")
             .read_text().splitlines() if line and not line.startswith("#")]


def seconds_of(data: bytes) -> float:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        return sum(frame.samples for frame in container.decode(stream)) / stream.rate


def main() -> None:
    speak = importlib.import_module("seespeech.jobs.tts")
    speak.load_voice()   # warm
    seespeech.speak("Warm up.")
    started, audio = time.perf_counter(), 0.0
    for sentence in SENTENCES:
        audio += seconds_of(seespeech.speak(sentence))
    work = time.perf_counter() - started
    print(f"say: {len(SENTENCES)} sentences, {audio:.1f} s of audio in {work:.1f} s: RTF {work / audio:.3f} "
          f"({audio / work:.0f}× real time)")
    text = " ".join(SENTENCES)
    started = time.perf_counter()
    first = None
    for _ in seespeech.speak_stream(text, response_format="mp3"):
        first = first or time.perf_counter() - started
    print(f"say, one 50-sentence text as mp3: first bytes after {first:.2f} s, all in {time.perf_counter() - started:.1f} s")

    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 40)
    except OSError:
        font = ImageFont.load_default(size=40)
    signs = []
    for sentence in SENTENCES[:10]:
        image = Image.new("RGB", (640, 200), "white")
        ImageDraw.Draw(image).text((20, 70), sentence[:26], fill="black", font=font)
        signs.append(image)
    seespeech.read_text(signs[0])   # warm
    times = []
    for image in signs:
        started = time.perf_counter()
        seespeech.read_text(image)
        times.append(time.perf_counter() - started)
    picture = seespeech.imagine("a girl riding a bicycle past a bakery", width=768, height=768).images[0]
    started = time.perf_counter()
    seespeech.read_text(picture)
    composed = time.perf_counter() - started
    print(f"read: a 640×200 sign {statistics.median(times):.2f} s (median of {len(times)}); "
          f"a composed 768×768 picture {composed:.2f} s")

    seespeech.translate_text("Warm up.", "en", "pt")
    seespeech.translate_text("Aquecer.", "pt", "en")
    started = time.perf_counter()
    portuguese = [seespeech.translate_text(s, "en", "pt").text for s in SENTENCES]
    forward = time.perf_counter() - started
    started = time.perf_counter()
    for s in portuguese:
        seespeech.translate_text(s + " ", "pt", "en")   # a space: not the translator's cache
    back = time.perf_counter() - started
    print(f"translate: en→pt {len(SENTENCES) / forward:.1f} sentences/s, pt→en {len(SENTENCES) / back:.1f} sentences/s")


if __name__ == "__main__":
    main()
