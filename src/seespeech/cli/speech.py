"""Speech → text commands: transcribe, evaluate, compare, and the models they run."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from seespeech.audio import AUDIO_EXTENSIONS
from seespeech.errors import EXIT_FAILED, AudioError, InputError, OptionError, OutputExistsError, SeespeechError
from seespeech.files import write_atomic
from seespeech.speech.diarize import SpeakerSchema
from seespeech.speech.subtitles import SubtitleOptions, SubtitleSchema
from seespeech.speech import ENGINES, TranscribeOptions
from seespeech.speech.writers import DEFAULT_FORMATS, FORMATS, SPEAKER_FORMATS, WRITERS
from seespeech.cli.app import (
    chosen_model, engine_options, err_console, load_chosen_engine, main, make_progress, model_options, out_console,
    gather, schema_option,
)
from seespeech.cli.outputs import STDOUT, Destination, destination, format_of, is_folder_name, output_help


# ---------------------------------------------------------------- inputs and outputs


@dataclass
class FilePlan:
    """One input and where its outputs go."""

    source: str
    outputs: dict[str, Path]
    problem: str | None = None


#: files that list inputs instead of being one: a path a line, or a table with a ``path`` column
MANIFEST_SUFFIXES = (".txt", ".lst", ".list", ".csv", ".tsv", ".parquet")


def read_manifest(manifest: Path) -> list[str] | None:
    """The paths a manifest lists (relative ones are relative to the manifest's folder); None
    when the file is not a manifest: a text file none of whose lines is an existing path, a
    CSV/TSV without a ``path`` column (it is then treated as any other input)."""
    import csv

    suffix = manifest.suffix.lower()
    try:
        if suffix == ".parquet":
            try:
                import pyarrow.parquet as pq
            except ImportError:
                raise SeespeechError(f"{manifest}: reading a Parquet manifest needs pyarrow "
                                     "(pip install 'seespeech[ray]')") from None
            table = pq.read_table(manifest)
            if "path" not in table.column_names:
                raise SeespeechError(f"{manifest}: a Parquet manifest needs a 'path' column")
            listed = [str(p) for p in table.column("path").to_pylist() if p]
        elif suffix in (".csv", ".tsv"):
            with open(manifest, newline="", encoding="utf-8") as handle:
                rows = csv.DictReader(handle, delimiter="\t" if suffix == ".tsv" else ",")
                if not rows.fieldnames or "path" not in rows.fieldnames:
                    return None
                listed = [row["path"].strip() for row in rows if (row["path"] or "").strip()]
        else:
            lines = manifest.read_text(encoding="utf-8").splitlines()
            listed = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    except (OSError, UnicodeDecodeError):
        return None   # not a manifest we can read: the input is whatever else it is
    paths = [str(p if Path(p).is_absolute() else manifest.parent / p) for p in listed]
    if suffix in (".txt", ".lst", ".list") and not any(Path(p).exists() for p in paths):
        return None
    return paths


def is_folder_filter(raw: str) -> bool:
    """A glob with no folder in it (``"*.mp3"``) that names no existing file: given after a
    folder, it says which of that folder's files to take."""
    return glob.has_magic(raw) and "/" not in raw and os.sep not in raw and not Path(raw).exists()


def folder_audio(folder: str, patterns: list[str]) -> list[Path]:
    """A folder's audio files, searched recursively; with patterns, those whose name matches one."""
    from fnmatch import fnmatchcase

    return sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in AUDIO_EXTENSIONS and p.is_file()
                  and (not patterns or any(fnmatchcase(p.name, pattern) for pattern in patterns)))


