"""``--cluster``: a real Dask LocalCluster (2 worker processes) gives the local numbers.

Every comparison is exact: a task's numbers depend only on its arguments, so one process,
two processes and two Dask workers must agree bit for bit, even when a worker dies mid-run.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from helpers import start_natosim
from test_sensitivity import ONE_MATTERS
from test_signals import check_partial, stop
from typer.testing import CliRunner

from natosim.cli import app
from natosim.errors import UserError
from natosim.model.prepared import prepare
from natosim.studies.sensitivity import Sensitivity, analyse, pick_measure
from natosim.studies.sweep import run_sweep
from natosim.trials.chunks import Run, run_model
from natosim.trials.cluster import (
    HELD_PER_WORKER,
    MAX_BLOCK,
    ClusterSpec,
    DaskPool,
    block_size,
    blocks,
    open_cluster,
)
from natosim.trials.pool import Workers

pytest.importorskip("distributed")

ROOT = Path(__file__).parent.parent
SCENARIO = ROOT / "natosim" / "scenarios" / "nato-2024-rutte.yaml"
CHUNKS = 6
TRIALS = CHUNKS * 4096 - 100


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskPool]:
    with open_cluster("local:2") as pool:
        yield pool


def same_run(one: Run, two: Run) -> None:
    assert one.trials == two.trials
    assert np.array_equal(one.outcome, two.outcome)
    assert np.array_equal(one.decision_round, two.decision_round)
    for name in ("outcome_round", "last_holdout", "rounds_blocking", "last_block_round"):
        assert np.array_equal(getattr(one.tally, name), getattr(two.tally, name)), name


def test_a_run_is_the_same_in_one_process_two_and_on_the_cluster(cluster: DaskPool) -> None:
    model = prepare(SCENARIO).model
    one = run_model(model, seed=11, trials=TRIALS, workers=1)
    same_run(one, run_model(model, seed=11, trials=TRIALS, workers=2))
    on_cluster = run_model(model, seed=11, trials=TRIALS, workers=cluster)
    same_run(one, on_cluster)
    assert on_cluster.workers == 2


def analysis(path: Path, workers: Workers) -> Sensitivity:
    prepared = prepare(path)
    measure = pick_measure(prepared.model, None)
    return analyse(prepared.loaded, measure, "morris", 2, 4096, workers=workers)


def test_a_study_is_the_same_with_1_worker_2_workers_and_the_cluster(
    cluster: DaskPool, tmp_path: Path
) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(ONE_MATTERS, encoding="utf-8")
    studies = [analysis(path, workers) for workers in (1, 2, cluster)]
    found = [[(e.parameter, e.stats, e.at_low, e.at_high) for e in s.effects] for s in studies]
    assert found[0] == found[1] == found[2]
    assert studies[0].spread == studies[1].spread == studies[2].spread


def test_a_sweep_is_the_same_on_the_cluster(cluster: DaskPool) -> None:
    prepared = prepare(SCENARIO)
    varies = [("deadlines.0.settles", [0.0, 0.5, 1.0])]
    local = run_sweep(prepared, varies, trials=4096, seed=3, workers=1)
    remote = run_sweep(prepared, varies, trials=4096, seed=3, workers=cluster)
    for one, two in zip(local.reports, remote.reports, strict=True):
        same_run(one.run, two.run)


def test_a_killed_worker_costs_a_retry_not_a_different_number(cluster: DaskPool) -> None:
    model = prepare(SCENARIO).model
    expected = run_model(model, seed=5, trials=TRIALS, workers=1)
    pids: dict[str, int] = cluster.client.run(os.getpid)
    killed: list[int] = []

    def kill_one(done: int) -> None:
        if not killed:
            victim = next(iter(pids.values()))
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    again = run_model(model, seed=5, trials=TRIALS, workers=cluster, progress=kill_one)
    assert killed
    same_run(expected, again)
    cluster.client.wait_for_workers(2, timeout=30)


def test_blocks_grow_with_the_work_and_stop_at_the_cap() -> None:
    assert block_size(1, 2) == 1
    assert block_size(80, 2) == 10
    assert block_size(10**9, 2) == MAX_BLOCK
    assert block_size(100, 3200) == 1


def test_blocks_cover_the_tasks_in_order_and_shrink_to_single_tasks_at_the_end() -> None:
    for tasks, workers in [(921, 2), (5, 2), (1, 4), (10**4, 64)]:
        spans = list(blocks(tasks, workers))
        assert [i for span in spans for i in span] == list(range(tasks))
        sizes = [len(span) for span in spans]
        assert sizes == sorted(sizes, reverse=True)
        assert max(sizes) <= MAX_BLOCK
        assert sizes[-workers:] == [1] * min(workers, len(sizes))
    assert list(blocks(0, 2)) == []


def test_a_slow_first_block_leaves_no_worker_idle_and_results_stay_in_order(
    cluster: DaskPool,
) -> None:
    """Block 0 sleeps 3 s, the others 0.05 s a task: the second worker keeps going meanwhile."""

    def stamped(item: int) -> tuple[int, float, float]:
        began = time.time()
        time.sleep(3.0 if item == 0 else 0.05)
        return item, began, time.time()

    items = list(range(80))
    found = list(cluster.imap(stamped, items))
    assert [item for item, _, _ in found] == items
    spans = list(blocks(len(items), cluster.workers))
    first_done = max(end for item, _, end in found if item in spans[0])
    began = [min(found[i][1] for i in span) for span in spans]
    early = sum(start < first_done for start in began)  # blocks begun while block 0 ran
    window = 2 * cluster.workers  # blocks sent before any result came back
    assert window < early <= HELD_PER_WORKER * cluster.workers < len(spans)


def test_a_local_clusters_workers_run_without_the_profiler(cluster: DaskPool) -> None:
    def settings() -> tuple[object, object]:
        import dask.config

        return (
            dask.config.get("distributed.worker.profile.enabled"),
            dask.config.get("distributed.worker.memory.monitor-interval"),
        )

    found = cluster.client.run(settings)
    assert len(found) == 2
    assert set(map(tuple, found.values())) == {(False, "1s")}


def test_cluster_specs() -> None:
    assert ClusterSpec.parse("local:3") == ClusterSpec(local=3)
    assert ClusterSpec.parse("local").local is not None
    assert ClusterSpec.parse("tcp://10.0.0.1:8786") == ClusterSpec(address="tcp://10.0.0.1:8786")
    with pytest.raises(UserError, match="at least 1 worker"):
        ClusterSpec.parse("local:0")


def test_without_dask_the_option_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(app, ["run", str(SCENARIO), "--cluster", "local:2"])
    assert isinstance(result.exception, UserError)  # the CLI prints it and exits 1
    assert 'pip install "natosim[cluster]"' in str(result.exception)


def test_workers_and_cluster_together_are_refused() -> None:
    result = CliRunner().invoke(app, ["run", str(SCENARIO), "--workers", "2", "--cluster", "local"])
    assert result.exit_code == 2
    assert "not both" in result.output


@pytest.mark.skipif(sys.platform != "linux", reason="needs Linux /proc")
def test_ctrl_c_cancels_the_cluster_and_reports_what_finished() -> None:
    """The whole group gets the signal, as at a terminal: workers included."""
    process = start_natosim(
        "run", str(SCENARIO), "--trials", "50000000", "--cluster", "local:2", "--format", "json"
    )
    code, out, err = stop(process, signal.SIGINT, after=10.0)
    assert code == 130, err
    assert "Traceback" not in err
    check_partial(out)  # the trials finished, marked partial (none, on a very busy machine)
