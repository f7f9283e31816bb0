"""Every form of the demo, as every role, filled with the attack corpus through the real views; then every
page, CSV and PDF each role can reach is read back: the payloads are text, never markup, template, formula,
embedded file or fetch.

Which forms and fields must be covered is derived from the code (every FlaskForm class in qtp with a text
field, and the worksheet and review forms built from each worksheet type's definition); a form or field the
crawl did not fill fails the test unless it is in EXEMPT with the reason.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
from urllib.parse import urlencode

import pytest
from flask import request
from flask_wtf import FlaskForm
from wtforms import EmailField, FieldList, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import Email

import qtp
from qtp.accounts.models import User
from qtp.catalog.models import WorksheetType
from qtp.certificates import serials
from qtp.certificates.models import Certificate
from qtp.cohorts.models import Cohort, Team
from qtp.core.storage import new_key
from qtp.demo.data import COMPLETED
from qtp.measurement.forms import NumberField
from qtp.review.forms import build_review_form

from . import corpus
from .conftest import PEOPLE
from .pages import Form, crawl, fill, local_path

ATTACK_PAGES = 70  # pages read per person to find forms
CHECK_PAGES = 90  # pages read back per person
PDF = re.compile(r"\.pdf(\?|$)")
NOT_FOLLOWED = re.compile(r"/logout|/language|/downloads/|/bundles/|\.(zip|png|ics|json)$")

# form class -> why its text fields are not filled by the crawl
EXEMPT = {
    "qtp.accounts.forms.LoginForm": "sign-in: the e-mail typed is never shown back (not fuzzed: argon2 per attempt)",
    "qtp.accounts.forms.ForgotPasswordForm": "the address typed is never shown back (fuzzed in test_fuzz_forms.py)",
    "qtp.accounts.forms.ResetPasswordForm": "passwords only",
    "qtp.accounts.forms.AcceptInvitationForm": "reached from a mailed token only; its name field is not fuzzed yet",
    "qtp.accounts.forms.ChangePasswordForm": "passwords only",
    "qtp.accounts.forms.ConfirmTwoFactorForm": "a six-digit code, checked and never shown back",
    "qtp.accounts.forms.DisableTwoFactorForm": "a six-digit code, checked and never shown back",
    "qtp.accounts.forms.RecoveryCodesForm": "a six-digit code, checked and never shown back",
    "qtp.accounts.forms.SignInCodeForm": "the second sign-in step: a code, never shown back",
    "qtp.privacy.forms.EraseAccountForm": "the typed e-mail is compared with the account's, never shown or stored",
    "qtp.certificates.forms.CheckFileForm": "a file upload: test_upload_attacks.py and test_fuzz_certificate_check.py",
    "qtp.measurement.forms.ImportForm": "a file upload: test_upload_attacks.py and test_fuzz_csv_import.py",
}


def _import_all() -> None:
    for module in pkgutil.walk_packages(qtp.__path__, "qtp."):
        importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _is_text(unbound) -> bool:
    """A field a person types free text into. Left out: hidden and password fields, e-mail addresses (validated
    as addresses: markup is refused, test_fuzz.py) and numbers (NumberField: parsed, never stored as typed)."""
    cls = unbound.field_class
    if not issubclass(cls, StringField | TextAreaField) or issubclass(cls, HiddenField | PasswordField):
        return False
    if issubclass(cls, EmailField | NumberField):
        return False
    validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
    return not any(isinstance(v, Email) for v in validators)


def text_fields(form_class) -> set[str]:
    return {name for name, value in vars_of(form_class).items() if isinstance(value, UnboundField) and _is_text(value)}


def vars_of(form_class) -> dict:
    found: dict = {}
    for klass in reversed(form_class.__mro__):
        found.update(vars(klass))
    return found


def form_classes() -> dict[str, type]:
    """Every FlaskForm class defined in qtp that has a text field (built-at-run-time classes aside)."""
    _import_all()
    return {
        f"{cls.__module__}.{cls.__qualname__}": cls
        for cls in _subclasses(FlaskForm)
        if cls.__module__.startswith("qtp.") and _declared(cls) and text_fields(cls)
    }


def _declared(cls) -> bool:
    """Written in a module (not built by type() at run time: those are listed by BUILT)."""
    return getattr(importlib.import_module(cls.__module__), cls.__qualname__.split(".")[0], None) is cls


# Forms built at run time from data, with the text fields they always have (worksheet and review forms are
# derived from each worksheet type's definition in worksheet_fields).
BUILT = {
    "qtp.cohorts.forms.AttendanceForm": {"note"},
    "qtp.cohorts.forms.ScheduleForm": {"event-place"},
}
# Built forms this world cannot show: the demo runs on the small test program, which has no calendar (no
# events), so no attendance sheet and no event rows in the schedule. Their notes and places are plain text in
# the same templates' autoescape (tests/integration/cohorts/test_attendance.py, test_events.py).
NO_EVENTS_IN_THIS_WORLD = {"qtp.cohorts.forms.AttendanceForm", "qtp.cohorts.forms.ScheduleForm"}


def worksheet_fields(session) -> dict[str, set[str]]:
    """The text fields of every worksheet form and review form, per worksheet type (group rows: 'group-sub')."""
    expected: dict[str, set[str]] = {}
    for wtype in session.query(WorksheetType):
        definition, texts = wtype.definition, (wtype.texts or {}).get("en") or {"fields": {}}
        names = set()
        for spec in definition["fields"]:
            if spec["kind"] in ("text", "textarea"):
                names.add(spec["id"])
            if spec["kind"] == "group":
                names |= {f"{spec['id']}-{sub['id']}" for sub in spec["fields"] if sub["kind"] in ("text", "textarea")}
        expected[f"worksheet:{wtype.slug}"] = names
        expected[f"review:{wtype.slug}"] = text_fields(build_review_form(definition, texts))
    return expected


class Recorder:
    """Wraps FlaskForm.validate: which form (and which of its fields) received a payload through a view."""

    def __init__(self) -> None:
        self.filled: dict[str, set[str]] = {}

    def key(self, form) -> str:
        cls = type(form)
        slug = (request.view_args or {}).get("slug") or ""
        if cls.__name__ == "WorksheetForm":
            return f"worksheet:{slug}"
        return f"{cls.__module__}.{cls.__qualname__}"

    def wrap(self, original):
        recorder = self

        def validate(form, *args, **kwargs):
            typed = typed_fields(form)
            if typed:
                recorder.filled.setdefault(recorder.key(form), set()).update(typed)
            return original(form, *args, **kwargs)

        return validate


def typed_fields(form) -> set[str]:
    """The fields of a bound form holding a payload ('group-sub' for a row of a group)."""
    names = set()
    for field in form:
        if isinstance(field, FieldList):
            names |= {f"{field.short_name}-{sub.short_name}" for entry in field.entries for sub in entry.form
                      if isinstance(sub.data, str) and corpus.TEMPLATE in sub.data}
        elif isinstance(field.data, str) and corpus.TEMPLATE in field.data:
            names.add(re.sub(r"-\d+(-|$)", r"\1", field.short_name))
    return names


class Typist:
    def __init__(self, port: int) -> None:
        self.port = port
        self.emails = itertools.count(1)

    def text(self, control) -> str:
        return corpus.stored(self.port, control.maxlength)

    def email(self, control) -> str:
        return f"typed{next(self.emails)}@attack.example.org"


def _shape(form: Form) -> tuple:
    return (form.method, re.sub(r"/\d+", "/N", local_path(form.action).split("?")[0]),
            tuple(sorted({c.name for c in form.controls})))


def starts(session, who: str) -> list[str]:
    """Where a person's crawl begins: home, and for the admin every cohort's pages (reached late otherwise)."""
    if who == "anonymous":
        return ["/", "/verify", "/interest"]
    paths = ["/home"]
    if who.startswith("admin"):
        team = session.query(Team).join(Cohort).filter(Cohort.status == "active").order_by(Team.id).first()
        paths = [f"/admin/cohorts/{team.cohort_id}", f"/admin/teams/{team.id}", "/admin/cohorts",
                 "/admin/organizations", "/admin/organizations/new", *paths]
        paths += [f"/admin/cohorts/{cohort_id}/certificates" for (cohort_id,) in session.query(Cohort.id)]
    return paths


def submit(client, form: Form, typist: Typist):
    data = fill(form, typist.text, typist.email)
    for control in form.controls:  # the "no patient data" confirmations a person ticks before saving
        if control.type == "checkbox" and control.name.startswith("confirm"):
            data[control.name] = [control.value or "y"]
    if form.method == "get":
        return client.get(local_path(form.action).split("?")[0] + "?" + urlencode(data, doseq=True))
    return client.post(local_path(form.action), data=data)


def _review_slug(session, path: str) -> str:
    from qtp.worksheets.models import Worksheet

    match = re.match(r"/review/(\d+)", path)
    worksheet = session.get(Worksheet, int(match.group(1))) if match else None
    return worksheet.type.slug if worksheet else ""


@pytest.fixture
def certificates_in_force(session, demo):
    """The demo's finished cohort holds its certificates only once its content is synced (this world runs on the
    small test program): issue them here, so the admin's cohort page offers its re-issue and revoke forms."""
    for slug, emails in COMPLETED.items():
        cohort = session.query(Cohort).filter_by(slug=slug).one()
        for user in session.query(User).filter(User.email.in_(emails)):
            session.add(Certificate(serial=serials.new_serial(), user_id=user.id, cohort_id=cohort.id,
                                    recipient_name=user.name, locale="en", storage_key=new_key(), sha256="0" * 64))
    session.commit()


