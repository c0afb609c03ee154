"""The ``seespeech`` command.

Errors the user can act on print one line (``seespeech: error: …``) and exit non-zero;
a traceback appears only with ``SEESPEECH_DEBUG=1``.

Exit codes (the same in every command): 0 all done; 1 some inputs failed (each is reported); 2 bad option;
3 missing or unreadable audio (single input); 4 model not found; 70 internal error; 130 interrupted.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn,
)
from rich.table import Table

from .audio import AUDIO_EXTENSIONS
from .errors import AudioError, SeespeechError
from .files import save_image, write_atomic
from .transcribe import DEFAULT_ENGINE, ENGINES
from .writers import FORMATS, WRITERS

DEMO_CLIP = Path(__file__).parent / "data" / "demo.flac"

err_console = Console(stderr=True, highlight=False)


def out_console() -> Console:
    """Tables on standard output; wide enough to stay readable when piped."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=160)


def fail(message: str, code: int = 1) -> "None":
    err_console.print(f"[bold red]seespeech: error:[/] {message}", soft_wrap=True)
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
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # a bug: say so in one line, keep the details for debugging
            if os.environ.get("SEESPEECH_DEBUG"):
                raise
            fail(f"internal error: {type(exc).__name__}: {exc} (run with SEESPEECH_DEBUG=1 for details)", 70)


