"""Lire une charte : la version en vigueur, son contenu assemblé, sa complétude, ce qui
change entre deux états.

Les autres applications n'appellent que les fonctions de la première section :
``chef_de_file``, ``repartition_en_vigueur``, ``criteres_locaux``, ``version_en_vigueur``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from charte_iae.models import (
    ArticleModele,
    ChampModele,
    Charte,
    ChefDeFile,
    CritereLocal,
    Implantation,
    RepartitionRoles,
    StatutVersion,
    ValeurChamp,
    VersionCharte,
)
from charte_iae.models.charte import TypeChamp

# --- Ce que les autres applications demandent ---------------------------------------------


def version_en_vigueur(implantation: Implantation | int) -> VersionCharte | None:
    """La version de la charte en vigueur pour cette implantation (approuvée par les deux
    parties), ou None tant qu'aucune ne l'est."""
    implantation_id = implantation if isinstance(implantation, int) else implantation.pk
    return (
        VersionCharte.objects.filter(
            charte__implantation_id=implantation_id, statut=StatutVersion.EN_VIGUEUR
        )
        .select_related("charte")
        .first()
    )


def repartition_en_vigueur(implantation: Implantation | int) -> dict[str, RepartitionRoles]:
    """Le tableau de répartition des rôles en vigueur, par code de domaine (une requête) :
    pour traiter plusieurs domaines sans requête par domaine."""
    implantation_id = implantation if isinstance(implantation, int) else implantation.pk
    lignes = RepartitionRoles.objects.filter(
        version__charte__implantation_id=implantation_id,
        version__statut=StatutVersion.EN_VIGUEUR,
    ).select_related("domaine")
    return {ligne.domaine.code: ligne for ligne in lignes}


def chef_de_file(implantation: Implantation | int, domaine_code: str) -> ChefDeFile | None:
    """Qui mène le domaine ``domaine_code`` dans cette implantation, selon la charte en
    vigueur : CPIP, permanents de la SIAE, intervention partagée ou autres acteurs. None si
    aucune charte n'est en vigueur, si le domaine n'y figure pas ou si le chef de file n'est
    pas désigné. Codes nationaux : acces_droits, logement, sante, projet_professionnel,
    recherche_emploi_sortie, formation, mobilite, amenagement_peine (+ domaines locaux)."""
    implantation_id = implantation if isinstance(implantation, int) else implantation.pk
    valeur = (
        RepartitionRoles.objects.filter(
            version__charte__implantation_id=implantation_id,
            version__statut=StatutVersion.EN_VIGUEUR,
            domaine__code=domaine_code,
        )
        .values_list("chef_de_file", flat=True)
        .first()
    )
    return ChefDeFile(valeur) if valeur else None


def criteres_locaux(implantation: Implantation | int) -> list[str]:
    """Les prérequis locaux d'éligibilité de la charte en vigueur, dans l'ordre : la
    prescription les affiche comme cases à cocher confirmées par le CPIP."""
    implantation_id = implantation if isinstance(implantation, int) else implantation.pk
    return list(
        CritereLocal.objects.filter(
            version__charte__implantation_id=implantation_id,
            version__statut=StatutVersion.EN_VIGUEUR,
        )
        .order_by("ordre")
        .values_list("libelle", flat=True)
    )


# --- Contenu d'une version ----------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    cle: str
    libelle: str
    avant: str
    apres: str


@dataclass
class BlocAssemble:
    nature: str
    texte: str = ""
    items: list[str] = field(default_factory=list)
    champ: ChampModele | None = None
    valeur: str = ""
    rubriques: list[tuple[str, str]] = field(default_factory=list)
    lignes: list[RepartitionRoles] = field(default_factory=list)

    @property
    def vide(self) -> bool:
        return not (self.valeur or self.rubriques or self.items or self.lignes)


@dataclass
class ArticleAssemble:
    article: ArticleModele
    blocs: list[BlocAssemble]


def _affichage_rubrique(sous: dict[str, Any], valeur: Any) -> str:
    if sous["type"] == "booleen":
        return "Oui" if valeur else "Non"
    if sous["type"] == "choix":
        return dict(sous.get("choix", [])).get(valeur, "") if valeur else ""
    return str(valeur or "").strip()


def _rempli(sous: dict[str, Any], valeur: Any) -> bool:
    return bool(valeur) if sous["type"] == "booleen" else bool(str(valeur or "").strip())


class ContenuVersion:
    """Tout le contenu d'une version, chargé en un nombre fixe de requêtes (5)."""

    def __init__(self, version: VersionCharte) -> None:
        self.version = version
        self.articles = list(ArticleModele.objects.filter(modele_id=version.modele_id))
        self.champs = list(ChampModele.objects.filter(modele_id=version.modele_id))
        self.valeurs = {v.champ_id: v for v in ValeurChamp.objects.filter(version=version)}
        self.criteres = list(CritereLocal.objects.filter(version=version).order_by("ordre"))
        self.lignes = list(
            RepartitionRoles.objects.filter(version=version)
            .select_related("domaine")
            .order_by("domaine__charte_id", "domaine__ordre", "domaine_id")
        )

    def texte(self, champ: ChampModele) -> str:
        valeur = self.valeurs.get(champ.pk)
        return valeur.texte.strip() if valeur else ""

    def donnees(self, champ: ChampModele) -> dict[str, Any]:
        valeur = self.valeurs.get(champ.pk)
        return valeur.donnees if valeur else {}

    def champs_de(self, article: ArticleModele) -> list[ChampModele]:
        return [c for c in self.champs if c.article_id == article.pk]

    # Le document lisible
    def assembler(self) -> list[ArticleAssemble]:
        champs = {c.code: c for c in self.champs}
        resultat = []
        for article in self.articles:
            blocs = []
            for bloc in article.blocs:
                if "paragraphe" in bloc:
                    blocs.append(BlocAssemble("paragraphe", texte=bloc["paragraphe"]))
                elif "liste" in bloc:
                    blocs.append(BlocAssemble("liste", items=bloc["liste"]))
                elif "note" in bloc:
                    blocs.append(BlocAssemble("note", texte=bloc["note"]))
                else:
                    blocs.append(self._bloc_champ(champs[bloc["champ"]]))
            resultat.append(ArticleAssemble(article, blocs))
        return resultat

    def _bloc_champ(self, champ: ChampModele) -> BlocAssemble:
        bloc = BlocAssemble("champ", champ=champ, valeur=self.texte(champ))
        if champ.type == TypeChamp.STRUCTURE:
            donnees = self.donnees(champ)
            bloc.rubriques = [
                (s["libelle"], _affichage_rubrique(s, donnees.get(s["code"])))
                for s in champ.sous_champs
                if _rempli(s, donnees.get(s["code"]))
            ]
        elif champ.type == TypeChamp.CRITERES:
            bloc.items = [c.libelle for c in self.criteres]
        elif champ.type == TypeChamp.REPARTITION:
            bloc.lignes = self.lignes
        return bloc

    # La complétude
    def manquants(self) -> list[str]:
        """Ce qui reste à remplir avant de pouvoir soumettre la version, en français."""
        manque = []
        for champ in self.champs:
            if not champ.obligatoire:
                continue
            article = next(a for a in self.articles if a.pk == champ.article_id)
            prefixe = f"Article {article.numero} — {champ.libelle}"
            if champ.type == TypeChamp.TEXTE and not self.texte(champ):
                manque.append(prefixe)
            elif champ.type == TypeChamp.CRITERES and not self.criteres:
                manque.append(f"{prefixe} : au moins un critère")
            elif champ.type == TypeChamp.STRUCTURE:
                donnees = self.donnees(champ)
                requis = [s for s in champ.sous_champs if s.get("obligatoire")]
                if requis:
                    manque += [
                        f"{prefixe} : {s['libelle']}"
                        for s in requis
                        if not _rempli(s, donnees.get(s["code"]))
                    ]
                elif not any(_rempli(s, donnees.get(s["code"])) for s in champ.sous_champs):
                    manque.append(f"{prefixe} : au moins une rubrique")
            elif champ.type == TypeChamp.REPARTITION:
                manque += [
                    f"{prefixe} : chef de file du domaine « {ligne.domaine} »"
                    for ligne in self.lignes
                    if not ligne.chef_de_file
                ]
        return manque

    # L'état comparable (instantané des révisions, comparaison des versions)
    def elements(self) -> list[list[str]]:
        """[clé, libellé, valeur affichée] pour chaque élément modifiable, dans l'ordre."""
        articles = {a.pk: a for a in self.articles}
        sortie: list[list[str]] = []
        for champ in self.champs:
            libelle = f"Art. {articles[champ.article_id].numero} — {champ.libelle}"
            if champ.type == TypeChamp.STRUCTURE:
                donnees = self.donnees(champ)
                for s in champ.sous_champs:
                    sortie.append(
                        [
                            f"{champ.code}.{s['code']}",
                            f"{libelle} : {s['libelle']}",
                            _affichage_rubrique(s, donnees.get(s["code"])),
                        ]
                    )
                continue
            if champ.type == TypeChamp.CRITERES:
                valeur = "\n".join(c.libelle for c in self.criteres)
            else:
                valeur = self.texte(champ)
            sortie.append([champ.code, libelle, valeur])
            if champ.type == TypeChamp.REPARTITION:
                for ligne in self.lignes:
                    base = f"repartition.{ligne.domaine.code}"
                    nom = f"Répartition — {ligne.domaine}"
                    sortie += [
                        [
                            f"{base}.chef_de_file",
                            f"{nom} : chef de file",
                            ligne.get_chef_de_file_display(),
                        ],
                        [f"{base}.cpip", f"{nom} : CPIP", ligne.cpip],
                        [f"{base}.siae", f"{nom} : permanents de la SIAE", ligne.siae],
                        [f"{base}.partage", f"{nom} : interventions partagées", ligne.partage],
                        [f"{base}.autres", f"{nom} : autres acteurs", ligne.autres],
                    ]
        return sortie


