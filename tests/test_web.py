"""The web page in a real browser (Debian's Chromium through Playwright) against the real server.

Upload the demo clip, record from Chromium's fake microphone fed with a real clip,
upload a file that is not audio, and compare Whisper with the VLM engine on the demo clip. Screenshots of the results go to test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from conftest import DEMO, ROOT, SPEECH

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

ARTIFACTS = ROOT / "test-artifacts"
CLIP = SPEECH / "cathy_dev" / "arctic_a0011.flac"
#: long enough for the model and a picture on a busy 2-core machine
JOB_TIMEOUT_MS = 90_000
#: what the demo clip really says (demo.txt holds it too, with a trailing newline)
DEMO_REFERENCE = "There is a red bird sitting on a branch next to a small house, and the sun is shining."


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def reference_text(clip: Path) -> str:
    for line in (clip.parent / "transcripts.tsv").read_text().splitlines()[1:]:
        name, text = line.split("\t", 1)
        if name == clip.name:
            return text
    raise LookupError(clip.name)


def write_wav(clip: Path, target: Path) -> Path:
    """16-bit PCM mono WAV: what Chromium's fake audio capture reads."""
    from seespeech.audio import load_audio

    samples = load_audio(clip)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(pcm.tobytes())
    return target


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    wav = write_wav(CLIP, tmp_path_factory.mktemp("web") / "microphone.wav")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            # %noloop: the clip once, then silence, so the transcript is the clip and not a loop of it
            f"--use-file-for-fake-audio-capture={wav}%noloop",
        ])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    context.grant_permissions(["microphone"], origin=server.url)
    page = context.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    page.goto("/")
    page.wait_for_selector("#model option[value='base']", state="attached")  # the model list came from /v1/models
    yield page
    context.close()
    assert not crashes, f"uncaught errors in the page: {crashes}"


def wait_for_result(page) -> None:
    page.wait_for_function(
        "document.querySelector('#transcript').textContent.trim() || document.querySelector('#error').textContent",
        timeout=JOB_TIMEOUT_MS)
    assert page.locator("#error").text_content() == ""
    page.wait_for_function(
        "[...document.querySelectorAll('#pictures img, #spectrogram')]"
        ".every(img => img.hidden || (img.complete && img.naturalWidth > 0))")


