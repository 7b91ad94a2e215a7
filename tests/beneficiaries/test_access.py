"""The role × object matrix at HTTP level: every unauthorised read refused, every authorised read
audited, special categories shown only to the reference worker, their comune's supervisor and
staff holding the permission."""

import json
from datetime import date

import pytest
from django.urls import reverse

from beneficiaries.models import ActionLine, PlanStatus, SupportAction, SupportPlan
from housingmix.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.beneficiaries import factories as f

pytestmark = pytest.mark.django_db

ALLOWED_SPECIAL = {"reference_worker", "supervisor", "staff_special"}
ALLOWED = ALLOWED_SPECIAL | {"staff", "dpo", "ets_operator"}


@pytest.fixture
def world():
    organisation, other_organisation = f.ets(), f.ets()
    worker = f.worker()
    household = f.household(by=worker, organisation=organisation)
    users = {
        "reference_worker": worker,
        "other_comune_worker": f.worker("Codogno"),
        "same_comune_other_worker": f.worker(),
        "supervisor": f.supervisor(),
        "other_supervisor": f.supervisor("Codogno"),
        "ets_operator": f.ets_operator(organisation),
        "other_ets_operator": f.ets_operator(other_organisation),
        "staff": f.staff(),
        "staff_special": f.staff(special=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "dpo": f.dpo(),
        "offerer": UserFactory(offerer=True),
    }
    return household, users


def _login(client, user):
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")


def test_household_page_matrix(client, world):
    household, users = world
    url = reverse("beneficiaries:detail", args=[household.pk])
    for role, user in users.items():
        _login(client, user)
        before = AuditEvent.objects.filter(verb="household.viewed", actor=user).count()
        response = client.get(url)
        content = response.content.decode()
        if role in ALLOWED or role == "superuser":
            assert response.status_code == 200, role
            event = AuditEvent.objects.filter(verb="household.viewed", actor=user).latest("pk")
            assert AuditEvent.objects.filter(verb="household.viewed", actor=user).count() == before + 1
            assert ("special_category" in event.data["parts"]) == (role in ALLOWED_SPECIAL), role
            assert ("sclerosi multipla" in content) == (role in ALLOWED_SPECIAL), role
            assert "Bianchetti" in content
            if role not in ALLOWED_SPECIAL:
                assert "Presenti, riservati" in content, role
        else:
            # As if it did not exist: a 403 would confirm the (sequential) id to an outsider.
            assert response.status_code == 404, role
            assert "Bianchetti" not in content
            assert AuditEvent.objects.filter(verb="household.viewed", actor=user).count() == before
        client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "Bianchetti" not in response.content.decode()


def test_superuser_is_not_a_reader_of_special_categories(client, world):
    household, users = world
    _login(client, users["superuser"])
    content = client.get(reverse("beneficiaries:detail", args=[household.pk])).content.decode()
    assert "sclerosi" not in content


def test_list_shows_only_the_households_of_each_role(client, world):
    household, users = world
    other = f.household(by=users["other_comune_worker"])
    url = reverse("beneficiaries:list")
    expectations = {
        "reference_worker": {household.code},
        "other_comune_worker": {other.code},
        "same_comune_other_worker": set(),
        "supervisor": {household.code},
        "other_supervisor": {other.code},
        "ets_operator": {household.code},
        "other_ets_operator": set(),
        "staff": {household.code, other.code},
        "dpo": {household.code, other.code},
    }
    for role, codes in expectations.items():
        _login(client, users[role])
        content = client.get(url).content.decode()
        assert {c for c in (household.code, other.code) if c in content} == codes, role
        client.logout()
    _login(client, users["offerer"])
    assert client.get(url).status_code == 403


def test_plan_transitions_and_actions_matrix(client, world):
    household, users = world
    for role, user in users.items():
        _login(client, user)
        response = client.post(
            reverse("beneficiaries:action_add", args=[household.pk]),
            {"line": ActionLine.COMMUNITY, "done_on": "2026-11-20", "hours": "1,5".replace(",", "."), "note": role},
        )
        recorded = SupportAction.objects.filter(note=role).exists()
        allowed = role in {"reference_worker", "supervisor", "staff", "staff_special", "ets_operator", "superuser"}
        assert recorded == allowed, role
        # Refused: 404 for whoever may not see the household, 403 for whoever sees it but may not act.
        assert response.status_code in ((302,) if allowed else (403, 404)), role
        client.logout()
    for role in ("ets_operator", "dpo", "other_comune_worker", "offerer"):
        _login(client, users[role])
        response = client.post(reverse("beneficiaries:plan_transition", args=[household.pk, "start_assessment"]))
        assert response.status_code in (302, 403, 404)
        assert SupportPlan.objects.get(household=household).status == PlanStatus.REFERRED, role
        client.logout()
    _login(client, users["reference_worker"])
    client.post(reverse("beneficiaries:plan_transition", args=[household.pk, "start_assessment"]), {"reason": "ok"})
    assert SupportPlan.objects.get(household=household).status == PlanStatus.ASSESSMENT


def test_dpo_reads_page_and_export(client, world):
    household, users = world
    _login(client, users["staff"])
    client.get(reverse("beneficiaries:detail", args=[household.pk]))
    client.logout()
    for role in ("staff", "reference_worker", "ets_operator", "superuser"):
        _login(client, users[role])
        assert client.get(reverse("beneficiaries:reads", args=[household.pk])).status_code == 403, role
        assert client.get(reverse("beneficiaries:export", args=[household.pk])).status_code == 403, role
        client.logout()
    _login(client, users["dpo"])
    page = client.get(reverse("beneficiaries:reads", args=[household.pk]))
    assert page.status_code == 200
    assert users["staff"].get_full_name() in page.content.decode()
    assert "Consultazione del nucleo" in page.content.decode()
    export = client.get(reverse("beneficiaries:export", args=[household.pk]))
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]
    data = json.loads(export.content)
    assert data["members"][0]["disability"] == f.DISABILITY
    assert data["members"][0]["tax_code"] == f.member_data(0)["tax_code"]
    assert AuditEvent.objects.filter(verb="household.export_viewed", actor=users["dpo"]).exists()
    assert AuditEvent.objects.filter(verb="household.exported", actor=users["dpo"]).exists()


def test_no_personal_data_in_urls(world):
    household, _users = world
    member = household.members.first()
    urls = [
        reverse(name, args=[household.pk])
        for name in ("beneficiaries:detail", "beneficiaries:units", "beneficiaries:reads")
    ]
    for url in urls:
        assert member.last_name not in url and member.tax_code not in url


def test_household_list_constant_queries(client, django_assert_max_num_queries, world):
    household, users = world
    _login(client, users["staff"])
    client.get(reverse("beneficiaries:list"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("beneficiaries:list"))
    for _ in range(8):
        f.household(by=users["reference_worker"], referred_on=date(2026, 10, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("beneficiaries:list"))
    assert response.content.decode().count("N-0") >= 9
