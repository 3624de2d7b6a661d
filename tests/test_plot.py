"""Charts: every kind renders to PNG, SVG and PDF with its title and caption, through the CLI too.

Each chart is drawn from a small run of a scenario made for the purpose, then checked as a
file: its format's header, a plausible size, the title and caption in the text of an SVG and
in each format's metadata.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from natosim.cli import app
from natosim.errors import UserError
from natosim.model.prepared import Prepared, prepare
from natosim.output.plot.cdf import cdf_chart
from natosim.output.plot.common import Chart, save_chart
from natosim.output.plot.holdouts import holdouts_chart
from natosim.output.plot.sweep import sweep_chart
from natosim.output.plot.tornado import tornado_chart
from natosim.results.measures import choose_measures
from natosim.results.precision import simulate
from natosim.studies.sensitivity import analyse, pick_measure
from natosim.studies.sweep import parse_vary, run_sweep

TRIALS = 1000
SCENARIO = """\
name: A chart test
start: 2030-01-07
end: 2030-06-30
deadlines:
  - {name: Summit, date: 2030-03-04, pressure: 2.0}
  - {name: Term ends, date: 2030-05-06, hard: true}
candidates:
  berg: {name: Anna Berg, home: DEU}
  cruz: {name: Ana Cruz, home: ESP, withdraws: {rate: 0.1, endorses: berg}}
defaults:
  stance: {berg: {support: 0.5, acquiesce: 0.5}, cruz: acquiesce}
members:
  HUN: {stance: {berg: object}, lift_rate: {low: 0.02, high: 0.2}}
  ESP: {stance: {berg: object}, lift_rate: 0.0}
  TUR: {stance: {berg: {object: {low: 0.2, high: 0.8}, acquiesce: 0.5}}}
