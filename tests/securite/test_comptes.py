"""Comptes : mots de passe (CNIL 2022), verrouillage après échecs répétés (django-axes, en base),
second facteur TOTP obligatoire pour les administrateurs, fin d'affectation = fin d'accès."""

from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from charte_iae import services
from charte_iae.models import Affectation
from tests.factories import MOT_DE_PASSE, UtilisateurFactory
from tests.securite.matrice import adresse, attendu_pour, motifs_du_projet

# --- Mots de passe ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mot_de_passe",
    ["Court-1abc!", "password1234", "123456789012345", "qwertyuiop123"],
    ids=["11-caracteres", "courant", "numerique", "courant-court"],
)
def test_mots_de_passe_faibles_refuses(db, mot_de_passe):
    with pytest.raises(ValidationError):
        validate_password(mot_de_passe, UtilisateurFactory.build())


def test_mot_de_passe_de_12_caracteres_accepte(db):
    validate_password("Cle-Vraie-9x", UtilisateurFactory.build())


def test_changement_de_mot_de_passe_trop_court_refuse_en_francais(client, site):
    client.force_login(site.cpip)
    reponse = client.post(
        reverse("password_change"),
        {"old_password": MOT_DE_PASSE, "new_password1": "Court-1ab", "new_password2": "Court-1ab"},
    )
    assert reponse.status_code == 200
    assert "Il doit contenir au minimum 12 caractères." in reponse.content.decode()
    site.cpip.refresh_from_db()
    assert site.cpip.check_password(MOT_DE_PASSE)


# --- Verrouillage après échecs -----------------------------------------------------------------


def _essayer(client, email, mot_de_passe):
    return client.post(reverse("connexion"), {"username": email, "password": mot_de_passe})


def test_cinq_echecs_verrouillent_le_compte_meme_avec_le_bon_mot_de_passe(client, site):
    for i in range(4):
        # Casse variable : le compteur suit le compte, pas la chaîne saisie.
        email = site.cpip.email.upper() if i % 2 else site.cpip.email
        assert _essayer(client, email, "mauvais-mot-de-passe").status_code == 200
    assert _essayer(client, site.cpip.email, "mauvais-mot-de-passe").status_code == 429
    reponse = _essayer(client, site.cpip.email, MOT_DE_PASSE)
    assert reponse.status_code == 429
    html = reponse.content.decode()
    assert "Compte temporairement verrouillé" in html and "15 minutes" in html
    assert "_auth_user_id" not in client.session
    # Le compteur est en base : un autre serveur (un autre client) le voit.
    assert AccessAttempt.objects.filter(username=site.cpip.email).exists()
    assert _essayer(Client(), site.cpip.email, MOT_DE_PASSE).status_code == 429


def test_le_verrou_d_un_compte_ne_bloque_pas_les_collegues(client, site):
    for _ in range(5):
        _essayer(client, site.cpip.email, "mauvais-mot-de-passe")
    assert _essayer(client, site.cip.email, MOT_DE_PASSE).status_code == 302


def test_une_connexion_reussie_remet_le_compteur_a_zero(client, site):
    for _ in range(4):
        _essayer(client, site.cpip.email, "mauvais-mot-de-passe")
    assert _essayer(client, site.cpip.email, MOT_DE_PASSE).status_code == 302
    client.post(reverse("deconnexion"))
    for _ in range(4):
        _essayer(client, site.cpip.email, "mauvais-mot-de-passe")
    assert _essayer(client, site.cpip.email, MOT_DE_PASSE).status_code == 302


# --- Second facteur ----------------------------------------------------------------------------


def _code(appareil: TOTPDevice, decalage: int = 0) -> str:
    totp = TOTP(appareil.bin_key, appareil.step, appareil.t0, appareil.digits)
    totp.time = time.time() + decalage
    return f"{totp.token():06d}"


@pytest.fixture
def otp_obligatoire(settings):
    settings.OTP_OBLIGATOIRE = True


def test_dpip_sans_application_est_conduit_a_l_activer_puis_entre(client, site, otp_obligatoire):
    reponse = _essayer(client, site.dpip.email, MOT_DE_PASSE)
    assert reponse.status_code == 302
    reponse = client.get(reponse["Location"])
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("otp_activer"))

    page = client.get(reponse["Location"])
    html = page.content.decode()
    assert "data:image/svg+xml" in html and "otpauth://totp/" in html
    secret = page.context["secret"]
    assert secret in html
    assert not TOTPDevice.objects.filter(user=site.dpip).exists()  # rien avant confirmation

    refuse = client.post(reverse("otp_activer"), {"code": "000000"})
    assert "Ce code ne correspond pas" in refuse.content.decode()
    appareil = TOTPDevice(key=client.session["otp_cle_en_activation"])
    reponse = client.post(reverse("otp_activer"), {"code": _code(appareil), "next": "/chartes/"})
    assert reponse.status_code == 302 and reponse["Location"] == "/chartes/"
    assert TOTPDevice.objects.get(user=site.dpip).confirmed
    assert client.get(reverse("charte_modifier", args=[site.charte.pk])).status_code == 200


