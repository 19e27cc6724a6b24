"""The HTML report opens in a real browser (Debian's Chromium, headless) with its charts drawn.

Two real answers are analysed and stored through the CLI, the session is exported as HTML, and Chromium
loads the file: every image must decode (naturalWidth > 0, which a broken data URI never reaches), the
transcript and rubric evidence must be visible text, and the page must not try to load anything from
outside the file. A screenshot is kept in test-output/ for a human look.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.cli import main

pytestmark = pytest.mark.models

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
QUESTION = "beh-proud-project"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Chromium is not installed: run scripts/setup.sh --test (the README's test command does)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1000,2400", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_html_report_opens_in_a_browser_with_its_charts(
        home: Path, speech_dir: Path, tmp_path: Path, output_dir: Path, browser,  # type: ignore[no-untyped-def]
        capsys: pytest.CaptureFixture[str]) -> None:
    first = json.loads(_run(capsys, "analyze", str(speech_dir / "whisper_jfk.flac"), "--question", QUESTION,
                            "--save", "--no-llm", "--json"))
    second = json.loads(_run(capsys, "analyze", str(speech_dir / "mfa_cold_corpus.wav"), "--question",
                             QUESTION, "--save", "--no-llm", "--json"))
    sid = second["session_id"]
    assert sid != first["session_id"]
    report = tmp_path / "report.html"
    _run(capsys, "export", str(sid), "--format", "html", "-o", str(report))

    browser.get(report.as_uri())
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight, i.alt])")
    assert images, "the report has no chart"
    for complete, width, height, alt in images:
        assert complete and width > 300 and height > 200, f"chart {alt!r} did not render ({width}x{height})"
    shown = browser.find_element("tag name", "img").size
    assert shown["width"] > 300, "the chart is not laid out on the page"
    text = browser.find_element("tag name", "body").text
    assert f"Viva session {sid}" in text
    assert "acoustic" in text.lower()  # the transcript
    assert "Trends" in text and "2 analysed answers" in text
    # Everything is inside the file: no request ever leaves it (scripts, styles, images, fonts).
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)")
    assert all(r.startswith(("data:", "file:")) for r in resources), resources
    browser.save_screenshot(str(output_dir / "report-in-chromium.png"))
