"""Shared pytest configuration: the ``--update-golden`` option."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--update-golden``, which rewrites golden files instead of comparing with them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden output files (e.g. tests/bad/*.expected) from the current output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files rather than checking them."""
    return bool(request.config.getoption("--update-golden"))
