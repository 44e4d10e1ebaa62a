"""The shipped JSON Schemas and modelterms' own validator never disagree about a document's shape.

Documents are generated valid, then bent (a key renamed, a value swapped for another type, a key dropped), and both
the reference implementation (jsonschema) and ours must give the same yes/no. Vocabulary and cross-file checks go
beyond what a schema can say and are tested elsewhere.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource

from modelterms._schema import KINDS, SCHEMA_DIR, validate
from modelterms._yaml import Document

from .conftest import model, profile

_SCHEMAS = {path.name: json.loads(path.read_text()) for path in SCHEMA_DIR.glob("*.json")}
_REGISTRY = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in _SCHEMAS.values())


def reference_valid(data: Any, kind: str) -> bool:
    schema = _SCHEMAS[KINDS[kind]]
    validator = jsonschema.Draft202012Validator(schema, registry=_REGISTRY)
    return validator.is_valid(data)


def ours_valid(data: Any, kind: str) -> bool:
    return not validate(Document("<generated>", data), kind)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**16), st.text(max_size=8),
                     st.sampled_from(["yes", "no", "conditional", "EU", "US", "2024-01-01", "coding", "forbidden"]))


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


@st.composite
def bent(draw: st.DrawFn, base: Any) -> Any:
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "rename", "add"]))
        if not path:
            continue
        key = path[-1]
        if action == "replace":
            parent[key] = draw(_scalars | st.lists(_scalars, max_size=3))
        elif action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["comercial", "summry", "cite", "extra"]))] = parent.pop(key)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["notes", "bogus", "aliases"]))] = draw(_scalars)
    return data


_USE = {"name": "x", "as_of": "2025-01-01", "commercial": True, "monthly_active_users": 5,
        "licensee_country": "DE", "territories": ["EU", "US"], "purposes": ["coding"]}
_PROFILE = profile(thresholds=[{"metric": "monthly_active_users", "limit": 10, "above": "forbidden", "summary": "s",
                                "cite": {"section": "2", "url": "https://x.org"}}],
                   territories=[{"codes": ["EU"], "binds": "domicile", "summary": "s",
                                 "cite": {"section": "3", "url": "https://x.org"}}])
_MODELS = {"models": [model()]}
_RULES = {"rules": [{"id": "r", "description": "d", "subject": "grant",
                     "when": [{"grant.value": "no"}, {"use.monthly_active_users": {"gt": {"ref": "threshold.limit"}}},
                              {"any": [{"use.commercial": True}, {"use.purposes": {"contains": "coding"}}]}],
                     "verdict": "forbidden", "message": "m", "cite": "term"}]}


@pytest.mark.parametrize(("kind", "base"), [("use-case", _USE), ("license", _PROFILE), ("models", _MODELS),
                                            ("rules", _RULES)])
def test_bases_are_valid_for_both(kind: str, base: Any) -> None:
    assert reference_valid(base, kind) and ours_valid(base, kind)


@pytest.mark.parametrize(("kind", "base"), [("use-case", _USE), ("license", _PROFILE), ("models", _MODELS),
                                            ("rules", _RULES)])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_validators_agree_on_bent_documents(kind: str, base: Any, data: st.DataObject) -> None:
    document = data.draw(bent(base))
    assert ours_valid(document, kind) == reference_valid(document, kind), document


def test_every_schema_is_valid_json_schema() -> None:
    for name, schema in _SCHEMAS.items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"].endswith(name)


def test_schemas_ship_in_the_package() -> None:
    assert {path.name for path in Path(SCHEMA_DIR).glob("*.json")} >= set(KINDS.values())
