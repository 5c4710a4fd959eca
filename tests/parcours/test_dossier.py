"""Le dossier d'une personne : création avec détection de doublon, modification attribuée et
historisée, saisies invalides, et qui voit quelle page."""

import datetime
import html

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from charte_iae import acces
from parcours import services
from parcours.enums import StatutPenal
from parcours.exceptions import ModificationConcurrente
from parcours.models import HistoriqueDateLiberation, Personne
from tests.factories import PersonneFactory, PrescriptionFactory, UtilisateurFactory

CREER = reverse("parcours:personne_creer")


def saisie(site, **valeurs):
    jour = timezone.localdate()
    return {
        "nom": "Dupont",
        "prenom": "Jean",
        "date_naissance": "1990-04-12",
        "numero_ecrou": "123456",
        "etablissement": site.implantation.etablissement.pk,
        "statut_penal": StatutPenal.CONDAMNE,
        "date_liberation_previsible": (jour + relativedelta(months=11, days=3)).isoformat(),
        "date_liberation_source": "fiche_penale",
        "piece_identite_type": "cni",
        "piece_identite_expiration": (jour + relativedelta(years=2)).isoformat(),
        "cpip_referent": site.cpip.pk,
        **valeurs,
    }


@pytest.fixture
def personne(site):
    return PersonneFactory(etablissement=site.implantation.etablissement, cpip_referent=site.cpip)


def test_le_cpip_cree_un_dossier_et_voit_reliquat_et_eligibilite(site, client):
    client.force_login(site.cpip)
    reponse = client.post(CREER, saisie(site))
    personne = Personne.objects.get()
    assert reponse.url == personne.get_absolute_url()
    assert personne.creee_par == site.cpip
    assert personne.date_liberation_saisie_par == site.cpip
    assert personne.historique_dates_liberation.count() == 1
    page = client.get(personne.get_absolute_url()).content.decode()
    assert "11 mois et 3 jours" in page
    assert "Éligible" in page
    assert "Fenêtre d&#x27;éligibilité" in page or "Fenêtre d'éligibilité" in page
    assert acces.reconcilier().total.total == 0


def test_doublon_nom_et_date_de_naissance_signale_puis_confirme(site, client, personne):
    client.force_login(site.cpip)
    valeurs = saisie(
        site,
        nom=personne.nom.upper(),
        prenom=personne.prenom,
        date_naissance=personne.date_naissance.isoformat(),
        numero_ecrou="999999",
    )
    reponse = client.post(CREER, valeurs)
    contenu = html.unescape(reponse.content.decode())
    assert reponse.status_code == 200
    assert "Doublon possible" in contenu
    assert personne.numero_ecrou in contenu
    assert Personne.objects.count() == 1
    reponse = client.post(CREER, {**valeurs, "pas_un_doublon": "on"})
    assert reponse.status_code == 302
    assert Personne.objects.count() == 2


def test_meme_ecrou_dans_l_etablissement_refuse_meme_confirme(site, client, personne):
    client.force_login(site.cpip)
    reponse = client.post(
        CREER, saisie(site, numero_ecrou=personne.numero_ecrou, pas_un_doublon="on")
    )
    assert "déjà attribué" in html.unescape(reponse.content.decode())
    assert Personne.objects.count() == 1


@pytest.mark.parametrize(
    ("champ", "valeur", "message"),
    [
        ("date_naissance", "31/02/1990", "date valide"),
        ("date_naissance", "2999-01-01", "date de naissance passée"),
        ("date_liberation_previsible", "pas une date", "date valide"),
        ("nom", "x" * 5000, "150 caractères"),
        ("etablissement", "999999", "Sélectionnez un choix valide"),
        ("cpip_referent", "999999", "Sélectionnez un choix valide"),
        ("date_liberation_source", "", "d'où vient"),
    ],
)
def test_saisie_invalide_donne_un_message_sans_rien_enregistrer(
    site, client, champ, valeur, message
):
    client.force_login(site.cpip)
    reponse = client.post(CREER, saisie(site, **{champ: valeur}))
    assert reponse.status_code == 200
    assert message in html.unescape(reponse.content.decode())
    assert not Personne.objects.exists()


