"""Les agents (connexion par e-mail) et leurs affectations, jamais supprimées."""

from __future__ import annotations

import datetime
from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from charte_iae.enums import FONCTIONS_PAR_TYPE_STRUCTURE, Fonction
from charte_iae.models.organisations import Structure


class UtilisateurManager(BaseUserManager["Utilisateur"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> Utilisateur:
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> Utilisateur:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Utilisateur(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse e-mail", unique=True)
    prenom = models.CharField("prénom", max_length=150)
    nom = models.CharField("nom", max_length=150)
    is_active = models.BooleanField(
        "actif", default=True, help_text="Décochez pour désactiver le compte sans le supprimer."
    )
    is_staff = models.BooleanField(
        "accès à l'administration", default=False, help_text="Administration nationale uniquement."
    )
    date_joined = models.DateTimeField("créé le", default=timezone.now)

    objects = UtilisateurManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["prenom", "nom"]

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["nom", "prenom"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.prenom} {self.nom}".strip()

    def get_short_name(self) -> str:
        return self.prenom

    @cached_property
    def affectations_actives(self) -> list[Affectation]:
        """Les affectations en cours, avec leur structure (une requête, gardée pour la requête HTTP)."""
        return list(
            self.affectations.actives().select_related("structure", "structure__etablissement")
        )

    @property
    def fonctions(self) -> set[str]:
        return {a.fonction for a in self.affectations_actives}

    def structures_ou(self, fonctions: frozenset[str] | set[str]) -> list[Structure]:
        return [a.structure for a in self.affectations_actives if a.fonction in fonctions]

    @property
    def affectation_principale(self) -> Affectation | None:
        actives = self.affectations_actives
        return actives[0] if actives else None


class AffectationQuerySet(models.QuerySet["Affectation"]):
    def actives(self, le: datetime.date | None = None) -> AffectationQuerySet:
        jour = le or timezone.localdate()
        return self.filter(debut__lte=jour).filter(
            models.Q(fin__isnull=True) | models.Q(fin__gt=jour)
        )


class Affectation(models.Model):
    """Un agent dans une structure, avec une fonction. Une affectation se termine (date de fin),
    elle ne se supprime pas : l'historique dit qui avait accès à quoi et quand."""

    utilisateur = models.ForeignKey(
        Utilisateur, verbose_name="agent", on_delete=models.PROTECT, related_name="affectations"
    )
    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.PROTECT, related_name="affectations"
    )
    fonction = models.CharField("fonction", max_length=30, choices=Fonction.choices)
    debut = models.DateField("début", default=timezone.localdate)
    fin = models.DateField("fin", null=True, blank=True)
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)

    objects = AffectationQuerySet.as_manager()

    class Meta:
        verbose_name = "affectation"
        verbose_name_plural = "affectations"
        ordering = ["-debut", "pk"]
        indexes = [models.Index(fields=["structure", "fonction"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fin__isnull=True) | models.Q(fin__gte=models.F("debut")),
                name="affectation_fin_apres_debut",
                violation_error_message="La fin d'une affectation ne peut précéder son début.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur} — {self.get_fonction_display()} ({self.structure})"

    def clean(self) -> None:
        if self.structure_id and self.fonction:
            permises = FONCTIONS_PAR_TYPE_STRUCTURE.get(self.structure.type, frozenset())
            if self.fonction not in permises:
                raise ValidationError(
                    {
                        "fonction": (
                            f"La fonction « {Fonction(self.fonction).label} » n'existe pas dans "
                            f"une structure de type « {self.structure.get_type_display()} »."
                        )
                    }
                )

    def est_active(self, le: datetime.date | None = None) -> bool:
        jour = le or timezone.localdate()
        return self.debut <= jour and (self.fin is None or self.fin > jour)
