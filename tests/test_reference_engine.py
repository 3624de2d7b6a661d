"""Unit checks of single rules of docs/model.md on tiny, hand-checked models.

Models come from :func:`helpers.tiny_model`: one string of stance letters per member (S, A, C,
O, one letter per candidate), every member present with clout 1, lift rate 0 and silence
break 0, and every dynamics strength 0 unless a test says otherwise.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from helpers import load_model, records_equal, tiny_model

from natosim.engine.records import LogEntry, TrialRecords
from natosim.engine.reference.chunk import simulate_reference
from natosim.engine.streams import Mechanism, trial_generators
from natosim.model.arrays import EventKind, Model, ModelEvent, Reversion, Stance

SEED = 7
EXTENSION = Reversion.EXTENSION
NO_DECISION = Reversion.NO_DECISION


def simulate(model: Model, n: int = 1, seed: int = SEED) -> TrialRecords:
    """Records of trials 0 .. n-1."""
    return simulate_reference(model, seed, 0, n)[0]


def log_of(model: Model, trial: int = 0, seed: int = SEED) -> list[LogEntry]:
    """The event log of one trial."""
    return simulate_reference(model, seed, trial, 1, (trial,))[1][trial]


def event(
    t: int, kind: EventKind, members: tuple[int, ...], k: int = 0, **kw: object
) -> ModelEvent:
    """A certain event of round ``t`` (``stance`` and ``probability`` may be given)."""
    stance = kw.get("stance", Stance.SUPPORT)
    probability = kw.get("probability", 1.0)
    assert isinstance(stance, Stance) and isinstance(probability, float)
    return ModelEvent(t, kind, members, k, stance, probability)


def demands(*pairs: tuple[int, int, float]) -> dict[str, object]:
    """Model fields for demands given as (member, candidate, grant rate)."""
    return {
        "demand_member": np.array([p[0] for p in pairs], dtype=np.int64),
        "demand_candidate": np.array([p[1] for p in pairs], dtype=np.int64),
        "grant_rate": np.array([p[2] for p in pairs]),
        "demand_descriptions": tuple(f"demand {d}" for d in range(len(pairs))),
        "demand_granted_by": (None,) * len(pairs),
    }


# --- the front-runner ---------------------------------------------------------------------


def test_front_runner_has_most_support_even_when_blocked() -> None:
    # c0 has 3 supporters and one objector; c1 is unblocked but nobody supports it.
    records = simulate(tiny_model(["SA", "SA", "SA", "OA"], rounds=1))
    assert records.outcome[0] == 2 + NO_DECISION
    assert records.decisive[0] == 0
    assert records.rounds_blocking[0].tolist() == [0, 0, 0, 1]


def test_front_runner_tie_goes_to_fewer_blockers() -> None:
    # Both have 2 supporters; c0 has one blocker, c1 none: c1 leads and is appointed.
    records = simulate(tiny_model(["SA", "SA", "AS", "AS", "OA"], rounds=1))
    assert (records.outcome[0], records.decision_round[0]) == (1, 0)


def test_a_member_drawn_to_support_two_candidates_supports_the_first() -> None:
    # Support is exclusive: members 0 and 1 back c0 only, so c0 leads despite its blocker.
    model = tiny_model(["SS", "SS", "OA", "AA"], rounds=1)
    records = simulate(model)
    assert records.outcome[0] == 2 + NO_DECISION
    assert records.decisive[0] == 0


def test_front_runner_full_tie_goes_to_the_candidate_listed_first() -> None:
    records = simulate(tiny_model(["SS", "SS", "OO"], rounds=1))
    assert records.decisive[0] == 0
    assert records.outcome[0] == 2 + NO_DECISION


def test_clout_weighs_support() -> None:
    # One heavy supporter of c1 outweighs two light supporters of c0.
    model = tiny_model(["SA", "SA", "AS"], rounds=1, clout=np.array([1.0, 1.0, 3.0]))
    assert simulate(model).outcome[0] == 1


# --- withdrawals --------------------------------------------------------------------------


def withdrawal_model(endorses: int) -> Model:
    """c1 (home: member 3) withdraws at round 1 for sure; members 2 and 3 block c0."""
    return tiny_model(
        ["SA", "SA", "OS", "OA", "AA"],
        rounds=4,
        withdraw_rate=np.array([0.0, 1.0]),
        endorses=np.array([-1, endorses], dtype=np.int64),
        home=np.array([-1, 3], dtype=np.int64),
    )


def test_withdrawal_moves_backers_and_home_member_to_the_endorsed_candidate() -> None:
    model = withdrawal_model(endorses=0)
    records = simulate(model)
    assert records.withdrawn_round[0].tolist() == [-1, 1]
    assert (records.outcome[0], records.decision_round[0]) == (0, 1)
    moved = [(e.member, e.candidate, e.new) for e in log_of(model) if e.why == "transfer"]
    # Member 2 backed c1: it now supports c0 and, support being exclusive, acquiesces to c1.
    assert moved == [(2, 0, Stance.SUPPORT), (2, 1, Stance.ACQUIESCE), (3, 0, Stance.SUPPORT)]


def test_withdrawal_without_endorsement_moves_nobody() -> None:
    records = simulate(withdrawal_model(endorses=-1))
    assert records.withdrawn_round[0].tolist() == [-1, 1]
    assert records.outcome[0] == 2 + NO_DECISION
    assert records.rounds_blocking[0].tolist() == [0, 0, 4, 4, 0]


def test_the_front_runner_never_withdraws() -> None:
    model = tiny_model(["SA", "SA", "OA"], rounds=4, withdraw_rate=np.array([1.0, 1.0]))
    assert simulate(model).withdrawn_round[0].tolist() == [-1, 1]


def test_withdraw_event_of_a_candidate_not_yet_entered() -> None:
    model = tiny_model(
        ["SS", "SS", "OA"],
        rounds=4,
        enter_round=np.array([0, 2], dtype=np.int64),
        events=(event(1, EventKind.WITHDRAW, (), k=1),),
    )
    records = simulate(model)
    assert records.withdrawn_round[0].tolist() == [-1, 1]
    assert records.decisive[0] == 0
    assert [e.candidate for e in log_of(model) if e.what == "enter"] == [0]


# --- silence ------------------------------------------------------------------------------


def test_silence_breaker_becomes_an_objector_and_blocks() -> None:
    model = tiny_model(["S", "S", "S"], rounds=4, silence_break=np.array([0.0, 1.0, 0.0]))
    records = simulate(model)
    assert records.outcome[0] == 1 + NO_DECISION
    assert records.rounds_blocking[0].tolist() == [0, 4, 0]
    assert records.last_holdout[0] == 1
    first = [(e.what, e.why, e.member, e.new) for e in log_of(model) if e.round == 0][-2:]
    assert first == [("silence_break", "silence", 1, -1), ("stance", "silence", 1, Stance.OBJECT)]


def test_silence_breaker_who_lifts_breaks_again() -> None:
    model = tiny_model(
        ["S", "S"], rounds=3, silence_break=np.array([1.0, 0.0]), lift_rate=np.array([1.0, 0.0])
    )
    records = simulate(model)
    assert records.rounds_blocking[0].tolist() == [3, 0]
    assert records.outcome[0] == 1 + NO_DECISION


# --- presence and events ------------------------------------------------------------------


def test_member_not_yet_present_does_not_block() -> None:
    present = np.ones((3, 3), dtype=bool)
    present[:2, 2] = False
    records = simulate(tiny_model(["S", "S", "O"], rounds=3, present=present))
    assert (records.outcome[0], records.decision_round[0]) == (0, 0)
    assert records.rounds_blocking[0, 2] == 0


def test_member_blocks_once_present() -> None:
    present = np.ones((4, 3), dtype=bool)
    present[0, 2] = False
    model = tiny_model(["S", "O", "O"], rounds=4, present=present, lift_rate=np.array([0, 1, 0]))
    records = simulate(model)
    # Member 1 lifts in round 1, when member 2 joins and blocks from then on.
    assert records.outcome[0] == 1 + NO_DECISION
    assert records.rounds_blocking[0].tolist() == [0, 1, 3]


def test_event_of_round_0_applies_before_the_first_check() -> None:
    model = tiny_model(["S", "O"], rounds=2, events=(event(0, EventKind.ENDORSE, (1,)),))
    records = simulate(model)
    assert (records.outcome[0], records.decision_round[0]) == (0, 0)
    assert records.rounds_blocking[0].tolist() == [0, 0]


def test_event_dated_before_the_start_applies_at_round_0(tmp_path: Path) -> None:
    path = tmp_path / "early.yaml"
    path.write_text(
        "name: An endorsement before the start\n"
        "start: 2024-04-01\n"
        "end: 2024-04-15\n"
        "candidates: {alpha: {name: Alpha}}\n"
        "defaults: {stance: support, lift_rate: 0.0}\n"
        "members: {HUN: {stance: object}}\n"
        "events:\n"
        "  - {kind: endorse, date: 2024-03-01, members: [HUN], candidate: alpha}\n"
    )
    records = simulate(load_model(path))
    assert (records.outcome[0], records.decision_round[0]) == (0, 0)


def test_uncertain_event_happens_iff_its_uniform_is_below_p() -> None:
    endorse = event(1, EventKind.ENDORSE, (1,), probability=0.5)
    model = tiny_model(["S", "O"], rounds=3, events=(endorse,))
    records = simulate(model, n=20)
    for trial in range(20):
        u = trial_generators(SEED, trial)[Mechanism.EVENTS].random()
        assert (records.outcome[trial] == 0) == (u < 0.5)


# --- the initial draw ---------------------------------------------------------------------


def test_initial_stance_is_the_first_category_whose_cumulative_exceeds_u() -> None:
    prob = np.zeros((3, 1, 4))
    prob[0, 0, Stance.SUPPORT] = 1.0  # certain, but takes its number all the same
    prob[1, 0, [Stance.SUPPORT, Stance.ACQUIESCE, Stance.OBJECT]] = [0.2, 0.3, 0.5]
    prob[2, 0, [Stance.SUPPORT, Stance.CONDITIONAL]] = [0.6, 0.4]
    records = simulate(tiny_model(["S", "S", "S"], rounds=1, stance_prob=prob), n=30)
    for trial in range(30):
        _, u1, u2 = trial_generators(SEED, trial)[Mechanism.STANCE].random(3)
        assert (records.rounds_blocking[trial, 1] > 0) == (u1 >= 0.5)
        assert (records.rounds_blocking[trial, 2] > 0) == (u2 >= 0.6)


def test_each_event_has_its_own_number_used_or_not() -> None:
    always = event(1, EventKind.ENDORSE, (0,))  # member 0 supports already
    never = event(1, EventKind.ENDORSE, (1,), probability=0.0)
    maybe = event(1, EventKind.ENDORSE, (1,), probability=0.5)
    records = simulate(tiny_model(["S", "O"], rounds=3, events=(always, never, maybe)), n=30)
    for trial in range(30):
        u = trial_generators(SEED, trial)[Mechanism.EVENTS].random(3)
        assert (records.outcome[trial] == 0) == (u[2] < 0.5)
    assert 0 < (records.outcome == 0).sum() < 30


def test_a_certain_stance_does_not_shift_the_numbers_of_the_others() -> None:
    uncertain = np.zeros((3, 1, 4))
    uncertain[:, 0, [Stance.SUPPORT, Stance.OBJECT]] = [0.5, 0.5]
    certain = uncertain.copy()
    certain[0, 0] = [1.0, 0.0, 0.0, 0.0]
    a = simulate(tiny_model(["S"] * 3, rounds=1, stance_prob=uncertain), n=40)
    b = simulate(tiny_model(["S"] * 3, rounds=1, stance_prob=certain), n=40)
    assert np.array_equal(a.rounds_blocking[:, 1:], b.rounds_blocking[:, 1:])
    assert not np.array_equal(a.rounds_blocking[:, 0], b.rounds_blocking[:, 0])


def first_below(mechanism: Mechanism, trial: int, p: float = 0.5) -> int:
    """1 + the index of the first uniform below ``p`` in a trial's stream of ``mechanism``."""
    u = trial_generators(SEED, trial)[mechanism].random(200)
    return 1 + int(np.flatnonzero(u < p)[0])


