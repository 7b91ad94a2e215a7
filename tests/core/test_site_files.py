import pytest

pytestmark = pytest.mark.django_db


def test_robots_points_to_the_sitemap_and_hides_private_areas(client, settings):
    settings.SITE_URL = "https://housingmix.example.org"
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: https://housingmix.example.org/sitemap.xml" in body
    assert "Disallow: /backoffice/" in body


def test_favicon_redirects_to_the_hashed_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/img/favicon.")
