import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.notices.factories import NoticeFactory

DEAD_REDIS_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: a stopped Redis
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}


@pytest.mark.django_db
def test_public_pages_work_with_the_cache_server_down(client, settings):
    settings.CACHES = DEAD_REDIS_CACHE  # the setting_changed signal rebuilds the cache handlers
    assert caches["default"].get("anything", "unreachable") == "unreachable"
    notice = NoticeFactory(published=True, title="Avviso visibile anche senza cache")
    for url in (reverse("home"), reverse("notices:list"), notice.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
    assert "Avviso visibile anche senza cache" in response.content.decode()
