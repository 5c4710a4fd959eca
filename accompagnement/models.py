"""L'accompagnement socio-professionnel d'une personne : actions par domaine de la charte,
situation de chaque domaine, préparation des aménagements de peine, et la liaison avec le
juge de l'application des peines (JAP), réservée au SPIP.

Tout ce qui est rattaché au dossier d'une personne est visible *avec* le dossier
(``for_user`` part de ``Personne.objects.for_user``), sauf ``LiaisonJAP`` qui a sa propre
règle d'accès (``accompagnement.permissions``) : pour qui n'est pas du SPIP, elle n'existe pas.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accompagnement.enums import (
    TYPES_AVEC_PARTENAIRE,
    Cote,
    StatutAction,
    StatutDomaine,
    StatutProjetAmenagement,
    TypeAction,
    TypeAmenagement,
    TypeElementAmenagement,
    TypeLiaisonJAP,
)
from charte_iae import acces
from charte_iae.models import Implantation
from communication.models import PersonneRessource
from parcours.models import DuDossierQuerySet, Personne

_AGENT = settings.AUTH_USER_MODEL


def _agent(verbose_name: str, related_name: str, **options: Any) -> models.ForeignKey:
    return models.ForeignKey(
        _AGENT,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        **options,
    )


# --- Actions et domaines -----------------------------------------------------------------------


class ActionQuerySet(DuDossierQuerySet):
    def contacts_partenaires(self) -> models.QuerySet:
        """Les contacts noués avec un partenaire (« il en informe le CPIP »)."""
        return self.exclude(partenaire="")


class ActionAccompagnement(models.Model):
    """Une action d'accompagnement dans un domaine de la charte, par un agent du SPIP ou de
    la SIAE. Pas de contenu médical : pour la santé, au plus « besoin repéré / orienté »."""

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.CASCADE, related_name="actions"
    )
    domaine = models.SlugField(
        "domaine d'intervention",
        max_length=60,
        help_text="Code du domaine dans le tableau de répartition des rôles de la charte.",
    )
    type = models.CharField("type d'action", max_length=30, choices=TypeAction.choices)
    date = models.DateField("date")
    agent = _agent("agent", "actions_accompagnement")
    cote = models.CharField("côté de l'agent", max_length=10, choices=Cote.choices, editable=False)
    # Le partenaire vient de l'annuaire de l'implantation quand il y figure ; sinon, texte libre.
    # Le libellé est toujours gardé : l'historique reste lisible si le contact quitte l'annuaire.
    personne_ressource = models.ForeignKey(
        PersonneRessource,
        verbose_name="partenaire de l'annuaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_accompagnement",
    )
    partenaire = models.CharField(
        "partenaire",
        max_length=200,
        blank=True,
        help_text="Structure et interlocuteur contactés (France Travail justice, Mission locale…).",
    )
    statut = models.CharField(
        "statut", max_length=15, choices=StatutAction.choices, default=StatutAction.A_FAIRE
    )
    resultat = models.TextField(
        "résultat",
        max_length=2000,
        blank=True,
        help_text="Ce qui en ressort. Jamais de contenu médical.",
    )
    creee_le = models.DateTimeField("enregistrée le", default=timezone.now, editable=False)
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now, editable=False)
    modifiee_par = _agent("modifiée par", "+", null=True, blank=True, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action d'accompagnement"
        verbose_name_plural = "actions d'accompagnement"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["personne", "domaine"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        if self.type in TYPES_AVEC_PARTENAIRE and not self.partenaire.strip():
            raise ValidationError({"partenaire": "Indiquez le partenaire concerné."})

    @property
    def est_contact_partenaire(self) -> bool:
        return bool(self.partenaire)


class SituationDomaine(models.Model):
    """Ce qui est décidé pour la personne dans un domaine : besoin identifié, pas de besoin,
    ou accompagnement refusé par la personne. Une par personne et par domaine."""

    personne = models.ForeignKey(
        Personne,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="situations_domaines",
    )
    domaine = models.SlugField("domaine d'intervention", max_length=60)
    statut = models.CharField("situation", max_length=20, choices=StatutDomaine.choices)
    commentaire = models.CharField("commentaire", max_length=500, blank=True)
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now)
    modifiee_par = _agent("modifiée par", "+")

    objects = DuDossierQuerySet.as_manager()

    class Meta:
        verbose_name = "situation d'un domaine"
        verbose_name_plural = "situations des domaines"
        constraints = [
            models.UniqueConstraint(
                fields=["personne", "domaine"],
                name="situation_domaine_unique",
                violation_error_message="Ce domaine a déjà une situation pour cette personne.",
            )
        ]

    def __str__(self) -> str:
        return self.get_statut_display()


# --- Aménagement de peine ----------------------------------------------------------------------


class ProjetAmenagement(models.Model):
    """Un projet d'aménagement de peine suivi par le CPIP. La SIAE y apporte des éléments ;
    elle ne voit jamais ce que le SPIP en transmet au JAP."""

    personne = models.ForeignKey(
        Personne,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="projets_amenagement",
    )
    type = models.CharField("aménagement visé", max_length=10, choices=TypeAmenagement.choices)
    date_cible = models.DateField("date visée", null=True, blank=True)
    statut = models.CharField(
        "statut",
        max_length=20,
        choices=StatutProjetAmenagement.choices,
        default=StatutProjetAmenagement.EN_PREPARATION,
    )
    cree_le = models.DateTimeField("créé le", default=timezone.now, editable=False)
    cree_par = _agent("créé par", "+", editable=False)
    modifie_le = models.DateTimeField("modifié le", default=timezone.now, editable=False)
    modifie_par = _agent("modifié par", "+", null=True, editable=False)

    objects = DuDossierQuerySet.as_manager()

    class Meta:
        verbose_name = "projet d'aménagement de peine"
        verbose_name_plural = "projets d'aménagement de peine"
        ordering = ["-cree_le", "-pk"]

    def __str__(self) -> str:
        return self.get_type_display()

    def get_absolute_url(self) -> str:
        return reverse("accompagnement:amenagement", args=[self.pk])


class ElementAmenagement(models.Model):
    """Un élément apporté au projet d'aménagement (attestation d'emploi, promesse d'embauche,
    observations), le plus souvent par la SIAE."""

    projet = models.ForeignKey(
        ProjetAmenagement, verbose_name="projet", on_delete=models.CASCADE, related_name="elements"
    )
    type = models.CharField("élément", max_length=25, choices=TypeElementAmenagement.choices)
    contenu = models.TextField("contenu", max_length=4000)
    auteur = _agent("apporté par", "elements_amenagement")
    cote = models.CharField("côté de l'auteur", max_length=10, choices=Cote.choices, editable=False)
    cree_le = models.DateTimeField("apporté le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "élément d'un projet d'aménagement"
        verbose_name_plural = "éléments des projets d'aménagement"
        ordering = ["cree_le", "pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} du {timezone.localtime(self.cree_le):%d/%m/%Y}"


# --- Liaison avec le JAP (SPIP seulement) -----------------------------------------------------


class LiaisonJAPQuerySet(models.QuerySet["LiaisonJAP"]):
    def for_user(self, utilisateur: Any) -> LiaisonJAPQuerySet:
        """Les échanges avec le JAP que l'agent peut voir (règle ``RegleLiaisonJAP``) :
        pour tout autre agent que le SPIP de la personne, l'ensemble est vide."""
        return acces.objets_pour(utilisateur, "accompagnement.view_liaisonjap", self)


