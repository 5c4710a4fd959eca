"""La règle de la charte : une information personnelle n'est partagée que si la personne en a
été informée au préalable (quand, comment), ou si elle l'a remise elle-même. Le formulaire
refuse sinon, en français ; le service et la base refusent aussi."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from communication.models import EntreeCahier
from communication.services import ecrire_entree
from tests.communication.conftest import donnees_entree
from tests.communication.factories import EntreeCahierFactory


def _ecrire(client, personne, **donnees):
    return client.post(
        reverse("communication:cahier_ecrire", args=[personne.pk]), donnees_entree(**donnees)
    )


def test_partage_sans_information_de_la_personne_refuse(client, site, personne):
    client.force_login(site.cip)
    reponse = _ecrire(client, personne, partage_information_personnelle="on")
    assert reponse.status_code == 422
    assert "informée au préalable" in reponse.content.decode()
    assert not EntreeCahier.objects.exists()


def test_personne_informee_sans_date_ni_moyen_refuse(client, site, personne):
    client.force_login(site.cpip)
    reponse = _ecrire(
        client, personne, partage_information_personnelle="on", information_personne="informee"
    )
    html = reponse.content.decode()
    assert reponse.status_code == 422
    assert "Indiquez la date à laquelle la personne a été informée." in html
    assert "Indiquez comment la personne a été informée" in html
    assert not EntreeCahier.objects.exists()


def test_information_datee_dans_le_futur_refusee(client, site, personne):
    client.force_login(site.cpip)
    demain = timezone.localdate() + datetime.timedelta(days=1)
    reponse = _ecrire(
        client,
        personne,
        partage_information_personnelle="on",
        information_personne="informee",
        personne_informee_le=demain.isoformat(),
        personne_informee_moyen="oral",
    )
    assert reponse.status_code == 422
    assert "avant le partage" in reponse.content.decode()
    assert not EntreeCahier.objects.exists()


def test_personne_informee_oralement_la_trace_s_affiche_sur_l_entree(client, site, personne):
    client.force_login(site.cip)
    reponse = _ecrire(
        client,
        personne,
        texte="Hébergement trouvé chez sa sœur à la sortie.",
        domaine="logement",
        partage_information_personnelle="on",
        information_personne="informee",
        personne_informee_le="2026-11-20",
        personne_informee_moyen="notice_ecrite",
    )
    assert reponse.status_code == 302
    entree = EntreeCahier.objects.get()
    assert entree.personne_informee_le == datetime.date(2026, 11, 20)
    html = client.get(reverse("communication:cahier", args=[personne.pk])).content.decode()
    assert (
        "Personne informée le 20/11/2026 (par la notice d&#x27;information écrite) avant le partage."
        in html
    )


def test_information_remise_par_la_personne_elle_meme(client, site, personne):
    client.force_login(site.cpip)
    reponse = _ecrire(
        client,
        personne,
        partage_information_personnelle="on",
        information_personne="remise_par_la_personne",
    )
    assert reponse.status_code == 302
    html = client.get(reverse("communication:cahier", args=[personne.pk])).content.decode()
    assert "Information remise par la personne elle-même." in html


def test_sans_partage_aucune_trace_n_est_gardee(client, site, personne):
    client.force_login(site.cpip)
    _ecrire(client, personne, information_personne="informee", personne_informee_moyen="oral")
    entree = EntreeCahier.objects.get()
    assert (entree.information_personne, entree.personne_informee_moyen) == ("", "")


def test_le_cahier_renvoie_a_la_notice_d_information(client, site, personne):
    client.force_login(site.cip)
    html = client.get(reverse("communication:cahier", args=[personne.pk])).content.decode()
    assert reverse("notice_information", args=[site.implantation.pk]) in html


def test_le_service_refuse_aussi_hors_formulaire(site, personne):
    entree = EntreeCahier(texte="Dette de loyer signalée.", partage_information_personnelle=True)
    with pytest.raises(ValidationError) as erreur:
        ecrire_entree(auteur=site.cpip, personne=personne, entree=entree)
    assert "information_personne" in erreur.value.message_dict
    assert not EntreeCahier.objects.exists()


def test_la_base_refuse_un_partage_sans_information(site, personne):
    with pytest.raises(IntegrityError), transaction.atomic():
        EntreeCahierFactory(
            cahier__personne=personne, auteur=site.cpip, partage_information_personnelle=True
        )
