"""Entry point for ``python -m natosim`` and the ``natosim`` command.

Why the import inside a function: importing numpy, rich and typer takes a few tenths of a
second, and Ctrl-C, SIGTERM or SIGHUP then must end the process with 130, 143 or 129 and
one line, not a traceback.
"""

from natosim import signals


def main() -> None:
    """Handle the stop signals, import the command line and run it."""
    signals.install()
    try:
        from natosim.cli import main as run_cli
    except KeyboardInterrupt:
        signals.exit_interrupted()
    except Exception as error:
        if signals.received() and _caused_by_interrupt(error):
            signals.exit_interrupted()
        raise
    run_cli()


def _caused_by_interrupt(error: BaseException) -> bool:
    """Whether a stop signal's KeyboardInterrupt is in the chain of ``error``.

    Why: an interrupt raised while Python runs a class body's ``__set_name__`` hooks (as
    matplotlib's import does) reaches the caller as the cause of a RuntimeError.
    """
    seen: BaseException | None = error
    for _ in range(100):
        if seen is None or isinstance(seen, KeyboardInterrupt):
            return seen is not None
        seen = seen.__cause__ or seen.__context__
    return False


if __name__ == "__main__":
    main()
