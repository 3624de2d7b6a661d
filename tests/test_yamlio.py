"""Reading YAML safely: plain data, positions, and a clear problem for every hostile input."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from natosim.scenario.sourcemap import Position, SourceMap
from natosim.scenario.yamlio import MAX_FILE_BYTES, YamlDocument, read_yaml
from natosim.scenario.yamltree import MAX_DEPTH


def read_text(tmp_path: Path, text: str) -> YamlDocument:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path)


def lines(document: YamlDocument) -> list[str]:
    """Problems without the temporary directory, e.g. ``s.yaml:1:1  message``."""
    folder = str(document.path.parent) + os.sep
    return [str(problem).replace(folder, "", 1) for problem in document.problems]


def test_plain_data_with_yaml_12_types(tmp_path: Path) -> None:
    document = read_text(
        tmp_path,
        "a: 1\nb: 0.5\nc: true\nd: null\ne: 2024-02-23\nf: yes\ng: NO\nh: '7'\n1: x\n",
    )
    assert document.problems == ()
    assert document.data == {
        "a": 1,
        "b": 0.5,
        "c": True,
        "d": None,
        "e": dt.date(2024, 2, 23),
        "f": "yes",
        "g": "NO",
        "h": "7",
        "1": "x",
    }


def test_positions_of_keys_values_and_items(tmp_path: Path) -> None:
    text = "members:\n  HUN:\n    stance: {rutte: object}\nlist:\n  - a\n  - [b, c]\n"
    sources = read_text(tmp_path, text).sources
    assert sources.value(("members", "HUN", "stance", "rutte")) == Position(
        tmp_path / "s.yaml", 3, 21
    )
    assert sources.key(("members", "HUN", "stance", "rutte")).column == 14
    assert sources.key(("members", "HUN")) == Position(tmp_path / "s.yaml", 2, 3)
    assert (sources.value(("list", 1, 1)).line, sources.value(("list", 1, 1)).column) == (6, 9)
    assert sources.key(("list", 0)) == sources.value(("list", 0))


def test_unknown_paths_fall_back_to_the_nearest_known_ancestor() -> None:
    known = Position(Path("f.yaml"), 4, 2)
    sources = SourceMap(Path("f.yaml"), {("a",): known})
    assert sources.value(("a", "b", 3)) == known
    assert sources.value(("z",)) == Position(Path("f.yaml"), 1, 1)


def test_duplicate_keys_are_all_reported_at_the_second_occurrence(tmp_path: Path) -> None:
    document = read_text(tmp_path, "a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert lines(document) == [
        "s.yaml:4:3  b.c  duplicate key 'c' (first at line 3)",
        "s.yaml:5:1  a  duplicate key 'a' (first at line 1)",
    ]
    assert document.data == {"a": 1, "b": {"c": 1}}


def test_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    document = read_text(tmp_path, "a: [1, 2\nb: 3\n")
    assert document.data is None
    assert lines(document) == [
        "s.yaml:2:2  YAML syntax error: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object:os.system {}\n", "s.yaml:1:4  a  YAML tags such as !!python/object"),
        ("a: !!binary aGVsbG8=\n", "s.yaml:1:4  a  YAML tags such as !!binary"),
        ("a: !!set {x}\n", "s.yaml:1:4  a  YAML tags such as !!set"),
        ("a: !custom 3\n", "s.yaml:1:4  a  YAML tags such as !custom"),
    ],
)
def test_non_standard_tags_are_refused(tmp_path: Path, text: str, expected: str) -> None:
    document = read_text(tmp_path, text)
    assert lines(document)[0].startswith(expected)
    assert document.sources.is_tainted(("a",))


def test_standard_tags_are_read(tmp_path: Path) -> None:
    document = read_text(tmp_path, "a: !!str 5\nb: !!int '7'\nc: !!float 1\n")
    assert document.problems == ()
    assert document.data == {"a": "5", "b": 7, "c": 1.0}


def test_anchors_and_aliases_are_refused_once_with_a_count(tmp_path: Path) -> None:
    document = read_text(tmp_path, "a: &x [1, 2]\nb: *x\nc: [*x, *x]\n")
    assert lines(document) == [
        "s.yaml:1:4  a  anchors and aliases (& and *) are not supported in scenario files; "
        "write the value out (3 more in this file)"
    ]
    assert document.data == {"a": [1, 2], "b": None, "c": [None, None]}
    assert document.sources.is_tainted(("c", 1))
    assert not document.sources.is_tainted(("a",))


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    document = read_text(tmp_path, "a:\n  <<: {k: 1}\n  n: 2\n")
    assert lines(document) == [
        "s.yaml:2:3  a  merge keys (<<) are not supported in scenario files; write the keys out"
    ]
    assert document.data == {"a": {"n": 2}}


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    started = time.perf_counter()
    document = read_text(tmp_path, "\n".join(rows) + "\n")
    assert time.perf_counter() - started < 2.0
    assert len(document.problems) == 1
    assert "80 more in this file" in document.problems[0].message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"",
            "s.yaml:1:1  the file is empty; a scenario needs at least name, start, end and "
            "candidates",
        ),
        (
            b"  \n\n",
            "s.yaml:1:1  the file is empty; a scenario needs at least name, start, end "
            "and candidates",
        ),
        (
            b"# only a comment\n",
            "s.yaml:1:1  the file has no content, only comments or blank lines",
        ),
        (b"---\n", "s.yaml:1:1  the file has no content, only comments or blank lines"),
        (
            b"a: 1\nb: \x00\n",
            "s.yaml:2:4  the file contains NUL bytes: it is binary (or UTF-16), not UTF-8 text",
        ),
        (
            b"a: 1\nb: caf\xe9\n",
            "s.yaml:2:7  the file is not valid UTF-8 text; save it as UTF-8 (got b'\\xe9')",
        ),
        (
            b"- 1\n- 2\n",
            "s.yaml:1:1  the top level of a scenario must be a mapping of keys such "
            "as name, start and end (got [1, 2])",
        ),
        (
            b"just text\n",
            "s.yaml:1:1  the top level of a scenario must be a mapping of keys "
            "such as name, start and end (got 'just text')",
        ),
        (b"a: \x07\n", "s.yaml:1:4  control character #x0007 is not allowed in YAML"),
    ],
)
def test_unreadable_content_is_one_clear_problem(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(content)
    document = read_yaml(path)
    assert document.data is None
    assert lines(document) == [expected]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_yaml(path).data == {"a": 1}


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert lines(read_yaml(tmp_path / "s.yaml")) == ["s.yaml:1:1  file not found"]
    (tmp_path / "dir.yaml").mkdir()
    assert lines(read_yaml(tmp_path / "dir.yaml")) == [
        "dir.yaml:1:1  this is a directory; give a scenario file (.yaml)"
    ]


def test_file_over_the_limit_is_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    started = time.perf_counter()
    document = read_yaml(path)
    assert time.perf_counter() - started < 2.0
    assert lines(document) == ["s.yaml:1:1  the file is larger than 1024 KiB (1 MiB)"]


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * (MAX_FILE_BYTES - 5))
    assert read_yaml(path).data == {"a": 1}


def test_deep_nesting_stops_reading(tmp_path: Path) -> None:
    document = read_text(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n")
    assert document.data is None
    assert (
        document.problems[-1].message == f"nesting deeper than {MAX_DEPTH} levels is not supported"
    )


def test_second_document_is_reported(tmp_path: Path) -> None:
    document = read_text(tmp_path, "a: 1\n---\nb: 2\n")
    assert lines(document) == [
        "s.yaml:2:1  a scenario file holds one YAML document; remove this '---'"
    ]
    assert document.data == {"a": 1}


def test_keys_must_be_plain_text(tmp_path: Path) -> None:
    document = read_text(tmp_path, "? [a, b]\n: 1\nc: 2\n")
    assert lines(document) == ["s.yaml:1:3  keys must be plain text, not lists or mappings"]
    assert document.data == {"c": 2}


def test_unconvertible_scalars_stay_text(tmp_path: Path) -> None:
    document = read_text(tmp_path, f"a: 2024-13-45\nb: {'9' * 5000}\nc: !!int abc\n")
    assert document.problems == ()
    assert document.data == {"a": "2024-13-45", "b": "9" * 5000, "c": "abc"}