def expand_inputs(paths: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Files, folders (searched recursively for audio), globs and manifests → (source, problem).

    A glob without a folder in it (``"*.mp3"``) given after one or more folders filters those
    folders' files (``recordings/ "*.mp3"``: the mp3 files in recordings/); any other glob is
    relative to the current folder, as in a shell. A file given twice (by two inputs that find
    it) is transcribed once, where it first appears."""
    found: list[tuple[str, str | None]] = []
    i = 0
    while i < len(paths):
        raw = paths[i]
        i += 1
        if raw == "-":
            found.append(("-", None))
        elif (Path(raw).is_file() and Path(raw).suffix.lower() in MANIFEST_SUFFIXES
              and (listed := read_manifest(Path(raw))) is not None):
            found.extend((p, None if Path(p).is_file() else f"listed in {raw}, but no such file") for p in listed)
            if not listed:
                found.append((raw, "this manifest lists no files"))
        elif Path(raw).is_dir():
            folders = [raw]   # folders given together, then the patterns that filter them
            while i < len(paths) and paths[i] != "-" and Path(paths[i]).is_dir():
                folders.append(paths[i])
                i += 1
            patterns = []
            while i < len(paths) and is_folder_filter(paths[i]):
                patterns.append(paths[i])
                i += 1
            for folder in folders:
                files = folder_audio(folder, patterns)
                if not files and patterns:
                    found.append((folder, f"no audio file in this folder matches {' or '.join(patterns)}"))
                elif not files:
                    found.append((folder, "folder holds no audio files (" + ", ".join(sorted(AUDIO_EXTENSIONS)[:8])
                                  + ", …)"))
                found.extend((str(f), None) for f in files)
        elif Path(raw).exists():
            found.append((raw, None))
        elif glob.has_magic(raw):
            files = sorted(f for f in glob.glob(raw, recursive=True) if Path(f).is_file())
            found.extend((f, None) for f in files) if files else found.append((raw, NO_MATCH))
        else:
            found.append((raw, "no such file"))
    unique: list[tuple[str, str | None]] = []
    seen: set[tuple[Path | str, str | None]] = set()
    for source, problem in found:
        key = (source if source == "-" else Path(source).resolve(), problem)
        if source == "-" or key not in seen:
            seen.add(key)
            unique.append((source, problem))
    return unique


#: a glob that finds nothing (relative to the current folder, as in a shell)
NO_MATCH = "no files match this pattern (in the current folder; put a folder before it to search that folder)"


#: the end of the problem of an input whose output is there already
EXISTS = " exists (use --overwrite to replace it)"

#: the name standard input's outputs take when they go to files (``--name`` changes it)
STDIN_NAME = "stdin"


def plan_jobs(sources, formats: list[str], output_dir: Path | Destination | None, overwrite: bool,
              stdin_name: str | None = STDIN_NAME) -> list[FilePlan]:
    """Where each input's outputs go (``outputs.py``'s rule): ``<folder>/<name><format extension>``,
    the one ``-o FILE``, or standard output (no files).

    ``name`` is the input's name without its extension, or with it (``jfk.flac.srt``) when
    inputs of the same name in different formats would otherwise write the same file.
    Standard input is ``stdin_name`` (None: it goes to standard output)."""
    where = output_dir if isinstance(output_dir, Destination) else Destination(folder=output_dir or Path("."))
    def stem(source: str) -> str:
        return stdin_name if source == "-" else Path(source).stem

    usable = [source for source, problem in sources if not problem and source != "-"]
    # stems shared by files in different formats (jfk.wav, jfk.flac) keep their extension
    suffixes: dict[str, set[str]] = {}
    for source in usable:
        suffixes.setdefault(stem(source), set()).add(Path(source).suffix.lower())
    jobs: list[FilePlan] = []
    claimed: dict[Path, str] = {}
    for source, problem in sources:
        if problem or where.stdout or (source == "-" and not stdin_name):
            jobs.append(FilePlan(source, {}, problem))
            continue
        name = Path(source).name if source != "-" and len(suffixes[stem(source)]) > 1 else stem(source)
        outputs = {f: where.path(name, WRITERS[f].extension) for f in formats}
        for path in outputs.values():
            if path.resolve() in claimed:
                problem = (f"its output {path} would overwrite the output of {claimed[path.resolve()]}: "
                           "transcribe files of the same name into different -o folders")
            elif path.exists() and not overwrite:
                problem = f"{path}{EXISTS}"
            if problem:
                break
        if not problem:
            claimed.update({p.resolve(): source for p in outputs.values()})
        jobs.append(FilePlan(source, outputs, problem))
    return jobs


#: openai-whisper's spellings that are not ours with ``_`` for ``-`` (its booleans take True/False)
WHISPER_NAMES = {"--output_format": "--format", "--output_dir": "--output", "--initial_prompt": "--prompt",
                 "--verbose": "--quiet"}
#: whisper's word for on and off
TRUTHS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


class WhisperSpellings(click.Command):
    """A command that also takes the openai-whisper CLI's spellings of its options, unlisted in
    ``--help``: ``--output_format srt``, ``--initial_prompt TEXT``, ``--word_timestamps True``,
    ``--condition_on_previous_text False``, ``--verbose False`` (= ``--quiet``)."""

    def parse_args(self, ctx, args):
        names = {name: param for param in self.params if isinstance(param, click.Option)
                 for name in param.opts + param.secondary_opts}
        rewritten: list[str] = []
        args = list(args)
        i = 0
        while i < len(args):
            arg = args[i]
            i += 1
            if arg == "--":
                rewritten.extend(args[i - 1:])
                break
            if arg == "--diarize" and i < len(args) and args[i] not in ("auto", "channels") \
                    and (Path(args[i]).is_file() or args[i] == "-"):
                rewritten += [arg, "auto"]   # --diarize talk.wav: an input, not --diarize's value
                continue
            given, has_value, value = arg.partition("=")
            if not given.startswith("--") or "_" not in given and given != "--verbose":
                rewritten.append(arg)
                continue
            ours = WHISPER_NAMES.get(given, given.replace("_", "-"))
            option = names.get(ours)
            if option is None:
                rewritten.append(arg)   # click says it is unknown and suggests a name
                continue
            if not option.is_flag:
                if given == "--output_dir":   # whisper's is always a folder, whatever its name
                    if not has_value and i < len(args):
                        value, has_value = args[i], True
                        i += 1
                    value = value if not has_value or value.endswith(("/", os.sep)) else value + "/"
                rewritten.append(f"{ours}={value}" if has_value else ours)
                continue
            # whisper's booleans take a value: --word_timestamps True; alone, they turn the flag on
            if not has_value and i < len(args) and args[i].lower() in TRUTHS:
                value, has_value = args[i], True
                i += 1
            on = TRUTHS.get(value.lower(), None) if has_value else True
            if on is None:
                raise click.BadParameter(f"'{value}' is not True or False", param_hint=given)
            if given == "--verbose":
                on = not on   # --verbose False is --quiet
            if on:
                rewritten.append(ours)
            elif option.secondary_opts:
                rewritten.append(option.secondary_opts[0])
        return super().parse_args(ctx, rewritten)


def _where_and_formats(paths, fmt, output, stdin_name, diarized: bool) -> tuple[bool, bool, list[str]]:
    """Whether the transcript goes to standard output or to one named file, and in which
    formats (-o talk.srt: the extension is the format); what cannot be is a usage error."""
    to_stdout = output == STDOUT or (output is None and paths == ("-",))
    to_file = output not in (None, STDOUT) and not is_folder_name(output)
    if paths.count("-") > 1:
        raise click.UsageError("'-' (standard input) can be given once")
    if stdin_name is not None and (to_stdout or to_file or "-" not in paths):
        raise click.UsageError("--name names standard input's output files: give '-' and -o DIR")
    formats = parse_formats(fmt, to_stdout, diarized)
    if to_file:
        fmt_name = format_of(output, {WRITERS[f].extension: f for f in FORMATS}, formats[0] if fmt else None)
        if fmt_name is None:
            raise OptionError(f"{output}: '{Path(output).suffix}' is no transcript format; end the name in "
                              f"{', '.join(sorted({WRITERS[f].extension for f in FORMATS}))} (or choose one with "
                              "--format), or in '/' for a folder", "format")
        formats = [fmt_name] if fmt is None or len(formats) == 1 else formats
    if (to_stdout or to_file) and len(formats) > 1:
        raise OptionError(f"several formats write several files: give a folder (-o DIR), not "
                          f"{'standard output' if to_stdout else output}", "format")
    return to_stdout, to_file, formats


def _transcribe_options(decoding: dict, speakers: dict, prompt: str | None, highlight_words: bool) -> TranscribeOptions:
    """The command's options as the library's (validated: a bad value is exit 2 here)."""
    from seespeech.speech import temperature_schedule

    decoding = dict(decoding)
    schedule = temperature_schedule(decoding.pop("temperature"), decoding.pop("temperature_increment"))
    if not decoding["max_duration"]:
        del decoding["max_duration"]
    decoding["word_timestamps"] = decoding["word_timestamps"] or highlight_words
    speakers = {**speakers, "speaker_names": _speaker_names(speakers["speaker_names"])}
    return TranscribeOptions(**decoding, **speakers, temperature=schedule, initial_prompt=prompt).validated()


def _speaker_names(given: str | None) -> dict[str, str] | None:
    """``alice=alice.wav,bob=bob.wav`` → {"alice": "alice.wav", …}; each file must exist."""
    if not given:
        return None
    names: dict[str, str] = {}
    for item in given.split(","):
        name, sep, path = item.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise click.UsageError(f"--speaker-names: '{item}' is not NAME=FILE (e.g. alice=alice.wav,bob=bob.wav)")
        if name.strip() in names:
            raise click.UsageError(f"--speaker-names: '{name.strip()}' is given twice")
        if not Path(path.strip()).is_file():
            raise InputError(f"--speaker-names: {path.strip()}: no such file (a few seconds of {name.strip()}'s speech)")
        names[name.strip()] = path.strip()
    return names


def _whisper_kwargs(engine_name: str, device: str, threads: int, compute_type: str) -> dict:
    """The whisper engine's own loading options; set for another engine, a usage error."""
    whisper_kwargs = {"device": device, "cpu_threads": threads, "compute_type": compute_type}
    if engine_name != "whisper":
        changed = [f"--{k.replace('_', '-').replace('cpu-', '')}" for k, v in whisper_kwargs.items()
                   if v != {"device": "auto", "cpu_threads": 0, "compute_type": "auto"}[k]]
        if changed:
            raise click.UsageError(f"{', '.join(changed)}: options of the whisper engine, not {engine_name}")
    return whisper_kwargs


