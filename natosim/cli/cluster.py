"""``--cluster``: run a command's work on a Dask cluster instead of local processes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated

import typer

from natosim.trials.cluster import open_cluster
from natosim.trials.pool import Workers

ClusterOption = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        help="Run on Dask: a scheduler's address (tcp://host:8786), or local[:N] to start N "
        "local workers (default: all cores). Same numbers as a local run. Needs "
        '"natosim[cluster]".',
        show_default=False,
    ),
]


@contextlib.contextmanager
def workers_for(workers: int | None, cluster: str | None) -> Iterator[Workers]:
    """What to pass down as ``workers``: the count given, or the cluster's pool while open.

    Raises:
        typer.BadParameter: for ``--workers`` together with ``--cluster``.
        UserError: Dask missing, or the cluster unreachable (see :func:`open_cluster`).
    """
    if cluster is None:
        yield workers
        return
    if workers is not None:
        raise typer.BadParameter("give --workers or --cluster, not both", param_hint="--cluster")
    with open_cluster(cluster) as pool:
        yield pool
