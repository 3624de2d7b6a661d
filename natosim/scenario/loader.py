"""Load a scenario file: read it and its bases, validate, and report every problem at once.

The pipeline is :func:`~natosim.scenario.extends.read_chain` (safe YAML, ``extends``),
then :func:`validate_data`: the schema (:mod:`~natosim.scenario.schema_errors`) and the
cross-field checks (:mod:`~natosim.scenario.references`) both run on the merged data, and
their findings are placed in the file, line and column each node came from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from natosim.errors import Problem, ScenarioError
from natosim.roster.members import Roster
from natosim.scenario.bodies import attach_roster_file, raw_roster
from natosim.scenario.extends import read_chain
from natosim.scenario.library import label, resolve
from natosim.scenario.references import check_references
from natosim.scenario.schema import Scenario
from natosim.scenario.schema_errors import check_schema
from natosim.scenario.sourcemap import SourceMap, place

MAX_LISTED = 100
"""Most problems listed for one file; a last line says that more were left out."""


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario and where it came from.

    Attributes:
        scenario: The validated scenario.
        path: The file given to :func:`load_scenario`.
        files: The ``extends`` chain, the given file first.
        sha256: Hex SHA-256 of the canonical JSON of ``scenario`` without ``extends``: two
            files that say the same thing have the same hash, however they are laid out.
        data: The merged raw data, for "what-if" edits passed to :func:`validate_data`.
        sources: Where each node of ``data`` came from (file, line, column), for the same.
    """

    scenario: Scenario
    path: Path
    files: tuple[Path, ...]
    sha256: str
    data: dict[str, Any]
    sources: SourceMap

    @property
    def label(self) -> str:
        """How reports name the file: a bundled scenario by its name, others as given."""
        return label(self.path)


def load_scenario(path: Path) -> LoadedScenario:
    """Read, merge and validate a scenario file, or a bundled scenario named without a folder.

    Raises:
        ScenarioError: with every problem in the file and the files it extends.
    """
    path = resolve(path)
    chain = read_chain(path)
    if chain.data is None:
        raise ScenarioError(sort_problems(chain.problems, chain.files))
    try:
        scenario = validate_data(chain.data, chain.sources, files=chain.files)
    except ScenarioError as error:
        problems = sort_problems([*chain.problems, *error.problems], chain.files)
        raise ScenarioError(problems) from None
    if chain.problems:
        raise ScenarioError(sort_problems(chain.problems, chain.files))
    digest = scenario_hash(scenario)
    return LoadedScenario(scenario, path, chain.files, digest, chain.data, chain.sources)


def validate_data(
    data: Mapping[str, Any],
    sources: SourceMap | None = None,
    *,
    roster: Roster | None = None,
    files: Iterable[Path] = (),
) -> Scenario:
    """Validate plain scenario data, e.g. a loaded scenario's ``data`` after a what-if edit.

    Args:
        data: Merged raw data, as in :attr:`LoadedScenario.data`.
        sources: Positions of the nodes; nodes it does not know are placed at their nearest
            known ancestor, else at line 1, column 1 of ``<data>``.
        roster: The roster to check member codes against; default: the scenario's body.
        files: Order in which to list problems by file (the extends chain).

    Raises:
        ScenarioError: with every schema and cross-field problem found.
    """
    sources = SourceMap(Path("<data>")) if sources is None else sources
    data, read = attach_roster_file(dict(data), sources)
    found, inline = raw_roster(data)
    scenario, findings = check_schema(data)
    findings += inline + check_references(data, found if roster is None else roster)
    live = [finding for finding in findings if not sources.is_tainted(finding.path)]
    problems = read + [place(finding, sources) for finding in live]
    if scenario is None or problems:
        raise ScenarioError(sort_problems(problems, tuple(files)))
    return scenario


OPTIONAL_FIELDS = ("sources", "roster", "rule", "decisions_from")
"""Fields added after the first release, left out of the hash when unset."""


def scenario_hash(scenario: Scenario) -> str:
    """Hex SHA-256 of the canonical JSON of ``scenario``, without ``extends``."""
    # Why warnings=False: the schema's event discriminator only reads dicts, so pydantic
    # warns when it serialises event models (the output is the same either way).
    # Why the unset optional fields are left out: files written before those fields existed
    # keep their hash, so older reports can still be matched to their scenario.
    unset = {name for name in OPTIONAL_FIELDS if not getattr(scenario, name)}
    dumped = scenario.model_dump(mode="json", exclude={"extends", *unset}, warnings=False)
    canonical = json.dumps(dumped, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sort_problems(problems: Iterable[Problem], files: Iterable[Path] = ()) -> tuple[Problem, ...]:
    """Problems without repeats, by file (in ``files`` order, others after), line and column."""
    order = {path: index for index, path in enumerate(files)}

    def key(problem: Problem) -> tuple[int, str, int, int, str, str]:
        rank = order.get(problem.file, len(order))
        return rank, str(problem.file), problem.line, problem.column, problem.field, problem.message

    ordered = sorted(dict.fromkeys(problems), key=key)
    if len(ordered) <= MAX_LISTED:
        return tuple(ordered)
    first = ordered[0]
    more = f"more problems not listed after the first {MAX_LISTED}; fix these first"
    return (*ordered[:MAX_LISTED], Problem(first.file, first.line, first.column, "", more))
