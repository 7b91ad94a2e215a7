"""Every URL of the project × every role, generated from the URL configuration: the answer each
role gets is written in one table (tests/core/url_access.py), so a new URL without an expected
answer fails the suite, and so does any answer that changes. No 5xx anywhere; every 2xx is one
the table grants."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.core.url_access import EXPECTED, GRANTED
from tests.core.url_access_world import ROLES, add_receipt, build_world
from tests.url_patterns import pattern_path, url_patterns

pytestmark = pytest.mark.django_db


def pattern_key(pattern) -> str:
    return pattern.name or pattern.route


def answer(response) -> str:
    """The table's word for a response: the status code, ``L`` for a redirect to the login page,
    ``A`` for one to the back office's login, ``R`` for any other redirect."""
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith(reverse(settings.LOGIN_URL)):
            return "L"
        if location.startswith(reverse("admin:login")):
            return "A"
        return "R"
    return str(code)


def matrix(client, world) -> dict[str, tuple[str, ...]]:
    paths = {}
    for pattern in url_patterns():
        path = pattern_path(pattern, world.values_for(pattern))
        if path is not None:
            paths[pattern_key(pattern)] = path
    found = {key: [] for key in paths}
    for role in ROLES:
        user = world.users[role]
        client.logout()
        if user is not None:
            client.force_login(user)
        for key, path in paths.items():
            found[key].append(answer(client.get(path)))
    return {key: tuple(row) for key, row in found.items()}


def _line(key, row) -> str:
    return '    "%s": "%s",' % (key, " ".join(row))


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the receipt is generated
        world = build_world()
    return add_receipt(world)


def test_every_url_answers_every_role_as_the_table_says(client, world):
    found = matrix(client, world)

    missing = {key: row for key, row in found.items() if key not in EXPECTED}
    assert not missing, "URLs without an expected answer; add them to tests/core/url_access.py:\n" + "\n".join(
        _line(key, row) for key, row in sorted(missing.items())
    )
    stale = sorted(set(EXPECTED) - set(found))
    assert not stale, "table rows for URLs that no longer exist: %s" % stale
    differing = {
        key: (EXPECTED[key], " ".join(row)) for key, row in found.items() if tuple(EXPECTED[key].split()) != row
    }
    assert not differing, "answers differing from the table (expected, found):\n" + "\n".join(
        "%s: %s | %s" % (key, expected, actual) for key, (expected, actual) in sorted(differing.items())
    )
    server_errors = [(key, row) for key, row in found.items() if any(cell.startswith("5") for cell in row)]
    assert server_errors == []


def test_the_table_grants_no_2xx_to_a_role_outside_the_urls_audience():
    """Every 2xx in the table is one of the audiences GRANTED lists for that URL's family."""
    unexpected = []
    for key, row in EXPECTED.items():
        cells = row.split()
        assert len(cells) == len(ROLES), key
        prefix = max((prefix for prefix in GRANTED if key.startswith(prefix)), key=len)
        audience = GRANTED[prefix]
        for role, cell in zip(ROLES, cells, strict=True):
            if cell.startswith("2") and role not in audience:
                unexpected.append((key, role))
            assert not cell.startswith("5"), (key, role)
    assert unexpected == []
