"""Fit natosim's behavioural strengths to the calibration set of holdout episodes.

The calibration set (calibration/episodes.yaml) records how long members of NATO and the EU
held out against decisions that needed their consent, and how each block ended. This script
turns every holdout into weekly rounds with the model's covariates (the deadline signal pi_t,
the number of blockers B_t and the support share z_t of the other members) and fits, by
maximum likelihood, the exit hazards of docs/model.md:

- lift (the member drops its block): H(l) * exp(delta*pi_t + iota_s/B_t + iota_f*z_t);
- grant (the member's demand is met): H(g) * exp(delta*pi_t);

with H(p) = -ln(1 - p). In a round the grant is drawn before the lift, as in the engine, and
a censored holdout contributes its survival only. Run ``python calibration/fit.py`` for the
report, ``--json PATH`` to write the results; docs/calibration.md explains the method.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ruamel.yaml import YAML
from scipy import optimize, stats  # type: ignore[import-untyped, unused-ignore]

HERE = Path(__file__).resolve().parent
EPISODES = HERE / "episodes.yaml"
ROUND_DAYS = 7
WINDOW_DAYS = 28
PRESSURE = {"summit": 3.0, "end_of_term": 2.0, "ministerial": 1.5}
GRANT_CLASSES = ("candidate_word", "government_act", "third_party_act")
EXITS = ("grant", "lift", "censored")

INFLUENCE_HELD = 1.0  # dynamics.influence: z is 1 for every lone holdout, so it is not identified
ISOLATION_HELD = 1.0  # dynamics.isolation: no holdout in the set lifted while others blocked
CANDIDATE_WORD_HELD = 0.10  # one episode only: kept at the shared table's value
CURRENT_TABLE = {  # the shared table of docs/validation.md before this fit
    "deadline_pressure": 1.0,
    "isolation": 1.0,
    "influence": 1.0,
    "entrenched": 0.03,
    "ordinary": 0.05,
    "candidate_word": 0.10,
    "government_act": 0.04,
    "third_party_act": 0.02,
}
NAMES = ("deadline_pressure", "isolation", "log_lift_lone", "log_grant_gov", "log_grant_third")
BOUNDS = ((0.0, 10.0), (0.0, 10.0), (-16.0, 2.0), (-16.0, 2.0), (-16.0, 2.0))
CHI2_95 = float(stats.chi2.ppf(0.95, 1))

FloatArray = NDArray[np.float64]


def hazard(p: float) -> float:
    """The weekly hazard H(p) = -ln(1 - p) of a weekly probability p."""
    return -math.log1p(-p)


def probability(h: float) -> float:
    """The weekly probability 1 - exp(-h) of a weekly hazard h."""
    return -math.expm1(-h)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Spell:
    """One holdout's block, as weekly rounds ending on its last observed day.

    Attributes:
        episode: the episode id.
        member: the holdout's code.
        exit: ``grant``, ``lift`` or ``censored``.
        grant_class: the class of its demand (an index into GRANT_CLASSES).
        pi: the deadline signal in each round.
        inv_b: 1/B_t, the inverse number of blockers in each round.
        z: the support share of the other members in each round.
    """

    episode: str
    member: str
    exit: str
    grant_class: int
    pi: FloatArray
    inv_b: FloatArray
    z: FloatArray

    @property
    def rounds(self) -> int:
        """The number of weekly rounds the member was observed blocking."""
        return len(self.pi)


def load_episodes(path: Path = EPISODES) -> list[dict[str, Any]]:
    """Read the episodes of the calibration file."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    episodes: list[dict[str, Any]] = data["episodes"]
    return episodes


def round_dates(start: dt.date, end: dt.date) -> list[dt.date]:
    """Weekly round dates in (start, end], the last one on ``end``, in time order.

    Why: phasing the rounds on the last observed day puts the exit in a round dated on the
    day it happened, so a summit on that day is not yet "passed" in the exit round.
    """
    count = max(1, math.ceil((end - start).days / ROUND_DAYS))
    return [end - dt.timedelta(days=ROUND_DAYS * k) for k in reversed(range(count))]


