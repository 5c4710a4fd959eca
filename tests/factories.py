"""Fabriques de test (factory_boy, Faker fr_FR), avec des traits par rôle :
``UtilisateurFactory(cpip=True, structure=antenne)``."""

from __future__ import annotations

import datetime

import factory
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from factory.django import DjangoModelFactory

from charte_iae import acces, services
from charte_iae.enums import Disp, Fonction, Milieu, TypeEtablissement, TypeStructure
from charte_iae.models import Affectation, Etablissement, Implantation, Structure, Utilisateur
from parcours.enums import (
    AvisSpip,
    DecisionEntretien,
    SourceDateLiberation,
    StatutPenal,
    TypePieceIdentite,
)
from parcours.models import (
    EntretienRecrutement,
    HistoriqueDateLiberation,
    Orientation,
    ParcoursIAE,
    Personne,
    Prescription,
)

factory.Faker._DEFAULT_LOCALE = "fr_FR"

MOT_DE_PASSE = "Mot-de-passe-de-test-2026"


class EtablissementFactory(DjangoModelFactory):
    class Meta:
        model = Etablissement

    nom = factory.Sequence(lambda n: f"Centre pénitentiaire n° {n}")
    code = factory.Sequence(lambda n: f"ETAB{n:04d}")
    disp = Disp.RENNES
    type = TypeEtablissement.CENTRE_PENITENTIAIRE


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    nom = factory.Sequence(lambda n: f"Structure {n}")
    type = TypeStructure.PARTENAIRE
    milieu = ""

    class Params:
        spip_mf = factory.Trait(
            type=TypeStructure.SPIP,
            milieu=Milieu.FERME,
            etablissement=factory.SubFactory(EtablissementFactory),
            nom=factory.Sequence(lambda n: f"SPIP antenne milieu fermé {n}"),
        )
        spip_mo = factory.Trait(
            type=TypeStructure.SPIP,
            milieu=Milieu.OUVERT,
            nom=factory.Sequence(lambda n: f"SPIP antenne MO {n}"),
        )
        siae = factory.Trait(type=TypeStructure.SIAE, nom=factory.Sequence(lambda n: f"SIAE {n}"))
        service_etablissement = factory.Trait(
            type=TypeStructure.ETABLISSEMENT,
            etablissement=factory.SubFactory(EtablissementFactory),
            nom=factory.Sequence(lambda n: f"Détention {n}"),
        )


class ImplantationFactory(DjangoModelFactory):
    class Meta:
        model = Implantation
        skip_postgeneration_save = True

    etablissement = factory.SubFactory(EtablissementFactory)
    spip = factory.SubFactory(
        StructureFactory, spip_mf=True, etablissement=factory.SelfAttribute("..etablissement")
    )
    siae = factory.SubFactory(StructureFactory, siae=True)
    debut_implantation = datetime.date(2026, 1, 5)
    date_demarrage = datetime.date(2026, 3, 2)

    @factory.post_generation
    def charte(obj: Implantation, create: bool, extracted, **kwargs) -> None:
        if create:
            services.creer_charte(implantation=obj)


_TYPE_PAR_FONCTION = {
    Fonction.CPIP_MF: {"spip_mf": True},
    Fonction.DPIP: {"spip_mf": True},
    Fonction.REFERENT_IAE: {"spip_mf": True},
    Fonction.CPIP_MO: {"spip_mo": True},
    Fonction.CIP: {"siae": True},
    Fonction.ENCADRANT_TECHNIQUE: {"siae": True},
    Fonction.DIRECTION_SIAE: {"siae": True},
    Fonction.REFERENT_TRAVAIL: {"service_etablissement": True},
}


def _structure_par_defaut(fonction: str) -> Structure:
    return StructureFactory(**_TYPE_PAR_FONCTION.get(fonction, {}))


class AffectationFactory(DjangoModelFactory):
    """Passe par le service, pour que l'appartenance au groupe et les droits suivent."""

    class Meta:
        model = Affectation

    utilisateur = factory.SubFactory("tests.factories.UtilisateurFactory")
    structure = factory.SubFactory(StructureFactory, spip_mf=True)
    fonction = Fonction.CPIP_MF

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.affecter(**kwargs)