def loaded(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


def test_upload_demo_clip(page):
    page.set_input_files("#file", str(DEMO))
    assert "demo.flac" in page.locator("#chosen").text_content()
    page.click("#submit")
    wait_for_result(page)

    assert "red bird" in " ".join(words(page.locator("#transcript").text_content()))
    assert "English (en)" in page.locator("#language-out").text_content()
    assert "bird" in page.locator("#prompt").text_content()
    assert page.locator("#pictures img").count() == 1
    assert loaded(page, "#pictures img")
    assert loaded(page, "#spectrogram")
    assert "bird" in page.locator("#plan").text_content()
    assert "100" in page.locator("#status").text_content()
    assert "OpenMoji" in page.locator("#credits").text_content()
    links = {a.text_content(): a.get_attribute("href") for a in page.locator("#downloads a").all()}
    assert {"Subtitles (SRT)", "Subtitles (VTT)", "Text (TXT)", "Picture 1 (PNG)"} <= set(links)
    srt = page.request.get(links["Subtitles (SRT)"])
    assert srt.ok and "red bird" in srt.text().lower()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-upload.png"), full_page=True)


def test_record_with_fake_microphone(page):
    page.select_option("#window", "5")
    page.click("#record")
    page.wait_for_function("document.querySelector('#record-info').textContent.includes('s left')")
    assert page.locator("#submit").is_disabled()  # not while recording
    # the fixed window stops the recording by itself
    page.wait_for_function("document.querySelector('#chosen').textContent.includes('recording.')", timeout=15_000)
    assert re.search(r"\b[45]\.\d s\b", page.locator("#chosen").text_content())
    page.click("#submit")
    wait_for_result(page)

    heard = set(words(page.locator("#transcript").text_content()))
    reference = set(words(reference_text(CLIP)))
    assert len(heard & reference) >= len(reference) / 2, (heard, reference)
    assert loaded(page, "#pictures img")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-record.png"), full_page=True)


def test_not_audio_shows_the_servers_message(page, tmp_path):
    fake = tmp_path / "notes.wav"
    fake.write_text("this is a text file, not audio\n" * 20)
    page.set_input_files("#file", str(fake))
    page.click("#submit")
    page.wait_for_function("document.querySelector('#error').textContent.length > 0", timeout=15_000)
    message = page.locator("#error").text_content()
    assert "notes.wav" in message and "not an audio file" in message, message
    assert page.locator("#error").get_attribute("role") == "alert"
    assert page.locator("#result").is_hidden()
    assert page.locator("#submit").is_enabled()  # the page stays usable


def test_compare_engines(page):
    """Compare mode: Whisper and the VLM side by side on the demo clip, scored against a reference."""
    page.click("#mode-compare")
    assert page.locator("#mode-compare").get_attribute("aria-pressed") == "true"
    assert page.locator("#submit").is_hidden() and page.locator("#engine").is_hidden()  # picture options go away
    page.set_input_files("#file", str(DEMO))
    page.select_option("#image-type", "spectrogram")
    page.fill("#reference", DEMO_REFERENCE)
    page.click("#compare-submit")
    # one synchronous request: a busy state until it answers
    page.wait_for_function("document.querySelector('#spinner').hidden === false || "
                           "document.querySelectorAll('#compare-table tbody tr').length > 0")
    page.wait_for_function(
        "document.querySelectorAll('#compare-table tbody tr').length || document.querySelector('#error').textContent",
        timeout=JOB_TIMEOUT_MS)
    assert page.locator("#error").text_content() == ""
    assert page.locator("#spinner").is_hidden() and page.locator("#compare-submit").is_enabled()
    assert page.locator("#result").is_hidden()  # the picture result belongs to the other mode

    whisper = page.locator("#compare-table tbody tr[data-engine='whisper']")
    vlm = page.locator("#compare-table tbody tr[data-engine='vlm']")
    assert whisper.locator("th").text_content() == "whisper"
    assert "red bird" in " ".join(words(whisper.locator("td.text").text_content()))
    wer = whisper.locator("td.wer").text_content()
    assert re.fullmatch(r"\d+\.\d %", wer) and float(wer.split()[0]) <= 10, wer
    assert re.fullmatch(r"\d+\.\d %", whisper.locator("td.cer").text_content())
    assert float(whisper.locator("td.seconds").text_content()) > 0
    assert "base" in whisper.locator("td.model").text_content()

    assert vlm.locator("th").text_content() == "vlm (spectrogram)"
    note = vlm.locator("td.text .note")
    assert "no vision-language model weights" in note.text_content(), note.text_content()
    assert vlm.locator("td.wer").text_content() == "—"
    assert "your reference" in page.locator("#compare-reference").text_content()
    assert "near chance" in page.locator("#compare-result").text_content()

    # back to the picture mode and again: each mode keeps its own view
    page.click("#mode-picture")
    assert page.locator("#compare-result").is_hidden() and page.locator("#submit").is_visible()
    assert page.locator("#status").text_content() == "Ready."
    page.click("#mode-compare")
    assert page.locator("#compare-result").is_visible()
    assert page.locator("#status").text_content().startswith("Compared in")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-compare.png"), full_page=True)


def test_compare_not_audio_shows_the_servers_message(page, tmp_path):
    """The compare call answers 400 for a file that is not audio: the message goes to the alert."""
    fake = tmp_path / "notes.wav"
    fake.write_text("this is a text file, not audio\n" * 20)
    page.click("#mode-compare")
    page.set_input_files("#file", str(fake))
    page.click("#compare-submit")
    page.wait_for_function("document.querySelector('#error').textContent.length > 0", timeout=15_000)
    message = page.locator("#error").text_content()
    assert "notes.wav" in message and "not an audio file" in message, message
    assert page.locator("#compare-result").is_hidden() and page.locator("#spinner").is_hidden()
    assert page.locator("#compare-submit").is_enabled()
