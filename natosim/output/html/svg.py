"""A matplotlib chart as SVG markup to place inside an HTML page.

Why rewrite the file: several charts share one page, and matplotlib names the parts of each
chart alike (``figure_1``, ``axes_1``) and points at them by id, so every id is given the
chart's own prefix. The XML prologue, the metadata block and the fixed size go (the page's
stylesheet sizes the chart to its column); a ``<title>`` and ``<desc>`` make the chart
readable to a screen reader. The SVG is matplotlib's own output, which escapes its text.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from natosim.output.plot.common import Chart, chart_bytes

_ROOT = re.compile(r"<svg\b[^>]*>")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_TITLE = re.compile(r"\s*<title>.*?</title>", re.DOTALL)
_STYLE = re.compile(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>")
_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'\b((?:xlink:)?href)="#([^"]+)"')
_URL = re.compile(r"url\(#([^)]+)\)")
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')


def inline_svg(chart: Chart, key: str, description: str) -> Markup:
    """``chart`` as an ``<svg>`` element whose ids all start with ``key``.

    Args:
        chart: A chart from :mod:`natosim.output.plot`.
        key: A prefix unique on the page, made of letters, digits and hyphens.
        description: What the chart shows, in words, for readers who cannot see it.
    """
    text = chart_bytes(chart, "svg").decode("utf-8")
    body = text[text.index("<svg") :]
    body = _METADATA.sub("", _TITLE.sub("", body, count=1), count=1)
    body = _STYLE.sub("", body, count=1)
    body = _ID.sub(lambda m: f'id="{key}-{m[1]}"', body)
    body = _HREF.sub(lambda m: f'{m[1]}="#{key}-{m[2]}"', body)
    body = _URL.sub(lambda m: f"url(#{key}-{m[1]})", body)
    found = _VIEWBOX.search(body)
    box = found[1] if found else "0 0 576 345.6"
    root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{box}" class="chart" role="img" aria-labelledby="{key}-title {key}-desc">'
        f'<title id="{key}-title">{escape(chart.title)}</title>'
        f'<desc id="{key}-desc">{escape(description)}</desc>'
    )
    return Markup(_ROOT.sub(lambda _: root, body, count=1).strip())
