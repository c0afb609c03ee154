"""Training: length-sorted batches, augmentation, checkpoints, resume, validation WER.

    seespeech train-ctc --data ../shared/speech/cathy_train --frontend whisper-encoder --out ctc-model

Deterministic for a seed (one torch thread per process is not required, but the same
thread count is). The best epoch by validation WER is kept in ``OUT`` (config.json,
model.safetensors, training.json); ``OUT/last`` holds the latest state for ``--resume``.
With ``--tune-decoder`` the run ends by fitting the lm decoder's weights to the validation
clips (``tune.py``, ``OUT/decoder.json``).
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from seespeech.audio import load_audio
from seespeech.errors import OptionError
from seespeech.speech.ctc import encode_text, normalise_text
from seespeech.speech.ctc.data import Utterance
from seespeech.speech.ctc.decode import greedy, to_text
from seespeech.speech.ctc.frontends import cached_features, make_frontend
from seespeech.speech.ctc.lm import INIT_LM
from seespeech.speech.ctc.model import CTCConfig, build_model, load_checkpoint, run_network, save_checkpoint
from seespeech.speech.ctc.tune import DECODER_FILE, TuneReport, tune_folder


@dataclass
class TrainOptions:
    epochs: int = 30
    batch_size: int = 16
    lr: float = 2e-3
    weight_decay: float = 1e-2
    seed: int = 0
    #: share of the data held out for validation when no --val is given
    val_fraction: float = 0.05
    #: waveform speed perturbation and noise. Spectrogram front end: recomputed every epoch;
    #: whisper-encoder (too slow to run every epoch): ``copies`` perturbed copies of each
    #: training file are encoded once (cached) and each epoch reads one version at random
    speed: bool = True
    noise: bool = True
    copies: int = 2
    #: SpecAugment time and feature masks (both front ends)
    spec_augment: bool = True
    rnn_layers: int = 2
    rnn_units: int = 192
    dropout: float = 0.2
    whisper_model: str = "base"
    #: start from this model's weights (a packaged name or a train-ctc folder) instead of
    #: random ones: fine-tuning; its network shape replaces rnn_layers/rnn_units/dropout
    init: str | None = None
    #: stop after this many seconds of training (0: no limit)
    max_seconds: float = 0.0
    max_steps: int = 0
    #: at the end, tune the lm decoder's weights on the validation clips (``tune.py``). Off by
    #: default: on 40 clips it bought the same voice little and cost other voices (docs/ctc.md)
    tune_decoder: bool = False


@dataclass
class EpochReport:
    epoch: int
    loss: float
    val_wer: float
    val_cer: float
    seconds: float


def _batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Indices sorted by length, cut into batches, batches in random order (little padding)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def _spec_augment(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = x.copy()
    frames, dims = x.shape
    for _ in range(2):
        width = int(rng.integers(0, max(1, int(0.08 * frames)) + 1))
        start = int(rng.integers(0, max(1, frames - width) + 1))
        x[start:start + width] = 0.0
    for _ in range(2):
        width = int(rng.integers(0, max(1, int(0.1 * dims)) + 1))
        start = int(rng.integers(0, max(1, dims - width) + 1))
        x[:, start:start + width] = 0.0
    return x


def _perturb(audio: np.ndarray, rng: np.random.Generator, speed: bool, noise: bool) -> np.ndarray:
    if speed:
        factor = float(rng.choice([0.9, 1.0, 1.1]))
        if factor != 1.0:
            positions = np.arange(0, audio.size - 1, factor)
            audio = np.interp(positions, np.arange(audio.size), audio).astype(np.float32)
    if noise:
        level = float(rng.uniform(0.0, 0.01))
        audio = audio + rng.normal(0, level, audio.size).astype(np.float32)
    return audio


def train(
    train_items: list[Utterance],
    out: Path,
    frontend_name: str = "whisper-encoder",
    options: TrainOptions | None = None,
    val_items: list[Utterance] | None = None,
    resume: bool = False,
    cache: Path | None = None,
    on_step: Callable[[int, int, float], None] | None = None,
    on_epoch: Callable[[EpochReport], None] | None = None,
    on_features: Callable[[int, int], None] | None = None,
    on_tune: Callable[[int, int], None] | None = None,
    on_tuned: Callable[["TuneReport | None"], None] | None = None,
) -> list[EpochReport]:
    import torch

    from seespeech.models import cache_dir

    options = options or TrainOptions()
    if options.epochs < 1 or options.batch_size < 1 or options.lr <= 0:
        raise OptionError("epochs and batch size must be at least 1, and the learning rate positive")
    out, cache = Path(out), cache or cache_dir() / "ctc-features"
    rng, np_rng = _seeded(options.seed)
    items, val_items = _split(train_items, val_items, options.val_fraction, rng)

    frontend = make_frontend(frontend_name, options.whisper_model)
    # checked before the features are computed, which takes minutes
    initial = _initial_model(options.init, frontend_name, options.whisper_model, frontend.dim) if options.init else None
    perturb = options.speed or options.noise
    recompute = frontend_name == "spectrogram" and perturb
    copies = options.copies if perturb and not recompute else 0
    train_x, val_x = _features(frontend, items, val_items, cache, copies, on_features)
    train_y = [encode_text(item.text) for item in items]

    config = CTCConfig(frontend=frontend_name, whisper_model=options.whisper_model, input_dim=frontend.dim,
                       input_rate=frontend.rate, rnn_layers=options.rnn_layers, rnn_units=options.rnn_units,
                       dropout=options.dropout)
    # built even when fine-tuning: its random initialisation draws from torch's seeded stream,
    # so a run with --init shuffles and augments exactly as the same run without it would
    model = build_model(config)
    if initial:
        model, config, init_folder = initial
    optimizer = torch.optim.AdamW(model.parameters(), lr=options.lr, weight_decay=options.weight_decay)
    steps_per_epoch = math.ceil(len(items) / options.batch_size)
    total_steps = steps_per_epoch * options.epochs
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=options.lr, total_steps=total_steps,
                                                   pct_start=0.15)
    ctc_loss = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    reports: list[EpochReport] = []
    start_epoch, best, step = 0, math.inf, 0
    last = out / "last"
    if resume:
        state = _load_state(last, model, optimizer, schedule, rng)
        start_epoch, best, step, np_rng = state["epoch"], state["best"], state["step"], state["np_rng"]
        reports = [EpochReport(**r) for r in state["reports"]]
    began = time.perf_counter()
    for epoch in range(start_epoch, options.epochs):
        model.train()
        epoch_start, losses = time.perf_counter(), []
        lengths = [x[0].shape[0] for x in train_x]
        for batch in _batches(lengths, options.batch_size, rng):
            xs = [torch.from_numpy(_example(i, train_x, items, frontend, options, copies, recompute, np_rng))
                  for i in batch]
            loss = _step(model, optimizer, ctc_loss, xs, [train_y[i] for i in batch])
            if step < total_steps - 1:
                schedule.step()
            step += 1
            losses.append(loss.item())
            if on_step:
                on_step(step, total_steps, losses[-1])
            if options.max_steps and step >= options.max_steps:
                break
        val_wer, val_cer = evaluate_features(model, val_x, [val_items[i].text for i in range(len(val_x))])
        report = EpochReport(epoch + 1, round(float(np.mean(losses)), 4), val_wer, val_cer,
                             round(time.perf_counter() - epoch_start, 1))
        reports.append(report)
        if on_epoch:
            on_epoch(report)
        info = {"frontend": frontend_name, "options": asdict(options), "epochs": [asdict(r) for r in reports],
                "train_utterances": len(items), "val_utterances": len(val_items),
                "train_seconds": round(sum(r.seconds for r in reports), 1)}
        if val_wer <= best or not val_x:
            best = val_wer
            _keep_best(model, config, out, {**info, "best_epoch": report.epoch}, items, init_folder if initial else None)
        _save_state(last, info, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                 "schedule": schedule.state_dict(), "epoch": epoch + 1, "best": best, "step": step,
                                 "reports": [asdict(r) for r in reports], "rng": rng.getstate(), "np_rng": np_rng,
                                 "torch_rng": torch.get_rng_state()})
        if options.max_steps and step >= options.max_steps:
            break
        if options.max_seconds and time.perf_counter() - began > options.max_seconds:
            break
    if options.tune_decoder and (out / "model.safetensors").is_file():
        tuned = tune_folder(out, val_x, [u.text for u in val_items], on_try=on_tune)
        if on_tuned:
            on_tuned(tuned)
    return reports


def _features(frontend, items: list[Utterance], val_items: list[Utterance], cache: Path, copies: int,
              on_features: Callable[[int, int], None] | None):
    """Every training file's features with its perturbed copies (cached), then the validation
    files' as they are: (a list of versions per training file, one array per validation file)."""
    jobs = [(i, k) for i in range(len(items)) for k in range(1 + copies)] + \
        [(len(items) + i, 0) for i in range(len(val_items))]
    everything = items + val_items
    versions: list[list[np.ndarray]] = [[] for _ in everything]
    for done, (i, k) in enumerate(jobs):
        versions[i].append(cached_features(frontend, everything[i].path, cache, copy=k))
        if on_features:
            on_features(done + 1, len(jobs))
    return versions[:len(items)], [v[0] for v in versions[len(items):]]


