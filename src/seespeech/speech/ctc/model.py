"""The network: DeepSpeech2 as the seed system built it, and its checkpoint format.

Spectrogram front end: conv 32 filters, kernel [11 time, 41 freq], stride [2, 2] + batch
norm + ReLU; conv 32 filters [11, 21] stride [1, 2] + BN + ReLU; then the shared part.
Whisper-encoder front end: its features already summarise the sound, so no convolutions.
Shared part: N bidirectional GRU layers with dropout; a dense layer (2 × units, ReLU,
dropout); a linear layer to the characters plus the blank; log-softmax.

A checkpoint is a folder: ``config.json`` (this dataclass) and ``model.safetensors``.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from seespeech.errors import ModelNotFoundError
from seespeech.models import PACKAGED_CTC
from seespeech.speech.ctc import ALPHABET


@dataclass
class CTCConfig:
    frontend: str = "whisper-encoder"
    #: the Whisper model whose encoder is the front end
    whisper_model: str = "base"
    input_dim: int = 512
    #: frames per second the front end gives
    input_rate: float = 50.0
    conv_channels: int = 32
    rnn_layers: int = 2
    rnn_units: int = 192
    dropout: float = 0.2
    alphabet: list[str] = field(default_factory=lambda: list(ALPHABET))

    @property
    def conv(self) -> bool:
        return self.frontend == "spectrogram"

    @property
    def output_rate(self) -> float:
        return self.input_rate / 2 if self.conv else self.input_rate

    def save(self, folder: Path) -> None:
        (Path(folder) / "config.json").write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, folder: Path) -> "CTCConfig":
        return cls(**json.loads((Path(folder) / "config.json").read_text()))


def build_model(config: CTCConfig):
    import torch
    from torch import nn

    class DeepSpeech2(nn.Module):
        def __init__(self, cfg: CTCConfig):
            super().__init__()
            self.cfg = cfg
            features = cfg.input_dim
            if cfg.conv:
                c = cfg.conv_channels
                self.conv = nn.Sequential(
                    nn.Conv2d(1, c, (11, 41), stride=(2, 2), padding=(5, 20), bias=False), nn.BatchNorm2d(c),
                    nn.ReLU(),
                    nn.Conv2d(c, c, (11, 21), stride=(1, 2), padding=(5, 10), bias=False), nn.BatchNorm2d(c),
                    nn.ReLU(),
                )
                features = c * math.ceil(math.ceil(cfg.input_dim / 2) / 2)
            self.rnn = nn.GRU(features, cfg.rnn_units, num_layers=cfg.rnn_layers, batch_first=True,
                              bidirectional=True, dropout=cfg.dropout if cfg.rnn_layers > 1 else 0.0)
            self.dense = nn.Sequential(nn.Linear(2 * cfg.rnn_units, 2 * cfg.rnn_units), nn.ReLU(),
                                       nn.Dropout(cfg.dropout))
            self.out = nn.Linear(2 * cfg.rnn_units, len(cfg.alphabet))

        def output_lengths(self, lengths):
            return (lengths + 1) // 2 if self.cfg.conv else lengths

        def forward(self, x, lengths):
            """x: (batch, frames, features); returns log-probabilities (batch, frames', labels)."""
            if self.cfg.conv:
                x = self.conv(x.unsqueeze(1))  # (B, C, T', F')
                b, c, t, f = x.shape
                x = x.permute(0, 2, 1, 3).reshape(b, t, c * f)
            lengths = self.output_lengths(lengths)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            x, _ = self.rnn(packed)
            x, _ = nn.utils.rnn.pad_packed_sequence(x, batch_first=True)
            return torch.log_softmax(self.out(self.dense(x)), dim=-1), lengths

    return DeepSpeech2(config)


def run_network(model, features):
    """The network's log-probabilities (frames, labels) for one utterance's features (numpy), without gradients."""
    import torch

    with torch.no_grad():
        log_probs, _ = model(torch.from_numpy(features)[None], torch.tensor([features.shape[0]]))
    return log_probs[0].numpy()


def save_checkpoint(model, config: CTCConfig, folder: Path, info: dict | None = None) -> None:
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    config.save(folder)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    tmp = folder / "model.safetensors.tmp"
    save_file(state, str(tmp))
    tmp.replace(folder / "model.safetensors")
    if info is not None:
        (folder / "training.json").write_text(json.dumps(info, indent=2) + "\n")


def load_checkpoint(folder: Path):
    from safetensors.torch import load_file

    config = CTCConfig.load(folder)
    model = build_model(config)
    model.load_state_dict(load_file(str(Path(folder) / "model.safetensors")))
    model.eval()
    return model, config


# PACKAGED_CTC (the models that ship with seespeech, by name) lives in ..models: `models list` shows it
DEFAULT_CTC_MODEL = "cathy"


def resolve_ctc_model(name: str | None) -> tuple[str, Path]:
    name = str(name or DEFAULT_CTC_MODEL)
    if name in PACKAGED_CTC:
        folder = PACKAGED_CTC[name]
        if not (folder / "model.safetensors").is_file():
            raise ModelNotFoundError(f"the packaged ctc model '{name}' is missing from this installation; "
                                     "reinstall seespeech or train one with seespeech train-ctc")
        return name, folder
    folder = Path(name).expanduser()
    if folder.is_dir() and (folder / "config.json").is_file() and (folder / "model.safetensors").is_file():
        return folder.name, folder
    raise ModelNotFoundError(
        f"ctc model '{name}' not found: use the packaged '{DEFAULT_CTC_MODEL}' or a folder written by "
        "seespeech train-ctc (config.json + model.safetensors)"
    )


def load_word_lm(folder: Path, required: bool):
    """The folder's word language model: its ``lm.npz`` (the packaged model ships a trigram
    model built by scripts/build_ctc_lm.py), else one built now from English word
    frequencies and the folder's training sentences (``transcripts.txt``, written by train-ctc),
    mixed with ``init-lm.npz`` when train-ctc --init left one (the starting model's). Its
    weights: the folder's ``decoder.json`` (tuned by train-ctc on its validation clips), else
    the defaults (``ctc.tune``)."""
    from dataclasses import asdict

    from seespeech.speech.ctc.decode import WordLM
    from seespeech.speech.ctc.lm import INIT_LM, INIT_LM_WEIGHT, MixedLM, NgramLM, english_frequencies
    from seespeech.speech.ctc.weights import DecoderWeights

    weights = asdict(DecoderWeights.load(folder))
    if (folder / "lm.npz").is_file():
        return WordLM(NgramLM.load(folder / "lm.npz"), **weights)
    try:
        frequencies = english_frequencies()
    except ImportError:
        if required:
            raise ModelNotFoundError("the lm decoder needs wordfreq: pip install 'seespeech[ctc]'") from None
        return None
    texts = folder / "transcripts.txt"
    sentences = texts.read_text().splitlines() if texts.is_file() else []
    vocabulary = (folder / "vocabulary.txt").read_text().split() if (folder / "vocabulary.txt").is_file() else []
    own = NgramLM.build(sentences, frequencies, extra_words=vocabulary)
    if (folder / INIT_LM).is_file():  # fine-tuned from a model with a language model: keep its text
        return WordLM(MixedLM([own, NgramLM.load(folder / INIT_LM)], [1 - INIT_LM_WEIGHT, INIT_LM_WEIGHT]),
                      **weights)
    return WordLM(own, **weights)
