"""The declared format (JSON Schema) and the model must describe the same fields."""

from __future__ import annotations

import dataclasses
import json

from conftest import REPO
from generator.core import model
from generator.core.validate import SCHEMA_PATH, pattern_schema


def test_schema_is_valid_json_schema() -> None:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_schema_and_model_have_the_same_fields() -> None:
    schema = pattern_schema()
    model_fields = {f.name for f in dataclasses.fields(model.Pattern)} - {"path"}
    assert set(schema["properties"]) == model_fields
    defs = schema["$defs"]
    assert set(defs["known_use"]["properties"]) == {f.name for f in dataclasses.fields(model.KnownUse)} | {"source"}
    assert set(defs["source"]["properties"]) == {f.name for f in dataclasses.fields(model.Source)}
    assert set(defs["text"]["properties"]) == {f.name for f in dataclasses.fields(model.Text)}
    assert set(schema["properties"]["origin"]["properties"]) == {f.name for f in dataclasses.fields(model.Origin)}


def test_every_pattern_file_names_the_schema_for_editors() -> None:
    for path in sorted((REPO / "patterns").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../generator/core/schema/pattern.schema.json", path.name


def test_format_reference_documents_every_field() -> None:
    for page in (REPO / "docs/format.md", REPO / "docs/en/format.md"):
        text = page.read_text(encoding="utf-8")
        for field in pattern_schema()["properties"]:
            assert f"`{field}`" in text, f"{page.name} does not document `{field}`"