class LiaisonJAP(models.Model):
    """Un échange avec le juge de l'application des peines sur le dossier d'une personne.
    Le SPIP est l'interlocuteur unique du JAP : seuls ses agents l'écrivent et le voient."""

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.CASCADE, related_name="liaisons_jap"
    )
    type = models.CharField("type", max_length=10, choices=TypeLiaisonJAP.choices)
    date = models.DateField("date")
    auteur = _agent("auteur", "liaisons_jap")
    contenu = models.TextField("contenu", max_length=10000)
    projet = models.ForeignKey(
        ProjetAmenagement,
        verbose_name="projet d'aménagement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaisons_jap",
    )
    elements = models.ManyToManyField(
        ElementAmenagement,
        verbose_name="éléments joints",
        blank=True,
        related_name="liaisons_jap",
    )
    creee_le = models.DateTimeField("enregistrée le", default=timezone.now, editable=False)

    objects = LiaisonJAPQuerySet.as_manager()

    class Meta:
        verbose_name = "liaison avec le JAP"
        verbose_name_plural = "liaisons avec le JAP"
        ordering = ["-date", "-pk"]
        # Seul « voir » est délégué par objet : la création est vérifiée par le service.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("accompagnement:liaison_jap", args=[self.pk])


class LiaisonJAPUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(LiaisonJAP, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "droit d'un agent sur une liaison JAP"


class LiaisonJAPGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(LiaisonJAP, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "droit d'une structure sur une liaison JAP"


class PresentationJAPQuerySet(models.QuerySet["PresentationJAP"]):
    def for_user(self, utilisateur: Any) -> PresentationJAPQuerySet:
        """Les présentations des implantations dont l'agent est au SPIP (antenne)."""
        if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
            return self.none()
        return self.filter(implantation__spip__groupe__in=utilisateur.groups.all())


class PresentationJAP(models.Model):
    """La présentation institutionnelle de la SIAE au JAP (charte, article 4) : un
    événement organisé et consigné par le SPIP, sans dossier individuel."""

    implantation = models.ForeignKey(
        Implantation,
        verbose_name="implantation",
        on_delete=models.PROTECT,
        related_name="presentations_jap",
    )
    date = models.DateField("date")
    participants = models.TextField("participants", max_length=2000)
    notes = models.TextField("notes", max_length=5000, blank=True)
    creee_le = models.DateTimeField("enregistrée le", default=timezone.now, editable=False)
    creee_par = _agent("enregistrée par", "+", editable=False)

    objects = PresentationJAPQuerySet.as_manager()

    class Meta:
        verbose_name = "présentation de la SIAE au JAP"
        verbose_name_plural = "présentations de la SIAE au JAP"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"Présentation du {self.date:%d/%m/%Y}"
