from dataclasses import dataclass

import pytest

from qtp.core.permissions import PERMISSIONS, ROLE_PERMISSIONS, SELF, Role, has_permission


@dataclass
class FakeUser:
    role_set: frozenset
    is_authenticated: bool = True
    is_active: bool = True


def test_every_role_is_mapped_and_every_mapped_permission_exists():
    assert set(ROLE_PERMISSIONS) == set(Role)
    for permissions in ROLE_PERMISSIONS.values():
        assert permissions <= set(PERMISSIONS)


def test_only_admins_hold_admin_permissions():
    for role in Role:
        holds = has_permission(FakeUser(frozenset({role})), "admin:users:write")
        assert holds is (role == Role.ADMIN)


def test_every_active_account_uses_itself_but_inactive_and_anonymous_do_not():
    assert has_permission(FakeUser(frozenset()), SELF)
    assert not has_permission(FakeUser(frozenset({Role.ADMIN}), is_active=False), "admin:users:read")
    assert not has_permission(FakeUser(frozenset({Role.ADMIN}), is_authenticated=False), SELF)
    assert not has_permission(None, SELF)


def test_unknown_permission_fails_closed():
    with pytest.raises(KeyError):
        has_permission(FakeUser(frozenset({Role.ADMIN})), "admin:everything")


def test_an_exception_inside_the_check_is_an_error_never_access():
    class Broken:
        is_authenticated = True
        is_active = True

        @property
        def role_set(self):
            raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        has_permission(Broken(), "admin:users:read")