def _report_unready(jobs) -> tuple[int, SeespeechError | None]:
    """What cannot be done is said before any model loads; outputs in the way, once for them
    all. Returns how many failed and the last error."""
    failed, last_error = 0, None
    existing = [job for job in jobs if job.problem and job.problem.endswith(EXISTS)]
    for job in jobs:
        if job.problem:
            failed, last_error = failed + 1, input_error(job)
            if len(existing) < 2 or job not in existing:
                report_failure(job, last_error)
    if len(existing) > 1:
        shown = ", ".join(job.problem.removesuffix(EXISTS) for job in existing[:3])
        shown += ", …" if len(existing) > 3 else ""
        err_console.print(f"[bold red]✗[/] the outputs of {len(existing)} inputs exist already ({shown}): "
                          "add --overwrite to replace them", soft_wrap=True, highlight=False)
    return failed, last_error


@main.command(cls=WhisperSpellings)
@click.argument("paths", nargs=-1, required=True)
@model_options
@engine_options
@click.option("--task", type=click.Choice(["transcribe", "translate"]), default="transcribe",
              help="translate: any language → English text (multilingual models).")
@click.option("--format", "-f", "fmt", default=None, metavar="FORMAT[,FORMAT…]",
              help=f"Output formats, comma-separated: {', '.join(FORMATS)}, or all [default: "
                   f"{','.join(DEFAULT_FORMATS)} for files, txt for standard output].")
