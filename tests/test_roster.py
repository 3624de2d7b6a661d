"""Tests of the built-in NATO roster and its default clout rule."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest

from natosim.roster.builtin import BODIES, Roster, RosterMember, load_roster


@pytest.fixture(scope="module")
def roster() -> Roster:
    return load_roster()


def _member(roster: Roster, code: str) -> RosterMember:
    member = roster.get(code)
    assert member is not None, code
    return member


def test_bodies_and_cache() -> None:
    assert BODIES == ("nato", "eu", "unsc")
    assert load_roster("nato") is load_roster()


def test_thirty_two_members(roster: Roster) -> None:
    assert roster.body == "nato"
    assert len(roster.members) == 32


def test_codes_unique_alphabetical_and_iso(roster: Roster) -> None:
    codes = roster.codes()
    assert len(set(codes)) == len(codes)
    assert list(codes) == sorted(codes)
    assert all(len(code) == 3 and code.isalpha() and code.isupper() for code in codes)
    for code in ("USA", "GBR", "DEU", "FRA", "NLD", "TUR", "HUN", "SVK", "ROU", "SWE", "MKD"):
        assert code in codes


@pytest.mark.parametrize(
    ("on", "count"),
    [
        (dt.date(1949, 4, 4), 12),
        (dt.date(1999, 3, 11), 16),
        (dt.date(2014, 3, 28), 28),
        (dt.date(2023, 3, 30), 30),
        (dt.date(2023, 4, 4), 31),
        (dt.date(2024, 2, 23), 31),
        (dt.date(2024, 3, 6), 31),
        (dt.date(2024, 3, 7), 32),
    ],
)
def test_in_force(roster: Roster, on: dt.date, count: int) -> None:
    assert len(roster.in_force(on)) == count


def test_sweden_joins_on_2024_03_07(roster: Roster) -> None:
    assert _member(roster, "SWE").accession == dt.date(2024, 3, 7)
    before = {member.code for member in roster.in_force(dt.date(2024, 3, 6))}
    after = {member.code for member in roster.in_force(dt.date(2024, 3, 7))}
    assert after - before == {"SWE"}


def test_names(roster: Roster) -> None:
    assert _member(roster, "TUR").name == "Türkiye"
    assert _member(roster, "MKD").name == "North Macedonia"
    assert _member(roster, "CZE").name == "Czechia"


def test_figures_positive(roster: Roster) -> None:
    for member in roster.members:
        assert member.gdp_usd_bn > 0, member.code
        assert member.population_m > 0, member.code
        if member.code == "ISL":
            assert member.defence_pct_gdp == 0.0
        else:
            assert member.defence_pct_gdp > 0, member.code
        assert (member.gdp_year, member.population_year, member.defence_year) == (
            2023,
            2023,
            2024,
        )


def test_defence_figures_from_reference(roster: Roster) -> None:
    assert _member(roster, "POL").defence_pct_gdp == pytest.approx(4.12)
    assert _member(roster, "USA").defence_pct_gdp == pytest.approx(3.38)
    assert _member(roster, "ESP").defence_pct_gdp == pytest.approx(1.28)
    above_two = [member for member in roster.members if member.defence_pct_gdp >= 2.0]
    assert len(above_two) == 23


def test_clout_rule(roster: Roster) -> None:
    usa = _member(roster, "USA")
    lux = _member(roster, "LUX")
    isl = _member(roster, "ISL")
    assert max(roster.members, key=lambda member: member.clout) is usa
    assert usa.clout > 20 * lux.clout
    assert usa.clout == pytest.approx(math.sqrt(usa.gdp_usd_bn * usa.defence_pct_gdp / 100))
    assert isl.clout == pytest.approx(math.sqrt(isl.gdp_usd_bn * 0.5 / 100))
    assert all(member.clout > 0 for member in roster.members)


@pytest.mark.parametrize("typo", ["HUNG", "HNU", "hun"])
def test_suggest(roster: Roster, typo: str) -> None:
    assert roster.suggest(typo) == "HUN"


def test_suggest_nothing_close(roster: Roster) -> None:
    assert roster.suggest("QQQQQQ") is None


def test_get_unknown(roster: Roster) -> None:
    assert roster.get("XXX") is None


def test_unknown_body_raises() -> None:
    with pytest.raises(ValueError, match="unknown body"):
        load_roster("warsaw_pact")


@pytest.mark.parametrize(
    ("code", "eu"),
    [("DEU", True), ("USA", False), ("TUR", False), ("SWE", True), ("NOR", False)],
)
def test_eu_membership(roster: Roster, code: str, eu: bool) -> None:
    assert _member(roster, code).eu_member is eu


def test_eu_count(roster: Roster) -> None:
    assert sum(member.eu_member for member in roster.members) == 23


def test_the_clout_table_in_the_docs_is_the_rule_s_output(roster: Roster) -> None:
    """docs/roster.md's table of clouts matches the roster, to the digits it shows."""
    text = (Path(__file__).parent.parent / "docs" / "roster.md").read_text(encoding="utf-8")
    shown = dict(re.findall(r"\| ([A-Z]{3}) \| ([0-9.]+) ", text))
    assert len(shown) == len(roster.members)
    for code, value in shown.items():
        decimals = len(value.split(".")[1])
        assert round(roster.get(code).clout, decimals) == float(value), code  # type: ignore[union-attr]


def test_a_broken_roster_file_is_reported_in_that_file_and_nothing_else(tmp_path: Path) -> None:
    from helpers import printed

    rows = (
        "code,name,accession,population_m\nARN,Arnland,2000-01-01,40\nBOR,Borea,2000-01-01,lots\n"
    )
    (tmp_path / "board.csv").write_text(rows, encoding="utf-8")
    (tmp_path / "none.csv").write_text("code,name,population_m\nARN,Arnland,40\n", "utf-8")
    scenario = (
        "name: t\nstart: 2030-01-07\nend: 2030-06-30\nbody: {body}\n"
        "candidates:\n  vale: {{name: Ines Vale}}\nmembers:\n  ARN: {{stance: object}}\n"
    )
    for body in ("board.csv", "none.csv"):
        (tmp_path / f"{body}.yaml").write_text(scenario.format(body=body), "utf-8")
    bad = printed("natosim validate board.csv.yaml", cwd=tmp_path)
    assert bad.splitlines()[0] == "board.csv:3:22  population_m  expected a number (got 'lots')"
    missing = printed("natosim validate none.csv.yaml", cwd=tmp_path).splitlines()
    assert missing[0].startswith("none.csv:1:1  accession  missing column 'accession'")
    assert not any("unknown member" in line for line in missing)


def test_the_security_council_has_fifteen_seats_every_day_of_its_years() -> None:
    unsc = load_roster("unsc")
    day, last = dt.date(2005, 1, 1), dt.date(2026, 12, 31)
    while day <= last:
        seated = [m for m in unsc.members if m.member_on(day)]
        assert len(seated) == 15, day
        assert sum(m.permanent for m in seated) == 5, day
        day += dt.timedelta(days=1)


def test_a_security_council_term_ends_with_its_second_year() -> None:
    japan = _member(load_roster("unsc"), "JPN")
    assert japan.member_on(dt.date(2024, 12, 31))
    assert not japan.member_on(dt.date(2025, 1, 1))
    assert not japan.member_on(dt.date(2012, 6, 1))
