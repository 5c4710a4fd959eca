"""Qui voit le dossier d'une personne et ses orientations : la règle d'accès du parcours."""

import pytest

from charte_iae import acces, services
from parcours.models import Orientation, Personne
from parcours.permissions import (
    can_edit_personne,
    can_give_opinion,
    can_prescribe,
    can_view_orientation,
    can_view_personne,
)
from tests.factories import (
    OrientationFactory,
    PersonneFactory,
    PrescriptionFactory,
    UtilisateurFactory,
)


@pytest.fixture
def personne(site):
    return PersonneFactory(etablissement=site.implantation.etablissement, cpip_referent=site.cpip)


@pytest.mark.parametrize("role", ["cpip", "dpip"])
def test_le_spip_milieu_ferme_voit_modifie_et_peut_prescrire(site, personne, role):
    agent = getattr(site, role)
    assert list(Personne.objects.for_user(agent)) == [personne]
    assert can_edit_personne(agent, personne)
    assert can_prescribe(agent, personne)


@pytest.mark.parametrize("role", ["cip", "et", "direction", "orienteur", "cpip_mo"])
def test_les_autres_ne_voient_pas_un_dossier_sans_prescription(site, personne, role):
    agent = getattr(site, role)
    assert not Personne.objects.for_user(agent).exists()
    assert not can_view_personne(agent, personne)
    assert not can_prescribe(agent, personne)


def test_le_spip_d_un_autre_etablissement_ne_voit_rien(site, autre_site, personne):
    assert not Personne.objects.for_user(autre_site.cpip).exists()
    assert not can_prescribe(autre_site.dpip, personne)


@pytest.mark.parametrize("role", ["cip", "et", "direction"])
def test_la_siae_voit_le_dossier_une_fois_prescrit_sans_pouvoir_prescrire(site, role):
    prescription = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    agent = getattr(site, role)
    assert list(Personne.objects.for_user(agent)) == [prescription.personne]
    assert can_view_orientation(agent, prescription.orientation)
    assert not can_edit_personne(agent, prescription.personne)
    assert not can_prescribe(agent, prescription.personne)
    assert not can_give_opinion(agent, prescription.orientation)
    assert acces.reconcilier().total.total == 0


def test_la_siae_d_un_autre_site_ne_voit_pas_le_dossier_prescrit(site, autre_site):
    PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    assert not Personne.objects.for_user(autre_site.cip).exists()


def test_l_orienteur_voit_ses_orientations_et_pas_le_dossier(site, personne):
    sienne = OrientationFactory(personne=personne, signalee_par=site.orienteur)
    autre = OrientationFactory(personne=personne, signalee_par=site.cpip)
    assert list(Orientation.objects.for_user(site.orienteur)) == [sienne]
    assert not can_view_orientation(site.orienteur, autre)
    assert not Personne.objects.for_user(site.orienteur).exists()
    assert set(Orientation.objects.for_user(site.cpip)) == {sienne, autre}
    assert acces.reconcilier().total.total == 0


def test_l_orienteur_qui_quitte_son_poste_ne_voit_plus_ses_orientations(site, personne):
    sienne = OrientationFactory(personne=personne, signalee_par=site.orienteur)
    services.terminer_affectation(affectation=site.orienteur.affectations.get())
    orienteur = type(site.orienteur).objects.get(pk=site.orienteur.pk)
    assert not can_view_orientation(orienteur, sienne)
    assert acces.reconcilier().total.total == 0


def test_un_superutilisateur_n_a_aucun_passe_droit(site, personne):
    admin = UtilisateurFactory(is_superuser=True, is_staff=True)
    assert not Personne.objects.for_user(admin).exists()
    assert not can_prescribe(admin, personne)
