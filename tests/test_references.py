"""Cross-field checks on raw data: member codes, candidate ids, dates and demands."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from helpers import VALID
from hypothesis import given, settings
from hypothesis import strategies as st

from natosim.roster.builtin import load_roster
from natosim.scenario.references import check_references
from natosim.scenario.sourcemap import Finding

ROSTER = load_roster("nato")


def check(**changes: Any) -> list[Finding]:
    """Findings for VALID with top-level keys replaced (None deletes a key)."""
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return check_references(data, ROSTER)


def event(**fields: Any) -> dict[str, Any]:
    return {"date": dt.date(2024, 5, 1), **fields}


def test_valid_scenario_has_no_findings() -> None:
    assert check() == []


def test_unknown_member_key_suggests_the_closest_code() -> None:
    assert check(members={"HNU": {}}) == [
        Finding(("members", "HNU"), "unknown member 'HNU'; did you mean 'HUN'?", None, True)
    ]


def test_unknown_member_in_events_home_and_outcome() -> None:
    findings = check(
        candidates={"rutte": {"name": "R", "home": "ZZZ"}, "iohannis": {"name": "I"}},
        events=[event(kind="endorse", members=["USA", "QQQ"], candidate="rutte")],
        outcome={"appointed": "rutte", "last_holdout": "HNU"},
    )
    assert [(f.path, f.message.split(";")[0]) for f in findings] == [
        (("candidates", "rutte", "home"), "unknown member 'ZZZ'"),
        (("events", 0, "members", 1), "unknown member 'QQQ'"),
        (("outcome", "last_holdout"), "unknown member 'HNU'"),
    ]


def test_member_that_joined_after_the_end() -> None:
    findings = check(
        start=dt.date(2014, 3, 28),
        end=dt.date(2014, 12, 31),
        members={"SWE": {}},
        candidates={"x": {"name": "X"}},
        events=[],
    )
    assert findings == [
        Finding(
            ("members", "SWE"),
            "SWE joined NATO on 2024-03-07, after this scenario ends (2014-12-31)",
            None,
            True,
        )
    ]


def test_event_member_must_have_joined_by_the_event_or_the_start() -> None:
    findings = check(
        events=[
            event(kind="endorse", members=["SWE"], candidate="rutte"),
            event(date=dt.date(2024, 3, 1), kind="endorse", members=["SWE"], candidate="rutte"),
            event(date=dt.date(2024, 1, 1), kind="endorse", members=["SWE"], candidate="rutte"),
        ]
    )
    assert [(f.path, f.message) for f in findings] == [
        (
            ("events", 1, "members", 0),
            "SWE joined NATO on 2024-03-07, after the date of this event (2024-03-01)",
        ),
        (
            ("events", 2, "members", 0),
            "SWE joined NATO on 2024-03-07, after the start "
            "(2024-02-23), when this earlier event takes effect",
        ),
    ]


def test_unknown_candidates_everywhere() -> None:
    members = {
        "HUN": {
            "stance": {"rute": "object"},
            "demands": [{"candidate": "iohanis", "description": "x", "grant_rate": 0.1}],
        }
    }
    findings = check(
        members=members,
        defaults={"stance": {"zzz": "support"}},
        events=[event(kind="withdraw", candidate="orban")],
        outcome={"appointed": "ruttte"},
    )
    assert findings == [
        Finding(
            ("defaults", "stance", "zzz"),
            "unknown candidate 'zzz'; candidates are rutte, iohannis",
            None,
            True,
        ),
        Finding(
            ("members", "HUN", "stance", "rute"),
            "unknown candidate 'rute'; did you mean 'rutte'?",
            None,
            True,
        ),
        Finding(
            ("members", "HUN", "demands", 0, "candidate"),
            "unknown candidate 'iohanis'; did you mean 'iohannis'?",
        ),
        Finding(
            ("events", 0, "candidate"), "unknown candidate 'orban'; candidates are rutte, iohannis"
        ),
        Finding(("outcome", "appointed"), "unknown candidate 'ruttte'; did you mean 'rutte'?"),
    ]


def test_non_appointments_are_valid_outcomes() -> None:
    for appointed in ("extension", "vacancy", "no_decision", "iohannis"):
        assert check(outcome={"appointed": appointed}) == []


def test_reserved_candidate_ids_and_self_endorsement() -> None:
    candidates = {
        "support": {"name": "S"},
        "vacancy": {"name": "V"},
        "rutte": {"name": "R", "withdraws": {"rate": 0.1, "endorses": "rutte"}},
    }
    findings = check(candidates=candidates, members={}, events=[])
    assert [(f.path, f.at_key) for f in findings] == [
        (("candidates", "support"), True),
        (("candidates", "vacancy"), True),
        (("candidates", "rutte", "withdraws", "endorses"), False),
    ]
    assert findings[0].message == "'support' is a stance word and cannot be a candidate id"


def test_end_must_follow_start() -> None:
    assert check(start=dt.date(2025, 1, 1)) == [
        Finding(("end",), "must be after start (2025-01-01)", "2024-12-31")
    ]


def test_dates_outside_the_scenario() -> None:
    findings = check(
        deadlines=[
            {"name": "old", "date": dt.date(2023, 7, 1), "hard": True},
            {"name": "ok", "date": "2024-07-09"},
        ],
        candidates={"rutte": {"name": "R", "enters": "2025-01-02"}},
        events=[
            event(date=dt.date(2020, 1, 1), kind="endorse", members=["USA"], candidate="rutte"),
            event(date=dt.date(2025, 1, 1), kind="withdraw", candidate="rutte"),
        ],
        members={},
    )
    assert [(f.path, f.got) for f in findings] == [
        (("deadlines", 0, "date"), "2023-07-01"),
        (("candidates", "rutte", "enters"), "2025-01-02"),
        (("events", 1, "date"), "2025-01-01"),
    ]
    assert findings[0].message == "must be between start (2024-02-23) and end (2024-12-31)"


def test_conditional_member_stance_needs_a_demand() -> None:
    members = {
        "TUR": {"stance": {"iohannis": {"conditional": 0.5, "support": 0.5}}},
        "HUN": {
            "stance": "conditional",
            "demands": [{"candidate": "rutte", "description": "x", "grant_rate": 0.1}],
        },
        "ROU": {
            "stance": "conditional",
            "demands": [{"candidate": "rutte", "description": "x", "grant_rate": 0.1}],
        },
        "POL": {"stance": {"rutte": {"conditional": 0.0, "support": 1.0}}},
    }
    assert check(members=members) == [
        Finding(
            ("members", "TUR", "stance", "iohannis"),
            "conditional on 'iohannis' needs at "
            "least one demand on 'iohannis' under members.TUR.demands",
        ),
        Finding(
            ("members", "HUN", "stance"),
            "conditional on 'iohannis' needs at least one "
            "demand on 'iohannis' under members.HUN.demands",
        ),
    ]


def test_conditional_default_is_reported_at_the_defaults() -> None:
    findings = check(defaults={"stance": {"rutte": "conditional"}}, members={})
    assert len(findings) == 1
    assert findings[0].path == ("defaults", "stance", "rutte")
    assert findings[0].message.endswith("missing for ALB, BEL, BGR, CAN, CZE and 26 more")


def test_conditional_default_is_fine_when_every_member_overrides_or_demands() -> None:
    in_force = [m.code for m in ROSTER.in_force(dt.date(2024, 12, 31))]
    demand = [{"candidate": "rutte", "description": "x", "grant_rate": 0.1}]
    members: dict[str, Any] = {code: {"demands": demand} for code in in_force}
    members["HUN"] = {"stance": "support"}
    members["POL"] = {"stance": {"rutte": "object"}}
    del members["NLD"]  # rutte's home supports him
    assert check(defaults={"stance": "conditional"}, members=members) == [
        Finding(
            ("defaults", "stance"),
            "conditional on 'iohannis' needs a demand on 'iohannis' "
            "from every member that takes this default; missing for ALB, BEL, BGR, CAN, CZE "
            "and 25 more",
        ),
    ]


def test_stance_and_grant_events_need_a_demand() -> None:
    findings = check(
        events=[
            event(kind="stance", member="SVK", candidate="rutte", stance="conditional"),
            event(kind="stance", member="SVK", candidate="rutte", stance="object"),
            event(kind="grant", member="POL", candidate="rutte"),
            event(kind="grant", member="HUN", candidate="rutte"),
        ]
    )
    assert findings == [
        Finding(
            ("events", 0, "stance"),
            "a stance event setting conditional needs a demand by "
            "SVK on 'rutte' under members.SVK.demands",
        ),
        Finding(
            ("events", 2),
            "a grant event needs a demand by POL on 'rutte' under members.POL.demands",
        ),
    ]


def test_malformed_parts_are_left_to_the_schema() -> None:
    findings = check(
        members={"hun": {}, "HUN": None, "TUR": {"stance": {"suport": 0.5, "acquiesce": 0.5}}},
        candidates={"Rutte": {"name": "R"}, "rutte": "not a mapping"},
        events=[5, {"kind": "endorse", "members": "USA"}, {"candidate": ["a"], "member": 7}],
        deadlines={"date": "2024-01-01"},
        start="yesterday",
        outcome=[1],
    )
    assert findings == []


json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(["HUN", "SWE", "rutte", "conditional", "2024-05-01"])
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "members",
                    "candidates",
                    "stance",
                    "events",
                    "HUN",
                    "rutte",
                    "date",
                    "kind",
                    "member",
                    "demands",
                    "candidate",
                    "start",
                    "end",
                    "defaults",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(st.sampled_from([*sorted(VALID), "deadlines", "outcome"]), json_like))
def test_any_shape_of_data_is_checked_without_crashing(data: dict[str, Any]) -> None:
    for finding in check_references(data, ROSTER):
        assert isinstance(finding, Finding)
        assert finding.message


def test_follows_and_blocs_name_roster_members() -> None:
    findings = check(
        members={"HUN": {"follows": ["TRK"]}},
        blocs={"baltic": {"members": ["EST", "LVX"], "correlation": 0.5}},
    )
    assert [(f.path, f.message.split(";")[0]) for f in findings] == [
        (("members", "HUN", "follows", 0), "unknown member 'TRK'"),
        (("blocs", "baltic", "members", 1), "unknown member 'LVX'"),
    ]


def test_a_member_cannot_follow_itself() -> None:
    findings = check(members={"HUN": {"follows": ["TUR", "HUN"]}})
    assert [(f.path, f.message) for f in findings] == [
        (
            ("members", "HUN", "follows", 1),
            "a member cannot follow itself; name the members it will not outlast",
        )
    ]


def test_a_member_is_in_one_bloc_at_most() -> None:
    findings = check(
        blocs={
            "baltic": {"members": ["EST", "LVA", "LTU"], "correlation": 0.5},
            "nordic": {"members": ["FIN", "EST"], "correlation": 0.3},
        }
    )
    assert [(f.path, f.message) for f in findings] == [
        (
            ("blocs", "nordic", "members", 1),
            "EST is already in bloc 'baltic'; a member is in one bloc",
        )
    ]
