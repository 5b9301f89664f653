"""Harnesses over the third-party conformance data in ../shared/conformance/ (see its README.md).

W3C: run each assertion schema (JSON Schema draft 4) listed in a `*.test` file against a document and compare the
outcome with the assertion's `expectedResult`. schema.org: check every node's type and properties against the
vocabulary's classes and `domainIncludes`.
"""

import json
import re
from functools import cache
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "conformance"
W3C = CONFORMANCE / "w3c-web-annotation"
SCHEMAORG = CONFORMANCE / "schemaorg"


def load_lenient(path: Path):
    """JSON, forgiving the trailing commas of some incorrect samples (their content is what the harness must fail)."""
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", path.read_text(encoding="utf-8")))


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((W3C / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


@cache
def assertions(test_file: str) -> tuple[tuple[str, dict], ...]:
    listed = json.loads((W3C / test_file).read_text(encoding="utf-8"))["assertions"]
    return tuple((name, json.loads((W3C / name).read_text(encoding="utf-8"))) for name in listed)


def w3c_failures(document, test_file: str = "annotations/annotationMusts.test") -> list[str]:
    """The assertions of `test_file` whose outcome on `document` differs from their expectedResult."""
    failures = []
    for name, schema in assertions(test_file):
        # The format checker enforces `format: uri` (with rfc3986-validator installed), as the suite intends.
        validator = jsonschema.Draft4Validator(
            schema, registry=_registry(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
        )
        valid = validator.is_valid(document)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failures.append(f"{name}: {schema.get('errorMessage', '')}")
    return failures


# --- schema.org ------------------------------------------------------------------------------------------------------


@cache
def vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(class -> its superclasses including itself, property -> classes in its domainIncludes)."""
    graph = json.loads((SCHEMAORG / "schemaorg-current-https.jsonld").read_text(encoding="utf-8"))["@graph"]

    def ids(value) -> set[str]:
        values = value if isinstance(value, list) else [value] if value else []
        return {item["@id"].removeprefix("schema:") for item in values}

    parents, domains = {}, {}
    for node in graph:
        types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        name = node["@id"].removeprefix("schema:")
        if "rdfs:Class" in types:
            parents[name] = ids(node.get("rdfs:subClassOf"))
        if "rdf:Property" in types:
            domains[name] = ids(node.get("schema:domainIncludes"))

    def ancestors(name: str, seen: frozenset = frozenset()) -> set[str]:
        result = {name}
        for parent in parents.get(name, ()):
            if parent not in seen:
                result |= ancestors(parent, seen | {name})
        return result

    return {name: ancestors(name) for name in parents}, domains


def schemaorg_problems(node, path: str = "$") -> list[str]:
    """Types not in the vocabulary and properties whose domain does not cover their node's type."""
    classes, domains = vocabulary()
    problems = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems += schemaorg_problems(item, f"{path}[{index}]")
        return problems
    if not isinstance(node, dict):
        return problems
    node_type = node.get("@type")
    if node_type not in classes:
        return [f"{path}: type {node_type!r} is not a schema.org class"]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in domains:
            problems.append(f"{path}.{key}: not a schema.org property")
        elif not domains[key] & classes[node_type]:
            problems.append(f"{path}.{key}: domain {sorted(domains[key])} does not cover {node_type}")
        problems += schemaorg_problems(value, f"{path}.{key}")
    return problems
