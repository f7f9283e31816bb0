"""Demo answers to the International Interest Survey (data.INTEREST), so the admin's list and chart show some."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qtp.core.db import utcnow
from qtp.demo import data
from qtp.interest.models import InterestResponse


def load_interest(session: Session) -> int:
    """A few survey answers of the last weeks (each once, by its e-mail address)."""
    created = 0
    now = utcnow()
    for days, country, organization, role, program, size, language, email, message, locale in data.INTEREST:
        if session.scalar(select(InterestResponse.id).where(InterestResponse.email == email)) is not None:
            continue
        session.add(
            InterestResponse(
                country=country,
                organization=organization,
                role=role,
                program=program,
                team_size=size,
                language=language,
                email=email,
                message=message,
                consent=True,
                locale=locale,
                created_at=now - timedelta(days=days, hours=days % 7),
            )
        )
        created += 1
    return created