def test_le_html_saisi_est_echappe(site, client):
    client.force_login(site.cpip)
    client.post(CREER, saisie(site, nom="<script>alert(1)</script>"))
    personne = Personne.objects.get()
    page = client.get(personne.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page.lower()
    assert "&lt;script&gt;" in page.lower()


def test_un_cpip_ne_cree_pas_de_dossier_dans_un_autre_etablissement(site, autre_site, client):
    client.force_login(site.cpip)
    reponse = client.post(
        CREER, saisie(site, etablissement=autre_site.implantation.etablissement.pk)
    )
    assert reponse.status_code == 200
    assert not Personne.objects.exists()


@pytest.mark.parametrize("role", ["cip", "orienteur", "cpip_mo", "direction"])
def test_hors_spip_pas_de_creation(site, client, role):
    client.force_login(getattr(site, role))
    assert client.get(CREER).status_code == 403
    assert client.post(CREER, saisie(site)).status_code == 403
    assert not Personne.objects.exists()


def test_modifier_la_date_de_liberation_l_historise(site, client, personne):
    client.force_login(site.dpip)
    nouvelle = timezone.localdate() + relativedelta(months=8)
    url = reverse("parcours:personne_modifier", args=[personne.pk])
    valeurs = saisie(
        site,
        nom=personne.nom,
        prenom=personne.prenom,
        date_naissance=personne.date_naissance.isoformat(),
        numero_ecrou=personne.numero_ecrou,
        date_liberation_previsible=nouvelle.isoformat(),
        date_liberation_source="decision_jap",
        version=personne.version,
    )
    assert client.post(url, valeurs).status_code == 302
    personne.refresh_from_db()
    assert personne.date_liberation_previsible == nouvelle
    assert personne.date_liberation_saisie_par == site.dpip
    assert personne.version == 2
    derniere = HistoriqueDateLiberation.objects.filter(personne=personne).first()
    assert derniere.date_liberation_previsible == nouvelle
    assert derniere.source == "decision_jap" and derniere.saisie_par == site.dpip
    assert personne.historique_dates_liberation.count() == 2


def test_une_modification_concurrente_n_ecrase_rien(site, personne):
    premiere = Personne.objects.get(pk=personne.pk)
    seconde = Personne.objects.get(pk=personne.pk)
    premiere.nom = "Premier"
    services.modifier_personne(personne=premiere, auteur=site.cpip, version_lue=1)
    seconde.nom = "Second"
    with pytest.raises(ModificationConcurrente):
        services.modifier_personne(personne=seconde, auteur=site.dpip, version_lue=1)
    personne.refresh_from_db()
    assert personne.nom == "Premier"


def test_modification_concurrente_par_la_page_message_francais(site, client, personne):
    client.force_login(site.cpip)
    url = reverse("parcours:personne_modifier", args=[personne.pk])
    valeurs = saisie(
        site,
        nom="Nouveau",
        prenom=personne.prenom,
        date_naissance=personne.date_naissance.isoformat(),
        numero_ecrou=personne.numero_ecrou,
        version=personne.version,
    )
    Personne.objects.filter(pk=personne.pk).update(version=5)
    reponse = client.post(url, valeurs)
    assert "modifié par quelqu" in html.unescape(reponse.content.decode())
    personne.refresh_from_db()
    assert personne.nom != "Nouveau"


def test_changer_le_statut_annule_la_confirmation_de_condamnation(site, personne):
    personne.statut_penal = StatutPenal.MIXTE
    personne.save()
    services.confirmer_condamnation(personne=personne, auteur=site.cpip)
    personne.refresh_from_db()
    assert personne.condamnation_confirmee_par == site.cpip
    personne.statut_penal = StatutPenal.CONDAMNE
    services.modifier_personne(personne=personne, auteur=site.cpip, version_lue=personne.version)
    personne.refresh_from_db()
    assert personne.condamnation_confirmee_le is None


def test_confirmer_une_condamnation_mixte_par_la_page(site, client, personne):
    Personne.objects.filter(pk=personne.pk).update(statut_penal=StatutPenal.MIXTE)
    client.force_login(site.cpip)
    url = reverse("parcours:condamnation_confirmer", args=[personne.pk])
    assert "À compléter" in client.get(personne.get_absolute_url()).content.decode()
    client.post(url)
    personne.refresh_from_db()
    assert personne.condamnation_confirmee_le is not None
    reponse = client.post(url, follow=True)
    assert "déjà été confirmée" in html.unescape(reponse.content.decode())


def test_information_iae_tracee_avec_date_et_auteur(site, client, personne):
    client.force_login(site.cpip)
    url = reverse("parcours:information_ajouter", args=[personne.pk])
    hier = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert client.post(url, {"date": hier, "canal": "entretien_arrivant"}).status_code == 302
    information = personne.informations.get()
    assert information.donnee_par == site.cpip
    assert "Entretien arrivant" in client.get(personne.get_absolute_url()).content.decode()
    demain = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    reponse = client.post(url, {"date": demain, "canal": "flyer"})
    assert "ne peut être à venir" in html.unescape(reponse.content.decode())


# --- Qui voit quelle page du dossier -------------------------------------------------------------


PAGES = ["parcours:personne", "parcours:personne_modifier", "parcours:information_ajouter"]


@pytest.mark.parametrize("nom_page", PAGES)
def test_le_referent_et_son_collegue_ouvrent_le_dossier(site, client, personne, nom_page):
    collegue = UtilisateurFactory(cpip=True, structure=site.implantation.spip)
    for agent in (site.cpip, collegue):
        client.force_login(agent)
        assert client.get(reverse(nom_page, args=[personne.pk])).status_code == 200


@pytest.mark.parametrize("nom_page", PAGES)
def test_hors_perimetre_404(site, autre_site, client, personne, nom_page):
    for agent in (autre_site.cpip, autre_site.dpip, site.cip, site.orienteur, site.cpip_mo):
        client.force_login(agent)
        assert client.get(reverse(nom_page, args=[personne.pk])).status_code == 404


@pytest.mark.parametrize("nom_page", PAGES)
def test_anonyme_redirige(client, personne, nom_page):
    reponse = client.get(reverse(nom_page, args=[personne.pk]))
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("connexion"))


def test_la_siae_prescrite_lit_le_dossier_sans_le_modifier(site, client):
    prescription = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    client.force_login(site.cip)
    personne = prescription.personne
    page = client.get(personne.get_absolute_url()).content.decode()
    assert "Modifier le dossier" not in page
    assert client.get(reverse("parcours:personne_modifier", args=[personne.pk])).status_code == 403
    assert (
        client.post(reverse("parcours:information_ajouter", args=[personne.pk])).status_code == 403
    )


def test_identifiant_inexistant_404(site, client):
    client.force_login(site.cpip)
    assert client.get(reverse("parcours:personne", args=[987654])).status_code == 404
