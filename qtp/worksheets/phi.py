"""A guard against patient data in worksheets: text that looks like patient identifiers (pure).

QI worksheets hold aggregate data. Dates of birth, medical record numbers, phone numbers and e-mail
addresses next to clinical words suggest that someone pasted patient details; the team is warned and
asked to confirm before saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_DATE = r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})\b"
PATTERNS = {
    "birth-date": re.compile(
        r"(?i)\b(?:dob|d\.o\.b\.|date of birth|born|birth ?date|fecha de nacimiento|f\. ?nac\.?|nacid[oa]|"
        r"data de nascimento|nascid[oa]|dn)\b[^\n]{0,20}?" + _DATE
    ),
    "record-number": re.compile(
        r"(?i)\b(?:mrn|medical record|record (?:no|number|#)|chart (?:no|number|#)|hc|historia cl[ií]nica|"
        r"expediente|prontu[aá]rio|n[º°] ?(?:de )?(?:historia|prontu[aá]rio))\b\W{0,5}[A-Z]{0,3}\d{5,12}\b"
    ),
    "phone-number": re.compile(r"(?<![\w.])\+?\(?\d{2,4}\)?[\s.-]?\d{3,5}[\s.-]\d{3,5}(?![\w.])"),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
}
# Phone numbers and e-mail addresses are ordinary in a roster; next to clinical words they are not.
CLINICAL = re.compile(
    r"(?i)\b(?:patient|paciente|diagnos\w*|diagnós\w*|cancer|câncer|cáncer|tumou?r|chemo\w*|quimio\w*|"
    r"neutropeni\w*|mrn|stage|estadio|estágio|metasta\w*|biops\w*|oncolog\w*)\b"
)
CONTEXT = 80


@dataclass(frozen=True)
class Finding:
    field: str  # path of the field, e.g. "background" or "members.2.name"
    kind: str  # birth-date | record-number | phone-number | email
    excerpt: str


def scan_text(path: str, text: str) -> list[Finding]:
    findings = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            if kind in ("phone-number", "email"):
                window = text[max(0, match.start() - CONTEXT) : match.end() + CONTEXT]
                if not CLINICAL.search(window):
                    continue
            excerpt = text[max(0, match.start() - 20) : match.end() + 20].replace("\n", " ").strip()
            findings.append(Finding(path, kind, excerpt))
    return findings


def scan(data: dict[str, Any], prefix: str = "") -> list[Finding]:
    """Every suspicious text in a worksheet's data (groups are lists of row dicts)."""
    findings: list[Finding] = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, str):
            findings.extend(scan_text(path, value))
        elif isinstance(value, list):
            for index, row in enumerate(value, start=1):
                if isinstance(row, dict):
                    findings.extend(scan(row, f"{path}.{index}."))
                elif isinstance(row, str):
                    findings.extend(scan_text(f"{path}.{index}", row))
    return findings
