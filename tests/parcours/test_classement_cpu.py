"""La demande de classement au travail et la CPU : la commission conseille (avis), le chef
d'établissement décide (décision enregistrée à part, après la CPU)."""

import datetime
import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours import services
from parcours.enums import AvisCPU, DecisionClassement, StatutDemandeClassement
from parcours.exceptions import TransitionInterdite
from parcours.models import DemandeClassement, ExamenCPU, SessionCPU
from tests.factories import OrientationFactory, PersonneFactory

HIER = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def personne(site):
    return PersonneFactory(etablissement=site.implantation.etablissement, cpip_referent=site.cpip)


@pytest.fixture
def session(site):
    return services.creer_session_cpu(
        etablissement=site.implantation.etablissement, date=HIER, auteur=site.cpip
    )


def test_demande_de_classement_preparee_puis_deposee(site, client, personne):
    orientation = OrientationFactory(personne=personne)
    client.force_login(site.cpip)
    url = reverse("parcours:demande_classement_creer", args=[personne.pk])
    assert client.post(url, {"date_demande": HIER.isoformat()}).status_code == 302
    demande = DemandeClassement.objects.get()
    assert demande.aidee_par == site.cpip and demande.orientation == orientation
    reponse = client.post(url, {"date_demande": HIER.isoformat()}, follow=True)
    assert "déjà en préparation" in html.unescape(reponse.content.decode())
    client.post(reverse("parcours:demande_classement_deposer", args=[demande.pk]))
    demande.refresh_from_db()
    assert demande.statut == StatutDemandeClassement.DEPOSEE and demande.deposee_par == site.cpip
    with pytest.raises(TransitionInterdite):
        services.deposer_demande_classement(demande=demande, auteur=site.cpip)


@pytest.mark.parametrize("role", ["cip", "orienteur"])
def test_seul_le_spip_prepare_la_demande(site, personne, role):
    with pytest.raises(PermissionDenied):
        services.preparer_demande_classement(
            personne=personne, auteur=getattr(site, role), date_demande=HIER
        )


def test_la_cpu_liste_les_personnes_avec_l_avis_du_spip_puis_la_decision(site, client, personne):
    orientation = OrientationFactory(personne=personne)
    services.donner_avis(
        orientation=orientation,
        auteur=site.cpip,
        avis="reserve",
        motifs="Projet à affiner",
        motif_principal="autre_projet",
    )
    client.force_login(site.cpip)
    reponse = client.post(reverse("parcours:sessions_cpu"), {"date": HIER.isoformat()})
    session = SessionCPU.objects.get()
    assert reponse.url == session.get_absolute_url()
    client.post(session.get_absolute_url(), {"numero_ecrou": personne.numero_ecrou})
    examen = ExamenCPU.objects.get()
    assert examen.orientation == orientation
    page = html.unescape(client.get(session.get_absolute_url()).content.decode())
    assert "Réservé" in page and "Projet à affiner" in page
    client.post(reverse("parcours:examen_avis", args=[examen.pk]), {"avis": "favorable"})
    client.post(
        reverse("parcours:examen_decision", args=[examen.pk]),
        {"decision": "classe", "date_decision": timezone.localdate().isoformat()},
    )
    examen.refresh_from_db()
    assert examen.avis_cpu == AvisCPU.FAVORABLE and examen.avis_cpu_par == site.cpip
    assert examen.decision == DecisionClassement.CLASSE
    assert examen.decision_saisie_par == site.cpip
    assert "Classé au travail" in client.get(personne.get_absolute_url()).content.decode()


def test_inscription_d_un_ecrou_inconnu_message(site, client, session):
    client.force_login(site.cpip)
    reponse = client.post(session.get_absolute_url(), {"numero_ecrou": "inconnu"})
    assert "Aucun dossier" in reponse.content.decode()
    assert not ExamenCPU.objects.exists()


def test_inscrire_deux_fois_refuse(site, session, personne):
    services.inscrire_en_cpu(session=session, personne=personne, auteur=site.cpip)
    with pytest.raises(TransitionInterdite):
        services.inscrire_en_cpu(session=session, personne=personne, auteur=site.cpip)


def test_personne_d_un_autre_etablissement_refusee(site, autre_site, session):
    etrangere = PersonneFactory(etablissement=autre_site.implantation.etablissement)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.inscrire_en_cpu(session=session, personne=etrangere, auteur=site.cpip)


def test_la_decision_ne_precede_pas_la_cpu_et_ne_s_ecrase_pas(site, session, personne):
    examen = services.inscrire_en_cpu(session=session, personne=personne, auteur=site.cpip)
    with pytest.raises(ValidationError):
        services.enregistrer_decision_classement(
            examen=examen,
            auteur=site.cpip,
            decision="classe",
            date_decision=HIER - datetime.timedelta(days=1),
        )
    services.enregistrer_decision_classement(
        examen=examen, auteur=site.cpip, decision="non_classe", date_decision=HIER
    )
    with pytest.raises(TransitionInterdite):
        services.enregistrer_decision_classement(
            examen=examen, auteur=site.cpip, decision="classe", date_decision=HIER
        )


def test_une_cpu_par_jour(site, session):
    with pytest.raises(ValidationError):
        services.creer_session_cpu(
            etablissement=site.implantation.etablissement, date=HIER, auteur=site.dpip
        )


def test_pages_cpu_owner_collegue_exterieur_anonyme(site, autre_site, client, session, personne):
    examen = services.inscrire_en_cpu(session=session, personne=personne, auteur=site.cpip)
    pages = [
        reverse("parcours:session_cpu", args=[session.pk]),
        reverse("parcours:examen_avis", args=[examen.pk]),
        reverse("parcours:examen_decision", args=[examen.pk]),
    ]
    for agent in (site.cpip, site.dpip):
        client.force_login(agent)
        assert all(client.get(p).status_code == 200 for p in pages)
    for agent in (autre_site.cpip, site.cip, site.orienteur):
        client.force_login(agent)
        assert all(client.get(p).status_code == 404 for p in pages)
        assert (
            client.post(pages[2], {"decision": "classe", "date_decision": HIER}).status_code == 404
        )
    client.force_login(site.cip)
    assert client.get(reverse("parcours:sessions_cpu")).status_code == 403
    client.logout()
    assert all(client.get(p).url.startswith(reverse("connexion")) for p in pages)
    examen.refresh_from_db()
    assert examen.decision == ""
