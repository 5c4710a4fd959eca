"""La charte d'une implantation (modèle minimal ; ses versions viennent avec le module charte)."""

from __future__ import annotations

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from charte_iae.models.organisations import Implantation


class Charte(models.Model):
    implantation = models.OneToOneField(
        Implantation, verbose_name="implantation", on_delete=models.PROTECT, related_name="charte"
    )
    intitule = models.CharField(
        "intitulé",
        max_length=200,
        default="Charte de partenariat SPIP / SIAE",
        help_text="Le titre de la charte locale, tel qu'il figure en tête du document.",
    )
    creee_le = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "charte"
        verbose_name_plural = "chartes"

    def __str__(self) -> str:
        return f"Charte {self.implantation}"


class CharteUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Charte, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "droit d'un agent sur une charte"


class CharteGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Charte, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "droit d'une structure sur une charte"