@click.group(cls=SeespeechGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seespeech")
def main() -> None:
    """Speech to text and pictures, offline, on your own machine."""


# ---------------------------------------------------------------- inputs and outputs


@dataclass
class Job:
    """One input and where its outputs go."""

    source: str
    outputs: dict[str, Path]
    problem: str | None = None


def expand_inputs(paths: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Files, folders (searched recursively for audio) and globs → (source, problem)."""
    found: list[tuple[str, str | None]] = []
    for raw in paths:
        if raw == "-":
            found.append(("-", None))
        elif Path(raw).is_dir():
            files = sorted(p for p in Path(raw).rglob("*") if p.suffix.lower() in AUDIO_EXTENSIONS and p.is_file())
            if not files:
                found.append((raw, "folder holds no audio files (" + ", ".join(sorted(AUDIO_EXTENSIONS)[:8]) + ", …)"))
            found.extend((str(f), None) for f in files)
        elif Path(raw).exists():
            found.append((raw, None))
        elif glob.has_magic(raw):
            files = sorted(f for f in glob.glob(raw, recursive=True) if Path(f).is_file())
            found.extend((f, None) for f in files) if files else found.append((raw, "no files match this pattern"))
        else:
            found.append((raw, "no such file"))
    return found


#: the name standard input's outputs take when they go to files (``--name`` changes it)
STDIN_NAME = "stdin"


def plan_jobs(sources, formats: list[str], output_dir: Path | None, overwrite: bool,
              stdin_name: str | None = STDIN_NAME) -> list[Job]:
    """Where each input's outputs go: ``<output_dir>/<name><format extension>``.

    ``name`` is the input's name without its extension, or with it (``jfk.flac.srt``) when
    inputs of the same name in different formats would otherwise write the same file.
    Standard input is ``stdin_name`` (None: it goes to standard output)."""
    def stem(source: str) -> str:
        return stdin_name if source == "-" else Path(source).stem

    usable = [source for source, problem in sources if not problem and source != "-"]
    # stems shared by files in different formats (jfk.wav, jfk.flac) keep their extension
    suffixes: dict[str, set[str]] = {}
    for source in usable:
        suffixes.setdefault(stem(source), set()).add(Path(source).suffix.lower())
    folder = output_dir or Path(".")
    jobs: list[Job] = []
    claimed: dict[Path, str] = {}
    for source, problem in sources:
        if problem or (source == "-" and not stdin_name):
            jobs.append(Job(source, {}, problem))
            continue
        name = Path(source).name if source != "-" and len(suffixes[stem(source)]) > 1 else stem(source)
        outputs = {f: folder / f"{name}{WRITERS[f].extension}" for f in formats}
        for path in outputs.values():
            if path.resolve() in claimed:
                problem = (f"its output {path} would overwrite the output of {claimed[path.resolve()]}: "
                           "transcribe files of the same name into different --output-dir folders")
            elif path.exists() and not overwrite:
                problem = f"{path} exists (use --overwrite to replace it)"
            if problem:
                break
        if not problem:
            claimed.update({p.resolve(): source for p in outputs.values()})
        jobs.append(Job(source, outputs, problem))
    return jobs


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


# ---------------------------------------------------------------- transcribe


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


def load_chosen_engine(engine_name, model, vlm_model, image_type, save_images, prompt=None, ctc_model=None,
                       **whisper_kwargs):
    from .transcribe import load_engine

    kwargs = {"vlm": dict(image_type=image_type, prompt=prompt, save_images=save_images),
              "whisper": whisper_kwargs}.get(engine_name, {})
    return load_engine(engine_name, chosen_model(engine_name, model, vlm_model, ctc_model), **kwargs)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@model_options
@engine_options
@click.option("--task", type=click.Choice(["transcribe", "translate"]), default="transcribe",
              help="translate: any language → English text (multilingual models).")
@click.option("--format", "-f", "fmt", type=click.Choice([*FORMATS, "all"]), default=None,
              help="Output format [default: all for files, txt for standard output].")
@click.option("--output-dir", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the outputs [default: current folder; standard output for '-'].")
@click.option("--overwrite", is_flag=True, help="Replace existing output files.")
@click.option("--word-timestamps", is_flag=True, help="Time every word (verbose_json).")
@click.option("--vad/--no-vad", default=True, show_default=True, help="Skip non-speech with Silero VAD.")
@click.option("--keep-markers", is_flag=True, help="Keep [BLANK_AUDIO], (music), invented outros and loops.")
@click.option("--beam-size", type=click.IntRange(1, 20), default=5, show_default=True)
@click.option("--batch-size", type=click.IntRange(0, 64), default=8, show_default=True,
              help="Decode audio over a minute in batches of VAD chunks (0: sequential).")
@click.option("--prompt", default=None, help="whisper: text that primes spelling and style; vlm: the instruction.")
@click.option("--max-duration", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Refuse audio longer than this many seconds [default: 14400].")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--name", "stdin_name", default=None, metavar="NAME",
              help=f"Name of standard input's output files (with --output-dir) [default: {STDIN_NAME}].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or per-file lines.")
def transcribe(paths, model, language, engine_name, ctc_model, vlm_model, image_type, save_images, task, fmt,
               output_dir, overwrite, word_timestamps, vad, keep_markers, beam_size, batch_size, prompt, max_duration,
               device, stdin_name, quiet):
    """Transcribe audio files, folders, globs, or '-' (standard input)."""
    from .audio import DEFAULT_MAX_DURATION
    from .transcribe import TranscribeOptions

    to_stdout = output_dir is None and paths == ("-",)
    if paths.count("-") > 1:
        raise click.UsageError("'-' (standard input) can be given once")
    if to_stdout and fmt == "all":
        raise click.UsageError("--format all writes several files: give --output-dir")
    if stdin_name is not None and (to_stdout or "-" not in paths):
        raise click.UsageError("--name names standard input's output files: give '-' and --output-dir")
    formats = list(FORMATS) if (fmt or ("txt" if to_stdout else "all")) == "all" else [fmt or "txt"]
    options = TranscribeOptions(
        language=language, task=task, word_timestamps=word_timestamps,
        vad=vad, keep_markers=keep_markers, beam_size=beam_size, batch_size=batch_size,
        initial_prompt=prompt if engine_name == "whisper" else None,
        max_duration=max_duration or DEFAULT_MAX_DURATION,
    ).validated()
    jobs = plan_jobs(expand_inputs(paths), formats, output_dir, overwrite,
                     stdin_name=None if to_stdout else safe_name(stdin_name or STDIN_NAME))
    ready = [job for job in jobs if not job.problem]
    failed, last_error = 0, None
    # what cannot be done is said before any model loads
    for job in jobs:
        if job.problem:
            failed, last_error = failed + 1, input_error(job)
            report_failure(job, last_error)
    ENGINES[engine_name].check(options)  # an option the engine would ignore: exit 2 before loading it
    if ready:
        show_status = not quiet and err_console.is_terminal
        shown = chosen_model(engine_name, model, vlm_model, ctc_model) or ENGINES[engine_name].default_model
        with err_console.status(f"loading model {shown}…") if show_status else contextlib.nullcontext():
            engine = load_chosen_engine(engine_name, model, vlm_model, image_type, save_images, prompt, ctc_model,
                                        **({"device": device} if engine_name == "whisper" else {}))
        engine.check(options)
    with make_progress(quiet) as progress:
        files_task = progress.add_task("files", total=len(ready), unit="")
        audio_task = progress.add_task("audio", total=None, unit="s")
        for job in ready:
            progress.update(audio_task, description=Path(job.source).name[:30], completed=0, total=None)
            try:
                def on_progress(done, total, _task=audio_task):
                    progress.update(_task, completed=round(done, 1), total=round(total, 1) if total else None)

                transcript = engine.transcribe(job.source, options, on_progress)
                if to_stdout:
                    sys.stdout.write(WRITERS[formats[0]].render(transcript))
                    sys.stdout.flush()
                else:
                    for name, path in job.outputs.items():
                        write_atomic(path, WRITERS[name].render(transcript))
                for warning in transcript.warnings:
                    err_console.print(f"[yellow]warning:[/] {warning}", soft_wrap=True, highlight=False)
                if not quiet and not to_stdout:
                    names = ", ".join(str(p) for p in job.outputs.values())
                    shown_source = "<stdin>" if job.source == "-" else job.source
                    err_console.print(
                        f"[green]✓[/] {shown_source} ({transcript.duration:.1f} s, {transcript.language}) → {names}",
                        soft_wrap=True, highlight=False,
                    )
            except SeespeechError as exc:
                failed, last_error = failed + 1, exc
                report_failure(job, exc)
            progress.advance(files_task)
    if failed:
        if not quiet and len(jobs) > 1:
            err_console.print(f"seespeech: {failed} of {len(jobs)} inputs failed")
        sys.exit(last_error.exit_code if len(jobs) == 1 and last_error else 1)


def safe_name(name: str) -> str:
    """A --name used as a file name: no folders, nothing hidden."""
    clean = Path(name).name.strip().lstrip(".")
    if not clean:
        raise click.BadParameter(f"'{name}' cannot name a file", param_hint="--name")
    return clean


def input_error(job: Job) -> SeespeechError:
    """A problem found while planning: a missing input is unreadable audio (exit 3), as in
    every command; anything else (an output in the way) is a plain error (exit 1)."""
    problem = job.problem or ""
    if problem in ("no such file", "no files match this pattern") or problem.startswith("folder holds no audio"):
        return AudioError(job.source, problem)
    return SeespeechError(f"{job.source}: {problem}")


def report_failure(job: Job, exc: SeespeechError) -> None:
    message = str(exc) if str(exc).startswith(job.source) else f"{job.source}: {exc}"
    err_console.print(f"[bold red]✗[/] {message}", soft_wrap=True, highlight=False)


# ---------------------------------------------------------------- models


@main.group()
def models() -> None:
    """List the Whisper models and where their weights are."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def models_list(as_json: bool) -> None:
    """Packaged models: name, languages, size, source, installed or not."""
    from .models import list_models

    rows = list_models()
    if as_json:
        click.echo(json.dumps([vars(r) for r in rows], indent=2))
        return
    table = Table(title="Whisper models")
    for col in ("name", "languages", "size (MB)", "source (PyPI)", "installed"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.name, r.languages, f"{r.size_mb:.0f}", r.source, "yes" if r.installed else "no")
    out_console().print(table)
    click.echo("Any CTranslate2 Whisper folder (--model DIR) or hub id (when online) works too.")


@models.command("path")
@click.argument("name")
def models_path(name: str) -> None:
    """Print the folder holding NAME's weights (joins packaged halves on first use)."""
    from .models import resolve_model

    click.echo(str(resolve_model(name)))


# ---------------------------------------------------------------- evaluate


@main.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@model_options
@engine_options
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N clips of each folder.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with per-file results) instead of a table.")
@click.option("--vad/--no-vad", default=True, show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (the table or JSON still prints).")
def evaluate(folders, model, language, engine_name, ctc_model, vlm_model, image_type, save_images, limit, as_json,
             vad, quiet):
    """Score WER/CER on folders holding transcripts.tsv (file, text, optional language)."""
    from .evaluate import evaluate_dataset, read_dataset
    from .transcribe import TranscribeOptions

    datasets = [(folder, read_dataset(folder)) for folder in folders]  # a bad folder is said before loading
    ENGINES[engine_name].check(TranscribeOptions(vad=vad))
    engine = load_chosen_engine(engine_name, model, vlm_model, image_type, save_images, ctc_model=ctc_model)
    results = []
    with make_progress(as_json or quiet) as progress:
        for folder, clips in datasets:
            clips = clips[:limit] if limit else clips
            task = progress.add_task(str(folder)[-30:], total=len(clips), unit="clips")

            def run(path, language=None):
                options = TranscribeOptions(language=language, vad=vad).validated()
                engine.check(options)
                return engine.transcribe(path, options)

            results.append(
                evaluate_dataset(folder, run, engine.label, language, lambda r: progress.advance(task), clips=clips)
            )
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
        return
    table = Table(title="evaluation")
    for col in ("dataset", "model", "clips", "failed", "WER", "CER", "S", "D", "I", "audio s", "wall s", "RTF"):
        table.add_column(col, justify="left" if col in ("dataset", "model") else "right")
    for r in results:
        s = r.scores
        table.add_row(
            Path(r.dataset).name, r.model, str(r.clips), str(r.failed), f"{s.wer:.2%}", f"{s.cer:.2%}",
            str(s.substitutions), str(s.deletions), str(s.insertions), f"{r.audio_seconds:.1f}",
            f"{r.wall_seconds:.1f}", f"{r.rtf:.3f}",
        )
    out_console().print(table)
    for r in results:
        for f in r.files:
            if f.error:
                err_console.print(f"[red]✗[/] {f.error}", soft_wrap=True, highlight=False)


# ---------------------------------------------------------------- compare


@main.command()
@click.argument("audio")
@click.option("--reference", default=None, help="What was really said (else Whisper's text is the reference).")
@click.option("--reference-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Read the reference from this text file.")
@click.option("--engines", default=",".join(ENGINES), show_default=True,
              help=f"Comma-separated: {', '.join(ENGINES)}.")
@model_options
@click.option("--vlm-model", default=None, metavar="DIR|HUB_ID", help="Model of the vlm engine.")
@click.option("--ctc-model", default=None, metavar="NAME|DIR", help="Model of the ctc engine [default: cathy].")
@click.option("--image-type", type=click.Choice(["spectrogram", "waveform", "mfcc", "mel"]), default="spectrogram",
              show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--quiet", "-q", is_flag=True, help="No status line while the engines run.")
def compare(audio, reference, reference_file, engines, model, language, vlm_model, ctc_model, image_type, as_json,
            quiet):
    """Transcribe AUDIO with several engines side by side: text, WER, CER, seconds."""
    from .audio import probe, reopenable
    from .compare import compare as run_compare

    if reference and reference_file:
        raise click.UsageError("give --reference or --reference-file, not both")
    if reference_file:
        reference = reference_file.read_text(encoding="utf-8").strip()
    names = [e.strip() for e in engines.split(",") if e.strip()]
    if not names:
        raise click.UsageError("--engines needs at least one engine")
    # unreadable audio is the user's problem, not every engine's: exit 3 before any model loads
    source = reopenable("-") if audio == "-" else audio
    probe(source)
    if hasattr(source, "seek"):
        source.seek(0)
    with err_console.status("comparing engines…") if err_console.is_terminal and not (as_json or quiet) else \
            contextlib.nullcontext():
        result = run_compare(
            source, names, reference=reference,
            language=language,
            models={"whisper": model, "vlm": vlm_model, "ctc": ctc_model},
            engine_options={"vlm": {"image_type": image_type}},
        )
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    source = {"given": "the given reference", "whisper": "Whisper's text (no reference given)"}
    table = Table(title=f"{result.audio} — WER/CER against {source.get(result.reference_source, 'nothing')}")
    for col in ("engine", "model", "WER", "CER", "seconds", "text"):
        table.add_column(col, justify="right" if col in ("WER", "CER", "seconds") else "left",
                         overflow="fold")
    for row in result.rows:
        if row.text is None:
            table.add_row(row.engine, row.label or "—", "—", "—", "—", f"[yellow]not run: {row.error}[/]")
        else:
            table.add_row(row.engine, row.label, f"{row.wer:.1%}" if row.wer is not None else "—",
                          f"{row.cer:.1%}" if row.cer is not None else "—", f"{row.seconds:.2f}", row.text)
    out_console().print(table)


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
    from .ctc.data import read_sources
    from .ctc.train import TrainOptions, train
    from .ctc.tune import MIN_CLIPS

    import importlib.util

    if importlib.util.find_spec("torch") is None:
        raise SeespeechError("train-ctc needs the optional extra: pip install 'seespeech[ctc]'")
    if (out / "model.safetensors").exists() and not (resume or overwrite):
        raise SeespeechError(f"{out} already holds a model (use --resume to go on, --overwrite to replace it)")
    items = read_sources(data)
    val_items = read_sources(val) if val else None
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


# ---------------------------------------------------------------- show


def parse_seconds(ctx, param, value):
    if value is None:
        return None
    text = value.strip().lower()
    try:
        if text.endswith("ms"):
            return float(text[:-2]) / 1000
        if text.endswith("min"):
            return float(text[:-3]) * 60
        return float(text.rstrip("s"))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a duration such as 10s, 500ms or 2min") from None


@main.command()
@click.argument("audio")
@click.option("--kind", "-k", type=click.Choice(["spectrogram", "mel", "waveform", "mfcc", "whisper-mel"]),
              default="spectrogram", show_default=True)
@click.option("--style", "-s", type=click.Choice(["figure", "raw"]), default="figure", show_default=True,
              help="figure: axes, colour bar and title, for people; raw: only the data, for models.")
@click.option("--window", "-w", callback=parse_seconds, default=None, metavar="DURATION",
              help="One picture per window (10s, 500ms, 2min); needed for figures of over a minute.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PNG to write [default: AUDIO's name + kind]. Windows get -001, -002, … suffixes.")
@click.option("--overwrite", is_flag=True, help="Replace existing pictures.")
@click.option("--quiet", "-q", is_flag=True, help="No 'wrote …' line.")
def show(audio, kind, style, window, output, overwrite, quiet):
    """Draw AUDIO as a picture: spectrogram, mel, waveform, MFCC or Whisper's log-mel."""
    from .pictures import render, save

    images = render("-" if audio == "-" else audio, kind=kind, style=style, window=window)
    images = images if isinstance(images, list) else [images]
    base = output or Path(f"{Path(audio).stem if audio != '-' else 'stdin'}.{kind}.png")
    paths = [base] if len(images) == 1 else [
        base.with_name(f"{base.stem}-{i:03d}{base.suffix or '.png'}") for i in range(1, len(images) + 1)
    ]
    clash = [p for p in paths if p.exists()]
    if clash and not overwrite:
        raise SeespeechError(f"{clash[0]} exists (use --overwrite to replace it)")
    for image, path in zip(images, paths):
        save(image, path)
    if not quiet:
        click.echo("wrote " + (str(paths[0]) if len(paths) == 1 else
                               f"{len(paths)} pictures: {paths[0]} … {paths[-1]}"))


# ---------------------------------------------------------------- imagine


def parse_size_option(ctx, param, value):
    if value is None:
        return None
    from .imagine import parse_size

    try:
        return parse_size(value)
    except SeespeechError as exc:
        raise click.BadParameter(str(exc)) from None


def numbered(base: Path, count: int, suffix: str = ".png") -> list[Path]:
    """out.png, or out-1.png … out-N.png for several pictures (plans are numbered alike)."""
    if count == 1:
        return [base]
    return [base.with_name(f"{base.stem}-{i}{base.suffix or suffix}") for i in range(1, count + 1)]


def run_imagine(source, output: Path, plan_path: Path | None, overwrite: bool, quiet: bool, as_json: bool,
                **kwargs):
    """Shared by ``imagine`` and ``demo``: speech or text → pictures (+ plan) on disk."""
    from .pipeline import speech_to_image

    count = kwargs.get("count", 1)
    paths = numbered(output, count)
    plan_paths = numbered(plan_path, count, ".json") if plan_path else []
    targets = paths + plan_paths
    clash = [p for p in targets if p.exists()]
    if clash and not overwrite:
        raise SeespeechError(f"{clash[0]} exists (use --overwrite to replace it)")
    if len(set(p.resolve() for p in targets)) != len(targets):
        raise click.UsageError("--plan must differ from the picture path")
    with make_progress(quiet or as_json) as progress:
        tasks: dict[str, int] = {}

        def on_progress(stage, done, total):
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total, unit="s" if stage == "transcribe" else "steps")
            progress.update(tasks[stage], completed=round(done, 1), total=round(total, 1) if total else None)

        result = speech_to_image(source, progress=on_progress, **kwargs)
    for image, path in zip(result.images, paths):
        save_image(image, path)
    for plan, path in zip(result.plans, plan_paths):  # always one object per file, one file per picture
        write_atomic(path, json.dumps(plan, indent=2, ensure_ascii=False) + "\n")
    if as_json:
        data = result.to_dict()
        data["pictures"] = [str(p) for p in paths]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return result, paths
    if not quiet:
        if result.transcript is not None:
            click.echo(f"said ({result.transcript.language}): {result.transcript.text}")
        if result.translation is not None:
            click.echo(f"in English: {result.translation.text}")
        click.echo(f"drawing: {result.prompt}")
        unmatched = sorted({w for plan in result.plans for w in plan.get("unmatched", [])})
        if unmatched:
            click.echo(f"no picture for: {', '.join(unmatched)} (drawn as labelled placeholders)")
        wrote = ", ".join(str(p) for p in paths + plan_paths)
        click.echo(f"wrote {wrote}")
    return result, paths


@main.command()
@click.argument("source", metavar="AUDIO_OR_TEXT")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="PNG to write [default: AUDIO's name + .png, or picture.png for text]; "
                   "several pictures get -1, -2, … suffixes.")
@click.option("--plan", "plan_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the plan: one JSON object per picture (word → asset, box, colour; unmatched "
                   "words); several pictures get -1, -2, … suffixes like the pictures.")
@click.option("--engine", "-e", type=click.Choice(["compose", "diffusion"]), default="compose", show_default=True,
              help="compose: offline clip-art scenes; diffusion: Stable Diffusion via diffusers (extra + weights).")
@click.option("--image-model", default=None, metavar="DIR|HUB_ID",
              help="diffusion model folder or hub id [default: stabilityai/sd-turbo].")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Same seed, same picture; picture i of --count uses seed + i.")
@click.option("--size", callback=parse_size_option, default=None, metavar="WxH",
              help="Picture size, e.g. 512x512 [default: 512x512 or the model's].")
@click.option("--count", "-n", type=click.IntRange(1, 8), default=1, show_default=True, help="Pictures to make.")
@click.option("--steps", type=click.IntRange(min=1), default=None, help="diffusion: denoising steps.")
@click.option("--guidance", type=click.FloatRange(min=0), default=None, help="diffusion: guidance scale.")
@click.option("--negative-prompt", default=None, help="diffusion: what not to draw.")
@click.option("--tiny-vae", is_flag=True, help="diffusion: decode with TAESD (faster, a little softer).")
@model_options
@click.option("--no-translate", is_flag=True, help="Draw from the original words even when not English.")
@click.option("--overwrite", is_flag=True, help="Replace existing pictures and plan.")
@click.option("--json", "as_json", is_flag=True, help="Print the result (transcript, prompt, plans) as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary lines.")
def imagine(source, output, plan_path, engine, image_model, seed, size, count, steps, guidance, negative_prompt,
            tiny_vae, model, language, no_translate, overwrite, as_json, quiet):
    """Draw what AUDIO_OR_TEXT says: speech (a file or '-') or an English description."""
    from .pipeline import looks_like_text

    is_text = looks_like_text(source)
    if not is_text and source != "-" and not Path(source).exists():
        raise AudioError(source, "no such file (give an audio file, '-', or a description in quotes)")
    if output is None:
        output = Path("picture.png" if is_text or source == "-" else f"{Path(source).stem}.png")
    width, height = size or (None, None)
    run_imagine(
        source, output, plan_path, overwrite, quiet, as_json, engine=engine, image_model=image_model,
        model=model, language=language, translate=not no_translate,
        seed=seed, width=width, height=height, count=count, steps=steps, guidance=guidance,
        negative_prompt=negative_prompt, tiny_vae=tiny_vae,
    )


# ---------------------------------------------------------------- serve


@main.command()
@click.option("--host", default=None, help="Address to listen on [default: 127.0.0.1; SEESPEECH_HOST].")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="[default: 8000; SEESPEECH_PORT]")
@click.option("--model", "-m", default=None, metavar="NAME|DIR",
              help="Whisper model behind 'whisper-1' [default: base; SEESPEECH_MODEL].")
