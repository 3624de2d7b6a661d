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
        if signals.caused_by_signal(error):
            signals.exit_interrupted()
        raise
    if signals.received():  # Why: its KeyboardInterrupt may have been lost in an import
        signals.exit_interrupted()
    run_cli()


if __name__ == "__main__":
    main()
