"""Pages de la communication (cahier, annuaire, réunions, notifications) et statistiques :
autant de requêtes avec 1 qu'avec 50 lignes, nombre épinglé."""

import datetime

from django.urls import reverse

from charte_iae.notifications import notifier
from tests.communication.factories import (
    EntreeCahierFactory,
    PersonneRessourceFactory,
    ReunionFactory,
)
from tests.factories import OrientationFactory, PersonneFactory, PrescriptionFactory


def test_cahier_d_une_personne(site, invariance):
    personne = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip).personne

    def ajouter(n):
        for _ in range(n):
            entree = EntreeCahierFactory(cahier__personne=personne, auteur=site.cpip)
            entree.lectures.create(lecteur=site.et)

    invariance(
        site.cip,
        reverse("communication:cahier", args=[personne.pk]),
        ajouter,
        13,
        r'id="entree-\d+"',
    )


def test_liste_des_cahiers(site, invariance):
    def ajouter(n):
        for _ in range(n):
            autre = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
            EntreeCahierFactory(cahier__personne=autre.personne, auteur=site.cip)

    invariance(
        site.cpip,
        reverse("communication:cahiers"),
        ajouter,
        8,
        r'href="/cahiers/personnes/\d+/"',
    )


def test_annuaire(site, invariance):
    def ajouter(n):
        for _ in range(n):
            ressource = PersonneRessourceFactory(implantation=site.implantation)
            ressource.domaines.create(domaine="logement")
            ressource.domaines.create(domaine="mobilite")

    invariance(site.direction, reverse("communication:annuaire"), ajouter, 10, "Logement")


def test_liste_des_reunions(site, invariance):
    def ajouter(n):
        for _ in range(n):
            ReunionFactory(implantation=site.implantation).participants.add(site.cip)

    invariance(
        site.cip,
        reverse("communication:reunions"),
        ajouter,
        9,
        r'href="/reunions/\d+/"',
    )


def test_page_d_une_reunion(site, invariance):
    reunion = ReunionFactory(implantation=site.implantation)

    def ajouter(n):
        for _ in range(n):
            autre = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
            reunion.personnes.add(autre.personne)
            reunion.ressources.add(PersonneRessourceFactory(implantation=site.implantation))

    invariance(
        site.cip,
        reverse("communication:reunion", args=[reunion.pk]),
        ajouter,
        11,
        r'href="/parcours/personnes/\d+/"',
    )


def test_centre_de_notifications(site, invariance):
    def ajouter(n):
        for i in range(n):
            notifier(destinataires=[site.cip], texte=f"Élément n° {i} à lire.", lien="/")

    invariance(site.cip, reverse("communication:notifications"), ajouter, 8, "à lire")


def test_statistiques_de_pilotage(site, invariance):
    """Les statistiques agrègent en base : leur coût ne dépend pas du nombre de dossiers."""
    etablissement = site.implantation.etablissement
    jour = datetime.date.today()

    def ajouter(n):
        for i in range(n):
            personne = PersonneFactory(etablissement=etablissement, cpip_referent=site.cpip)
            OrientationFactory(
                personne=personne,
                signalee_par=site.orienteur,
                signalee_le=jour - datetime.timedelta(days=i % 20),
            )
            PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)

    # Une requête par étape de l'entonnoir (neuf étapes, de l'information à la sortie) et par
    # tableau de motifs (avis, non-recrutement, sortie, situation à la sortie) : fixe.
    invariance(site.dpip, reverse("parcours:statistiques"), ajouter, 22, None)
