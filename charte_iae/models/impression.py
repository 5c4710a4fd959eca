"""Lots d'impression : plusieurs documents produits en tâche de fond, téléchargés ensuite."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class StatutLot(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours de production"
    TERMINE = "termine", "Prêt à télécharger"
    ECHEC = "echec", "Échec"


class LotImpression(models.Model):
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandeur",
        on_delete=models.CASCADE,
        related_name="lots_impression",
    )
    type_document = models.CharField("type de document", max_length=50)
    libelle = models.CharField("libellé", max_length=200)
    objets = models.JSONField("identifiants des objets", default=list)
    statut = models.CharField(
        "statut", max_length=20, choices=StatutLot.choices, default=StatutLot.EN_ATTENTE
    )
    cree_le = models.DateTimeField("demandé le", default=timezone.now)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)
    fichier = models.FileField("fichier", upload_to="lots/", blank=True)
    nom_fichier = models.CharField("nom du fichier", max_length=200, blank=True)
    nombre_documents = models.PositiveIntegerField("nombre de documents", default=0)
    erreur = models.CharField("erreur", max_length=500, blank=True)

    class Meta:
        verbose_name = "lot d'impression"
        verbose_name_plural = "lots d'impression"
        ordering = ["-cree_le", "-pk"]

    def __str__(self) -> str:
        return self.libelle

    @property
    def en_cours(self) -> bool:
        return self.statut in {StatutLot.EN_ATTENTE, StatutLot.EN_COURS}
