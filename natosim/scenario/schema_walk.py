"""Find the declared type of the node at a pydantic error location.

Why: pydantic's error for an unknown key does not say which keys *are* allowed, and a range
error names only the bound that was broken. Walking the :class:`Scenario` annotations along
the error's location recovers the model (for "did you mean") and both bounds ("must be
between 0 and 1").
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Tag
from pydantic.fields import FieldInfo

from natosim.scenario.schema import Scenario

Loc = Sequence[str | int]
_Typed = tuple[Any, list[Any]]


def model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the node at ``loc``, if that node is a model."""
    found = _walk(loc)
    if found is None:
        return None
    kind = found[0]
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None


def bounds_at(loc: Loc) -> tuple[float | None, float | None]:
    """The inclusive lower and upper bounds declared for the number at ``loc``."""
    found = _walk(loc)
    lower = upper = None
    for item in _flatten(found[1] if found else []):
        lower = getattr(item, "ge", getattr(item, "gt", lower))
        upper = getattr(item, "le", getattr(item, "lt", upper))
    return lower, upper


def _walk(loc: Loc) -> _Typed | None:
    current: _Typed = (Scenario, [])
    for segment in loc:
        current = _unwrap(*current)
        tagged = _tagged(current[0], segment)
        step = (tagged, []) if tagged is not None else _step(current, segment)
        if step is None:
            return None
        current = step
    return _unwrap(*current)


def _unwrap(kind: Any, metadata: list[Any]) -> _Typed:
    """Remove ``Annotated`` layers and ``| None``, collecting metadata."""
    kind, metadata = _strip(kind, metadata)
    return _strip(_optional(kind), metadata)


def _step(current: _Typed, segment: str | int) -> _Typed | None:
    kind, _ = current
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        field = kind.model_fields.get(str(segment))
        return None if field is None else (field.annotation, list(field.metadata))
    args, origin = get_args(kind), _origin(kind)
    if origin is list and isinstance(segment, int):
        return args[0], []
    if origin is dict:
        return (args[0] if segment == "[key]" else args[1]), []
    return None


def _origin(kind: Any) -> Any:
    return get_origin(kind)


def _strip(kind: Any, metadata: list[Any]) -> _Typed:
    """Remove ``Annotated`` layers, collecting their metadata."""
    while get_origin(kind) is Annotated:
        args = get_args(kind)
        kind, metadata = args[0], [*metadata, *args[1:]]
    return kind, metadata


def _is_union(kind: Any) -> bool:
    return get_origin(kind) in (Union, types.UnionType)


def _tagged(kind: Any, segment: str | int) -> Any:
    """The member of a tagged union whose tag is ``segment``, or None."""
    if not _is_union(kind):
        return None
    for member in get_args(kind):
        tags = [item.tag for item in _strip(member, [])[1] if isinstance(item, Tag)]
        if segment in tags:
            return member
    return None


def _optional(kind: Any) -> Any:
    """``X`` for ``X | None``; any other type unchanged."""
    if not _is_union(kind):
        return kind
    members = [member for member in get_args(kind) if member is not type(None)]
    return members[0] if len(members) == 1 else kind


def _flatten(metadata: list[Any]) -> list[Any]:
    """Metadata with the constraints held inside ``Field(...)`` objects spread out."""
    flat: list[Any] = []
    for item in metadata:
        flat.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return flat
