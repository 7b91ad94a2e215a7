"""Submitted manifestations for the review tests.

The submitted state is forced with ``.update()`` here only (tests), with a real protocol
entry: building a complete draft for ``application_submit`` is the offers issue's job.
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.db import transaction
from django.utils import timezone

from applications.models import Application, ApplicationStatus, ProtocolDirection
from applications.services import protocol_register
from housingmix.territory.models import Comune
from properties.models import AvailabilityForm, Condition, HousingUnit
from tests.accounts.factories import UserFactory
from tests.notices.factories import NoticeFactory


def comune(name: str = "Lodi") -> Comune:
    return Comune.objects.get(name=name)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    notice = factory.SubFactory(NoticeFactory, published=True)
    created_by = factory.SubFactory(UserFactory, offerer=True)
    offerer_type = "person"
    offerer_name = factory.Sequence(lambda n: "Giulia Verdi %d" % n)
    offerer_tax_code = "VRDGLI80A41F205X"
    offerer_address = "Via Garibaldi 3"
    offerer_postcode = "26900"
    offerer_city = "Lodi"
    offerer_province = "LO"
    email = factory.Sequence(lambda n: "offerente%d@example.org" % n)
    phone = "0371 000000"


class HousingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingUnit

    application = factory.SubFactory(ApplicationFactory)
    position = factory.Sequence(lambda n: (n % 5) + 1)
    label = factory.Sequence(lambda n: "Bilocale %d" % n)
    street = "Via Roma"
    street_number = factory.Sequence(lambda n: str(n + 1))
    comune = factory.LazyFunction(comune)
    postcode = "26900"
    surface_m2 = Decimal("55.00")
    rooms = Decimal("3.0")
    bedrooms = 1
    bathrooms = 1
    beds = 2
    floor = 1
    has_lift = True
    step_free = True
    condition = Condition.GOOD
    has_habitability = True
    electric_compliant = True
    gas_compliant = True
    availability_form = AvailabilityForm.LEASE_AGREED
    monthly_rent = Decimal("450.00")
    available_from = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    duration_months = 36
    renewable = True
    co_housing = False
    targets = factory.LazyFunction(lambda: ["families"])


def submitted_application(*, units: int = 1, comune_name: str = "Lodi", **kwargs) -> Application:
    """A manifestation in SUBMITTED with a real incoming protocol entry and ``units`` units."""
    application = ApplicationFactory(**kwargs)
    for _ in range(units):
        HousingUnitFactory(application=application, comune=comune(comune_name))
    now = timezone.now()
    with transaction.atomic():
        entry = protocol_register(
            direction=ProtocolDirection.INCOMING,
            sender=application.offerer_name,
            recipient="RUP",
            subject="Manifestazione di interesse",
            sha256="0" * 64,
            application=application,
            when=now,
        )
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.SUBMITTED, submitted_at=now, protocol=entry, package={}, package_sha256="0" * 64
    )
    return Application.objects.select_related("notice", "protocol", "created_by").get(pk=application.pk)


def social_worker(comune_name: str = "Lodi", **kwargs):
    return UserFactory(social_worker=True, comune=comune(comune_name), **kwargs)
