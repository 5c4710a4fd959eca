"""L'API du journal d'audit, pour toutes les applications.

Lectures — explicites, là où un dossier est montré :

- ``journaliser_lecture(request, objet)`` dans la vue, après le ``get_object_or_404`` scopé ;
- ou le décorateur ``@lecture_auditee(Modele)`` sur une vue dont l'URL porte ``pk`` : la lecture
  est journalisée seulement si la réponse est un succès (une 404 n'est pas une lecture) ;
- ``journaliser_export(request, objet)`` / ``journaliser_impression(request, objet)`` pour un PDF
  ou un export.

Écritures — génériques : un récepteur ``post_save`` / ``post_delete`` journalise toute création,
modification ou suppression d'un modèle du projet (choix transverse de journalisation, pas une
règle métier : aucune vue ni service n'a à y penser, et aucune écriture ne passe à côté). Les
écritures en masse (``bulk_create``, ``QuerySet.update``) n'émettent pas de signal : un service qui
en fait sur des données personnelles appelle ``journaliser_ecriture`` lui-même. Les modèles
techniques (sessions, journal lui-même, tentatives de connexion, file des tâches, droits dérivés)
sont exclus ; une application en exclut d'autres avec ``exclure_des_ecritures(Modele)``.

L'agent et l'identifiant de requête viennent de ``ContexteAuditMiddleware`` ; hors requête
(commande, tâche), l'agent est vide.

« Qui a consulté cet objet ? » : ``acces_a(objet)``, et la page générique ``journal_objet`` pour
les modèles inscrits avec ``registre_journaux.enregistrer(Modele, objets=…, peut_consulter=…)``.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from charte_iae.models.audit import ActionAudit, EntreeAudit, EntreeAuditQuerySet

_requete_courante: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "requete_auditee", default=None
)


@contextmanager
def dans_la_requete(request: HttpRequest) -> Iterator[None]:
    """Les écritures faites pendant ce bloc sont attribuées à l'agent de cette requête."""
    jeton = _requete_courante.set(request)
    try:
        yield
    finally:
        _requete_courante.reset(jeton)


def _acteur_et_requete(request: HttpRequest | None) -> tuple[int | None, str]:
    if request is None:
        return None, ""
    user = getattr(request, "user", None)
    acteur_id = user.pk if user is not None and user.is_authenticated else None
    return acteur_id, getattr(request, "id_requete", "")


def journaliser(
    request: HttpRequest | None,
    *,
    action: str,
    type_objet: str,
    objet_id: Any = "",
) -> EntreeAudit:
    """Ajoute une entrée au journal (dans la transaction en cours)."""
    acteur_id, id_requete = _acteur_et_requete(request)
    return EntreeAudit.objects.create(
        acteur_id=acteur_id,
        action=action,
        type_objet=type_objet[:100],
        objet_id=str(objet_id)[:64],
        id_requete=id_requete,
    )


def _sur_objet(request: HttpRequest | None, action: str, objet: models.Model) -> EntreeAudit:
    return journaliser(
        request, action=action, type_objet=objet._meta.label_lower, objet_id=objet.pk
    )


def journaliser_lecture(request: HttpRequest, objet: models.Model) -> EntreeAudit:
    return _sur_objet(request, ActionAudit.LECTURE, objet)


def journaliser_export(request: HttpRequest, objet: models.Model) -> EntreeAudit:
    return _sur_objet(request, ActionAudit.EXPORT, objet)


def journaliser_impression(request: HttpRequest, objet: models.Model) -> EntreeAudit:
    return _sur_objet(request, ActionAudit.IMPRESSION, objet)


def journaliser_ecriture(action: str, objet: models.Model) -> EntreeAudit:
    """Pour les écritures qui n'émettent pas de signal (opérations en masse)."""
    return _sur_objet(_requete_courante.get(), action, objet)


