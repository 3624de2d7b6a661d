"""The HTML page of run, comparison, whatif and backtest: valid HTML5, nothing fetched, every
user string escaped, and the numbers of ``--format json`` read back out of the page.

The page is parsed with html5lib in strict mode, so a parse error fails the test; numbers are
formatted here again from the JSON, independently of natosim's own formatting.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pytest
from helpers import outward, shown
from typer.testing import CliRunner

from natosim.cli import app
from natosim.model.prepared import prepare
from natosim.output.html.tables import silence_only

ROOT = Path(__file__).parent.parent
SCENARIO = ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml"
VARIANT = ROOT / "tests" / "golden" / "hungary-supports.yaml"
FIXED = ("--seed", "2024", "--trials", "4096", "--workers", "1", "--quiet")
NS = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
HOSTILE = """\
name: <script>alert(1)</script>
description: 'A <img src=x onerror=alert(2)> & "quoted" </p> description'
sources:
  - {title: "</script><script>alert(3)</script>", url: "https://example.org/?a=1&b=<2>"}
start: 2030-01-07
end: 2030-04-30
deadlines:
  - {name: "<b>Summit</b>", date: 2030-03-04, hard: true}
candidates:
  berg: {name: "<i>Anna</i> Berg", home: DEU}
members:
  HUN:
    stance: {berg: {object: 0.5, acquiesce: 0.5}}
    lift_rate: 0.2
    demands:
      - {candidate: berg, description: "<u>Gas</u> & </td> price", grant_rate: 0.1}
simulation: {seed: 3, trials: 1000}
"""


def natosim(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stdout


def parse(page: str) -> ET.Element:
    """The page's tree; a parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(page)  # type: ignore[no-any-return]


def text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def rows(tree: ET.Element, table_id: str) -> list[list[str]]:
    """The body rows of the table with id ``table_id``, each as a list of cell texts."""
    table = next(t for t in tree.iter(f"{NS}table") if t.get("id") == table_id)
    body = table.find(f"{NS}tbody")
    assert body is not None
    return [[text(cell) for cell in row] for row in body.iter(f"{NS}tr")]


def embedded(tree: ET.Element) -> dict:  # type: ignore[type-arg]
    script = next(s for s in tree.iter(f"{NS}script") if s.get("id") == "natosim-data")
    return json.loads(script.text or "")  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def run_page() -> tuple[str, dict]:  # type: ignore[type-arg]
    page = natosim("run", str(SCENARIO), *FIXED, "--format", "html")
    document = json.loads(natosim("run", str(SCENARIO), *FIXED, "--format", "json"))
    return page, document


