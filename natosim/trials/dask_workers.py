"""The Dask worker plugin of ``--cluster local`` (imported only when Dask is installed)."""

from __future__ import annotations

from distributed import Worker, WorkerPlugin

from natosim.trials.pool import ignore_stop_signals


class LocalWorkers(WorkerPlugin):
    """Workers of a local cluster leave the stop signals to the process that started them.

    Why: a local cluster's workers share the terminal's process group, so a Ctrl-C reaches
    them too; left to Dask they would die printing tracebacks while the main process cancels
    their tasks and reports what finished. Like a local pool's workers, they ignore SIGINT,
    SIGTERM and SIGHUP, and the cluster is closed from the main process. As a plugin, it also
    covers a worker restarted after a crash.
    """

    name = "natosim-local-workers"

    def setup(self, worker: Worker) -> None:
        """Ignore the stop signals in this worker process."""
        ignore_stop_signals()
