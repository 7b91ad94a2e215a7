"""Issue 11, item 13: the notice pages of the back office have no serious or critical axe
violations (labelled date-time inputs, the Pubblica button, the list of attachments)."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.browser.helpers import assert_no_blocking_violations
from tests.browser.test_review_flow import _session, _verified
from tests.notices.factories import NoticeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_notice_add_and_change_pages_pass_axe(live_server, browser):
    staff = _verified(UserFactory(staff=True, is_staff=True, is_superuser=True))
    notice = NoticeFactory()
    context, page = _session(browser, live_server, staff)
    try:
        for url in (reverse("admin:notices_notice_add"), reverse("admin:notices_notice_change", args=[notice.pk])):
            response = page.goto(live_server.url + url)
            assert response.status == 200
            assert page.locator('input[type="datetime-local"][name="opens_at"]').count() == 1
            assert_no_blocking_violations(page)
        assert page.get_by_role("button", name="Pubblica").count() == 1
    finally:
        context.close()
