"""Re-encrypt every encrypted field under the newest key of FIELD_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand

from housingmix.core import encryption


class Command(BaseCommand):
    help = (
        "Re-encrypt the special-category data under the first key of FIELD_ENCRYPTION_KEYS "
        "(put the new key first, run this, then drop the old key)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--generate-key", action="store_true", help="Print a new key and do nothing else.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, generate_key=False, batch_size=500, **options):
        if generate_key:
            self.stdout.write(encryption.generate_key())
            return
        counts = encryption.rotate(batch_size=batch_size)
        for label, count in counts.items():
            self.stdout.write("%s: %d" % (label, count))
        self.stdout.write(self.style.SUCCESS("Re-encrypted under the newest key."))
