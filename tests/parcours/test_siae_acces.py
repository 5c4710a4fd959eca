"""Les changements d'accès de la sortie : la SIAE perd le dossier à la sortie sans accord de
la personne (elle garde la lecture de ses propres traces), le garde avec son accord ; le CPIP
de milieu ouvert l'obtient en acceptant le passage, le perd en quittant son poste. Aucun écart
de droits après chaque étape."""

from django.core.management import call_command
from django.utils import timezone

from charte_iae import services as services_noyau
from parcours import services_siae as services
from parcours.models import EntretienRecrutement, LivretCompetences, ParcoursIAE, Personne
from parcours.permissions import (
    can_answer_passage,
    can_hand_over,
    can_manage_parcours,
    can_view_personne,
    can_write_livret,
)
from tests.factories import StructureFactory, UtilisateurFactory
from tests.parcours.siae_outils import (
    avec_livret_finalise,
    en_parcours,
    prescrire,
    recharger,
    sans_ecart,
    sortir,
)

AUJOURD_HUI = timezone.localdate()


def _accord(site, parcours, accord: bool):
    return services.enregistrer_accord(
        parcours=parcours, auteur=site.cpip, accord=accord, date=AUJOURD_HUI, modalite="entretien"
    )


def test_la_siae_perd_le_dossier_a_la_sortie_sans_accord(site):
    parcours = en_parcours(site)
    personne = parcours.personne
    assert can_view_personne(recharger(site.cip), personne)
    assert sans_ecart()
    sortir(site, parcours)
    for role in ("cip", "et", "direction"):
        agent = recharger(getattr(site, role))
        assert not Personne.objects.for_user(agent).exists()
        assert not can_manage_parcours(agent, parcours)
        assert not can_write_livret(agent, parcours)
    assert sans_ecart()


def test_sans_accord_la_siae_garde_la_lecture_de_ses_propres_traces(site, autre_site):
    parcours = en_parcours(site)
    avec_livret_finalise(site, parcours)
    sortir(site, parcours)
    cip = recharger(site.cip)
    assert list(ParcoursIAE.objects.for_user(cip)) == [parcours]
    assert LivretCompetences.objects.for_user(cip).count() == 1
    assert EntretienRecrutement.objects.for_user(cip).count() == 1
    assert not ParcoursIAE.objects.for_user(autre_site.cip).exists()


def test_avec_accord_la_siae_continue_apres_la_sortie(site):
    parcours = en_parcours(site)
    _accord(site, parcours, True)
    sortir(site, parcours)
    cip = recharger(site.cip)
    assert can_view_personne(cip, parcours.personne)
    assert can_write_livret(cip, parcours)
    assert sans_ecart()


def test_un_refus_enregistre_apres_la_sortie_ne_rouvre_rien_et_un_accord_rouvre(site):
    refus = sortir(site, en_parcours(site))
    _accord(site, refus, False)
    assert not can_view_personne(recharger(site.cip), refus.personne)
    accord = sortir(site, en_parcours(site))
    _accord(site, accord, True)
    assert can_view_personne(recharger(site.cip), accord.personne)
    assert sans_ecart()


def test_le_cpip_de_milieu_ouvert_obtient_le_dossier_en_acceptant(site):
    parcours = sortir(site, en_parcours(site))
    passage = services.confier_au_milieu_ouvert(
        parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
    )
    assert not can_view_personne(recharger(site.cpip_mo), parcours.personne)
    assert can_answer_passage(site.cpip_mo, passage)
    assert sans_ecart()
    services.accepter_passage(passage=passage, auteur=site.cpip_mo)
    cpip_mo = recharger(site.cpip_mo)
    assert list(Personne.objects.for_user(cpip_mo)) == [parcours.personne]
    assert list(ParcoursIAE.objects.for_user(cpip_mo)) == [parcours]
    assert not can_hand_over(cpip_mo, parcours)
    assert not can_write_livret(cpip_mo, parcours)
    assert sans_ecart()


def test_un_passage_renvoye_n_ouvre_pas_le_dossier(site):
    parcours = sortir(site, en_parcours(site))
    passage = services.confier_au_milieu_ouvert(
        parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
    )
    services.renvoyer_passage(passage=passage, auteur=site.cpip_mo, motif="Hors secteur.")
    assert not can_view_personne(recharger(site.cpip_mo), parcours.personne)
    assert sans_ecart()


def test_le_cpip_de_milieu_ouvert_qui_quitte_son_poste_perd_le_dossier(site):
    parcours = sortir(site, en_parcours(site))
    passage = services.confier_au_milieu_ouvert(
        parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
    )
    services.accepter_passage(passage=passage, auteur=site.cpip_mo)
    services_noyau.terminer_affectation(affectation=site.cpip_mo.affectations.get())
    assert not can_view_personne(recharger(site.cpip_mo), parcours.personne)
    assert sans_ecart()


def test_un_autre_cpip_de_l_antenne_ne_voit_pas_le_dossier_accepte_par_son_collegue(site):
    collegue = UtilisateurFactory(cpip_mo=True, structure=site.spip_mo)
    parcours = sortir(site, en_parcours(site))
    passage = services.confier_au_milieu_ouvert(
        parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
    )
    services.accepter_passage(passage=passage, auteur=site.cpip_mo)
    assert not can_view_personne(recharger(collegue), parcours.personne)


def test_la_siae_prescrite_seule_voit_la_personne_prescrite(site, autre_site):
    prescription = prescrire(site)
    assert can_view_personne(site.cip, prescription.personne)
    assert not can_view_personne(autre_site.cip, prescription.personne)


def test_seuls_les_cpip_de_milieu_ouvert_sont_proposes(site):
    StructureFactory(spip_mo=True)
    disponibles = set(services.cpip_milieu_ouvert_disponibles(site.implantation.etablissement))
    assert site.cpip_mo in disponibles
    assert not disponibles & {site.cpip, site.cip, site.dpip}


def test_la_demonstration_montre_chaque_etape_de_la_siae(db, settings):
    settings.DEBUG = True
    call_command("donnees_demo")
    call_command("donnees_demo")
    assert ParcoursIAE.objects.actifs().count() == 2
    assert ParcoursIAE.objects.sortis().count() == 2
    assert LivretCompetences.objects.finalises().count() == 2
    assert Personne.objects.filter(numero_ecrou__startswith="S-").count() == 6
    assert sans_ecart()
