"""The vlm engine on a tiny, randomly initialised SmolVLM2-architecture model.

No weights are downloaded: the model (a SigLIP-style vision tower and a Llama-style text
model, as in SmolVLM2) is built from a config with tiny sizes, and its processor files (a
word-level tokenizer with SmolVLM's special tokens, SmolVLM's image processor with small
tiles, SmolVLM's chat template) are written beside it, so the tests load a folder through
the real engine code the way a downloaded model is loaded. A random model writes
gibberish: what is checked is windows, times, callbacks, pictures, prompts and errors.
"""

import json
import sys
import threading

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import torch  # noqa: E402
from PIL import Image  # noqa: E402

import seespeech  # noqa: E402
import tiny_vlm  # noqa: E402
from conftest import SPEECH  # noqa: E402
from seespeech.audio import SAMPLE_RATE, load_audio  # noqa: E402
from seespeech.errors import ModelNotFoundError, OptionError, SeespeechError  # noqa: E402
from seespeech.speech import TranscribeOptions, load_engine  # noqa: E402
from seespeech.speech.engines.vlm import (  # noqa: E402
    DEFAULT_PROMPT,
    DEFAULT_VLM_MODEL,
    EXTRA_HINT,
    IMAGE_TYPES,
    PICTURE_WORDS,
    VLMEngine,
    clean_reply,
)

CLIPS = sorted((SPEECH / "cathy_dev").glob("*.flac"))

@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Tiny models gain nothing from two threads, and two threads stall badly when another
    process is busy on the same 2 cores; one thread is steady."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A tiny SmolVLM2-architecture model folder, laid out as the hub's."""
    return tiny_vlm.build(tmp_path_factory.mktemp("vlm") / "tiny-smolvlm2")


@pytest.fixture(scope="module")
def engine(model_dir):
    return VLMEngine(str(model_dir), max_new_tokens=12)


@pytest.fixture(scope="module")
def speech_25s():
    """25 s of real speech: cathy's clips one after another."""
    pieces, size = [], 0
    for clip in CLIPS:
        pieces.append(load_audio(clip))
        size += pieces[-1].size
        if size >= 25 * SAMPLE_RATE:
            break
    return np.concatenate(pieces)[: 25 * SAMPLE_RATE]


class Spy:
    """Stands in for the engine's processor and records the text of every call."""

    def __init__(self, processor):
        self._processor = processor
        self.texts = []

    def __getattr__(self, name):
        return getattr(self._processor, name)

    def __call__(self, *args, **kwargs):
        self.texts.append(kwargs.get("text"))
        return self._processor(*args, **kwargs)


def test_reads_a_real_clip(engine, model_dir):
    clip = CLIPS[0]
    calls, seen = [], []
    result = engine.transcribe(clip, TranscribeOptions(), progress=lambda done, total: calls.append((done, total)),
                               on_segment=seen.append)

    duration = load_audio(clip).size / SAMPLE_RATE
    assert result.model == f"vlm:{model_dir}:spectrogram" == engine.label
    assert result.task == "transcribe" and result.language == "en" and result.language_probability == 0.0
    assert result.duration == round(duration, 3)
    assert len(result.segments) == 1 and seen == result.segments
    segment = result.segments[0]
    assert (segment.id, segment.start, segment.end) == (0, 0.0, round(duration, 3))
    assert isinstance(segment.text, str) and segment.words is None
    assert segment.avg_logprob < 0  # greedy tokens of a random model: all unlikely
    assert result.text == segment.text.strip()
    assert calls[-1] == (pytest.approx(duration), pytest.approx(duration))


def test_long_audio_is_read_in_windows(engine, speech_25s):
    calls, seen = [], []
    result = engine.transcribe(speech_25s, TranscribeOptions(language="en"),
                               progress=lambda done, total: calls.append((done, total)), on_segment=seen.append)

    assert [(s.id, s.start, s.end) for s in result.segments] == [(0, 0.0, 10.0), (1, 10.0, 20.0), (2, 20.0, 25.0)]
    assert seen == result.segments
    assert calls == [(0.0, 25.0), (10.0, 25.0), (20.0, 25.0), (25.0, 25.0)]  # the total first
    assert result.duration == 25.0 and result.language_probability == 1.0
    assert result.text == "".join(s.text for s in result.segments).strip()
    assert all(isinstance(s.text, str) for s in result.segments)


def test_window_length_and_short_tails(model_dir, speech_25s):
    five = VLMEngine(str(model_dir), window=5.0, max_new_tokens=2)
    result = five.transcribe(speech_25s, TranscribeOptions())
    assert [(s.start, s.end) for s in result.segments] == [(0, 5), (5, 10), (10, 15), (15, 20), (20, 25)]
    # a last piece under a second is not drawn alone: it joins the window before it
    result = five.transcribe(speech_25s[: int(10.5 * SAMPLE_RATE)], TranscribeOptions())
    assert [(s.start, s.end) for s in result.segments] == [(0, 5), (5, 10.5)]


