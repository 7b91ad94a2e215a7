import rules

from housingmix.accounts.rules import is_ambito_staff

# Publishing, amending, closing, withdrawing and archiving Avvisi: Ufficio di Piano only.
rules.add_perm("notices.manage_workflow", is_ambito_staff)
rules.add_perm("notices.preview", is_ambito_staff)
