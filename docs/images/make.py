"""Draw the charts shown in docs/how-to/make-a-chart.md, with the commands the page shows.

Run from the repository's root after a change that alters a chart:

    python docs/images/make.py

Each image is made by ``natosim plot`` with the arguments below plus ``--dpi 100`` (800 pixels
wide, to keep the repository small). tests/test_plot.py checks that the page shows each
command and that each image exists.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DPI = 100
COMMANDS = {
    "cdf.png": "natosim plot nato-2024-rutte -o cdf.png",
    "holdouts.png": "natosim plot nato-2024-rutte --kind holdouts -o holdouts.png",
    "tornado.png": (
        "natosim plot nato-2024-rutte-ranges --kind tornado --samples 4 "
        "-o tornado.png"
    ),
    "sweep.png": (
        "natosim plot nato-2024-rutte --kind sweep "
        "--vary members.HUN.demands.0.grant_rate=0:0.08:5 "
        "--vary dynamics.deadline_pressure=0,1,2 --measure by-washington-summit "
        "--trials 4096 -o sweep.png"
    ),
}
"""Image file → the command the page shows for it."""


def make(name: str, command: str) -> None:
    """Run ``command`` with its output redirected into docs/images/``name``."""
    args = shlex.split(command)[1:]
    args[args.index("-o") + 1] = str(Path("docs") / "images" / name)
    subprocess.run([sys.executable, "-m", "natosim", *args, "--dpi", str(DPI)], cwd=ROOT, check=True)


if __name__ == "__main__":
    for image, line in COMMANDS.items():
        make(image, line)
