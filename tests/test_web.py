"""The web page in a real browser (Debian's Chromium through Playwright) against the real server.

Upload the demo clip, record from Chromium's fake microphone fed with a real clip,
upload a file that is not audio, and compare Whisper with the VLM engine on the demo clip. Screenshots of the results go to test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import wave
from contextlib import contextmanager
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


@contextmanager
def opened(browser, server, width: int = 1280, height: int = 900):
    """The page in a fresh browser context of the given viewport, loaded and ready."""
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=server.url)
    context.grant_permissions(["microphone"], origin=server.url)
    page = context.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    page.goto("/")
    page.wait_for_selector("#model option[value='base']", state="attached")  # the model list came from /v1/models
    try:
        yield page
    finally:
        context.close()
    assert not crashes, f"uncaught errors in the page: {crashes}"


@pytest.fixture
def page(browser, server):
    with opened(browser, server) as page:
        yield page


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


def not_audio(folder: Path) -> Path:
    fake = folder / "notes.wav"
    fake.write_text("this is a text file, not audio\n" * 20)
    return fake


def wait_for_error(page) -> str:
    page.wait_for_function("document.querySelector('#error').textContent.length > 0", timeout=JOB_TIMEOUT_MS)
    return page.locator("#error").text_content()


def assert_no_picture_result(page) -> None:
    """Nothing of an earlier result is left on the page: not hidden only, emptied."""
    assert page.locator("#result").is_hidden()
    assert page.locator("#transcript").text_content() == ""
    assert page.locator("#prompt").text_content() == ""
    assert page.locator("#language-out").text_content() == ""
    assert page.locator("#pictures img").count() == 0
    assert page.locator("#credits").text_content() == ""
    assert page.locator("#plan").text_content() == "" and page.locator("#plan-json").text_content() == ""
    assert page.get_attribute("#spectrogram", "src") is None
    assert page.locator("#downloads a").count() == 0


#: elements sticking out of the viewport, except inside a box that scrolls or clips them (a table, raw JSON)
OVERFLOW = """() => {
  const width = window.innerWidth;
  const clipped = (node) => {
    for (let up = node.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll("*")].filter((node) => {
    const box = node.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !clipped(node);
  }).map((node) => `${node.tagName.toLowerCase()}#${node.id}.${node.className}: ${Math.round(node.getBoundingClientRect().width)} px`);
  const form = document.querySelector("#form").getBoundingClientRect();
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
          form: [form.left, form.right], wide};
}"""


def assert_fits(page) -> None:
    """No sideways scrolling: the page, the form card and every element fit the viewport."""
    layout = page.evaluate(OVERFLOW)
    assert layout["scrollWidth"] <= layout["innerWidth"], layout
    left, right = layout["form"]
    assert left >= 0 and right <= layout["innerWidth"], layout
    assert not layout["wide"], layout


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
    page.click("#speak")   # the transcript read aloud (/v1/audio/speech)
    page.wait_for_function("document.querySelector('#speech').src && document.querySelector('#speech').duration > 1",
                           timeout=JOB_TIMEOUT_MS)
    assert page.locator("#speak-note").text_content() == ""

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
    fake = not_audio(tmp_path)
    page.set_input_files("#file", str(fake))
    page.click("#submit")
    page.wait_for_function("document.querySelector('#error').textContent.length > 0", timeout=15_000)
    message = page.locator("#error").text_content()
    assert "notes.wav" in message and "not an audio file" in message, message
    assert page.locator("#error").get_attribute("role") == "alert"
    assert page.locator("#result").is_hidden()
    assert page.locator("#submit").is_enabled()  # the page stays usable


def test_compare_engines(page, tmp_path):
    """Compare mode: Whisper and the VLM side by side on the demo clip, scored against a reference;
    then a file that is not audio, whose error replaces the comparison."""
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
    # every column readable without scrolling the table: six columns on a desktop, one block per engine on a phone
    table_fits = "w => w.scrollWidth <= w.clientWidth"
    assert page.eval_on_selector(".table-wrap", table_fits)
    page.set_viewport_size({"width": 390, "height": 844})
    assert_fits(page)
    assert page.eval_on_selector(".table-wrap", table_fits)
    assert whisper.locator("td.wer").text_content() == wer  # the same cells, laid out as a block
    page.screenshot(path=str(ARTIFACTS / "web-compare-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # issue 16.12: a failed comparison leaves nothing of the last one beside its error
    page.set_input_files("#file", str(not_audio(tmp_path)))
    page.click("#compare-submit")
    message = wait_for_error(page)
    assert "notes.wav" in message and "not an audio file" in message, message
    assert page.locator("#compare-result").is_hidden()
    assert page.locator("#compare-table tbody tr").count() == 0
    assert page.locator("#compare-meta").text_content() == ""
    assert page.locator("#compare-reference").text_content() == ""
    page.click("#mode-picture")
    page.click("#mode-compare")
    assert page.locator("#compare-result").is_hidden()


def test_compare_not_audio_shows_the_servers_message(page, tmp_path):
    """The compare call answers 400 for a file that is not audio: the message goes to the alert."""
    fake = not_audio(tmp_path)
    page.click("#mode-compare")
    page.set_input_files("#file", str(fake))
    page.click("#compare-submit")
    page.wait_for_function("document.querySelector('#error').textContent.length > 0", timeout=15_000)
    message = page.locator("#error").text_content()
    assert "notes.wav" in message and "not an audio file" in message, message
    assert page.locator("#compare-result").is_hidden() and page.locator("#spinner").is_hidden()
    assert page.locator("#compare-submit").is_enabled()


def test_failed_job_clears_the_previous_result(page, tmp_path):
    """Issue 16.12: after a failed job, the previous result is gone, never shown beside the error.

    Both ways a job fails: the upload is refused (not audio: 400) and the job fails while
    running (silence, as from a microphone that heard nothing: "no speech found")."""
    silence = tmp_path / "silence.wav"
    with wave.open(str(silence), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(bytes(2 * 16000 * 2))
    for bad, expected in [(not_audio(tmp_path), "not an audio file"), (silence, "no speech found")]:
        page.set_input_files("#file", str(DEMO))
        page.click("#submit")
        wait_for_result(page)
        assert page.locator("#result").is_visible() and "bird" in page.locator("#transcript").text_content()

        page.set_input_files("#file", str(bad))
        page.click("#submit")
        message = wait_for_error(page)
        assert bad.name in message and expected in message, message
        assert_no_picture_result(page)
        assert page.locator("#submit").is_enabled()
        # the picture mode has nothing to show, so a trip to the other mode and back shows nothing either
        page.click("#mode-compare")
        page.click("#mode-picture")
        assert_no_picture_result(page)


def test_phone_layout(browser, server, tmp_path):
    """Issue 16.13: at phone sizes (390 and 320 px wide) the page never scrolls sideways, with a result shown.

    The result is a real job on the demo clip uploaded under a long file name, then shown again
    by the page's own showResult() with a long unbroken word in the transcript, prompt and plan
    (a URL or a spelled-out name can be one), which must wrap."""
    long_name = tmp_path / ("recording_from_my_phone_on_the_balcony_" * 3 + "2024-06-01.flac")
    shutil.copy(DEMO, long_name)
    long_word = "https://example.org/" + "averyverylongwordwithoutanyspaces" * 4
    ARTIFACTS.mkdir(exist_ok=True)
    with opened(browser, server, 390, 844) as page:
        assert_fits(page)
        page.set_input_files("#file", str(long_name))
        assert long_name.name in page.locator("#chosen").text_content()
        assert_fits(page)
        page.click("#submit")
        wait_for_result(page)
        assert "bird" in page.locator("#transcript").text_content()
        assert_fits(page)

        job_id = re.search(r"/v1/jobs/([^/]+)/files/", page.get_attribute("#spectrogram", "src")).group(1)
        result = page.request.get(f"/v1/jobs/{job_id}").json()["result"]
        for transcript in (result["shown"], result["transcript"]):
            transcript["text"] += " " + long_word
        result["prompt"] += " " + long_word
        result["plans"][0]["unmatched"] = [*result["plans"][0].get("unmatched", []), long_word]
        page.evaluate("result => showResult(result)", result)
        page.wait_for_function("document.querySelector('#transcript').textContent.includes('https://')")
        page.wait_for_function(
            "[...document.querySelectorAll('#pictures img, #spectrogram')].every(img => img.complete && img.naturalWidth)")
        page.click("details:has(#plan-json) > summary")  # the raw plan open: its long lines scroll inside
        assert_fits(page)
        # the pictures scale down to the card
        for selector in ("#pictures img", "#spectrogram"):
            box = page.locator(selector).bounding_box()
            assert 0 <= box["x"] and box["x"] + box["width"] <= 390, (selector, box)
        page.screenshot(path=str(ARTIFACTS / "web-phone-390.png"), full_page=True)

        page.set_viewport_size({"width": 320, "height": 640})
        assert_fits(page)
        page.screenshot(path=str(ARTIFACTS / "web-phone-320.png"), full_page=True)
        page.click("#mode-compare")  # the compare form (two text areas) fits too
        assert_fits(page)
        page.click("#mode-picture")

        # the desktop look is kept: the form in a 360 px column, the result beside it
        page.set_viewport_size({"width": 1280, "height": 800})
        assert_fits(page)
        form = page.locator("#form").bounding_box()
        result_box = page.locator("#result").bounding_box()
        assert form["width"] == 360 and result_box["x"] > form["x"] + form["width"], (form, result_box)
        page.screenshot(path=str(ARTIFACTS / "web-desktop.png"), full_page=True)


def test_api_docs_render_offline(browser, server):
    """Swagger UI draws the API from the package's own files: this Chromium has no network, and
    any request off the server would fail."""
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server.url) else outside.append(request.url))
    try:
        page.goto("/docs")
        page.wait_for_selector(".opblock-summary-path[data-path='/v1/audio/transcriptions']", timeout=30_000)
        assert page.locator("button.authorize").count() == 1  # the API key scheme is declared
        page.screenshot(path=str(ARTIFACTS / "docs.png"))
    finally:
        context.close()
    assert outside == []


def test_live_captions_from_the_fake_microphone(browser, server):
    """Issue 19: live mode streams the microphone to /v1/realtime; the clip's words appear as a
    caption line while the page listens, and the line can become a picture."""
    ARTIFACTS.mkdir(exist_ok=True)
    with opened(browser, server) as page:
        page.click("#mode-live")
        assert page.locator("#mode-live").get_attribute("aria-pressed") == "true"
        assert page.locator("#audio-section").is_hidden() and page.locator("#submit").is_hidden()
        page.click("#live")
        page.wait_for_selector('#live[aria-pressed="true"]', timeout=10_000)   # after the microphone opens
        assert page.locator("#mode-picture").is_disabled()   # one thing at a time
        page.wait_for_selector("#captions li:not(.partial) .words", timeout=JOB_TIMEOUT_MS)
        heard = set(words(page.locator("#captions li:not(.partial) .words").first.text_content()))
        reference = set(words(reference_text(CLIP)))
        assert len(heard & reference) >= len(reference) / 2, (heard, reference)
        assert page.locator("#error").text_content() == ""
        page.locator("#captions button.draw").first.click()
        page.wait_for_selector("#captions img.caption-picture", timeout=JOB_TIMEOUT_MS)
        assert loaded(page, "#captions img.caption-picture")
        page.click("#live")
        assert page.locator("#live").get_attribute("aria-pressed") == "false"
        assert page.locator("#mode-picture").is_enabled()
        page.screenshot(path=str(ARTIFACTS / "web-live.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        assert_fits(page)
        page.screenshot(path=str(ARTIFACTS / "web-live-phone.png"), full_page=True)
