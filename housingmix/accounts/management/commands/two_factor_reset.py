from django.core.management.base import BaseCommand, CommandError

from housingmix.accounts.models import User
from housingmix.accounts.two_factor import two_factor_reset


class Command(BaseCommand):
    help = "Remove an account's authenticator app and recovery codes: it enrols again at its next login."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError("No account with that e-mail address.")
        removed = two_factor_reset(user=user)
        self.stdout.write("Removed %d device(s); the account enrols again at its next login." % removed)
