"""The load bench's journeys: what each kind of user does, as a sequence of requests with the checks a person
would make (the page answered, the save was confirmed, the file arrived whole). The demo data supplies the
accounts; `discover` finds, once, the pages and forms the journeys use, and checks that each save works."""

from __future__ import annotations

import random
import re
import ssl
import string
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from load_client import JourneyError, Session, forms_of, links

from qtp.demo.data import DEMO_PASSWORD

ACCOUNTS = {"participant": "member@example.org", "faculty": "faculty@example.org", "licensee": "licensee@example.org"}
# The worksheet field a save changes, per worksheet type (only those the participant may edit are used).
SAVED_FIELDS = {"charter": "risks", "pareto": "interpretation", "pdsa": "observations", "measures": "rationale"}
SUCCESS = 'class="flash flash-success"'  # the saved/added/deleted message, in any language


@dataclass
class Targets:
    """What the journeys use, found once by `discover`: each role's sign-in cookies and the pages."""

    cookies: dict[str, dict[str, str]]
    modules: list[str]
    worksheets: list[tuple[str, str]]  # (edit page, the field a save changes)
    measures: list[str]
    serial: str
    locks: dict[str, threading.Lock] = field(default_factory=dict)
    _periods: int = 0
    _period_lock: threading.Lock = field(default_factory=threading.Lock)
    base_period: date = field(default_factory=lambda: date(1950, 1, 1) + timedelta(days=random.randrange(9000)))

    @contextmanager
    def claim(self, pages: list[str], rng: random.Random) -> Iterator[str]:
        """One of `pages` that no other virtual user is saving: two people saving the same version is a
        conflict (409), the app working, not a load error. Waits only when every one of them is taken."""
        with self._period_lock:
            for page in pages:
                self.locks.setdefault(page, threading.Lock())
        order = rng.sample(pages, len(pages))
        page = next((page for page in order if self.locks[page].acquire(blocking=False)), None)
        if page is None:
            page = order[0]
            self.locks[page].acquire()
        try:
            yield page
        finally:
            self.locks[page].release()

    def next_period(self) -> str:
        """A period no other entry of this run uses (days in the distant past: the entry is deleted after)."""
        with self._period_lock:
            self._periods += 1
            return (self.base_period + timedelta(days=self._periods)).isoformat()


class VirtualUser:
    """One simulated person switching between roles; one keep-alive connection per role."""

    def __init__(self, base: str, context: ssl.SSLContext | None, targets: Targets, seed: int) -> None:
        self.base, self.context, self.targets = base, context, targets
        self.random = random.Random(seed)
        self._sessions: dict[str, Session] = {}

    def session(self, role: str) -> Session:
        if role not in self._sessions:
            session = Session(self.base, self.context)
            session.cookies.update(self.targets.cookies.get(role, {}))
            self._sessions[role] = session
        return self._sessions[role]

    @property
    def sent(self) -> int:
        return sum(session.sent for session in self._sessions.values())

    def take_timings(self) -> list[tuple[str, float]]:
        """Each request's (page kind, seconds) since the last call."""
        taken = []
        for session in self._sessions.values():
            taken += session.timings
            session.timings = []
        return taken

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()


def _words(rng: random.Random) -> str:
    """A note no earlier save had, in letters only (digits could read as patient identifiers)."""
    return "Load bench note " + "".join(rng.choice(string.ascii_lowercase) for _ in range(12))


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise JourneyError(message)


# -- the journeys --------------------------------------------------------------------------------------------


def participant_reads(user: VirtualUser) -> None:
    session = user.session("participant")
    module = user.random.choice(user.targets.modules)
    page = session.request(module, expect=(200,))
    _check("<h1" in page.text, f"GET {module}: no heading")
    home = session.request("/home", expect=(200,))
    _check(module in home.text or "/learning/" in home.text, "GET /home: no module link")


def participant_saves_worksheet(user: VirtualUser) -> None:
    session = user.session("participant")
    fields = dict(user.targets.worksheets)
    with user.targets.claim(list(fields), user.random) as edit:
        name = fields[edit]
        form = _one_form(session.request(edit, expect=(200,)).text, edit)
        form[name] = _words(user.random)
        saved = session.request(edit, form, follow=False, expect=(303,))
        page = session.request(saved.headers.get("location", edit), expect=(200,))
    _check(SUCCESS in page.text, f"POST {edit}: no saved message")
    _check(form[name] in page.text, f"POST {edit}: the saved text is not on the page")


def participant_enters_data(user: VirtualUser) -> None:
    session = user.session("participant")
    with user.targets.claim(user.targets.measures, user.random) as measure:
        page = session.request(measure, expect=(200,))
        action = f"{measure}/points"
        form = _one_form(page.text, action)
        form.update(_point_values(form, user.targets.next_period()))
        added = session.request(action, form, referer=measure, expect=(200,))
        _check(SUCCESS in added.text, f"POST {action}: no added message")
        points = [int(number) for number in re.findall(rf"{re.escape(measure)}\?edit=(\d+)", added.text)]
        _check(bool(points), f"POST {action}: no point to edit on the page")
        editing = f"{measure}?edit={max(points)}"  # the newest point: this one (one entry at a time per measure)
        delete = f"{measure}/points/{max(points)}/delete"
        form = _one_form(session.request(editing, expect=(200,)).text, delete)
        deleted = session.request(delete, form, referer=editing, expect=(200,))
    _check(SUCCESS in deleted.text and editing not in deleted.text, f"POST {delete}: the point is still there")