def deadline_signal(day: dt.date, deadlines: Sequence[dict[str, Any]]) -> float:
    """pi at ``day``: the strongest log(pressure) ramp of a deadline not yet passed."""
    signal = 0.0
    for deadline in deadlines:
        days_left = (deadline["date"] - day).days
        if days_left >= 0:
            ramp = min(max(1.0 - days_left / WINDOW_DAYS, 0.0), 1.0)
            signal = max(signal, math.log(PRESSURE[deadline["kind"]]) * ramp)
    return signal


def blockers(day: dt.date, holdouts: Sequence[dict[str, Any]]) -> int:
    """The number of the episode's holdouts blocking on ``day``."""
    return sum(1 for h in holdouts if h["start"]["date"] <= day <= h["end"]["date"])


def build_spell(episode: dict[str, Any], holdout: dict[str, Any]) -> Spell:
    """Weekly covariates of one holdout of ``episode``."""
    members = int(episode["members"]["count"])
    dates = round_dates(holdout["start"]["date"], holdout["end"]["date"])
    counts = np.array([max(1, blockers(d, episode["holdouts"])) for d in dates], dtype=float)
    return Spell(
        episode=episode["id"],
        member=holdout["member"],
        exit=holdout["exit"],
        grant_class=GRANT_CLASSES.index(holdout["grant_class"]["value"]),
        pi=np.array([deadline_signal(d, episode["deadlines"]) for d in dates], dtype=float),
        inv_b=1.0 / counts,
        z=(members - counts) / (members - 1),
    )


def build_spells(episodes: Sequence[dict[str, Any]]) -> list[Spell]:
    """Every holdout of every episode, in file order."""
    return [build_spell(e, h) for e in episodes for h in e["holdouts"]]


# --------------------------------------------------------------------------- likelihood


@dataclass(frozen=True)
class Rounds:
    """All rounds of all spells, flattened for a vectorised likelihood."""

    pi: FloatArray
    inv_b: FloatArray
    z: FloatArray
    grant_class: NDArray[np.int64]
    last_grant: NDArray[np.bool_]
    last_lift: NDArray[np.bool_]


def flatten(spells: Sequence[Spell]) -> Rounds:
    """Concatenate the spells' rounds, marking the round in which each exit happened."""

    def last_rounds(kind: str) -> NDArray[np.bool_]:
        flags = [(np.arange(s.rounds) == s.rounds - 1) & (s.exit == kind) for s in spells]
        return np.concatenate(flags)

    return Rounds(
        pi=np.concatenate([s.pi for s in spells]),
        inv_b=np.concatenate([s.inv_b for s in spells]),
        z=np.concatenate([s.z for s in spells]),
        grant_class=np.concatenate([np.full(s.rounds, s.grant_class) for s in spells]),
        last_grant=last_rounds("grant"),
        last_lift=last_rounds("lift"),
    )


def grant_hazards(theta: FloatArray) -> FloatArray:
    """H(g) of each grant class: candidate's word held, the other two fitted."""
    return np.array([hazard(CANDIDATE_WORD_HELD), math.exp(theta[3]), math.exp(theta[4])])


def round_hazards(
    theta: FloatArray, rounds: Rounds, influence: float
) -> tuple[FloatArray, FloatArray]:
    """The grant and lift hazards of every round.

    ``theta[2]`` is the log lift hazard of a lone holdout (B = 1, z = 1) with no deadline
    near, so that H(l) = exp(theta[2] - iota_s - iota_f).
    """
    delta, iota_s, log_lone = theta[0], theta[1], theta[2]
    pressure = np.exp(delta * rounds.pi)
    spread = iota_s * (rounds.inv_b - 1.0) + influence * (rounds.z - 1.0)
    lift = np.exp(log_lone + spread) * pressure
    grant = grant_hazards(theta)[rounds.grant_class] * pressure
    return grant, lift


def log_likelihood(theta: FloatArray, rounds: Rounds, influence: float = INFLUENCE_HELD) -> float:
    """The log-likelihood of the observed spells at ``theta``.

    Every round a member survives costs exp(-(grant + lift)); a grant exit scores
    1 - exp(-grant); a lift exit scores exp(-grant) * (1 - exp(-lift)), since in a round the
    concession is drawn before the stance revision.
    """
    grant, lift = round_hazards(theta, rounds, influence)
    exits = rounds.last_grant | rounds.last_lift
    survive = -(grant + lift)[~exits].sum()
    granted = np.log(-np.expm1(-grant[rounds.last_grant])).sum()
    lifted = (-grant[rounds.last_lift] + np.log(-np.expm1(-lift[rounds.last_lift]))).sum()
    return float(survive + granted + lifted)


