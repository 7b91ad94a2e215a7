"""A logging filter that keeps JSON Web Tokens out of every log line.

The portal's own identity code never logs tokens; this is the belt to those braces, for
third-party code (spid-cie-oidc logs request objects and tokens at several levels)."""

import logging
import re

# Three base64url segments separated by dots (JWS) or five (JWE), as in a compact JWT.
JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){2,4}")
REDACTED = "[token omesso]"


class RedactTokensFilter(logging.Filter):
    """Rewrite the record's message with every compact JWT replaced; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not this filter's business
            return True
        if "eyJ" in message:
            record.msg = JWT_RE.sub(REDACTED, message)
            record.args = None
        return True
