"""Pages du parcours (listes, dossier, orientation, CPU) : autant de requêtes avec 1 qu'avec
50 lignes, nombre épinglé, droits compris."""

import datetime

from django.urls import reverse
from django.utils import timezone

from parcours.enums import AvisCPU, DecisionClassement, StatutDemandeClassement
from parcours.models import (
    DemandeClassement,
    ExamenCPU,
    HistoriqueDateLiberation,
    InformationIAE,
    SessionCPU,
)
from tests.factories import OrientationFactory, PersonneFactory, PrescriptionFactory

LIGNE_PERSONNE = r'href="/parcours/personnes/\d+/"'


def _personnes(site, avec_orientation=True):
    etablissement = site.implantation.etablissement

    def ajouter(n):
        for _ in range(n):
            personne = PersonneFactory(etablissement=etablissement, cpip_referent=site.cpip)
            if avec_orientation:
                OrientationFactory(personne=personne, signalee_par=site.orienteur)

    return ajouter


def test_liste_des_personnes_du_cpip(site, invariance):
    invariance(site.cpip, reverse("parcours:personnes"), _personnes(site), 8, LIGNE_PERSONNE)


def test_liste_des_personnes_filtree(site, invariance):
    url = reverse("parcours:personnes") + "?suivi=tous&statut_penal=condamne&q="
    invariance(site.cpip, url, _personnes(site), 8, LIGNE_PERSONNE)


def test_liste_des_personnes_de_la_siae(site, invariance):
    def ajouter(n):
        for _ in range(n):
            PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)

    invariance(site.cip, reverse("parcours:personnes"), ajouter, 8, LIGNE_PERSONNE)


def test_liste_des_eligibles(site, invariance):
    invariance(site.cpip, reverse("parcours:eligibles"), _personnes(site, False), 8, LIGNE_PERSONNE)


def test_orientations_en_attente_d_avis(site, invariance):
    invariance(
        site.cpip,
        reverse("parcours:orientations") + "?suivi=tous",
        _personnes(site),
        8,
        r'href="/parcours/orientations/\d+/"',
    )


def test_orientations_de_l_orienteur(site, invariance):
    invariance(
        site.orienteur,
        reverse("parcours:orientations") + "?etat=toutes",
        _personnes(site),
        8,
        r'href="/parcours/orientations/\d+/"',
    )


def test_dossier_d_une_personne(site, invariance):
    """Le dossier grandit (orientations avec avis, informations, dates de libération,
    demandes, examens en CPU) : toujours le même nombre de requêtes."""
    personne = PersonneFactory(etablissement=site.implantation.etablissement)
    jour = timezone.localdate()
    compteur = iter(range(1000))

    def ajouter(n):
        for _ in range(n):
            i = next(compteur)
            orientation = OrientationFactory(
                personne=personne, signalee_par=site.orienteur, avis_favorable=True
            )
            InformationIAE.objects.create(
                personne=personne, date=jour, canal="entretien_arrivant", donnee_par=site.cpip
            )
            HistoriqueDateLiberation.objects.create(
                personne=personne,
                date_liberation_previsible=personne.date_liberation_previsible,
                source="fiche_penale",
                saisie_par=site.cpip,
            )
            demande = DemandeClassement.objects.create(
                personne=personne,
                orientation=orientation,
                date_demande=jour,
                statut=StatutDemandeClassement.DEPOSEE,
                aidee_par=site.cpip,
                deposee_le=timezone.now(),
                deposee_par=site.cpip,
            )
            session = SessionCPU.objects.create(
                etablissement=site.implantation.etablissement,
                date=jour - datetime.timedelta(days=i),
                creee_par=site.cpip,
            )
            ExamenCPU.objects.create(
                session=session,
                personne=personne,
                orientation=orientation,
                demande_classement=demande,
                inscrit_par=site.cpip,
                avis_cpu=AvisCPU.FAVORABLE,
                avis_cpu_le=timezone.now(),
                avis_cpu_par=site.cpip,
                decision=DecisionClassement.CLASSE,
                decision_date=jour,
                decision_saisie_le=timezone.now(),
                decision_saisie_par=site.cpip,
            )

    invariance(
        site.cpip,
        reverse("parcours:personne", args=[personne.pk]),
        ajouter,
        17,  # dont la lecture journalisée (journal d'audit)
        r'href="/parcours/orientations/\d+/"',
    )


def test_page_d_une_orientation(site, client, django_assert_num_queries):
    """Page de détail sans lignes qui grandissent : son coût est fixe, même quand la personne
    a 50 autres orientations et d'autres dossiers existent."""
    personne = PersonneFactory(etablissement=site.implantation.etablissement)
    orientation = OrientationFactory(personne=personne, signalee_par=site.orienteur)
    url = reverse("parcours:orientation", args=[orientation.pk])
    client.force_login(site.cpip)
    client.get(url)
    with django_assert_num_queries(10):
        assert "Donner l'avis du SPIP" in client.get(url).content.decode()
    for _ in range(49):
        OrientationFactory(personne=personne, signalee_par=site.orienteur)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


def test_liste_des_cpu(site, invariance):
    jour = timezone.localdate()
    compteur = iter(range(1000))

    def ajouter(n):
        for _ in range(n):
            SessionCPU.objects.create(
                etablissement=site.implantation.etablissement,
                date=jour - datetime.timedelta(days=next(compteur)),
                creee_par=site.cpip,
            )

    invariance(
        site.cpip, reverse("parcours:sessions_cpu"), ajouter, 8, r'href="/parcours/cpu/\d+/"'
    )


def test_page_d_une_cpu(site, invariance):
    session = SessionCPU.objects.create(
        etablissement=site.implantation.etablissement,
        date=timezone.localdate(),
        creee_par=site.cpip,
    )

    def ajouter(n):
        for _ in range(n):
            personne = PersonneFactory(etablissement=site.implantation.etablissement)
            ExamenCPU.objects.create(
                session=session,
                personne=personne,
                inscrit_par=site.cpip,
                avis_cpu=AvisCPU.FAVORABLE,
                avis_cpu_le=timezone.now(),
                avis_cpu_par=site.cpip,
                decision=DecisionClassement.CLASSE,
                decision_date=timezone.localdate(),
                decision_saisie_le=timezone.now(),
                decision_saisie_par=site.cpip,
            )

    invariance(
        site.cpip,
        reverse("parcours:session_cpu", args=[session.pk]),
        ajouter,
        8,
        LIGNE_PERSONNE,
    )
