"""Demo data for ``make run`` and benchmark data for ``make bench``, made through the services."""
