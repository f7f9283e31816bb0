"""Who may do what with a certificate (pure functions)."""

from __future__ import annotations

from qtp.certificates.models import Certificate
from qtp.core.permissions import HasRoles, has_permission


def can_download(user: HasRoles, user_id: int | None, certificate: Certificate) -> bool:
    """The recipient downloads their own certificate while it is in force; admins download any."""
    if not certificate.is_ready:
        return False
    if has_permission(user, "admin:certificates:write"):
        return True
    return certificate.user_id == user_id and not certificate.is_revoked
