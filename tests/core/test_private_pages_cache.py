"""Every page behind login is ``Cache-Control: private, no-store`` (core.middleware.CacheControlMiddleware),
checked over every URL pattern of the project that needs a login."""

import pytest
from django.conf import settings
from django.urls import reverse

from housingmix.core.middleware import cache_directives
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory
from tests.url_patterns import pattern_path, url_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """One complete draft with a unit and attachments, its offerer, a staff member and an administrator."""
    application = ApplicationFactory(complete=True)
    unit = application.units.first()
    attachment = application.attachments.first()
    values = {
        "ref": str(application.reference),
        "unit": str(unit.pk),
        "pk": str(attachment.pk),
        "filename": attachment.filename,
        "slug": application.notice.slug,
        "number": "1",
        "fmt": "csv",
        "object_id": str(application.created_by.pk),
        "app_label": "accounts",
        "content_type_id": "1",
        "id": "1",
        "key": "chiave-di-prova",
        "uidb36": "1",
        "metadata_type": "openid_relying_party",
        "category": "salute-benessere-e-assistenza",
        "token": "token-di-prova",
        "name": "start_assessment",
        "entry_pk": "1",
        # Co-design (projects): any record id, an action, a step, an export.
        "doc": "1",
        "call": "1",
        "member": "1",
        "action": "publish",
        "step": "body",
        "kind": "codesign_proposals",
    }
    users = {
        "offerer": application.created_by,
        "staff": UserFactory(staff=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    return values, users


def _needs_login(response) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302):
        location = response["Location"]
        return location.startswith(reverse(settings.LOGIN_URL)) or location.startswith(reverse("admin:login"))
    return False


def test_every_page_behind_login_is_private_and_not_stored(client, world):
    values, users = world
    behind_login = []
    for pattern in url_patterns():
        path = pattern_path(pattern, values)
        if path is not None and _needs_login(client.get(path)):
            behind_login.append(path)
    # The areas the issue named, among many: a new URL behind login is covered by itself.
    for area in ("/istruttoria/", "/istruttoria/cruscotto/", "/registro-alloggi/", "/area-personale/", "/backoffice/"):
        assert area in behind_login
    assert len(behind_login) > 100

    failures = []
    for role, user in users.items():
        client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")
        for path in behind_login:
            response = client.get(path)
            directives = cache_directives(response)
            if response.status_code >= 500 or not {"private", "no-store"} <= directives:
                failures.append((role, path, response.status_code, response.get("Cache-Control")))
        client.logout()
    assert failures == []


def test_pages_for_anonymous_visitors_that_say_nothing_are_not_stored(client):
    for name in ("account_login", "account_signup", "account_reset_password"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert {"private", "no-store"} <= cache_directives(response), name
    missing = client.get("/pagina-che-non-esiste/")
    assert missing.status_code == 404
    assert {"private", "no-store"} <= cache_directives(missing)


def test_public_pages_seen_by_a_logged_in_user_are_private(client, world):
    _, users = world
    client.force_login(users["offerer"], backend="housingmix.accounts.backends.AuthenticationBackend")
    for name in ("home", "notices:list", "notices:faq", "privacy"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        directives = cache_directives(response)
        assert {"private", "no-store"} <= directives, name
        assert "public" not in directives
