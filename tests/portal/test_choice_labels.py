"""Issue 11, item 7: every sort and filter choice of the review queue and of the unit registry
is in the page's language: Italian on Italian pages, English on English pages."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from applications.review.filters import ReviewQueueFilter
from properties.filters import RegistryFilter
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

OPTION = re.compile(r"<option[^>]*>(.*?)</option>", re.S)
# Labels that are the same word in both languages (data or acronyms), compared nowhere.
SAME_IN_BOTH = {"", "---------"}


def _labels(filterset_class, language) -> set[str]:
    with translation.override(language):
        form = filterset_class(data={}, queryset=filterset_class._meta.model.objects.none()).form
        labels = set()
        for name, field in form.fields.items():
            if name in ("notice", "comune", "assigned_to"):  # data, not labels
                continue
            for _value, label in getattr(field, "choices", []):
                labels.add(str(label))
        return labels - SAME_IN_BOTH


def _options(client, url_name, language) -> set[str]:
    with translation.override(language):
        url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 200
    return {html.unescape(" ".join(m.split())) for m in OPTION.findall(response.content.decode())}


@pytest.mark.parametrize(
    ("url_name", "filterset_class"),
    [("review:queue", ReviewQueueFilter), ("registry:list", RegistryFilter)],
)
def test_every_sort_and_filter_choice_is_in_the_page_language(client, url_name, filterset_class):
    italian, english = _labels(filterset_class, "it"), _labels(filterset_class, "en")
    only_italian, only_english = italian - english, english - italian
    assert "Data di presentazione" in only_italian or "Comune" in only_italian
    client.force_login(UserFactory(staff=True), backend="housingmix.accounts.backends.AuthenticationBackend")
    c = client
    on_italian_page = _options(c, url_name, "it")
    on_english_page = _options(c, url_name, "en")
    assert italian <= on_italian_page
    assert not (on_italian_page & only_english), on_italian_page & only_english
    assert english <= on_english_page
    assert not (on_english_page & only_italian), on_english_page & only_italian
    for leaked in ("Submitted", "Protocol", "Offerer", "From", "Rent"):
        assert leaked not in on_italian_page and "%s (decrescente)" % leaked not in on_italian_page