@click.option("--image-model", default=None, metavar="DIR|HUB_ID",
              help="Model of the diffusion picture engine [SEESPEECH_IMAGE_MODEL].")
@click.option("--vlm-model", default=None, metavar="DIR|HUB_ID",
              help="Model of the experimental vlm engine [SEESPEECH_VLM_MODEL].")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Jobs running at once [default: cores ÷ 4, at least 1; SEESPEECH_WORKERS].")
@click.option("--queue-size", type=click.IntRange(min=0), default=None,
              help="Jobs waiting beyond those; more get 503 + Retry-After [default: 32].")
@click.option("--max-upload-mb", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Largest upload [default: 100].")
@click.option("--max-duration", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Longest audio in seconds [default: 10800].")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Jobs database and results [default: ~/.cache/seespeech/server].")
@click.option("--cors-origins", default=None, help="Comma-separated origins allowed by CORS [default: none].")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also append request log lines here.")
def serve(host, port, model, image_model, vlm_model, workers, queue_size, max_upload_mb, max_duration, data_dir,
          cors_origins, log_file):
    """Run the HTTP server: OpenAI-compatible API, speech → picture jobs, web page.

    Set SEESPEECH_API_KEY to require 'Authorization: Bearer <key>' on every API call.
    """
    import uvicorn

    from .server import Settings, create_app
    from .server.jobs import DataDirLock
    from .transcribe import load_engine

    settings = Settings.from_env(
        host=host, port=port, model=model, image_model=image_model, vlm_model=vlm_model, workers=workers, queue_size=queue_size,
        max_upload_mb=max_upload_mb, max_duration=max_duration, data_dir=data_dir, cors_origins=cors_origins,
        log_file=log_file,
    )
    DataDirLock(settings.data_dir).acquire()  # held until the process ends: one server per data folder
    with err_console.status(f"loading model {settings.model}…") if err_console.is_terminal else contextlib.nullcontext():
        load_engine("whisper", settings.model)  # fail now, not on the first request
    err_console.print(f"seespeech: serving on http://{settings.host}:{settings.port}/ "
                      f"(model {settings.model}, {settings.workers} worker(s), queue {settings.queue_size}"
                      f"{', API key required' if settings.api_key else ''})", highlight=False)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                access_log=False, timeout_graceful_shutdown=5)