def test_each_mechanism_draws_from_its_own_stream() -> None:
    # In each model only one mechanism draws, once per round with probability 1/2.
    lift = tiny_model(["S", "O"], rounds=60, lift_rate=np.array([0.0, 0.5]))
    grant = tiny_model(["S", "C"], rounds=60, **demands((1, 0, 0.5)))
    trail = tiny_model(["SA", "OA"], rounds=60, withdraw_rate=np.array([0.0, 0.5]))
    drift = tiny_model(["S", "A", "O"], rounds=60, influence=1.0, lift_rate=np.array([0, 0.75, 0]))
    for trial in range(10):
        assert simulate_reference(lift, SEED, trial, 1)[0].decision_round[0] == first_below(
            Mechanism.REVISION, trial
        )
        assert simulate_reference(grant, SEED, trial, 1)[0].decision_round[0] == first_below(
            Mechanism.CONCESSIONS, trial
        )
        assert simulate_reference(trail, SEED, trial, 1)[0].withdrawn_round[0, 1] == first_below(
            Mechanism.WITHDRAWALS, trial
        )
        # z = 1/2, so the acquiescing member moves with probability 1 - 0.25 ** 0.5 = 1/2.
        (moved,) = [e.round for e in log_of(drift, trial) if e.why == "influence"]
        assert moved == first_below(Mechanism.INFLUENCE, trial)


