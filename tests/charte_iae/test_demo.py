import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from charte_iae import acces
from charte_iae.demo import AGENTS_DEMO, MOT_DE_PASSE_DEMO
from charte_iae.models import Affectation, Charte, Implantation, Structure, Utilisateur


def _comptes():
    return [m.objects.count() for m in (Utilisateur, Affectation, Structure, Implantation, Charte)]


@pytest.mark.django_db
def test_la_demonstration_est_idempotente_et_affiche_les_identifiants(settings, capsys):
    settings.DEBUG = True
    call_command("donnees_demo")
    premier = _comptes()
    sortie = capsys.readouterr().out
    call_command("donnees_demo")
    assert _comptes() == premier
    assert MOT_DE_PASSE_DEMO in sortie
    for email, *_ in AGENTS_DEMO:
        assert email in sortie
        assert Utilisateur.objects.get(email=email).check_password(MOT_DE_PASSE_DEMO)
    assert acces.reconcilier().total.total == 0


@pytest.mark.django_db
def test_un_identifiant_par_role_qui_se_connecte(settings, client):
    settings.DEBUG = True
    call_command("donnees_demo")
    # Par le formulaire : avec django-axes, l'authentification exige la requête (pas client.login).
    reponse = client.post(
        "/comptes/connexion/", {"username": "cpip@demo.test", "password": MOT_DE_PASSE_DEMO}
    )
    assert reponse.status_code == 302
    assert "Mon portefeuille" in client.get("/").content.decode()


@pytest.mark.django_db
def test_la_demonstration_est_refusee_sans_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("donnees_demo")
    assert Utilisateur.objects.count() == 0


@pytest.mark.django_db
def test_la_demonstration_a_une_charte_en_vigueur_et_un_brouillon_modifie(settings):
    from charte_iae import charte
    from charte_iae.models import ChefDeFile

    settings.DEBUG = True
    call_command("donnees_demo")
    implantation = Implantation.objects.get(etablissement__code="DEMO-VALMONT")
    statuts = list(implantation.charte.versions.order_by("numero").values_list("statut", flat=True))
    assert statuts == ["en_vigueur", "brouillon"]
    assert charte.chef_de_file(implantation, "mobilite") == ChefDeFile.SIAE
    brouillon = implantation.charte.versions.get(numero=2)
    assert brouillon.repartition.get(domaine__code="mobilite").chef_de_file == ChefDeFile.PARTAGE
    assert len(charte.criteres_locaux(implantation)) == 2
