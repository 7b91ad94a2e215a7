"""Back office of manifestations: none. The review workspace (/istruttoria/) is the tool for
them; the protocol register is in core's admin, read-only."""
