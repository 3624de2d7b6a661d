"""A run's result as the JSON contract that later tools and checks read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from natosim.model.arrays import Model
from natosim.results.stats import Summary, summarise
from natosim.scenario.bodies import scenario_roster
from natosim.scenario.loader import LoadedScenario
from natosim.trials.chunks import Run

StopReason = Literal["trials", "precision", "max_trials", "interrupted"]
"""Why a run stopped: it ran the trials asked for, met ``--precision``, reached
``--max-trials`` first, or was interrupted (Ctrl-C)."""


@dataclass(frozen=True)
class Stop:
    """Why a run stopped where it did.

    Attributes:
        reason: See :data:`StopReason`.
        requested: Trials asked for; with a precision target, the ``--max-trials`` cap.
        precision: The target 95 % half-width of every probability, if one was set.
        by: What interrupted the run ("Ctrl-C", "SIGTERM", "SIGHUP"), if it was.
    """

    reason: StopReason = "trials"
    requested: int | None = None
    precision: float | None = None
    by: str = "Ctrl-C"


@dataclass(frozen=True)
class RunReport:
    """A run, its numbers, and what makes it reproducible."""

    scenario: str
    scenario_file: str
    scenario_sha256: str
    run: Run
    summary: Summary
    stop: Stop = field(default_factory=Stop)
    member_names: tuple[str, ...] = ()  # English names, in model member order, if known

    @classmethod
    def of(
        cls,
        run: Run,
        scenario: str,
        scenario_file: str,
        sha256: str,
        stop: Stop | None = None,
        member_names: tuple[str, ...] = (),
    ) -> RunReport:
        """Summarise ``run`` of the named scenario."""
        summary = summarise(run.model, run.tally)
        return cls(scenario, scenario_file, sha256, run, summary, stop or Stop(), member_names)

    @property
    def complete(self) -> bool:
        """False when the run was interrupted before the trials asked for."""
        return self.stop.reason != "interrupted"

    @property
    def requested(self) -> int:
        """The trials asked for (the cap, with a precision target)."""
        return self.stop.requested or self.run.trials

    def member_name(self, code: str) -> str:
        """``Hungary`` for ``HUN``, or the code when the name is not known."""
        names = dict(zip(self.run.model.members, self.member_names, strict=False))
        return names.get(code, code)


def report_of(loaded: LoadedScenario, run: Run, stop: Stop | None = None) -> RunReport:
    """The report of a run of ``loaded``, its members named as in the roster.

    Why one function: every command (run, what-if, sweep, back-test) names the scenario, its
    file and its members the same way, so their JSON documents agree.
    """
    roster = scenario_roster(loaded.scenario)
    names = tuple(
        (member.name if (member := roster.get(code)) else code) for code in run.model.members
    )
    return RunReport.of(run, loaded.scenario.name, loaded.label, loaded.sha256, stop, names)


def reversion_when(model: Model) -> str:
    """When an undecided Council takes the reversion: ``at the hard deadline (2024-10-01)``,
    or, with a settling deadline, ``at Washington summit or 2024-10-01``."""
    hard = f" ({model.hard_date})" if model.hard_date else ""
    settling = [d.name for d in model.settling]
    if not settling:
        return f"at the hard deadline{hard}"
    return "at " + " or ".join([*settling, *([str(model.hard_date)] if model.hard_date else [])])


def sole_blocker_label(model: Model) -> str:
    """The heading of the sole blocker's probability: at the hard deadline, or the reversion."""
    return "at the reversion" if model.settling else "at the hard deadline"


def outcome_labels(model: Model) -> tuple[str, ...]:
    """What each outcome means, in outcome order: ``Mark Rutte appointed``, ``Extension …``."""
    when = reversion_when(model)
    return (
        *(f"{name} appointed" for name in model.candidate_names),
        f"Extension {when}",
        f"Vacancy {when}",
        f"No decision by {model.dates[-1]}",
    )


def outcome_short_labels(model: Model) -> tuple[str, ...]:
    """Short outcome names for narrow tables: ``Mark Rutte``, ``Extension``, …"""
    return (*model.candidate_names, "Extension", "Vacancy", "No decision")