def score(theta: FloatArray, rounds: Rounds, influence: float = INFLUENCE_HELD) -> FloatArray:
    """The gradient of log_likelihood with respect to the five parameters.

    Why: an exact gradient makes the many refits of the profiles fast and deterministic.
    """
    grant, lift = round_hazards(theta, rounds, influence)
    exits = rounds.last_grant | rounds.last_lift
    w_grant = np.where(exits & rounds.last_grant, 0.0, -1.0)
    w_grant[rounds.last_grant] = 1.0 / np.expm1(np.minimum(grant[rounds.last_grant], 700.0))
    w_lift = np.where(exits, 0.0, -1.0)
    w_lift[rounds.last_lift] = 1.0 / np.expm1(np.minimum(lift[rounds.last_lift], 700.0))
    d_grant, d_lift = w_grant * grant, w_lift * lift
    return np.array(
        [
            float(((d_grant + d_lift) * rounds.pi).sum()),
            float((d_lift * (rounds.inv_b - 1.0)).sum()),
            float(d_lift.sum()),
            float(d_grant[rounds.grant_class == 1].sum()),
            float(d_grant[rounds.grant_class == 2].sum()),
        ]
    )


# --------------------------------------------------------------------------- fitting

STARTS = (
    (1.0, ISOLATION_HELD, -5.0, -4.0, -5.0),
    (3.0, ISOLATION_HELD, -7.0, -3.0, -6.0),
    (0.2, ISOLATION_HELD, -4.0, -5.0, -4.0),
    (5.0, ISOLATION_HELD, -9.0, -3.5, -5.5),
)


@dataclass(frozen=True)
class Fit:
    """A maximum of the likelihood over the free parameters not held fixed."""

    theta: FloatArray
    log_lik: float


def held(**values: float) -> dict[int, float]:
    """Parameters held fixed, by name; isolation is held at ISOLATION_HELD unless given."""
    fixed = {NAMES.index("isolation"): ISOLATION_HELD}
    fixed.update({NAMES.index(name): value for name, value in values.items()})
    return fixed


def maximise(
    rounds: Rounds,
    fixed: dict[int, float] | None = None,
    influence: float = INFLUENCE_HELD,
    starts: Sequence[Sequence[float] | FloatArray] = STARTS,
) -> Fit:
    """Maximise the likelihood, holding the parameters in ``fixed`` (default: isolation).

    Why several starts: the best of a fixed set of starts keeps the result deterministic and
    away from poor local optima; profiles start from the best fit instead, which is faster.
    """
    fixed = held() if fixed is None else fixed
    free = [i for i in range(len(NAMES)) if i not in fixed]

    def full(x: FloatArray) -> FloatArray:
        theta = np.array([fixed.get(i, 0.0) for i in range(len(NAMES))])
        theta[free] = x
        return theta

    def objective(x: FloatArray) -> tuple[float, FloatArray]:
        theta = full(x)
        return -log_likelihood(theta, rounds, influence), -score(theta, rounds, influence)[free]

    best: Fit | None = None
    for start in starts:
        x0 = np.clip([start[i] for i in free], *np.array([BOUNDS[i] for i in free]).T)
        bounds = [BOUNDS[i] for i in free]
        res = optimize.minimize(objective, x0, jac=True, method="TNC", bounds=bounds)
        fit = Fit(full(np.asarray(res.x, dtype=float)), -float(res.fun))
        if best is None or fit.log_lik > best.log_lik + 1e-9:
            best = fit
    if best is None:
        raise ValueError("no starting point")
    return best


def profile_bound(rounds: Rounds, best: Fit, index: int, side: int) -> float | None:
    """One end of the 95 % profile-likelihood interval of parameter ``index``.

    Returns None when the likelihood does not fall far enough before the parameter's bound
    (the interval is open on that side).
    """
    target = best.log_lik - CHI2_95 / 2.0

    def excess(value: float) -> float:
        fixed = held() | {index: value}
        return maximise(rounds, fixed, starts=[best.theta]).log_lik - target

    edge = BOUNDS[index][0] if side < 0 else BOUNDS[index][1]
    centre = float(best.theta[index])
    if abs(edge - centre) < 1e-9 or excess(edge) > 0.0:
        return None
    return float(optimize.brentq(excess, min(centre, edge), max(centre, edge), xtol=1e-4))


