"""Le mécanisme d'accès : dériver, appliquer et réconcilier les droits sur les objets.

Une seule source de vérité : les relations (un établissement, une orientation vers une SIAE,
un passage en milieu ouvert…). Chaque application déclare dans son module ``permissions.py``
une ``RegleAcces`` par modèle protégé, qui calcule, pour un lot d'objets, les droits qu'ils
*doivent* avoir. Le mécanisme :

- ``appliquer(objets)`` met les tables de droits (tables à clé étrangère directe de
  django-guardian) en conformité ; idempotent, à appeler dans la transaction du changement ;
- ``synchroniser_membres(utilisateur)`` aligne les groupes d'un agent sur ses affectations ;
- ``reconcilier()`` compare tout l'attendu à l'existant et compte les écarts (0 attendu) ;
- ``objets_pour`` / ``a_permission`` sont les seules lectures des droits : jamais de droit
  global, jamais de passe-droit pour un superutilisateur, rien pour un compte inactif.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Subquery
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from charte_iae import insertion
from charte_iae.models import Affectation, Structure, Utilisateur


@dataclass(frozen=True, slots=True)
class Droit:
    """Un droit attendu : une permission sur un objet, pour le groupe d'une structure
    ou pour un agent désigné (exactement l'un des deux)."""

    permission: str
    objet_id: int
    groupe_id: int | None = None
    utilisateur_id: int | None = None


class RegleAcces:
    """Les droits d'un modèle protégé, dérivés de ses relations."""

    modele: ClassVar[type[models.Model]]
    permissions: ClassVar[tuple[str, ...]]
    # Pour un modèle dont les droits se déduisent de ceux d'un autre objet protégé (les échanges
    # avec le JAP, de la personne) : (modèle suivi, champ qui y mène). Quand ``appliquer`` met à
    # jour des objets du modèle suivi, il met aussi à jour ceux qui le suivent, dans la même
    # transaction — sans que l'application du modèle suivi connaisse celle qui le suit.
    suit: ClassVar[tuple[type[models.Model], str] | None] = None

    def droits_attendus(self, objets: Sequence[Any]) -> Iterable[Droit]:
        raise NotImplementedError

    def objets_concernes_par_structure(self, structure: Structure) -> models.QuerySet:
        """Les objets dont les droits dépendent des affectations de cette structure
        (droits accordés à des agents désignés). Par défaut : aucun."""
        return self.modele._default_manager.none()

    def tous_les_objets(self) -> models.QuerySet:
        return self.modele._default_manager.all()

    @property
    def etiquette(self) -> str:
        return self.modele._meta.label


class Registre:
    def __init__(self) -> None:
        self._regles: dict[type[models.Model], RegleAcces] = {}

    def enregistrer(self, regle: RegleAcces) -> RegleAcces:
        if regle.modele in self._regles:
            raise ValueError(f"Une règle d'accès existe déjà pour {regle.modele._meta.label}.")
        self._regles[regle.modele] = regle
        return regle

    def pour_modele(self, modele: type[models.Model]) -> RegleAcces:
        try:
            return self._regles[modele]
        except KeyError:
            raise LookupError(f"Aucune règle d'accès pour {modele._meta.label}.") from None

    def __iter__(self) -> Iterator[RegleAcces]:
        return iter(self._regles.values())


registre = Registre()


@dataclass
class Ecart:
    manquants: int = 0
    en_trop: int = 0

    def __add__(self, autre: Ecart) -> Ecart:
        return Ecart(self.manquants + autre.manquants, self.en_trop + autre.en_trop)

    @property
    def total(self) -> int:
        return self.manquants + self.en_trop


@dataclass
class Rapport:
    par_regle: dict[str, Ecart] = field(default_factory=dict)

    @property
    def total(self) -> Ecart:
        somme = Ecart()
        for ecart in self.par_regle.values():
            somme = somme + ecart
        return somme


def _ids_permissions(modele: type[models.Model], codenames: Iterable[str]) -> dict[str, int]:
    ct = ContentType.objects.get_for_model(modele)
    trouvees = dict(
        Permission.objects.filter(content_type=ct, codename__in=list(codenames)).values_list(
            "codename", "pk"
        )
    )
    manquantes = set(codenames) - set(trouvees)
    if manquantes:
        raise LookupError(f"Permissions inconnues pour {modele._meta.label} : {sorted(manquantes)}")
    return trouvees


def _droits_existants(regle: RegleAcces, objet_ids: Sequence[int]) -> dict[Droit, int]:
    """Les droits présents en base pour ces objets (seulement les permissions de la règle)."""
    modele_agents = get_user_obj_perms_model(regle.modele)
    modele_groupes = get_group_obj_perms_model(regle.modele)
    existants: dict[Droit, int] = {}
    filtre = {"content_object_id__in": objet_ids, "permission__codename__in": regle.permissions}
    for pk, codename, objet_id, user_id in modele_agents.objects.filter(**filtre).values_list(
        "pk", "permission__codename", "content_object_id", "user_id"
    ):
        existants[Droit(codename, objet_id, utilisateur_id=user_id)] = pk
    for pk, codename, objet_id, group_id in modele_groupes.objects.filter(**filtre).values_list(
        "pk", "permission__codename", "content_object_id", "group_id"
    ):
        existants[Droit(codename, objet_id, groupe_id=group_id)] = pk
    return existants


def _ecrire_manquants(
    modele: type[models.Model], colonne: str, lignes: list[tuple[int, int, int]], en_masse: bool
) -> None:
    """Écrit les droits manquants ``(permission, objet, agent ou groupe)``."""
    if en_masse and connection.vendor == "postgresql":
        insertion.copier_lignes(modele, ["permission_id", "content_object_id", colonne], lignes)
        return
    modele.objects.bulk_create(
        [modele(**{"permission_id": p, "content_object_id": o, colonne: c}) for p, o, c in lignes],
        ignore_conflicts=True,
    )


def _comparer_lot(
    regle: RegleAcces, objets: Sequence[models.Model], corriger: bool, en_masse: bool = False
) -> Ecart:
    if not objets:
        return Ecart()
    ids = [o.pk for o in objets]
    attendus = set(regle.droits_attendus(objets))
    existants = _droits_existants(regle, ids)
    manquants = attendus - existants.keys()
    en_trop = existants.keys() - attendus
    if corriger and (manquants or en_trop):
        modele_agents = get_user_obj_perms_model(regle.modele)
        modele_groupes = get_group_obj_perms_model(regle.modele)
        perms = _ids_permissions(regle.modele, regle.permissions)
        _ecrire_manquants(
            modele_agents,
            "user_id",
            [
                (perms[d.permission], d.objet_id, d.utilisateur_id)
                for d in manquants
                if d.utilisateur_id is not None
            ],
            en_masse,
        )
        _ecrire_manquants(
            modele_groupes,
            "group_id",
            [
                (perms[d.permission], d.objet_id, d.groupe_id)
                for d in manquants
                if d.groupe_id is not None
            ],
            en_masse,
        )
        a_retirer_agents = [existants[d] for d in en_trop if d.utilisateur_id is not None]
        a_retirer_groupes = [existants[d] for d in en_trop if d.groupe_id is not None]
        if a_retirer_agents:
            modele_agents.objects.filter(pk__in=a_retirer_agents).delete()
        if a_retirer_groupes:
            modele_groupes.objects.filter(pk__in=a_retirer_groupes).delete()
    return Ecart(manquants=len(manquants), en_trop=len(en_trop))


def _par_lots(queryset: models.QuerySet, taille: int) -> Iterator[list[models.Model]]:
    dernier = None
    while True:
        lot_qs = queryset.order_by("pk")
        if dernier is not None:
            lot_qs = lot_qs.filter(pk__gt=dernier)
        lot = list(lot_qs[:taille])
        if not lot:
            return
        yield lot
        dernier = lot[-1].pk


def appliquer(objets: models.Model | models.QuerySet | Sequence[models.Model]) -> Ecart:
    """Met les droits de ces objets en conformité avec leurs relations. Idempotent ; s'appelle
    dans la transaction du changement qui l'a rendu nécessaire, pour que droits et données
    ne divergent jamais."""
    if isinstance(objets, models.Model):
        objets = [objets]
    if isinstance(objets, models.QuerySet):
        regle = registre.pour_modele(objets.model)
        ecart = Ecart()
        for lot in _par_lots(objets, 1000):
            ecart = ecart + _comparer_lot(regle, lot, corriger=True)
        return ecart + _appliquer_suiveurs(objets.model, objets.values("pk"))
    par_modele: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for objet in objets:
        par_modele[type(objet)].append(objet)
    ecart = Ecart()
    for modele, liste in par_modele.items():
        ecart = ecart + _comparer_lot(registre.pour_modele(modele), liste, corriger=True)
        ecart = ecart + _appliquer_suiveurs(modele, [o.pk for o in liste])
    return ecart


def _appliquer_suiveurs(modele: type[models.Model], ids: Any) -> Ecart:
    """Les objets des règles qui suivent ce modèle (``RegleAcces.suit``), rattachés à ces ids."""
    ecart = Ecart()
    for regle in registre:
        if regle.suit is not None and regle.suit[0] is modele:
            champ = regle.suit[1]
            ecart = ecart + appliquer(regle.modele._default_manager.filter(**{f"{champ}__in": ids}))
    return ecart


def _groupes_attendus(utilisateur_ids: Iterable[int] | None = None) -> set[tuple[int, int]]:
    affectations = Affectation.objects.actives()
    if utilisateur_ids is not None:
        affectations = affectations.filter(utilisateur_id__in=list(utilisateur_ids))
    return set(
        affectations.filter(utilisateur__is_active=True).values_list(
            "utilisateur_id", "structure__groupe_id"
        )
    )


def _groupes_existants(utilisateur_ids: Iterable[int] | None = None) -> dict[tuple[int, int], int]:
    lien = Utilisateur.groups.through
    liens = lien.objects.filter(group__structure__isnull=False)
    if utilisateur_ids is not None:
        liens = liens.filter(utilisateur_id__in=list(utilisateur_ids))
    return {(u, g): pk for pk, u, g in liens.values_list("pk", "utilisateur_id", "group_id")}


def _comparer_membres(utilisateur_ids: Iterable[int] | None, corriger: bool) -> Ecart:
    ids = list(utilisateur_ids) if utilisateur_ids is not None else None
    attendus = _groupes_attendus(ids)
    existants = _groupes_existants(ids)
    manquants = attendus - existants.keys()
    en_trop = existants.keys() - attendus
    if corriger:
        lien = Utilisateur.groups.through
        lien.objects.bulk_create(
            [lien(utilisateur_id=u, group_id=g) for u, g in manquants], ignore_conflicts=True
        )
        if en_trop:
            lien.objects.filter(pk__in=[existants[c] for c in en_trop]).delete()
    return Ecart(len(manquants), len(en_trop))


def synchroniser_membres(utilisateur: Utilisateur) -> Ecart:
    """Un agent est membre du groupe de chaque structure où il a une affectation active,
    et d'aucune autre. Un compte désactivé n'est membre de rien."""
    ecart = _comparer_membres([utilisateur.pk], corriger=True)
    utilisateur.__dict__.pop("affectations_actives", None)
    _vider_cache(utilisateur)
    return ecart


def reappliquer_pour_structure(structure: Structure) -> Ecart:
    """Après un changement d'affectation : les droits accordés à des agents désignés
    de cette structure (rédacteurs d'une charte, CPIP désigné…) sont recalculés."""
    ecart = Ecart()
    for regle in registre:
        ecart = ecart + appliquer(regle.objets_concernes_par_structure(structure))
    return ecart


def reconcilier(
    *, corriger: bool = False, taille_lot: int = 2000, en_masse: bool = False
) -> Rapport:
    """Compare, pour chaque règle enregistrée et pour les groupes des agents, les droits
    attendus aux droits présents. Avec ``corriger``, remet tout en conformité. ``en_masse``
    (génération, import, hors trafic) écrit les droits manquants par ``COPY`` sur PostgreSQL :
    sans contrôle de conflit, donc jamais pendant que d'autres écrivent des droits."""
    rapport = Rapport()
    rapport.par_regle["appartenance aux structures"] = _comparer_membres(None, corriger)
    for regle in registre:
        ecart = Ecart()
        for lot in _par_lots(regle.tous_les_objets(), taille_lot):
            ecart = ecart + _comparer_lot(regle, lot, corriger, en_masse)
        # Droits posés sur des objets que la règle ne couvre plus : toujours en trop.
        rapport.par_regle[regle.etiquette] = ecart
    return rapport


# --- Lecture des droits -------------------------------------------------------------------

_CACHE = "_cache_droits_objets"


def _vider_cache(utilisateur: Any) -> None:
    utilisateur.__dict__.pop(_CACHE, None)


def _actif(utilisateur: Any) -> bool:
    return bool(utilisateur and utilisateur.is_authenticated and utilisateur.is_active)


def objets_pour(utilisateur: Any, permission: str, queryset: models.QuerySet) -> models.QuerySet:
    """Les objets du queryset sur lesquels l'agent a la permission, par son groupe ou en nom
    propre. Ni droit global, ni superutilisateur, ni compte inactif.

    Une seule condition ``pk IN (droits en nom propre UNION ALL droits des groupes)`` plutôt que
    le ``OR`` de deux sous-requêtes que produit django-guardian : PostgreSQL estime alors
    bien le nombre de lignes (semi-jointure) et garde ses index sur les grandes tables."""
    if not _actif(utilisateur):
        return queryset.none()
    modele = queryset.model
    app_label, _, codename = permission.rpartition(".")
    if app_label and app_label != modele._meta.app_label:
        raise ValueError(f"La permission {permission} ne porte pas sur {modele._meta.label}.")
    # La permission en sous-requête scalaire (InitPlan) plutôt qu'en jointure : PostgreSQL
    # parcourt alors l'index unique (groupe, permission, objet) et estime bien le nombre de
    # lignes, au lieu de lire toutes les permissions du groupe puis de les filtrer.
    filtre = {
        "permission_id": Subquery(
            Permission.objects.filter(
                content_type=ContentType.objects.get_for_model(modele), codename=codename
            ).values("pk")[:1]
        )
    }
    en_nom_propre = get_user_obj_perms_model(modele).objects.filter(user=utilisateur, **filtre)
    par_groupe = get_group_obj_perms_model(modele).objects.filter(group__user=utilisateur, **filtre)
    ids = en_nom_propre.values("content_object_id").union(
        par_groupe.values("content_object_id"), all=True
    )
    return queryset.filter(pk__in=ids)


def precharger(utilisateur: Any, objets: Sequence[models.Model]) -> None:
    """Charge en une requête les droits de l'agent sur ces objets (un même modèle)."""
    if not _actif(utilisateur) or not objets:
        return
    modele = type(objets[0])
    cache: dict[tuple[str, int], set[str]] = utilisateur.__dict__.setdefault(_CACHE, {})
    ids = [o.pk for o in objets if (modele._meta.label, o.pk) not in cache]
    if not ids:
        return
    modele_agents = get_user_obj_perms_model(modele)
    modele_groupes = get_group_obj_perms_model(modele)
    directs = modele_agents.objects.filter(user=utilisateur, content_object_id__in=ids).values_list(
        "content_object_id", "permission__codename"
    )
    par_groupe = modele_groupes.objects.filter(
        group__in=Group.objects.filter(user=utilisateur), content_object_id__in=ids
    ).values_list("content_object_id", "permission__codename")
    for pk in ids:
        cache[(modele._meta.label, pk)] = set()
    for objet_id, codename in directs.union(par_groupe):
        cache[(modele._meta.label, objet_id)].add(codename)


def a_permission(utilisateur: Any, permission: str, objet: models.Model) -> bool:
    """Vrai si l'agent, actif, a cette permission sur cet objet (par son groupe ou en nom propre)."""
    if not _actif(utilisateur):
        return False
    codename = permission.split(".", 1)[-1]
    cle = (objet._meta.label, objet.pk)
    cache = utilisateur.__dict__.get(_CACHE, {})
    if cle not in cache:
        precharger(utilisateur, [objet])
        cache = utilisateur.__dict__[_CACHE]
    return codename in cache[cle]
