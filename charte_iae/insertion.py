"""Insertion en masse : pour la génération de données et les écritures de droits en grand
nombre. Sur PostgreSQL, ``COPY`` (identifiants réservés d'avance dans la séquence) évite
l'assemblage d'un ``INSERT`` géant ; ailleurs (SQLite des tests), ``bulk_create``.

Pas de contrôle de conflit : à n'employer que pour des lignes dont on sait qu'elles manquent
(calculées dans la même transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

TAILLE_LOT = 5000


def _reserver_ids(modele: type[models.Model], nombre: int) -> list[int]:
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [modele._meta.db_table, modele._meta.pk.column, nombre],
        )
        return [ligne[0] for ligne in curseur.fetchall()]


def copier_lignes(
    modele: type[models.Model], colonnes: Sequence[str], lignes: Iterable[Sequence[Any]]
) -> None:
    """Écrit des lignes brutes (valeurs déjà prêtes pour la base) dans la table du modèle."""
    table = connection.ops.quote_name(modele._meta.db_table)
    liste = ", ".join(connection.ops.quote_name(c) for c in colonnes)
    with (
        connection.cursor() as curseur,
        curseur.cursor.copy(f"COPY {table} ({liste}) FROM STDIN") as copie,
    ):
        for ligne in lignes:
            copie.write_row(ligne)


def inserer(objets: Sequence[models.Model]) -> Sequence[models.Model]:
    """Insère ces objets neufs (un même modèle) ; leurs clés primaires sont renseignées."""
    if not objets:
        return objets
    modele = type(objets[0])
    if connection.vendor != "postgresql":
        return modele._default_manager.bulk_create(objets, batch_size=TAILLE_LOT)
    sans_pk = [o for o in objets if o.pk is None]
    for objet, pk in zip(sans_pk, _reserver_ids(modele, len(sans_pk)), strict=True):
        objet.pk = pk
    champs = modele._meta.concrete_fields
    # psycopg adapte lui-même dates, textes et entiers ; seuls les champs JSON et les dates
    # automatiques (``auto_now_add``) passent par la préparation de Django.
    speciaux = [
        (i, f)
        for i, f in enumerate(champs)
        if isinstance(f, models.JSONField) or getattr(f, "auto_now_add", False)
    ]
    attributs = [f.attname for f in champs]
    for debut in range(0, len(objets), TAILLE_LOT):
        lignes = []
        for objet in objets[debut : debut + TAILLE_LOT]:
            ligne = [getattr(objet, a) for a in attributs]
            for i, champ in speciaux:
                ligne[i] = champ.get_db_prep_save(champ.pre_save(objet, True), connection)
            lignes.append(ligne)
        copier_lignes(modele, [f.column for f in champs], lignes)
    for objet in objets:
        objet._state.adding = False
        objet._state.db = connection.alias
    return objets
