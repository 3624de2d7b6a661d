"""Screenshots of the HTML report shown in README.md and docs/reading-the-report.md.

Run from the repository's root after a change that alters the page (needs Debian's
``chromium``):

    python docs/images/make_html_shots.py

The page is made by the command in :data:`COMMAND`, then headless Chromium takes the top of it
at 1280 and at 375 pixels wide. The images are reduced to 64 colours to keep the repository
small. tests/test_html_browser.py checks the layout itself at these widths.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent.parent
COMMAND = "natosim run nato-2024-rutte --format html -o report.html"
SHOTS = {"html-report-1280.png": (1280, 1400), "html-report-375.png": (375, 1500)}
"""Image file → width and height of the window, in CSS pixels."""


def make_page(folder: Path) -> Path:
    """Run :data:`COMMAND` from the root, writing the page into ``folder``."""
    args = shlex.split(COMMAND)[1:]
    page = folder / "report.html"
    args[args.index("-o") + 1] = str(page)
    subprocess.run([sys.executable, "-m", "natosim", *args, "--quiet"], cwd=ROOT, check=True)
    return page


def shoot(page: Path, name: str, size: tuple[int, int]) -> None:
    """A screenshot of ``page`` in a window of ``size``, saved as docs/images/``name``."""
    browser = shutil.which("chromium") or "chromium"
    out = ROOT / "docs" / "images" / name
    subprocess.run(
        [
            *(browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"),
            f"--window-size={size[0]},{size[1]}",
            f"--screenshot={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    Image.open(out).convert("RGB").quantize(64).save(out, optimize=True)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        report = make_page(Path(folder))
        for image, window in SHOTS.items():
            shoot(report, image, window)
