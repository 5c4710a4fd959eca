"""La matrice d'autorisation : pour CHAQUE motif d'URL du projet, ce que chaque profil obtient en
GET et en POST. Une URL absente de ``MATRICE`` fait échouer ``test_matrice.py`` : toute nouvelle
vue se déclare ici.

Ajouter une vue ::

    "personne_detail": Attendu(
        kwargs=lambda m: {"pk": m.objet("personne").pk},   # objets de l'URL, pris dans le monde
        get=pour(OK, cpip_autre_spip=INTROUVABLE, orienteur=INTROUVABLE, **ANONYMES),
        post=METHODE_INTERDITE_POUR_TOUS,                 # ou IDEM (= comme en GET)
        donnees=lambda m: {"champ": "valeur"},            # corps du POST (vide par défaut)
    ),

``pour(defaut, **exceptions)`` donne le résultat de chaque profil (les clés sont vérifiées).
Le « monde » (``Monde``) contient deux sites complets (``tests/conftest.py``) et un agent par
profil ; une application y accroche ses objets avec ``@fabrique("nom")`` (une fonction qui
reçoit le monde et crée l'objet, appelée à la demande par ``m.objet("nom")``).

Résultats possibles : ``OK`` (200), ``REDIRECTION`` (302 ailleurs que vers la connexion),
``CONNEXION`` (302 vers la page de connexion), ``REFUS`` (403), ``INTROUVABLE`` (404),
``METHODE`` (405), et pour l'administration ``HORS_ADMIN`` (renvoyé vers la connexion de
l'administration) et ``ACCESSIBLE`` (l'administrateur national entre : ensuite, ce sont les droits de
l'administration Django qui s'appliquent ; tout sauf une erreur serveur).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accompagnement import services as accompagnement_services
from accompagnement.enums import TypeAmenagement
from charte_iae import versions
from charte_iae.models import ArticleModele, Charte, LotImpression, Utilisateur
from parcours import alertes
from parcours import services as parcours_services
from parcours import services_siae as parcours_siae
from parcours.enums import CategorieCompetence, NiveauCompetence, TypeAlerte, TypePieceIdentite
from parcours.models import Alerte, CompetenceLivret
from tests.accompagnement import factories as fabriques_accompagnement
from tests.communication.factories import (
    EntreeCahierFactory,
    PersonneRessourceFactory,
    ReunionFactory,
)
from tests.conftest import Site
from tests.factories import (
    OrientationFactory,
    PersonneFactory,
    PrescriptionFactory,
    UtilisateurFactory,
)
from tests.parcours import siae_outils

# --- Profils et résultats --------------------------------------------------------------------

PERSONAS = (
    "anonyme",
    "cpip",  # CPIP de l'antenne SPIP de l'établissement du site
    "cpip_autre_spip",  # CPIP d'un autre SPIP (autre site)
    "cpip_mo",  # CPIP milieu ouvert désigné pour un passage pas encore accepté (« avant »)
    "cpip_mo_relais",  # CPIP milieu ouvert qui a accepté un passage (« après ») : pas celui du dossier
    "cip",
    "et",
    "direction",
    "cip_autre_siae",  # CIP d'une autre SIAE (autre site) : sans la personne
    "orienteur",
    "dpip",
    "admin",  # administrateur national (accès à l'administration)
    "desactive",  # CPIP du site dont le compte a été désactivé après connexion
)

OK = 200
REFUS = 403
INTROUVABLE = 404
METHODE = 405
REDIRECTION = "redirection"
CONNEXION = "connexion"
HORS_ADMIN = "hors administration"
ACCESSIBLE = "accessible"
IDEM = "idem"  # pour le POST : comme le GET

ANONYMES = {"anonyme": CONNEXION, "desactive": CONNEXION}


def pour(defaut: Any, **exceptions: Any) -> dict[str, Any]:
    inconnus = set(exceptions) - set(PERSONAS)
    if inconnus:
        raise KeyError(f"profils inconnus dans la matrice : {sorted(inconnus)}")
    return {p: exceptions.get(p, defaut) for p in PERSONAS}


METHODE_INTERDITE_POUR_TOUS = pour(METHODE)


@dataclass(frozen=True)
class Attendu:
    get: dict[str, Any]
    post: dict[str, Any] | str = IDEM
    kwargs: Callable[[Monde], dict[str, Any]] = lambda m: {}
    donnees: Callable[[Monde], dict[str, Any]] = lambda m: {}
    url: Callable[[Monde], str] | None = None  # motifs sans nom : l'adresse à visiter

    def pour_methode(self, methode: str) -> dict[str, Any]:
        if methode == "get" or self.post == IDEM:
            return self.get
        assert isinstance(self.post, dict)
        return self.post


# --- Le monde des tests ------------------------------------------------------------------------

_fabriques: dict[str, Callable[[Monde], Any]] = {}


def fabrique(nom: str) -> Callable[[Callable[[Monde], Any]], Callable[[Monde], Any]]:
    """Déclare comment créer un objet nommé du monde (une personne du site, son cahier…)."""

    def enregistrer(fonction: Callable[[Monde], Any]) -> Callable[[Monde], Any]:
        _fabriques[nom] = fonction
        return fonction

    return enregistrer


@dataclass
class Monde:
    site: Site
    autre_site: Site
    admin: Utilisateur
    desactive: Utilisateur
    cpip_mo_relais: Utilisateur
    _objets: dict[str, Any] = field(default_factory=dict)

    def agent(self, persona: str) -> Utilisateur | None:
        if persona == "anonyme":
            return None
        if persona == "cpip_autre_spip":
            return self.autre_site.cpip
        if persona == "cip_autre_siae":
            return self.autre_site.cip
        if persona in {"admin", "desactive", "cpip_mo_relais"}:
            return getattr(self, persona)
        return getattr(self.site, persona)

    def tout_creer(self) -> None:
        """Crée d'avance tous les objets déclarés (dans la transaction du monde, pas du test)."""
        for nom in _fabriques:
            self.objet(nom)

    def objet(self, nom: str) -> Any:
        if nom not in self._objets:
            self._objets[nom] = _fabriques[nom](self)
        return self._objets[nom]


