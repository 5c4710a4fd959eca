"""Accusés de lecture : ouvrir le cahier accuse la lecture des transmissions affichées ; les non
lues se comptent sur l'accueil et dans la liste des cahiers ; l'auteur a lu son entrée."""

from django.urls import reverse

from communication.models import LectureEntree
from tests.communication.conftest import donnees_entree
from tests.communication.factories import EntreeCahierFactory

BADGE_NOUVELLE = 'fr-badge--sm">Nouvelle</span>'


def test_une_transmission_du_cpip_est_non_lue_pour_le_cip_jusqu_a_ce_qu_il_ouvre(
    client, site, personne
):
    client.force_login(site.cpip)
    client.post(reverse("communication:cahier_ecrire", args=[personne.pk]), donnees_entree())
    accueil = client.get(reverse("accueil")).content.decode()
    assert "Aucune transmission non lue." in accueil  # l'auteur a lu sa propre entrée

    client.force_login(site.cip)
    accueil = client.get(reverse("accueil")).content.decode()
    assert 'id="transmissions-non-lues">1 transmission non lue<' in accueil
    liste = client.get(reverse("communication:cahiers")).content.decode()
    assert "1 non lue" in liste

    cahier = client.get(reverse("communication:cahier", args=[personne.pk])).content.decode()
    assert BADGE_NOUVELLE in cahier
    assert LectureEntree.objects.filter(lecteur=site.cip).count() == 1
    assert "Aucune transmission non lue." in client.get(reverse("accueil")).content.decode()
    assert (
        BADGE_NOUVELLE
        not in client.get(reverse("communication:cahier", args=[personne.pk])).content.decode()
    )


def test_qui_a_lu_s_affiche_sur_l_entree(client, site, personne):
    EntreeCahierFactory(cahier__personne=personne, auteur=site.cpip)
    client.force_login(site.et)
    client.get(reverse("communication:cahier", args=[personne.pk]))
    client.force_login(site.cpip)
    html = client.get(reverse("communication:cahier", args=[personne.pk])).content.decode()
    assert f"{site.et.get_full_name()} (" in html.split("Lue par :")[1]
    assert LectureEntree.objects.filter(lecteur=site.et).exists()


def test_les_non_lues_d_un_dossier_inaccessible_ne_comptent_pas(client, site, autre_site, personne):
    EntreeCahierFactory(cahier__personne=personne, auteur=site.cpip)
    client.force_login(autre_site.cip)
    assert "transmissions-non-lues" not in client.get(reverse("accueil")).content.decode()
