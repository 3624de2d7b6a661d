"""The HTML report in a real browser: headless Chromium lays the page out at 1280, 375 and 320
pixels and nothing overflows sideways; the page's one script runs under its content policy;
the page prints to PDF on A4 and on Letter.

Skipped, saying why, when no Chromium is installed (Debian's ``chromium`` package; CI installs
it). A probe script, allowed by adding its hash to the page's policy, measures the layout after
load and writes its findings into the DOM that ``--dump-dom`` prints.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from natosim.cli import app

ROOT = Path(__file__).parent.parent
SCENARIO = ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)
PROBE = """\
window.addEventListener("load", function () {
  var root = document.documentElement, width = root.clientWidth, wide = [];
  document.querySelectorAll("body *").forEach(function (e) {
    if (e.closest(".scroll")) { return; }
    var box = e.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 0.5) {
      wide.push(e.tagName + "#" + (e.id || "") + "." + (e.getAttribute("class") || ""));
    }
  });
  parent.postMessage(JSON.stringify({
    clientWidth: width, scrollWidth: root.scrollWidth, wide: wide.slice(0, 10),
    buttons: document.querySelectorAll("th button").length
  }), "*");
});"""
FRAME = """\
<!DOCTYPE html>
<html><body style="margin: 0">
<iframe src="probe.html" style="width: WIDTHpx; height: 900px; border: 0"></iframe>
<script>
window.addEventListener("message", function (event) {
  var out = document.createElement("pre");
  out.id = "probe";
  out.textContent = event.data;
  document.body.appendChild(out);
});
</script>
</body></html>
"""
"""The page at a given width: an iframe is a viewport of its own, and headless Chromium will
not make a window narrower than 500 pixels."""
PAPER = {"A4": (595, 842), "Letter": (612, 792)}
"""Paper sizes in PDF points."""

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no headless Chromium: install Debian's chromium package (`apt-get install "
    "chromium`) to lay the HTML report out in a real browser",
)


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    command = [BROWSER or "chromium", "--headless", "--no-sandbox", "--disable-gpu"]
    command += ["--hide-scrollbars", "--no-first-run", "--disable-extensions", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    args = ["run", str(SCENARIO), "--trials", "4096", "--seed", "2024", "--workers", "1"]
    result = CliRunner().invoke(app, [*args, "--quiet", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def with_probe(page: Path, width: int) -> Path:
    """A frame ``width`` pixels wide around a copy of ``page`` whose policy lets the probe run."""
    digest = base64.b64encode(hashlib.sha256(PROBE.encode()).digest()).decode()
    text = page.read_text(encoding="utf-8")
    text = text.replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    text = text.replace("</body>", f"<script>{PROBE}</script>\n</body>", 1)
    page.with_name("probe.html").write_text(text, encoding="utf-8")
    frame = page.with_name(f"frame-{width}.html")
    frame.write_text(FRAME.replace("WIDTH", str(width)), encoding="utf-8")
    return frame


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_nothing_overflows_sideways(page: Path, width: int) -> None:
    result = chromium(
        f"--window-size={max(width, 500)},900",
        "--virtual-time-budget=5000",
        "--dump-dom",
        with_probe(page, width).as_uri(),
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, f"the probe did not run: {result.stderr[-2000:]}"
    layout = json.loads(html.unescape(found[1]))
    assert layout["clientWidth"] == width
    assert layout["scrollWidth"] <= width, layout
    assert layout["wide"] == [], layout
    assert layout["buttons"] > 0, "the page's own script did not run under its policy"


@pytest.mark.parametrize("paper", PAPER)
def test_the_page_prints(page: Path, paper: str) -> None:
    sized = page.with_name(f"print-{paper}.html")
    text = page.read_text(encoding="utf-8")
    sized.write_text(text.replace("</head>", f"<style>@page {{ size: {paper}; }}</style></head>"))
    pdf = page.with_name(f"report-{paper}.pdf")
    result = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", sized.as_uri())
    assert pdf.exists(), result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes, "no page in the PDF"
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {PAPER[paper]}
    assert 2 <= len(boxes) <= 12