@click.option("--output", "-o", "--output-dir", "output", default=None, metavar="DIR|FILE|-",
              help=output_help("the transcripts", "the current folder; standard output for '-'") +
              " A FILE or '-' takes one --format.")
@click.option("--overwrite", is_flag=True, help="Replace existing output files.")
@click.option("--word-timestamps", is_flag=True, help="Time every word (verbose_json).")
@click.option("--vad/--no-vad", default=True, show_default=True, help="Skip non-speech with Silero VAD.")
@click.option("--keep-markers", is_flag=True, help="Keep [BLANK_AUDIO], (music), invented outros and loops.")
@schema_option("--beam-size", field="beam_size")
@schema_option("--batch-size", field="batch_size")
@click.option("--prompt", default=None, help="whisper: text that primes spelling and style; vlm: the instruction.")
@schema_option("--temperature", field="temperature")
@schema_option("--temperature-increment-on-fallback", field="temperature_increment")
@schema_option("--best-of", field="best_of")
@schema_option("--patience", field="patience")
@click.option("--condition-on-previous-text/--no-condition-on-previous-text", default=True, show_default=True,
              help="Prompt each 30 s with the text before it (inside a 4-minute window; never across windows).")
@click.option("--hotwords", default=None, metavar="TEXT", help="Words to favour (names, jargon).")
@click.option("--threads", type=click.IntRange(0, 256), default=0, show_default=True,
              help="CPU threads for the model (0: the machine's cores).")
