"""Speech → picture from real audio, through the Python API and the CLI."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import DEMO, SPEECH, assert_one_line_error, run_cli
from seespeech import AudioError, speech_to_image

REQUESTS = Path(__file__).parent / "data" / "requests"

#: clip → (objects by noun: count, relations (subject, relation, object), place, time)
EXPECTED = {
    "cats_table_night": ({"cat": 2, "table": 1}, [("cat", "under", "table")], None, "night"),
    "ship_lighthouse": ({"ship": 1, "lighthouse": 1}, [("ship", "beside", "lighthouse")], "sea", "day"),
    "snowman_house": ({"snowman": 1, "house": 1}, [("snowman", "in front of", "house")], None, "day"),
    "birds_lake": ({"bird": 3}, [], "lake", "day"),
}


def summary(plan):
    objects = {}
    for o in plan["objects"]:
        if o.get("role") == "setting":   # a lake the stage draws is not a thing said to be drawn
            continue
        objects[o["noun"]] = objects.get(o["noun"], 0) + len(o["boxes"])
    relations = [(r["subject_word"], r["relation"], r["object_word"]) for r in plan["relations"] if r["holds"]]
    return objects, relations


@pytest.mark.parametrize("clip", sorted(EXPECTED))
def test_spoken_requests_give_the_expected_plans(clip):
    result = speech_to_image(REQUESTS / f"{clip}.flac")
    said = (REQUESTS / f"{clip}.txt").read_text().strip()
    assert result.transcript.language == "en" and result.translation is None
    assert result.transcript.text.strip()
    # the request phrasing is gone, the scene is what is drawn
    for request in ("could you", "draw", "picture of", "i'd like", "please", "um"):
        assert request not in result.prompt.lower(), (said, result.prompt)
    objects, relations, place, time = EXPECTED[clip]
    got_objects, got_relations = summary(result.plan)
    assert got_objects == objects, (result.prompt, result.plan)
    assert set(relations) <= set(got_relations), (result.prompt, result.plan["relations"])
    if place:
        assert result.plan["setting"]["place"] == place
    assert result.plan["setting"]["time"] == time
    assert result.plan["unmatched"] == []
    assert result.images[0].size == (512, 512)
    assert set(result.timings) == {"transcribe", "imagine"}


def test_demo_clip_gives_a_red_bird_on_a_branch_next_to_a_house():
    result = speech_to_image(DEMO, seed=0)
    objects, relations = summary(result.plan)
    assert objects == {"bird": 1, "branch": 1, "house": 1, "sun": 1}
    assert ("bird", "on", "branch") in relations
    bird = next(o for o in result.plan["objects"] if o["noun"] == "bird")
    assert bird["colour"] == "red" and bird["asset"]["source"] == "openmoji"


def test_non_english_speech_is_translated_before_drawing():
    clip = next((SPEECH / "multilingual").glob("mls_es_*.flac"))
    result = speech_to_image(clip)
    assert result.transcript.language == "es"
    assert result.translation is not None and result.translation.task == "translate"
    assert result.prompt == result.translation.text.strip().rstrip(".") or result.prompt in result.translation.text
    # the prompt is English: mostly ASCII words a reader of English knows
    assert sum(w in result.prompt.lower().split() for w in ("the", "a", "and", "of", "to", "in", "was")) >= 2


def test_english_only_model_refuses_to_translate_with_a_clear_message():
    clip = next((SPEECH / "multilingual").glob("mls_es_*.flac"))
    with pytest.raises(Exception, match="cannot translate|English"):
        speech_to_image(clip, model="tiny.en", language="es")


def test_text_skips_transcription():
    result = speech_to_image("Could you draw a green car to the left of a yellow bus?")
    assert result.transcript is None and "transcribe" not in result.timings
    assert result.prompt == "A green car to the left of a yellow bus"
    assert summary(result.plan)[1] == [("car", "left of", "bus")]


def test_silence_has_nothing_to_draw(tmp_path):
    from signals import SR, silence

    with pytest.raises(AudioError, match="no speech"):
        speech_to_image(silence(5.0))
    assert SR == 16000


def test_cli_imagine_from_audio_writes_picture_and_plan(tmp_path):
    result = run_cli("imagine", str(REQUESTS / "cats_table_night.flac"), "--plan", "plan.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "said (en):" in out and "drawing:" in out
    with Image.open(tmp_path / "cats_table_night.png") as png:
        assert png.size == (512, 512)
        assert "CC BY-SA 4.0" in png.text["Copyright"]
        assert json.loads(png.text["seespeech:plan"]) == json.loads((tmp_path / "plan.json").read_text())
    # nothing the user has is overwritten without --overwrite
    again = run_cli("imagine", str(REQUESTS / "cats_table_night.flac"), cwd=tmp_path)
    assert_one_line_error(again, "cats_table_night.png exists", "--overwrite")
    assert again.returncode == 2   # an output in the way: exit 2 in every command (issue 32, item 6)


def test_cli_imagine_text_several_pictures_and_json(tmp_path):
    result = run_cli("imagine", "a kite in the sky above a boy", "-n", "2", "--size", "320x240", "--seed", "7",
                     "--json", "-o", "kite.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pictures"] == ["kite-1.png", "kite-2.png"] and data["transcript"] is None
    assert [p["seed"] for p in data["plans"]] == [7, 8]
    images = [np.asarray(Image.open(tmp_path / p)) for p in data["pictures"]]
    assert images[0].shape == (240, 320, 3) and not np.array_equal(images[0], images[1])


@pytest.mark.parametrize("args, code, fragments", [
    (["no/such/file.wav"], 3, ["no such file"]),  # exit 3 for a missing input, as in every command
    (["a dog", "--size", "12x12"], 2, ["--size", "between 64 and 2048"]),
    (["a dog", "--size", "big"], 2, ["--size", "512x512"]),
    (["a dog", "--count", "0"], 2, ["--count"]),
    (["a dog", "--engine", "crayons"], 2, ["--engine"]),
    (["a dog", "--engine", "diffusion", "--image-model", "./no/such/pipeline"], 4, ["no such model folder"]),
])
def test_cli_imagine_bad_input(tmp_path, args, code, fragments):
    result = run_cli("imagine", *args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert_one_line_error(result, *fragments)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_cli_diffusion_without_weights_says_what_to_do(tmp_path):
    result = run_cli("imagine", "a dog", "--engine", "diffusion", cwd=tmp_path,
                     env={"SEESPEECH_OFFLINE": "1", "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 4
    assert_one_line_error(result, "no text-to-image weights ship", "--image-model DIR", "--engine compose")
