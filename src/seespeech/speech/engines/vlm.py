"""The ``vlm`` engine (experimental): draw the speech, ask a vision-language model to read it.

Audio is decoded as a stream and cut into windows (10 s by default). Each window is drawn
as a picture (spectrogram, mel, waveform or MFCC, see ``seespeech.pictures``) and given
to a small vision-language model with an instruction to write down the spoken words;
each window's answer becomes one ``Segment``. This is how the system we replace reads
speech. Published work finds such models read spectrograms near chance, so treat the
text as an experiment, not a transcript: ``--engine whisper`` is the engine to use.

The model is, in this order:

1. a local folder holding a transformers image-text-to-text model (``config.json``,
   weights, processor and tokenizer files, a chat template), as ``save_pretrained``
   writes one;
2. a Hugging Face hub id (default ``HuggingFaceTB/SmolVLM2-256M-Video-Instruct``), taken
   from the local hub cache, or downloaded when the machine is online.

No vision-language weights ship in any package registry, so there is no packaged
fallback. torch and transformers are the optional ``vlm`` extra; they are imported only
when this engine is built.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from seespeech.audio import SAMPLE_RATE
from seespeech.errors import ModelNotFoundError, OptionError, SeespeechError
from seespeech.models import hub_folder, looks_like_path
from seespeech.transcript import Segment
from seespeech.speech.options import TranscribeOptions
from seespeech.speech.driver import DecodeState, SpeechEngine, Window, fixed_windows, vad_speech

DEFAULT_VLM_MODEL = "HuggingFaceTB/SmolVLM2-256M-Video-Instruct"

#: how the audio can be drawn; each is a ``pictures`` kind of the same name
IMAGE_TYPES = ("spectrogram", "waveform", "mfcc", "mel")
#: what the default prompt tells the model each picture is
PICTURE_WORDS = {
    "spectrogram": "a spectrogram (time in seconds from left to right, frequency in Hz from bottom to top, "
                   "brighter means louder)",
    "mel": "a mel spectrogram (time in seconds from left to right, frequency on the mel scale from bottom "
           "to top, brighter means louder)",
    "waveform": "a waveform (time in seconds from left to right, amplitude up and down)",
    "mfcc": "an MFCC plot (time in seconds from left to right, cepstral coefficients from bottom to top)",
}
#: the instruction given with each picture; ``{picture}`` and ``{seconds}`` are filled in
DEFAULT_PROMPT = (
    "This image is {picture} of {seconds} seconds of recorded speech. "
    "Read the speech in it and write down the words that were spoken, in order. "
    "Answer with the spoken words only."
)

DEFAULT_WINDOW = 10.0
DEFAULT_MAX_NEW_TOKENS = 96
#: a last piece shorter than this joins the window before it instead of being drawn alone
MIN_TAIL_SECONDS = 1.0
MAX_FIGURE_SECONDS = 60.0

EXTRA_HINT = "the vlm engine needs the optional extra: pip install 'seespeech[vlm]'"
#: files a model folder or hub snapshot needs; the hub repos also hold ONNX exports we skip
HUB_PATTERNS = ["*.json", "*.safetensors", "*.jinja", "*.txt", "*.model"]

# Replies are cleaned: a label the model puts before its answer and quotes around it go,
# and an answer that describes the picture or refuses is no transcript, so it becomes "".
_LABEL = re.compile(
    r"^(?:assistant|user)?\s*:?\s*(?:(?:here\s+is\s+)?the\s+)?"
    r"(?:transcription|transcript|text|answer|spoken\s+words|words(?:\s+spoken)?|speech|speaker\s+says)"
    r"(?:\s+(?:is|are|reads?|says?))?(?:\s*:|\s+[-–—])\s*",
    re.IGNORECASE,
)
_ROLE = re.compile(r"^(?:assistant|user)\s*:\s*", re.IGNORECASE)
_QUOTES = ('"', "'", "`", "“", "‘", "«", "„")
_CLOSING = {'"': '"', "'": "'", "`": "`", "“": "”", "‘": "’", "«": "»", "„": "“"}
#: replies that describe the picture or refuse, rather than give words (checked at the start)
NOT_A_TRANSCRIPT = re.compile(
    r"^(?:(?:the|this)\s+(?:image|picture|spectrogram|waveform|graph|plot|chart|figure|diagram)\s+"
    r"(?:shows|depicts|displays|represents|illustrates|contains|appears|is\s+an?\b)"
    r"|as\s+an\s+ai\b"
    r"|(?:(?:i'?m\s+|i\s+am\s+)?sorry,?\s+(?:but\s+)?)?"
    r"i\s+(?:cannot|can't|can\s+not|am\s+unable\s+to|'m\s+unable\s+to|am\s+not\s+able\s+to)\s+"
    r"(?:read|transcribe|hear|listen|determine|provide|interpret|process|extract|identify))",
    re.IGNORECASE,
)
_EMPTY_ANSWERS = {"", "none", "nothing", "n/a", "no speech", "silence", "[silence]", "(silence)", "(no speech)",
                  "[no speech]", "[blank_audio]"}


def clean_reply(reply: str) -> str:
    """The spoken words in a model's reply: no labels, quotes, descriptions or refusals."""
    text = " ".join(reply.split())
    for _ in range(3):  # "Assistant: Transcription: "..."" takes several rounds
        before = text
        text = _LABEL.sub("", _ROLE.sub("", text)).strip()
        if len(text) >= 2 and text[0] in _QUOTES and text[-1] == _CLOSING[text[0]]:
            text = text[1:-1].strip()
        if text == before:
            break
    if NOT_A_TRANSCRIPT.match(text) or text.lower().strip(" .") in _EMPTY_ANSWERS:
        return ""
    return text


