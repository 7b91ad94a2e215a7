"""The municipal model's page types and data-elements, as AgID's checks read them, in both languages."""

import json
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from housingmix.portal.models import ServiceCategory, Vocabulary
from housingmix.portal.vocabulary import MODEL_TOPICS
from tests.accounts.factories import UserFactory
from tests.notices.factories import NoticeFactory

from .conftest import parse_strict
from .factories import EventFactory, NewsFactory, ServiceFactory

pytestmark = pytest.mark.django_db

MENU = [("management", "Amministrazione"), ("news", "Novità"), ("all-services", "Servizi"), ("live", "Vivere ")]
MANAGEMENT_TERMS = {"aree amministrative", "documenti e dati", "enti e fondazioni", "organi di governo"}
MANAGEMENT_TERMS |= {"personale amministrativo", "politici", "uffici"}
NEWS_TERMS = {"avvisi", "comunicati", "notizie"}
SERVICE_INDEX = [
    "A chi è rivolto",
    "Come fare",
    "Cosa serve",
    "Cosa si ottiene",
    "Tempi e scadenze",
    "Accedi al servizio",
    "Condizioni di servizio",
    "Contatti",
]
POSITIVE = [
    "Le indicazioni erano chiare",
    "Le indicazioni erano complete",
    "Capivo sempre che stavo procedendo correttamente",
    "Non ho avuto problemi tecnici",
    "Altro",
]
NEGATIVE = [
    "A volte le indicazioni non erano chiare",
    "A volte le indicazioni non erano complete",
    "A volte non capivo se stavo procedendo correttamente",
    "Ho avuto problemi tecnici",
    "Altro",
]
LICENCE = (
    "In applicazione del principio open by default ai sensi dell’articolo 52 del decreto legislativo 7 marzo 2005, "
    "n. 82 (CAD) e salvo dove diversamente specificato (compresi i contenuti incorporati di terzi), i dati, i "
    "documenti e le informazioni pubblicati sul sito sono rilasciati con licenza CC-BY 4.0. Gli utenti sono quindi "
    "liberi di condividere (riprodurre, distribuire, comunicare al pubblico, esporre in pubblico), rappresentare, "
    "eseguire e recitare questo materiale con qualsiasi mezzo e formato e modificare (trasformare il materiale e "
    "utilizzarlo per opere derivate) per qualsiasi fine, anche commerciale con il solo onere di attribuzione, senza "
    "apporre restrizioni aggiuntive."
)