def test_dpip_avec_application_doit_saisir_son_code_a_chaque_connexion(
    client, site, otp_obligatoire
):
    appareil = TOTPDevice.objects.create(user=site.dpip, name="téléphone", confirmed=True)
    _essayer(client, site.dpip.email, MOT_DE_PASSE)
    reponse = client.get(reverse("chartes"))
    assert reponse["Location"].startswith(reverse("otp_verifier"))
    assert (
        "Code incorrect."
        in client.post(reverse("otp_verifier"), {"code": "123456"}).content.decode()
    )
    assert (
        "Saisissez les 6 chiffres"
        in client.post(reverse("otp_verifier"), {"code": "abc"}).content.decode()
    )
    appareil.refresh_from_db()
    appareil.throttling_failure_timestamp = None
    appareil.throttling_failure_count = 0
    appareil.save()
    reponse = client.post(reverse("otp_verifier"), {"code": _code(appareil), "next": "/chartes/"})
    assert reponse["Location"] == "/chartes/"
    assert client.get(reverse("chartes")).status_code == 200


def test_la_redirection_apres_le_code_reste_sur_le_site(client, site, otp_obligatoire):
    appareil = TOTPDevice.objects.create(user=site.dpip, name="téléphone", confirmed=True)
    _essayer(client, site.dpip.email, MOT_DE_PASSE)
    reponse = client.post(
        reverse("otp_verifier"), {"code": _code(appareil), "next": "https://pirate.exemple/"}
    )
    assert reponse["Location"] == "/"


def test_cpip_sans_application_n_a_pas_de_second_facteur(client, site, otp_obligatoire):
    _essayer(client, site.cpip.email, MOT_DE_PASSE)
    assert client.get(reverse("accueil")).status_code == 200


def test_cpip_qui_a_active_une_application_doit_s_en_servir(client, site, otp_obligatoire):
    TOTPDevice.objects.create(user=site.cpip, name="téléphone", confirmed=True)
    _essayer(client, site.cpip.email, MOT_DE_PASSE)
    assert client.get(reverse("accueil"))["Location"].startswith(reverse("otp_verifier"))


@pytest.mark.parametrize("role", ["direction", "referent_iae", "admin_national"])
def test_administrateurs_locaux_et_nationaux_doivent_passer_le_second_facteur(
    client, site, otp_obligatoire, role
):
    if role == "direction":
        agent = site.direction
    elif role == "referent_iae":
        agent = UtilisateurFactory(referent_iae=True, structure=site.implantation.spip)
    else:
        agent = UtilisateurFactory(is_staff=True)
    client.force_login(agent)
    assert client.get(reverse("accueil"))["Location"].startswith(reverse("otp_activer"))


_SANS_SECOND_FACTEUR = {"otp_verifier", "otp_activer", "deconnexion", "healthz", "readyz"}


def test_aucune_page_du_projet_n_echappe_au_second_facteur(client, monde, otp_obligatoire):
    """Administration comprise : un DPIP et un administrateur national connectés par mot de
    passe seulement sont renvoyés vers le second facteur partout."""
    echappees = []
    for agent in (monde.site.dpip, monde.admin):
        client.force_login(agent)
        for motif in motifs_du_projet():
            if motif.nom in _SANS_SECOND_FACTEUR:
                continue
            url = adresse(motif, attendu_pour(motif), monde)
            reponse = client.get(url)
            if not (
                reponse.status_code == 302
                and reponse["Location"].startswith(reverse("otp_activer"))
            ):
                echappees.append(f"{url} ({agent.email}) : {reponse.status_code}")
    assert not echappees, echappees


# --- Fin d'affectation, compte désactivé -----------------------------------------------------


def test_terminer_l_affectation_retire_l_acces_a_la_requete_suivante(client, site):
    client.force_login(site.dpip)
    url = reverse("charte_modifier", args=[site.charte.pk])
    assert client.get(url).status_code == 200
    services.terminer_affectation(affectation=Affectation.objects.get(utilisateur=site.dpip))
    assert client.get(url).status_code == 404
    assert client.get(reverse("charte_detail", args=[site.charte.pk])).status_code == 404
    assert (
        client.get(reverse("journal_objet", args=["charte_iae.charte", site.charte.pk])).status_code
        == 404
    )


def test_desactiver_le_compte_coupe_la_session_ouverte(client, site):
    client.force_login(site.cpip)
    assert client.get(reverse("accueil")).status_code == 200
    site.cpip.is_active = False
    site.cpip.save()
    services.resynchroniser_agent(utilisateur=site.cpip)
    reponse = client.get(reverse("charte_detail", args=[site.charte.pk]))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("connexion"))