def test_the_page_is_html5_with_one_main_heading(run_page: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    page, _ = run_page
    tree = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert [text(h) for h in tree.iter(f"{NS}h1")] == [
        "NATO Secretary General 2024 (as of 2024-02-23)"
    ]
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "ids repeat on the page"


def test_the_page_loads_nothing(run_page: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    page, _ = run_page
    assert list(external_references(parse(page))) == []
    assert "@import" not in page and "@font-face" not in page
    assert re.findall(r"url\((?!#)", page) == []


def external_references(tree: ET.Element) -> Iterator[str]:
    """Every reference that a browser would fetch: anything but a link to follow or ``#id``."""
    for element in tree.iter():
        tag = element.tag.split("}")[-1]
        assert tag not in ("link", "img", "iframe", "object", "embed", "video", "audio", "base")
        for name, value in element.attrib.items():
            if name in ("src", "srcset", "poster", "data", "action"):
                yield f"{tag} {name}={value}"
            if name in ("href", XLINK) and tag != "a" and not value.startswith("#"):
                yield f"{tag} {name}={value}"


def test_the_embedded_data_is_the_json_of_the_run(run_page: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    page, document = run_page
    data = embedded(parse(page))
    data.pop("seconds"), document.pop("seconds")
    assert data == document


def test_every_table_holds_the_json_numbers(run_page: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    page, doc = run_page
    tree = parse(page)
    for row, o in zip(rows(tree, "r-outcomes-table"), doc["outcomes"], strict=True):
        assert row[:3] == [o["label"], shown(o["probability"]), outward(o["ci_low"], o["ci_high"])]
    for row, d in zip(rows(tree, "r-deadlines-table"), doc["deadlines"], strict=True):
        expected = [d["name"], d["date"], shown(d["p_decided_by"])]
        assert [row[0], row[1], row[3]] == expected
        assert row[4] == outward(d["ci_low"], d["ci_high"])
    timing = doc["timing"]
    assert rows(tree, "r-timing-table") == [
        [timing["p10_date"], timing["median_date"], timing["p90_date"]]
    ]
    for row, c in zip(rows(tree, "r-candidates-table"), doc["candidates"], strict=True):
        assert row[:3] == [c["name"], shown(c["p_appointed"]), shown(c["p_withdrawn"])]
    for row, d in zip(rows(tree, "r-demands-table"), doc["demands"], strict=True):
        assert [row[0], row[2], row[4]] == [d["member"], d["description"], shown(d["p_granted"])]


def test_holdouts_keep_every_member_and_fold_the_silent_ones(run_page: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    page, doc = run_page
    tree = parse(page)
    main, folded = rows(tree, "r-holdouts-table"), rows(tree, "r-holdouts-silence-table")
    by_code = {m["member"]: m for m in doc["members"]}
    assert len(main) + len(folded) == len(doc["members"])
    for row in main + folded:
        m = by_code[row[0].split()[0]]
        assert row[1:4] == [
            shown(m["p_ever_blocks_winner"]),
            shown(m["p_ever_blocks"]),
            shown(m["p_last_holdout"]),
        ]
    assert [r[0].split()[0] for r in main] == ["HUN", "ROU", "TUR", "SVK", "LTU", "LVA", "EST"]
    summary = next(tree.iter(f"{NS}summary"))
    assert text(summary) == f"{len(folded)} members that block only by breaking silence"


def test_silence_only_members_are_those_that_never_object_or_set_conditions() -> None:
    model = prepare(SCENARIO).model
    quiet = silence_only(model)
    assert {"HUN", "ROU", "TUR", "SVK"}.isdisjoint(quiet)
    assert {"USA", "DEU", "FRA"} <= quiet


def test_the_headline_and_footer_say_what_the_terminal_says(run_page: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    page, doc = run_page
    tree = parse(page)
    terms = [text(e) for e in tree.iter(f"{NS}dt")]
    values = [text(e) for e in tree.iter(f"{NS}dd")]
    top = doc["outcomes"][0]
    assert terms[0] == top["label"]
    assert values[0] == f"{shown(top['probability'])} ({outward(top['ci_low'], top['ci_high'])})"
    assert (
        values[terms.index("Median date of the appointment, when there is one")]
        == (doc["timing"]["median_date"])
    )
    command = [text(c) for c in tree.iter(f"{NS}code") if text(c).startswith("natosim run")]
    assert command == ["natosim run nato-2024-rutte --seed 2024 --trials 4096"]


def test_charts_are_inline_svg_with_a_title_and_description(run_page: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    page, _ = run_page
    charts = list(parse(page).iter(f"{SVG}svg"))
    assert len(charts) == 2
    for chart in charts:
        assert chart.get("role") == "img"
        title, desc = chart.find(f"{SVG}title"), chart.find(f"{SVG}desc")
        assert title is not None and desc is not None and text(desc)
        assert chart.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Washington summit (2024-07-09): " in text(charts[0].find(f"{SVG}desc"))  # type: ignore[arg-type]


def test_the_same_run_gives_the_same_page(run_page: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    page, _ = run_page
    again = natosim("run", str(SCENARIO), *FIXED, "--format", "html")
    seconds = re.compile(r"\d+\.\d\d s\b|\"seconds\": [\d.]+")
    assert seconds.sub("", page) == seconds.sub("", again)


def test_user_text_is_escaped_everywhere(tmp_path: Path) -> None:
    file = tmp_path / "hostile.yaml"
    file.write_text(HOSTILE, encoding="utf-8")
    page = natosim("run", str(file), "--format", "html", "--quiet", "--workers", "1")
    tree = parse(page)
    scripts = list(tree.iter(f"{NS}script"))
    assert [s.get("id") for s in scripts] == ["natosim-data", None]
    assert "alert" not in (scripts[1].text or "")
    assert not list(tree.iter(f"{NS}img")) and not list(tree.iter(f"{NS}b"))
    assert text(next(tree.iter(f"{NS}h1"))) == "<script>alert(1)</script>"
    assert "<img src=x onerror=alert(2)>" in text(next(tree.iter(f"{NS}p")))
    link = next(a for a in tree.iter(f"{NS}a") if text(a).startswith("</script>"))
    assert link.get("href") == "https://example.org/?a=1&b=<2>"
    assert embedded(tree)["scenario"] == "<script>alert(1)</script>"
    assert "<script>alert" not in page and "<img" not in page


def test_a_comparison_shows_both_scenarios_and_their_reports() -> None:
    page = natosim("run", str(SCENARIO), str(VARIANT), *FIXED, "--format", "html")
    tree = parse(page)
    data = embedded(tree)
    table = rows(tree, "c-comparison-table")
    for row, found in zip(table, data["comparison"]["rows"], strict=False):
        assert row[0] == found["label"]
        assert row[1:3] == [
            f"{shown(v['probability'])} ({outward(v['ci_low'], v['ci_high'])})"
            for v in found["values"]
        ]
    assert len(list(tree.iter(f"{NS}article"))) == 2
    assert len(list(tree.iter(f"{SVG}svg"))) == 4
    ids = [e.get("id") for e in tree.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def test_whatif_page_has_the_paired_differences(tmp_path: Path) -> None:
    out = tmp_path / "whatif.html"
    edit = "members.HUN.stance.rutte=support"
    args = ("whatif", str(SCENARIO), "--set", edit, "--trials", "2048", "--workers", "1")
    natosim(*args, "--format", "html", "-o", str(out))
    document = json.loads(natosim(*args, "--format", "json"))
    tree = parse(out.read_text(encoding="utf-8"))
    assert text(next(tree.iter(f"{NS}h1"))) == "What if members.HUN.stance.rutte = support?"
    table = {row[0]: row for row in rows(tree, "w-differences-table")}
    for d in document["differences"]:
        if d["label"] in table and d["unit"] == "probability":
            assert table[d["label"]][1:3] == [
                f"{100 * d['base']:.1f} %",
                f"{100 * d['variant']:.1f} %",
            ]
    assert len(list(tree.iter(f"{SVG}svg"))) == 5
    assert [p.name for p in tmp_path.iterdir()] == ["whatif.html"]


def test_backtest_page_has_every_case(tmp_path: Path) -> None:
    files = [str(ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml"), str(VARIANT)]
    page = natosim("backtest", *files, "--trials", "1000", "--workers", "1", "--format", "html")
    tree = parse(page)
    assert rows(tree, "b-t1-table")[0][0] == "nato-2024-rutte"
    assert (
        embedded(tree)["cases"][0]["scenario"] == "NATO Secretary General 2024 (as of 2024-02-23)"
    )
    assert list(external_references(tree)) == []


def test_html_is_written_atomically_and_never_over_an_input(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    natosim("run", str(SCENARIO), *FIXED, "--format", "html", "-o", str(out))
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    result = CliRunner().invoke(
        app, ["run", str(SCENARIO), "--format", "html", "-o", str(SCENARIO)]
    )
    assert result.exit_code == 1 and "it is an input file" in str(result.exception)


def test_the_scenario_link_is_relative_to_the_page(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    natosim("run", str(SCENARIO), *FIXED, "--format", "html", "-o", str(out))
    tree = parse(out.read_text("utf-8"))
    link = next(a for a in tree.iter(f"{NS}a") if text(a) == "nato-2024-rutte")
    assert (tmp_path / link.get("href", "")).resolve() == SCENARIO.resolve()


def test_sources_take_only_web_addresses(tmp_path: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(
        HOSTILE.replace("https://example.org/?a=1&b=<2>", "javascript:alert(4)"), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["validate", str(file)])
    assert result.exit_code == 1 and "sources.0.url" in result.output


def test_the_docs_show_the_page_as_the_screenshot_script_makes_it() -> None:
    sys.path.insert(0, str(ROOT / "docs" / "images"))
    try:
        shots = importlib.import_module("make_html_shots")
    finally:
        sys.path.pop(0)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "reading-the-report.md").read_text(encoding="utf-8")
    assert shots.COMMAND.replace("natosim ", "$ natosim ", 1) in guide
    assert shots.COMMAND.split(" -o ")[0].removeprefix("natosim ") in readme
    for name in shots.SHOTS:
        assert (ROOT / "docs" / "images" / name).is_file()
        assert f"(images/{name})" in guide
    assert "(docs/images/html-report-1280.png)" in readme
