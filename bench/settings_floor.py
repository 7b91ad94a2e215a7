"""The floor of the floor: the project's settings with no middleware (but allauth's, which its app
refuses to start without, and which only opens a context), routed to the constant view of
bench.review_urls. The portal's trivial view (full middleware, logged in) is judged against it
(issue 13, goal 1)."""

from housingmix.settings import *  # noqa: F403

ROOT_URLCONF = "bench.review_urls"
MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware"]
