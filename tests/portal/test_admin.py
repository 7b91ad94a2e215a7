"""The back office of the model's pages: topics checked against the vocabulary, sheets in both languages."""

import pytest
from django.urls import reverse
from django.utils import translation

from housingmix.portal.models import Service, Topic
from tests.accounts.factories import UserFactory

from .factories import OfficeFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True))
    return client


def test_a_topic_claimed_from_the_model_vocabulary_must_be_one_of_its_terms(staff_client):
    url = reverse("admin:portal_topic_add")
    data = {"name": "Case belle", "slug": "case-belle", "vocabulary": "model", "order": "0"}

    refused = staff_client.post(url, data)
    accepted = staff_client.post(url, {**data, "name": "Integrazione sociale", "slug": "integrazione-sociale"})

    assert refused.status_code == 200 and "vocabolario controllato" in refused.content.decode()
    assert accepted.status_code == 302
    assert list(Topic.objects.values_list("name", flat=True)) == ["Integrazione sociale"]


def test_staff_write_a_sheet_in_both_languages_and_it_shows_at_once(staff_client, client):
    office = OfficeFactory()
    topic = TopicFactory()
    fields = {
        "title": "Offrire una stanza",
        "slug": "offrire-una-stanza",
        "summary": "Come offrire una stanza in co-housing.",
        "category": "salute-benessere-e-assistenza",
        "audience_type": "all",
        "topics": [topic.pk],
        "is_published": "on",
        "order": "0",
        "addressed": "Proprietari.",
        "how_to": "Scrivi all'ufficio.",
        "needed": "Un documento.",
        "obtained": "Una risposta.",
        "deadlines": "Entro 30 giorni.",
        "cost": "Gratuito.",
        "access": "Per e-mail.",
        "conditions": "Quelle dell'avviso.",
        "online_access": "",
        "office": office.pk,
        "title_en": "Offer a room",
        "summary_en": "How to offer a room in co-housing.",
        "how_to_en": "Write to the office.",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    # The sheet list is cached for anonymous visitors: a change must show at once.
    assert "Offrire una stanza" not in client.get(reverse("portal:services")).content.decode()

    response = staff_client.post(reverse("admin:portal_service_add"), fields)

    assert response.status_code == 302, response.content.decode()[:2000]
    service = Service.objects.get(slug="offrire-una-stanza")
    assert "Offrire una stanza" in client.get(reverse("portal:services")).content.decode()
    italian = client.get(service.get_absolute_url()).content.decode()
    with translation.override("en"):
        english = client.get(service.get_absolute_url()).content.decode()
    assert "Scrivi all&#x27;ufficio." in italian and "Write to the office." in english
    assert "Offer a room" in english