def url(name, language="it", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, "%s answered %d" % (path, response.status_code)
    return parse_strict(response.content)


def by_element(document, name):
    return [element for element in document.iter() if element.get("data-element") == name]


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def footer(document):
    return next(element for element in document.iter() if element.tag == "footer")


def assert_feedback_component(document):
    component = by_element(document, "feedback")
    assert len(component) == 1, "one rating component"
    (title,) = by_element(document, "feedback-title")
    assert text(title) == "Quanto sono chiare le informazioni su questa pagina?"
    for value in range(1, 6):
        assert len(by_element(document, "feedback-rate-%d" % value)) == 1
    (positive,) = by_element(document, "feedback-rating-positive")
    (negative,) = by_element(document, "feedback-rating-negative")
    assert [text(e) for e in by_element(positive, "feedback-rating-question")] == [
        "Quali sono stati gli aspetti che hai preferito?"
    ]
    assert [text(e) for e in by_element(negative, "feedback-rating-question")] == [
        "Dove hai incontrato le maggiori difficoltà?"
    ]
    assert [text(e) for e in by_element(positive, "feedback-rating-answer")] == POSITIVE
    assert [text(e) for e in by_element(negative, "feedback-rating-answer")] == NEGATIVE
    assert by_element(document, "feedback-input-text")[0].get("maxlength") == "200"


def test_home_has_the_main_menu_of_the_model_in_order_and_nothing_else(client, model_site):
    document = fetch(client, url("home"))

    (navigation,) = by_element(document, "main-navigation")
    items = [a for a in navigation.iter("a")]
    assert len(items) <= 7
    assert [a.get("data-element") for a in items] == [element for element, _label in MENU]
    for link, (element, label) in zip(items, MENU, strict=True):
        assert text(link).startswith(label) and (label.endswith(" ") or text(link) == label)
        # Each menu item appears once in the page (the checks count every occurrence).
        assert len(by_element(document, element)) == 1
        assert client.get(link.get("href")).status_code == 200


@pytest.mark.parametrize("language", ["it", "en"])
def test_home_links_topics_services_and_the_personal_area(client, model_site, language):
    document = fetch(client, url("home", language))

    all_topics = by_element(document, "all-topics")
    assert all_topics and client.get(all_topics[0].get("href")).status_code == 200
    (login,) = by_element(document, "personal-area-login")
    assert login.get("href") == url("account_login", language)
    assert model_site["service"].tr("title") in text(document.find(".//main"))


def test_home_button_to_the_notices_is_a_primary_button(client, model_site):
    document = fetch(client, url("home"))

    button = next(a for a in document.iter("a") if text(a) == "Consulta gli avvisi")
    assert "btn-primary" in button.get("class").split()
    assert "btn-secondary" not in button.get("class").split()


def test_footer_carries_the_model_links_with_their_labels(client, model_site):
    document = fetch(client, url("home"))
    foot = footer(document)

    (report,) = by_element(foot, "report-inefficiency")
    assert text(report) == "Segnala disservizio"
    (faq,) = by_element(foot, "faq")
    assert "faq" in text(faq).lower()
    for element in ("privacy-policy-link", "accessibility-link", "legal-notes"):
        (link,) = by_element(foot, element)
        assert client.get(link.get("href")).status_code == 200


@override_settings(ACCESSIBILITY_STATEMENT_URL="https://form.agid.gov.it/view/0f7a7ce0-8b8a-11ee-9a0c-0123456789ab")
def test_accessibility_link_points_to_the_statement_on_agid_form_when_configured(client, model_site):
    document = fetch(client, url("home"))

    (link,) = by_element(footer(document), "accessibility-link")
    assert link.get("href") == "https://form.agid.gov.it/view/0f7a7ce0-8b8a-11ee-9a0c-0123456789ab"


def test_accessibility_link_points_to_the_portal_page_by_default(client, model_site):
    (link,) = by_element(footer(fetch(client, url("home"))), "accessibility-link")

    assert link.get("href") == url("accessibility")


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "portal:management",
        "portal:news",
        "portal:services",
        "portal:live",
        "portal:offices",
        "portal:governing_bodies",
        "portal:bodies",
        "portal:documents",
        "portal:news_list",
        "portal:releases",
        "notices:list",
        "portal:places",
        "portal:events",
        "portal:topics",
    ],
)
def test_home_first_and_second_level_pages_carry_the_rating_component(client, model_site, name):
    assert_feedback_component(fetch(client, url(name)))


def test_booking_and_personal_pages_carry_no_rating(client, model_site):
    for name in ("portal:booking", "account_login", "account_signup"):
        assert not by_element(fetch(client, url(name)), "feedback"), name


def test_management_page_links_second_level_pages_titled_from_the_model_vocabulary(client, model_site):
    links = by_element(fetch(client, url("portal:management")), "management-category-link")

    assert links
    for link in links:
        assert text(link).lower() in MANAGEMENT_TERMS
        assert client.get(link.get("href")).status_code == 200


def test_news_page_links_avvisi_notizie_comunicati(client, model_site):
    links = by_element(fetch(client, url("portal:news")), "news-category-link")

    assert {text(link).lower() for link in links} == NEWS_TERMS
    hrefs = {link.get("href") for link in links}
    assert url("notices:list") in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200


def test_services_page_lists_categories_of_the_model_sheets_and_the_booking(client, model_site):
    NoticeFactory(published=True)
    document = fetch(client, url("portal:services"))

    categories = by_element(document, "service-category-link")
    assert [text(c) for c in categories] == [ServiceCategory.WELFARE.label]
    for category in categories:
        category_page = fetch(client, category.get("href"))
        assert [a.get("href") for a in by_element(category_page, "service-link")] == [
            model_site["service"].get_absolute_url()
        ]
    assert [a.get("href") for a in by_element(document, "service-link")] == [model_site["service"].get_absolute_url()]
    (booking,) = by_element(document, "appointment-booking")
    assert booking.get("href") == url("portal:booking")


