"""Charge le modèle national de charte (Annexe 4, version 1) depuis son fichier structuré."""

from django.db import migrations

from charte_iae import modele_charte


def charger_annexe4(apps, schema_editor):
    modele_charte.charger(modele_charte.lire(modele_charte.FICHIER_ANNEXE4), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("charte_iae", "0003_charte_versions")]

    operations = [migrations.RunPython(charger_annexe4, migrations.RunPython.noop)]