class UtilisateurFactory(DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@test.justice.fr")
    prenom = factory.Faker("first_name")
    nom = factory.Faker("last_name")
    password = factory.django.Password(MOT_DE_PASSE)

    class Params:
        fonction = None
        structure = factory.Maybe(
            "fonction",
            yes_declaration=factory.LazyAttribute(lambda o: _structure_par_defaut(o.fonction)),
            no_declaration=None,
        )
        cpip = factory.Trait(fonction=Fonction.CPIP_MF)
        cpip_mo = factory.Trait(fonction=Fonction.CPIP_MO)
        dpip = factory.Trait(fonction=Fonction.DPIP)
        referent_iae = factory.Trait(fonction=Fonction.REFERENT_IAE)
        cip = factory.Trait(fonction=Fonction.CIP)
        et = factory.Trait(fonction=Fonction.ENCADRANT_TECHNIQUE)
        direction = factory.Trait(fonction=Fonction.DIRECTION_SIAE)
        orienteur = factory.Trait(fonction=Fonction.REFERENT_TRAVAIL)

    affectation = factory.Maybe(
        "fonction",
        yes_declaration=factory.RelatedFactory(
            AffectationFactory,
            factory_related_name="utilisateur",
            structure=factory.SelfAttribute("..structure"),
            fonction=factory.SelfAttribute("..fonction"),
        ),
        no_declaration=None,
    )


# --- Parcours ----------------------------------------------------------------------------------


class PersonneFactory(DjangoModelFactory):
    """Une personne condamnée, éligible aujourd'hui (reliquat d'un an, CNI valide), avec ses
    droits appliqués. ``PersonneFactory(etablissement=site.implantation.etablissement)``."""

    class Meta:
        model = Personne
        skip_postgeneration_save = True

    nom = factory.Faker("last_name")
    prenom = factory.Faker("first_name")
    date_naissance = factory.Faker("date_of_birth", minimum_age=19, maximum_age=60)
    numero_ecrou = factory.Sequence(lambda n: f"{n:06d}")
    etablissement = factory.SubFactory(EtablissementFactory)
    statut_penal = StatutPenal.CONDAMNE
    date_liberation_previsible = factory.LazyFunction(
        lambda: timezone.localdate() + relativedelta(months=12)
    )
    date_liberation_source = SourceDateLiberation.FICHE_PENALE
    date_liberation_saisie_le = factory.LazyFunction(timezone.now)
    piece_identite_type = TypePieceIdentite.CNI
    piece_identite_expiration = factory.LazyFunction(
        lambda: timezone.localdate() + relativedelta(years=5)
    )

    class Params:
        prevenu = factory.Trait(statut_penal=StatutPenal.PREVENU)
        sans_piece = factory.Trait(piece_identite_type="", piece_identite_expiration=None)

    @factory.post_generation
    def droits(obj: Personne, create: bool, extracted, **kwargs) -> None:
        if create:
            HistoriqueDateLiberation.objects.create(
                personne=obj,
                date_liberation_previsible=obj.date_liberation_previsible,
                source=obj.date_liberation_source,
                saisie_par=obj.date_liberation_saisie_par,
            )
            acces.appliquer(obj)


class OrientationFactory(DjangoModelFactory):
    """Une orientation ouverte, en attente de l'avis du SPIP (trait ``avis_favorable``)."""

    class Meta:
        model = Orientation
        skip_postgeneration_save = True

    personne = factory.SubFactory(PersonneFactory)
    motif = "Souhaite travailler et se former en détention."
    signalee_le = factory.LazyFunction(timezone.localdate)
    signalee_par = factory.SubFactory(UtilisateurFactory, orienteur=True)

    class Params:
        avis_favorable = factory.Trait(
            avis=AvisSpip.FAVORABLE,
            avis_motifs="Projet cohérent.",
            avis_le=factory.LazyFunction(timezone.now),
            avis_par=factory.SelfAttribute("signalee_par"),
        )

    @factory.post_generation
    def droits(obj: Orientation, create: bool, extracted, **kwargs) -> None:
        if create:
            acces.appliquer(obj)


class PrescriptionFactory(DjangoModelFactory):
    """Une prescription active vers la SIAE d'une implantation ; la personne et l'orientation
    sont dans l'établissement de l'implantation. Les droits de la SIAE suivent.
    ``PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)``."""

    class Meta:
        model = Prescription
        skip_postgeneration_save = True

    implantation = factory.SubFactory(ImplantationFactory)
    personne = factory.SubFactory(
        PersonneFactory, etablissement=factory.SelfAttribute("..implantation.etablissement")
    )
    orientation = factory.SubFactory(
        OrientationFactory,
        personne=factory.SelfAttribute("..personne"),
        avis_favorable=True,
    )
    prescrite_par = factory.SubFactory(UtilisateurFactory)
    eligibilite = factory.LazyFunction(lambda: {"eligible": True, "criteres": []})

    @factory.post_generation
    def droits(obj: Prescription, create: bool, extracted, **kwargs) -> None:
        if create:
            acces.appliquer([obj.personne, obj.orientation])


# --- Parcours côté SIAE et sortie (issue 5) -------------------------------------------------------


class EntretienRecrutementFactory(DjangoModelFactory):
    """Un entretien qui a retenu la personne, sur une prescription active.
    ``EntretienRecrutementFactory(prescription=prescription, saisi_par=site.cip)``."""

    class Meta:
        model = EntretienRecrutement
        skip_postgeneration_save = True

    prescription = factory.SubFactory(PrescriptionFactory)
    personne = factory.SelfAttribute("prescription.personne")
    date = factory.LazyFunction(timezone.localdate)
    saisi_par = factory.SubFactory(UtilisateurFactory, cip=True)
    decision = DecisionEntretien.RETENU
    decide_le = factory.LazyFunction(timezone.now)
    decide_par = factory.SelfAttribute("saisi_par")

    @factory.post_generation
    def interlocuteurs(obj: EntretienRecrutement, create: bool, extracted, **kwargs) -> None:
        if create:
            obj.interlocuteurs.set(extracted or [obj.saisi_par])


class ParcoursIAEFactory(DjangoModelFactory):
    """Un parcours en cours, ouvert après un entretien qui a retenu la personne."""

    class Meta:
        model = ParcoursIAE

    entretien = factory.SubFactory(EntretienRecrutementFactory)
    prescription = factory.SelfAttribute("entretien.prescription")
    personne = factory.SelfAttribute("entretien.personne")
    implantation = factory.SelfAttribute("prescription.implantation")
    date_debut = factory.LazyFunction(timezone.localdate)
    activite_support = "Atelier de conditionnement"
    poste = "Opérateur de conditionnement"
    heures_hebdomadaires = 24
    cree_par = factory.SelfAttribute("entretien.saisi_par")
