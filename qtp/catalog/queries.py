"""Read models of the indexed content for staff pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qtp.catalog.models import Module, Program


def list_programs_with_modules(session: Session) -> list[Program]:
    return list(
        session.scalars(
            select(Program).options(selectinload(Program.modules).selectinload(Module.texts)).order_by(Program.slug)
        )
    )


def find_program_module(session: Session, program_slug: str, module_slug: str) -> Module | None:
    return session.scalar(
        select(Module)
        .join(Program)
        .where(Program.slug == program_slug, Module.slug == module_slug)
        .options(selectinload(Module.texts))
    )
