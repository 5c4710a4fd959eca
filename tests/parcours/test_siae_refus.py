"""Chaque transition refusée, avec son message en français : rien n'est créé ni modifié."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours import services_siae as services
from parcours.enums import DecisionClassement, DecisionEntretien, StatutPassage
from parcours.exceptions import TransitionInterdite
from parcours.models import (
    EntretienRecrutement,
    ExamenCPU,
    ParcoursIAE,
    PassageMilieuOuvert,
    SessionCPU,
)
from tests.factories import EntretienRecrutementFactory, ParcoursIAEFactory, PersonneFactory
from tests.parcours.siae_outils import en_parcours, prescrire, recharger, retenir, sortir

AUJOURD_HUI = timezone.localdate()


def _entretien(site, prescription, auteur=None, **kwargs):
    valeurs = {
        "prescription": prescription,
        "auteur": auteur or site.cip,
        "date": AUJOURD_HUI,
        "interlocuteurs": [site.cip],
        "decision": DecisionEntretien.RETENU,
    } | kwargs
    return services.enregistrer_entretien(**valeurs)


def _commencer(site, prescription, auteur=None, **kwargs):
    valeurs = {
        "prescription": prescription,
        "auteur": auteur or site.cip,
        "date_debut": AUJOURD_HUI,
        "activite_support": "Conditionnement",
        "poste": "Opérateur",
        "heures_hebdomadaires": 24,
    } | kwargs
    return services.commencer_parcours(**valeurs)


# --- Entretien -----------------------------------------------------------------------------------


def test_pas_d_entretien_pour_une_personne_prescrite_a_une_autre_siae(site, autre_site):
    prescription = prescrire(site)
    with pytest.raises(PermissionDenied, match="SIAE vers laquelle"):
        _entretien(autre_site, prescription, auteur=autre_site.cip, interlocuteurs=[])
    assert not EntretienRecrutement.objects.exists()


def test_pas_d_entretien_par_le_spip(site):
    with pytest.raises(PermissionDenied):
        _entretien(site, prescrire(site), auteur=site.cpip)


def test_pas_d_entretien_sans_prescription_active(site):
    prescription = prescrire(site)
    prescription.fin_le = timezone.now()
    prescription.save()
    with pytest.raises(TransitionInterdite, match="a pris fin"):
        _entretien(site, prescription)


def test_pas_de_second_entretien_une_fois_la_decision_prise(site):
    prescription = prescrire(site)
    retenir(site, prescription)
    with pytest.raises(TransitionInterdite, match="déjà pris sa décision"):
        _entretien(site, prescription, date=AUJOURD_HUI - datetime.timedelta(days=0))
    assert EntretienRecrutement.objects.count() == 1


def test_un_refus_demande_un_motif_code(site):
    with pytest.raises(ValidationError) as erreur:
        _entretien(site, prescrire(site), decision=DecisionEntretien.NON_RETENU)
    assert "motif_non_retenu" in erreur.value.message_dict


def test_les_interlocuteurs_sont_des_agents_de_la_siae(site):
    with pytest.raises(ValidationError) as erreur:
        _entretien(site, prescrire(site), interlocuteurs=[site.cpip])
    assert "interlocuteurs" in erreur.value.message_dict


def test_l_entretien_ne_precede_pas_la_prescription(site):
    with pytest.raises(ValidationError) as erreur:
        _entretien(site, prescrire(site), date=AUJOURD_HUI - datetime.timedelta(days=3))
    assert "date" in erreur.value.message_dict


def test_un_entretien_en_attente_se_decide_une_fois(site):
    prescription = prescrire(site)
    entretien = _entretien(site, prescription, decision=DecisionEntretien.EN_ATTENTE)
    services.decider_entretien(
        entretien=entretien,
        auteur=site.et,
        decision=DecisionEntretien.NON_RETENU,
        motif_non_retenu="pas_de_poste",
    )
    entretien.refresh_from_db()
    assert (entretien.decision, entretien.decide_par) == ("non_retenu", site.et)
    with pytest.raises(TransitionInterdite, match="déjà enregistrée"):
        services.decider_entretien(
            entretien=entretien, auteur=site.cip, decision=DecisionEntretien.RETENU
        )


# --- Parcours ------------------------------------------------------------------------------------


def test_pas_de_parcours_sans_entretien_retenu(site):
    prescription = prescrire(site)
    _entretien(site, prescription, decision=DecisionEntretien.EN_ATTENTE)
    with pytest.raises(TransitionInterdite, match="entretien de recrutement qui a retenu"):
        _commencer(site, prescription)
    assert not ParcoursIAE.objects.exists()


def test_pas_de_parcours_si_le_chef_d_etablissement_n_a_pas_classe(site):
    prescription = prescrire(site)
    retenir(site, prescription)
    session = SessionCPU.objects.create(
        etablissement=site.implantation.etablissement, date=AUJOURD_HUI, creee_par=site.cpip
    )
    ExamenCPU.objects.create(
        session=session,
        personne=prescription.personne,
        inscrit_par=site.cpip,
        decision=DecisionClassement.NON_CLASSE,
        decision_date=AUJOURD_HUI,
        decision_saisie_le=timezone.now(),
        decision_saisie_par=site.cpip,
    )
    with pytest.raises(TransitionInterdite, match="n'a pas classé"):
        _commencer(site, prescription)


def test_un_seul_parcours_en_cours_par_personne_contrainte_en_base(site):
    parcours = en_parcours(site)
    autre = prescrire(site)  # nouvelle prescription, autre personne
    entretien = EntretienRecrutementFactory(prescription=autre, saisi_par=site.cip)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParcoursIAEFactory(entretien=entretien, personne=parcours.personne)


def test_un_double_envoi_ne_cree_qu_un_parcours(site):
    prescription = prescrire(site)
    retenir(site, prescription)
    _commencer(site, prescription)
    with pytest.raises(TransitionInterdite, match="déjà enregistré"):
        _commencer(site, prescription)
    assert ParcoursIAE.objects.count() == 1


def test_le_contrat_ne_commence_pas_avant_l_entretien(site):
    prescription = prescrire(site)
    retenir(site, prescription)
    with pytest.raises(ValidationError):
        _commencer(site, prescription, date_debut=AUJOURD_HUI - datetime.timedelta(days=1))


def test_pas_de_parcours_par_le_spip(site):
    prescription = prescrire(site)
    retenir(site, prescription)
    with pytest.raises(PermissionDenied):
        _commencer(site, prescription, auteur=site.cpip)


def test_la_sortie_s_enregistre_une_fois_et_pas_dans_le_futur(site):
    parcours = en_parcours(site)
    with pytest.raises(ValidationError):
        services.enregistrer_sortie(
            parcours=parcours,
            auteur=site.cip,
            date_sortie=AUJOURD_HUI + datetime.timedelta(days=2),
            motif="liberation",
            situation="emploi",
        )
    services.enregistrer_accord(
        parcours=parcours, auteur=site.cip, accord=True, date=AUJOURD_HUI, modalite="ecrit"
    )
    sortir(site, parcours)
    with pytest.raises(TransitionInterdite, match="déjà enregistrée"):
        sortir(site, parcours)


def test_apres_une_sortie_sans_accord_la_siae_ne_tient_plus_le_parcours(site):
    parcours = sortir(site, en_parcours(site))
    with pytest.raises(PermissionDenied):
        services.suspendre_parcours(
            parcours=parcours,
            auteur=recharger(site.cip),
            debut=AUJOURD_HUI,
            fin=None,
            motif="extraction",
        )


def test_une_suspension_ne_chevauche_pas_une_autre(site):
    parcours = en_parcours(site)
    services.suspendre_parcours(
        parcours=parcours, auteur=site.cip, debut=AUJOURD_HUI, fin=None, motif="extraction"
    )
    with pytest.raises(ValidationError, match="chevauche"):
        services.suspendre_parcours(
            parcours=parcours,
            auteur=site.cip,
            debut=AUJOURD_HUI,
            fin=None,
            motif="autre",
            precision="x",
        )


def test_la_reponse_de_la_personne_s_enregistre_une_fois(site):
    parcours = en_parcours(site)
    services.enregistrer_accord(
        parcours=parcours, auteur=site.cpip, accord=True, date=AUJOURD_HUI, modalite="ecrit"
    )
    with pytest.raises(TransitionInterdite, match="déjà enregistrée"):
        services.enregistrer_accord(
            parcours=parcours, auteur=site.cip, accord=False, date=AUJOURD_HUI, modalite="ecrit"
        )


def test_un_orienteur_ne_recueille_pas_la_reponse(site):
    with pytest.raises(PermissionDenied):
        services.enregistrer_accord(
            parcours=en_parcours(site),
            auteur=site.orienteur,
            accord=True,
            date=AUJOURD_HUI,
            modalite="ecrit",
        )


# --- Passage en milieu ouvert --------------------------------------------------------------------


def _confier(site, parcours, auteur=None, cpip_mo=None):
    return services.confier_au_milieu_ouvert(
        parcours=parcours,
        auteur=auteur or site.cpip,
        cpip_mo=cpip_mo or site.cpip_mo,
        projet="Logistique.",
    )


def test_pas_de_passage_avant_une_date_de_sortie(site):
    with pytest.raises(TransitionInterdite, match="avant une date de sortie"):
        _confier(site, en_parcours(site))
    assert not PassageMilieuOuvert.objects.exists()


def test_seul_le_spip_de_l_etablissement_passe_le_relais(site, autre_site):
    parcours = sortir(site, en_parcours(site))
    for auteur in (site.cip, autre_site.cpip, site.cpip_mo):
        with pytest.raises(PermissionDenied):
            _confier(site, parcours, auteur=auteur)


def test_le_destinataire_est_un_cpip_de_milieu_ouvert(site):
    parcours = sortir(site, en_parcours(site))
    with pytest.raises(ValidationError) as erreur:
        _confier(site, parcours, cpip_mo=site.cpip)
    assert "cpip_mo" in erreur.value.message_dict


def test_un_seul_passage_ouvert_puis_un_autre_apres_renvoi(site):
    parcours = sortir(site, en_parcours(site))
    passage = _confier(site, parcours)
    with pytest.raises(TransitionInterdite, match="déjà confié"):
        _confier(site, parcours)
    with pytest.raises(ValidationError):
        services.renvoyer_passage(passage=passage, auteur=site.cpip_mo, motif="  ")
    services.renvoyer_passage(passage=passage, auteur=site.cpip_mo, motif="Hors secteur.")
    passage.refresh_from_db()
    assert (passage.statut, passage.repondu_par) == (StatutPassage.RENVOYE, site.cpip_mo)
    assert _confier(site, parcours).statut == StatutPassage.EN_ATTENTE


def test_seul_le_cpip_designe_repond_et_une_seule_fois(site, autre_site):
    passage = _confier(site, sortir(site, en_parcours(site)))
    for intrus in (site.cpip, autre_site.cpip_mo):
        with pytest.raises(PermissionDenied):
            services.accepter_passage(passage=passage, auteur=intrus)
    services.accepter_passage(passage=passage, auteur=site.cpip_mo)
    with pytest.raises(TransitionInterdite, match="déjà reçu une réponse"):
        services.renvoyer_passage(passage=passage, auteur=site.cpip_mo, motif="Erreur.")


def test_personne_sans_prescription_n_a_pas_de_parcours(site):
    personne = PersonneFactory(etablissement=site.implantation.etablissement)
    assert not ParcoursIAE.objects.filter(personne=personne).exists()
