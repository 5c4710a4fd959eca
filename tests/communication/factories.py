"""Fabriques de la communication : ``EntreeCahierFactory(cahier__personne=p, auteur=cpip)``."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from communication.enums import TypeReunion
from communication.models import (
    CahierTransmission,
    EntreeCahier,
    PersonneRessource,
    Reunion,
)
from tests.factories import ImplantationFactory, PersonneFactory, UtilisateurFactory


class CahierTransmissionFactory(DjangoModelFactory):
    class Meta:
        model = CahierTransmission
        django_get_or_create = ("personne",)

    personne = factory.SubFactory(PersonneFactory)


class EntreeCahierFactory(DjangoModelFactory):
    """Une transmission sans information personnelle ; la structure est celle de l'auteur."""

    class Meta:
        model = EntreeCahier

    cahier = factory.SubFactory(CahierTransmissionFactory)
    auteur = factory.SubFactory(UtilisateurFactory, cpip=True)
    structure = factory.LazyAttribute(lambda o: o.auteur.affectations_actives[0].structure)
    texte = factory.Faker("sentence", nb_words=12)


class PersonneRessourceFactory(DjangoModelFactory):
    class Meta:
        model = PersonneRessource

    implantation = factory.SubFactory(ImplantationFactory)
    nom = factory.Faker("name")
    organisation = "France Travail"
    fonction = "Conseiller justice"
    telephone = "01 23 45 67 89"
    email = factory.Sequence(lambda n: f"contact{n}@partenaire.fr")
    creee_par = factory.SubFactory(UtilisateurFactory)
    modifiee_par = factory.SelfAttribute("creee_par")


class ReunionFactory(DjangoModelFactory):
    class Meta:
        model = Reunion

    implantation = factory.SubFactory(ImplantationFactory)
    type = TypeReunion.COMMISSION_INSERTION
    debut = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    creee_par = factory.SubFactory(UtilisateurFactory)
    modifiee_par = factory.SelfAttribute("creee_par")
