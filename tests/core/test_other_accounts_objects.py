"""Objects of another account of the same role, for each model a view or a download reaches: by
reference, by id, by file name, and by ids guessed around one's own. Every one is a 404 (whether
the object exists is not disclosed), never someone else's page or file."""

import pytest
from django.urls import reverse

from applications import selectors
from tests.accounts.factories import MembershipFactory
from tests.applications.factories import ApplicationFactory, OffererFactory, in_comune, social_worker

pytestmark = pytest.mark.django_db

GUESS = range(-3, 4)


@pytest.fixture
def two_offerers(django_capture_on_commit_callbacks):
    """Offerers A and B, each with a submitted manifestation (receipt generated) and an organisation."""
    a, b = OffererFactory(), OffererFactory()
    with django_capture_on_commit_callbacks(execute=True):
        mine = ApplicationFactory(created_by=b, submitted=True)
        theirs = ApplicationFactory(created_by=a, submitted=True)
    MembershipFactory(user=a)
    MembershipFactory(user=b)
    return a, b, mine, theirs


def _ok_or_404(client, path, *, own: bool):
    status = client.get(path).status_code
    assert status == (200 if own else 404), (path, status)


def test_an_offerer_reaches_none_of_another_offerers_objects(client, two_offerers):
    a, b, mine, theirs = two_offerers
    client.force_login(b)
    own_attachments = set(mine.attachments.values_list("pk", flat=True))
    their_attachments = list(theirs.attachments.all())
    own_documents = set(selectors.application_generated_documents(application=mine).values_list("pk", flat=True))
    their_documents = list(selectors.application_generated_documents(application=theirs))
    assert their_attachments and their_documents

    # By reference: every page of their manifestation.
    for name in ("applications:detail", "applications:withdraw", "review:offerer_status"):
        assert client.get(reverse(name, kwargs={"ref": theirs.reference})).status_code == 404, name
    # By id and file name under their reference, and their ids under my own reference.
    for attachment in their_attachments:
        for ref in (theirs.reference, mine.reference):
            kwargs = {"ref": ref, "pk": attachment.pk}
            assert client.get(reverse("applications:thumbnail", kwargs=kwargs)).status_code == 404
            download = reverse("applications:attachment", kwargs={**kwargs, "filename": attachment.filename})
            assert client.get(download).status_code == 404
    for document in their_documents:
        for ref in (theirs.reference, mine.reference):
            for name in ("applications:generated", "review:offerer_document"):
                assert client.get(reverse(name, kwargs={"ref": ref, "pk": document.pk})).status_code == 404, name
    for unit in theirs.units.all():
        assert client.get(
            reverse("applications:unit_data", kwargs={"ref": mine.reference, "unit": unit.pk})
        ).status_code in (
            302,  # my manifestation is submitted: its editing pages send me to it
            404,
        )
    # Ids guessed around my own: mine answer, the others do not.
    for own in own_attachments:
        for pk in (own + step for step in GUESS if own + step > 0):
            attachment = mine.attachments.filter(pk=pk).first()
            name = attachment.filename if attachment else "documento.pdf"
            path = reverse("applications:attachment", kwargs={"ref": mine.reference, "pk": pk, "filename": name})
            _ok_or_404(client, path, own=pk in own_attachments)
    for own in own_documents:
        for pk in (own + step for step in GUESS if own + step > 0):
            path = reverse("applications:generated", kwargs={"ref": mine.reference, "pk": pk})
            _ok_or_404(client, path, own=pk in own_documents)
    # Organisations: my own by id answers; the ids around it (theirs among them) do not.
    own_org = b.memberships.get().organisation_id
    their_org = a.memberships.get().organisation_id
    assert abs(own_org - their_org) <= 3
    for pk in (own_org + step for step in GUESS if own_org + step > 0):
        _ok_or_404(client, reverse("accounts:organisation_detail", kwargs={"pk": pk}), own=pk == own_org)


def test_a_social_worker_reaches_only_the_manifestations_assigned_to_them(client):
    lodi_worker = social_worker("Lodi")
    from housingmix.territory.models import Comune

    other_name = Comune.objects.exclude(name="Lodi").order_by("name").first().name
    other_worker = social_worker(other_name)
    assigned = ApplicationFactory(under_review=True, lifecycle__reviewer=lodi_worker, **in_comune("Lodi"))
    theirs = ApplicationFactory(under_review=True, lifecycle__reviewer=other_worker, **in_comune(other_name))

    client.force_login(other_worker)
    assert client.get(reverse("review:detail", kwargs={"ref": theirs.reference})).status_code == 200
    assert client.get(reverse("review:detail", kwargs={"ref": assigned.reference})).status_code == 404
    for attachment in assigned.attachments.all():
        url = reverse("review:attachment", kwargs={"ref": assigned.reference, "pk": attachment.pk})
        assert client.get(url).status_code == 404
        # Their attachment's id under my own manifestation's reference.
        url = reverse("review:attachment", kwargs={"ref": theirs.reference, "pk": attachment.pk})
        assert client.get(url).status_code == 404
    queue = client.get(reverse("review:queue")).content.decode()
    assert str(theirs.protocol_number) in queue
    assert str(assigned.protocol_number) not in queue
    export = client.get(reverse("review:queue_export", kwargs={"fmt": "csv"}))
    assert export.status_code == 200
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert str(assigned.protocol_number).encode() not in body


def test_an_ets_reaches_none_of_another_ets_proposals(client, django_capture_on_commit_callbacks):
    """Co-design: another ETS's proposal, its receipt, and the ids around one's own are 404s."""
    from housingmix.core.documents import documents_of
    from tests.projects.factories import codesign_call, submitted_proposal

    call = codesign_call()
    with django_capture_on_commit_callbacks(execute=True):
        mine = submitted_proposal(call)
        theirs = submitted_proposal(call)
    client.force_login(mine.operator)
    their_receipt = documents_of(theirs).get()
    for name in ("projects:proposal_detail", "projects:proposal_admissibility"):
        assert client.get(reverse(name, kwargs={"pk": theirs.pk})).status_code == 404, name
    assert client.get(reverse("projects:proposal_step", kwargs={"pk": theirs.pk, "step": "body"})).status_code == 404
    for pk in (theirs.pk, mine.pk):  # their receipt, under their proposal and under mine
        path = reverse("projects:proposal_document", kwargs={"pk": pk, "doc": their_receipt.pk})
        assert client.get(path).status_code == 404
    for pk in (mine.pk + step for step in GUESS if mine.pk + step > 0):
        _ok_or_404(client, reverse("projects:proposal_detail", kwargs={"pk": pk}), own=pk == mine.pk)
    assert theirs.title not in client.get(reverse("projects:proposal_list")).content.decode()
