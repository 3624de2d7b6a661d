"""The Jinja2 environment that turns a page's view into one self-contained HTML document.

Why Jinja2 with autoescaping: every name, description and label on the page comes from a
scenario file that anyone may have written, and a template escapes each of them by default,
where string concatenation would have to remember to every time.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from natosim import __version__
from natosim.output.json.values import dumps


@cache
def environment() -> Environment:
    """The templates of :mod:`natosim.output.html`, escaping every value they print."""
    return Environment(
        loader=PackageLoader("natosim.output.html", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def asset(name: str) -> Markup:
    """The text of a stylesheet or script of the page, to inline as it is."""
    path = resources.files("natosim.output.html").joinpath("templates", name)
    return Markup(path.read_text(encoding="utf-8").strip())


def embedded_json(document: dict[str, Any]) -> Markup:
    """``document`` as JSON safe inside ``<script type="application/json">``.

    Why the escapes: ``</script>`` in a scenario's name would otherwise end the element;
    ``\\u003c`` is the same character to a JSON parser.
    """
    text = dumps(document).strip()
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return Markup(text)


def render(template: str, **context: Any) -> str:
    """Render ``template`` with ``context``, the stylesheet, the script and the version.

    Why a hash of the script: the page's content policy lets this one script run and no other,
    so even markup that slipped past the escaping could not run code.
    """
    script = asset("sort.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        environment()
        .get_template(template)
        .render(
            css=asset("style.css"),
            script=script,
            script_hash=f"sha256-{digest}",
            version=__version__,
            **context,
        )
    )
