"""Cycle de vie des versions : brouillon → soumise → en vigueur (deux approbations) → remplacée,
et ce que les autres applications lisent de la charte en vigueur."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from charte_iae import charte, versions
from charte_iae.models import (
    ActionVersion,
    ChefDeFile,
    Notification,
    StatutVersion,
    VersionCharte,
)
from tests.charte_iae.conftest import remplir


def test_premiere_version_part_du_modele_avec_les_huit_domaines(site, brouillon):
    assert brouillon.numero == 1 and brouillon.statut == StatutVersion.BROUILLON
    assert brouillon.repartition.count() == 8
    assert brouillon.revisions.count() == 1
    assert brouillon.evenements.get().action == ActionVersion.CREATION


def test_soumission_refusee_avec_la_liste_des_champs_obligatoires_vides(site, brouillon):
    with pytest.raises(versions.TransitionInterdite) as erreur:
        versions.soumettre(version=brouillon, par=site.dpip)
    details = erreur.value.details
    assert (
        "Article 5.2 — Commission de l’insertion professionnelle : Nom local de la commission"
        in details
    )
    assert (
        "Article 6 — Modalités d’organisation de la transmission de l’information à la sortie"
        in details
    )
    assert sum("chef de file du domaine" in d for d in details) == 8
    assert not any("Critères" in d for d in details), "les critères locaux sont facultatifs"
    brouillon.refresh_from_db()
    assert brouillon.statut == StatutVersion.BROUILLON


def test_double_approbation_met_en_vigueur(site, brouillon_complet):
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    v = versions.approuver(version=brouillon_complet, par=site.direction)
    assert v.statut == StatutVersion.SOUMISE
    assert v.approuvee_siae_par == site.direction and v.approuvee_siae_le is not None
    assert charte.version_en_vigueur(site.implantation) is None
    v = versions.approuver(version=v, par=site.dpip)
    assert v.statut == StatutVersion.EN_VIGUEUR
    assert v.approuvee_spip_par == site.dpip and v.en_vigueur_le is not None
    assert charte.version_en_vigueur(site.implantation) == v
    actions = list(v.evenements.values_list("action", flat=True))
    assert actions[-3:] == ["approbation_siae", "approbation_spip", "mise_en_vigueur"]


def test_une_partie_n_approuve_pas_deux_fois(site, brouillon_complet):
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    versions.approuver(version=brouillon_complet, par=site.dpip)
    with pytest.raises(versions.TransitionInterdite, match="déjà approuvé"):
        versions.approuver(version=brouillon_complet, par=site.dpip)


def test_un_brouillon_ne_s_approuve_pas(site, brouillon_complet):
    with pytest.raises(versions.TransitionInterdite, match="Seule une version soumise"):
        versions.approuver(version=brouillon_complet, par=site.dpip)


@pytest.mark.parametrize("role", ["cip", "et", "cpip"])
def test_les_autres_agents_de_l_implantation_n_approuvent_pas(site, brouillon_complet, role):
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    with pytest.raises(PermissionDenied, match="approuvent la charte"):
        versions.approuver(version=brouillon_complet, par=getattr(site, role))


def test_la_cip_ne_modifie_pas_le_brouillon_meme_hors_des_pages(site, brouillon):
    with pytest.raises(PermissionDenied):
        versions.enregistrer_champs(
            version=brouillon,
            revision=brouillon.revision,
            saisies={"transmission_sortie": versions.SaisieChamp(texte="x")},
            par=site.cip,
        )


def test_une_version_soumise_ne_se_modifie_plus(site, brouillon_complet):
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    with pytest.raises(versions.TransitionInterdite, match="Retirez-la"):
        remplir(brouillon_complet, site.dpip)


def test_retirer_une_version_soumise_annule_ses_approbations(site, brouillon_complet):
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    versions.approuver(version=brouillon_complet, par=site.direction)
    v = versions.retirer(version=brouillon_complet, par=site.dpip)
    assert v.statut == StatutVersion.BROUILLON
    assert v.approuvee_siae_le is None and v.approuvee_siae_par is None
    assert v.evenements.filter(action=ActionVersion.APPROBATION_SIAE).exists(), "le journal garde"


def test_modifier_apres_entree_en_vigueur_cree_une_nouvelle_version_a_reapprouver(site, en_vigueur):
    v2 = versions.creer_version(charte=site.charte, par=site.direction)
    assert v2.numero == 2 and v2.statut == StatutVersion.BROUILLON
    assert v2.approuvee_spip_le is None and v2.approuvee_siae_le is None
    assert [c.libelle for c in v2.criteres.all()] == ["Aptitude au port de charges"]
    mobilite = v2.repartition.get(domaine__code="mobilite")
    versions.enregistrer_repartition(
        version=v2,
        revision=v2.revision,
        lignes={mobilite.pk: {"chef_de_file": "partage"}},
        par=site.direction,
    )
    # Tant que les deux parties n'ont pas approuvé, la version 1 reste la référence.
    assert charte.chef_de_file(site.implantation, "mobilite") == ChefDeFile.CPIP
    versions.soumettre(version=v2, par=site.direction)
    versions.approuver(version=v2, par=site.direction)
    assert charte.chef_de_file(site.implantation, "mobilite") == ChefDeFile.CPIP
    versions.approuver(version=v2, par=site.dpip)
    assert charte.chef_de_file(site.implantation, "mobilite") == ChefDeFile.PARTAGE
    en_vigueur.refresh_from_db()
    assert en_vigueur.statut == StatutVersion.REMPLACEE and en_vigueur.remplacee_le
    assert VersionCharte.objects.filter(charte=site.charte, statut="en_vigueur").count() == 1


def test_une_seule_version_en_cours_a_la_fois(site, brouillon):
    with pytest.raises(versions.TransitionInterdite, match="déjà en cours"):
        versions.creer_version(charte=site.charte, par=site.direction)


def test_la_base_refuse_deux_versions_en_vigueur(site, en_vigueur):
    with pytest.raises(IntegrityError), transaction.atomic():
        VersionCharte.objects.create(
            charte=site.charte,
            numero=9,
            modele=en_vigueur.modele,
            statut=StatutVersion.EN_VIGUEUR,
            approuvee_spip_le=en_vigueur.approuvee_spip_le,
            approuvee_siae_le=en_vigueur.approuvee_siae_le,
        )


def test_la_base_refuse_une_version_en_vigueur_sans_les_deux_approbations(site, brouillon):
    with pytest.raises(IntegrityError), transaction.atomic():
        VersionCharte.objects.filter(pk=brouillon.pk).update(statut=StatutVersion.EN_VIGUEUR)


def test_une_meme_personne_n_approuve_pas_pour_les_deux_parties(site, brouillon_complet):
    from charte_iae import services

    services.affecter(
        utilisateur=site.dpip, structure=site.implantation.siae, fonction="direction_siae"
    )
    dpip = type(site.dpip).objects.get(pk=site.dpip.pk)
    versions.soumettre(version=brouillon_complet, par=dpip)
    versions.approuver(version=brouillon_complet, par=dpip)
    with pytest.raises(versions.TransitionInterdite, match="deux personnes différentes"):
        versions.approuver(version=brouillon_complet, par=dpip)


def test_conflit_quand_la_revision_lue_est_depassee(site, brouillon):
    lue = brouillon.revision
    versions.enregistrer_champs(
        version=brouillon,
        revision=lue,
        saisies={"transmission_sortie": versions.SaisieChamp(texte="Version de la DPIP")},
        par=site.dpip,
    )
    with pytest.raises(versions.ConflitEdition) as conflit:
        versions.enregistrer_champs(
            version=brouillon,
            revision=lue,
            saisies={"transmission_sortie": versions.SaisieChamp(texte="Version de la direction")},
            par=site.direction,
        )
    (changement,) = conflit.value.changements
    assert changement.cle == "transmission_sortie"
    assert (changement.avant, changement.apres) == ("", "Version de la DPIP")
    assert conflit.value.par == site.dpip
    assert (
        charte.ContenuVersion(brouillon).texte(brouillon.valeurs.get().champ)
        == "Version de la DPIP"
    )


def test_domaine_local_ajoute_puis_lu_par_les_autres_applications(site, brouillon_complet):
    ligne = versions.ajouter_domaine_local(
        version=brouillon_complet,
        revision=brouillon_complet.revision,
        libelle="Accès au numérique",
        par=site.direction,
    )
    assert ligne.domaine.code == "acces-au-numerique" and ligne.domaine.local
    v = VersionCharte.objects.get(pk=brouillon_complet.pk)
    with pytest.raises(versions.TransitionInterdite) as refus:
        versions.soumettre(version=v, par=site.dpip)
    assert refus.value.details == [
        "Article 4 — Répartition des rôles par domaine d’intervention : "
        "chef de file du domaine « Accès au numérique »"
    ]
    versions.enregistrer_repartition(
        version=v, revision=v.revision, lignes={ligne.pk: {"chef_de_file": "siae"}}, par=site.dpip
    )
    versions.soumettre(version=v, par=site.dpip)
    versions.approuver(version=v, par=site.dpip)
    versions.approuver(version=v, par=site.direction)
    assert charte.chef_de_file(site.implantation, "acces-au-numerique") == ChefDeFile.SIAE
    assert set(charte.repartition_en_vigueur(site.implantation)) >= {"acces-au-numerique", "sante"}


def test_un_domaine_national_ne_se_retire_pas(site, brouillon):
    sante = brouillon.repartition.get(domaine__code="sante")
    with pytest.raises(versions.TransitionInterdite, match="ne se retire pas"):
        versions.enregistrer_repartition(
            version=brouillon,
            revision=brouillon.revision,
            lignes={},
            retirees={sante.pk},
            par=site.dpip,
        )


def test_sans_charte_en_vigueur_pas_de_chef_de_file_ni_de_critere(site, brouillon_complet):
    assert charte.chef_de_file(site.implantation, "logement") is None
    assert charte.criteres_locaux(site.implantation) == []


def test_criteres_locaux_de_la_version_en_vigueur_dans_l_ordre(site, en_vigueur, autre_site):
    v2 = versions.creer_version(charte=site.charte, par=site.dpip)
    versions.enregistrer_champs(
        version=v2,
        revision=v2.revision,
        saisies={"criteres_locaux": versions.SaisieChamp(criteres=["B", "A"])},
        par=site.dpip,
    )
    assert charte.criteres_locaux(site.implantation) == ["Aptitude au port de charges"]
    assert charte.criteres_locaux(autre_site.implantation) == []
    assert charte.chef_de_file(autre_site.implantation, "logement") is None


def test_soumission_et_entree_en_vigueur_notifient_les_parties(site, brouillon_complet):
    versions.soumettre(version=brouillon_complet, par=site.dpip)
    assert list(Notification.objects.values_list("destinataire", flat=True)) == [site.direction.pk]
    versions.approuver(version=brouillon_complet, par=site.dpip)
    versions.approuver(version=brouillon_complet, par=site.direction)
    en_vigueur = Notification.objects.filter(evenement="charte_en_vigueur")
    assert set(en_vigueur.values_list("destinataire", flat=True)) == {
        site.dpip.pk,
        site.direction.pk,
    }
    assert not Notification.objects.filter(destinataire__in=[site.cip, site.cpip]).exists()
