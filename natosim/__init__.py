"""natosim: simulate consensus decisions in NATO, where any ally can block."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("natosim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
