"""Issue 11, item 11: the inbox of the Area personale lists every communication of all the
owner's manifestations (receipt, request, preavviso, outcome), newest first, unread marked;
opening one marks it read; it is reached from the header's user menu; no N+1."""

import re

import pytest
from django.urls import reverse

from applications.review import services as review
from housingmix.core.documents import documents_of
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _rows(content: str) -> list[str]:
    body = content.split('id="inbox"')[1].split("</tbody>")[0]
    return re.findall(r"<tr[^>]*>.*?</tr>", body, re.S)[1:]  # skip the header row


def _two_manifestations(staff, run_on_commit, n=2):
    first = run_on_commit(ApplicationFactory, submitted=True)
    owner = first.created_by
    others = [run_on_commit(ApplicationFactory, submitted=True, created_by=owner) for _i in range(n - 1)]
    run_on_commit(review.review_assign, application=first, reviewer=staff, by=staff)
    run_on_commit(review.info_request_create, application=first, items="Planimetria aggiornata", by=staff)
    return owner, first, others


def test_inbox_lists_every_communication_newest_first_and_marks_unread(client, login, staff, run_on_commit):
    owner, first, (second,) = _two_manifestations(staff, run_on_commit)
    ApplicationFactory(submitted=True)  # someone else's: never listed
    c = login(owner)

    # The header's user menu leads to it.
    area = c.get(reverse("accounts:area")).content.decode()
    assert 'href="%s"' % reverse("applications:inbox") in area

    page = c.get(reverse("applications:inbox"))
    assert page.status_code == 200
    rows = _rows(page.content.decode())
    expected = sorted(
        list(documents_of(first)) + list(documents_of(second)), key=lambda d: (d.created_at, d.pk), reverse=True
    )
    assert len(rows) == len(expected) == 3  # two receipts and the request
    assert "Richiesta di integrazione" in rows[0]  # the newest first
    assert all("Da leggere" in row for row in rows)
    assert second.protocol.display_number in page.content.decode()

    # Opening the request marks it read; the others stay unread.
    request_doc = expected[0]
    response = c.get(reverse("review:offerer_document", kwargs={"ref": first.reference, "pk": request_doc.pk}))
    assert response.status_code == 200
    rows = _rows(c.get(reverse("applications:inbox")).content.decode())
    assert "Da leggere" not in rows[0] and "Letta" in rows[0]
    assert all("Da leggere" in row for row in rows[1:])


def test_inbox_is_empty_for_a_new_user(client, login):
    content = login(UserFactory(offerer=True)).get(reverse("applications:inbox")).content.decode()
    assert "Non hai ancora ricevuto comunicazioni." in content


@pytest.mark.parametrize("n", [1, 4])
def test_inbox_queries_do_not_grow_with_the_list(client, login, staff, run_on_commit, n, django_assert_max_num_queries):
    owner, _first, _others = _two_manifestations(staff, run_on_commit, n=n)
    c = login(owner)
    c.get(reverse("applications:inbox"))  # warm the caches (session, content types)
    with django_assert_max_num_queries(12):
        assert c.get(reverse("applications:inbox")).status_code == 200
