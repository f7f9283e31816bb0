"""Hypothesis against every form of the demo, as every role: each field absent, empty, beyond its maxlength,
arbitrary unicode, control characters, numbers at and over int64, float edge cases, a select value not among
its options, repeated fields, unknown extra fields (role=admin...), a wrong or missing CSRF token.

What a person (or an attacker) would observe: never a 5xx; a refused submission (4xx, or the form shown again
with its errors) shows a message and writes nothing (a digest of every table, before and after); an accepted
one redirects, or shows its page without error. The forms are found by crawling as each person
(tests/integration/security/pages.py), one submission shape per form; EXEMPT says why a form is left out.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from qtp.extensions import db
from tests.helpers import login
from tests.integration.security.fuzzing import fuzz_settings

from .conftest import DEMO_PASSWORD
from .pages import Form, crawl, fill, local_path
from .test_stored_payloads import NOT_FOLLOWED, PDF, starts

PAGES = 14  # pages read per person to find its forms
EXAMPLES = 3  # submissions per form
# Who submits, in this order: the admin last, as its forms remove people and deactivate organizations.
WHO = (
    "anonymous",
    "other@example.org",
    "member@example.org",
    "leader@example.org",
    "faculty@example.org",
    "admin@example.org",
)
# Tables a request may write without a form being accepted: the signed-in session's last-seen time (touched
# at most once a minute by any request).
NOT_COMPARED = {"user_sessions"}

# path of the form's action (numbers as N) -> why it is not fuzzed here
EXEMPT = {
    "/logout": "signs the person out",
    "/login": "argon2 on every attempt (slow) and rate-limited; sign-in is fuzzed by the accounts tests",
    "/account/password": "changes the signed-in person's password",
    "/account/sessions/N/end": "may end the signed-in session itself",
    "/admin/settings": "turning on two-factor for staff would send the admin to enrolment for every other form",
    "/content/sync": "no field; re-indexes courses/ (slow), tests/content and tests/integration/catalog",
    "/admin/licenses/bundles/build": "no field; builds every ZIP bundle (slow), tests/integration/licensing",
    "/admin/cohorts/N/certificates/issue": "no field; renders the cohort's PDFs (slow), tests/integration/certificates",
    "/teams/N/storyboard.pdf": "renders a PDF (slow); its one select is checked by tests/pdf",
    "/account/data.zip": "no field but the token; builds the person's data export, tests/integration/privacy",
}
# Forms with a file field are left out too: test_fuzz_csv_import.py, test_fuzz_certificate_check.py, and the
# worksheet attachment tests (tests/integration/worksheets); forms with a password field: the accounts tests.

FUZZ = fuzz_settings(EXAMPLES)

INT64 = 2**63
EDGE_NUMBERS = [
    str(INT64 - 1), str(INT64), str(-INT64 - 1), str(10**30), "1e309", "-1e309", "nan", "NaN", "inf", "-inf",
    "-0", "0.0000000000000000001", "1_000", "0x1F", "１２", "٣", " 7 ", "1,5", "",
]  # fmt: skip
CONTROLS = st.text(st.characters(min_codepoint=0, max_codepoint=31), min_size=1, max_size=6)
UNICODE = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)  # surrogates cannot be sent


def _long(control) -> st.SearchStrategy[str]:
    limit = control.maxlength or 2000
    return st.integers(limit + 1, limit + 200).map(lambda n: ("é" * n)[:n])


def value_for(control) -> st.SearchStrategy[str]:
    wrong = [
        st.just(""),
        UNICODE,
        CONTROLS,
        st.sampled_from(EDGE_NUMBERS),
        _long(control),
        st.sampled_from(["<b>x</b>", "{{7*7}}", "../../etc/passwd", "\u202e\u200b", "null", "[]", "-1", "0"]),
    ]
    if control.tag == "select" or control.type in ("radio", "checkbox"):
        wrong.append(st.sampled_from(["zz-not-an-option", "999999999", "-1"]))
    return st.one_of(*wrong)


@st.composite
def submission(draw, form: Form, data: dict[str, list[str]]) -> tuple[dict[str, list[str]], str]:
    """A browser's submission of the form (`data`) with some fields changed, and what was done to the token."""
    sent = {k: list(v) for k, v in data.items()}
    names = sorted({c.name for c in form.controls if c.name != "csrf_token"})
    by_name = {c.name: c for c in form.controls}
    if names:
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(4, len(names)), unique=True)):
            how = draw(st.sampled_from(["absent", "value", "value", "repeat"]))
            if how == "absent":
                sent.pop(name, None)
            elif how == "value":
                sent[name] = [draw(value_for(by_name[name]))]
            else:
                sent[name] = [draw(value_for(by_name[name])), *(sent.get(name) or ["x"])]
    extra = draw(
        st.dictionaries(
            st.sampled_from(["role", "is_admin", "team_id", "user_id", "id", "status", "zz"]),
            st.sampled_from(["admin", "1", "2", "true", "x" * 300]),
            max_size=2,
        )
    )
    for name, value in extra.items():
        sent.setdefault(name, [value])
    token = draw(st.sampled_from(["valid", "valid", "valid", "missing", "wrong"])) if "csrf_token" in data else "none"
    if token == "missing":
        sent.pop("csrf_token", None)
    elif token == "wrong":
        sent["csrf_token"] = ["IjEyMyI.aaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"]
    return sent, token