def test_silence_draws_follow_member_order_and_skip_certain_ones() -> None:
    # Members 0 (never) and 2 (always) take no number: members 1 and 3 use the first two.
    breaks = np.array([0.0, 0.3, 1.0, 0.6])
    records = simulate(tiny_model(["S"] * 4, rounds=1, silence_break=breaks), n=20)
    for trial in range(20):
        u1, u3 = trial_generators(SEED, trial)[Mechanism.SILENCE].random(2)
        expected = [0, int(u1 < 0.3), 1, int(u3 < 0.6)]
        assert records.rounds_blocking[trial].tolist() == expected


# --- demands ------------------------------------------------------------------------------


def test_grant_event_settles_a_conditional_member() -> None:
    model = tiny_model(
        ["S", "C"], rounds=4, events=(event(2, EventKind.GRANT, (1,)),), **demands((1, 0, 0.0))
    )
    records = simulate(model)
    assert (records.outcome[0], records.decision_round[0]) == (0, 2)
    assert records.granted_round[0].tolist() == [2]
    assert records.needed_demand[0]


def test_conditional_member_without_demands_leaves_only_by_dropping_its_conditions() -> None:
    stuck = simulate(tiny_model(["S", "C"], rounds=3, lift_rate=np.array([0.0, 0.0])))
    assert stuck.outcome[0] == 1 + NO_DECISION
    assert stuck.rounds_blocking[0].tolist() == [0, 3]
    drops = simulate(tiny_model(["S", "C"], rounds=3, lift_rate=np.array([0.0, 1.0])))
    assert (drops.outcome[0], drops.decision_round[0]) == (0, 1)
    assert not drops.needed_demand[0]