# --- Objets des applications (créés à la demande) ----------------------------------------------


@fabrique("version")
def _version(m: Monde) -> Any:
    return versions.creer_version(charte=m.site.charte, par=m.site.dpip)


@fabrique("article")
def _article(m: Monde) -> Any:
    version = m.objet("version")
    return ArticleModele.objects.filter(modele_id=version.modele_id).order_by("pk").first()


@fabrique("personne")
def _personne(m: Monde) -> Any:
    """Personne du site, CPIP référent du site, prescrite vers la SIAE du site."""
    return PrescriptionFactory(
        implantation=m.site.implantation,
        prescrite_par=m.site.cpip,
        personne__cpip_referent=m.site.cpip,
    ).personne


@fabrique("orientation")
def _orientation(m: Monde) -> Any:
    """Orientation ouverte (sans avis) d'une autre personne du site, signalée par l'orienteur."""
    personne = PersonneFactory(
        etablissement=m.site.implantation.etablissement, cpip_referent=m.site.cpip
    )
    return OrientationFactory(personne=personne, signalee_par=m.site.orienteur)


@fabrique("demande_classement")
def _demande(m: Monde) -> Any:
    return parcours_services.preparer_demande_classement(
        personne=m.objet("orientation").personne,
        auteur=m.site.cpip,
        date_demande=timezone.localdate(),
    )


@fabrique("session_cpu")
def _session_cpu(m: Monde) -> Any:
    return parcours_services.creer_session_cpu(
        etablissement=m.site.implantation.etablissement,
        date=timezone.localdate(),
        auteur=m.site.cpip,
    )


@fabrique("examen_cpu")
def _examen(m: Monde) -> Any:
    m.objet("demande_classement")
    return parcours_services.inscrire_en_cpu(
        session=m.objet("session_cpu"), personne=m.objet("orientation").personne, auteur=m.site.cpip
    )


@fabrique("alerte")
def _alerte(m: Monde) -> Any:
    """Une vraie alerte, produite par son détecteur : une alerte inventée serait résolue par le
    premier recalcul des services (entretien, parcours…) qui touche la personne."""
    personne = m.objet("personne")
    personne.piece_identite_type = TypePieceIdentite.CNI
    personne.piece_identite_expiration = timezone.localdate()
    personne.save(update_fields=["piece_identite_type", "piece_identite_expiration"])
    alertes.recalculer(personne=personne)
    return Alerte.objects.actives().get(personne=personne, type=TypeAlerte.PIECE_IDENTITE)


@fabrique("lot")
def _lot(m: Monde) -> Any:
    return LotImpression.objects.create(
        demandeur=m.site.dpip, type_document="notice_information", libelle="Notices"
    )


@fabrique("entree_cahier")
def _entree(m: Monde) -> Any:
    return EntreeCahierFactory(cahier__personne=m.objet("personne"), auteur=m.site.cpip)


@fabrique("ressource")
def _ressource(m: Monde) -> Any:
    return PersonneRessourceFactory(implantation=m.site.implantation, creee_par=m.site.direction)


@fabrique("reunion")
def _reunion(m: Monde) -> Any:
    return ReunionFactory(implantation=m.site.implantation, creee_par=m.site.dpip)


@fabrique("notification")
def _notification(m: Monde) -> Any:
    return m.site.cpip.notifications.create(texte="Un élément à lire", lien="/")


# Parcours côté SIAE, sortie et passage en milieu ouvert ; accompagnement et liaison avec le JAP.


def _prescription_de(personne: Any) -> Any:
    return personne.prescriptions.get(fin_le__isnull=True)


@fabrique("parcours")
def _parcours(m: Monde) -> Any:
    """Le parcours en cours de la personne du site (entretien retenu, contrat signé)."""
    return siae_outils.en_parcours(m.site, _prescription_de(m.objet("personne")))


@fabrique("livret")
def _livret(m: Monde) -> Any:
    """Une version finalisée du livret du parcours (imprimable, remise possible)."""
    return siae_outils.avec_livret_finalise(m.site, m.objet("parcours"))


@fabrique("competence")
def _competence(m: Monde) -> Any:
    """Une compétence du brouillon suivant (le livret finalisé ne change plus)."""
    m.objet("livret")
    return parcours_siae.ajouter_au_livret(
        parcours=m.objet("parcours"),
        auteur=m.site.et,
        element=CompetenceLivret(
            categorie=CategorieCompetence.SAVOIR_ETRE,
            intitule="Ponctualité",
            niveau=NiveauCompetence.ACQUIS,
        ),
    )


@fabrique("prescription_a_recevoir")
def _prescription_a_recevoir(m: Monde) -> Any:
    """Une autre personne du site, prescrite vers la SIAE du site, pas encore reçue."""
    return siae_outils.prescrire(m.site)


@fabrique("entretien")
def _entretien(m: Monde) -> Any:
    """Un entretien en attente de décision, sur une autre prescription du site."""
    return parcours_siae.enregistrer_entretien(
        prescription=siae_outils.prescrire(m.site),
        auteur=m.site.cip,
        date=timezone.localdate(),
        interlocuteurs=[m.site.cip],
        notes="Notes d'entretien",
    )


def _parcours_sorti(m: Monde) -> Any:
    parcours = siae_outils.en_parcours(m.site)
    siae_outils.avec_livret_finalise(m.site, parcours)
    return siae_outils.sortir(m.site, parcours)