# ---------------------------------------------------------------- demo


@main.command()
@click.option("--output-dir", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True)
@click.option("--model", "-m", default=None, metavar="NAME|DIR", help="Whisper model [default: base].")
def demo(output_dir: Path, model: str | None) -> None:
    """The main job on the embedded defaults: the shipped clip → transcripts, its mel picture,
    and a picture of what it says (with its plan)."""
    from .pictures import render, save
    from .transcribe import TranscribeOptions, load_engine

    engine = load_engine("whisper", model)
    transcript = engine.transcribe(DEMO_CLIP, TranscribeOptions())
    for name, writer in WRITERS.items():
        write_atomic(output_dir / f"demo{writer.extension}", writer.render(transcript))
    click.echo(f"{DEMO_CLIP.name} ({transcript.duration:.1f} s, language {transcript.language}, "
               f"p={transcript.language_probability:.2f}):")
    click.echo(f"  {transcript.text}")
    mel = output_dir / "demo.mel.png"
    save(render(DEMO_CLIP, kind="mel", title=f"“{transcript.text}”"), mel)
    written = [str(output_dir / ("demo" + w.extension)) for w in WRITERS.values()] + [str(mel)]
    click.echo(f"wrote {', '.join(written)}")
    # the demo's outputs are its own: rewritten on every run
    run_imagine(transcript.text, output_dir / "demo.png", output_dir / "demo.plan.json", True, False, False)


if __name__ == "__main__":
    main()
