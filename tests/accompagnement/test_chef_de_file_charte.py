"""Le chef de file lu dans la *vraie* charte en vigueur (``charte_iae.charte``, issue 3).
Ignoré tant que la charte versionnée n'est pas dans la branche ; s'exécute dès qu'elle y est."""

import pytest
from django.urls import reverse

charte = pytest.importorskip("charte_iae.charte")
versions = pytest.importorskip("charte_iae.versions")

from accompagnement import chefs_de_file  # noqa: E402
from accompagnement.enums import Cote  # noqa: E402
from charte_iae.models import Notification  # noqa: E402
from tests.accompagnement.factories import action  # noqa: E402
from tests.charte_iae.conftest import remplir  # noqa: E402


@pytest.fixture
def en_vigueur(site):
    """La charte du site, remplie comme dans les tests de la charte (formation → SIAE, les
    autres domaines → CPIP), soumise et approuvée par les deux parties."""
    version = remplir(versions.creer_version(charte=site.charte, par=site.dpip), site.dpip)
    versions.soumettre(version=version, par=site.dpip)
    versions.approuver(version=version, par=site.dpip)
    return versions.approuver(version=version, par=site.direction)


def test_la_charte_est_livree_et_lue(site, personne, en_vigueur):
    assert chefs_de_file.CHARTE_DISPONIBLE
    assert chefs_de_file.chef_de_file(site.implantation, "logement").cotes == {Cote.SPIP}
    assert chefs_de_file.chef_de_file(site.implantation, "formation").cotes == {Cote.SIAE}
    domaines = chefs_de_file.domaines(chefs_de_file.implantation_de(personne))
    assert len(domaines) == 8 and all(d.chef is not None for d in domaines)


def test_sans_version_en_vigueur_aucun_chef_de_file(site, personne):
    assert chefs_de_file.chef_de_file(site.implantation, "logement") is None


def test_action_de_la_cip_dans_un_domaine_du_cpip_previent_le_cpip(
    client, site, personne, en_vigueur, django_capture_on_commit_callbacks
):
    client.force_login(site.cip)
    formulaire = client.get(
        reverse("accompagnement:action_nouvelle", args=[personne.pk]) + "?domaine=logement"
    ).content.decode()
    assert "<strong>CPIP</strong>" in formulaire
    with django_capture_on_commit_callbacks(execute=True):
        action(auteur=site.cip, personne=personne, domaine="logement")
        action(auteur=site.cip, personne=personne, domaine="formation")
    # (La charte a ses propres notifications : soumission, mise en vigueur.)
    assert list(
        Notification.objects.filter(evenement="action_domaine_chef_de_file").values_list(
            "destinataire", flat=True
        )
    ) == [site.cpip.pk]
