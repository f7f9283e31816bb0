"""A cohort of the synced test program whose completion rule asks for every module, and helpers to make a
participant complete it."""

from __future__ import annotations

import pytest

from qtp.catalog.models import Module, Program
from qtp.progress.models import ModuleProgress
from tests.factories import add_member, make_cohort, make_team, make_user


@pytest.fixture
def courses_root(tmp_path):
    from tests.content.builder import write_program

    root = tmp_path / "courses"
    write_program(root)
    return root


def _synced(session, courses_root) -> Program:
    from qtp.catalog.sync import sync_content

    sync_content(session, courses_root, ("en", "es", "pt_BR"))
    program = session.query(Program).filter_by(slug="test-program").one()
    program.config = {**program.config, "completion": ["modules"]}
    session.commit()
    return program


@pytest.fixture
def program(session, courses_root):
    return _synced(session, courses_root)


@pytest.fixture
def program_committed(committed_db, courses_root):
    """The same, committed for real (tests whose threads or processes need to see it)."""
    return _synced(committed_db, courses_root)


def participant(session, cohort, name: str = "Maria da Conceição Ñúñez", locale: str | None = None, **team):
    """A core member of a new team of the cohort."""
    user = make_user(session, roles=["participant"], name=name, locale=locale)
    add_member(session, make_team(session, cohort, **team), user, "core")
    session.commit()
    return user


def cohort_of(session, program, **fields):
    return make_cohort(session, program=program, **fields)


def complete_every_module(session, program, user, *, leave: int = 0) -> list[Module]:
    """Every module of the program completed by the user, but the last `leave` ones (returned)."""
    modules = session.query(Module).filter_by(program_id=program.id).order_by(Module.position).all()
    kept = modules[len(modules) - leave :] if leave else []
    for module in modules[: len(modules) - leave]:
        session.add(ModuleProgress(user_id=user.id, module_id=module.id, content_version="x"))
    session.commit()
    return kept
