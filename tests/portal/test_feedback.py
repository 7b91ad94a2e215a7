"""The page-clarity rating: stored once, without personal data, rate-limited, working without JavaScript."""

import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from housingmix.portal.models import Feedback, FeedbackAnswer
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, **data):
    return client.post(reverse("portal:feedback"), data, **data.pop("headers", {}))


def rating(**overrides):
    data = {
        "page": "/servizi/mettere-a-disposizione-un-alloggio/?utm_source=mail",
        "rating": "4",
        "answer": FeedbackAnswer.CLEAR,
        "details": "Scrivetemi a mario.rossi@example.org o al 333 1234567, CF RSSMRA80A01F205X",
        "submission": str(uuid.uuid4()),
        "final": "on",
    }
    data.update(overrides)
    return data


def test_rating_is_stored_once_without_personal_data(client):
    data = rating()

    first = client.post(reverse("portal:feedback"), data, **JSON)
    again = client.post(reverse("portal:feedback"), data, **JSON)  # a double click

    assert first.status_code == 200 and first.json() == {"ok": True}
    assert again.status_code == 200
    (stored,) = Feedback.objects.all()
    assert stored.page == "/servizi/mettere-a-disposizione-un-alloggio/"
    assert stored.rating == 4 and stored.answer == FeedbackAnswer.CLEAR
    assert "mario.rossi" not in stored.details and "1234567" not in stored.details
    assert "RSSMRA80A01F205X" not in stored.details
    assert stored.details.startswith("Scrivetemi a [")
    # Nothing that identifies the visitor has a column to go in.
    columns = {field.name for field in Feedback._meta.get_fields()}
    assert columns == {"id", "page", "rating", "answer", "details", "language", "created_on", "submission"}


def test_logged_in_rating_is_not_linked_to_the_account(client):
    client.force_login(UserFactory(email="lucia@example.org"))

    client.post(reverse("portal:feedback"), rating(details="Tutto chiaro"), **JSON)

    stored = Feedback.objects.get()
    assert "lucia" not in str(stored.__dict__)


def test_answer_of_the_other_question_is_refused(client):
    response = client.post(reverse("portal:feedback"), rating(rating="2", answer=FeedbackAnswer.CLEAR), **JSON)

    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_rating_out_of_range_is_refused(client):
    response = client.post(reverse("portal:feedback"), rating(rating="9"), **JSON)

    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_without_javascript_the_follow_up_question_comes_on_its_own_page(client):
    first = client.post(reverse("portal:feedback"), {"page": "/avvisi/", "rating": "2"})

    assert first.status_code == 200
    content = first.content.decode()
    assert "Dove hai incontrato le maggiori difficoltà?" in content
    assert "Quali sono stati gli aspetti che hai preferito?" not in content
    assert "A volte le indicazioni non erano chiare" in content
    assert not Feedback.objects.exists()
    submission = first.context["submission"]

    second = client.post(
        reverse("portal:feedback"),
        {
            "page": "/avvisi/",
            "rating": "2",
            "answer": FeedbackAnswer.UNCLEAR,
            "details": "",
            "final": "on",
            "submission": str(submission),
        },
    )

    assert second.status_code == 200
    assert "Grazie, il tuo parere ci aiuterà a migliorare il servizio!" in second.content.decode()
    stored = Feedback.objects.get()
    assert (stored.page, stored.rating, stored.answer) == ("/avvisi/", 2, FeedbackAnswer.UNCLEAR)


def test_ratings_are_limited_per_client(client, settings):
    settings.FEEDBACK_RATE_LIMIT_PER_HOUR = 3
    for _ in range(3):
        assert client.post(reverse("portal:feedback"), rating(), **JSON).status_code == 200

    limited = client.post(reverse("portal:feedback"), rating(), **JSON)
    page = client.post(reverse("portal:feedback"), rating())

    assert limited.status_code == 429
    assert page.status_code == 429
    assert "Troppe richieste" in page.content.decode()
    assert Feedback.objects.count() == 3


def test_other_clients_are_not_limited_by_one(client, settings):
    settings.FEEDBACK_RATE_LIMIT_PER_HOUR = 1
    client.post(reverse("portal:feedback"), rating(), **JSON)

    other = client.post(reverse("portal:feedback"), rating(), REMOTE_ADDR="10.1.2.3", **JSON)

    assert other.status_code == 200
    assert Feedback.objects.count() == 2


def test_rating_sent_from_another_site_is_refused(client):
    response = client.post(reverse("portal:feedback"), rating(), HTTP_ORIGIN="https://evil.example", **JSON)
    cross_site = client.post(reverse("portal:feedback"), rating(), HTTP_SEC_FETCH_SITE="cross-site", **JSON)

    assert response.status_code == 403 and cross_site.status_code == 403
    assert not Feedback.objects.exists()


def test_rating_from_the_portal_itself_is_accepted(client):
    response = client.post(reverse("portal:feedback"), rating(), HTTP_ORIGIN="http://testserver", **JSON)

    assert response.status_code == 200


def test_link_back_is_always_a_local_path(client):
    response = client.post(reverse("portal:feedback"), {"page": "javascript:alert(1)", "rating": "5"})

    assert response.status_code == 200
    assert "javascript:" not in response.content.decode()


def test_staff_see_the_results_per_page(client):
    for value, answer in ((5, FeedbackAnswer.CLEAR), (3, FeedbackAnswer.TECH), (4, FeedbackAnswer.CLEAR)):
        client.post(reverse("portal:feedback"), rating(rating=str(value), answer=answer, page="/servizi/"), **JSON)
    client.post(reverse("portal:feedback"), rating(rating="1", answer="", page="/avvisi/"), **JSON)
    client.force_login(UserFactory(staff=True))

    response = client.get(reverse("admin:portal_feedback_changelist"))

    assert response.status_code == 200
    results = {row["page"]: row for row in response.context["feedback_results"]}
    assert results["/servizi/"]["count"] == 3
    assert round(results["/servizi/"]["mean"], 1) == 4.0
    assert results["/servizi/"]["distribution"] == [0, 0, 1, 1, 1]
    assert dict(results["/servizi/"]["answers"])["Le indicazioni erano chiare"] == 2
    assert results["/avvisi/"]["count"] == 1
    assert "Risultati per pagina" in response.content.decode()
