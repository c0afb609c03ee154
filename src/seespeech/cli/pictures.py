"""Picture commands: show (the audio drawn), imagine (what was said drawn), demo (both)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from seespeech.errors import AudioError, OptionError, SeespeechError
from seespeech.files import save_image, write_atomic
from seespeech.speech.writers import DEFAULT_FORMATS, WRITERS
from seespeech.cli.app import DEMO_CLIP, main, make_progress, model_options, schema_option
from seespeech.pictures.options import PictureSchema
from seespeech.cli.outputs import STDOUT, check_outputs, destination, input_name, output_help, run_each, write_stdout


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
@click.argument("audio", nargs=-1, required=True)
@click.option("--kind", "-k", type=click.Choice(["spectrogram", "mel", "waveform", "mfcc", "whisper-mel"]),
              default="spectrogram", show_default=True)
@click.option("--style", "-s", type=click.Choice(["figure", "raw"]), default="figure", show_default=True,
              help="figure: axes, colour bar and title, for people; raw: only the data, for models.")
@click.option("--window", "-w", callback=parse_seconds, default=None, metavar="DURATION",
              help="One picture per window (10s, 500ms, 2min); needed for figures of over a minute.")
@click.option("--output", "-o", default=None, metavar="DIR|FILE|-",
              help=output_help("the pictures", "the current folder, AUDIO's name + kind: talk.mel.png") +
              " Windows get -001, -002, … suffixes.")
@click.option("--overwrite", is_flag=True, help="Replace existing pictures.")
@click.option("--quiet", "-q", is_flag=True, help="No 'wrote …' line.")
def show(audio, kind, style, window, output, overwrite, quiet):
    """Draw AUDIO (files, or '-') as pictures: spectrogram, mel, waveform, MFCC or Whisper's log-mel."""
    from seespeech.files import png_bytes
    from seespeech.speech.spectrogram import render, save

    if audio.count(STDOUT) > 1:
        raise click.UsageError("'-' (standard input) can be given once")
    where = destination(output, len(audio), "-o")
    written: set[Path] = set()

    def draw(source: str) -> None:
        if source != STDOUT and not Path(source).exists():
            raise AudioError(source, "no such file")
        images = render(source, kind=kind, style=style, window=window)
        images = images if isinstance(images, list) else [images]
        if where.stdout:
            if len(images) > 1:
                raise OptionError(f"-o - (standard output) takes one picture and --window makes {len(images)}: "
                                  "give a folder (-o DIR)", "output")
            return write_stdout(png_bytes(images[0]))
        base = where.path(input_name(source, len(audio)), f".{kind}.png")
        paths = [base] if len(images) == 1 else [
            base.with_name(f"{base.stem}-{i:03d}{base.suffix or '.png'}") for i in range(1, len(images) + 1)
        ]
        if written & {p.resolve() for p in paths}:
            raise OptionError(f"{source}: its picture {paths[0]} is another input's: give the inputs different "
                              "names, or draw them into different folders", "output")
        check_outputs([(p, source) for p in paths], overwrite)
        for image, path in zip(images, paths):
            save(image, path)
        written.update(p.resolve() for p in paths)
        if not quiet:
            click.echo("wrote " + (str(paths[0]) if len(paths) == 1 else
                                   f"{len(paths)} pictures: {paths[0]} … {paths[-1]}"))

    run_each(audio, draw)


# ---------------------------------------------------------------- imagine


def parse_size_option(ctx, param, value):
    if value is None:
        return None
    from seespeech.pictures import parse_size

    try:
        return parse_size(value)
    except SeespeechError as exc:
        raise click.BadParameter(str(exc)) from None


def numbered(base: Path, count: int, suffix: str = ".png") -> list[Path]:
    """out.png, or out-1.png … out-N.png for several pictures (plans are numbered alike)."""
    if count == 1:
        return [base]
    return [base.with_name(f"{base.stem}-{i}{base.suffix or suffix}") for i in range(1, count + 1)]