def _example(i: int, train_x, items: list[Utterance], frontend, options: TrainOptions, copies: int,
             recompute: bool, np_rng) -> np.ndarray:
    """One training example's features: a random cached copy (or recomputed from perturbed
    audio), SpecAugment-masked when asked."""
    x = train_x[i][int(np_rng.integers(len(train_x[i])))] if copies else train_x[i][0]
    if recompute:
        x = frontend(_perturb(load_audio(items[i].path), np_rng, options.speed, options.noise))
    if options.spec_augment:
        x = _spec_augment(x, np_rng)
    return x


def _split(train_items: list[Utterance], val_items: list[Utterance] | None, fraction: float,
           rng: random.Random) -> tuple[list[Utterance], list[Utterance]]:
    """The utterances with text to train on, and those to validate on (held out when not given)."""
    items = [u for u in train_items if normalise_text(u.text)]
    if val_items is None:
        items, val_items = hold_out(items, fraction, rng)
    if not items:
        raise OptionError("no training utterances with text left")
    return items, val_items


def _seeded(seed: int) -> tuple[random.Random, np.random.Generator]:
    """Every random stream a run draws from, seeded: Python's, NumPy's and torch's."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return random.Random(seed), np.random.default_rng(seed)


def _keep_best(model, config, out: Path, info: dict, items: list[Utterance], init_folder: Path | None) -> None:
    """The best network so far becomes the model folder's; its decoder is tuned again later and
    the sentences it was trained on join its language model (lm.py)."""
    save_checkpoint(model, config, out, info)
    (out / DECODER_FILE).unlink(missing_ok=True)  # tuned for another network: tuned again below
    write_training_texts(out, [u.text for u in items])
    if init_folder is not None:
        keep_init_lm(out, init_folder)


def _step(model, optimizer, ctc_loss, xs: list, labels: list[list[int]]):
    """One optimiser step on a padded batch: CTC loss, gradients clipped at 5."""
    import torch

    x_len = torch.tensor([x.shape[0] for x in xs])
    x_pad = torch.nn.utils.rnn.pad_sequence(xs, batch_first=True)
    ys = [torch.tensor(y, dtype=torch.long) for y in labels]
    y_len = torch.tensor([len(y) for y in ys])
    log_probs, out_len = model(x_pad, x_len)
    loss = ctc_loss(log_probs.transpose(0, 1), torch.cat(ys), out_len, y_len)
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()
    return loss


def _load_state(last: Path, model, optimizer, schedule, rng: random.Random) -> dict:
    """Where an earlier run stopped (--resume): the network, optimiser, schedule and random
    streams put back as they were; the saved state for the counters."""
    import torch

    if not (last / "state.pt").is_file():
        raise OptionError(f"--resume: {last} holds no training state")
    state = torch.load(last / "state.pt", weights_only=False)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    schedule.load_state_dict(state["schedule"])
    rng.setstate(state["rng"])
    torch.set_rng_state(state["torch_rng"])
    return state


def _save_state(last: Path, info: dict, state: dict) -> None:
    """The run's state after an epoch (for --resume), written atomically, and its report."""
    import torch

    last.mkdir(parents=True, exist_ok=True)
    torch.save(state, last / "state.pt.tmp")
    (last / "state.pt.tmp").replace(last / "state.pt")
    (last / "training.json").write_text(json.dumps(info, indent=2) + "\n")


