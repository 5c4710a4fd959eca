"""Établissements, structures (SPIP, SIAE, partenaires) et implantations d'une SIAE."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from charte_iae.enums import Disp, Milieu, TypeEtablissement, TypeStructure


class Etablissement(models.Model):
    nom = models.CharField("nom", max_length=200)
    code = models.CharField("code", max_length=20, unique=True)
    disp = models.CharField("DISP", max_length=20, choices=Disp.choices)
    type = models.CharField("type", max_length=5, choices=TypeEtablissement.choices)

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class StructureQuerySet(models.QuerySet["Structure"]):
    def spip_milieu_ferme_de(self, etablissement: Etablissement) -> StructureQuerySet:
        return self.filter(
            type=TypeStructure.SPIP, milieu=Milieu.FERME, etablissement=etablissement
        )


class Structure(models.Model):
    """Un service (SPIP, antenne, SIAE, partenaire…). Chaque structure possède son groupe :
    c'est à ce groupe que les droits sur les objets sont accordés."""

    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=20, choices=TypeStructure.choices)
    milieu = models.CharField(
        "milieu",
        max_length=10,
        choices=Milieu.choices,
        blank=True,
        help_text="Pour une antenne de SPIP : milieu fermé ou milieu ouvert.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="structure de rattachement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="antennes",
    )
    etablissement = models.ForeignKey(
        Etablissement,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        help_text="Établissement servi (antenne de milieu fermé, structure de l'établissement).",
    )
    disp = models.CharField("DISP", max_length=20, choices=Disp.choices, blank=True)
    groupe = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="structure", editable=False
    )

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(type="spip") | models.Q(milieu="")),
                name="structure_milieu_spip_seulement",
                violation_error_message="Seule une structure SPIP a un milieu.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    def save(self, *args, **kwargs) -> None:
        # Invariant de données, pas une règle métier : toute structure a son groupe.
        if self.groupe_id is None:
            self.groupe = Group.objects.create(name=f"structure-{uuid.uuid4().hex}")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.type == TypeStructure.SPIP and not self.milieu:
            raise ValidationError(
                {"milieu": "Précisez le milieu (fermé ou ouvert) de l'antenne SPIP."}
            )
        if (
            self.type == TypeStructure.SPIP
            and self.milieu == Milieu.FERME
            and not self.etablissement_id
        ):
            raise ValidationError(
                {
                    "etablissement": "Une antenne de milieu fermé sert un établissement : indiquez-le."
                }
            )


class ImplantationQuerySet(models.QuerySet["Implantation"]):
    def de_structure(self, structure: Structure) -> ImplantationQuerySet:
        return self.filter(models.Q(siae=structure) | models.Q(spip=structure))


class Implantation(models.Model):
    """Une SIAE implantée dans un établissement, avec le SPIP qui y intervient :
    la paire liée par une charte."""

    siae = models.ForeignKey(
        Structure,
        verbose_name="SIAE",
        on_delete=models.PROTECT,
        related_name="implantations_siae",
        limit_choices_to={"type": TypeStructure.SIAE},
    )
    etablissement = models.ForeignKey(
        Etablissement,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        related_name="implantations",
    )
    spip = models.ForeignKey(
        Structure,
        verbose_name="SPIP (antenne de milieu fermé)",
        on_delete=models.PROTECT,
        related_name="implantations_spip",
        limit_choices_to={"type": TypeStructure.SPIP, "milieu": Milieu.FERME},
    )
    debut_implantation = models.DateField("début de la période d'implantation")
    date_demarrage = models.DateField("date de démarrage de l'activité", null=True, blank=True)

    objects = ImplantationQuerySet.as_manager()

    class Meta:
        verbose_name = "implantation"
        verbose_name_plural = "implantations"
        constraints = [
            models.UniqueConstraint(fields=["siae", "etablissement"], name="implantation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.siae} — {self.etablissement}"

    def clean(self) -> None:
        errors = {}
        if self.siae_id and self.siae.type != TypeStructure.SIAE:
            errors["siae"] = "La structure implantée doit être une SIAE."
        if self.spip_id and (
            self.spip.type != TypeStructure.SPIP or self.spip.milieu != Milieu.FERME
        ):
            errors["spip"] = "Choisissez une antenne SPIP de milieu fermé."
        if (
            self.spip_id
            and self.etablissement_id
            and self.spip.etablissement_id != self.etablissement_id
        ):
            errors["spip"] = "Cette antenne SPIP ne sert pas cet établissement."
        if (
            self.date_demarrage
            and self.debut_implantation
            and self.date_demarrage < self.debut_implantation
        ):
            errors["date_demarrage"] = "Le démarrage ne peut précéder le début de l'implantation."
        if errors:
            raise ValidationError(errors)

    @property
    def en_activite(self) -> bool:
        return self.date_demarrage is not None and self.date_demarrage <= timezone.localdate()
