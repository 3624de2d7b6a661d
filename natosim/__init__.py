"""natosim: simulate consensus decisions in NATO, where any ally can block.

The public API (docs/python.md)::

    import natosim

    result = natosim.run("nato-2024-rutte", trials=20_000)
    result.probability("rutte")
    result.frame("holdouts")

Every name below is imported when first used. Why: ``natosim`` on the command line installs
its signal handlers before anything heavy is imported, and a notebook that needs only
:func:`load` does not pay for matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from natosim.api.backtest import BacktestResult, backtest
    from natosim.api.library import copy_scenario, scenarios
    from natosim.api.result import Result
    from natosim.api.runs import ComparisonResult, RunResult, compare, run
    from natosim.api.scenario import Scenario, load
    from natosim.api.studies import (
        ExplainResult,
        SensitivityResult,
        SweepResult,
        WhatIfResult,
        explain,
        sensitivity,
        sweep,
        whatif,
    )
    from natosim.errors import ScenarioError, UserError

_WHERE = {
    "load": "natosim.api.scenario",
    "Scenario": "natosim.api.scenario",
    "run": "natosim.api.runs",
    "compare": "natosim.api.runs",
    "RunResult": "natosim.api.runs",
    "ComparisonResult": "natosim.api.runs",
    "whatif": "natosim.api.studies",
    "sweep": "natosim.api.studies",
    "sensitivity": "natosim.api.studies",
    "explain": "natosim.api.studies",
    "WhatIfResult": "natosim.api.studies",
    "SweepResult": "natosim.api.studies",
    "SensitivityResult": "natosim.api.studies",
    "ExplainResult": "natosim.api.studies",
    "backtest": "natosim.api.backtest",
    "BacktestResult": "natosim.api.backtest",
    "scenarios": "natosim.api.library",
    "copy_scenario": "natosim.api.library",
    "Result": "natosim.api.result",
    "ScenarioError": "natosim.errors",
    "UserError": "natosim.errors",
}

__all__ = [
    "BacktestResult",
    "ComparisonResult",
    "ExplainResult",
    "Result",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SensitivityResult",
    "SweepResult",
    "UserError",
    "WhatIfResult",
    "__version__",
    "backtest",
    "compare",
    "copy_scenario",
    "explain",
    "load",
    "run",
    "scenarios",
    "sensitivity",
    "sweep",
    "whatif",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use; ``__version__`` comes from the installed metadata."""
    if name == "__version__":
        return _version()
    if name not in _WHERE:
        raise AttributeError(f"module 'natosim' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, for tab completion."""
    return sorted(__all__)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("natosim")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0.0.0+unknown"
