"""Role names from the shared cache: no query on a back-office page, and a role granted or revoked
counts on the next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from housingmix.accounts.models import User
from housingmix.accounts.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def role_cache(settings):
    settings.ROLE_CACHE_SECONDS = 60


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # a new instance, as each request loads


def _has_role_queries(user, role) -> tuple[bool, int]:
    with CaptureQueriesContext(connection) as captured:
        result = user.has_role(role)
    return result, len(captured.captured_queries)


def test_second_request_reads_the_roles_from_the_cache(role_cache):
    user = UserFactory(staff=True)
    assert _has_role_queries(_fresh(user), Role.STAFF) == (True, 1)
    assert _has_role_queries(_fresh(user), Role.STAFF) == (True, 0)


def test_a_role_revoked_or_granted_counts_at_once(role_cache, django_capture_on_commit_callbacks):
    user = UserFactory(staff=True)
    assert _fresh(user).has_role(Role.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        user.groups.remove(Group.objects.get(name=Role.STAFF))
    assert not _fresh(user).has_role(Role.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.get(name=Role.SOCIAL_WORKER).user_set.add(user)  # from the group's side
    assert _fresh(user).has_role(Role.SOCIAL_WORKER)
    with django_capture_on_commit_callbacks(execute=True):
        user.groups.clear()
    assert not _fresh(user).has_role(Role.SOCIAL_WORKER)


def test_a_deactivated_user_has_no_role_even_if_cached(role_cache):
    user = UserFactory(staff=True)
    assert _fresh(user).has_role(Role.STAFF)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not _fresh(user).has_role(Role.STAFF)


def test_off_without_a_shared_cache(settings):
    # The test settings have no Redis: the default is off, and every instance asks the database.
    if settings.REDIS_CACHE_URL:
        pytest.skip("the environment sets a shared cache")
    assert settings.ROLE_CACHE_SECONDS == 0
    user = UserFactory(staff=True)
    assert _has_role_queries(_fresh(user), Role.STAFF) == (True, 1)
    assert _has_role_queries(_fresh(user), Role.STAFF) == (True, 1)
