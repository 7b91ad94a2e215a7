from django.apps import AppConfig


class TestFederationConfig(AppConfig):
    name = "housingmix.identity.testfed"
    label = "testfed"
    verbose_name = "Test federation"
