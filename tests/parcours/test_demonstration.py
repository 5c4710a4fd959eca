"""La démonstration montre des personnes à chaque étape et une non éligible par raison."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from charte_iae import acces
from parcours.eligibilite import Resultat, Verdict, evaluer
from parcours.models import ExamenCPU, Orientation, Personne, Prescription


@pytest.mark.django_db
def test_demonstration_du_parcours(settings):
    settings.DEBUG = True
    call_command("donnees_demo")
    compte = Personne.objects.count()
    call_command("donnees_demo")
    assert Personne.objects.count() == compte, "idempotente"

    jour = timezone.localdate()
    resultats = {p.numero_ecrou: evaluer(p, jour) for p in Personne.objects.all()}
    echecs = {
        c.code
        for e in resultats.values()
        for c in e.criteres
        if c.resultat is Resultat.NON_SATISFAIT
    }
    inconnus = {
        c.code for e in resultats.values() for c in e.criteres if c.resultat is Resultat.INCONNU
    }
    assert echecs == {"condamnation", "reliquat", "piece_identite"}
    assert inconnus == {"condamnation", "reliquat", "piece_identite"}
    assert any(e.verdict is Verdict.ELIGIBLE for e in resultats.values())
    assert Orientation.objects.en_attente_avis().exists()
    assert Orientation.objects.filter(avis_le__isnull=False, prescription__isnull=True).exists()
    assert Orientation.objects.filter(cloturee_le__isnull=False).exclude(motif_cloture="").exists()
    # Les personnes « S-… » sont celles de la démonstration côté SIAE (parcours/demo_siae.py).
    assert (
        Prescription.objects.filter(
            fin_le__isnull=True, personne__numero_ecrou__startswith="D-"
        ).count()
        == 2
    )
    assert ExamenCPU.objects.exclude(decision="").exists()
    assert acces.reconcilier().total.total == 0
