"""train-ctc: our own CTC model trained on your recordings."""

from __future__ import annotations

from pathlib import Path

import click

from seespeech.errors import InputError, NotInstalledError, OptionError, SeespeechError
from seespeech.cli.app import LogProgress, err_console, main, make_progress


# ---------------------------------------------------------------- train-ctc


@main.command("train-ctc")
@click.option("--data", "data", multiple=True, required=True, metavar="DIR_OR_MANIFEST",
              help="Training data (repeatable): a folder with transcripts.tsv, an LJSpeech folder "
                   "(metadata.csv + wavs/), a LibriSpeech folder (*.trans.txt), or a .tsv manifest (path, text).")
@click.option("--val", "val", multiple=True, metavar="DIR_OR_MANIFEST",
              help="Validation data [default: 5 % of --data held out].")
@click.option("--frontend", type=click.Choice(["spectrogram", "whisper-encoder"]), default="whisper-encoder",
              show_default=True, help="spectrogram: the seed system's front end; whisper-encoder: the frozen "
                                      "encoder of a packaged Whisper model (far better with little data).")
@click.option("--whisper-model", default="base", show_default=True, help="whisper-encoder: which model's encoder.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the model (best epoch) and out/last (state for --resume).")
@click.option("--epochs", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=2e-3, show_default=True)
@click.option("--units", type=click.IntRange(min=8), default=192, show_default=True, help="GRU units per direction.")
@click.option("--layers", type=click.IntRange(min=1), default=2, show_default=True, help="GRU layers.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--no-augment", is_flag=True, help="No speed/noise perturbation and no SpecAugment.")
@click.option("--copies", type=click.IntRange(min=0), default=2, show_default=True,
              help="whisper-encoder: speed-perturbed (0.9x, 1.1x) noisy copies of each training file, "
                   "encoded once (cached); each epoch reads one version at random. Multiplies the "
                   "first run's encoding time by 1 + COPIES.")
@click.option("--max-minutes", type=click.FloatRange(min=0), default=0, help="Stop after this long (0: no limit).")
@click.option("--init", "init", default=None, metavar="MODEL",
              help="Fine-tune: start from this model ('cathy' or a train-ctc folder) instead of random weights.")
@click.option("--resume", is_flag=True, help="Go on from OUT/last.")
@click.option("--tune-decoder", is_flag=True,
              help="At the end, tune the lm decoder's word weights on the validation clips (OUT/decoder.json; "
                   "for a model of one voice, with many validation clips).")
@click.option("--overwrite", is_flag=True, help="Replace a model already in OUT.")
def train_ctc(data, val, frontend, whisper_model, out, epochs, batch_size, lr, units, layers, seed, no_augment,
              copies, init, max_minutes, resume, tune_decoder, overwrite):
    """Train our DeepSpeech2-style CTC model on your recordings."""
    from seespeech.speech.ctc.data import read_sources
    from seespeech.speech.ctc.train import TrainOptions, train
    from seespeech.speech.ctc.tune import MIN_CLIPS

    import importlib.util

    if importlib.util.find_spec("torch") is None:
        raise NotInstalledError("train-ctc needs the optional extra: pip install 'seespeech[ctc]'")
    if (out / "model.safetensors").exists() and not (resume or overwrite):
        raise OptionError(f"{out} already holds a model (use --resume to go on, --overwrite to replace it)",
                          "overwrite")
    try:   # missing or unusable training data is a missing input (exit 3), as in every command
        items = read_sources(data)
        val_items = read_sources(val) if val else None
    except SeespeechError as exc:
        raise exc if exc.exit_code not in (1, 2) else InputError(str(exc)) from None
    options = TrainOptions(epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, rnn_units=units, rnn_layers=layers,
                           speed=not no_augment, noise=not no_augment, spec_augment=not no_augment, copies=copies,
                           whisper_model=whisper_model, init=init, max_seconds=max_minutes * 60,
                           tune_decoder=tune_decoder)
    err_console.print(f"training on {len(items)} utterances ({frontend} front end), "
                      f"validation: {len(val_items) if val_items else 'held out from the data'}", highlight=False)
    lines = LogProgress()  # the bars draw only on a terminal; a log gets a line a minute instead
    with make_progress(False) as progress:
        feats = progress.add_task("features", total=None, unit="files")
        steps = progress.add_task("training", total=None, unit="steps")

        def on_features(done, total):
            progress.update(feats, completed=done, total=total)
            lines.update("features", done, total, "files (cached for later runs)")

        def on_step(step, total, loss):
            progress.update(steps, completed=step, total=total, description=f"training (loss {loss:.2f})")
            lines.update("training", step, total, f"steps, loss {loss:.2f}")

        def on_epoch(report):
            err_console.print(f"epoch {report.epoch}: loss {report.loss:.3f}, validation WER {report.val_wer:.1%} "
                              f"CER {report.val_cer:.1%} ({report.seconds:.0f} s)", highlight=False)

        tune = progress.add_task("decoder weights", total=None, unit="settings", visible=False)
        tuned = []

        def on_tune(done, total):
            progress.update(tune, completed=done, total=total, visible=True)
            lines.update("decoder weights", done, total, "settings tried on the validation clips")

        reports = train(items, out, frontend, options, val_items=val_items, resume=resume,
                        on_features=on_features, on_step=on_step, on_epoch=on_epoch, on_tune=on_tune,
                        on_tuned=tuned.append)
    if tuned and tuned[0] is not None:
        err_console.print(tuned[0].summary(), highlight=False)
    elif tuned:
        err_console.print(f"decoder weights: the defaults (tuning needs at least {MIN_CLIPS} validation clips "
                          "and wordfreq)", highlight=False)
    best = min(reports, key=lambda r: r.val_wer)
    click.echo(f"best epoch {best.epoch}: validation WER {best.val_wer:.1%}, CER {best.val_cer:.1%}; "
               f"model in {out} (use: seespeech transcribe AUDIO --engine ctc --ctc-model {out})")
