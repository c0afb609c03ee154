"""Engines side by side (CLI, API, server), with the vlm engine on a tiny random model."""

import json

import httpx
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

import serverutil  # noqa: E402
import tiny_vlm  # noqa: E402
from seespeech.speech import ENGINES
from conftest import SPEECH_MISSING, SPEECH, run_cli  # noqa: E402
if SPEECH_MISSING:   # its module-level clips come from ../shared/speech
    pytest.skip(SPEECH_MISSING, allow_module_level=True)

from seespeech.speech.compare import compare  # noqa: E402
from seespeech.speech.evaluate import read_dataset  # noqa: E402

OFFLINE = {"SEESPEECH_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
CLIPS = read_dataset(SPEECH / "cathy_dev")[:2]


@pytest.fixture(scope="module")
def vlm_dir(tmp_path_factory):
    return tiny_vlm.build(tmp_path_factory.mktemp("vlm") / "tiny-smolvlm2")


def test_compare_api_measures_every_engine_or_says_why(vlm_dir):
    clip = CLIPS[0]
    result = compare(clip.path, ["whisper", "vlm", "ctc"], reference=clip.text, models={"vlm": str(vlm_dir)})
    rows = {r.engine: r for r in result.rows}
    assert result.reference_source == "given" and result.language == "en"
    assert rows["whisper"].wer is not None and rows["whisper"].wer <= 0.1 and rows["whisper"].seconds > 0
    assert rows["vlm"].text is not None and rows["vlm"].wer is not None and rows["vlm"].label.startswith("vlm:")
    assert rows["ctc"].text and rows["ctc"].wer is not None and rows["ctc"].label == "ctc:cathy"


@pytest.mark.slow   # ~19 s (two compare runs of every engine); the API test above keeps compare in the default tier
def test_cli_compare_table_and_json_without_vlm_weights(tmp_path):
    clip = CLIPS[1]
    result = run_cli("compare", str(clip.path), "--reference", clip.text, "--json", env=OFFLINE)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["engine"] for r in data["rows"]] == list(ENGINES)  # every engine of the table, by default
    assert list(ENGINES) == ["whisper", "ctc", "vlm", "moonshine"]
    whisper, vlm = data["rows"][0], data["rows"][2]
    assert whisper["engine"] == "whisper" and whisper["wer"] <= 0.1
    assert vlm["text"] is None and "no vision-language model weights" in vlm["error"]
    table = run_cli("compare", str(clip.path), "--engines", "whisper,vlm", env=OFFLINE)
    out = table.stdout.decode()
    assert table.returncode == 0 and "Whisper's text" in out and "not run" in out


@pytest.mark.slow   # ~20 s: the vlm engine's tiny model stays in the default tier through the server test
def test_cli_transcribe_and_evaluate_with_the_vlm_engine(vlm_dir, tmp_path):
    clip = CLIPS[0]
    result = run_cli("transcribe", str(clip.path), "--engine", "vlm", "--vlm-model", str(vlm_dir), "-f", "json",
                     "-o", str(tmp_path / "out"), "--save-images", str(tmp_path / "pictures"), env=OFFLINE)
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads((tmp_path / "out" / f"{clip.path.stem}.json").read_text())["text"], str)
    assert [p.name for p in (tmp_path / "pictures").iterdir()] == [f"{clip.path.stem}-spectrogram-000.png"]
    evaluated = run_cli("evaluate", str(SPEECH / "cathy_dev"), "--engine", "vlm", "--vlm-model", str(vlm_dir),
                        "--limit", "2", "--json", env=OFFLINE)
    assert evaluated.returncode == 0, evaluated.stderr
    report = json.loads(evaluated.stdout)[0]
    assert report["clips"] == 2 and report["model"].startswith("vlm:") and report["failed"] == 0
    missing = run_cli("transcribe", str(clip.path), "--engine", "vlm", "-o", str(tmp_path / "x"), env=OFFLINE)
    assert missing.returncode == 4 and "--vlm-model" in missing.stderr.decode()


@pytest.mark.slow   # a sweep or a long wait: make test-all (CI) runs it
def test_server_vlm_and_compare_endpoints(vlm_dir, tmp_path):
    clip = CLIPS[0]
    files = {"file": (clip.path.name, clip.path.read_bytes())}
    with serverutil.running(tmp_path / "data", "--vlm-model", str(vlm_dir), env=OFFLINE) as server:
        read = httpx.post(server.url + "/audio/transcriptions/vlm", files=files,
                          data={"image_type": "mfcc", "prompt": "Read the words."}, timeout=120)
        assert read.status_code == 200, read.text
        body = read.json()
        assert isinstance(body["text"], str) and body["image_type"] == "mfcc" and body["vlm_model"] == str(vlm_dir)
        both = httpx.post(server.url + "/audio/transcriptions/compare", files=files,
                          data={"reference": clip.text, "vlm_prompt": "Read the words."}, timeout=120)
        assert both.status_code == 200, both.text
        answer = both.json()
        assert answer["methods_compared"] == ["whisper", "vlm_spectrogram"]
        assert answer["wer"]["whisper"] <= 0.1 and answer["wer"]["vlm"] is not None
        assert set(answer["timings"]) == {"whisper", "vlm"} and isinstance(answer["vlm_transcription"], str)
        bad = httpx.post(server.url + "/audio/transcriptions/vlm", files=files, data={"image_type": "x-ray"})
        assert bad.status_code == 400 and bad.json()["error"]["param"] == "image_type"
        elsewhere = httpx.post(server.url + "/audio/transcriptions/vlm", files=files, data={"vlm_model": "/etc"})
        assert elsewhere.status_code == 404
        schema = httpx.get(server.url + "/openapi.json").json()
        assert {"/audio/transcriptions/vlm", "/audio/transcriptions/compare"} <= set(schema["paths"])
    # without weights: the vlm endpoint says so; compare still answers with Whisper and the reason
    with serverutil.running(tmp_path / "data2", env=OFFLINE) as server:
        read = httpx.post(server.url + "/audio/transcriptions/vlm", files=files, timeout=60)
        assert read.status_code == 404 and "no vision-language model weights" in read.json()["error"]["message"]
        both = httpx.post(server.url + "/audio/transcriptions/compare", files=files, timeout=120).json()
        assert both["traditional_stt"] and both["vlm_transcription"] is None and "vlm" in both["errors"]
        assert both["reference_source"] == "whisper" and both["wer"]["whisper"] == 0.0
