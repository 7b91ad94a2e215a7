import logging

from housingmix.identity.logging import REDACTED, RedactTokensFilter

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz"


def test_filter_redacts_jwts_in_messages_and_arguments():
    record = logging.LogRecord("spid_cie_oidc", logging.INFO, __file__, 1, "token %s ok", (JWT,), None)
    assert RedactTokensFilter().filter(record)
    assert record.getMessage() == "token %s ok" % REDACTED


def test_filter_leaves_other_messages_alone():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "nothing %d", (3,), None)
    RedactTokensFilter().filter(record)
    assert record.getMessage() == "nothing 3"
