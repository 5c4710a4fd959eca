"""Connexion, déconnexion, accueil par profil, charte (portée 404 / refus 403), erreurs en français."""

import pytest
from django.urls import reverse

from charte_iae.models import Charte
from tests.factories import MOT_DE_PASSE, UtilisateurFactory


def test_page_de_connexion_en_francais_au_dsfr(client, db):
    reponse = client.get(reverse("connexion"))
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "Se connecter à Charte IAE" in html
    assert "dsfr" in html and 'lang="fr"' in html
    assert "Adresse e-mail professionnelle" in html


def test_connexion_par_email_puis_accueil(client, site):
    reponse = client.post(
        reverse("connexion"), {"username": site.cpip.email.upper(), "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 302 and reponse["Location"] == reverse("accueil")
    accueil = client.get(reverse("accueil"))
    assert "Mon portefeuille" in accueil.content.decode()


def test_mauvais_mot_de_passe_message_francais(client, site):
    reponse = client.post(
        reverse("connexion"), {"username": site.cpip.email, "password": "faux-mot-de-passe"}
    )
    assert reponse.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in reponse.content.decode()


def test_compte_desactive_ne_se_connecte_pas(client, site):
    site.cpip.is_active = False
    site.cpip.save()
    reponse = client.post(
        reverse("connexion"), {"username": site.cpip.email, "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 200
    assert "_auth_user_id" not in client.session


def test_deconnexion_invalide_la_session(client, site):
    client.force_login(site.cpip)
    cle = client.session.session_key
    reponse = client.post(reverse("deconnexion"))
    assert reponse.status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=cle).exists()
    assert client.get(reverse("accueil")).status_code == 302


def test_deconnexion_par_get_refusee(client, site):
    client.force_login(site.cpip)
    assert client.get(reverse("deconnexion")).status_code == 405


@pytest.mark.parametrize(
    ("role", "titre"),
    [
        ("cpip", "Mon portefeuille"),
        ("dpip", "Pilotage du SPIP"),
        ("cpip_mo", "Passages en milieu ouvert"),
        ("cip", "Recrutements et parcours"),
        ("et", "Recrutements et parcours"),
        ("direction", "Pilotage de la SIAE"),
        ("orienteur", "Mes orientations"),
    ],
)
def test_accueil_par_profil(client, site, role, titre):
    client.force_login(getattr(site, role))
    html = client.get(reverse("accueil")).content.decode()
    assert titre in html
    assert str(getattr(site, role).affectation_principale.structure) in html


def test_accueil_sans_affectation(client, db):
    client.force_login(UtilisateurFactory())
    assert "Aucune affectation active" in client.get(reverse("accueil")).content.decode()


@pytest.mark.parametrize("nom", ["accueil", "chartes"])
def test_anonyme_renvoye_vers_la_connexion(client, db, nom):
    reponse = client.get(reverse(nom))
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("connexion"))


def test_charte_lue_par_la_cip_sans_bouton_d_adaptation(client, site):
    client.force_login(site.cip)
    reponse = client.get(reverse("charte_detail", args=[site.charte.pk]))
    assert reponse.status_code == 200
    assert "Adapter la charte" not in reponse.content.decode()


def test_cip_de_l_implantation_recoit_un_refus_403_en_francais(client, site):
    client.force_login(site.cip)
    reponse = client.post(
        reverse("charte_modifier", args=[site.charte.pk]), {"intitule": "Piratée"}
    )
    assert reponse.status_code == 403
    assert "Seuls le DPIP ou le référent IAE" in reponse.content.decode()
    assert Charte.objects.get(pk=site.charte.pk).intitule != "Piratée"


def test_dpip_d_un_autre_spip_recoit_404(client, site, autre_site):
    client.force_login(autre_site.dpip)
    for nom in ["charte_detail", "charte_modifier"]:
        reponse = client.get(reverse(nom, args=[site.charte.pk]))
        assert reponse.status_code == 404
        assert "Page introuvable" in reponse.content.decode()
    assert (
        client.post(
            reverse("charte_modifier", args=[site.charte.pk]), {"intitule": "x"}
        ).status_code
        == 404
    )


def test_liste_des_chartes_limitee_a_mes_implantations(
    client, site, autre_site, django_assert_num_queries
):
    client.force_login(site.cpip)
    reponse = client.get(reverse("chartes"))
    assert list(reponse.context["chartes"]) == [site.charte]


def test_page_404_en_francais(client, site):
    client.force_login(site.cpip)
    reponse = client.get("/nexiste-pas/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


def test_pages_authentifiees_non_mises_en_cache_et_identifiant_de_requete(client, site):
    client.force_login(site.cpip)
    reponse = client.get(reverse("accueil"))
    assert reponse["Cache-Control"] == "no-store"
    assert len(reponse["X-Request-ID"]) >= 8
    assert "script-src 'self' 'nonce-" in reponse["Content-Security-Policy"]


def test_administration_reservee_a_l_administration_nationale(client, site):
    client.force_login(site.dpip)
    assert client.get("/admin/").status_code == 302
    admin = UtilisateurFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
