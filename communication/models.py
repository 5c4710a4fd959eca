"""Les échanges entre le SPIP et la SIAE (article « Modalités de communication » de la charte) :
le cahier de transmission de chaque personne, l'annuaire des personnes ressources par domaine
d'intervention, les réunions et commissions.

Portée :
- un cahier suit le dossier de la personne (``Personne.objects.for_user``), et seulement pour
  les agents du SPIP et les permanents / la direction de la SIAE — jamais un orienteur ;
- l'annuaire et les réunions appartiennent à une implantation : ses agents (antenne SPIP de
  milieu fermé, SIAE) les lisent ; un participant invité lit la réunion à laquelle il est convié.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from charte_iae.enums import FONCTIONS_SIAE, FONCTIONS_SPIP
from charte_iae.models import Implantation, Structure
from communication.enums import Domaine, InformationPersonne, MoyenInformation, TypeReunion
from parcours.models import Personne

_AGENT = settings.AUTH_USER_MODEL

# Qui tient un cahier : le SPIP (CPIP de milieu fermé et ouvert, encadrement) et la SIAE
# (permanents CIP et ET, direction) — ceux-là seulement, et pour les dossiers qu'ils voient.
FONCTIONS_CAHIER = FONCTIONS_SPIP | FONCTIONS_SIAE


def _actif(utilisateur: Any) -> bool:
    return bool(utilisateur and utilisateur.is_authenticated and utilisateur.is_active)


def personnes_du_cahier(utilisateur: Any) -> models.QuerySet[Personne]:
    """Les personnes dont l'agent peut ouvrir le cahier : celles dont il voit le dossier,
    s'il a une fonction qui tient le cahier (un orienteur, un partenaire n'en ont jamais)."""
    if not _actif(utilisateur) or not (utilisateur.fonctions & FONCTIONS_CAHIER):
        return Personne.objects.none()
    return Personne.objects.for_user(utilisateur)


def implantations_de(utilisateur: Any) -> models.QuerySet[Implantation]:
    """Les implantations dont l'agent est membre : affectation active à l'antenne SPIP de
    milieu fermé ou à la SIAE de l'implantation."""
    if not _actif(utilisateur):
        return Implantation.objects.none()
    structures = [a.structure_id for a in utilisateur.affectations_actives]
    return Implantation.objects.filter(
        models.Q(spip_id__in=structures) | models.Q(siae_id__in=structures)
    )


# --- Cahier de transmission ----------------------------------------------------------------------


class CahierTransmissionQuerySet(models.QuerySet["CahierTransmission"]):
    def for_user(self, utilisateur: Any) -> CahierTransmissionQuerySet:
        return self.filter(personne__in=personnes_du_cahier(utilisateur).values("pk"))


class CahierTransmission(models.Model):
    """Le cahier partagé par le CPIP référent et les permanents de la SIAE pour une personne."""

    personne = models.OneToOneField(
        Personne,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="cahier_transmission",
    )
    cree_le = models.DateTimeField("créé le", default=timezone.now, editable=False)

    objects = CahierTransmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "cahier de transmission"
        verbose_name_plural = "cahiers de transmission"

    def __str__(self) -> str:
        return f"Cahier de transmission n° {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("communication:cahier", args=[self.personne_id])


class EntreeCahierQuerySet(models.QuerySet["EntreeCahier"]):
    def for_user(self, utilisateur: Any) -> EntreeCahierQuerySet:
        return self.filter(cahier__personne__in=personnes_du_cahier(utilisateur).values("pk"))

    def non_lues_par(self, utilisateur: Any) -> EntreeCahierQuerySet:
        """Les entrées écrites par d'autres que l'agent n'a pas encore lues."""
        return self.exclude(auteur=utilisateur).exclude(lectures__lecteur=utilisateur)