@fabrique("passage")
def _passage(m: Monde) -> Any:
    """Une personne sortie (sans accord pour la suite avec la SIAE), confiée au milieu ouvert
    et acceptée par ``cpip_mo_relais``."""
    passage = parcours_siae.confier_au_milieu_ouvert(
        parcours=_parcours_sorti(m), auteur=m.site.cpip, cpip_mo=m.cpip_mo_relais, projet="Projet"
    )
    return parcours_siae.accepter_passage(passage=passage, auteur=m.cpip_mo_relais)


@fabrique("passage_propose")
def _passage_propose(m: Monde) -> Any:
    """Une autre personne sortie, proposée à ``cpip_mo`` qui n'a pas encore répondu."""
    return parcours_siae.confier_au_milieu_ouvert(
        parcours=_parcours_sorti(m), auteur=m.site.cpip, cpip_mo=m.site.cpip_mo, projet="Projet"
    )


@fabrique("action")
def _action(m: Monde) -> Any:
    """Une action d'accompagnement de la SIAE (côté SIAE) pour la personne du site."""
    return fabriques_accompagnement.action(auteur=m.site.cip, personne=m.objet("personne"))


@fabrique("amenagement")
def _amenagement(m: Monde) -> Any:
    return accompagnement_services.creer_projet_amenagement(
        auteur=m.site.cpip, personne=m.objet("personne"), type=TypeAmenagement.SEMI_LIBERTE
    )


@fabrique("liaison_jap")
def _liaison_jap(m: Monde) -> Any:
    return fabriques_accompagnement.liaison_jap(auteur=m.site.cpip, personne=m.objet("personne"))


def construire_monde(site: Site, autre_site: Site) -> Monde:
    admin_national = UtilisateurFactory(is_staff=True, is_superuser=True)
    desactive = UtilisateurFactory(cpip=True, structure=site.implantation.spip)
    desactive.is_active = False
    desactive.save()
    # Un appareil TOTP non confirmé (sans effet sur l'accès) : les pages d'administration
    # de l'OTP ont un objet à afficher.
    TOTPDevice.objects.create(user=autre_site.dpip, name="en cours d'activation", confirmed=False)
    return Monde(
        site=site,
        autre_site=autre_site,
        admin=admin_national,
        desactive=desactive,
        cpip_mo_relais=UtilisateurFactory(cpip_mo=True, structure=site.spip_mo),
    )


# --- LA TABLE ------------------------------------------------------------------------------------

_HORS_PORTEE_CHARTE = {
    "cpip_autre_spip": INTROUVABLE,
    "cpip_mo": INTROUVABLE,
    "cpip_mo_relais": INTROUVABLE,
    "cip_autre_siae": INTROUVABLE,
    "orienteur": INTROUVABLE,
    "admin": INTROUVABLE,
}
# Hors du dossier de la personne du site (autre SPIP, autre SIAE, milieu ouvert sans le passage
# de cette personne, orienteur qui ne l'a pas signalée, administrateur national) : 404.
_HORS_DOSSIER = _HORS_PORTEE_CHARTE
_ADAPTER_CHARTE = pour(
    REFUS, direction=OK, dpip=OK, **_HORS_PORTEE_CHARTE, **ANONYMES
)  # lire oui, adapter non : 403 ; hors de l'implantation : 404


def _pk(nom: str, cle: str = "pk") -> Callable[[Monde], dict[str, Any]]:
    return lambda m: {cle: m.objet(nom).pk}


# Ni SPIP de milieu fermé ni SIAE : pas d'implantation où planifier une réunion.
_SANS_REUNION = {"cpip_mo": REFUS, "cpip_mo_relais": REFUS, "orienteur": REFUS, "admin": REFUS}
_K_CHARTE = lambda m: {"pk": m.site.charte.pk}  # noqa: E731
INVALIDE = 422  # formulaire refusé (corps vide), réaffiché avec ses erreurs

