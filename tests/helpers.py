"""Shared test helpers: load scenario files, build tiny models by hand, run engines."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from natosim.engine import EngineName, simulate_chunk
from natosim.engine.records import TrialRecords, last_holdouts
from natosim.engine.streams import chunks
from natosim.model.arrays import Model, Reversion, Stance

LETTERS = {"S": Stance.SUPPORT, "A": Stance.ACQUIESCE, "C": Stance.CONDITIONAL, "O": Stance.OBJECT}


def load_model(path: Path) -> Model:
    """Load a scenario file and compile it with its roster."""
    from natosim.model.compile import compile_model
    from natosim.scenario.bodies import scenario_roster
    from natosim.scenario.loader import load_scenario

    scenario = load_scenario(path).scenario
    return compile_model(scenario, scenario_roster(scenario))


def tiny_model(stances: Sequence[str], rounds: int = 5, **fields: Any) -> Model:
    """A hand-made model: one string of stance letters (S, A, C, O) per member.

    ``stances[i][k]`` is member i's certain stance towards candidate k. Every member is
    present with clout 1, lift rate 0 and silence break 0; every dynamics strength is 0; there
    are no demands, events or deadlines. ``fields`` replace any of these.
    """
    m, k = len(stances), len(stances[0])
    prob = np.zeros((m, k, 4))
    for i, row in enumerate(stances):
        for c, letter in enumerate(row):
            prob[i, c, LETTERS[letter]] = 1.0
    start = dt.date(2024, 4, 1)
    model = Model(
        members=tuple(f"M{i:02d}" for i in range(m)),
        candidates=tuple(f"c{c}" for c in range(k)),
        candidate_names=tuple(f"Candidate {c}" for c in range(k)),
        dates=tuple(start + dt.timedelta(days=7 * t) for t in range(rounds)),
        present=np.ones((rounds, m), dtype=bool),
        stance_prob=prob,
        lift_rate=np.zeros(m),
        silence_break=np.zeros(m),
        clout=np.ones(m),
        enter_round=np.zeros(k, dtype=np.int64),
        withdraw_rate=np.zeros(k),
        endorses=np.full(k, -1, dtype=np.int64),
        home=np.full(k, -1, dtype=np.int64),
        demand_member=np.zeros(0, dtype=np.int64),
        demand_candidate=np.zeros(0, dtype=np.int64),
        grant_rate=np.zeros(0),
        demand_descriptions=(),
        demand_granted_by=(),
        pressure=np.zeros(rounds),
        hard_round=-1,
        hard_date=None,
        reversion=Reversion.EXTENSION,
        events=(),
        deadlines=(),
        deadline_pressure=0.0,
        isolation=0.0,
        influence=0.0,
        package=0.0,
        following=0.0,
        follows=np.zeros((m, m), dtype=bool),
        bloc=np.full(m, -1, dtype=np.int64),
        bloc_correlation=np.zeros(0),
    )
    return dataclasses.replace(model, **fields)


def concat(parts: Sequence[TrialRecords]) -> TrialRecords:
    """Join the records of consecutive ranges of trials."""
    joined = {
        f.name: np.concatenate([getattr(p, f.name) for p in parts])
        for f in dataclasses.fields(TrialRecords)
        if f.name not in ("first", "last_holdout")
    }
    return TrialRecords(
        first=parts[0].first,
        last_holdout=last_holdouts(joined["last_block_round"]),
        **joined,
    )


def run(model: Model, seed: int, n: int, engine: EngineName) -> TrialRecords:
    """Simulate trials 0 .. n-1 with the named engine, chunk by chunk as a run would."""
    parts = [simulate_chunk(model, seed, c, size, engine=engine)[0] for c, size in chunks(n)]
    return concat(parts)


def within(estimate: float, exact: float, n: int, ses: float = 4.0) -> bool:
    """Whether a Monte Carlo proportion is within ``ses`` binomial standard errors of exact."""
    return abs(estimate - exact) <= ses * math.sqrt(exact * (1.0 - exact) / n)


def records_equal(a: TrialRecords, b: TrialRecords) -> bool:
    """Whether two sets of records are identical, field by field."""
    return all(
        np.array_equal(getattr(a, f.name), getattr(b, f.name))
        for f in dataclasses.fields(TrialRecords)
    )


def run_natosim(
    *args: str, columns: int | None = 100, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m natosim ARGS`` as a subprocess, with plain output ``columns`` wide.

    It runs in the repository's root unless ``cwd`` says otherwise; ``columns=None`` leaves
    the width to the command's own options.
    """
    width = {} if columns is None else {"COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, "-m", "natosim", *args],
        capture_output=True,
        text=True,
        cwd=cwd or Path(__file__).parent.parent,
        env={**os.environ, "NO_COLOR": "1", "TERM": "dumb", **width},
        timeout=timeout,
        check=False,
    )


def start_natosim(*args: str) -> subprocess.Popen[str]:
    """``python -m natosim ARGS`` started in its own process group, to be signalled.

    It runs in the repository's root with plain output 100 columns wide.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "natosim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        start_new_session=True,
    )


def printed(command: str, with_stderr: bool = True, cwd: Path | None = None) -> str:
    """What ``natosim ...`` prints, as a docs page shows it (lines right-stripped).

    It runs in the repository's root unless ``cwd`` says otherwise.
    """
    result = run_natosim(*shlex.split(command)[1:], columns=100, cwd=cwd)
    text = result.stdout + (result.stderr if with_stderr else "")
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


VALID: dict[str, Any] = {
    "name": "test",
    "start": dt.date(2024, 2, 23),
    "end": dt.date(2024, 12, 31),
    "candidates": {
        "rutte": {"name": "Mark Rutte", "home": "NLD"},
        "iohannis": {
            "name": "Klaus Iohannis",
            "home": "ROU",
            "enters": dt.date(2024, 3, 12),
            "withdraws": {"rate": 0.1, "endorses": "rutte"},
        },
    },
    "defaults": {"stance": {"support": 0.6, "acquiesce": 0.4}, "lift_rate": 0.05},
    "members": {
        "HUN": {
            "stance": {"rutte": {"object": 0.8, "conditional": 0.2}, "iohannis": "acquiesce"},
            "demands": [
                {"candidate": "rutte", "description": "opt-out", "grant_rate": 0.05},
            ],
        }
    },
    "events": [
        {
            "date": dt.date(2024, 2, 22),
            "kind": "endorse",
            "members": ["USA", "GBR"],
            "candidate": "rutte",
        }
    ],
}
"""A small valid scenario as plain data, for tests that change one part of it."""


def shown(p: float) -> str:
    """How a table shows a probability (written out again here, independently of natosim)."""
    if p == 0:
        return "0 %"
    if p == 1:
        return "100 %"
    if p < 0.0005:
        return "<0.1 %"
    if p >= 0.9995:
        return ">99.9 %"
    return f"{100 * p:.1f} %"


def outward(low: float, high: float) -> str:
    """A 95 % interval as the tables show it, rounded outwards to 0.1 percentage points."""
    down = math.floor(1000 * low + 1e-9) / 10
    up = math.ceil(1000 * high - 1e-9) / 10
    return f"{down:.1f}–{up:.1f}"