def profile_interval(rounds: Rounds, best: Fit, index: int) -> tuple[float | None, float | None]:
    """The 95 % profile-likelihood interval of parameter ``index`` (None: open end)."""
    return profile_bound(rounds, best, index, -1), profile_bound(rounds, best, index, +1)


def profile_curve(
    values: Sequence[float], fit_at: Callable[[float], Fit], best: float
) -> list[dict[str, float]]:
    """Drop of the maximised log-likelihood below ``best`` at each value."""
    return [{"value": v, "drop": round(best - fit_at(v).log_lik, 4)} for v in values]


# --------------------------------------------------------------------------- diagnostics


def survival_path(theta: FloatArray, spell: Spell, influence: float) -> FloatArray:
    """P(still blocking after round k) along the spell's own covariates, k = 1..n."""
    rounds = flatten([spell])
    grant, lift = round_hazards(theta, rounds, influence)
    return np.exp(-np.cumsum(grant + lift))


def calm_hazard(theta: FloatArray, spell: Spell, influence: float) -> float:
    """The total exit hazard after the spell's last round, with no deadline near."""
    last = flatten([spell])
    spread = theta[1] * (last.inv_b[-1] - 1.0) + influence * (last.z[-1] - 1.0)
    return float(grant_hazards(theta)[spell.grant_class] + math.exp(theta[2] + spread))


def fitted_median(theta: FloatArray, spell: Spell, influence: float) -> float | None:
    """The model's median duration in weeks, along the spell's covariates.

    Past the observed rounds the path continues with no deadline near and the last round's
    blockers; None when the median lies beyond 2,000 weeks.
    """
    path = survival_path(theta, spell, influence)
    below = np.nonzero(path <= 0.5)[0]
    if below.size:
        return float(below[0] + 1)
    extra = math.ceil(math.log(path[-1] / 0.5) / calm_hazard(theta, spell, influence))
    return float(spell.rounds + extra) if spell.rounds + extra <= 2000 else None


def pit(theta: FloatArray, spell: Spell, influence: float) -> float | None:
    """Mid-probability integral transform of an exit: (F(n-1) + F(n)) / 2; None if censored.

    Why: if the model is right these values are spread evenly over (0, 1); values near 0
    mean the holdout left sooner than the model expects, near 1 later.
    """
    if spell.exit == "censored":
        return None
    path = survival_path(theta, spell, influence)
    before = 1.0 if spell.rounds == 1 else float(path[-2])
    return float(((1.0 - before) + (1.0 - path[-1])) / 2.0)


def diagnostics(theta: FloatArray, spells: Sequence[Spell]) -> list[dict[str, Any]]:
    """Observed against fitted duration for every holdout."""
    rows = []
    for spell in spells:
        median = fitted_median(theta, spell, INFLUENCE_HELD)
        rows.append(
            {
                "episode": spell.episode,
                "member": spell.member,
                "exit": spell.exit,
                "observed_weeks": spell.rounds,
                "fitted_median_weeks": median,
                "pit": None if (u := pit(theta, spell, INFLUENCE_HELD)) is None else round(u, 4),
            }
        )
    return rows


# --------------------------------------------------------------------------- the class table


def round_sig(x: float, digits: int = 2) -> float:
    """``x`` rounded to ``digits`` significant figures."""
    if x == 0.0:
        return 0.0
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def base_lift_probability(theta: FloatArray) -> float:
    """The entrenched class's lift_rate l, from the lone rate: H(l) = lone * e^-(iota_s+iota_f)."""
    return probability(math.exp(theta[2] - theta[1] - INFLUENCE_HELD))


def median_wait(p: float) -> float | None:
    """The median wait in weeks, ln 2 / H(p), of a weekly probability p (None if p = 0)."""
    return None if p <= 0.0 else math.log(2.0) / hazard(p)