@click.option("--compute-type", type=click.Choice(["auto", "int8", "int8_float32", "float32", "int16",
                                                   "float16", "int8_float16", "bfloat16"]),
              default="auto", show_default=True, help="Weight and arithmetic types (auto: int8 on CPU).")
@schema_option("--max-line-width", field="max_line_width", schema=SubtitleSchema)
@schema_option("--max-line-count", field="max_line_count", schema=SubtitleSchema)
@schema_option("--max-words-per-line", field="max_words_per_line", schema=SubtitleSchema)
@schema_option("--max-cue-seconds", field="max_cue_seconds", schema=SubtitleSchema)
@click.option("--highlight-words", is_flag=True,
              help="srt/vtt: a cue per word with the word being spoken underlined (turns on word timings).")
@click.option("--diarize", is_flag=False, flag_value="auto", default=None, metavar="[auto|channels|DIR]",
              help="Label who speaks. Alone (or 'auto'): tell the speakers apart by their voices (pip install "
                   "'seespeech[diarize]'); 'channels': a recording with one speaker per channel (calls, interviews); "
                   "or a pyannote.audio pipeline folder you have.")
@schema_option("--speakers", field="speakers", schema=SpeakerSchema)
@schema_option("--min-speakers", field="min_speakers", schema=SpeakerSchema)
@schema_option("--max-speakers", field="max_speakers", schema=SpeakerSchema)
@click.option("--speaker-names", default=None, metavar="NAME=FILE[,NAME=FILE…]",
              help="With --diarize: known voices, a few seconds of each person's speech; their turns are "
                   "labelled by name, turns that match no one 'unknown'.")