def comparer(avant: list[list[str]], apres: list[list[str]]) -> list[Difference]:
    """Les éléments qui diffèrent entre deux états (ajoutés, modifiés, retirés)."""
    anciens = {cle: (libelle, valeur) for cle, libelle, valeur in avant}
    nouveaux = {cle: (libelle, valeur) for cle, libelle, valeur in apres}
    differences = []
    for cle, libelle, valeur in apres:
        ancienne = anciens.get(cle, (libelle, ""))[1]
        if ancienne != valeur:
            differences.append(Difference(cle, libelle, ancienne, valeur))
    for cle, libelle, valeur in avant:
        if cle not in nouveaux and valeur:
            differences.append(Difference(cle, libelle, valeur, ""))
    return differences


# --- L'état de la charte, pour l'afficher --------------------------------------------------


@dataclass(frozen=True)
class EtatCharte:
    libelle: str
    niveau: str  # info, success, warning (classes DSFR)
    detail: str


def etat(charte: Charte, en_vigueur: VersionCharte | None) -> EtatCharte:
    """La charte débute pendant la période d'implantation et doit être finalisée quand
    l'activité de la SIAE démarre (modèle national, article 1)."""
    implantation = charte.implantation
    if en_vigueur is not None:
        return EtatCharte(
            "Finalisée",
            "success",
            f"Version {en_vigueur.numero} en vigueur depuis le "
            f"{timezone.localtime(en_vigueur.en_vigueur_le):%d/%m/%Y}, approuvée par les deux parties.",
        )
    if implantation.en_activite:
        return EtatCharte(
            "À finaliser",
            "warning",
            "L'activité de la SIAE a démarré le "
            f"{implantation.date_demarrage:%d/%m/%Y} : la charte doit être finalisée "
            "et approuvée par les deux parties.",
        )
    return EtatCharte(
        "En rédaction",
        "info",
        "Période d'implantation depuis le "
        f"{implantation.debut_implantation:%d/%m/%Y} : la charte se rédige et sera "
        "finalisée au démarrage de l'activité.",
    )
