"""The one protocol register of the office (DPR 445/2000 art. 53, 57).

Every act the portal receives or sends is numbered here, whatever app it belongs to: one yearly,
gapless sequence for incoming and outgoing acts, each entry pointing at the record it is about.

    entry = protocol.register(direction=protocol.INCOMING, record=application, sender=..., recipient=...,
                              subject=_("Manifestazione di interesse - ..."), sha256=digest)
"""

from .models import ProtocolCounter, ProtocolDirection, ProtocolEntry  # noqa: F401
from .services import INCOMING, OUTGOING, entries_for, register  # noqa: F401