def lecture_auditee(
    modele: type[models.Model], *, parametre: str = "pk"
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Journalise la lecture de ``modele`` n° ``kwargs[parametre]`` quand la vue répond 200
    à un GET : l'accès refusé (404, 403, redirection) n'est pas une lecture."""

    def decorateur(vue: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(vue)
        def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            reponse = vue(request, *args, **kwargs)
            if request.method in {"GET", "HEAD"} and reponse.status_code == 200:
                journaliser(
                    request,
                    action=ActionAudit.LECTURE,
                    type_objet=modele._meta.label_lower,
                    objet_id=kwargs[parametre],
                )
            return reponse

        return enveloppe

    return decorateur


def acces_a(objet: models.Model) -> EntreeAuditQuerySet:
    """Toutes les entrées du journal sur cet objet (lectures et écritures), les plus récentes
    d'abord, avec l'agent."""
    return EntreeAudit.objects.sur(objet).select_related("acteur")


# --- Écritures : journalisation générique ------------------------------------------------------

_EXCLUS_PAR_DEFAUT = {
    "charte_iae.entreeaudit",
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "admin.logentry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_db.dbtaskresult",
    # Compteurs d'essais et horodatage de dernier usage : l'activation est journalisée à part.
    "otp_totp.totpdevice",
}
_exclus: set[str] = set(_EXCLUS_PAR_DEFAUT)


def exclure_des_ecritures(*modeles: type[models.Model]) -> None:
    """Un modèle technique (cache, file, compteur) dont les écritures n'ont rien à faire au journal."""
    _exclus.update(m._meta.label_lower for m in modeles)


def _journalise(modele: type[models.Model]) -> bool:
    meta = modele._meta
    # Les modèles historiques des migrations (et l'enregistreur des migrations) vivent dans un
    # autre registre que celui de l'application : ces écritures-là ne sont pas des actes d'agents.
    if meta.apps is not django_apps or meta.label_lower in _exclus or not meta.managed:
        return False
    # Les tables de droits de guardian sont dérivées des relations (qui, elles, sont journalisées).
    return not meta.model_name.endswith(("userobjectpermission", "groupobjectpermission"))


def _apres_enregistrement(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if raw or not _journalise(sender):
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # la connexion est journalisée par le signal user_logged_in
    action = ActionAudit.CREATION if created else ActionAudit.MODIFICATION
    _sur_objet(_requete_courante.get(), action, instance)


def _apres_suppression(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _journalise(sender):
        _sur_objet(_requete_courante.get(), ActionAudit.SUPPRESSION, instance)


def _connexion(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    journaliser(
        request, action=ActionAudit.CONNEXION, type_objet=user._meta.label_lower, objet_id=user.pk
    )


def _deconnexion(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        EntreeAudit.objects.create(
            acteur_id=user.pk,
            action=ActionAudit.DECONNEXION,
            type_objet=user._meta.label_lower,
            objet_id=str(user.pk),
            id_requete=getattr(request, "id_requete", ""),
        )


def brancher() -> None:
    """Appelé une fois par ``CharteIaeConfig.ready``."""
    from django.contrib.auth.signals import user_logged_in, user_logged_out

    post_save.connect(_apres_enregistrement, dispatch_uid="audit_ecritures")
    post_delete.connect(_apres_suppression, dispatch_uid="audit_suppressions")
    user_logged_in.connect(_connexion, dispatch_uid="audit_connexion")
    user_logged_out.connect(_deconnexion, dispatch_uid="audit_deconnexion")


# --- « Qui a consulté ce dossier ? » -----------------------------------------------------------


@dataclass(frozen=True)
class JournalConsultable:
    modele: type[models.Model]
    objets: Callable[[Any], models.QuerySet]
    peut_consulter: Callable[[Any, Any], bool]


class RegistreJournaux:
    """Les modèles dont le journal se consulte dans l'application (page ``journal_objet``) :
    ``objets(user)`` est la portée (hors portée : 404), ``peut_consulter(user, objet)`` le droit
    (DPIP / direction : sinon 403)."""

    def __init__(self) -> None:
        self._journaux: dict[str, JournalConsultable] = {}

    def enregistrer(
        self,
        modele: type[models.Model],
        *,
        objets: Callable[[Any], models.QuerySet],
        peut_consulter: Callable[[Any, Any], bool],
    ) -> None:
        self._journaux[modele._meta.label_lower] = JournalConsultable(
            modele, objets, peut_consulter
        )

    def get(self, label: str) -> JournalConsultable | None:
        return self._journaux.get(label)

    def __iter__(self) -> Iterator[JournalConsultable]:
        return iter(self._journaux.values())


registre_journaux = RegistreJournaux()
