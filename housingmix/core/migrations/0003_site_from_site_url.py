from django.db import migrations


def forwards(apps, schema_editor):
    from housingmix.core.sites import site_sync

    site_sync(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    """The sites framework's record carries SITE_URL's host and the portal's name
    (kept in step after every migrate by core.apps)."""

    dependencies = [
        ("core", "0002_machinery"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
