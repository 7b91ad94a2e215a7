"""A draft is the offerer's until it is submitted (issue 12, defect 5): nobody else reads it or its
files through the offerer's area, staff and administrators included; once submitted the Ambito's
staff read it, and each reading is audited."""

import pytest
from django.urls import reverse

from applications import selectors
from applications.models import Application
from housingmix.accounts.roles import Role
from housingmix.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory, social_worker

pytestmark = pytest.mark.django_db


def _offerer_area_paths(application) -> list[str]:
    """Every page and download of the offerer's area for ``application``: pages, each attachment,
    each thumbnail, each generated document."""
    ref = application.reference
    paths = [
        reverse(name, kwargs={"ref": ref})
        for name in (
            "applications:detail",
            "applications:offerer",
            "applications:units",
            "applications:attachments",
            "applications:declarations",
            "applications:summary",
            "applications:delete",
        )
    ]
    for unit in application.units.all():
        for name in ("applications:unit_data", "applications:unit_terms", "applications:unit_remove"):
            paths.append(reverse(name, kwargs={"ref": ref, "unit": unit.pk}))
    for attachment in application.attachments.all():
        paths.append(
            reverse(
                "applications:attachment", kwargs={"ref": ref, "pk": attachment.pk, "filename": attachment.filename}
            )
        )
        paths.append(reverse("applications:thumbnail", kwargs={"ref": ref, "pk": attachment.pk}))
    return paths


def _others():
    administrator = UserFactory(is_staff=True, roles=[Role.ADMINISTRATOR])
    return {
        "staff": UserFactory(staff=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "administrator": administrator,
        "dpo": UserFactory(is_staff=True, roles=[Role.DPO]),
        "social_worker": social_worker("Lodi"),
        "other_offerer": UserFactory(offerer=True),
    }


def test_nobody_but_the_offerer_reads_a_draft_or_its_files(client):
    draft = ApplicationFactory(complete=True)
    paths = _offerer_area_paths(draft)
    assert len(paths) > 10

    client.force_login(draft.created_by)
    assert client.get(paths[0]).status_code == 200
    attachment = draft.attachments.first()
    download = reverse(
        "applications:attachment",
        kwargs={"ref": draft.reference, "pk": attachment.pk, "filename": attachment.filename},
    )
    assert client.get(download).status_code == 200
    client.logout()

    for role, user in _others().items():
        client.force_login(user)
        for path in paths:
            assert client.get(path).status_code == 404, (role, path)
        client.logout()
    # Nothing was read, so nothing to audit.
    assert not AuditEvent.objects.filter(verb__in=["application.viewed", "application.file_downloaded"]).exists()


def test_a_draft_does_not_appear_to_staff_by_post_either(client):
    draft = ApplicationFactory(complete=True)
    staff = UserFactory(staff=True)
    client.force_login(staff)
    summary = reverse("applications:summary", kwargs={"ref": draft.reference})
    assert client.post(summary).status_code == 404
    assert Application.objects.get(pk=draft.pk).is_draft


def test_staff_read_a_submitted_manifestation_and_its_files_audited(client):
    application = ApplicationFactory(submitted=True)
    staff = UserFactory(staff=True)
    client.force_login(staff)
    assert client.get(application.get_absolute_url()).status_code == 200
    attachment = application.attachments.first()
    response = client.get(
        reverse(
            "applications:attachment",
            kwargs={"ref": application.reference, "pk": attachment.pk, "filename": attachment.filename},
        )
    )
    assert response.status_code == 200
    verbs = set(AuditEvent.objects.filter(actor=staff).values_list("verb", flat=True))
    assert {"application.viewed", "application.file_downloaded"} <= verbs


def test_the_generated_receipt_of_a_submitted_one_is_readable_by_staff_but_not_by_another_offerer(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = ApplicationFactory(submitted=True)
    documents = list(selectors.application_generated_documents(application=application))
    assert documents, "the receipt is generated on commit"
    url = reverse("applications:generated", kwargs={"ref": application.reference, "pk": documents[0].pk})
    client.force_login(UserFactory(offerer=True))
    assert client.get(url).status_code == 404
    client.logout()
    client.force_login(UserFactory(staff=True))
    assert client.get(url).status_code == 200
