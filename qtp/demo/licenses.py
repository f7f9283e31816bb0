"""Demo licences: two active ones held by licensee@example.org (the six-month content in English and Spanish,
the symposium highlights package in Spanish and Portuguese), one expired (one-day content, Spanish) held by
expired@example.org."""

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
        "QTP-L-2026-0002",
        "Fundación Iberoamericana para la Calidad en Oncología",
        "symposium_highlights",
        ["es", "pt_BR"],
        ["AR", "MX"],
        date(2026, 3, 1),
        date(2027, 2, 28),
        2,
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