def hold_out(items: list[Utterance], fraction: float, rng: random.Random) -> tuple[list[Utterance], list[Utterance]]:
    """(training, validation): a shuffled ``fraction`` held out, at least one when there are two.
    ``rng`` is ``random.Random(seed)`` fresh, as train() draws it, so scripts can rebuild a split."""
    shuffled = items[:]
    rng.shuffle(shuffled)
    held = max(1, int(len(shuffled) * fraction)) if len(shuffled) > 1 else 0
    return shuffled[held:], shuffled[:held]


def _initial_model(name: str, frontend_name: str, whisper_model: str, input_dim: int):
    """The model to fine-tune (a packaged name or a train-ctc folder); it must read the same features."""
    from seespeech.speech.ctc.model import resolve_ctc_model

    folder = resolve_ctc_model(name)[1]
    model, config = load_checkpoint(folder)
    encoder = config.frontend == "whisper-encoder"
    if (config.frontend, config.input_dim) != (frontend_name, input_dim) or (
            encoder and config.whisper_model != whisper_model):
        needs = f"--frontend {config.frontend}" + (f" --whisper-model {config.whisper_model}" if encoder else "")
        raise OptionError(f"--init {name}: that model reads other features; train with {needs}")
    return model, config, folder


def write_training_texts(out: Path, texts: list[str]) -> None:
    """``transcripts.txt`` (the normalised training sentences) and ``vocabulary.txt`` (their words):
    the engine builds its word language model from them when the folder has no ``lm.npz``."""
    sentences = sorted({normalise_text(t) for t in texts} - {""})
    vocabulary = sorted({w for s in sentences for w in s.split()})
    (out / "transcripts.txt").write_text("\n".join(sentences) + "\n")
    (out / "vocabulary.txt").write_text("\n".join(vocabulary) + "\n")


def keep_init_lm(out: Path, init_folder: Path) -> None:
    """A fine-tuned model keeps the language model of the model it started from (its
    ``lm.npz``, or the one that model kept in turn) as ``init-lm.npz``; the engine mixes it
    with a model of the new training sentences (``lm.MixedLM``)."""
    import shutil

    for name in ("lm.npz", INIT_LM):
        source = Path(init_folder) / name
        if source.is_file():
            if Path(init_folder).resolve() != Path(out).resolve():
                shutil.copyfile(source, Path(out) / INIT_LM)
            return


def evaluate_features(model, features: list[np.ndarray], texts: list[str]) -> tuple[float, float]:
    """Greedy-decoded WER/CER of the model on precomputed features."""
    from seespeech.speech.evaluate import score

    if not features:
        return 0.0, 0.0
    model.eval()
    hypotheses = [to_text(greedy(run_network(model, x))) for x in features]
    scores = score(texts, hypotheses)
    return round(scores.wer, 4), round(scores.cer, 4)
