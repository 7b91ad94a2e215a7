"""The review (istruttoria) of manifestations of interest: services, selectors, forms, views."""
