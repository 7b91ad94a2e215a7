# Same dd/mm/yyyy dates as Italian; English number separators.
from housingmix.formats.it.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
