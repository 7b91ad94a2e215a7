"""Portal services refuse what a page should never store: a rating outside 1-5 stars, a
"page" that is not a local path, availability over more than a year; and an unknown or
oversized cancellation token finds no appointment."""

import uuid
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from housingmix.portal import services
from housingmix.portal.models import AvailabilitySlot, Feedback
from tests.accounts.factories import UserFactory
from tests.portal.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def _feedback(**overrides):
    data = {"page": "/avvisi/", "rating": 4, "answer": "", "details": "", "language": "it", "submission": uuid.uuid4()}
    return services.feedback_record(**data | overrides)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": 0}, "Scegli una valutazione da 1 a 5 stelle."),
        ({"rating": 6}, "Scegli una valutazione da 1 a 5 stelle."),
        ({"page": "https://altro.example/pagina"}, "Pagina non valida."),
    ],
)
def test_feedback_outside_the_rules_is_refused_and_not_stored(overrides, message):
    with pytest.raises(ValidationError) as error:
        _feedback(**overrides)
    assert error.value.messages == [message]
    assert not Feedback.objects.exists()


def test_feedback_keeps_only_the_path_of_the_page():
    feedback, created = _feedback(page="/avvisi/?q=mario#sezione")
    assert created and feedback.page == "/avvisi/"


def test_availability_over_more_than_a_year_is_refused():
    series = services.SlotSeries(
        office=OfficeFactory(),
        first_day=date(2027, 1, 1),
        last_day=date(2028, 1, 3),
        weekdays=[0],
        start=time(9),
        end=time(12),
        minutes=30,
    )
    with pytest.raises(ValidationError) as error:
        services.slots_generate(series=series, by=UserFactory(staff=True))
    assert error.value.messages == ["Si possono creare disponibilità per un anno al massimo."]
    assert not AvailabilitySlot.objects.exists()


@pytest.mark.parametrize("token", ["", "x" * 101, "token-che-non-esiste"])
def test_an_unknown_cancellation_token_finds_nothing(token):
    assert services.appointment_get_by_token(token=token) is None
