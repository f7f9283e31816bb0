"""A certificate as an Open Badges 3.0 achievement credential (JSON-LD), describing what the verification page
shows: who, which program and cohort, when, and whether it still stands. The credential is not signed: its
authority is the verification page it names as its id, served over HTTPS by the issuer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from qtp.certificates.models import Certificate
from qtp.core.urls import external_url

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}


def _timestamp(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def criteria(rule: list[str], pass_mark: int) -> str:
    """The completion rule in words (in the current language)."""
    parts = {
        "modules": _("complete every module"),
        "knowledge_checks": _("pass every knowledge check with %(mark)s%% or more", mark=pass_mark),
        "worksheets": _("have every required worksheet of the team's project approved by the faculty"),
        "learning_sessions": _("attend every learning session"),
    }
    steps = "; ".join(parts[key] for key in rule if key in parts)
    return _("To complete the program, a participant must: %(steps)s.", steps=steps)


def credential(certificate: Certificate) -> dict[str, Any]:
    cohort = certificate.cohort
    program = cohort.program
    locale = certificate.locale
    page = external_url("certificates.verify", serial=certificate.serial)
    issuer_url = external_url("public.index")
    with force_locale(locale):
        name = _("Certificate of completion: %(program)s", program=program.title(locale))
        narrative = criteria(program.config.get("completion") or [], program.pass_mark)
        issuer_name = _("Quality Training Program")
    body: dict[str, Any] = {
        "@context": CONTEXT,
        "id": page,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {"id": issuer_url, "type": ["Profile"], "name": issuer_name, "url": issuer_url},
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.recipient_name,
                    "identityType": "name",
                    "hashed": False,
                }
            ],
            "activityStartDate": cohort.starts_on.isoformat(),
            "activityEndDate": cohort.ends_on.isoformat(),
            "term": cohort.name,
            "achievement": {
                "id": f"{issuer_url}#program-{program.slug}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": program.title(locale),
                "description": program.config.get("summaries", {}).get(locale, ""),
                "criteria": {"narrative": narrative},
                "inLanguage": locale.replace("_", "-"),
            },
        },
        "credentialSchema": [SCHEMA],
    }
    if certificate.revoked_at is not None:
        # The credential stood until it was revoked; the page it names says so, and points to its replacement.
        body["validUntil"] = _timestamp(certificate.revoked_at)
    return body
