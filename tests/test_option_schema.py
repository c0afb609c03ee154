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