def class_table(theta: FloatArray) -> list[dict[str, Any]]:
    """The shared table's values that this fit sets, and those it leaves as judgements."""
    entrenched = base_lift_probability(theta)
    ordinary = probability(hazard(entrenched) * hazard(0.05) / hazard(0.03))
    rows = [
        ("lift_rate", "entrenched", entrenched, "fitted"),
        (
            "lift_rate",
            "ordinary",
            ordinary,
            "judgement: no such holdout in the set; 5/3 of entrenched",
        ),
        ("lift_rate", "own candidate", 0.0, "judgement: unchanged"),
        (
            "grant_rate",
            "candidate's word",
            CANDIDATE_WORD_HELD,
            "judgement: one episode; unchanged",
        ),
        ("grant_rate", "government act", probability(math.exp(theta[3])), "fitted"),
        ("grant_rate", "third-party act", probability(math.exp(theta[4])), "fitted"),
        ("dynamics.deadline_pressure", "standard", float(theta[0]), "fitted"),
        ("dynamics.isolation", "standard", ISOLATION_HELD, "judgement: not identified; unchanged"),
        ("dynamics.influence", "standard", INFLUENCE_HELD, "judgement: not identified; unchanged"),
    ]
    return [
        {
            "parameter": p,
            "class": c,
            "estimate": v,
            "value": round_sig(v),
            "median_wait_weeks": None
            if p.startswith("dynamics") or (w := median_wait(round_sig(v))) is None
            else round(w, 1),
            "source": s,
        }
        for p, c, v, s in rows
    ]


def implied(theta: FloatArray) -> list[dict[str, Any]]:
    """Weekly exit probabilities the fit implies for a lone holdout, calm and in a summit week."""
    summit = math.exp(theta[0] * math.log(PRESSURE["summit"]))
    rates = [("lift, lone holdout", math.exp(theta[2]))]
    rates += [
        (f"grant, {c}", float(h)) for c, h in zip(GRANT_CLASSES, grant_hazards(theta), strict=True)
    ]
    return [
        {"exit": name, "calm": probability(h), "summit_week": probability(h * summit)}
        for name, h in rates
    ]


# --------------------------------------------------------------------------- the whole fit


def current_table_theta() -> tuple[FloatArray, float]:
    """The shared table's values before this fit, in this script's parameters."""
    t = CURRENT_TABLE
    lone = math.log(hazard(t["entrenched"])) + t["isolation"] + t["influence"]
    theta = np.array(
        [
            t["deadline_pressure"],
            t["isolation"],
            lone,
            math.log(hazard(t["government_act"])),
            math.log(hazard(t["third_party_act"])),
        ]
    )
    return theta, t["influence"]


def to_rate(index: int, value: float) -> float:
    """A parameter on the scale reported: weekly probability for the log-hazard parameters."""
    return value if index < 2 else probability(math.exp(value))


LABELS = {
    0: "dynamics.deadline_pressure",
    2: "lone holdout's weekly lift probability (B = 1, z = 1, no deadline)",
    3: "grant_rate government act",
    4: "grant_rate third-party act",
}


def estimates(rounds: Rounds, best: Fit) -> list[dict[str, Any]]:
    """Every fitted parameter with its 95 % profile-likelihood interval."""
    rows = []
    for i, label in LABELS.items():
        low, high = profile_interval(rounds, best, i)
        rows.append(
            {
                "parameter": label,
                "estimate": to_rate(i, float(best.theta[i])),
                "low": to_rate(i, BOUNDS[i][0] if low is None else low),
                "high": to_rate(i, BOUNDS[i][1] if high is None else high),
                "low_open": low is None,
                "high_open": high is None,
            }
        )
    return rows


def leave_one_out(episodes: Sequence[dict[str, Any]], best: Fit) -> list[dict[str, Any]]:
    """Refit without each episode in turn: how much any one episode moves the estimates."""
    rows = []
    for drop in episodes:
        rest = [e for e in episodes if e["id"] != drop["id"]]
        fit = maximise(flatten(build_spells(rest)), starts=[best.theta, *STARTS])
        rows.append(
            {
                "without": drop["id"],
                "deadline_pressure": round(float(fit.theta[0]), 4),
                "entrenched_lift_rate": base_lift_probability(fit.theta),
                "grant_government_act": probability(math.exp(fit.theta[3])),
                "grant_third_party_act": probability(math.exp(fit.theta[4])),
            }
        )
    return rows


