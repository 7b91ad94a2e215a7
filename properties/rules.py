"""Who may see the unit registry (django-rules)."""

import rules

from housingmix.accounts.rules import is_ambito_staff

rules.add_perm("properties.view_registry", is_ambito_staff)