def _import_extra() -> tuple[Any, Any]:
    """Import torch and transformers, or say how to install them."""
    try:
        import torch
        import transformers
    except ImportError:
        raise ModelNotFoundError(EXTRA_HINT) from None
    return torch, transformers


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Hide transformers' chatter (loading bars, generation-flag notes), then put it back.

    A model folder's generation_config often carries sampling settings that greedy decoding
    ignores, and transformers says so on every call; the weight-loading bar sits next to
    seespeech's own progress. huggingface_hub's download bars stay: a first download takes minutes.
    """
    from transformers.utils import logging as transformers_logging

    verbosity = transformers_logging.get_verbosity()
    bars = transformers_logging.is_progress_bar_enabled()
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        transformers_logging.set_verbosity(verbosity)
        if bars:
            transformers_logging.enable_progress_bar()


def _not_found(name: str, reason: str) -> ModelNotFoundError:
    return ModelNotFoundError(
        f"vision-language model '{name}' is not on this machine and {reason}: no vision-language model "
        "weights ship in any package registry; pass --vlm-model DIR with a local transformers model folder, "
        "run once online to fetch the hub id, or use --engine whisper"
    )


def resolve_model_folder(name: str) -> Path:
    """Return the folder of the transformers model that ``name`` stands for."""
    path = Path(name).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelNotFoundError(
                f"{name}: this folder is not a transformers model (it needs config.json, as written by "
                "save_pretrained); pass --vlm-model DIR with a vision-language model folder or use --engine whisper"
            )
        return path
    if looks_like_path(name):
        raise ModelNotFoundError(
            f"{name}: no such model folder; pass --vlm-model DIR with a local transformers model folder, "
            "a hub id, or use --engine whisper"
        )
    return hub_folder(name, lambda reason: _not_found(name, reason), patterns=HUB_PATTERNS,
                      usable=lambda folder: (folder / "config.json").is_file())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _processor_class(folder: Path) -> str | None:
    """The processor class a model folder names (SmolVLM2 folders say it in several files)."""
    for name in ("processor_config.json", "preprocessor_config.json", "tokenizer_config.json"):
        kind = _read_json(folder / name).get("processor_class")
        if kind:
            return str(kind)
    return "SmolVLMProcessor" if _read_json(folder / "config.json").get("model_type") == "smolvlm" else None


def _image_seq_len(folder: Path) -> int:
    """Image tokens per picture tile: the folder's own setting, else the model's formula."""
    seq_len = _read_json(folder / "processor_config.json").get("image_seq_len")
    if seq_len:
        return int(seq_len)
    config = _read_json(folder / "config.json")
    vision = config.get("vision_config") or {}
    side, patch = vision.get("image_size", 512), vision.get("patch_size", 16)
    return int((side // patch) ** 2 / config.get("scale_factor", 4) ** 2)


def _chat_template(folder: Path, tokenizer: Any) -> str | None:
    if (folder / "chat_template.jinja").is_file():
        return (folder / "chat_template.jinja").read_text()
    template = _read_json(folder / "chat_template.json").get("chat_template")
    return template or getattr(tokenizer, "chat_template", None)


def _load_processor(transformers: Any, folder: Path, name: str) -> Any:
    """The model's own processor (image processor, tokenizer, chat template).

    transformers builds SmolVLM's processor only together with a video processor, and has
    video processors only when torchvision is installed; on CPU machines it often is not
    (PyPI's torchvision is a CUDA build that fails to import beside a CPU torch). The
    picture side of SmolVLM's processor is Idefics3's: the same image processor, the same
    image, row and column tokens. So without torchvision a SmolVLM model gets an Idefics3
    processor over its own image processor, tokenizer and chat template, which turns a
    picture and a prompt into the same model input.
    """
    try:
        with _quiet():
            return transformers.AutoProcessor.from_pretrained(folder)
    except ImportError as exc:
        if _processor_class(folder) != "SmolVLMProcessor":
            raise ModelNotFoundError(f"{name}: could not load its processor: {_first_line(exc)}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelNotFoundError(f"{name}: could not load its processor: {_first_line(exc)}") from None
    try:
        with _quiet():
            tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
            image_processor = transformers.AutoImageProcessor.from_pretrained(folder)
            return transformers.Idefics3Processor(
                image_processor=image_processor, tokenizer=tokenizer, image_seq_len=_image_seq_len(folder),
                chat_template=_chat_template(folder, tokenizer),
            )
    except (ImportError, OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelNotFoundError(f"{name}: could not load its processor: {_first_line(exc)}") from None


class VLMEngine(SpeechEngine):
    """Speech → text by reading pictures of it with a vision-language model (experimental).

    The model is loaded once, in the constructor, and reused; ``load_engine`` caches
    engines per (model, options), so the slow load happens once per process. Generation is
    not thread-safe: one window is read at a time, under a lock.
    """

    name = "vlm"
    #: task and word timings are checked (it only transcribes, with no word timings)
    honours = frozenset({"language", "task", "vad", "word_timestamps"})
    default_model = DEFAULT_VLM_MODEL

    @classmethod
    def served_models(cls) -> list[str]:
        """None is packaged: a folder or hub id is named each time."""
        return []

    def __init__(
        self,
        model: str | None = None,
        image_type: str = "spectrogram",
        prompt: str | None = None,
        save_images: str | os.PathLike | None = None,
        window: float = DEFAULT_WINDOW,
        max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
    ):
        if image_type not in IMAGE_TYPES:
            raise OptionError(f"unknown image type '{image_type}': choose one of {', '.join(IMAGE_TYPES)}")
        if not 0 < float(window) <= MAX_FIGURE_SECONDS - MIN_TAIL_SECONDS:
            raise OptionError(
                f"the vlm window must be more than 0 and at most {MAX_FIGURE_SECONDS - MIN_TAIL_SECONDS:g} "
                f"seconds, not {window:g}: a picture of more than a minute is unreadable"
            )
        if int(max_new_tokens) < 1:
            raise OptionError("max_new_tokens must be at least 1")
        self.model_name = str(model or DEFAULT_VLM_MODEL)
        self.image_type = image_type
        self.prompt = prompt or None
        self.save_images = Path(save_images).expanduser() if save_images else None
        self.window = float(window)
        self.max_new_tokens = int(max_new_tokens)

        self._torch, transformers = _import_extra()
        folder = resolve_model_folder(self.model_name)
        torch = self._torch
        if torch.cuda.is_available():
            self.device = "cuda"
            self.dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        else:  # half precision on CPU is slow or unsupported for many ops
            self.device, self.dtype = "cpu", torch.float32
        self.processor = _load_processor(transformers, folder, self.model_name)
        if not getattr(self.processor, "chat_template", None):
            raise ModelNotFoundError(
                f"{self.model_name}: the model has no chat template (chat_template.jinja), so it is not an "
                "instruction-tuned model the vlm engine can prompt; pass --vlm-model with an -Instruct model"
            )
        try:
            with _quiet():
                loaded = transformers.AutoModelForImageTextToText.from_pretrained(folder, dtype=self.dtype)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelNotFoundError(
                f"{self.model_name}: could not load it as a vision-language (image-text-to-text) model: "
                f"{_first_line(exc)}"
            ) from None
        self.model = loaded.to(self.device).eval()
        tokenizer = self.processor.tokenizer
        # every special token the tokenizer knows (image rows and columns, turn ends) is
        # dropped from answers, even where a processor narrowed the tokenizer's own list
        self._special_ids = set(tokenizer.all_special_ids) | {
            index for index, token in tokenizer.added_tokens_decoder.items() if token.special
        }
        self._lock = threading.Lock()

    @property
    def label(self) -> str:
        return f"vlm:{self.model_name}:{self.image_type}"

    @classmethod
    def check_options(cls, options: TranscribeOptions, model: str | None) -> None:
        """Refuse what reading a picture cannot give: translation and word timings."""
        super().check_options(options, model)
        if options.task == "translate":
            raise OptionError(
                "the vlm engine only transcribes: it cannot translate; use --engine whisper for --task translate",
                "task",
            )
        if options.word_timestamps:
            raise OptionError(
                "the vlm engine gives one segment per picture and no word timings: "
                "drop --word-timestamps or use --engine whisper", "word_timestamps",
            )

    # -- reading -------------------------------------------------------------------

    def prompt_for(self, seconds: float, language: str) -> str:
        """The instruction given with a picture of ``seconds`` of audio."""
        if self.prompt:
            return self.prompt
        text = DEFAULT_PROMPT.format(picture=PICTURE_WORDS[self.image_type], seconds=f"{seconds:g}")
        if language != "en":
            text += f" The speech is in the language with code '{language}'."
        return text

    def draw(self, piece: np.ndarray, start: float):
        """The picture of one window, its time axis in seconds of the whole recording."""
        import seespeech.speech.spectrogram as pictures

        # The figure style, not raw: a figure has a title naming the kind of picture and the
        # time span, labelled axes (seconds, Hz) and a colour bar in a perceptual colour map.
        # That is the kind of chart these models saw in training, and the labels tell the model
        # what it is looking at; a raw picture is a bare grey strip, one pixel per 10 ms, that
        # means nothing without metadata a model never reads. A figure is capped at a minute,
        # which windows stay under. pictures.render draws an array from 0 s, so a window of a
        # stream is drawn from its numbers here, with its own start time on the axis.
        return pictures.figure(pictures.compute(piece, self.image_type, start), None)

    def read(self, image, prompt: str) -> tuple[str, float]:
        """Ask the model to read one picture; return the cleaned text and its mean log-probability."""
        torch = self._torch
        messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": prompt}]}]
        text = self.processor.apply_chat_template(messages, add_generation_prompt=True)
        inputs = self.processor(text=text, images=[image.convert("RGB")], return_tensors="pt")
        inputs = {
            key: value.to(self.device, self.dtype) if value.is_floating_point() else value.to(self.device)
            for key, value in inputs.items() if hasattr(value, "to")
        }
        prompt_length = inputs["input_ids"].shape[1]
        with self._lock, torch.inference_mode(), _quiet():
            out = self.model.generate(
                **inputs, do_sample=False, num_beams=1, max_new_tokens=self.max_new_tokens,
                return_dict_in_generate=True, output_scores=True,
            )
            scores = self.model.compute_transition_scores(out.sequences, out.scores, normalize_logits=True)
        new = [int(i) for i in out.sequences[0, prompt_length:] if int(i) not in self._special_ids]
        reply = self.processor.tokenizer.decode(new, skip_special_tokens=True)
        logprobs = scores[0].float()
        logprobs = logprobs[torch.isfinite(logprobs)]
        avg = float(logprobs.mean()) if logprobs.numel() else 0.0
        return clean_reply(reply), round(avg, 4)

    # -- transcribing --------------------------------------------------------------

    def begin(self, options: TranscribeOptions, name: str) -> DecodeState:
        # The model is prompted in English and answers in text: it cannot tell which language
        # is spoken, so the language is the one asked for, or English.
        if self.save_images is not None:
            self._check_image_folder(_stem(name))
        return DecodeState(language=options.language or "en", language_probability=1.0 if options.language else 0.0)

    def windows(self, audio, options, state, first_seconds):
        return fixed_windows(audio, self.window, MIN_TAIL_SECONDS, options.max_duration, state.notes)

    def decode(self, window: Window, options: TranscribeOptions, state: DecodeState) -> Iterator[Segment]:
        """One picture, one segment."""
        piece, start = window.audio, window.start
        seconds = piece.size / SAMPLE_RATE
        image = self.draw(piece, start)
        if self.save_images is not None:
            self._save(image, _stem(state.source), window.index)
        text, avg_logprob = "", 0.0
        # the model writes words for silence too: with VAD on, a window without speech is not read
        if not options.vad or vad_speech(piece):
            text, avg_logprob = self.read(image, self.prompt_for(round(seconds, 1), state.language or "en"))
        yield Segment(
            id=window.index, start=round(start, 3), end=round(start + seconds, 3), text=f" {text}" if text else "",
            avg_logprob=avg_logprob, seek=int(round(start * 100)),
        )

    # -- saving pictures -------------------------------------------------------------

    def image_path(self, stem: str, index: int) -> Path:
        assert self.save_images is not None
        return self.save_images / f"{stem}-{self.image_type}-{index:03d}.png"

    def _check_image_folder(self, stem: str) -> None:
        """Create the folder; refuse before any work if pictures of this audio are there already."""
        folder = self.save_images
        assert folder is not None
        if folder.exists() and not folder.is_dir():
            raise SeespeechError(f"{folder}: is a file, not a folder for --save-images")
        folder.mkdir(parents=True, exist_ok=True)
        existing = sorted(folder.glob(f"{_glob_escape(stem)}-{self.image_type}-[0-9][0-9][0-9]*.png"))
        if existing:
            raise SeespeechError(
                f"{existing[0]}: already exists; the vlm engine does not overwrite pictures: "
                "remove them or choose another --save-images folder"
            )

    def _save(self, image, stem: str, index: int) -> None:
        path = self.image_path(stem, index)
        try:
            with open(path, "xb") as handle:  # exclusive: never replace a file written meanwhile
                image.save(handle, format="PNG")
        except FileExistsError:
            raise SeespeechError(
                f"{path}: already exists; the vlm engine does not overwrite pictures: "
                "remove them or choose another --save-images folder"
            ) from None


def _stem(name: str) -> str:
    """A file-name stem for ``name``: the audio file's own, or array/bytes/stdin."""
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1] or "audio"
    stem = Path(name).stem
    return re.sub(r"[^\w.\-]+", "_", stem).strip("._") or "audio"


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