simulation: {seed: 11}
outcome: {appointed: berg, date: 2030-03-01}
"""
HEADERS = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF-"}


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plot") / "chart.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def prepared(scenario_file: Path) -> Prepared:
    return prepare(scenario_file)


@pytest.fixture(scope="module")
def charts(prepared: Prepared) -> dict[str, Chart]:
    report = simulate(prepared, TRIALS, workers=1)
    measure = pick_measure(prepared.model, None)
    sensitivity = analyse(prepared.loaded, measure, "morris", 2, TRIALS, workers=1)
    vary = [parse_vary("members.HUN.lift_rate=0:0.2:3")]
    sweep = run_sweep(prepared, vary, TRIALS, workers=1)
    return {
        "cdf": cdf_chart(report, prepared.loaded.scenario.outcome.date),  # type: ignore[union-attr]
        "holdouts": holdouts_chart(report),
        "tornado": tornado_chart(sensitivity),
        "sweep": sweep_chart(sweep, choose_measures(prepared.model, ["berg", "by-summit"])),
    }


@pytest.mark.parametrize("kind", ["cdf", "holdouts", "tornado", "sweep"])
@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_every_chart_saves_with_its_title_and_caption(
    charts: dict[str, Chart], kind: str, suffix: str, tmp_path: Path
) -> None:
    chart = charts[kind]
    path = tmp_path / f"{kind}.{suffix}"
    save_chart(chart, path)
    data = path.read_bytes()
    assert data.startswith(HEADERS[suffix])
    assert len(data) > 10_000
    assert "seed 11 · natosim" in chart.caption
    assert f"{TRIALS:,} trials" in chart.caption
    if suffix == "png":
        text = Image.open(path).text  # type: ignore[attr-defined]
        assert (text["Title"], text["Description"]) == (chart.title, chart.caption)
        assert Image.open(path).size[0] == 1200  # 8 inches at 150 dpi
    elif suffix == "svg":
        svg = data.decode("utf-8")
        assert f"<dc:title>{chart.title}</dc:title>" in svg
        assert "A chart test" in svg and "seed 11" in svg  # drawn as text, not as paths
    else:
        assert b"/Title (A chart test)" in data
        assert b"/Subject" in data


def test_svg_files_are_repeatable(charts: dict[str, Chart], tmp_path: Path) -> None:
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    save_chart(charts["cdf"], first)
    save_chart(charts["cdf"], second)
    assert first.read_bytes() == second.read_bytes()


def test_the_cdf_marks_deadlines_and_the_real_appointment(charts: dict[str, Chart]) -> None:
    texts = [t.get_text() for t in charts["cdf"].figure.axes[0].texts]
    assert any(t.startswith("Summit\n04 Mar 2030") for t in texts)
    assert "undecided trials end in extension" in texts
    labels = charts["cdf"].figure.axes[0].get_legend().get_texts()
    assert "actual appointment, 01 Mar 2030" in [label.get_text() for label in labels]


def test_the_holdout_timeline_shows_the_blocking_members(charts: dict[str, Chart]) -> None:
    axes = charts["holdouts"].figure.axes[0]
    assert {t.get_text() for t in axes.get_yticklabels()} >= {"HUN", "ESP", "TUR"}


def test_the_last_blocking_round_histogram_counts_every_blocking_trial(
    prepared: Prepared,
) -> None:
    tally = simulate(prepared, TRIALS, workers=1).run.tally
    assert tally.last_block_round.shape == (prepared.model.n_members, prepared.model.n_rounds)
    assert np.array_equal(tally.last_block_round.sum(axis=1), tally.ever_blocks)
    assert (tally + tally).last_block_round.sum() == 2 * tally.last_block_round.sum()


def test_a_wrong_suffix_is_refused_before_anything_runs(
    scenario_file: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(app, ["plot", str(scenario_file), "-o", str(tmp_path / "x.gif")])
    assert result.exit_code != 0
    assert isinstance(result.exception, UserError)
    assert "must end in .png, .svg or .pdf" in str(result.exception)


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("cdf", []),
        ("holdouts", []),
        ("tornado", ["--samples", "2", "--measure", "by-term-ends"]),
        ("sweep", ["--vary", "members.HUN.lift_rate=0,0.1", "--vary", "dynamics.influence=0,1"]),
    ],
)
def test_the_command_writes_each_kind(
    scenario_file: Path, tmp_path: Path, kind: str, extra: list[str]
) -> None:
    out = tmp_path / f"{kind}.png"
    args = ["plot", str(scenario_file), "--kind", kind, "-o", str(out), "--trials", str(TRIALS)]
    result = CliRunner().invoke(app, [*args, "--workers", "1", *extra])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(HEADERS["png"])
    assert f"{out}: {kind} chart" in result.stdout


def test_a_sweep_chart_needs_a_vary(scenario_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.png"
    result = CliRunner().invoke(
        app, ["plot", str(scenario_file), "--kind", "sweep", "-o", str(out)]
    )
    assert result.exit_code != 0
    assert "needs --vary" in str(result.exception)


def test_png_text_chunks_are_plain(charts: dict[str, Chart], tmp_path: Path) -> None:
    """The metadata is readable by any PNG reader, not only matplotlib's."""
    path = tmp_path / "cdf.png"
    save_chart(charts["cdf"], path)
    data = path.read_bytes()
    assert b"tEXtTitle\x00A chart test" in data
    assert data.endswith(b"IEND\xaeB`\x82")  # a complete file ends with its IEND chunk


def test_the_chart_page_shows_each_command_and_its_image() -> None:
    root = Path(__file__).parent.parent
    spec = importlib.util.spec_from_file_location("make_images", root / "docs/images/make.py")
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    page = (root / "docs" / "how-to" / "make-a-chart.md").read_text(encoding="utf-8")
    for name, command in make.COMMANDS.items():
        assert command in page, name
        assert f"](../images/{name})" in page, name
        image = Image.open(root / "docs" / "images" / name)
        assert image.size[0] == 800  # 8 inches at make.py's 100 dpi
        assert "seed" in image.text["Description"]  # type: ignore[attr-defined]


def test_the_chart_page_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (Path(__file__).parent.parent / "docs" / "how-to" / "make-a-chart.md").read_text(
        encoding="utf-8"
    )
    code = page.split("```python\n")[1].split("```")[0].replace("20_000", "2_000")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "make-a-chart.md", "exec"), {})
    svg = (tmp_path / "mine.svg").read_text(encoding="utf-8")
    assert "When will NATO pick its next Secretary General?" in svg
