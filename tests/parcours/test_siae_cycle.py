"""Le cycle complet, de bout en bout par les pages : la SIAE reçoit, retient, ouvre le
parcours, écrit et finalise le livret, le remet ; la personne sort ; le CPIP de milieu fermé
passe le relais et le CPIP de milieu ouvert accepte. Aucun écart de droits à chaque étape."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from charte_iae.models import Notification
from parcours.enums import DecisionEntretien, StatutPassage
from parcours.models import (
    EntretienRecrutement,
    LivretCompetences,
    ParcoursIAE,
    PassageMilieuOuvert,
    Personne,
)
from parcours.permissions import can_view_personne
from tests.parcours.siae_outils import prescrire, recharger, sans_ecart

AUJOURD_HUI = timezone.localdate().isoformat()


def _post(client, nom, args, donnees=None, attendu=302):
    with TestCase.captureOnCommitCallbacks(execute=True):
        reponse = client.post(reverse(f"parcours_siae:{nom}", args=args), donnees or {})
    assert reponse.status_code == attendu, reponse.content.decode()[:3000]
    return reponse


def test_cycle_complet_de_la_prescription_au_milieu_ouvert(site, client):
    prescription = prescrire(site)
    personne = prescription.personne

    # La SIAE voit la personne prescrite, avec l'avis du SPIP.
    client.force_login(site.cip)
    page = client.get(reverse("parcours_siae:a_recevoir"))
    assert personne.nom.upper() in page.content.decode()
    assert "Projet cohérent." in page.content.decode()

    # Entretien : retenu.
    _post(
        client,
        "entretien_creer",
        [prescription.pk],
        {
            "date": AUJOURD_HUI,
            "interlocuteurs": [site.cip.pk, site.et.pk],
            "notes": "Motivé.",
            "decision": DecisionEntretien.RETENU,
        },
    )
    entretien = EntretienRecrutement.objects.get()
    assert (entretien.decide_par, entretien.decision) == (site.cip, DecisionEntretien.RETENU)
    assert set(entretien.interlocuteurs.all()) == {site.cip, site.et}
    assert Notification.objects.filter(destinataire=site.cpip, evenement="entretien_decide")
    assert sans_ecart()

    # Parcours sous CEP.
    _post(
        client,
        "parcours_creer",
        [prescription.pk],
        {
            "date_debut": AUJOURD_HUI,
            "activite_support": "Conditionnement",
            "poste": "Opérateur",
            "heures_hebdomadaires": "24",
        },
    )
    parcours = ParcoursIAE.objects.get()
    assert parcours.cree_par == site.cip and parcours.est_actif
    _post(client, "parcours_cep", [parcours.pk], {"signe_le": AUJOURD_HUI})
    _post(
        client,
        "parcours_suspendre",
        [parcours.pk],
        {"debut": AUJOURD_HUI, "fin": AUJOURD_HUI, "motif": "extraction"},
    )
    assert parcours.suspensions.count() == 1
    assert sans_ecart()

    # Livret : compétence, observation, poste, formation, démarche, projet ; finalisation.
    client.force_login(site.et)
    _post(
        client,
        "livret_ajouter",
        [parcours.pk, "competence"],
        {
            "competence-categorie": "savoir_etre",
            "competence-intitule": "Ponctualité",
            "competence-niveau": "en_cours",
        },
    )
    competence = LivretCompetences.objects.get().competences.get()
    _post(
        client,
        "livret_observer",
        [competence.pk],
        {"date": AUJOURD_HUI, "niveau": "acquis", "texte": "À l'heure tout le mois."},
    )
    competence.refresh_from_db()
    assert competence.niveau == "acquis"
    _post(
        client,
        "livret_ajouter",
        [parcours.pk, "poste"],
        {"poste-intitule": "Opérateur", "poste-debut": AUJOURD_HUI},
    )
    _post(
        client,
        "livret_ajouter",
        [parcours.pk, "formation"],
        {
            "formation-intitule": "Sauveteur secouriste du travail",
            "formation-date": AUJOURD_HUI,
            "formation-certification": "Certificat SST",
        },
    )
    _post(
        client,
        "livret_ajouter",
        [parcours.pk, "demarche"],
        {
            "demarche-date": AUJOURD_HUI,
            "demarche-intitule": "Inscription",
            "demarche-partenaire": "France Travail justice",
        },
    )
    client.force_login(site.cip)
    _post(
        client,
        "livret_projet",
        [parcours.pk],
        {"objectifs": "CACES 1", "projet_professionnel": "Logistique"},
    )
    livret = LivretCompetences.objects.get()
    _post(client, "livret_finaliser", [livret.pk])
    livret.refresh_from_db()
    assert livret.est_finalise and livret.finalise_par == site.cip
    assert Notification.objects.filter(destinataire=site.cpip, evenement="livret_finalise")
    _post(client, "livret_remise", [livret.pk], {"destinataire": "spip", "date": AUJOURD_HUI})
    _post(client, "livret_remise", [livret.pk], {"destinataire": "personne", "date": AUJOURD_HUI})
    assert livret.remises.count() == 2
    assert sans_ecart()

    # Sortie, sans réponse de la personne : la SIAE perd le dossier.
    _post(
        client,
        "parcours_sortie",
        [parcours.pk],
        {"date_sortie": AUJOURD_HUI, "motif_sortie": "liberation", "situation_sortie": "formation"},
    )
    parcours.refresh_from_db()
    assert parcours.date_sortie and parcours.sortie_saisie_par == site.cip
    assert parcours.situation_sortie == "formation"
    assert parcours.prescription.fin_le is not None
    assert parcours.prescription.orientation.motif_cloture == "liberation"
    assert not Personne.objects.for_user(recharger(site.cip)).exists()
    assert sans_ecart()
    # … mais garde la lecture de son propre parcours (historique).
    assert client.get(reverse("parcours_siae:parcours", args=[parcours.pk])).status_code == 200

    # Le CPIP de milieu fermé recueille la réponse de la personne et passe le relais.
    client.force_login(site.cpip)
    _post(
        client,
        "parcours_accord",
        [parcours.pk],
        {"accord": "non", "accord_date": AUJOURD_HUI, "accord_modalite": "entretien"},
    )
    _post(
        client,
        "passage_creer",
        [parcours.pk],
        {"cpip_mo": site.cpip_mo.pk, "projet": "Logistique ; CACES à passer."},
    )
    passage = PassageMilieuOuvert.objects.get()
    assert passage.livret == livret and passage.designe_par == site.cpip
    assert Notification.objects.filter(destinataire=site.cpip_mo, evenement="passage_milieu_ouvert")
    assert sans_ecart()

    # Le CPIP de milieu ouvert voit le passage qui l'attend, sans le dossier ; il accepte.
    client.force_login(site.cpip_mo)
    liste = client.get(reverse("parcours_siae:passages_a_recevoir")).content.decode()
    assert personne.nom.upper() in liste
    assert not can_view_personne(recharger(site.cpip_mo), personne)
    _post(client, "passage_accepter", [passage.pk])
    passage.refresh_from_db()
    assert passage.statut == StatutPassage.ACCEPTE and passage.repondu_par == site.cpip_mo
    assert can_view_personne(recharger(site.cpip_mo), personne)
    assert sans_ecart()
    assert client.get(reverse("parcours_siae:parcours", args=[parcours.pk])).status_code == 200
    assert client.get(reverse("parcours_siae:livret_version", args=[livret.pk])).status_code == 200
