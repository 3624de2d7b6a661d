"""natosim: simulate consensus decisions in NATO, where any ally can block."""

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata when first asked for.

    Why lazily: importing ``importlib.metadata`` takes tens of milliseconds, and until
    ``natosim.__main__`` has installed its signal handlers a Ctrl-C prints a traceback.
    """
    if name != "__version__":
        raise AttributeError(f"module 'natosim' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("natosim")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0.0.0+unknown"
