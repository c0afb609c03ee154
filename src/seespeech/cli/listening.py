"""listen: live speech from the microphone (or a file played at real-time speed) → words on
screen as they are said, a line per utterance, and a picture per utterance with --imagine."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from datetime import datetime
from pathlib import Path

import click

from seespeech.audio import SAMPLE_RATE
from seespeech.errors import AudioError, OptionError, SeespeechError, UnavailableError
from seespeech.files import save_image, write_atomic
from seespeech.transcript import Segment, Transcript
from seespeech.speech.writers import WRITERS
from seespeech.cli.app import err_console, main, model_options
from seespeech.cli.outputs import check_outputs, destination, format_of, input_name, output_help

#: blocks the microphone delivers (100 ms)
MIC_BLOCK_SECONDS = 0.1


def _clock(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes):02d}:{rest:04.1f}"


class Utterances:
    """The finished utterances: printed, appended to --output as they come (txt or srt)."""

    def __init__(self, output: Path | None, quiet: bool):
        self.output, self.quiet = output, quiet
        self.lines: list[tuple[float, float, str, datetime]] = []
        self.partial = ""
        self.lock = threading.Lock()
        self.live_line = err_console.is_terminal and not quiet

    def show_partial(self, text: str) -> None:
        with self.lock:
            self.partial += text
            if self.live_line:
                err_console.file.write("\r\x1b[2K… " + self.partial.strip()[-(err_console.width - 4):])
                err_console.file.flush()

    def add(self, start: float, end: float, text: str) -> None:
        with self.lock:
            self.partial = ""
            if self.live_line:
                err_console.file.write("\r\x1b[2K")
            if not text:
                return
            self.lines.append((start, end, text, datetime.now()))
            click.echo(f"[{_clock(start)} → {_clock(end)}] {text}")
            if self.output is not None:
                write_atomic(self.output, self.render())

    def render(self) -> str:
        if self.output is not None and self.output.suffix.lower() == ".srt":   # readable cues, as files get
            segments = [Segment(i, s, e, " " + t) for i, (s, e, t, _) in enumerate(self.lines)]
            return WRITERS["srt"].render(Transcript("", "en", 1.0, segments[-1].end if segments else 0.0,
                                                  segments))
        return "".join(f"{w:%Y-%m-%d %H:%M:%S} [{_clock(s)} → {_clock(e)}] {t}\n" for s, e, t, w in self.lines)


class Pictures:
    """--imagine: a numbered picture (and its plan) per finished utterance, drawn off the
    audio path so the words keep coming."""

    def __init__(self, folder: Path, quiet: bool):
        self.folder, self.quiet = folder, quiet
        self.count = 0
        self.jobs: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._draw, daemon=True)
        self.thread.start()

    def add(self, text: str) -> None:
        if text.strip():
            self.count += 1
            self.jobs.put((self.count, text))

    def close(self) -> None:
        self.jobs.put(None)
        self.thread.join()

    def _draw(self) -> None:
        from seespeech.pipeline import speech_to_image

        while (job := self.jobs.get()) is not None:
            number, text = job
            try:
                result = speech_to_image(text)
            except SeespeechError as exc:
                err_console.print(f"[yellow]no picture for utterance {number}:[/] {exc}", highlight=False)
                continue
            path = self.folder / f"listen-{number:03d}.png"
            save_image(result.images[0], path)
            write_atomic(path.with_suffix(".plan.json"), json.dumps(result.plans[0], indent=2, ensure_ascii=False)
                         + "\n")
            if not self.quiet:
                err_console.print(f"[green]drew[/] {path} ({result.prompt})", highlight=False)


def _microphone(device, blocks: queue.Queue):
    """Open the input device (16 kHz mono, or its own rate resampled); blocks go to ``blocks``."""
    try:
        import sounddevice
    except (ImportError, OSError):
        raise UnavailableError("microphone: PortAudio is not installed (apt install libportaudio2, or brew install "
                               "portaudio); to try without a microphone, use --from FILE") from None
    try:
        info = sounddevice.query_devices(device, kind="input")
    except (ValueError, sounddevice.PortAudioError) as exc:
        raise UnavailableError(f"microphone: no input device{'' if device is None else f' {device!r}'} ({exc}); "
                               "list them with --list-devices, or use --from FILE") from None
    rate = SAMPLE_RATE
    try:
        sounddevice.check_input_settings(device=device, samplerate=SAMPLE_RATE, channels=1, dtype="float32")
    except (ValueError, sounddevice.PortAudioError):
        rate = int(info["default_samplerate"])
    from seespeech.speech.live import Resampler

    resampler = Resampler(rate) if rate != SAMPLE_RATE else None

    def callback(indata, frames, when, status):
        block = indata[:, 0].copy()
        if resampler is not None:
            block = resampler((block.clip(-1, 1) * 32767).astype("<i2").tobytes())
        blocks.put(block)

    stream = sounddevice.InputStream(device=device, samplerate=rate, channels=1, dtype="float32",
                                     blocksize=int(rate * MIC_BLOCK_SECONDS), callback=callback)
    return stream, info["name"]


@main.command()
@click.option("--from", "source", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Play this audio file at real-time speed instead of listening to the microphone.")
@click.option("--speed", type=click.FloatRange(min=0.1, max=20), default=1.0, show_default=True,
              help="With --from: play this many times faster than real time.")
@click.option("--device", default=None, help="Input device: a number or part of a name (see --list-devices).")
@click.option("--list-devices", is_flag=True, help="List the audio input devices and exit.")
@model_options
@click.option("--seconds", type=click.FloatRange(min=0.5), default=None,
              help="A fixed window: record this long, transcribe it, print it, done.")
@click.option("--output", "-o", default=None, metavar="FILE|DIR|-",
              help=output_help("the utterances", "standard output only") + " Written as they finish: .txt (with "
              "wall-clock and audio times) or .srt; in a folder, --from's name (or listen) + .txt. The lines "
              "always print on standard output, so '-' adds nothing.")
@click.option("--overwrite", is_flag=True, help="Replace --output if it exists.")
@click.option("--imagine", "imagine_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="Draw each utterance: listen-001.png (+ .plan.json), … in DIR.")
@click.option("--threshold", type=click.FloatRange(0.05, 0.95), default=0.5, show_default=True,
              help="Speech probability that starts an utterance (Silero VAD).")
@click.option("--silence-ms", type=click.IntRange(100, 10000), default=500, show_default=True,
              help="Quiet this long ends an utterance.")
@click.option("--eagerness", type=click.Choice(["low", "medium", "high", "auto"]), default=None,
              help="End utterances by what was said too (OpenAI's semantic_vad), instead of --silence-ms: a "
                   "finished sentence ends after 0.2 s of quiet (0.4 s: low), an unfinished one waits 0.5 s (high), "
                   "0.8 s (medium, auto) or 1.5 s (low).")
@click.option("--quiet", "-q", is_flag=True, help="Only the utterances: no partial line, no status lines.")
def listen(source, speed, device, list_devices, model, language, seconds, output, overwrite, imagine_dir, threshold,
           silence_ms, eagerness, quiet):
    """Transcribe live speech: words appear while you talk, a line per utterance (Ctrl+C stops)."""
    from seespeech.speech.live import Completed, Delta, LiveTranscriber, TurnDetection, play_at_real_time
    from seespeech.speech import ENGINES, TranscribeOptions, load_engine, split_model

    if list_devices:
        return _list_devices()
    if source is not None and not source.is_file():   # a missing input is exit 3, as in every command
        raise AudioError(str(source), "no such file" if not source.exists() else "not a file")
    if device is not None and device.isdigit():
        device = int(device)
    where = destination(output, 1, "-o")
    if output is None or where.stdout:
        output = None
    elif where.file is not None:
        if format_of(output, {".txt": "txt", ".srt": "srt"}, None) is None:
            raise OptionError(f"-o {output}: a file of utterances ends in .txt or .srt (or give a folder)", "output")
        output = where.file
    else:
        output = where.path(input_name(str(source), 1) if source is not None else "listen", ".txt")
    if output is not None:
        check_outputs([(output, "listen")], overwrite)
    if imagine_dir is not None:
        imagine_dir.mkdir(parents=True, exist_ok=True)
        existing = sorted(imagine_dir.glob("listen-[0-9][0-9][0-9].png"))
        if existing and not overwrite:
            raise OptionError(f"{existing[0]} exists: choose another --imagine folder (or --overwrite)", "overwrite")
    blocks: queue.Queue = queue.Queue()
    stream = None
    if source is None:
        stream, device_name = _microphone(device, blocks)   # what cannot work is said before the model loads
    engine_name, model_name = split_model(model)
    options = ENGINES[engine_name].check(TranscribeOptions(language=language), model_name)
    with err_console.status("loading model…") if err_console.is_terminal and not quiet else contextlib.nullcontext():
        engine = load_engine(engine_name, model_name)
    transcript = Utterances(output, quiet)
    pictures = Pictures(imagine_dir, quiet) if imagine_dir is not None else None

    if seconds is not None:
        return _fixed_window(engine, options, source, stream, blocks, seconds, speed, transcript, pictures, quiet)

    def emit(event):
        if isinstance(event, Delta):
            transcript.show_partial(event.delta)
        elif isinstance(event, Completed):
            transcript.add(event.start, event.end, event.transcript)
            if pictures is not None:
                pictures.add(event.transcript)

    turns = TurnDetection(threshold, 300, silence_ms, type="semantic_vad" if eagerness else "server_vad",
                          eagerness=eagerness or "auto")
    live = LiveTranscriber(engine, options, emit, turns)
    if not quiet:
        what = str(source) if source is not None else f"the microphone ({device_name})"
        err_console.print(f"listening to {what} — Ctrl+C stops", highlight=False)
    try:
        if source is not None:
            from seespeech.audio import decode_blocks

            play_at_real_time(decode_blocks(str(source)), live.feed, speed=speed)
        else:
            with stream:
                while True:
                    live.feed(blocks.get())
    except KeyboardInterrupt:
        pass
    finally:
        live.close()
        if pictures is not None:
            pictures.close()
    if not quiet:
        written = f"; wrote {output}" if output is not None and transcript.lines else ""
        err_console.print(f"{len(transcript.lines)} utterance(s){written}", highlight=False)


def _fixed_window(engine, options, source, stream, blocks, seconds, speed, transcript, pictures, quiet):
    """--seconds: record a window, transcribe it as a file is, print it (and draw it)."""
    import numpy as np

    from seespeech.speech.live import play_at_real_time

    audio: list = []
    need = int(seconds * SAMPLE_RATE)
    if not quiet:
        err_console.print(f"recording {seconds:g} s…", highlight=False)
    if source is not None:
        from seespeech.audio import decode_blocks

        def take(block):
            audio.append(block)
            if sum(b.size for b in audio) >= need:
                raise _Enough

        try:
            play_at_real_time(decode_blocks(str(source)), take, speed=speed)
        except _Enough:
            pass
    else:
        with stream:
            while sum(b.size for b in audio) < need:
                audio.append(blocks.get())
    recording = np.concatenate(audio)[:need] if audio else np.zeros(0, np.float32)
    result = engine.transcribe(recording, options)
    transcript.add(0.0, recording.size / SAMPLE_RATE, result.text)
    if not result.text and not quiet:
        err_console.print("no speech in the window", highlight=False)
    if pictures is not None:
        pictures.add(result.text)
        pictures.close()


class _Enough(Exception):
    pass


def _list_devices() -> None:
    try:
        import sounddevice
    except (ImportError, OSError):
        raise UnavailableError("microphone: PortAudio is not installed (apt install libportaudio2)") from None
    found = [(i, d) for i, d in enumerate(sounddevice.query_devices()) if d["max_input_channels"] > 0]
    if not found:
        click.echo("no input devices")
    for index, dev in found:
        click.echo(f"{index:3d}  {dev['name']}  ({int(dev['default_samplerate'])} Hz)")
