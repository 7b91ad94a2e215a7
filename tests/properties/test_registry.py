"""The unit registry: entries made from eligible units, the staff's list, detail and export."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from housingmix.core.models import AuditEvent
from properties.models import RegistryEntry
from properties.services import registry_entry_create
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, HousingUnitFactory, social_worker

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")
    return client


def test_entry_copies_the_offer_and_is_made_once():
    unit = HousingUnitFactory(available_from=date(2027, 3, 1), duration_months=36, beds=3, monthly_rent=Decimal("450"))
    entry = registry_entry_create(unit=unit)
    assert (entry.comune, entry.beds, entry.monthly_rent, entry.available_from) == (
        unit.comune,
        3,
        Decimal("450"),
        date(2027, 3, 1),
    )
    assert entry.available_until == date(2030, 2, 28)  # 36 months on
    assert registry_entry_create(unit=unit) == entry
    assert RegistryEntry.objects.count() == 1
    assert AuditEvent.objects.filter(verb="registry.entry_created").count() == 1


def test_a_unit_without_comune_cannot_enter_the_registry():
    unit = HousingUnitFactory(comune=None)
    with pytest.raises(ValidationError):
        registry_entry_create(unit=unit)
    assert not RegistryEntry.objects.exists()


def test_eligible_units_are_listed_filtered_detailed_and_exported_for_staff(client):
    application = ApplicationFactory(eligible=True, units=2)
    staff = UserFactory(staff=True)
    c = _login(client, staff)
    response = c.get(reverse("registry:list"))
    assert response.status_code == 200
    unit = application.units.order_by("pk").first()
    assert unit.display_name.encode() in response.content
    entry = unit.registry_entry
    detail = c.get(reverse("registry:detail", kwargs={"pk": entry.pk}))
    assert detail.status_code == 200 and b"adatta fino a" in detail.content
    assert c.get(reverse("registry:list"), {"min_beds": 5}).content.count(unit.display_name.encode()) == 0
    xlsx = c.get(reverse("registry:export", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3  # header and the two units


def test_the_registry_is_for_ambito_staff_only(client):
    ApplicationFactory(eligible=True)
    for user in (social_worker("Lodi"), UserFactory(offerer=True)):
        c = _login(client, user)
        assert c.get(reverse("registry:list")).status_code == 403
        assert c.get(reverse("registry:export", kwargs={"fmt": "csv"})).status_code == 403