class EntreeCahier(models.Model):
    """Une transmission. Jamais supprimée ni modifiée : on la corrige par une nouvelle entrée
    qui la référence. Une entrée qui partage une information personnelle garde la trace de
    l'information préalable de la personne (ou de ce qu'elle l'a remise elle-même)."""

    cahier = models.ForeignKey(
        CahierTransmission,
        verbose_name="cahier",
        on_delete=models.CASCADE,
        related_name="entrees",
    )
    auteur = models.ForeignKey(
        _AGENT, verbose_name="auteur", on_delete=models.PROTECT, related_name="entrees_cahier"
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure de l'auteur",
        on_delete=models.PROTECT,
        related_name="entrees_cahier",
    )
    ecrite_le = models.DateTimeField("écrite le", default=timezone.now, editable=False)
    domaine = models.CharField(
        "domaine d'intervention", max_length=30, choices=Domaine.choices, blank=True
    )
    texte = models.TextField(
        "transmission",
        max_length=5000,
        help_text="Pas de donnée de santé : au plus « besoin repéré / orienté vers l'unité sanitaire ».",
    )
    urgente = models.BooleanField("urgente", default=False)
    corrige = models.ForeignKey(
        "self",
        verbose_name="corrige l'entrée",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    partage_information_personnelle = models.BooleanField(
        "cette transmission partage une information personnelle sur la personne", default=False
    )
    information_personne = models.CharField(
        "information de la personne",
        max_length=30,
        choices=InformationPersonne.choices,
        blank=True,
    )
    personne_informee_le = models.DateField("personne informée le", null=True, blank=True)
    personne_informee_moyen = models.CharField(
        "informée comment", max_length=20, choices=MoyenInformation.choices, blank=True
    )
    jeton = models.UUIDField(
        "jeton du formulaire",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Un même formulaire envoyé deux fois n'écrit qu'une entrée.",
    )

    objects = EntreeCahierQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du cahier de transmission"
        verbose_name_plural = "entrées du cahier de transmission"
        ordering = ["-ecrite_le", "-pk"]
        indexes = [models.Index(fields=["cahier", "ecrite_le"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partage_information_personnelle=False)
                | ~models.Q(information_personne=""),
                name="entree_partage_avec_information",
                violation_error_message=(
                    "Une information personnelle n'est partagée que si la personne en a été "
                    "informée au préalable, ou si elle l'a remise elle-même."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(information_personne=InformationPersonne.INFORMEE)
                | (
                    models.Q(personne_informee_le__isnull=False)
                    & ~models.Q(personne_informee_moyen="")
                ),
                name="entree_information_datee",
                violation_error_message="Indiquez quand et comment la personne a été informée.",
            ),
        ]

    def __str__(self) -> str:
        return f"Transmission du {timezone.localtime(self.ecrite_le):%d/%m/%Y %H:%M}"

    def clean(self) -> None:
        erreurs: dict[str, str] = {}
        if not self.partage_information_personnelle:
            # Rien n'est partagé : aucune trace d'information à garder.
            self.information_personne = ""
        if self.information_personne != InformationPersonne.INFORMEE:
            self.personne_informee_le = None
            self.personne_informee_moyen = ""
        if self.partage_information_personnelle and not self.information_personne:
            erreurs["information_personne"] = (
                "Cette transmission partage une information personnelle : indiquez que la "
                "personne en a été informée au préalable (quand, comment) ou qu'elle a remis "
                "elle-même l'information. Sinon, informez-la d'abord."
            )
        if self.information_personne == InformationPersonne.INFORMEE:
            if not self.personne_informee_le:
                erreurs["personne_informee_le"] = (
                    "Indiquez la date à laquelle la personne a été informée."
                )
            elif self.personne_informee_le > timezone.localdate():
                erreurs["personne_informee_le"] = (
                    "La personne doit être informée avant le partage : la date ne peut pas être "
                    "dans le futur."
                )
            if not self.personne_informee_moyen:
                erreurs["personne_informee_moyen"] = (
                    "Indiquez comment la personne a été informée (oralement ou par la notice écrite)."
                )
        if self.corrige_id and self.cahier_id and self.corrige.cahier_id != self.cahier_id:
            erreurs["corrige"] = "On ne corrige qu'une entrée du même cahier."
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def information_affichee(self) -> str:
        """La trace de l'information de la personne, telle qu'elle s'affiche sur l'entrée."""
        if self.information_personne == InformationPersonne.INFORMEE:
            return (
                f"Personne informée le {self.personne_informee_le:%d/%m/%Y} "
                f"({self.get_personne_informee_moyen_display().lower()}) avant le partage."
            )
        if self.information_personne == InformationPersonne.REMISE_PAR_LA_PERSONNE:
            return "Information remise par la personne elle-même."
        return ""


class LectureEntree(models.Model):
    """L'accusé de lecture d'une entrée par un agent."""

    entree = models.ForeignKey(
        EntreeCahier, verbose_name="entrée", on_delete=models.CASCADE, related_name="lectures"
    )
    lecteur = models.ForeignKey(
        _AGENT, verbose_name="lecteur", on_delete=models.CASCADE, related_name="lectures_cahier"
    )
    lue_le = models.DateTimeField("lue le", default=timezone.now)

    class Meta:
        verbose_name = "lecture d'une entrée"
        verbose_name_plural = "lectures des entrées"
        ordering = ["lue_le", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entree", "lecteur"], name="lecture_unique"),
        ]

    def __str__(self) -> str:
        return f"Lue par {self.lecteur} le {timezone.localtime(self.lue_le):%d/%m/%Y %H:%M}"


# --- Annuaire des personnes ressources -------------------------------------------------------------


class PersonneRessourceQuerySet(models.QuerySet["PersonneRessource"]):
    def for_user(self, utilisateur: Any) -> PersonneRessourceQuerySet:
        """L'annuaire des implantations dont l'agent est membre."""
        return self.filter(implantation__in=implantations_de(utilisateur).values("pk"))

    def actives(self) -> PersonneRessourceQuerySet:
        return self.filter(active=True)

    def recherche(self, texte: str) -> PersonneRessourceQuerySet:
        resultat = self
        for mot in texte.split()[:8]:
            resultat = resultat.filter(
                models.Q(nom__icontains=mot)
                | models.Q(organisation__icontains=mot)
                | models.Q(fonction__icontains=mot)
                | models.Q(notes__icontains=mot)
            )
        return resultat


class PersonneRessource(models.Model):
    """Un contact de l'annuaire des personnes ressources d'une implantation, par domaine
    d'intervention (un professionnel, jamais une personne détenue)."""

    implantation = models.ForeignKey(
        Implantation,
        verbose_name="implantation",
        on_delete=models.PROTECT,
        related_name="personnes_ressources",
    )
    nom = models.CharField("nom et prénom", max_length=200)
    organisation = models.CharField("organisation", max_length=200)
    fonction = models.CharField("rôle", max_length=200, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    notes = models.TextField("notes", max_length=2000, blank=True)
    active = models.BooleanField(
        "dans l'annuaire",
        default=True,
        help_text="Décochez pour retirer le contact sans perdre l'historique.",
    )
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    creee_par = models.ForeignKey(
        _AGENT, verbose_name="créée par", on_delete=models.PROTECT, related_name="+", editable=False
    )
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now, editable=False)
    modifiee_par = models.ForeignKey(
        _AGENT,
        verbose_name="modifiée par",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    objects = PersonneRessourceQuerySet.as_manager()

    class Meta:
        verbose_name = "personne ressource"
        verbose_name_plural = "personnes ressources"
        ordering = ["nom", "pk"]
        indexes = [models.Index(fields=["implantation", "nom"])]

    def __str__(self) -> str:
        return f"{self.nom} ({self.organisation})"

    @property
    def libelles_domaines(self) -> list[str]:
        """Les libellés des domaines (à précharger : ``prefetch_related("domaines")``)."""
        return [d.get_domaine_display() for d in self.domaines.all()]


class DomaineRessource(models.Model):
    """Un domaine d'intervention d'une personne ressource."""

    ressource = models.ForeignKey(
        PersonneRessource,
        verbose_name="personne ressource",
        on_delete=models.CASCADE,
        related_name="domaines",
    )
    domaine = models.CharField("domaine", max_length=30, choices=Domaine.choices)

    class Meta:
        verbose_name = "domaine d'une personne ressource"
        verbose_name_plural = "domaines des personnes ressources"
        ordering = ["domaine"]
        constraints = [
            models.UniqueConstraint(
                fields=["ressource", "domaine"], name="domaine_ressource_unique"
            ),
        ]
        indexes = [models.Index(fields=["domaine", "ressource"])]

    def __str__(self) -> str:
        return self.get_domaine_display()


# --- Réunions et commissions ----------------------------------------------------------------------


class ReunionQuerySet(models.QuerySet["Reunion"]):
    def for_user(self, utilisateur: Any) -> ReunionQuerySet:
        """Les réunions des implantations de l'agent, et celles auxquelles il est convié."""
        if not _actif(utilisateur):
            return self.none()
        conviees = Reunion.participants.through.objects.filter(
            utilisateur_id=utilisateur.pk
        ).values("reunion_id")
        return self.filter(
            models.Q(implantation__in=implantations_de(utilisateur).values("pk"))
            | models.Q(pk__in=conviees)
        )

    def a_venir(self) -> ReunionQuerySet:
        return self.filter(debut__gte=timezone.now()).order_by("debut", "pk")


class Reunion(models.Model):
    """Une réunion ou une commission : commission de l'insertion professionnelle, réunion avec
    un partenaire (France Travail justice, Mission locale…), CPU."""

    implantation = models.ForeignKey(
        Implantation,
        verbose_name="implantation",
        on_delete=models.PROTECT,
        related_name="reunions",
    )
    type = models.CharField("type", max_length=30, choices=TypeReunion.choices)
    intitule = models.CharField(
        "intitulé",
        max_length=200,
        blank=True,
        help_text="Le nom local de la commission s'il diffère (il peut varier selon la DISP).",
    )
    debut = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=200, blank=True)
    ordre_du_jour = models.TextField("ordre du jour", max_length=5000, blank=True)
    compte_rendu = models.TextField(
        "compte rendu",
        max_length=20000,
        blank=True,
        help_text="Pour parler d'une personne, ajoutez-la aux personnes évoquées plutôt que d'écrire son nom.",
    )
    decisions = models.TextField("décisions", max_length=5000, blank=True)
    participants = models.ManyToManyField(
        _AGENT, verbose_name="agents participants", related_name="reunions", blank=True
    )
    ressources = models.ManyToManyField(
        PersonneRessource,
        verbose_name="personnes ressources participantes",
        related_name="reunions",
        blank=True,
    )
    personnes = models.ManyToManyField(
        Personne,
        verbose_name="personnes évoquées",
        related_name="reunions_evoquees",
        blank=True,
    )
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    creee_par = models.ForeignKey(
        _AGENT, verbose_name="créée par", on_delete=models.PROTECT, related_name="+", editable=False
    )
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now, editable=False)
    modifiee_par = models.ForeignKey(
        _AGENT,
        verbose_name="modifiée par",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Incrémentée à chaque modification : refuse d'écraser une modification concurrente.",
    )

    objects = ReunionQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = ["-debut", "-pk"]
        indexes = [models.Index(fields=["implantation", "debut"])]

    def __str__(self) -> str:
        return f"{self.titre} — {timezone.localtime(self.debut):%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("communication:reunion", args=[self.pk])

    @property
    def titre(self) -> str:
        return self.intitule or self.get_type_display()