def test_live_page_leads_to_places_and_events(client, model_site):
    event = EventFactory()
    document = fetch(client, url("portal:live"))

    (places,) = by_element(document, "live-button-locations")
    (events,) = by_element(document, "live-button-events")
    assert client.get(places.get("href")).status_code == 200
    events_page = fetch(client, events.get("href"))
    assert [a.get("href") for a in by_element(events_page, "event-link")] == [event.get_absolute_url()]
    assert client.get(event.get_absolute_url()).status_code == 200


def test_topics_come_from_the_controlled_vocabularies_and_list_what_they_tag(client, model_site):
    document = fetch(client, url("portal:topics"))

    names = [text(e) for e in by_element(document, "topic-element")]
    assert names == ["Assistenza sociale"]
    assert all(name in MODEL_TOPICS for name in names)
    topic_page = fetch(client, model_site["topic"].get_absolute_url())
    page_text = text(topic_page.find(".//main"))
    assert model_site["notice"].title in page_text
    assert model_site["service"].title in page_text
    assert model_site["news"].title in page_text


def test_demo_topics_are_at_least_half_from_the_model_vocabulary_and_all_from_model_or_eurovoc():
    from housingmix.portal.demo import TOPICS

    model = [t for t in TOPICS if t[3] == Vocabulary.MODEL]
    assert all(t[1] in MODEL_TOPICS for t in model)
    assert len(model) * 2 >= len(TOPICS)
    assert all(t[3] in (Vocabulary.MODEL, Vocabulary.EUROVOC) for t in TOPICS)


@pytest.mark.parametrize("language", ["it", "en"])
def test_service_sheet_has_the_model_sections_in_order_and_its_metadata(client, model_site, language):
    service = model_site["service"]
    with translation.override(language):
        path = service.get_absolute_url()
    document = fetch(client, path)

    expected_title = service.title if language == "it" else service.title_en
    assert [text(e) for e in by_element(document, "service-title")] == [expected_title]
    assert text(by_element(document, "service-description")[0]) == (
        service.summary if language == "it" else service.summary_en
    )
    assert by_element(document, "service-status")
    (index,) = by_element(document, "page-index")
    titles = [text(li.find("a")) for li in index.findall("li")]
    if language == "it":
        assert [t for t in titles if t in SERVICE_INDEX] == SERVICE_INDEX
    assert len(titles) >= len(SERVICE_INDEX)
    for element in (
        "service-addressed",
        "service-how-to",
        "service-needed",
        "service-achieved",
        "service-calendar-text",
    ):
        (section,) = by_element(document, element)
        assert len(text(section)) >= 3, element
    for element in ("service-calendar-list", "service-generic-access", "service-file", "service-area", "service-topic"):
        assert by_element(document, element), element
    (online,) = by_element(document, "service-online-access")
    with translation.override(language):
        assert online.get("href") == reverse("notices:participate", kwargs={"slug": model_site["notice"].slug})
    (booking,) = by_element(document, "service-booking-access")
    assert booking.get("href").startswith(url("portal:booking", language))
    breadcrumb = [
        re.sub(r"[^a-zA-Z0-9 ]", "", text(li)).lower().strip() for li in by_element(document, "breadcrumb")[0]
    ]
    if language == "it":
        assert breadcrumb[1] == "servizi" and len(breadcrumb[2]) >= 3
    if language == "en":
        assert "Fill in the call's online form." in text(document.find(".//main"))
    (booking_box,) = by_element(document, "appointment-booking")
    assert booking_box.get("href") == url("portal:booking", language)
    (metatag,) = by_element(document, "metatag")
    metadata = json.loads(metatag.text)
    assert metadata["@type"] == "GovernmentService"
    assert metadata["name"] == expected_title
    for key in ("serviceType", "serviceOperator", "areaServed", "audience", "availableChannel"):
        assert metadata[key], key
    address = metadata["availableChannel"]["serviceLocation"]["address"]
    assert address == {
        "@type": "PostalAddress",
        "streetAddress": service.office.street_address,
        "postalCode": service.office.postcode,
        "addressLocality": service.office.city,
    }


