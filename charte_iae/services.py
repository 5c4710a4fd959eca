"""Cas d'usage du noyau qui touchent plusieurs modèles : affectations et droits qui en découlent."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from charte_iae import acces
from charte_iae.models import Affectation, Charte, Implantation, Structure, Utilisateur


@transaction.atomic
def affecter(
    *,
    utilisateur: Utilisateur,
    structure: Structure,
    fonction: str,
    debut: datetime.date | None = None,
) -> Affectation:
    """Affecte un agent ; son appartenance au groupe de la structure et les droits
    accordés en nom propre suivent dans la même transaction."""
    affectation = Affectation(
        utilisateur=utilisateur,
        structure=structure,
        fonction=fonction,
        debut=debut or timezone.localdate(),
    )
    affectation.full_clean()
    affectation.save()
    acces.synchroniser_membres(utilisateur)
    acces.reappliquer_pour_structure(structure)
    return affectation


@transaction.atomic
def terminer_affectation(
    *, affectation: Affectation, fin: datetime.date | None = None
) -> Affectation:
    """Termine une affectation (elle reste dans l'historique) ; l'accès cesse aussitôt."""
    affectation = Affectation.objects.select_for_update().get(pk=affectation.pk)
    jour = fin or timezone.localdate()
    if affectation.fin is not None and affectation.fin <= jour:
        return affectation
    if jour < affectation.debut:
        raise ValidationError({"fin": "La fin d'une affectation ne peut précéder son début."})
    affectation.fin = jour
    affectation.save(update_fields=["fin"])
    acces.synchroniser_membres(affectation.utilisateur)
    acces.reappliquer_pour_structure(affectation.structure)
    return affectation


@transaction.atomic
def resynchroniser_agent(*, utilisateur: Utilisateur) -> None:
    """Après une modification du compte (désactivation, réactivation) : groupes et droits désignés."""
    acces.synchroniser_membres(utilisateur)
    for structure in Structure.objects.filter(affectations__utilisateur=utilisateur).distinct():
        acces.reappliquer_pour_structure(structure)


@transaction.atomic
def creer_charte(*, implantation: Implantation) -> Charte:
    charte, _ = Charte.objects.get_or_create(implantation=implantation)
    acces.appliquer(charte)
    return charte
