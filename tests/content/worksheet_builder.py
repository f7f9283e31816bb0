"""Writes small, valid worksheet definitions (aim and charter, with a reference) for tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.content.builder import sha

AIM = {
    "position": 2,
    "repeatable": False,
    "fields": [
        {"id": "statement", "kind": "textarea", "required": True},
        {"id": "direction", "kind": "select", "required": True, "choices": ["increase", "decrease"]},
        {"id": "target", "kind": "number", "min": 0, "max": 100},
    ],
    "rubric": [{"id": "smart", "levels": 4}],
}
CHARTER = {
    "position": 1,
    "fields": [
        {"id": "title", "kind": "text", "required": True, "max_length": 120},
        {"id": "aim", "kind": "ref", "from": "aim.statement"},
        {
            "id": "members",
            "kind": "group",
            "min": 1,
            "max": 10,
            "fields": [
                {"id": "name", "kind": "text", "required": True},
                {"id": "role", "kind": "select", "choices": ["leader", "core"]},
            ],
        },
    ],
    "rubric": [{"id": "clarity", "levels": 3}],
}


def _texts(definition: dict, tag: str) -> dict:
    def fields(specs):
        out = {}
        for spec in specs:
            entry = {"label": f"{spec['id']} label{tag}", "help": f"{spec['id']} help{tag}"}
            if "choices" in spec:
                entry["choices"] = {c: f"{c}{tag}" for c in spec["choices"]}
            if spec["kind"] == "group":
                entry["fields"] = fields(spec["fields"])
            out[spec["id"]] = entry
        return out

    return {
        "title": f"Title{tag}",
        "description": f"Description{tag}",
        "fields": fields(definition["fields"]),
        "rubric": {
            c["id"]: {"label": f"{c['id']}{tag}", "levels": {n: f"Level {n}{tag}" for n in range(1, c["levels"] + 1)}}
            for c in definition["rubric"]
        },
    }


def write_worksheets(root: Path) -> Path:
    folder = root / "worksheets"
    folder.mkdir(parents=True, exist_ok=True)
    for slug, definition in (("aim", AIM), ("charter", CHARTER)):
        (folder / f"{slug}.yaml").write_text(yaml.safe_dump(definition, sort_keys=False))
        (folder / f"{slug}.en.yaml").write_text(yaml.safe_dump(_texts(definition, ""), allow_unicode=True))
        for locale in ("es", "pt_BR"):
            texts = {
                "translation_of": "en",
                "source_sha": sha(folder / f"{slug}.en.yaml"),
                **_texts(definition, f" [{locale}]"),
            }
            (folder / f"{slug}.{locale}.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True))
    return folder
