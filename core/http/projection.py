"""A response schema read as plain data: its models become typed dicts.

Validating a page of 50 products into model objects costs 2.59M instructions, into typed dicts
of the same fields 1.49M (``bench/RESULTS.md``). The JSON is the same: a typed dict declares the
same fields, with the same types, validators and defaults, in the same order. So an answer reads
its rows through :func:`as_plain_data`'s schema, and the unknown fields of a row are dropped as
the model would drop them.

A model that does more than declare fields (a validator or serialiser of its own, a computed
field, a root model, a custom ``__init__``) keeps its model node, and the models inside it keep
theirs: what it does needs the model, and may read its fields' models.

:func:`writes_plain_json` then says whether ``orjson`` writes those dicts as pydantic-core would,
byte for byte: it does for the types below, written without any serialisation setting of their
own, in a third of the instructions (0.55M for the page of 50, against pydantic-core's 1.56M).
Anything else is left to pydantic-core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic_core import core_schema

# Core schema types whose validated value orjson writes as pydantic-core does.
_PLAIN_JSON = frozenset(
    {
        "bool",
        "datetime",
        "decimal",
        "default",
        "definition-ref",
        "definitions",
        "enum",
        "function-after",
        "function-before",
        "int",
        "list",
        "literal",
        "none",
        "nullable",
        "str",
        "typed-dict",
        "union",
        "uuid",
    }
)
# A model's own doings, which a typed dict cannot do for it.
_MODEL_DOINGS = (
    "validators",
    "field_validators",
    "root_validators",
    "field_serializers",
    "model_serializers",
    "model_validators",
    "computed_fields",
)


def as_plain_data(schema: core_schema.CoreSchema) -> core_schema.CoreSchema:
    """Returns ``schema`` with each model that only declares fields read as a typed dict of
    those fields: a mapping, a SQLAlchemy row or an object read by attribute all validate."""
    gathered: list[core_schema.CoreSchema] = []
    translated = _translated(schema, gathered)
    return core_schema.definitions_schema(translated, gathered) if gathered else translated


def writes_plain_json(schema: core_schema.CoreSchema) -> bool:
    """Whether the values ``schema`` validates are written by ``orjson`` (with ``OPT_UTC_Z`` and
    decimals as their text) exactly as pydantic-core's serialiser writes them."""
    return _writes_plain_json(schema)


def _translated(node: Any, gathered: list[core_schema.CoreSchema]) -> Any:
    # `gathered` receives the typed dicts, which the schema then names by reference.
    if isinstance(node, list):
        return [_translated(item, gathered) for item in node]
    if isinstance(node, tuple):
        return tuple(_translated(item, gathered) for item in node)
    if not isinstance(node, dict):
        return node
    if node.get("type") == "model":
        return _typed_dict_of(node, gathered) if _declares_only(node) else node
    return {key: _translated(value, gathered) for key, value in node.items()}


def _declares_only(model: Mapping[str, Any]) -> bool:
    fields = model["schema"]
    doings = model["cls"].__pydantic_decorators__
    return (
        fields.get("type") == "model-fields"
        and not fields.get("computed_fields")
        and not any(getattr(doings, kind) for kind in _MODEL_DOINGS)
        and not any(model.get(key) for key in ("root_model", "custom_init", "post_init"))
        and "serialization" not in model
        and "serialization" not in fields
    )


def _typed_dict_of(
    model: Mapping[str, Any], gathered: list[core_schema.CoreSchema]
) -> core_schema.CoreSchema:
    fields: dict[str, core_schema.TypedDictField] = {}
    for name, field in model["schema"]["fields"].items():
        declared = {key: value for key, value in field.items() if key not in ("type", "frozen")}
        fields[name] = core_schema.typed_dict_field(
            required=field["schema"]["type"] != "default", **declared
        )
        fields[name]["schema"] = _translated(field["schema"], gathered)
    typed = core_schema.typed_dict_schema(
        fields,
        cls_name=model["cls"].__name__,
        strict=model.get("strict"),
        # What the schema does not name is dropped, never kept (`answer` refuses "allow").
        extra_behavior="ignore",
        config=model.get("config"),
        ref=f"{model['cls'].__qualname__}:plain:{len(gathered)}",
    )
    gathered.append(typed)
    # A dict is read as it is: the typed dict takes it first, with no Python call. What it
    # refuses (a row, an object, a dict with a wrong value) is read into a mapping and tried again.
    keys = [_lookup_key(name, field) for name, field in fields.items()]
    as_is = core_schema.definition_reference_schema(typed["ref"])
    converted = core_schema.no_info_before_validator_function(_readable(keys), as_is)
    read = core_schema.union_schema([as_is, converted], mode="left_to_right")
    if "ref" in model:
        read["ref"] = model["ref"]
    return read


# An attribute the object does not have: its field is missing, as `from_attributes` finds it.
_MISSING = object()


def _lookup_key(name: str, field: Mapping[str, Any]) -> str:
    alias = field.get("validation_alias")
    return alias if isinstance(alias, str) else name


def _readable(keys: Iterable[str]) -> Callable[[Any], Any]:
    names = tuple(keys)

    def readable(value: Any) -> Any:
        # A dict or a mapping is read as it is; a SQLAlchemy row through its mapping; any other
        # object by attribute, as a model's `from_attributes` reads it.
        if type(value) is dict or isinstance(value, Mapping):
            return value
        mapping = getattr(value, "_mapping", None)
        if isinstance(mapping, Mapping):
            return mapping
        found = ((name, getattr(value, name, _MISSING)) for name in names)
        return {name: read for name, read in found if read is not _MISSING}

    return readable


def _writes_plain_json(node: Mapping[str, Any]) -> bool:
    kind = node["type"]
    if kind not in _PLAIN_JSON or "serialization" in node:
        return False
    own_check = _OWN_CHECKS.get(kind)
    if own_check is not None and not own_check(node):
        return False
    return all(_writes_plain_json(inner) for inner in _inner(node))


def _plain_default(node: Mapping[str, Any]) -> bool:
    # A default is not validated: plain when it is a plain value, or an empty list.
    if "default_factory" in node:
        return node["default_factory"] is list
    return _plain_value(node["default"])


def _plain_typed_dict(node: Mapping[str, Any]) -> bool:
    config = node.get("config") or {}
    return not any(key.startswith("ser_") for key in config) and all(
        not field.get("serialization_exclude")
        and "serialization_exclude_if" not in field
        and field.get("serialization_alias", name) == name
        for name, field in node["fields"].items()
    )


def _plain_value(value: object) -> bool:
    return value is None or type(value) in (str, int, bool)


# What a kind needs besides plain inner schemas.
_OWN_CHECKS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "default": _plain_default,
    "typed-dict": _plain_typed_dict,
    "enum": lambda node: node.get("sub_type") in ("str", "int"),
    "literal": lambda node: all(_plain_value(value) for value in node["expected"]),
    "list": lambda node: "items_schema" in node,
}


def _inner(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The schemas ``node`` holds: a typed dict's fields, a list's items, a union's choices."""
    kind = node["type"]
    if kind == "typed-dict":
        return [field["schema"] for field in node["fields"].values()]
    if kind == "list":
        return [node["items_schema"]]
    if kind == "union":
        return [choice[0] if isinstance(choice, tuple) else choice for choice in node["choices"]]
    if kind == "definitions":
        return [node["schema"], *node["definitions"]]
    return [node["schema"]] if "schema" in node else []
