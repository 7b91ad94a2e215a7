"""The review pages cost a fixed number of queries whatever the number of manifestations, and
what every request would rebuild (the filter's choices, the hidden action forms) is not rebuilt."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, ApplicationStatus, OffererReply, ReviewCheck
from demo.management.commands.seed_bench import STAFF_EMAIL
from housingmix.accounts.models import User
from housingmix.accounts.roles import Role
from housingmix.core.protocol import services as protocol
from housingmix.territory.models import Comune
from properties.models import HousingUnit
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db

# Session, the user with the verified second-factor device (one query: accounts.backends), the
# user's roles, COUNT, the page, its units' comuni, the overdue requests of its rows waiting for
# an integration (none asked when no row waits). The filter's choices come from the cache.
QUEUE_QUERIES = 7
# Session, user with device, roles, the manifestation with the reader's stake in it (asked by every
# rule, read with it), the read-audit INSERT, units with their latest outcomes and checklists,
# attachments, history (the proposal comes from it), notes, requests, replies, visits, decisions,
# documents.
DETAIL_QUERIES = 14
REGISTRY_QUERIES = (
    5  # session, user with device, roles, COUNT, the page (the rule asked directly: no permission tables)
)


def _seed(count: int) -> User:
    call_command("seed_bench", count=count, stdout=io.StringIO())
    return User.objects.get(email=STAFF_EMAIL)


def _queries(client, url, data=None) -> tuple[int, object]:
    client.get(url, data)  # fills the caches a first visit fills
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.fixture
def staff_client(client):
    def make(count):
        client.force_login(_seed(count), backend="housingmix.accounts.backends.AuthenticationBackend")
        return client

    return make


@pytest.mark.parametrize("count", [10, 60])
def test_queue_queries_do_not_grow_with_the_rows(staff_client, count):
    client = staff_client(count)
    n, response = _queries(client, reverse("review:queue"))
    rows = response.context["page_obj"].object_list
    assert any(row.status == ApplicationStatus.INFO_REQUESTED for row in rows)
    assert n == QUEUE_QUERIES
    assert isinstance(rows, list) and len(rows) == min(count, 25)
    first = rows[0]
    assert first.detail_url == reverse("review:detail", kwargs={"ref": first.reference})
    assert first.status_label == first.get_status_display()
    assert first.detail_url.encode() in response.content


@pytest.mark.parametrize("count", [10, 60])
def test_filtered_queue_validates_against_the_database_once_per_filter(staff_client, count):
    client = staff_client(count)
    unit = HousingUnit.objects.exclude(application__status=ApplicationStatus.DRAFT).order_by("pk").first()
    n, response = _queries(client, reverse("review:queue"), {"comune": unit.comune_id})
    waiting = any(row.status == ApplicationStatus.INFO_REQUESTED for row in response.context["page_obj"].object_list)
    assert n == QUEUE_QUERIES + 1 - (not waiting)  # the comune submitted is looked up
    assert response.context["filter"].form.is_valid()
    assert response.context["page_obj"].object_list


@pytest.mark.parametrize("count", [10, 60])
def test_registry_queries_do_not_grow_with_the_rows(staff_client, count):
    client = staff_client(count)
    n, response = _queries(client, reverse("registry:list"))
    assert n == REGISTRY_QUERIES
    for entry in response.context["page_obj"].object_list:
        assert entry.detail_url == reverse("registry:detail", kwargs={"pk": entry.pk})
        assert entry.form_label == entry.get_availability_form_display()


@pytest.mark.parametrize("count", [10, 60])
def test_detail_queries_do_not_grow_and_hidden_forms_are_not_built(staff_client, count):
    client = staff_client(count)
    eligible = Application.objects.filter(status=ApplicationStatus.ELIGIBLE).order_by("-pk").first()
    n, response = _queries(client, reverse("review:detail", kwargs={"ref": eligible.reference}))
    assert n == DETAIL_QUERIES
    context = response.context
    # A decided manifestation offers no action: no form is built for it.
    for key in ("info_request_form", "resume_form", "visit_form", "eligible_form", "refusal_form", "note_form"):
        assert context[key] is None, key
    assert all(form is None for _unit, form in context["checklist_forms"])
    assert context["units"] and all(unit.checklist for unit in context["units"])


def test_an_organisations_manifestation_costs_the_same_and_its_members_are_refused(staff_client):
    """Made for a body: whether the reader belongs to it (asked by every rule of the page) is read
    with the record, not once per rule; and a member of the body gets no review page."""
    client = staff_client(10)
    eligible = Application.objects.filter(status=ApplicationStatus.ELIGIBLE).order_by("-pk").first()
    body = OrganisationFactory()
    Application.objects.filter(pk=eligible.pk).update(organisation=body)
    url = reverse("review:detail", kwargs={"ref": eligible.reference})
    n, _response = _queries(client, url)
    assert n == DETAIL_QUERIES
    MembershipFactory(user=User.objects.get(email=STAFF_EMAIL), organisation=body)
    assert client.get(url).status_code == 404


def test_open_review_builds_the_forms_it_shows(staff_client):
    client = staff_client(20)
    open_one = Application.objects.filter(status=ApplicationStatus.UNDER_REVIEW).order_by("-pk").first()
    response = client.get(reverse("review:detail", kwargs={"ref": open_one.reference}))
    assert response.status_code == 200
    context = response.context
    assert context["note_form"] is not None and context["info_request_form"] is not None
    assert all(form is not None for _unit, form in context["checklist_forms"])
    assert b'name="info-deadline"' in response.content


def test_the_checklists_are_read_with_the_units(staff_client):
    """No query of its own for the checklist: each unit's rows come as a column of the units'
    query, and what the page and the form show of them is what was saved."""
    client = staff_client(10)
    eligible = Application.objects.filter(status=ApplicationStatus.ELIGIBLE).order_by("-pk").first()
    saved = list(ReviewCheck.objects.filter(application=eligible).order_by("unit_id", "item"))
    assert saved
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("review:detail", kwargs={"ref": eligible.reference}))
    checks = [q["sql"] for q in captured.captured_queries if '"applications_reviewcheck"' in q["sql"]]
    assert len(checks) == 1 and 'FROM "properties_housingunit"' in checks[0]
    shown = {
        (unit.pk, item): (check.outcome, check.note, check.pk)
        for unit in response.context["units"]
        for item, check in unit.checks.items()
    }
    assert shown == {(c.unit_id, c.item): (c.outcome, c.note, c.pk) for c in saved}


def test_replies_show_their_files_without_a_query_of_their_own(staff_client):
    """A reply's files are taken from the manifestation's, already on the page: no prefetch, and
    each link is the file's download."""
    client = staff_client(10)
    eligible = Application.objects.filter(status=ApplicationStatus.ELIGIBLE).order_by("-pk").first()
    url = reverse("review:detail", kwargs={"ref": eligible.reference})
    files = list(eligible.attachments.order_by("-pk")[:2])
    assert len(files) == 2
    with transaction.atomic():
        for text, filed in (("Prima risposta", files), ("Seconda, senza file", [])):
            entry = protocol.register(
                direction="in", sender="Offerente", recipient="Ufficio di Piano", subject=text, sha256="0" * 64
            )
            reply = OffererReply.objects.create(
                application=eligible, kind="integration", text=text, created_by=eligible.created_by, protocol=entry
            )
            reply.attachments.set(filed)
    n, response = _queries(client, url)
    assert n == DETAIL_QUERIES
    replies = {reply.text: reply for reply in response.context["replies"]}
    assert [a.pk for a in replies["Prima risposta"].attachment_list] == sorted(a.pk for a in files)
    assert replies["Seconda, senza file"].attachment_list == []
    html = response.content.decode()
    for attachment in files:
        link = reverse("review:attachment", kwargs={"ref": eligible.reference, "pk": attachment.pk})
        assert html.count('href="%s"' % link) == 2  # among the files and under the reply


