"""Le livret de compétences : une version finalisée est immuable (modèle, requêtes, pages) ;
une correction ouvre une nouvelle version recopiée ; la remise se note une fois par
destinataire. Et l'alerte de signature du CEP (2 jours ouvrés)."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from parcours import services_siae as services
from parcours.enums import CategorieCompetence
from parcours.exceptions import TransitionInterdite
from parcours.models import (
    CompetenceLivret,
    LivretCompetences,
    LivretFige,
    ObservationCompetence,
    PosteOccupe,
    ajouter_jours_ouvres,
)
from tests.factories import EntretienRecrutementFactory, ParcoursIAEFactory
from tests.parcours.siae_outils import avec_livret_finalise, en_parcours, prescrire

AUJOURD_HUI = timezone.localdate()


@pytest.fixture
def parcours(site):
    return en_parcours(site)


@pytest.fixture
def finalise(site, parcours):
    return avec_livret_finalise(site, parcours)


def test_une_version_finalisee_refuse_toute_ecriture_du_modele(finalise):
    finalise.objectifs = "Autre chose"
    with pytest.raises(LivretFige):
        finalise.save()
    with pytest.raises(LivretFige):
        finalise.delete()
    with pytest.raises(LivretFige):
        LivretCompetences.objects.filter(pk=finalise.pk).update(objectifs="Autre")
    with pytest.raises(LivretFige):
        LivretCompetences.objects.filter(pk=finalise.pk).delete()
    finalise.refresh_from_db()
    assert finalise.objectifs == "Obtenir le CACES 1."


def test_les_lignes_d_une_version_finalisee_sont_figees(site, finalise):
    competence = finalise.competences.get()
    competence.niveau = "maitrise"
    with pytest.raises(LivretFige):
        competence.save()
    with pytest.raises(LivretFige):
        competence.delete()
    with pytest.raises(LivretFige):
        CompetenceLivret.objects.filter(pk=competence.pk).update(niveau="maitrise")
    with pytest.raises(LivretFige):
        CompetenceLivret.objects.create(
            livret=finalise, categorie=CategorieCompetence.SAVOIR_ETRE, intitule="Ajout"
        )
    with pytest.raises(LivretFige):
        PosteOccupe.objects.create(livret=finalise, intitule="Ajout", debut=AUJOURD_HUI)
    with pytest.raises(LivretFige):
        ObservationCompetence.objects.create(
            competence=competence, date=AUJOURD_HUI, niveau="acquis", texte="x", auteur=site.et
        )
    competence.refresh_from_db()
    assert competence.niveau == "acquis"
    assert finalise.competences.count() == 1


def test_un_brouillon_reste_modifiable(site, parcours):
    services.modifier_projet(
        parcours=parcours, auteur=site.cip, objectifs="A", projet_professionnel="B"
    )
    brouillon = parcours.livrets.get()
    brouillon.objectifs = "C"
    brouillon.save()
    assert LivretCompetences.objects.get().objectifs == "C"


def test_les_pages_refusent_de_modifier_une_version_finalisee(site, client, finalise):
    client.force_login(site.cip)
    competence = finalise.competences.get()
    reponse = client.post(
        reverse("parcours_siae:livret_retirer", args=["competence", competence.pk]), follow=True
    )
    assert "finalisé" in reponse.content.decode()
    assert CompetenceLivret.objects.filter(pk=competence.pk).exists()
    reponse = client.post(
        reverse("parcours_siae:livret_observer", args=[competence.pk]),
        {"date": AUJOURD_HUI.isoformat(), "niveau": "maitrise", "texte": "x"},
        follow=True,
    )
    assert "finalisé" in reponse.content.decode()
    reponse = client.post(
        reverse("parcours_siae:livret_finaliser", args=[finalise.pk]), follow=True
    )
    assert "déjà finalisée" in reponse.content.decode()
    competence.refresh_from_db()
    assert competence.niveau == "acquis" and not competence.observations.exists()


def test_ajouter_apres_finalisation_ouvre_une_nouvelle_version_sans_toucher_l_ancienne(
    site, client, parcours, finalise
):
    client.force_login(site.et)
    client.post(
        reverse("parcours_siae:livret_ajouter", args=[parcours.pk, "poste"]),
        {"poste-intitule": "Cariste", "poste-debut": AUJOURD_HUI.isoformat()},
    )
    assert finalise.postes.count() == 0
    nouveau = parcours.livrets.get(finalise_le__isnull=True)
    assert nouveau.numero == 2 and nouveau.postes.count() == 1


def test_corriger_recopie_la_version_finalisee_dans_un_nouveau_brouillon(site, finalise):
    competence = finalise.competences.get()
    nouveau = services.corriger_livret(livret=finalise, auteur=site.cip)
    assert nouveau.numero == 2 and not nouveau.est_finalise
    assert nouveau.projet_professionnel == finalise.projet_professionnel
    copie = nouveau.competences.get()
    assert (copie.intitule, copie.niveau) == (competence.intitule, competence.niveau)
    assert copie.pk != competence.pk
    with pytest.raises(TransitionInterdite, match="déjà en cours"):
        services.corriger_livret(livret=finalise, auteur=site.cip)


def test_pas_de_finalisation_sans_competence_ni_projet(site, parcours):
    services.modifier_projet(
        parcours=parcours, auteur=site.cip, objectifs="", projet_professionnel=""
    )
    with pytest.raises(TransitionInterdite, match="au moins une compétence"):
        services.finaliser_livret(livret=parcours.livrets.get(), auteur=site.cip)


def test_la_direction_et_le_spip_n_ecrivent_pas_le_livret(site, client, parcours):
    for agent in (site.direction, site.cpip):
        client.force_login(agent)
        reponse = client.post(
            reverse("parcours_siae:livret_ajouter", args=[parcours.pk, "poste"]),
            {"poste-intitule": "Cariste", "poste-debut": AUJOURD_HUI.isoformat()},
        )
        assert reponse.status_code == 403
    assert not LivretCompetences.objects.exists()


def test_la_remise_se_note_une_fois_par_destinataire_et_seulement_finalisee(site, parcours):
    services.modifier_projet(
        parcours=parcours, auteur=site.cip, objectifs="", projet_professionnel="P"
    )
    brouillon = parcours.livrets.get()
    with pytest.raises(TransitionInterdite, match="finalisée"):
        services.enregistrer_remise(
            livret=brouillon, auteur=site.cip, destinataire="spip", date=AUJOURD_HUI
        )
    livret = avec_livret_finalise(site, parcours)
    services.enregistrer_remise(
        livret=livret, auteur=site.cpip, destinataire="spip", date=AUJOURD_HUI
    )
    with pytest.raises(TransitionInterdite, match="déjà enregistrée"):
        services.enregistrer_remise(
            livret=livret, auteur=site.cip, destinataire="spip", date=AUJOURD_HUI
        )


def test_la_finalisation_previent_le_cpip_referent(site, parcours):
    with TestCase.captureOnCommitCallbacks(execute=True):
        avec_livret_finalise(site, parcours)
    assert site.cpip.notifications.filter(evenement="livret_finalise").count() == 1
    notification = site.cpip.notifications.get(evenement="livret_finalise")
    assert parcours.personne.nom not in notification.texte


# --- CEP : 2 jours ouvrés ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("debut", "limite"),
    [
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 4)),  # lundi → mercredi
        (datetime.date(2026, 3, 5), datetime.date(2026, 3, 9)),  # jeudi → lundi
        (datetime.date(2026, 3, 6), datetime.date(2026, 3, 10)),  # vendredi → mardi
        (datetime.date(2026, 3, 7), datetime.date(2026, 3, 10)),  # samedi → mardi
    ],
)
def test_le_cep_se_signe_dans_les_2_jours_ouvres(debut, limite):
    assert ajouter_jours_ouvres(debut, 2) == limite


@pytest.mark.django_db
def test_alerte_si_le_cep_n_est_pas_signe_dans_les_2_jours_ouvres():
    parcours = ParcoursIAEFactory.build(date_debut=datetime.date(2026, 3, 6))
    assert parcours.alerte_cep(datetime.date(2026, 3, 10)) == ""
    assert "au plus tard le 10/03/2026" in parcours.alerte_cep(datetime.date(2026, 3, 11))
    parcours.cep_signe_le = datetime.date(2026, 3, 10)
    assert parcours.alerte_cep(datetime.date(2026, 4, 1)) == ""
    parcours.cep_signe_le = datetime.date(2026, 3, 11)
    assert "après le délai" in parcours.alerte_cep(datetime.date(2026, 4, 1))


def test_la_liste_en_parcours_signale_un_cep_non_signe(site, client):
    en_retard = ParcoursIAEFactory(
        entretien=EntretienRecrutementFactory(prescription=prescrire(site), saisi_par=site.cip),
        date_debut=AUJOURD_HUI - datetime.timedelta(days=10),
    )
    a_jour = en_parcours(site)
    client.force_login(site.cip)
    page = client.get(reverse("parcours_siae:en_parcours")).content.decode()
    assert page.count("À régulariser") == 1
    assert f"Signé le {a_jour.cep_signe_le:%d/%m/%Y}" in page
    detail = client.get(en_retard.get_absolute_url()).content.decode()
    assert "n&#x27;est pas enregistré comme signé" in detail