def test_through_transcribe_and_load_engine(model_dir):
    from seespeech.speech import _engines

    try:
        result = seespeech.transcribe(CLIPS[1], engine="vlm", model=str(model_dir))
        assert result.model == f"vlm:{model_dir}:spectrogram" and len(result.segments) == 1
        # the engine is built once and reused
        assert load_engine("vlm", str(model_dir)) is load_engine("vlm", str(model_dir))
        other = load_engine("vlm", str(model_dir), image_type="mfcc")
        assert other is not load_engine("vlm", str(model_dir)) and other.label.endswith(":mfcc")
    finally:
        for key in [k for k in _engines if k[0] == "vlm" and k[1] == str(model_dir)]:
            del _engines[key]


@pytest.mark.parametrize("image_type", IMAGE_TYPES)
def test_every_image_type(model_dir, image_type, tmp_path):
    engine = VLMEngine(str(model_dir), image_type=image_type, save_images=str(tmp_path / "pictures"),
                       max_new_tokens=4)
    assert engine.label == f"vlm:{model_dir}:{image_type}"
    spy = engine.processor = Spy(engine.processor)
    result = engine.transcribe(CLIPS[2], TranscribeOptions())
    assert len(result.segments) == 1
    # the default prompt tells the model what kind of picture it is looking at
    word = {"spectrogram": "a spectrogram", "mel": "a mel spectrogram", "waveform": "a waveform",
            "mfcc": "an MFCC plot"}[image_type]
    assert len(spy.texts) == 1 and f"This image is {word} (" in spy.texts[0]
    saved = tmp_path / "pictures" / f"{CLIPS[2].stem}-{image_type}-000.png"
    with Image.open(saved) as image:
        assert image.width > 300 and image.height > 200  # a figure, with its axes


def test_save_images_writes_one_picture_per_window_and_never_overwrites(model_dir, speech_25s, tmp_path):
    folder = tmp_path / "out" / "pictures"  # created when missing, parents too
    engine = VLMEngine(str(model_dir), save_images=str(folder), max_new_tokens=2)
    engine.transcribe(speech_25s, TranscribeOptions())
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["array-spectrogram-000.png", "array-spectrogram-001.png", "array-spectrogram-002.png"]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    # the same audio again: refused before any work, naming the first picture in the way
    spy = engine.processor = Spy(engine.processor)
    with pytest.raises(SeespeechError) as err:
        engine.transcribe(speech_25s, TranscribeOptions())
    assert "array-spectrogram-000.png" in str(err.value) and "does not overwrite" in str(err.value)
    assert spy.texts == []
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before

    # another file's pictures go beside them
    engine.transcribe(CLIPS[0], TranscribeOptions())
    assert (folder / f"{CLIPS[0].stem}-spectrogram-000.png").is_file()

    # a file where the folder should be
    (tmp_path / "taken").write_text("x")
    with pytest.raises(SeespeechError, match="is a file"):
        VLMEngine(str(model_dir), save_images=str(tmp_path / "taken")).transcribe(CLIPS[0], TranscribeOptions())


def test_custom_prompt_reaches_the_model(model_dir):
    engine = VLMEngine(str(model_dir), prompt="Write the words of this talk", max_new_tokens=2)
    spy = engine.processor = Spy(engine.processor)
    engine.transcribe(CLIPS[0], TranscribeOptions())
    assert spy.texts == ["<|im_start|>User:<image>Write the words of this talk<end_of_utterance>\nAssistant:"]


def test_default_prompt_and_language(engine):
    assert engine.prompt_for(10.0, "en") == DEFAULT_PROMPT.format(picture=PICTURE_WORDS["spectrogram"], seconds="10")
    assert "10 seconds of recorded speech" in engine.prompt_for(10.0, "en")
    assert "language with code 'de'" in engine.prompt_for(4.5, "de")
    result = engine.transcribe(CLIPS[0], TranscribeOptions(language="de"))
    assert result.language == "de" and result.language_probability == 1.0


def test_silence_is_not_read_with_vad(engine):
    spy = engine.processor = Spy(engine.processor)
    try:
        silence = np.zeros(3 * SAMPLE_RATE, dtype=np.float32)
        result = engine.transcribe(silence, TranscribeOptions())
        assert [(s.start, s.end, s.text) for s in result.segments] == [(0.0, 3.0, "")] and result.text == ""
        assert spy.texts == []
        # without VAD every window is read
        engine.transcribe(silence, TranscribeOptions(vad=False))
        assert len(spy.texts) == 1
    finally:
        engine.processor = spy._processor


def test_windows_are_read_one_at_a_time_across_threads(engine):
    audio = load_audio(CLIPS[0])
    results, errors = [], []

    def run():
        try:
            results.append(engine.transcribe(audio, TranscribeOptions()))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(results) == 2
    assert results[0].text == results[1].text  # greedy decoding: the same picture, the same words


