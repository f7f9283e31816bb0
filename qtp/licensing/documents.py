"""The two licence documents put into every downloaded ZIP, made at download time in the bundle's language:
a licence certificate (PDF) and a plain-text copy of the terms. Both state the licensee, licence number,
product, languages, territory, term, permitted uses and logo rights, and who downloaded which bundle when.

They depend only on their inputs (no clock inside), so the same licence, person, bundle and day give the same
bytes: a download resumed the same day continues the same archive.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from qtp.accounts.models import User
from qtp.core import pdf
from qtp.core.i18n import html_lang, language_name
from qtp.licensing.models import PRODUCT_USES, Bundle, License, Product
from qtp.licensing.queries import country_names

CERTIFICATE = "licence-certificate.pdf"
TERMS = "licence-terms.txt"


@dataclass(frozen=True)
class LicenceFacts:
    lang: str
    number: str
    licensee: str
    product: str
    languages: list[str]
    territory: list[str]
    term: str
    uses: list[str]
    logo_rights: str
    conditions: list[str]
    holder: str
    bundle: str
    content_version: str
    built_on: str
    issued_on: str


def _logo_rights(product: str) -> str:
    if product == Product.SYMPOSIUM:
        return _(
            "The licensee may use the name and logo of the Quality of Care Symposium highlights package on the "
            "material and announcements of the program it runs under this licence, within the territory and the "
            "term, following the usage guidelines in the bundle's logo folder."
        )
    return _(
        "The licensee may display the QTP program logo on the material, announcements and premises of the "
        "training it runs under this licence, within the territory and the term, following the usage guidelines "
        "in the bundle's logo folder (logo-usage-guidelines.pdf)."
    )


def _conditions() -> list[str]:
    return [
        _("The content may be used only by the licensee, for training it runs within the territory and the term."),
        _("Only the named seat holders may download the content; the licensee's faculty may use it in teaching."),
        _("The content may not be sold, sublicensed or published, in whole or in part, outside this licence."),
        _("Every copy keeps the program's name and the notice of where the content comes from."),
        _("When the licence ends, no new training may start with the content, and copies are no longer shared."),
    ]


def licence_facts(license_: License, holder: User, bundle: Bundle, locale: str, today: date) -> LicenceFacts:
    """What the documents say, in `locale` (the bundle's language)."""
    with force_locale(locale):
        return LicenceFacts(
            lang=html_lang(locale),
            number=license_.number,
            licensee=license_.organization.name,
            product=license_.product_label,
            languages=[language_name(code) for code in license_.locales],
            territory=country_names(license_.territory, locale),
            term=_(
                "from %(start)s to %(end)s",
                start=format_date(license_.starts_on, "long"),
                end=format_date(license_.ends_on, "long"),
            ),
            uses=[str(use) for use in PRODUCT_USES[Product(license_.product)]],
            logo_rights=_logo_rights(license_.product),
            conditions=_conditions(),
            holder=f"{holder.name} <{holder.email}>",
            bundle=_(
                "%(product)s in %(language)s", product=license_.product_label, language=language_name(bundle.locale)
            ),
            content_version=bundle.content_version[:12],
            built_on=format_date(bundle.built_at.date(), "long"),
            issued_on=format_date(today, "long"),
        )


def certificate_pdf(facts: LicenceFacts, locale: str) -> bytes:
    with force_locale(locale):
        html = pdf.render_html("licensing/pdf/licence.html", facts=facts, lang=facts.lang)
    return pdf.html_to_pdf(html)


def _wrapped(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=78, initial_indent=indent, subsequent_indent=" " * len(indent))


def terms_text(facts: LicenceFacts, locale: str) -> str:
    """The terms as plain UTF-8 text, wrapped at 78 columns, lines ending in CRLF (readable on every system)."""
    with force_locale(locale):
        title = _("Quality Training Program · licence terms")
        rows = [
            (_("Licence number"), facts.number),
            (_("Licensee institution"), facts.licensee),
            (_("Product"), facts.product),
            (_("Languages"), ", ".join(facts.languages)),
            (_("Territory"), ", ".join(facts.territory)),
            (_("Term"), facts.term),
        ]
        lines = [title, "=" * len(title), ""]
        lines += [_wrapped(f"{label}: {value}") for label, value in rows]
        lines += ["", _("Permitted uses"), "-" * len(_("Permitted uses"))]
        lines += [_wrapped(use, "- ") for use in facts.uses]
        lines += ["", _("Logo rights"), "-" * len(_("Logo rights")), _wrapped(facts.logo_rights)]
        lines += ["", _("Conditions"), "-" * len(_("Conditions"))]
        lines += [_wrapped(condition, "- ") for condition in facts.conditions]
        lines += [
            "",
            _wrapped(
                _(
                    "Downloaded by %(holder)s on %(date)s: %(bundle)s, content version %(version)s, built on "
                    "%(built)s.",
                    holder=facts.holder,
                    date=facts.issued_on,
                    bundle=facts.bundle,
                    version=facts.content_version,
                    built=facts.built_on,
                )
            ),
            _wrapped(_("The licence certificate in this archive (licence-certificate.pdf) states the same terms.")),
        ]
    return "\r\n".join(lines) + "\r\n"
