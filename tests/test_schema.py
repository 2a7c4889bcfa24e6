"""The declared format (JSON Schema) and the model must describe the same fields."""

from __future__ import annotations

import dataclasses
import json

from conftest import REPO
import pytest

from generator.core import model
from generator.core.bibliography import BIBLIOGRAPHY_SCHEMA_PATH
from generator.core.validate import SCHEMA_PATH, pattern_schema


@pytest.mark.parametrize("path", [SCHEMA_PATH, BIBLIOGRAPHY_SCHEMA_PATH], ids=lambda p: p.name)
def test_schema_is_valid_json_schema(path) -> None:
    import jsonschema

    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_schema_and_model_have_the_same_fields() -> None:
    schema = pattern_schema()
    model_fields = {f.name for f in dataclasses.fields(model.Pattern)} - {"path"}
    assert set(schema["properties"]) == model_fields
    defs = schema["$defs"]
    assert set(defs["known_use"]["properties"]) == {f.name for f in dataclasses.fields(model.KnownUse)}
    assert set(defs["citation"]["properties"]) == {f.name for f in dataclasses.fields(model.Citation)}
    assert set(defs["text"]["properties"]) == {f.name for f in dataclasses.fields(model.Text)}
    # An addition carries its text's two languages beside its other fields.
    assert set(defs["addition"]["properties"]) == \
        {f.name for f in dataclasses.fields(model.Addition)} - {"text"} | set(defs["text"]["properties"])
    assert set(defs["addition"]["properties"]["section"]["enum"]) == set(model.SECTIONS_WITH_ADDITIONS)
    bibliography = json.loads(BIBLIOGRAPHY_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert set(bibliography["$defs"]["source"]["properties"]) == {f.name for f in dataclasses.fields(model.Source)}


def test_every_pattern_file_names_the_schema_for_editors() -> None:
    for path in sorted((REPO / "patterns").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = "bibliography" if path.name == "bibliography.yaml" else "pattern"
        assert first == f"# yaml-language-server: $schema=../generator/core/schema/{schema}.schema.json", path.name


def test_format_reference_documents_every_field() -> None:
    for page in (REPO / "docs/format.md", REPO / "docs/en/format.md"):
        text = page.read_text(encoding="utf-8")
        for field in pattern_schema()["properties"]:
            assert f"`{field}`" in text, f"{page.name} does not document `{field}`"