def digest(session) -> dict[str, str]:
    """A digest of every table's rows (cheap enough to take around each submission)."""
    connection = session.connection()
    found = {}
    for table in db.metadata.sorted_tables:
        if table.name not in NOT_COMPARED:
            rows = sorted(map(repr, connection.exec_driver_sql(f'SELECT * FROM "{table.name}"')))  # noqa: S608 (our names)
            found[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return found


ERROR_SHOWN = re.compile(r'role="alert"|class="error"|has-error|<p class="eyebrow">[^<]*\b4\d\d\b')


def _kind(form: Form) -> str:
    return re.sub(r"/\d+|/[A-Za-z0-9_-]{20,}(?=/)", "/N", local_path(form.action).split("?")[0])


def _starts(session, who: str) -> list[str]:
    """Where a person's crawl begins (test_stored_payloads.starts), a team member's workspace first."""
    from qtp.accounts.models import User
    from qtp.cohorts.models import Membership

    teams = [m.team_id for m in session.query(Membership).join(User).filter(User.email == who).order_by(Membership.id)]
    first = [f"/teams/{team_id}/{page}" for team_id in teams[:1] for page in ("workspace", "measures/1")]
    return first + (["/review/"] if who.startswith("faculty") else []) + starts(session, who)


def send(client, form: Form, data: dict[str, list[str]]):
    if form.method == "get":
        return client.get(local_path(form.action).split("?")[0] + "?" + urlencode(data, doseq=True))
    return client.post(local_path(form.action), data=data)


def test_every_form_refuses_cleanly_or_accepts(app, session, demo):
    forms: list[tuple[str, object, Form]] = []
    seen: set[tuple] = set()
    for who in WHO:
        client = app.test_client()
        if who != "anonymous":
            assert login(client, who, DEMO_PASSWORD).status_code == 302
        _, found, _ = crawl(client, _starts(session, who), PAGES, NOT_FOLLOWED.search, PDF.search)
        for form in found:
            shape = (form.method, _kind(form), tuple(sorted({c.name for c in form.controls})))
            if shape in seen or _kind(form) in EXEMPT or form.has_file or form.has_password:
                continue
            seen.add(shape)
            forms.append((who, client, form))
    kinds = {_kind(form) for _, _, form in forms}
    reached = {"/interest", "/account/profile", "/review/N", "/teams/N/measures/N/points", "/admin/teams/N/members"}
    assert len(forms) >= 30 and reached <= kinds, sorted(kinds)

    problems: list[str] = []
    state = {"before": digest(session)}
    for who, client, form in forms:
        try:
            fuzz_form(app, session, state, who, client, form)
        except Exception as error:  # noqa: BLE001 - every form's problem is reported, then the next form is tried
            found = error.exceptions if isinstance(error, ExceptionGroup) else [error]
            problems += [f"{type(e).__name__}: {str(e).splitlines()[0][:600] if str(e) else ''}" for e in found]
            session.rollback()
            state["before"] = digest(session)
    assert not problems, "\n".join(problems)


def fuzz_form(app, session, state: dict, who: str, client, form: Form) -> None:
    browser = fill(form, lambda c: c.value or "Fuzzed text", lambda c: "fuzzed@example.org")

    @FUZZ
    @given(submission(form, browser))
    def submit(case):
        data, token = case
        app.extensions["qtp_ratelimits"].reset_all()
        response = send(client, form, data)
        after = digest(session)
        changed = sorted(t for t in after if after[t] != state["before"][t])
        state["before"] = after
        where = f"{who} {form.method.upper()} {local_path(form.action)} {data!r}"
        assert response.status_code < 500, f"{where}: {response.status_code}"
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        refused = response.status_code >= 400 or bool(ERROR_SHOWN.search(html))
        if token in ("missing", "wrong") and form.method == "post":
            assert response.status_code == 400, f"{where}: a bad token gave {response.status_code}"
        if refused:
            assert response.status_code in (200, 400, 403, 404, 409, 413, 422, 429), where
            assert ERROR_SHOWN.search(html), f"{where}: refused ({response.status_code}) without a message"
            assert not changed, f"{where}: refused ({response.status_code}) but wrote {changed}"
        else:
            assert response.status_code in (200, 302, 303), f"{where}: {response.status_code}"

    submit()