def test_conditional_member_waits_for_all_its_demands() -> None:
    one_open = tiny_model(["S", "C"], rounds=4, **demands((1, 0, 1.0), (1, 0, 0.0)))
    both = tiny_model(["S", "C"], rounds=4, **demands((1, 0, 1.0), (1, 0, 1.0)))
    open_records, both_records = simulate(one_open), simulate(both)
    assert open_records.outcome[0] == 1 + NO_DECISION
    assert open_records.granted_round[0].tolist() == [1, -1]
    assert (both_records.outcome[0], both_records.decision_round[0]) == (0, 1)
    assert both_records.needed_demand[0]


# --- modulated hazards --------------------------------------------------------------------


def multipliers(entries: list[LogEntry], why: str, t: int) -> list[float]:
    """The hazard multipliers logged for the changes of one kind in round ``t``."""
    return [e.detail["multiplier"] for e in entries if e.why == why and e.round == t]


def test_isolation_term_is_shared_among_the_blockers() -> None:
    # Lift rate 1 lifts at once whatever the multiplier; the log shows the multiplier used.
    pair = tiny_model(["S", "O", "O"], rounds=2, isolation=1.0, lift_rate=np.array([0, 1.0, 1.0]))
    alone = tiny_model(["S", "O"], rounds=2, isolation=1.0, lift_rate=np.array([0, 1.0]))
    assert multipliers(log_of(pair), "lift", 1) == [math.exp(1 / 2)] * 2
    assert multipliers(log_of(alone), "lift", 1) == [math.exp(1.0)]


def test_deadline_pressure_multiplies_concessions() -> None:
    pressure = np.array([0.0, math.log(3.0), 0.0])
    model = tiny_model(
        ["S", "C"], rounds=3, deadline_pressure=1.0, pressure=pressure, **demands((1, 0, 1.0))
    )
    (grant,) = [e for e in log_of(model) if e.what == "grant"]
    assert math.isclose(grant.detail["multiplier"], 3.0)


