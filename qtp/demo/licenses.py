"""Demo licences: one active (six-month content, English and Spanish) held by licensee@example.org, one expired
(one-day content, Spanish) held by expired@example.org."""

from __future__ import annotations

from datetime import date

# Licences: number, organization, product, languages, territory, first and last day, seats, seat holders
LICENSES = [
    (
        "QTP-L-2026-0001",
        "Fundación Iberoamericana para la Calidad en Oncología",
        "six_month",
        ["en", "es"],
        ["AR", "CO", "ES", "MX"],
        date(2026, 1, 1),
        date(2027, 12, 31),
        5,
        ["licensee@example.org"],
    ),
    (
        "QTP-L-2024-0001",
        "Instituto Oncológico del Pacífico",
        "one_day",
        ["es"],
        ["CL", "PE"],
        date(2024, 9, 1),
        date(2025, 8, 31),
        2,
        ["expired@example.org"],
    ),
]