def test_replies_are_cleaned():
    assert clean_reply('  "Hello there."  ') == "Hello there."
    assert clean_reply("Transcription: hello world") == "hello world"
    assert clean_reply("Assistant: The transcription is: “the danger trail”") == "the danger trail"
    assert clean_reply("The spoken words are: 'we went home'") == "we went home"
    assert clean_reply("hello\n\n  world") == "hello world"
    # descriptions of the picture and refusals are not transcripts
    assert clean_reply("The image shows a spectrogram of speech.") == ""
    assert clean_reply("I'm sorry, I cannot read audio from an image.") == ""
    assert clean_reply("[silence]") == ""
    assert clean_reply("This picture is a waveform of speech") == ""
    assert clean_reply("I cannot transcribe audio.") == ""
    # speech that merely starts like one is kept
    assert clean_reply("The cat sat on the mat.") == "The cat sat on the mat."
    assert clean_reply("The picture was taken at noon") == "The picture was taken at noon"
    assert clean_reply("I cannot go there today") == "I cannot go there today"
    assert clean_reply("I'm sorry I was late") == "I'm sorry I was late"
    assert clean_reply("Text-to-speech is not this") == "Text-to-speech is not this"
    assert clean_reply("Transcript - we went home") == "we went home"


def test_options_it_cannot_honour_are_refused(engine):
    with pytest.raises(OptionError, match="cannot translate.*--engine whisper"):
        engine.check(TranscribeOptions(task="translate"))
    with pytest.raises(OptionError, match="no word timings.*--word-timestamps"):
        engine.transcribe(CLIPS[0], TranscribeOptions(word_timestamps=True))
    with pytest.raises(OptionError, match="cannot translate"):
        engine.transcribe(CLIPS[0], TranscribeOptions(task="translate"))


def test_bad_settings_are_refused(model_dir):
    with pytest.raises(OptionError, match="unknown image type 'sonogram'.*spectrogram, waveform, mfcc, mel"):
        VLMEngine(str(model_dir), image_type="sonogram")
    with pytest.raises(OptionError, match="window"):
        VLMEngine(str(model_dir), window=0)
    with pytest.raises(OptionError, match="window"):
        VLMEngine(str(model_dir), window=90)
    with pytest.raises(OptionError, match="max_new_tokens"):
        VLMEngine(str(model_dir), max_new_tokens=0)


def test_missing_and_wrong_folders(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no such model folder.*--vlm-model DIR"):
        VLMEngine(str(tmp_path / "nowhere" / "model"))
    with pytest.raises(ModelNotFoundError, match="no such model folder"):
        VLMEngine("./no-such-vlm-folder")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelNotFoundError, match="not a transformers model.*config.json"):
        VLMEngine(str(tmp_path / "empty"))


def test_folder_that_is_not_a_vision_language_model(model_dir, tmp_path):
    # a text-only model's config: loaded as far as the model class, then refused in one line
    folder = tmp_path / "text-only"
    folder.mkdir()
    for name in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja", "processor_config.json",
                 "preprocessor_config.json"):
        (folder / name).write_bytes((model_dir / name).read_bytes())
    config = json.loads((model_dir / "config.json").read_text())["text_config"]
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelNotFoundError) as err:
        VLMEngine(str(folder))
    assert "\n" not in str(err.value) and str(folder) in str(err.value)


def test_hub_id_offline_says_what_to_do(monkeypatch):
    monkeypatch.setenv("SEESPEECH_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError) as err:
        VLMEngine("seespeech-tests/no-such-vlm")
    message = str(err.value)
    assert "\n" not in message and "seespeech-tests/no-such-vlm" in message and "offline" in message
    assert "no vision-language model weights ship in any package registry" in message
    assert "--vlm-model DIR" in message and "--engine whisper" in message
    assert DEFAULT_VLM_MODEL == "HuggingFaceTB/SmolVLM2-256M-Video-Instruct"


def test_missing_extra_says_how_to_install(monkeypatch):
    # an import of a module set to None in sys.modules fails as if it were not installed
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ModelNotFoundError) as err:
        VLMEngine()
    assert str(err.value) == EXTRA_HINT == "the vlm engine needs the optional extra: pip install 'seespeech[vlm]'"


def test_processor_that_cannot_load_is_one_line(model_dir, tmp_path, monkeypatch):
    import transformers

    # only SmolVLM's processor has a stand-in when a library it needs is missing
    folder = tmp_path / "other"
    folder.mkdir()
    for path in model_dir.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "processor_config.json").write_text(json.dumps({"processor_class": "LlavaProcessor"}))

    def missing(*args, **kwargs):
        raise ImportError("\nLlavaProcessor requires the Torchvision library but it was not found")

    monkeypatch.setattr(transformers.AutoProcessor, "from_pretrained", missing)
    with pytest.raises(ModelNotFoundError) as err:
        VLMEngine(str(folder))
    assert str(err.value) == f"{folder}: could not load its processor: LlavaProcessor requires the Torchvision " \
                             "library but it was not found"
