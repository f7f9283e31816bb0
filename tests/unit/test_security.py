import pytest

from qtp.core.security import safe_next_path


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "http://evil.example/home",
        "//evil.example",
        "///evil.example",
        "\\\\evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,hi",
        "evil.example",
        "/ok\r\nSet-Cookie: x=1",
        "",
        None,
    ],
)
def test_next_refuses_anything_but_a_local_path(target):
    assert safe_next_path(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/admin/users", "/admin/users?page=2", "/account/profile#top"])
def test_next_keeps_local_paths(target):
    assert safe_next_path(target, "/home") == target
