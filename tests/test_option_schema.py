"""One declaration per decoding option (speech/options.DecodingSchema): the library, the CLI and
the server refuse the same values, at the bounds the schema declares, with the same defaults."""

from __future__ import annotations

import httpx
import pytest

from conftest import DEMO, assert_one_line_error, run_cli
from seespeech import OptionError, TranscribeOptions
from seespeech.speech.options import DecodingSchema, bounds, default_of

#: option → (the CLI's flag, the server's form field, or None when the API has it under OpenAI's name)
SURFACES = {
    "beam_size": ("--beam-size", "beam_size"),
    "best_of": ("--best-of", "best_of"),
    "patience": ("--patience", "patience"),
    "temperature": ("--temperature", "temperature"),
    "temperature_increment": ("--temperature-increment-on-fallback", None),
    "batch_size": ("--batch-size", None),
}


def outside(name: str) -> list[float]:
    """Values just outside each declared bound."""
    b = bounds(name)
    step = 1 if DecodingSchema.model_fields[name].annotation is int else 0.5
    out = []
    if "ge" in b:
        out.append(b["ge"] - step)
    if "gt" in b:
        out.append(b["gt"])
    if "le" in b:
        out.append(b["le"] + step)
    return out


def test_every_option_of_the_schema_has_a_surface_and_bounds():
    assert set(SURFACES) == set(DecodingSchema.model_fields)
    for name in SURFACES:
        assert bounds(name), name
    assert TranscribeOptions().beam_size == default_of("beam_size") == 5
    assert TranscribeOptions().batch_size == default_of("batch_size")


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_library_refuses_outside_the_bounds(name):
    field = "temperature" if name == "temperature_increment" else name
    for value in outside(name):
        if name == "temperature_increment":
            continue   # the library takes a schedule; the CLI builds it from temperature + increment
        with pytest.raises(OptionError) as caught:
            TranscribeOptions(**{field: value}).validated()
        assert caught.value.param == field


def test_cli_refuses_the_same_values_before_any_model_loads():
    for name, (flag, _) in SURFACES.items():
        for value in outside(name):
            result = run_cli("transcribe", str(DEMO), flag, str(value), "-o", "-")
            assert result.returncode == 2, (flag, value, result.stderr)
            assert_one_line_error(result, flag)


def test_server_refuses_the_same_values(server):
    for name, (_, form) in SURFACES.items():
        if form is None:
            continue
        for value in outside(name):
            response = httpx.post(server.url + "/v1/audio/transcriptions", timeout=60,
                                  data={"model": "whisper-1", form: str(value)},
                                  files={"file": ("demo.flac", DEMO.read_bytes())})
            assert response.status_code == 400, (form, value, response.text)
            body = response.json()["error"]
            assert body["param"] == form, body


# ---------------------------------------------------------------- subtitles and pictures too

from seespeech.pictures.options import ImagineOptions, PictureSchema  # noqa: E402
from seespeech.speech.subtitles import SubtitleOptions, SubtitleSchema  # noqa: E402

#: (schema, option, the library's options class, CLI args before the flag, the flag, server (path, field, as JSON))
MORE = [
    (SubtitleSchema, "max_line_width", SubtitleOptions, ["transcribe", str(DEMO)], "--max-line-width",
     ("/v1/audio/transcriptions", "max_line_width", False)),
    (SubtitleSchema, "max_cue_seconds", SubtitleOptions, ["transcribe", str(DEMO)], "--max-cue-seconds",
     ("/v1/audio/transcriptions", "max_cue_seconds", False)),
    (SubtitleSchema, "max_words_per_line", SubtitleOptions, ["transcribe", str(DEMO)], "--max-words-per-line",
     ("/v1/audio/transcriptions", "max_words_per_line", False)),
    (PictureSchema, "count", ImagineOptions, ["imagine", "a red kite"], "--count", ("/v1/images/generations", "n", True)),
    (PictureSchema, "seed", ImagineOptions, ["imagine", "a red kite"], "--seed", ("/v1/images/generations", "seed", True)),
    (PictureSchema, "steps", ImagineOptions, ["imagine", "a red kite"], "--steps", ("/v1/images/generations", "steps", True)),
    (PictureSchema, "guidance", ImagineOptions, ["imagine", "a red kite"], "--guidance",
     ("/v1/images/generations", "guidance", True)),
]


def outside_of(schema, name: str) -> list[float]:
    b = schema.bounds(name)
    step = 1 if schema.is_int(name) else 0.25
    return [v for v in (b["ge"] - step if "ge" in b else None, b["le"] + step if "le" in b else None) if v is not None]


def test_subtitle_and_picture_options_are_refused_alike_everywhere(server, tmp_path):
    for schema, name, options_class, before, flag, (path, form, as_json) in MORE:
        for value in outside_of(schema, name):
            with pytest.raises(OptionError):
                options_class(**{name: value}).validated()
            result = run_cli(*before, flag, str(value), "-o", str(tmp_path) + "/")
            assert result.returncode == 2, (flag, value, result.stderr)
            if as_json:
                response = httpx.post(server.url + path, json={"prompt": "a red kite", form: value}, timeout=60)
            else:
                response = httpx.post(server.url + path, timeout=60, data={"model": "whisper-1", form: str(value)},
                                      files={"file": ("demo.flac", DEMO.read_bytes())})
            assert response.status_code == 400, (form, value, response.text)
            assert response.json()["error"]["param"] in (form, name), response.text


@pytest.fixture
def checks(monkeypatch):
    """Count the validations of options and the checks against an engine, on every path."""
    from seespeech.speech.engines.whisper import WhisperEngine

    counted = {"validate": 0, "engine": 0}
    validate, check = TranscribeOptions._validate, WhisperEngine.check_options.__func__

    def counting_validate(self):
        counted["validate"] += 1
        return validate(self)

    def counting_check(cls, options, model):
        counted["engine"] += 1
        return check(cls, options, model)

    monkeypatch.setattr(TranscribeOptions, "_validate", counting_validate)
    monkeypatch.setattr(WhisperEngine, "check_options", classmethod(counting_check))
    return counted


def test_a_request_is_checked_once_on_every_surface(checks, tmp_path):
    """Issue 33: one validation per request, and engines get the checked object (before, the
    library, CLI and server checked a request's options two or three times)."""
    import seespeech
    from fastapi.testclient import TestClient
    from seespeech.server import Settings, create_app

    seespeech.transcribe(DEMO, model="tiny.en", language="en")
    assert checks == {"validate": 1, "engine": 1}, "library"

    checks.update(validate=0, engine=0)
    result = run_cli("transcribe", str(DEMO), "--model", "tiny.en", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert checks == {"validate": 1, "engine": 1}, "CLI"

    checks.update(validate=0, engine=0)
    app = create_app(Settings(data_dir=tmp_path / "data", preload=False, workers=1, model="tiny.en"))
    with TestClient(app) as client, DEMO.open("rb") as audio:
        answer = client.post("/v1/audio/transcriptions", files={"file": ("demo.flac", audio, "audio/flac")},
                             data={"model": "whisper-1"})
    assert answer.status_code == 200, answer.text
    assert checks == {"validate": 1, "engine": 1}, "server"
