"""Errors of the SPID/CIE login."""


class LoginRefused(Exception):
    """A SPID/CIE login that must not go on; ``message`` is shown to the person (Italian)."""

    def __init__(self, message, reason: str):
        super().__init__(reason)
        self.message = message
        self.reason = reason
