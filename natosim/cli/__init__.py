"""The ``natosim`` command: parse, load, run, render, print. Nothing else lives here.

Each command lives in a module of this package that registers itself on :data:`app`.
"""

from __future__ import annotations

import sys

from natosim import signals
from natosim.cli import (  # noqa: F401  (each registers its commands)
    backtest,
    basic,
    explain,
    plot,
    run,
    scenarios,
    sensitivity,
    sweep,
    whatif,
)
from natosim.cli.app import app, err_console
from natosim.errors import ScenarioError, UserError

__all__ = ["app", "main"]


def main() -> None:
    """Run the command line; a user's mistake exits 1 with a message, never a traceback.

    Ctrl-C, SIGTERM and SIGHUP end a command that has nothing partial to report with
    128 + the signal's number (130, 143, 129) and one line, not a traceback.
    """
    if not signals.installed():
        signals.install()
    try:
        app()
    except KeyboardInterrupt:
        signals.exit_interrupted()
    except SystemExit as ended:
        if signals.received():
            signals.exit_at_once(ended.code if isinstance(ended.code, int) else 1)
        raise
    except ScenarioError as error:
        for problem in error.problems:
            err_console().print(str(problem), markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except UserError as error:
        err_console().print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except Exception as error:
        if signals.caused_by_signal(error):
            signals.exit_interrupted()
        raise
