"""The group every command hangs on, its error handling, and what the commands share: the
consoles, progress bars, the model and engine options and loading the chosen engine."""


from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
)

from seespeech.errors import EXIT_BUG, EXIT_FAILED, EXIT_INTERRUPTED, SeespeechError
from seespeech.speech import DEFAULT_ENGINE, ENGINES

DEMO_CLIP = Path(__file__).parents[1] / "data" / "demo.flac"

err_console = Console(stderr=True, highlight=False)


def out_console() -> Console:
    """Tables on standard output; wide enough to stay readable when piped."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=160)


def fail(message: str, code: int = EXIT_FAILED) -> "None":
    # escaped: a message's own brackets ("pip install 'seespeech[ctc]'") are text, not markup
    err_console.print(f"[bold red]seespeech: error:[/] {escape(message)}", soft_wrap=True, highlight=False)
    sys.exit(code)


class SeespeechGroup(click.Group):
    """Turns every expected error into one line and an exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SeespeechError as exc:
            if os.environ.get("SEESPEECH_DEBUG"):
                raise
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            err_console.print("seespeech: interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: say so in one line, keep the details for debugging
            if os.environ.get("SEESPEECH_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (run with SEESPEECH_DEBUG=1 for details)", EXIT_BUG)


@click.group(cls=SeespeechGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seespeech")
def main() -> None:
    """Speech to text and pictures, offline, on your own machine."""


def make_progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(), TimeRemainingColumn(),
        console=err_console, disable=quiet or not err_console.is_terminal, transient=True,
    )


class LogProgress:
    """Progress for long jobs whose standard error is a log, not a terminal (nohup, CI): rich's
    bars are hidden there, so one plain line per task at most every ``every`` seconds, plus the
    last. Silent on a terminal, where the bars show."""

    def __init__(self, every: float = 60.0):
        self.every = every
        self.enabled = not err_console.is_terminal
        self.last: dict[str, float] = {}

    def update(self, name: str, done: int, total: int, unit: str) -> None:
        now = time.monotonic()
        if not self.enabled or (done < total and now - self.last.get(name, -self.every) < self.every):
            return
        self.last[name] = now
        err_console.print(f"{name}: {done}/{total} {unit}", highlight=False)


# ---------------------------------------------------------------- engines (transcribe, evaluate, compare)


def model_options(func):
    func = click.option("--model", "-m", default=None, metavar="NAME|DIR|HUB_ID",
                        help="The engine's model [whisper: base (default), tiny.en, a CTranslate2 folder or a "
                             "hub id; ctc: cathy or a train-ctc folder; vlm: a folder or hub id].")(func)
    func = click.option("--language", "-l", default=None, metavar="LANG",
                        help="Spoken language: a code (en, de, …) or a name (english, german, …); "
                             "detected when omitted.")(func)
    return func


ENGINES_HELP = "; ".join(f"{e.name}: {e.summary}" + (f" (pip install 'seespeech[{e.extra}]')" if e.extra else "")
                         for e in ENGINES.values()) + "."


def engine_options(func):
    """--engine and the vlm engine's own options (shared by transcribe and evaluate)."""
    func = click.option("--engine", "-e", "engine_name", type=click.Choice(list(ENGINES)),
                        default=DEFAULT_ENGINE, show_default=True, help=ENGINES_HELP)(func)
    func = click.option("--ctc-model", default=None, metavar="NAME|DIR",
                        help="ctc: the packaged 'cathy' (default) or a folder from train-ctc.")(func)
    func = click.option("--vlm-model", default=None, metavar="DIR|HUB_ID",
                        help="vlm: model folder or hub id [default: HuggingFaceTB/SmolVLM2-256M-Video-Instruct].")(func)
    func = click.option("--image-type", type=click.Choice(["spectrogram", "waveform", "mfcc", "mel"]),
                        default="spectrogram", show_default=True, help="vlm: how the audio is drawn.")(func)
    func = click.option("--save-images", type=click.Path(file_okay=False), default=None,
                        help="vlm: also write the pictures the model read into this folder.")(func)
    return func


def chosen_model(engine_name, model, vlm_model=None, ctc_model=None) -> str | None:
    """The model the chosen engine runs: --model, or the engine's own --ctc-model/--vlm-model."""
    own = {"ctc": ctc_model, "vlm": vlm_model}.get(engine_name)
    if own and model and own != model:
        raise click.UsageError(f"--model and --{engine_name}-model name different models: give one")
    if engine_name == "whisper" or own:
        return own or model
    return model


def chosen_engine_kwargs(engine_name, image_type, save_images, prompt=None, **whisper_kwargs) -> dict:
    """What the chosen engine's constructor gets from the command's options."""
    return {"vlm": dict(image_type=image_type, prompt=prompt, save_images=save_images),
            "whisper": whisper_kwargs}.get(engine_name, {})


def load_chosen_engine(engine_name, model, vlm_model, image_type, save_images, prompt=None, ctc_model=None,
                       **whisper_kwargs):
    from seespeech.speech import load_engine

    kwargs = chosen_engine_kwargs(engine_name, image_type, save_images, prompt, **whisper_kwargs)
    return load_engine(engine_name, chosen_model(engine_name, model, vlm_model, ctc_model), **kwargs)


# the commands register themselves on ``main``


def gather(name: str, *fields: str):
    """Click hands a command every option as a keyword: this gathers ``fields`` into one dict
    argument ``name``, so a command takes its options in groups (decoding, subtitles, …) instead
    of forty parameters. Put it right above the function, below the options."""
    def wrap(command):
        @functools.wraps(command)
        def gathered(*args, **kwargs):
            kwargs[name] = {field: kwargs.pop(field) for field in fields}
            return command(*args, **kwargs)
        return gathered
    return wrap


def schema_option(*decls: str, field: str, schema=None, **extra):
    """A click option built from an option schema (``seespeech.schema``; the decoding one unless
    another is given): the same default, bounds and help as the library's check and the server's
    field. ``extra`` overrides (a different default, a longer help)."""
    from seespeech.speech.options import DecodingSchema

    schema = schema or DecodingSchema
    b = schema.bounds(field)
    kind = click.IntRange if schema.is_int(field) else click.FloatRange
    kind_args = {"min": b.get("ge", b.get("gt")), "max": b.get("le", b.get("lt"))}
    if kind is click.FloatRange:
        kind_args.update(min_open="gt" in b, max_open="lt" in b)
    settings = {"type": kind(**kind_args), "default": schema.default(field), "help": schema.help(field), **extra}
    settings.setdefault("show_default", settings["default"] is not None)
    return click.option(*decls, field, **settings)
