"""Sessions : 30 min d'inactivité, 12 h au plus ; la déconnexion détruit la session côté serveur ;
cookie __Host-, Secure, HttpOnly, SameSite=Lax en production."""

from __future__ import annotations

import ast
import datetime

import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.charte_iae import test_reglages
from tests.factories import MOT_DE_PASSE

# Les réglages de production, sans ce que settings_test a posé dans l'environnement des tests.
_POSES_PAR_LES_TESTS = ("SESSION_COOKIE_SECURE", "OTP_OBLIGATOIRE")


def _lire_reglages(env, expression, monkeypatch):
    for variable in _POSES_PAR_LES_TESTS:
        monkeypatch.delenv(variable, raising=False)
    return test_reglages._lire_reglages(env, expression)


DEBUT = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def _connecter(client, agent):
    reponse = client.post(reverse("connexion"), {"username": agent.email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 302


def test_inactivite_de_plus_de_30_minutes_deconnecte(client, site):
    with time_machine.travel(DEBUT, tick=False) as horloge:
        _connecter(client, site.cpip)
        cle = client.session.session_key
        horloge.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("accueil")).status_code == 200
        horloge.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("accueil")).status_code == 200  # activité : la session vit
        horloge.shift(datetime.timedelta(minutes=31))
        reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("connexion"))
    assert not Session.objects.filter(session_key=cle).exists()
    suite = client.get(reponse["Location"])
    assert "Votre session a expiré" in suite.content.decode()


def test_douze_heures_au_plus_meme_avec_activite(client, site):
    with time_machine.travel(DEBUT, tick=False) as horloge:
        _connecter(client, site.cpip)
        for _ in range(12 * 3):  # une requête toutes les 20 minutes pendant 12 h
            horloge.shift(datetime.timedelta(minutes=20))
            assert client.get(reverse("accueil")).status_code == 200
        horloge.shift(datetime.timedelta(minutes=1))
        reponse = client.get(reverse("accueil"))
    assert reponse["Location"].startswith(reverse("connexion"))


def test_la_deconnexion_detruit_la_session_cote_serveur(client, site):
    _connecter(client, site.cpip)
    cle = client.session.session_key
    assert Session.objects.filter(session_key=cle).exists()
    client.post(reverse("deconnexion"))
    assert not Session.objects.filter(session_key=cle).exists()
    # Rejouer l'ancien cookie ne rouvre rien.
    client.cookies["sessionid"] = cle
    assert client.get(reverse("accueil")).status_code == 302


def test_nouvel_identifiant_de_session_a_la_connexion(client, site):
    client.get(reverse("connexion"))
    avant = client.session.session_key
    _connecter(client, site.cpip)
    assert client.session.session_key != avant


def test_cookie_de_session_en_production_prefixe_host_secure_httponly_lax(monkeypatch):
    resultat = _lire_reglages(
        {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "charte.exemple.fr"},
        "settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,"
        " settings.SESSION_COOKIE_SAMESITE, settings.SESSION_COOKIE_PATH, settings.SESSION_COOKIE_DOMAIN,"
        " settings.CSRF_USE_SESSIONS, settings.SESSION_INACTIVITE_MAX, settings.SESSION_DUREE_MAX,"
        " settings.OTP_OBLIGATOIRE",
        monkeypatch,
    )
    assert resultat.returncode == 0, resultat.stderr
    assert ast.literal_eval(resultat.stdout) == (
        "__Host-sessionid",
        True,
        True,
        "Lax",
        "/",
        None,
        True,
        1800,
        43200,
        True,
    )


def test_en_debug_double_facteur_facultatif_et_cookie_sans_prefixe(monkeypatch):
    resultat = _lire_reglages(
        {"DEBUG": "true"}, "settings.OTP_OBLIGATOIRE, settings.SESSION_COOKIE_NAME", monkeypatch
    )
    assert resultat.returncode == 0, resultat.stderr
    assert ast.literal_eval(resultat.stdout) == (False, "sessionid")


def test_cookie_pose_a_la_connexion_porte_les_attributs(client, site, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    reponse = client.post(
        reverse("connexion"), {"username": site.cpip.email, "password": MOT_DE_PASSE}
    )
    cookie = reponse.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax" and cookie["path"] == "/" and not cookie["domain"]