def test_english_sheet_falls_back_to_italian_marked_as_such(client, model_site):
    service = ServiceFactory(title_en="", how_to_en="")
    with translation.override("en"):
        document = fetch(client, service.get_absolute_url())

    (title,) = by_element(document, "service-title")
    assert text(title) == service.title and title.get("lang") == "it"
    (how_to,) = by_element(document, "service-how-to")
    assert how_to.get("lang") == "it"


def test_sheet_of_a_closed_call_says_not_active_and_offers_no_form(client, db):
    notice = NoticeFactory(expired=True)
    service = ServiceFactory(notice=notice)
    document = fetch(client, service.get_absolute_url())

    assert text(by_element(document, "service-status")[0]) == "Servizio non attivo"
    assert not by_element(document, "service-online-access")
    assert notice.get_absolute_url() in [a.get("href") for a in document.iter("a")]


def test_unpublished_sheet_is_not_found(client, db):
    service = ServiceFactory(is_published=False)

    assert client.get(service.get_absolute_url()).status_code == 404


def test_legal_notes_carry_the_model_licence_wording(client, db):
    document = fetch(client, url("legal_notes"))

    (section,) = by_element(document, "legal-notes-section")
    assert text(section) == "Licenza dei contenuti"
    body = " ".join(text(e) for e in by_element(document, "legal-notes-body")).replace("'", "’")
    assert body.lower() == LICENCE.lower()


def test_privacy_notice_lists_only_technical_cookies(client, db, settings):
    document = fetch(client, url("privacy"))

    page = text(document.find(".//main"))
    assert settings.SESSION_COOKIE_NAME in page and settings.CSRF_COOKIE_NAME in page
    assert "solo cookie tecnici" in page


def test_anonymous_visit_sets_no_cookie_on_public_pages(client, model_site):
    for name in ("home", "portal:services", "portal:management"):
        response = client.get(url(name))
        assert not response.cookies, (name, list(response.cookies))
    response = client.get(model_site["service"].get_absolute_url())
    assert not response.cookies


def test_news_detail_and_office_pages_in_english(client, model_site):
    news = NewsFactory(body_en="Body in English.")
    with translation.override("en"):
        document = fetch(client, news.get_absolute_url())
        assert news.title_en in text(document.find(".//main"))
        office_page = fetch(client, model_site["service"].office.get_absolute_url())
    assert model_site["service"].office.name_en in text(office_page.find(".//main"))


def test_signup_breadcrumb_names_the_signup(client, db):
    document = fetch(client, url("account_signup"))

    crumbs = [text(li) for li in by_element(document, "breadcrumb")[0]]
    assert crumbs[-1] == "Registrazione"
    assert "Accesso all'area personale" not in crumbs


def test_logged_in_header_has_the_user_menu_on_every_page(client, model_site):
    user = UserFactory(first_name="Lucia", last_name="Verdi")
    client.force_login(user)

    for path in (url("home"), url("portal:services"), model_site["service"].get_absolute_url(), url("accounts:area")):
        document = fetch(client, path)
        header = next(element for element in document.iter() if element.tag == "header")
        menu = next(e for e in header.iter("details") if "user-menu" in e.get("class", ""))
        assert "Lucia Verdi" in text(menu.find("summary"))
        links = {text(a): a.get("href") for a in menu.iter("a")}
        assert links["Area personale"] == url("accounts:area")
        assert links["Le tue comunicazioni"] == url("applications:inbox")
        (logout,) = [f for f in menu.iter("form")]
        assert logout.get("action") == url("account_logout") and logout.get("method") == "post"
        assert text(logout) == "Esci"
        assert not by_element(header, "personal-area-login")


def test_the_user_menu_logs_out(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(url("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