@click.option("--max-duration", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Refuse audio longer than this many seconds [default: 14400].")
@click.option("--ray", "ray_address", is_flag=False, flag_value="local", default=None, metavar="[ADDRESS]",
              help="Spread the inputs over a Ray cluster: alone or 'local' starts Ray on this machine; an "
                   "address (host:6379, ray://…) joins that cluster. Resumable: inputs whose outputs all "
                   "exist are skipped. Needs pip install 'seespeech[ray]'.")
@click.option("--results", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --ray: the results table (Parquet) [default: OUTPUT_DIR/results.parquet].")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto", show_default=True)
@click.option("--name", "stdin_name", default=None, metavar="NAME",
              help=f"Name of standard input's output files (with -o DIR) [default: {STDIN_NAME}].")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress bar, per-file lines, or text as it is decoded (printed on standard output).")
@gather("decoding", "language", "task", "word_timestamps", "vad", "keep_markers", "beam_size", "batch_size",
        "temperature", "temperature_increment", "best_of", "patience", "condition_on_previous_text", "hotwords",
        "max_duration")
@gather("subtitling", "max_line_width", "max_line_count", "max_words_per_line", "max_cue_seconds", "highlight_words")
@gather("speakers", "diarize", "speakers", "min_speakers", "max_speakers", "speaker_names")
@gather("loading", "device", "threads", "compute_type")
def transcribe(paths, model, engine_name, ctc_model, vlm_model, image_type, save_images, fmt, output, overwrite,
               prompt, decoding, subtitling, speakers, loading, ray_address, results, stdin_name, quiet):
    """Transcribe audio files, folders, globs, or '-' (standard input)."""
    options = _transcribe_options(decoding, speakers, prompt if engine_name == "whisper" else None,
                                  subtitling["highlight_words"])
    to_stdout, to_file, formats = _where_and_formats(paths, fmt, output, stdin_name, bool(options.diarize))
    subtitles = SubtitleOptions(**subtitling).validated()
    threads = loading["threads"]
    whisper_kwargs = _whisper_kwargs(engine_name, **loading)
    if ray_address is not None:
        if output == STDOUT or to_file:
            raise click.UsageError("--ray writes into a folder: give -o DIR (or no -o: the current folder)")
        output_dir = Path(output) if output is not None else None
        return _on_ray(paths, formats, output_dir, overwrite, results, ray_address, engine_name, model, ctc_model,
                       vlm_model, image_type, save_images, prompt, options, subtitles, threads, whisper_kwargs, quiet)
    if results is not None:
        raise click.UsageError("--results is the table of a --ray run: add --ray")
    sources = expand_inputs(paths)
    where = destination(output, len(sources), "-o", default="stdout" if to_stdout else "folder",
                        outputs_each=len(formats))
    jobs = plan_jobs(sources, formats, where, overwrite,
                     stdin_name=None if to_stdout else safe_name(stdin_name or STDIN_NAME))
    ready = [job for job in jobs if not job.problem]
    failed, last_error = _report_unready(jobs)
    # an option the engine or its model cannot honour: exit 2 before loading it (the one check)
    options = ENGINES[engine_name].check(options, chosen_model(engine_name, model, vlm_model, ctc_model))
    if ready:
        show_status = not quiet and err_console.is_terminal
        shown = chosen_model(engine_name, model, vlm_model, ctc_model) or ENGINES[engine_name].default_model
        with err_console.status(f"loading model {shown}…") if show_status else contextlib.nullcontext():
            engine = load_chosen_engine(engine_name, model, vlm_model, image_type, save_images, prompt, ctc_model,
                                        **(whisper_kwargs if engine_name == "whisper" else {}))
    # the text as it is decoded, as the Whisper CLIs print it: on standard output, above the bars
    # (rich prints what goes to sys.stdout above them when both are the terminal)
    stdout = sys.stdout

    def show_segment(segment) -> None:
        writer = sys.stdout if stdout.isatty() else stdout
        writer.write(segment_line(segment) + "\n")
        writer.flush()

    with make_progress(quiet) as progress:
        files_task = progress.add_task("files", total=len(ready), unit="")
        audio_task = progress.add_task("audio", total=None, unit="s")
        for job in ready:
            progress.update(audio_task, description=Path(job.source).name[:30], completed=0, total=None)
            try:
                def on_progress(done, total, _task=audio_task):
                    progress.update(_task, completed=round(done, 1), total=round(total, 1) if total else None)

                transcript = engine.transcribe(job.source, options, on_progress,
                                               on_segment=None if quiet or to_stdout else show_segment)
                if to_stdout:
                    sys.stdout.write(WRITERS[formats[0]].render(transcript, subtitles))
                    sys.stdout.flush()
                else:
                    for name, path in job.outputs.items():
                        write_atomic(path, WRITERS[name].render(transcript, subtitles))
                for warning in transcript.warnings:
                    err_console.print(f"[yellow]warning:[/] {escape(warning)}", soft_wrap=True, highlight=False)
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


def _on_ray(paths, formats, output_dir, overwrite, results, address, engine_name, model, ctc_model, vlm_model,
            image_type, save_images, prompt, options, subtitles, threads, whisper_kwargs, quiet):
    """transcribe --ray: plan as the local command does, then run on the cluster (cli/corpus.py)."""
    from seespeech.speech.cluster import CorpusRun
    from seespeech.cli.app import chosen_engine_kwargs, chosen_model
    from seespeech.cli.corpus import transcribe_on_ray

    if "-" in paths:
        raise click.UsageError("--ray transcribes files every node can read, not standard input")
    if address not in ("local", "auto") and ":" not in address:
        hint = "put --ray after the inputs, or write --ray local" if Path(address).exists() else \
            "give host:port (ray start --head prints it), auto, or local"
        raise click.UsageError(f"--ray took '{address}' as the cluster's address: {hint}")
    options = ENGINES[engine_name].check(options, chosen_model(engine_name, model, vlm_model, ctc_model))
    jobs = plan_jobs(expand_inputs(paths), formats, output_dir, overwrite=True, stdin_name=None)
    kwargs = chosen_engine_kwargs(engine_name, image_type, save_images, prompt,
                                  **{**whisper_kwargs, "cpu_threads": threads or 1})
    run = CorpusRun(engine_name, chosen_model(engine_name, model, vlm_model, ctc_model), options, subtitles,
                    threads or 1, kwargs)
    sys.exit(transcribe_on_ray(jobs, run, address, overwrite, results, output_dir, quiet))


def segment_line(segment) -> str:
    """``[00:00.000 --> 00:04.400]  text``, as openai-whisper prints (hours when there are any)."""
    def stamp(seconds: float) -> str:
        millis = max(0, round(seconds * 1000))
        hours, millis = divmod(millis, 3_600_000)
        minutes, millis = divmod(millis, 60_000)
        return (f"{hours:02d}:" if hours else "") + f"{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"

    speaker = f"[{segment.speaker}] " if getattr(segment, "speaker", None) else ""
    return f"[{stamp(segment.start)} --> {stamp(segment.end)}]  {speaker}{segment.text.strip()}"


def parse_formats(fmt: str | None, to_stdout: bool, diarized: bool = False) -> list[str]:
    """``--format``: comma-separated names, or ``all`` (with the speaker formats, rttm and
    diarized_json, when diarizing); the default depends on where text goes."""
    if fmt is None:
        return ["txt"] if to_stdout else list(DEFAULT_FORMATS)
    names = [name.strip().lower() for name in fmt.split(",") if name.strip()]
    if "all" in names:
        return [name for name in FORMATS if diarized or name not in SPEAKER_FORMATS]
    unknown = [name for name in names if name not in WRITERS]
    if unknown or not names:
        raise click.BadParameter(f"'{', '.join(unknown) or fmt}' is not a format: choose from "
                                 f"{', '.join(FORMATS)}, or all", param_hint="--format")
    for name in names:
        if name in SPEAKER_FORMATS and not diarized:
            raise OptionError(f"--format {name} writes who spoke when: add --diarize", "format")
    return list(dict.fromkeys(names))


def safe_name(name: str) -> str:
    """A --name used as a file name: no folders, nothing hidden."""
    clean = Path(name).name.strip().lstrip(".")
    if not clean:
        raise click.BadParameter(f"'{name}' cannot name a file", param_hint="--name")
    return clean


def input_error(job: FilePlan) -> SeespeechError:
    """A problem found while planning: a missing input is unreadable audio (exit 3), as in
    every command; an output in the way is exit 2, as in every command; anything else exit 1."""
    problem = job.problem or ""
    if problem in ("no such file", NO_MATCH) or problem.startswith(("no audio file in this folder",
                                                                     "folder holds no audio")):
        return AudioError(job.source, problem)
    if problem.endswith(EXISTS):
        return OutputExistsError(problem.removesuffix(EXISTS))
    if "would overwrite the output of" in problem:
        return OptionError(f"{job.source}: {problem}", "output")
    return SeespeechError(f"{job.source}: {problem}")


def report_failure(job: FilePlan, exc: SeespeechError) -> None:
    message = str(exc) if str(exc).startswith(job.source) else f"{job.source}: {exc}"
    err_console.print(f"[bold red]✗[/] {escape(message)}", soft_wrap=True, highlight=False)


# ---------------------------------------------------------------- models


@main.group()
def models() -> None:
    """List the Whisper models and where their weights are."""


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def models_list(as_json: bool) -> None:
    """Packaged models: name, languages, size, source, installed or not."""
    from seespeech.models import list_models, task_models

    rows = list_models()
    if as_json:
        click.echo(json.dumps([vars(r) for r in rows] + task_models(), indent=2))
        return
    table = Table(title="Whisper models")
    for col in ("name", "languages", "size (MB)", "source (PyPI)", "installed"):
        table.add_column(col)
    for r in rows:
        table.add_row(r.name, r.languages, f"{r.size_mb:.0f}", r.source, "yes" if r.installed else "no")
    out_console().print(table)
    click.echo("Any CTranslate2 Whisper folder (--model DIR) or hub id (when online) works too.")
    others = Table(title="Other tasks (say, read, translate, describe)")
    for col in ("name", "task", "installed", "weights"):
        others.add_column(col)
    for row in task_models():
        others.add_row(row["id"], row["kind"], "yes" if row["installed"] else "no", escape(row["weights"]))
    out_console().print(others)


@models.command("path")
@click.argument("name")
def models_path(name: str) -> None:
    """Print the folder holding NAME's weights (joins packaged halves on first use)."""
    from seespeech.models import resolve_model

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
    from seespeech.speech.evaluate import evaluate_dataset, read_dataset

    try:   # a missing or unusable folder is a missing input (exit 3), said before any model loads
        datasets = [(folder, read_dataset(folder)) for folder in folders]
    except SeespeechError as exc:
        raise exc if exc.exit_code != 1 else InputError(str(exc)) from None
    ENGINES[engine_name].check(TranscribeOptions(vad=vad))
    engine = load_chosen_engine(engine_name, model, vlm_model, image_type, save_images, ctc_model=ctc_model)
    results = []
    with make_progress(as_json or quiet) as progress:
        for folder, clips in datasets:
            clips = clips[:limit] if limit else clips
            task = progress.add_task(str(folder)[-30:], total=len(clips), unit="clips")

            def run(path, language=None):
                options = ENGINES[engine_name].check(TranscribeOptions(language=language, vad=vad), engine.model_name)
                return engine.transcribe(path, options)

            results.append(
                evaluate_dataset(folder, run, engine.label, language, lambda r: progress.advance(task), clips=clips)
            )
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
        return evaluate_exit(results, quiet=True)
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
    evaluate_exit(results, quiet)


def evaluate_exit(results, quiet: bool) -> None:
    """Clips that could not be transcribed are inputs that failed: the scores are printed, and the
    exit code is 1 (errors.EXIT_CODES)."""
    failed, clips = sum(r.failed for r in results), sum(r.clips for r in results)
    if failed:
        if not quiet:
            err_console.print(f"seespeech: {failed} of {clips} clips failed", highlight=False)
        sys.exit(EXIT_FAILED)


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
    from seespeech.audio import probe, reopenable
    from seespeech.speech.compare import compare as run_compare

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
        return compare_exit(result)
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
    compare_exit(result)


def compare_exit(result) -> None:
    """compare is done when one engine gave text; when none did, that is said on one line and the
    exit code is their error's (when they share one), else 1."""
    from seespeech.cli.app import fail

    if any(row.text is not None for row in result.rows):
        return
    codes = {row.exit_code or 1 for row in result.rows}
    fail("no engine ran: " + "; ".join(f"{row.engine}: {row.error}" for row in result.rows),
         codes.pop() if len(codes) == 1 else 1)