def imagine_targets(output: Path | None, plan_path: Path | None, count: int) -> tuple[list[Path], list[Path]]:
    """The pictures (none: standard output) and plans one input makes."""
    paths = numbered(output, count) if output is not None else []
    plan_paths = numbered(plan_path, count, ".json") if plan_path else []
    if len(set(p.resolve() for p in paths + plan_paths)) != len(paths + plan_paths):
        raise click.UsageError("--plan must differ from the picture path")
    return paths, plan_paths


def run_imagine(source, output: Path | None, plan_path: Path | None, overwrite: bool, quiet: bool, as_json: bool,
                **kwargs):
    """Shared by ``imagine`` and ``demo``: speech or text → pictures (+ plan) on disk, or the
    one picture on standard output (``output`` None)."""
    from seespeech.files import png_bytes
    from seespeech.pipeline import speech_to_image

    count = kwargs.get("count", 1)
    paths, plan_paths = imagine_targets(output, plan_path, count)
    check_outputs([(p, str(source)) for p in paths + plan_paths], overwrite)
    quiet = quiet or output is None   # standard output holds the picture
    with make_progress(quiet or as_json) as progress:
        tasks: dict[str, int] = {}

        def on_progress(stage, done, total):
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total, unit="s" if stage == "transcribe" else "steps")
            progress.update(tasks[stage], completed=round(done, 1), total=round(total, 1) if total else None)

        result = speech_to_image(source, progress=on_progress, **kwargs)
    if output is None:
        write_stdout(png_bytes(result.images[0]))
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
            labelled = bool(result.plans and any(o.get("placeholder") for plan in result.plans
                                                  for o in plan.get("objects", [])))
            click.echo(f"no picture for: {', '.join(unmatched)} "
                       f"({'drawn as labelled cards' if labelled else 'left out; --labels draws them as cards'})")
        wrote = ", ".join(str(p) for p in paths + plan_paths)
        click.echo(f"wrote {wrote}")
    return result, paths


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="AUDIO_OR_TEXT...")
@click.option("--output", "-o", default=None, metavar="DIR|FILE|-",
              help=output_help("the pictures", "the current folder: AUDIO's name + .png, picture.png for a text, "
                                               "a text's first words for several") +
              " --count's pictures get -1, -2, … suffixes.")
@click.option("--plan", "plan_path", default=None, metavar="DIR|FILE",
              help="Also write the plan: one JSON object per picture (word → asset, box, colour; unmatched "
                   "words), by -o's rule (a folder: the picture's name + .plan.json); --count's plans get "
                   "-1, -2, … suffixes like the pictures.")
@click.option("--engine", "-e", type=click.Choice(["compose", "diffusion"]), default="compose", show_default=True,
              help="compose: offline clip-art scenes; diffusion: Stable Diffusion via diffusers (extra + weights).")
@click.option("--image-model", default=None, metavar="DIR|HUB_ID",
              help="diffusion model folder or hub id [default: stabilityai/sd-turbo].")
@schema_option("--seed", field="seed", schema=PictureSchema)
@click.option("--size", callback=parse_size_option, default=None, metavar="WxH",
              help="Picture size, e.g. 512x512 [default: 512x512 or the model's].")
@schema_option("--count", "-n", field="count", schema=PictureSchema,
               help="Pictures to make: each another take (another variant of the place, order, side).")
@schema_option("--steps", field="steps", schema=PictureSchema)
@schema_option("--guidance", field="guidance", schema=PictureSchema)
@click.option("--negative-prompt", default=None, help="diffusion: what not to draw.")
@click.option("--tiny-vae", is_flag=True, help="diffusion: decode with TAESD (faster, a little softer).")
@click.option("--labels", is_flag=True,
              help="compose: draw things that have no picture as labelled cards (default: list them, unmatched).")