def test_the_pages_overdue_flags_are_the_exports(staff_client):
    """Read for the page's rows only, the flags are what the export's column says of each row:
    waiting for an integration past its deadline, not a request closed or still in time."""
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import InfoRequest
    from applications.review import selectors

    client = staff_client(60)
    waiting = list(Application.objects.filter(status=ApplicationStatus.INFO_REQUESTED).order_by("-pk")[:3])
    assert len(waiting) == 3
    today = timezone.localdate()
    InfoRequest.objects.filter(application=waiting[0]).update(deadline=today - timedelta(days=1), closed_at=None)
    InfoRequest.objects.filter(application=waiting[1]).update(deadline=today, closed_at=None)  # due today: in time
    InfoRequest.objects.filter(application=waiting[2]).update(
        deadline=today - timedelta(days=3), closed_at=timezone.now()
    )
    staff = User.objects.get(email=STAFF_EMAIL)
    exported = {a.pk: a.is_overdue for a in selectors.review_queue_base(user=staff)}
    assert exported[waiting[0].pk] and not exported[waiting[1].pk] and not exported[waiting[2].pk]
    shown = {}
    for number in (1, 2, 3):
        for row in client.get(reverse("review:queue"), {"page": number}).context["page_obj"].object_list:
            shown[row.pk] = row.is_overdue
    assert shown == exported
    assert "integrazione scaduta" in client.get(reverse("review:queue"), {"overdue": "yes"}).content.decode()


def _choices(response, name):
    return [str(label) for _value, label in response.context["filter"].form.fields[name].choice_list]


def test_filter_choices_follow_changes_at_once(staff_client):
    client = staff_client(10)
    url = reverse("review:queue")
    client.get(url)
    notice = NoticeFactory(published=True, title="Avviso nuovo per la cache")
    comune = Comune.objects.order_by("name").first()
    comune.name = "Comune rinominato"
    comune.save()
    newcomer = UserFactory(first_name="Nuova", last_name="Istruttrice")
    newcomer.groups.add(Group.objects.get(name=Role.SOCIAL_WORKER))
    response = client.get(url)
    assert notice.title in _choices(response, "notice")
    assert "Comune rinominato" in _choices(response, "comune")
    assert "Nuova Istruttrice" in _choices(response, "assigned_to")
    newcomer.groups.clear()
    assert "Nuova Istruttrice" not in _choices(client.get(url), "assigned_to")
    # The empty choice keeps its label, in the language of the request.
    assert _choices(response, "notice")[0] == "Tutti"
