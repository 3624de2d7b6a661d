"""The text of a run's report in a file format: JSON, CSV or Markdown."""

from __future__ import annotations

from typing import Literal

from natosim.output.json.run import comparison_json, report_json
from natosim.output.json.values import dumps
from natosim.output.text.csv_text import csv_text
from natosim.output.text.markdown import comparison_markdown, report_markdown
from natosim.results.compare import compare
from natosim.results.report import RunReport

TextFormat = Literal["json", "csv", "markdown"]


def document(reports: tuple[RunReport, ...], kind: TextFormat, detail: bool = False) -> str:
    """One run's report, or the comparison of several (with ``detail``, each report too)."""
    comparison = compare(reports) if len(reports) > 1 else None
    if kind == "csv":
        return csv_text(reports, comparison)
    if kind == "json":
        return dumps(comparison_json(comparison) if comparison else report_json(reports[0]))
    if comparison:
        return comparison_markdown(comparison, detail)
    return report_markdown(reports[0])