def faculty_reviews(user: VirtualUser) -> None:
    session = user.session("faculty")
    queue = session.request("/review/", expect=(200,))
    submissions = links(queue.text, r"/review/\d+")
    _check(bool(submissions), "GET /review/: no submission in the queue")
    submission = user.random.choice(submissions)
    page = session.request(submission, expect=(200,))
    _check("<form" in page.text, f"GET {submission}: no review form")


def licensee_downloads(user: VirtualUser) -> None:
    session = user.session("licensee")
    licences = session.request("/licenses", expect=(200,))
    bundles = links(licences.text, r"/licenses/\d+/bundles/[\w-]+")
    _check(bool(bundles), "GET /licenses: no bundle")
    files: list[str] = []
    for bundle in bundles:  # the bundles that are built list their files
        files = [link for link in links(session.request(bundle, expect=(200,)).text, r"/downloads/[^\"]+")]
        if files:
            break
    _check(bool(files), "no bundle page lists a file")
    link = user.random.choice(files)
    sent = session.request(link, expect=(200,))
    size = int(sent.headers.get("content-length", "-1"))
    _check(size == len(sent.body) and size > 0, f"GET {link}: {len(sent.body)} bytes of {size}")
    _check(sent.headers.get("server") == "nginx", f"GET {link}: not sent by nginx")


def anonymous_visits(user: VirtualUser) -> None:
    session = user.session("anonymous")
    session.cookies.clear()  # a new visitor each time
    landing = session.request("/", expect=(200,))
    _check("/programs/" in landing.text, "GET /: no program link")
    session.request("/programs/six-month", expect=(200,))
    serial = user.targets.serial
    verify = session.request(f"/verify/{serial}", expect=(200,))
    _check(serial[:4] in verify.text.replace("-", ""), f"GET /verify/{serial}: the number is not shown")


Journey = Callable[[VirtualUser], None]
# name -> (journey, weight): the mix of a day with a cohort at work
JOURNEYS: dict[str, tuple[Journey, int]] = {
    "participant_reads": (participant_reads, 30),
    "participant_saves_worksheet": (participant_saves_worksheet, 10),
    "participant_enters_data": (participant_enters_data, 10),
    "faculty_reviews": (faculty_reviews, 10),
    "licensee_downloads": (licensee_downloads, 10),
    "anonymous_visits": (anonymous_visits, 30),
}


def pick(rng: random.Random) -> str:
    """A journey's name, by weight."""
    names = list(JOURNEYS)
    return rng.choices(names, weights=[JOURNEYS[name][1] for name in names])[0]


# -- forms and discovery -------------------------------------------------------------------------------------


def _one_form(page: str, action: str) -> dict[str, str]:
    found = forms_of(page, action=action)
    _check(bool(found) and bool(found[0].get("csrf_token")), f"no form posting to {action} (with a CSRF token)")
    return found[0]


def _point_values(form: dict[str, str], period: str) -> dict[str, str]:
    """A data point for whichever scale the measure has (the form shows its fields only)."""
    values = {"period": period, "note": ""}
    for name, value in (("numerator", "1"), ("denominator", "2"), ("value", "1")):
        if name in form:
            values[name] = value
    return values


def sign_in(base: str, context: ssl.SSLContext | None, email: str) -> Session:
    session = Session(base, context)
    form = _one_form(session.request("/login", expect=(200,)).text, "/login")
    form.update(email=email, password=DEMO_PASSWORD)
    answer = session.request("/login", form, expect=(200,))
    _check(answer.url.startswith("/home"), f"signing in as {email} did not land on /home ({answer.url})")
    return session


def discover(base: str, context: ssl.SSLContext | None) -> Targets:
    """Sign each role in once and find the pages; each worksheet and measure is tried once (a save that
    fails here is left out, and said so)."""
    sessions = {role: sign_in(base, context, email) for role, email in ACCOUNTS.items()}
    participant = sessions["participant"]
    home = participant.request("/home", expect=(200,)).text
    serials = re.findall(r'href="/verify/([0-9A-Z]{32})"', home)
    _check(bool(serials), "the participant's home page links no certificate to verify")
    targets = Targets(
        cookies={},
        modules=links(home, r"/learning/\d+/modules/[\w-]+"),
        worksheets=[],
        measures=[],
        serial=serials[0],
    )
    _check(bool(targets.modules), "the participant's home page links no module")
    user = VirtualUser(base, context, targets, seed=0)
    user._sessions["participant"] = participant
    for edit in links(home, r"/teams/\d+/worksheets/[\w-]+/\d+"):
        slug = edit.split("/")[4]
        if slug in SAVED_FIELDS and SAVED_FIELDS[slug] in _forms_or_none(participant, edit):
            targets.worksheets.append((edit, SAVED_FIELDS[slug]))
        if slug == "measures":
            targets.measures.append(edit.replace("/worksheets/measures/", "/measures/"))
    for name, kept, journey in (
        ("worksheet", "worksheets", participant_saves_worksheet),
        ("measure", "measures", participant_enters_data),
    ):
        works = []
        for target in getattr(targets, kept):
            setattr(targets, kept, [target])
            try:
                journey(user)
                works.append(target)
            except JourneyError as error:
                print(f"  left out of the mix, this {name} cannot be saved: {error}")
        _check(bool(works), f"no {name} of the participant can be saved")
        setattr(targets, kept, works)
    targets.cookies = {role: dict(session.cookies) for role, session in sessions.items()}
    for session in sessions.values():
        session.close()
    return targets


def _forms_or_none(session: Session, edit: str) -> dict[str, str]:
    page = session.request(edit)
    found = forms_of(page.text, action=edit) if page.status == 200 else []
    return found[0] if found else {}
