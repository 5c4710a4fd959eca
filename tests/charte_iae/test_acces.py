"""Le mécanisme d'accès, prouvé sur la charte : qui la lit, qui l'adapte, et la réconciliation."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from charte_iae import acces, services
from charte_iae.models import Charte, CharteGroupObjectPermission, CharteUserObjectPermission
from charte_iae.permissions import can_edit_charte, can_view_charte, chartes_visibles
from tests.factories import UtilisateurFactory


def test_dpip_et_direction_de_l_implantation_adaptent_la_charte(site):
    assert can_edit_charte(site.dpip, site.charte)
    assert can_edit_charte(site.direction, site.charte)


@pytest.mark.parametrize("role", ["cpip", "cip", "et", "cpip_mo", "orienteur"])
def test_les_autres_agents_n_adaptent_pas_la_charte(site, role):
    assert not can_edit_charte(getattr(site, role), site.charte)


@pytest.mark.parametrize("role", ["cpip", "dpip", "cip", "et", "direction"])
def test_les_agents_du_spip_et_de_la_siae_lisent_la_charte(site, role):
    assert can_view_charte(getattr(site, role), site.charte)
    assert list(chartes_visibles(getattr(site, role))) == [site.charte]


def test_un_dpip_d_un_autre_spip_ne_voit_ni_n_adapte_la_charte(site, autre_site):
    assert not can_view_charte(autre_site.dpip, site.charte)
    assert not can_edit_charte(autre_site.dpip, site.charte)
    assert list(chartes_visibles(autre_site.dpip)) == [autre_site.charte]


def test_un_superutilisateur_n_a_aucun_passe_droit(site):
    admin = UtilisateurFactory(is_superuser=True, is_staff=True)
    assert not can_view_charte(admin, site.charte)
    assert not chartes_visibles(admin).exists()


def test_compte_desactive_ne_voit_plus_rien(site):
    site.dpip.is_active = False
    site.dpip.save()
    services.resynchroniser_agent(utilisateur=site.dpip)
    assert not can_edit_charte(site.dpip, site.charte)
    assert not chartes_visibles(site.dpip).exists()
    assert not CharteUserObjectPermission.objects.filter(user=site.dpip).exists()


def test_fin_d_affectation_retire_l_acces_aussitot(site):
    services.terminer_affectation(affectation=site.dpip.affectations.get())
    dpip = type(site.dpip).objects.get(pk=site.dpip.pk)
    assert not can_edit_charte(dpip, site.charte)
    assert not can_view_charte(dpip, site.charte)
    assert dpip.affectations.count() == 1, "une affectation terminée reste dans l'historique"


def test_nouvel_encadrant_designe_recoit_le_droit_de_modifier(site):
    nouveau = UtilisateurFactory(referent_iae=True, structure=site.implantation.spip)
    assert can_edit_charte(nouveau, site.charte)


def test_appliquer_est_idempotent(site):
    avant = (
        CharteUserObjectPermission.objects.count(),
        CharteGroupObjectPermission.objects.count(),
    )
    assert acces.appliquer(site.charte).total == 0
    assert acces.appliquer(Charte.objects.all()).total == 0
    assert (
        CharteUserObjectPermission.objects.count(),
        CharteGroupObjectPermission.objects.count(),
    ) == avant


def test_reconciliation_nulle_apres_usage_normal_puis_positive_apres_suppression_a_la_main(
    site, autre_site
):
    assert acces.reconcilier().total.total == 0
    call_command("verifier_permissions")

    CharteUserObjectPermission.objects.filter(user=site.dpip).delete()
    CharteGroupObjectPermission.objects.filter(group=site.implantation.siae.groupe).delete()
    site.cip.groups.clear()
    rapport = acces.reconcilier()
    # La DPIP perd « modifier » et « approuver pour le SPIP » ; la SIAE perd « lire ».
    assert rapport.total.manquants == 4
    assert rapport.par_regle["charte_iae.Charte"].manquants == 3
    assert rapport.par_regle["appartenance aux structures"].manquants == 1
    with pytest.raises(CommandError, match="4 écart"):
        call_command("verifier_permissions")

    call_command("verifier_permissions", "--corriger")
    call_command("verifier_permissions")
    assert can_edit_charte(type(site.dpip).objects.get(pk=site.dpip.pk), site.charte)


def test_un_droit_en_trop_est_signale(site, autre_site):
    CharteUserObjectPermission.objects.create(
        user=autre_site.cpip,
        content_object=site.charte,
        permission=CharteUserObjectPermission._meta.get_field(
            "permission"
        ).related_model.objects.get(codename="change_charte"),
    )
    assert acces.reconcilier().total.en_trop == 1


def test_les_droits_sont_dans_les_tables_a_cle_directe_jamais_globaux(site):
    from django.contrib.auth.models import Permission

    assert CharteUserObjectPermission.objects.filter(content_object=site.charte).exists()
    assert not Permission.objects.filter(user__isnull=False).exists()
    assert not Permission.objects.filter(group__isnull=False).exists()


def test_prechargement_une_requete_pour_plusieurs_objets(
    site, autre_site, django_assert_num_queries
):
    chartes = list(Charte.objects.all())
    dpip = type(site.dpip).objects.get(pk=site.dpip.pk)
    with django_assert_num_queries(1):
        acces.precharger(dpip, chartes)
    with django_assert_num_queries(0):
        assert [can_edit_charte(dpip, c) for c in chartes] == [c == site.charte for c in chartes]


def test_chaque_partie_approuve_pour_elle_meme(site, autre_site):
    from charte_iae.models import Partie
    from charte_iae.permissions import can_approve_charte, parties_approbation

    assert parties_approbation(site.dpip, site.charte) == [Partie.SPIP]
    assert parties_approbation(site.direction, site.charte) == [Partie.SIAE]
    for role in ["cpip", "cip", "et", "cpip_mo", "orienteur"]:
        assert not can_approve_charte(getattr(site, role), site.charte)
    assert not can_approve_charte(autre_site.direction, site.charte)


def test_fin_d_affectation_de_la_direction_retire_le_droit_d_approuver(site):
    from charte_iae.permissions import can_approve_charte

    services.terminer_affectation(affectation=site.direction.affectations.get())
    direction = type(site.direction).objects.get(pk=site.direction.pk)
    assert not can_approve_charte(direction, site.charte)
    assert acces.reconcilier().total.total == 0