@model_options
@click.option("--no-translate", is_flag=True, help="Draw from the original words even when not English.")
@click.option("--overwrite", is_flag=True, help="Replace existing pictures and plan.")
@click.option("--json", "as_json", is_flag=True, help="Print the result (transcript, prompt, plans) as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary lines.")
def imagine(sources, output, plan_path, engine, image_model, seed, size, count, steps, guidance, negative_prompt,
            tiny_vae, labels, model, language, no_translate, overwrite, as_json, quiet):
    """Draw what each AUDIO_OR_TEXT says: speech (a file or '-') or an English description."""
    from seespeech.pipeline import looks_like_text

    if sources.count(STDOUT) > 1:
        raise click.UsageError("'-' (standard input) can be given once")
    where = destination(output, len(sources), "-o")
    plans = destination(plan_path, len(sources), "--plan") if plan_path is not None else None
    if where.stdout and (count > 1 or as_json):
        raise OptionError("-o - (standard output) takes one picture: not with --count over 1 or --json; give a "
                          "folder (-o DIR) or a file", "output")
    if plans is not None and plans.stdout:
        raise OptionError("--plan -: --json prints the plans; give --plan a file or a folder", "plan")
    texts = {source: looks_like_text(source) for source in sources}
    for source in sources:   # a missing input is said before any model loads (one input: exit 3)
        if len(sources) == 1 and not texts[source] and source != STDOUT and not Path(source).exists():
            raise AudioError(source, "no such file (give an audio file, '-', or a description in quotes)")

    def name(source: str) -> str:
        if len(sources) == 1 and (texts[source] or source == STDOUT):
            return "picture"
        return input_name(source, len(sources), text=texts[source])

    jobs = [(source, where.path(name(source), ".png"),
             plans.path(name(source), ".plan.json") if plans is not None else None) for source in sources]
    claimed = [(p, source) for source, out, plan in jobs for p in sum(imagine_targets(out, plan, count), [])]
    check_outputs(claimed, overwrite)   # two inputs' pictures in one file, or one there already: before any drawing
    width, height = size or (None, None)

    def draw(job) -> None:
        source, out, plan = job
        if not texts[source] and source != STDOUT and not Path(source).exists():
            raise AudioError(source, "no such file (give an audio file, '-', or a description in quotes)")
        run_imagine(
            source, out, plan, overwrite, quiet, as_json, engine=engine, image_model=image_model,
            model=model, language=language, translate=not no_translate,
            seed=seed, width=width, height=height, count=count, steps=steps, guidance=guidance,
            negative_prompt=negative_prompt, tiny_vae=tiny_vae, labels=labels,
        )

    run_each(jobs, draw)


# ---------------------------------------------------------------- demo


@main.command()
@click.option("--output-dir", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
              show_default=True)
@click.option("--model", "-m", default=None, metavar="NAME|DIR", help="Whisper model [default: base].")
def demo(output_dir: Path, model: str | None) -> None:
    """The main job on the embedded defaults: the shipped clip → transcripts, its mel picture,
    and a picture of what it says (with its plan)."""
    from seespeech.speech.spectrogram import render, save
    from seespeech.speech import TranscribeOptions, load_engine

    engine = load_engine("whisper", model)
    transcript = engine.transcribe(DEMO_CLIP, TranscribeOptions())
    for name in DEFAULT_FORMATS:   # what transcribe writes by default
        write_atomic(output_dir / f"demo{WRITERS[name].extension}", WRITERS[name].render(transcript))
    click.echo(f"{DEMO_CLIP.name} ({transcript.duration:.1f} s, language {transcript.language}, "
               f"p={transcript.language_probability:.2f}):")
    click.echo(f"  {transcript.text}")
    mel = output_dir / "demo.mel.png"
    save(render(DEMO_CLIP, kind="mel", title=f"“{transcript.text}”"), mel)
    written = [str(output_dir / ("demo" + WRITERS[name].extension)) for name in DEFAULT_FORMATS] + [str(mel)]
    click.echo(f"wrote {', '.join(written)}")
    # the demo's outputs are its own: rewritten on every run
    run_imagine(transcript.text, output_dir / "demo.png", output_dir / "demo.plan.json", True, False, False)
