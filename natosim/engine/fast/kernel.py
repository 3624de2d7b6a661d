"""Which implementation of the fast engine's passes runs: compiled loops or numpy.

The compiled loops (:mod:`natosim.engine.fast.compiled`) need numba, an optional extra
(``pip install "natosim[fast]"``); without it, or with ``NATOSIM_KERNEL=numpy`` in the
environment, the numpy passes of :mod:`natosim.engine.fast.passes` run. Both give the same
numbers bit for bit, so a result does not depend on which ran; :data:`KERNEL` names it.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import TYPE_CHECKING

from natosim.engine.fast import passes


def _chosen() -> tuple[str, ModuleType]:
    """The compiled passes if numba loads them, else the numpy passes.

    Why any error falls back: numba can fail to set up in ways that are no fault of the
    scenario (no writable folder for its cache, say); the numpy passes then give the same
    numbers, only slower. The tests and CI check that the compiled passes load where numba is
    installed, so a fault of natosim's own would not hide here.
    """
    if os.environ.get("NATOSIM_KERNEL", "").strip().lower() == "numpy":
        return "numpy", passes
    try:
        from natosim.engine.fast import compiled
    except Exception:
        return "numpy", passes
    return "numba", compiled


KERNEL, _module = _chosen()
"""``numba`` when the compiled loops run, ``numpy`` otherwise."""

if TYPE_CHECKING:
    from natosim.engine.fast.passes import advance as advance
    from natosim.engine.fast.passes import categories as categories
    from natosim.engine.fast.passes import exits as exits
    from natosim.engine.fast.passes import grant as grant
    from natosim.engine.fast.passes import influence as influence
    from natosim.engine.fast.passes import lift_terms as lift_terms
    from natosim.engine.fast.passes import record as record
    from natosim.engine.fast.passes import restand as restand
    from natosim.engine.fast.passes import settle as settle
    from natosim.engine.fast.passes import silence as silence
    from natosim.engine.fast.passes import stand as stand
    from natosim.engine.fast.passes import support as support
else:
    stand, restand, record = _module.stand, _module.restand, _module.record
    advance, influence, silence = _module.advance, _module.influence, _module.silence
    grant, categories = _module.grant, _module.categories
    support, settle = _module.support, _module.settle
    exits, lift_terms = _module.exits, _module.lift_terms