def test_influence_moves_acquiescing_members_with_the_others_support() -> None:
    model = tiny_model(["S", "A", "O"], rounds=2, influence=1.0, lift_rate=np.array([0, 1.0, 0]))
    (moved,) = [e for e in log_of(model) if e.why == "influence"]
    assert (moved.round, moved.member, moved.new) == (1, 1, Stance.SUPPORT)
    assert moved.detail["z"] == 0.5  # one of the two other members supports


# --- deadlines and records ----------------------------------------------------------------


def test_hard_deadline_in_the_last_round_wins_over_no_decision() -> None:
    records = simulate(tiny_model(["S", "O"], rounds=3, hard_round=2))
    assert (records.outcome[0], records.decision_round[0]) == (1 + EXTENSION, 2)
    assert records.sole_blocker_at_hard[0] == 1


def test_vacancy_and_two_blockers_at_the_hard_deadline() -> None:
    model = tiny_model(["S", "O", "O"], rounds=5, hard_round=2, reversion=Reversion.VACANCY)
    records = simulate(model)
    assert (records.outcome[0], records.decision_round[0]) == (1 + Reversion.VACANCY, 2)
    assert records.sole_blocker_at_hard[0] == -1
    end = log_of(model)[-1]
    assert (end.what, end.why, end.new, end.candidate) == ("reversion", "deadline", 1, 0)
    assert records.last_holdout[0] == -1  # both last blocked in round 2


def test_no_active_candidate_leaves_no_decisive_one() -> None:
    model = tiny_model(["S", "S"], rounds=2, enter_round=np.array([5], dtype=np.int64))
    records = simulate(model)
    assert (records.outcome[0], records.decisive[0]) == (1 + NO_DECISION, -1)
    assert records.last_block_round[0].tolist() == [-1, -1]


# --- reproducibility and logging ----------------------------------------------------------


def busy_model() -> Model:
    """Two candidates, uncertain stances and most mechanisms switched on."""
    prob = np.zeros((5, 2, 4))
    prob[:, 0] = [0.4, 0.3, 0.1, 0.2]
    prob[:, 1] = [0.3, 0.4, 0.0, 0.3]
    return tiny_model(
        ["SS"] * 5,
        rounds=12,
        stance_prob=prob,
        lift_rate=np.full(5, 0.2),
        silence_break=np.full(5, 0.05),
        withdraw_rate=np.array([0.1, 0.1]),
        endorses=np.array([1, 0], dtype=np.int64),
        isolation=1.0,
        influence=1.0,
        **demands((0, 0, 0.2), (1, 1, 0.3)),
    )


def test_a_trial_depends_only_on_its_index() -> None:
    model = busy_model()
    whole = simulate(model, n=40)
    part = simulate_reference(model, SEED, 25, 10)[0]
    assert part.first == 25
    assert np.array_equal(part.outcome, whole.outcome[25:35])
    assert np.array_equal(part.rounds_blocking, whole.rounds_blocking[25:35])


def test_logging_changes_nothing_and_logs_the_very_trial() -> None:
    model = busy_model()
    plain, no_logs = simulate_reference(model, SEED, 0, 40)
    logged, logs = simulate_reference(model, SEED, 0, 40, log_trials=range(0, 40, 3))
    assert not no_logs
    assert records_equal(plain, logged)
    assert sorted(logs) == list(range(0, 40, 3))
    for trial, entries in logs.items():
        assert entries == log_of(model, trial)
        end = entries[-1]
        assert end.what in ("appoint", "reversion", "no_decision")
        assert end.round == plain.decision_round[trial]
        if end.what == "appoint":
            assert end.candidate == plain.outcome[trial]


def test_log_lists_the_initial_blocking_stances() -> None:
    model = busy_model()
    records = simulate(model, n=10)
    for trial in range(10):
        initial = [e for e in log_of(model, trial) if e.why == "initial"]
        assert all(e.new in (Stance.CONDITIONAL, Stance.OBJECT) for e in initial)
        decisive = int(records.decisive[trial])
        blocked_at_0 = {e.member for e in initial if e.candidate == decisive}
        blocks_later = {int(i) for i in np.flatnonzero(records.rounds_blocking[trial] > 0)}
        assert blocked_at_0 <= blocks_later
