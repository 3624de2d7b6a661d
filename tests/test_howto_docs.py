"""The examples in docs/how-to and docs/scaling.md are tested: each output shown is printed.

A block in a page that reads::

    ```console
    $ natosim …
    <output>
    ```

is checked by running the command (in the repository's root, with ``NO_COLOR=1`` and
``COLUMNS=100``) and comparing everything it prints, stdout then stderr, with trailing spaces
removed. ``pytest --update-golden tests/test_howto_docs.py`` rewrites the outputs instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import printed

ROOT = Path(__file__).parent.parent
PAGES = [
    "how-to/explain-a-surprising-result.md",
    "how-to/compare-a-what-if.md",
    "how-to/sweep-a-parameter.md",
    "scaling.md",  # its commands start a local Dask cluster
]
BLOCK = re.compile(r"```console\n\$ (natosim [^\n]*)\n(.*?)```", re.DOTALL)


@pytest.mark.parametrize("page", PAGES)
def test_every_output_shown_is_what_the_command_prints(page: str, update_golden: bool) -> None:
    path = ROOT / "docs" / page
    text = path.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert blocks, f"{page} shows no command"
    if update_golden:
        fresh = BLOCK.sub(lambda m: f"```console\n$ {m[1]}\n{printed(m[1])}```", text)
        path.write_text(fresh, encoding="utf-8")
        return
    for block in blocks:
        assert block[2] == printed(block[1]), f"{page}: `{block[1]}` prints something else"