def counts(spells: Sequence[Spell]) -> dict[str, int]:
    """How many holdouts, rounds and exits of each kind the fit uses."""
    out = {"episodes": len({s.episode for s in spells}), "holdouts": len(spells)}
    out["rounds"] = sum(s.rounds for s in spells)
    out.update({kind: sum(1 for s in spells if s.exit == kind) for kind in EXITS})
    return out


def null_models(rounds: Rounds, best: Fit) -> dict[str, Any]:
    """The fit against models without a deadline effect (rates refitted)."""
    no_deadline = maximise(rounds, held(deadline_pressure=0.0))
    neither = maximise(rounds, held(deadline_pressure=0.0, isolation=0.0))
    lr = 2.0 * (best.log_lik - no_deadline.log_lik)
    return {
        "no_deadline_log_likelihood": round(no_deadline.log_lik, 6),
        "no_deadline_no_isolation_log_likelihood": round(neither.log_lik, 6),
        "lr_statistic": round(lr, 4),
        "p_value_chi2_1df": float(stats.chi2.sf(lr, 1)),
    }


def profiles(rounds: Rounds, best: Fit) -> dict[str, Any]:
    """Profile likelihoods of the two strengths held fixed, isolation and influence."""
    free = maximise(rounds, fixed={})
    return {
        "isolation_free_maximum": {
            "isolation": round(float(free.theta[1]), 4),
            "log_likelihood": round(free.log_lik, 6),
        },
        "isolation": profile_curve(
            [0.0, 0.5, 1.0, 2.0, 4.0, 8.0],
            lambda v: maximise(rounds, held(isolation=v), starts=[best.theta]),
            free.log_lik,
        ),
        "influence": profile_curve(
            [0.0, 0.5, 1.0, 2.0, 4.0],
            lambda v: maximise(rounds, influence=v, starts=[best.theta]),
            best.log_lik,
        ),
    }


def goodness_of_fit(theta: FloatArray, spells: Sequence[Spell]) -> dict[str, Any]:
    """Per-holdout diagnostics and a Kolmogorov–Smirnov test of the exits' PIT values."""
    rows = diagnostics(theta, spells)
    values = [r["pit"] for r in rows if r["pit"] is not None]
    ks = stats.kstest(values, "uniform")
    return {
        "holdouts": rows,
        "pit_ks_statistic": round(float(ks.statistic), 4),
        "pit_ks_p_value": round(float(ks.pvalue), 4),
    }


def run(path: Path = EPISODES, loo: bool = True) -> dict[str, Any]:
    """The whole calibration: fit, intervals, comparisons, diagnostics and the class table."""
    episodes = load_episodes(path)
    spells = build_spells(episodes)
    rounds = flatten(spells)
    best = maximise(rounds)
    table_theta, table_influence = current_table_theta()
    result: dict[str, Any] = {
        "data": counts(spells),
        "held": {
            "dynamics.isolation": ISOLATION_HELD,
            "dynamics.influence": INFLUENCE_HELD,
            "grant_rate candidate's word": CANDIDATE_WORD_HELD,
        },
        "log_likelihood": round(best.log_lik, 6),
        "theta": dict(zip(NAMES, (round(float(x), 6) for x in best.theta), strict=True)),
        "estimates": estimates(rounds, best),
        "implied_weekly_probabilities": implied(best.theta),
        "null_models": null_models(rounds, best),
        "current_table_log_likelihood": round(
            log_likelihood(table_theta, rounds, table_influence), 6
        ),
        "profiles": profiles(rounds, best),
        "goodness_of_fit": goodness_of_fit(best.theta, spells),
        "class_table": class_table(best.theta),
    }
    if loo:
        result["leave_one_out"] = leave_one_out(episodes, best)
    return result


# --------------------------------------------------------------------------- report


def fmt(x: float | None, digits: int = 4) -> str:
    """A number for the report, or an em dash."""
    return "—" if x is None else f"{x:.{digits}g}"


def interval_text(row: dict[str, Any]) -> str:
    """'[low, high]' with open ends marked."""
    low = ("≤" if row["low_open"] else "") + fmt(row["low"])
    high = "open" if row["high_open"] else fmt(row["high"])
    return f"[{low}, {high}]"