# Lignes des applications fusionnées (charte, impression, parcours, communication).
NOUVELLES: dict[str, Attendu] = {
    "charte_version": Attendu(
        kwargs=lambda m: {"pk": m.site.charte.pk, "numero": m.objet("version").numero},
        get=pour(INTROUVABLE, cpip=REFUS, cip=REFUS, et=REFUS, direction=OK, dpip=OK, **ANONYMES),
    ),
    "charte_comparer": Attendu(
        kwargs=_K_CHARTE,
        get=pour(
            OK,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "charte_nouvelle_version": Attendu(
        kwargs=_K_CHARTE,
        get=pour(METHODE, **ANONYMES),
        post=pour(
            INTROUVABLE,
            cpip=REFUS,
            cip=REFUS,
            et=REFUS,
            direction=REDIRECTION,
            dpip=REDIRECTION,
            **ANONYMES,
        ),
    ),
    "charte_article": Attendu(
        kwargs=lambda m: {"pk": m.site.charte.pk, "article_pk": m.objet("article").pk},
        get=pour(INTROUVABLE, cpip=REFUS, cip=REFUS, et=REFUS, direction=OK, dpip=OK, **ANONYMES),
    ),
    "charte_repartition": Attendu(
        kwargs=_K_CHARTE,
        get=pour(INTROUVABLE, cpip=REFUS, cip=REFUS, et=REFUS, direction=OK, dpip=OK, **ANONYMES),
    ),
    "charte_domaine_ajouter": Attendu(
        kwargs=_K_CHARTE,
        get=pour(METHODE, **ANONYMES),
        post=pour(INTROUVABLE, cpip=REFUS, cip=REFUS, et=REFUS, direction=OK, dpip=OK, **ANONYMES),
    ),
    "charte_soumettre": Attendu(
        kwargs=_K_CHARTE,
        get=pour(METHODE, **ANONYMES),
        post=pour(
            INTROUVABLE,
            cpip=REFUS,
            cip=REFUS,
            et=REFUS,
            direction=REDIRECTION,
            dpip=REDIRECTION,
            **ANONYMES,
        ),
    ),
    "charte_retirer": Attendu(
        kwargs=_K_CHARTE,
        get=pour(METHODE, **ANONYMES),
        post=pour(
            INTROUVABLE,
            cpip=REFUS,
            cip=REFUS,
            et=REFUS,
            direction=REDIRECTION,
            dpip=REDIRECTION,
            **ANONYMES,
        ),
    ),
    "charte_approuver": Attendu(
        kwargs=_K_CHARTE,
        get=pour(METHODE, **ANONYMES),
        post=pour(
            INTROUVABLE,
            cpip=REFUS,
            cip=REFUS,
            et=REFUS,
            direction=REDIRECTION,
            dpip=REDIRECTION,
            **ANONYMES,
        ),
    ),
    "notice_information": Attendu(
        kwargs=lambda m: {"implantation_pk": m.site.implantation.pk},
        get=pour(
            OK,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "notices_en_lot": Attendu(get=pour(METHODE, **ANONYMES), post=pour(REDIRECTION, **ANONYMES)),
    "lot_impression": Attendu(kwargs=_pk("lot"), get=pour(INTROUVABLE, dpip=OK, **ANONYMES)),
    "lot_telecharger": Attendu(kwargs=_pk("lot"), get=pour(INTROUVABLE, **ANONYMES)),
    "temoin": Attendu(
        kwargs=lambda m: {"pk": m.site.implantation.etablissement_id},
        get=pour(OK, **ANONYMES),
        post=pour(METHODE, **ANONYMES),
    ),
    "parcours:personnes": Attendu(get=pour(OK, **ANONYMES)),
    "parcours:eligibles": Attendu(
        get=pour(REFUS, cpip=OK, cpip_autre_spip=OK, dpip=OK, **ANONYMES)
    ),
    "parcours:personne_creer": Attendu(
        get=pour(REFUS, cpip=OK, cpip_autre_spip=OK, dpip=OK, **ANONYMES)
    ),
    "parcours:personne": Attendu(
        kwargs=_pk("personne"),
        get=pour(
            OK,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "parcours:personne_modifier": Attendu(
        kwargs=_pk("personne"),
        get=pour(INTROUVABLE, cpip=OK, cip=REFUS, et=REFUS, direction=REFUS, dpip=OK, **ANONYMES),
    ),
    # Droit d'accès : seul le DPIP du SPIP de l'établissement exporte (JAP compris) ; l'export
    # n'existe pour personne d'autre (404), lecture seule (POST refusé).
    **{
        nom: Attendu(
            kwargs=_pk("personne"),
            get=pour(INTROUVABLE, dpip=OK, **ANONYMES),
            post=pour(METHODE, **ANONYMES),
        )
        for nom in (
            "parcours:droit_acces",
            "parcours:droit_acces_json",
            "parcours:droit_acces_pdf",
        )
    },
    "parcours:condamnation_confirmer": Attendu(
        kwargs=_pk("personne"),
        get=pour(METHODE, **ANONYMES),
        post=pour(
            INTROUVABLE,
            cpip=REDIRECTION,
            cip=REFUS,
            et=REFUS,
            direction=REFUS,
            dpip=REDIRECTION,
            **ANONYMES,
        ),
    ),
    "parcours:information_ajouter": Attendu(
        kwargs=_pk("personne"),
        get=pour(INTROUVABLE, cpip=OK, cip=REFUS, et=REFUS, direction=REFUS, dpip=OK, **ANONYMES),
    ),
    "parcours:orientation_creer": Attendu(
        kwargs=_pk("personne"),
        get=pour(INTROUVABLE, cpip=OK, cip=REFUS, et=REFUS, direction=REFUS, dpip=OK, **ANONYMES),
    ),
    "parcours:demande_classement_creer": Attendu(
        kwargs=_pk("personne"),
        get=pour(INTROUVABLE, cpip=OK, cip=REFUS, et=REFUS, direction=REFUS, dpip=OK, **ANONYMES),
    ),
    "parcours:demande_classement_deposer": Attendu(
        kwargs=_pk("demande_classement"),
        get=pour(METHODE, **ANONYMES),
        post=pour(INTROUVABLE, cpip=REDIRECTION, dpip=REDIRECTION, **ANONYMES),
    ),
    "parcours:orientations": Attendu(get=pour(OK, **ANONYMES)),
    "parcours:signaler": Attendu(
        get=pour(REFUS, cpip=OK, cpip_autre_spip=OK, orienteur=OK, dpip=OK, **ANONYMES)
    ),
    "parcours:orientation": Attendu(
        kwargs=_pk("orientation"), get=pour(INTROUVABLE, cpip=OK, orienteur=OK, dpip=OK, **ANONYMES)
    ),
    "parcours:avis": Attendu(
        kwargs=_pk("orientation"),
        get=pour(INTROUVABLE, cpip=OK, orienteur=REFUS, dpip=OK, **ANONYMES),
    ),
    "parcours:cloturer": Attendu(
        kwargs=_pk("orientation"),
        get=pour(INTROUVABLE, cpip=OK, orienteur=REFUS, dpip=OK, **ANONYMES),
    ),
    "parcours:prescrire": Attendu(
        kwargs=_pk("orientation"),
        get=pour(INTROUVABLE, cpip=OK, orienteur=REFUS, dpip=OK, **ANONYMES),
    ),
    "parcours:alerte_prendre_en_compte": Attendu(
        kwargs=_pk("alerte"),
        get=pour(METHODE, **ANONYMES),
        post=pour(
            REFUS,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "parcours:statistiques": Attendu(get=pour(REFUS, direction=OK, dpip=OK, **ANONYMES)),
    "parcours:statistiques_csv": Attendu(get=pour(REFUS, direction=OK, dpip=OK, **ANONYMES)),
    "parcours:sessions_cpu": Attendu(
        get=pour(REFUS, cpip=OK, cpip_autre_spip=OK, dpip=OK, **ANONYMES)
    ),
    "parcours:session_cpu": Attendu(
        kwargs=_pk("session_cpu"), get=pour(INTROUVABLE, cpip=OK, dpip=OK, **ANONYMES)
    ),
    "parcours:examen_avis": Attendu(
        kwargs=_pk("examen_cpu"), get=pour(INTROUVABLE, cpip=OK, dpip=OK, **ANONYMES)
    ),
    "parcours:examen_decision": Attendu(
        kwargs=_pk("examen_cpu"), get=pour(INTROUVABLE, cpip=OK, dpip=OK, **ANONYMES)
    ),
    "communication:cahiers": Attendu(get=pour(OK, **ANONYMES)),
    "communication:cahier": Attendu(
        kwargs=_pk("personne"),
        get=pour(
            OK,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "communication:cahier_ecrire": Attendu(
        kwargs=_pk("personne"),
        get=pour(METHODE, **ANONYMES),
        post=pour(
            INVALIDE,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "communication:entree_corriger": Attendu(
        kwargs=_pk("entree_cahier"),
        get=pour(
            OK,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
        post=pour(
            INVALIDE,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "communication:annuaire": Attendu(get=pour(OK, **ANONYMES)),
    "communication:annuaire_export": Attendu(get=pour(OK, **ANONYMES)),
    "communication:ressource_creer": Attendu(
        get=pour(REFUS, direction=OK, dpip=OK, **ANONYMES),
        post=pour(REFUS, direction=INVALIDE, dpip=INVALIDE, **ANONYMES),
    ),
    "communication:ressource_modifier": Attendu(
        kwargs=_pk("ressource"),
        get=pour(INTROUVABLE, cpip=REFUS, cip=REFUS, et=REFUS, direction=OK, dpip=OK, **ANONYMES),
        post=pour(
            INTROUVABLE,
            cpip=REFUS,
            cip=REFUS,
            et=REFUS,
            direction=INVALIDE,
            dpip=INVALIDE,
            **ANONYMES,
        ),
    ),
    "communication:reunions": Attendu(get=pour(OK, **ANONYMES)),
    "communication:reunion_creer": Attendu(
        get=pour(OK, **_SANS_REUNION, **ANONYMES),
        post=pour(INVALIDE, **_SANS_REUNION, **ANONYMES),
    ),
    "communication:reunion": Attendu(
        kwargs=_pk("reunion"),
        get=pour(
            OK,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "communication:reunion_modifier": Attendu(
        kwargs=_pk("reunion"),
        get=pour(
            OK,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
        post=pour(
            INVALIDE,
            **_HORS_DOSSIER,
            **ANONYMES,
        ),
    ),
    "communication:notifications": Attendu(get=pour(OK, **ANONYMES)),
    "communication:notification_lue": Attendu(
        kwargs=_pk("notification"),
        get=pour(METHODE, **ANONYMES),
        post=pour(INTROUVABLE, cpip=REDIRECTION, **ANONYMES),
    ),
    "communication:notification_ouvrir": Attendu(
        kwargs=_pk("notification"), get=pour(INTROUVABLE, cpip=REDIRECTION, **ANONYMES)
    ),
    "communication:notifications_toutes_lues": Attendu(
        get=pour(METHODE, **ANONYMES), post=pour(REDIRECTION, **ANONYMES)
    ),
    "communication:preferences_notifications": Attendu(
        get=pour(OK, **ANONYMES), post=pour(REDIRECTION, **ANONYMES)
    ),
}


# --- Parcours côté SIAE, sortie, passage en milieu ouvert ; accompagnement ; JAP ; documents ----
# Voir le dossier : SPIP de l'établissement (CPIP, DPIP) et SIAE prescrite (CIP, ET, direction).
_DOSSIER = pour(OK, **_HORS_DOSSIER, **ANONYMES)
# Agir côté SIAE : la SIAE prescrite ; le SPIP voit le dossier mais n'agit pas (403).
_SIAE = pour(INTROUVABLE, cpip=REFUS, dpip=REFUS, cip=OK, et=OK, direction=OK, **ANONYMES)
# Écrire le livret : CIP et ET ; la direction et le SPIP voient sans écrire (403).
_LIVRET = pour(INTROUVABLE, cpip=REFUS, dpip=REFUS, direction=REFUS, cip=OK, et=OK, **ANONYMES)
# La liaison avec le JAP n'existe que pour le SPIP de la personne : 404 pour tout autre.
_JAP = pour(INTROUVABLE, cpip=OK, dpip=OK, **ANONYMES)
# Le même refus en POST, et le POST accepté qui renvoie vers la page suivante.
_LIVRET_POST = pour(
    INTROUVABLE,
    cpip=REFUS,
    dpip=REFUS,
    direction=REFUS,
    cip=REDIRECTION,
    et=REDIRECTION,
    **ANONYMES,
)
# Ce que seul le SPIP de milieu fermé de l'établissement fait ; la SIAE voit sans agir (403).
_SPIP = pour(INTROUVABLE, cpip=OK, dpip=OK, cip=REFUS, et=REFUS, direction=REFUS, **ANONYMES)
# Agir sur le dossier en tant que CIP / ET ou SPIP : la direction de la SIAE voit sans agir.
_COTES = pour(OK, direction=REFUS, **_HORS_DOSSIER, **ANONYMES)
_APRES_PASSAGE = pour(INTROUVABLE, cpip=OK, dpip=OK, cpip_mo_relais=OK, **ANONYMES)
_LISTES_SIAE = pour(REFUS, cip=OK, et=OK, direction=OK, cip_autre_siae=OK, **ANONYMES)
_K_LIVRET = _pk("livret")

SIAE_ET_ACCOMPAGNEMENT: dict[str, Attendu] = {
    "proconnect_connexion": Attendu(get=pour(INTROUVABLE)),
    "proconnect_retour": Attendu(get=pour(INTROUVABLE)),
    "charte_version_pdf": Attendu(
        kwargs=lambda m: {"pk": m.site.charte.pk, "numero": m.objet("version").numero},
        get=pour(INTROUVABLE, cpip=REFUS, cip=REFUS, et=REFUS, direction=OK, dpip=OK, **ANONYMES),
    ),
    "parcours:session_cpu_pdf": Attendu(
        kwargs=_pk("session_cpu"), get=pour(INTROUVABLE, cpip=OK, dpip=OK, **ANONYMES)
    ),
    "parcours:session_cpu_documents": Attendu(
        kwargs=_pk("session_cpu"),
        get=pour(METHODE, **ANONYMES),
        post=pour(INTROUVABLE, cpip=REDIRECTION, dpip=REDIRECTION, **ANONYMES),
    ),
    "parcours_siae:a_recevoir": Attendu(get=_LISTES_SIAE),
    "parcours_siae:en_parcours": Attendu(get=_LISTES_SIAE),
    "parcours_siae:sortis": Attendu(get=_LISTES_SIAE),
    "parcours_siae:entretien_creer": Attendu(
        kwargs=_pk("prescription_a_recevoir"), get=_SIAE, post=_SIAE
    ),
    "parcours_siae:entretien_decider": Attendu(kwargs=_pk("entretien"), get=_SIAE),
    "parcours_siae:parcours_creer": Attendu(kwargs=_pk("prescription_a_recevoir"), get=_SIAE),
    "parcours_siae:parcours": Attendu(kwargs=_pk("parcours"), get=_DOSSIER),
    "parcours_siae:parcours_cep": Attendu(kwargs=_pk("parcours"), get=_SIAE),
    "parcours_siae:parcours_suspendre": Attendu(kwargs=_pk("parcours"), get=_SIAE),
    "parcours_siae:parcours_sortie": Attendu(kwargs=_pk("parcours"), get=_SIAE),
    "parcours_siae:parcours_accord": Attendu(kwargs=_pk("parcours"), get=_DOSSIER),
    "parcours_siae:livret": Attendu(kwargs=_pk("parcours"), get=_DOSSIER),
    "parcours_siae:livret_projet": Attendu(kwargs=_pk("parcours"), get=_LIVRET),
    "parcours_siae:livret_ajouter": Attendu(
        kwargs=lambda m: {"pk": m.objet("parcours").pk, "section": "competence"},
        get=pour(METHODE, **ANONYMES),
        post=_LIVRET,
    ),
    "parcours_siae:livret_retirer": Attendu(
        kwargs=lambda m: {"pk": m.objet("competence").pk, "section": "competence"},
        get=pour(METHODE, **ANONYMES),
        post=_LIVRET_POST,
    ),
    "parcours_siae:livret_observer": Attendu(kwargs=_pk("competence"), get=_LIVRET),
    "parcours_siae:livret_version": Attendu(kwargs=_K_LIVRET, get=_DOSSIER),
    "parcours_siae:livret_finaliser": Attendu(
        kwargs=_K_LIVRET, get=pour(METHODE, **ANONYMES), post=_LIVRET_POST
    ),
    "parcours_siae:livret_corriger": Attendu(
        kwargs=_K_LIVRET, get=pour(METHODE, **ANONYMES), post=_LIVRET_POST
    ),
    # Enregistrer une remise : qui écrit le livret (CIP, ET) ou le remet au SPIP (CPIP, DPIP) ;
    # la direction l'imprime (livret_pdf) sans enregistrer de remise.
    "parcours_siae:livret_remise": Attendu(kwargs=_K_LIVRET, get=_COTES),
    "parcours_siae:livret_pdf": Attendu(kwargs=_K_LIVRET, get=_DOSSIER),
    "parcours_siae:livret_remettre": Attendu(
        kwargs=lambda m: {"pk": m.objet("livret").pk, "destinataire": "spip"},
        get=pour(METHODE, **ANONYMES),
        post=pour(REDIRECTION, direction=REFUS, **_HORS_DOSSIER, **ANONYMES),
    ),
    "parcours_siae:livrets_en_lot": Attendu(
        get=pour(METHODE, **ANONYMES),
        post=pour(
            REFUS,
            cip=REDIRECTION,
            et=REDIRECTION,
            direction=REDIRECTION,
            cip_autre_siae=REDIRECTION,  # les livrets de sa propre SIAE (aucun : message)
            **ANONYMES,
        ),
    ),
    # Après une sortie sans accord, la SIAE n'a plus le dossier (ni le passage) ; le CPIP de
    # milieu ouvert qui a accepté le passage, lui, l'a.
    "parcours_siae:passage_pdf": Attendu(kwargs=_pk("passage"), get=_APRES_PASSAGE),
    "parcours_siae:passage_creer": Attendu(kwargs=_pk("parcours"), get=_SPIP),
    "parcours_siae:passage": Attendu(kwargs=_pk("passage"), get=_APRES_PASSAGE),
    "parcours_siae:passage_accepter": Attendu(
        kwargs=_pk("passage_propose"),
        get=pour(METHODE, **ANONYMES),
        post=pour(INTROUVABLE, cpip=REFUS, dpip=REFUS, cpip_mo=REDIRECTION, **ANONYMES),
    ),
    "parcours_siae:passage_renvoyer": Attendu(
        kwargs=_pk("passage_propose"),
        get=pour(INTROUVABLE, cpip=REFUS, dpip=REFUS, cpip_mo=OK, **ANONYMES),
    ),
    "parcours_siae:passages_a_recevoir": Attendu(
        get=pour(REFUS, cpip_mo=OK, cpip_mo_relais=OK, **ANONYMES)
    ),
    "accompagnement:suivi": Attendu(kwargs=_pk("personne"), get=_DOSSIER),
    "accompagnement:action_nouvelle": Attendu(kwargs=_pk("personne"), get=_COTES),
    "accompagnement:action_modifier": Attendu(kwargs=_pk("action"), get=_LIVRET),
    "accompagnement:situation_domaine": Attendu(
        kwargs=lambda m: {"pk": m.objet("personne").pk, "domaine": "projet_professionnel"},
        get=_COTES,
    ),
    "accompagnement:contacts_partenaires": Attendu(
        get=pour(
            REFUS, cpip=OK, cpip_autre_spip=OK, cpip_mo=OK, cpip_mo_relais=OK, dpip=OK, **ANONYMES
        )
    ),
    "accompagnement:amenagement_nouveau": Attendu(
        kwargs=_pk("personne"),
        get=pour(INTROUVABLE, cpip=OK, dpip=OK, cip=REFUS, et=REFUS, direction=REFUS, **ANONYMES),
    ),
    "accompagnement:amenagement": Attendu(kwargs=_pk("amenagement"), get=_DOSSIER),
    "accompagnement:amenagement_statut": Attendu(
        kwargs=_pk("amenagement"),
        get=pour(INTROUVABLE, cpip=OK, dpip=OK, cip=REFUS, et=REFUS, direction=REFUS, **ANONYMES),
    ),
    "accompagnement:element_nouveau": Attendu(
        kwargs=_pk("amenagement"),
        get=pour(INTROUVABLE, cpip=OK, dpip=OK, cip=OK, et=OK, direction=REFUS, **ANONYMES),
    ),
    "accompagnement:liaisons_jap": Attendu(kwargs=_pk("personne"), get=_JAP),
    "accompagnement:liaison_jap_nouvelle": Attendu(kwargs=_pk("personne"), get=_JAP),
    "accompagnement:liaison_jap": Attendu(kwargs=_pk("liaison_jap"), get=_JAP),
    "accompagnement:presentations_jap": Attendu(
        # Les présentations des implantations de son antenne SPIP (l'autre SPIP voit les siennes).
        get=pour(INTROUVABLE, cpip=OK, dpip=OK, cpip_autre_spip=OK, **ANONYMES)
    ),
}

# Adresses qu'un profil ouvre en GET et dont le POST n'est pas refusé (405), mais qui n'ont aucun
# champ à remplir : le corpus hostile n'y a rien à saisir. Déclarées ici pour que la liste des
# formulaires soit calculée à la collecte (rien n'est sauté à l'exécution) ; ``test_corpus``
# vérifie que chaque déclaration reste vraie (un PDF reste inerte, un export reste un CSV, une page
# n'a toujours aucun champ saisissable) et qu'une page gardée a bien un champ à remplir.
DOCUMENTS_PDF = frozenset(
    {
        "charte_version_pdf",
        "notice_information",
        "parcours:session_cpu_pdf",
        "parcours_siae:livret_pdf",
        "parcours_siae:passage_pdf",
    }
)
EXPORTS_CSV = frozenset({"parcours:statistiques_csv", "communication:annuaire_export"})
PAGES_SANS_SAISIE = frozenset(
    {
        "accueil",
        "password_reset_confirm",  # jeton invalide : la page l'explique, sans formulaire
        "chartes",
        "charte_detail",
        "charte_version",
        "charte_comparer",
        "charte_modifier",
        "charte_article",
        "lot_impression",
        "journal_objet",
        "parcours:personnes",
        "parcours:eligibles",
        "parcours:orientations",
        "parcours:personne",
        "parcours:orientation",
        "parcours:statistiques",
        "parcours_siae:sortis",
        "parcours_siae:parcours",
        "parcours_siae:a_recevoir",
        "parcours_siae:en_parcours",
        "parcours_siae:livret_version",
        "parcours_siae:livret",
        "parcours_siae:passage",
        "parcours_siae:passages_a_recevoir",
        "communication:cahiers",
        "communication:annuaire",
        "communication:reunions",
        "communication:reunion",
        "communication:notifications",
        "accompagnement:suivi",
        "accompagnement:contacts_partenaires",
        "accompagnement:liaisons_jap",
        "accompagnement:liaison_jap",
    }
)
SANS_SAISIE = DOCUMENTS_PDF | EXPORTS_CSV | PAGES_SANS_SAISIE

MATRICE: dict[str, Attendu] = {
    # Noyau
    "accueil": Attendu(get=pour(OK, **ANONYMES)),
    "chartes": Attendu(get=pour(OK, **ANONYMES)),
    "charte_detail": Attendu(
        kwargs=lambda m: {"pk": m.site.charte.pk},
        get=pour(OK, **_HORS_PORTEE_CHARTE, **ANONYMES),
    ),
    "charte_modifier": Attendu(kwargs=lambda m: {"pk": m.site.charte.pk}, get=_ADAPTER_CHARTE),
    "journal_objet": Attendu(
        kwargs=lambda m: {"type_objet": "charte_iae.charte", "objet_id": m.site.charte.pk},
        get=_ADAPTER_CHARTE,
    ),
    "favicon": Attendu(get=pour(REDIRECTION), post=METHODE_INTERDITE_POUR_TOUS),
    "healthz": Attendu(get=pour(OK), post=METHODE_INTERDITE_POUR_TOUS),
    "readyz": Attendu(get=pour(OK), post=METHODE_INTERDITE_POUR_TOUS),
    # Comptes
    "connexion": Attendu(get=pour(REDIRECTION, anonyme=OK, desactive=OK)),
    "deconnexion": Attendu(get=pour(METHODE, **ANONYMES), post=pour(CONNEXION)),
    "otp_verifier": Attendu(get=pour(REDIRECTION, **ANONYMES)),  # sans application : activer
    "otp_activer": Attendu(get=pour(OK, **ANONYMES)),
    "password_reset": Attendu(get=pour(OK)),
    "password_reset_done": Attendu(get=pour(OK), post=pour(METHODE)),
    "password_reset_confirm": Attendu(
        kwargs=lambda m: {"uidb64": "MQ", "token": "jeton-invalide"}, get=pour(OK)
    ),
    "password_reset_complete": Attendu(get=pour(OK), post=pour(METHODE)),
    "password_change": Attendu(get=pour(OK, **ANONYMES)),
    "password_change_done": Attendu(get=pour(OK, **ANONYMES), post=pour(METHODE, **ANONYMES)),
    **NOUVELLES,
    **SIAE_ET_ACCOMPAGNEMENT,
}


# --- L'administration nationale : une entrée par motif, générée ----------------------------------
# Chaque motif d'administration est gardé par ``admin_site.admin_view`` : hors administrateur
# national, renvoi vers l'administration (connexion) ; la page de connexion est publique.

_ADMIN_NON_STAFF = pour(HORS_ADMIN, admin=ACCESSIBLE)
_ADMIN_SPECIAUX = {
    "admin:login": Attendu(get=pour(OK, admin=REDIRECTION), post=pour(OK)),
    # Hors administrateur, la déconnexion de l'administration renvoie à son accueil (qui refuse).
    "admin:logout": Attendu(
        get=pour(REDIRECTION, anonyme=HORS_ADMIN, desactive=HORS_ADMIN, admin=METHODE),
        post=pour(REDIRECTION, anonyme=HORS_ADMIN, desactive=HORS_ADMIN, admin=CONNEXION),
    ),
}


def _modele_admin(route: str) -> Any:
    for modele in admin.site._registry:
        if route.startswith(f"admin/{modele._meta.app_label}/{modele._meta.model_name}/"):
            return modele
    return None


def _kwargs_admin(route: str) -> Callable[[Monde], dict[str, Any]]:
    def kwargs(m: Monde) -> dict[str, Any]:
        modele = _modele_admin(route)
        premier = modele._default_manager.order_by("pk").first() if modele else None
        pk = str(premier.pk) if premier else "0"
        valeurs: dict[str, Any] = {}
        for nom in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
            cle = nom[0] or nom[1]
            if cle in {"object_id", "pk", "id"}:
                valeurs[cle] = pk if cle == "object_id" else int(pk)
            elif cle == "content_type_id":
                valeurs[cle] = str(ContentType.objects.get_for_model(Charte).pk)
            elif cle == "app_label":
                valeurs[cle] = "charte_iae"
            elif cle == "url":
                valeurs[cle] = "nexiste-pas/"
        return valeurs

    return kwargs


def _url_depuis_route(route: str) -> Callable[[Monde], str]:
    def url(m: Monde) -> str:
        valeurs = _kwargs_admin(route)(m)
        chemin = re.sub(r"\(\?P<(\w+)>[^)]*\)\$?", lambda x: str(valeurs[x.group(1)]), route)
        chemin = re.sub(r"<(?:\w+:)?(\w+)>", lambda x: str(valeurs[x.group(1)]), chemin)
        return "/" + chemin

    return url


# --- Le parcours du résolveur ------------------------------------------------------------------


@dataclass(frozen=True)
class Motif:
    cle: str  # le nom complet (« admin:index ») ou, à défaut, la route
    nom: str | None
    route: str


def motifs_du_projet() -> Iterator[Motif]:
    def parcourir(motifs: list, prefixe: str, espace: str) -> Iterator[Motif]:
        for motif in motifs:
            if isinstance(motif, URLResolver):
                sous_espace = espace + (f"{motif.namespace}:" if motif.namespace else "")
                yield from parcourir(motif.url_patterns, prefixe + str(motif.pattern), sous_espace)
            elif isinstance(motif, URLPattern):
                route = prefixe + str(motif.pattern)
                nom = espace + motif.name if motif.name else None
                yield Motif(cle=nom or route, nom=nom, route=route)

    yield from parcourir(get_resolver().url_patterns, "", "")


def attendu_pour(motif: Motif) -> Attendu | None:
    if motif.cle in MATRICE:
        return MATRICE[motif.cle]
    if motif.route.startswith("admin/"):
        if motif.cle in _ADMIN_SPECIAUX:
            return _ADMIN_SPECIAUX[motif.cle]
        return Attendu(
            get=_ADMIN_NON_STAFF,
            kwargs=_kwargs_admin(motif.route),
            url=None if motif.nom else _url_depuis_route(motif.route),
        )
    return None


def adresse(motif: Motif, attendu: Attendu, monde: Monde) -> str:
    if attendu.url is not None:
        return attendu.url(monde)
    assert motif.nom, f"motif sans nom : {motif.route} — nommez-le ou donnez url= dans la matrice"
    return reverse(motif.nom, kwargs=attendu.kwargs(monde))


def classer(reponse: Any) -> Any:
    if reponse.status_code in {301, 302, 303, 307, 308}:
        cible = reponse["Location"]
        if cible.startswith(reverse("connexion")):
            return CONNEXION
        if cible.startswith(reverse("admin:login")):
            return HORS_ADMIN
        return REDIRECTION
    return reponse.status_code


def concorde(attendu: Any, obtenu: Any) -> bool:
    if attendu == HORS_ADMIN:
        # Selon la vue d'administration, le renvoi va vers sa connexion ou celle du site.
        return obtenu in {HORS_ADMIN, CONNEXION}
    if attendu == ACCESSIBLE:
        return obtenu not in {CONNEXION, HORS_ADMIN} and not (
            isinstance(obtenu, int) and obtenu >= 500
        )
    return attendu == obtenu
