import html5lib
import pytest

from tests.notices.factories import NoticeFactory

from .factories import NewsFactory, ServiceFactory, SlotFactory, TopicFactory


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def runner(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return runner


@pytest.fixture
def model_site(db):
    """An open call tagged with a topic, its service sheet with a booking office and slots, a news item."""
    topic = TopicFactory()
    notice = NoticeFactory(published=True)
    topic.notices.add(notice)
    service = ServiceFactory(topics=[topic])
    slots = SlotFactory.create_batch(3, office=service.office)
    news = NewsFactory()
    news.topics.add(topic)
    return {"topic": topic, "notice": notice, "service": service, "slots": slots, "news": news}


def parse_strict(content: bytes):
    """Parse as the HTML5 parsing algorithm does, failing on any parse error; ids must be unique.

    This checks well-formedness (the parser's errors: misnested or stray tags, duplicate
    attributes, bad characters...) and unique ids, not every content-model rule of the spec."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(content)
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, "duplicate ids: %s" % duplicates
    return document