def header_lines(result: dict[str, Any]) -> list[str]:
    """What the fit used and what it held fixed."""
    d, h = result["data"], result["held"]
    return [
        "natosim calibration: holdout exit hazards",
        f"{d['episodes']} episodes, {d['holdouts']} holdouts, {d['rounds']} weekly rounds; "
        f"exits: {d['grant']} grant, {d['lift']} lift, {d['censored']} censored",
        "held: " + ", ".join(f"{k} = {v:g}" for k, v in h.items()),
        "",
        f"log-likelihood {result['log_likelihood']:.3f}",
    ]


def estimate_lines(result: dict[str, Any]) -> list[str]:
    """The estimates with intervals, and the weekly probabilities they imply."""
    lines = ["estimates (95 % profile-likelihood intervals):"]
    lines += [
        f"  {r['parameter']}: {fmt(r['estimate'])} {interval_text(r)}" for r in result["estimates"]
    ]
    lines.append("implied weekly exit probability, calm / in a summit week:")
    lines += [
        f"  {r['exit']:<24} {r['calm']:.4f} / {r['summit_week']:.4f}"
        for r in result["implied_weekly_probabilities"]
    ]
    return lines


def comparison_lines(result: dict[str, Any]) -> list[str]:
    """The fit against the null models, the current table and the profiles."""
    n, pr = result["null_models"], result["profiles"]
    free = pr["isolation_free_maximum"]
    return [
        "",
        f"no deadline effect: log-likelihood {n['no_deadline_log_likelihood']:.3f} "
        f"(LR = {n['lr_statistic']:.2f}, p = {n['p_value_chi2_1df']:.2g}); "
        f"no deadline, no isolation: {n['no_deadline_no_isolation_log_likelihood']:.3f}",
        f"current shared table: log-likelihood {result['current_table_log_likelihood']:.3f}",
        f"isolation left free: maximum at its bound {free['isolation']:g}, "
        f"log-likelihood {free['log_likelihood']:.3f}; drop below that maximum at "
        + ", ".join(f"{p['value']:g}: {p['drop']:.3f}" for p in pr["isolation"]),
        "influence (held): drop in log-likelihood at "
        + ", ".join(f"{p['value']:g}: {p['drop']:.3f}" for p in pr["influence"]),
    ]


def fit_lines(result: dict[str, Any]) -> list[str]:
    """Observed against fitted duration for every holdout."""
    g = result["goodness_of_fit"]
    lines = [
        "",
        "observed against fitted (weeks; PIT near 0 = left sooner than the model expects):",
    ]
    for r in g["holdouts"]:
        lines.append(
            f"  {r['episode']:<38} {r['member']}  {r['exit']:<8} observed "
            f"{r['observed_weeks']:>4}  fitted median {fmt(r['fitted_median_weeks']):>5}"
            f"  PIT {fmt(r['pit'], 3)}"
        )
    lines.append(
        f"PIT against uniform: KS = {g['pit_ks_statistic']:.3f}, p = {g['pit_ks_p_value']:.2f}"
    )
    return lines


def table_lines(result: dict[str, Any]) -> list[str]:
    """The proposed class table."""
    lines = ["", "proposed class table:"]
    for r in result["class_table"]:
        wait = r["median_wait_weeks"]
        shown = "" if wait is None else f"median wait {wait:g} wk"
        lines.append(
            f"  {r['parameter']:<27} {r['class']:<17} {r['value']:<8g} {shown:<22} {r['source']}"
        )
    return lines


def loo_lines(result: dict[str, Any]) -> list[str]:
    """The estimates with one episode left out at a time."""
    lines = ["", "leave one episode out:"]
    for r in result.get("leave_one_out", []):
        lines.append(
            f"  without {r['without']:<38} delta {r['deadline_pressure']:.2f}"
            f"  entrenched {r['entrenched_lift_rate']:.2g}"
            f"  government {r['grant_government_act']:.2g}"
            f"  third-party {r['grant_third_party_act']:.2g}"
        )
    return lines


def report(result: dict[str, Any]) -> str:
    """The human-readable report of a calibration run."""
    parts = (header_lines, estimate_lines, comparison_lines, fit_lines, table_lines, loo_lines)
    return "\n".join(line for part in parts for line in part(result))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the calibration, print the report and optionally write the results as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--episodes", type=Path, default=EPISODES, help="the calibration set")
    args = parser.parse_args(argv)
    result = run(args.episodes)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