@pytest.fixture
def recorder(monkeypatch):
    rec = Recorder()
    monkeypatch.setattr(FlaskForm, "validate", rec.wrap(FlaskForm.validate))
    return rec


def test_every_form_and_output_keeps_the_corpus_inert(app, session, signed_in, recorder, monkeypatch,
                                                       certificates_in_force):
    listener = corpus.Listener()
    typist = Typist(listener.port)
    problems: list[str] = []
    # the review form does not know its worksheet type: the page's path does
    original_key = recorder.key
    monkeypatch.setattr(recorder, "key", lambda form: original_key(form) if request.endpoint != "review.decide"
                        else f"review:{_review_slug(session, request.path)}")
    try:
        clients = {email: signed_in(email) for email in PEOPLE}
        clients["anonymous"] = app.test_client()
        tried: set[tuple] = set()
        for who, client in clients.items():
            _, forms, _ = crawl(client, starts(session, who), ATTACK_PAGES, NOT_FOLLOWED.search, PDF.search)
            for form in forms:
                shape = (who, *_shape(form))
                if form.has_password or form.has_file or not form.text_controls or shape in tried:
                    continue
                tried.add(shape)
                try:
                    response = submit(client, form, typist)
                except Exception as error:  # noqa: BLE001 - reported with the form that raised it
                    problems.append(f"{who} {form.method.upper()} {form.action}: raised {error!r}")
                    session.rollback()
                    continue
                if response.status_code >= 500:
                    problems.append(f"{who} {form.method.upper()} {form.action}: {response.status_code}")
                if form.method == "get" and response.mimetype == "text/html":
                    problems += [f"{who} {form.action} (reflected): {p}" for p in corpus.live_markup(response.text)]
        pages_read, shown, pdf_kinds, csv_read = 0, 0, {}, 0
        for who, client in clients.items():
            responses, _, pdf_links = crawl(client, starts(session, who), CHECK_PAGES, NOT_FOLLOWED.search, PDF.search)
            for link in pdf_links:
                kind = re.sub(r"\d+", "N", link)
                if kind not in pdf_kinds:
                    pdf_kinds[kind] = 0
                    responses[link] = client.get(link)
            for path, response in responses.items():
                if response.status_code >= 500:
                    problems.append(f"{who} GET {path}: {response.status_code}")
                    continue
                if response.status_code != 200:
                    continue
                if response.mimetype == "text/html":
                    pages_read += 1
                    html = response.text
                    shown += corpus.TEMPLATE in html
                    problems += [f"{who} {path}: {p}" for p in corpus.live_markup(html)]
                elif response.mimetype == "text/csv":
                    csv_read += 1
                    problems += [f"{who} {path}: formula cell {c!r}" for c in corpus.live_cells(response.data)]
                elif response.mimetype == "application/pdf":
                    kind = re.sub(r"\d+", "N", path)
                    pdf_kinds[kind] = 1
                    problems += [f"{who} {path}: PDF holds {m}" for m in corpus.pdf_embeds(response.data)]
                    text = corpus.pdf_text(response.data)
                    if corpus.TEMPLATE_EVALUATED in text:
                        problems.append(f"{who} {path}: template evaluated in the PDF")
                    pdf_kinds[kind + " shows"] = corpus.TEMPLATE in text
    finally:
        listener.close()
    assert not listener.connections, "a page or PDF fetched the listener's URL"
    assert not problems, "\n".join(problems[:60])
    # the run really went through the app: payloads stored and shown on many pages, CSVs and PDFs read
    print(f"pages {pages_read}, pages showing a payload {shown}, CSV {csv_read}, PDFs {pdf_kinds}")
    assert pages_read > 200 and shown > 50 and csv_read >= 2
    assert sum(1 for k, v in pdf_kinds.items() if k.endswith(" shows") and v) >= 2, pdf_kinds
    # every form and text field of the code was filled through its view
    expected = {name: text_fields(cls) for name, cls in form_classes().items() if name not in EXEMPT}
    expected.update({k: v for k, v in BUILT.items() if k not in NO_EVENTS_IN_THIS_WORLD})
    expected.update(worksheet_fields(session))
    missing = []
    for key, fields in sorted(expected.items()):
        if key.startswith("review:") and key not in recorder.filled:
            continue  # a type with no submission waiting for review; checked below as a whole
        not_filled = fields - recorder.filled.get(key, set())
        if not_filled:
            missing.append(f"{key}: {sorted(not_filled)}")
    assert not missing, "forms or fields no attack reached:\n" + "\n".join(missing)
    assert sum(key.startswith("review:") for key in recorder.filled) >= 1


def test_exempt_forms_exist():
    """An exemption names a real form class: a renamed form cannot hide behind a stale entry."""
    form_classes()
    declared = {f"{c.__module__}.{c.__qualname__}" for c in _subclasses(FlaskForm) if c.__module__.startswith("qtp.")}
    assert set(EXEMPT) <= declared, set(EXEMPT) - declared
