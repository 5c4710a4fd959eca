"""Pages de la charte : consultation de la version en vigueur, espace d'adaptation (articles,
tableau de répartition des rôles), soumission, approbations, comparaison des versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from charte_iae import charte as lecture
from charte_iae import documents, pdf, versions
from charte_iae.forms_charte import FormulaireArticle, FormulaireDomaineLocal, FormulaireRepartition
from charte_iae.models import ArticleModele, Charte, StatutVersion, Utilisateur, VersionCharte
from charte_iae.permissions import (
    can_approve_charte,
    can_edit_charte,
    can_view_version,
    chartes_visibles,
    parties_approbation,
)


class Requete(HttpRequest):
    """Une requête d'agent connecté (LoginRequiredMiddleware), avec les détails htmx."""

    user: Utilisateur  # type: ignore[assignment]
    htmx: HtmxDetails


def _charte(request: Requete, pk: int) -> Charte:
    return get_object_or_404(
        chartes_visibles(request.user).select_related(
            "implantation__siae", "implantation__etablissement", "implantation__spip"
        ),
        pk=pk,
    )


def _exiger_redacteur(request: Requete, charte: Charte) -> None:
    if not can_edit_charte(request.user, charte):
        raise PermissionDenied(versions.REFUS_ADAPTATION)


def _version_en_cours(charte: Charte) -> VersionCharte | None:
    return (
        charte.versions.en_cours()
        .select_related("modifiee_par", "soumise_par", "approuvee_spip_par", "approuvee_siae_par")
        .first()
    )


def _consultation(request: Requete, charte: Charte, version: VersionCharte | None) -> HttpResponse:
    en_vigueur = (
        version
        if version is not None and version.statut == StatutVersion.EN_VIGUEUR
        else charte.versions.en_vigueur().first()
    )
    contenu = lecture.ContenuVersion(version) if version is not None else None
    return render(
        request,
        "charte_iae/charte/consultation.html",
        {
            "charte": charte,
            "version": version,
            "articles": contenu.assembler() if contenu else [],
            "etat": lecture.etat(charte, en_vigueur),
            "peut_modifier": can_edit_charte(request.user, charte),
        },
    )


def charte_detail(request: Requete, pk: int) -> HttpResponse:
    """La charte en vigueur, lue par tout agent de l'implantation."""
    charte = _charte(request, pk)
    version = (
        charte.versions.en_vigueur()
        .select_related("approuvee_spip_par", "approuvee_siae_par")
        .first()
    )
    return _consultation(request, charte, version)


def charte_version(request: Requete, pk: int, numero: int) -> HttpResponse:
    """Une version donnée (ancienne, ou en cours pour ceux qui l'adaptent)."""
    charte = _charte(request, pk)
    version = get_object_or_404(
        charte.versions.select_related("approuvee_spip_par", "approuvee_siae_par"), numero=numero
    )
    if not can_view_version(request.user, version):
        raise PermissionDenied(REFUS_VERSION_EN_COURS)
    return _consultation(request, charte, version)


REFUS_VERSION_EN_COURS = (
    "Une version en cours d'adaptation se lit par ceux qui l'adaptent et l'approuvent ; "
    "consultez la version en vigueur."
)


def charte_version_pdf(request: Requete, pk: int, numero: int) -> HttpResponse:
    """La charte imprimée d'une version (en vigueur, remplacée, ou projet marqué comme tel
    sur chaque page), pour qui peut lire cette version."""
    charte = _charte(request, pk)
    version = get_object_or_404(
        charte.versions.select_related("approuvee_spip_par", "approuvee_siae_par"), numero=numero
    )
    if not can_view_version(request.user, version):
        raise PermissionDenied(REFUS_VERSION_EN_COURS)
    prepare = documents.CHARTE.preparer(version)
    return pdf.reponse_pdf(
        request, prepare.gabarit, prepare.contexte, nom_fichier=prepare.nom_fichier, objet=version
    )


def charte_modifier(request: Requete, pk: int) -> HttpResponse:
    """L'espace d'adaptation : version en cours, complétude, articles, actions."""
    charte = _charte(request, pk)
    if not (can_edit_charte(request.user, charte) or can_approve_charte(request.user, charte)):
        raise PermissionDenied(versions.REFUS_ADAPTATION)
    version = _version_en_cours(charte)
    contexte: dict[str, Any] = {
        "charte": charte,
        "version": version,
        "en_vigueur": charte.versions.en_vigueur().first(),
        "peut_modifier": can_edit_charte(request.user, charte),
    }
    if version is not None:
        contenu = lecture.ContenuVersion(version)
        parties = parties_approbation(request.user, charte)
        contexte |= {
            "articles": [
                (article, contenu.champs_de(article))
                for article in contenu.articles
                if contenu.champs_de(article)
            ],
            "manquants": contenu.manquants(),
            "peut_approuver": version.statut == StatutVersion.SOUMISE
            and any(not version.approuvee_par(p) for p in parties),
        }
    return render(request, "charte_iae/charte/espace.html", contexte)


@require_POST
def charte_nouvelle_version(request: Requete, pk: int) -> HttpResponse:
    charte = _charte(request, pk)
    _exiger_redacteur(request, charte)
    try:
        version = versions.creer_version(charte=charte, par=request.user)
    except versions.TransitionInterdite as erreur:
        # Double envoi, ou l'autre partie l'a ouverte entre-temps : on rejoint la version en cours.
        messages.info(request, erreur.message)
    else:
        messages.success(
            request,
            f"Version {version.numero} ouverte en brouillon : elle devra être approuvée par "
            "les deux parties.",
        )
    return redirect("charte_modifier", pk=charte.pk)


def _brouillon_ou_redirection(request: Requete, charte: Charte) -> VersionCharte | None:
    version = _version_en_cours(charte)
    if version is None or version.statut != StatutVersion.BROUILLON:
        messages.warning(
            request,
            "Aucun brouillon en cours : ouvrez une nouvelle version, ou retirez la version "
            "soumise pour la modifier.",
        )
        return None
    return version


def charte_article(request: Requete, pk: int, article_pk: int) -> HttpResponse:
    """Remplir les champs d'un article du brouillon, avec les consignes du modèle."""
    charte = _charte(request, pk)
    _exiger_redacteur(request, charte)
    version = _brouillon_ou_redirection(request, charte)
    if version is None:
        return redirect("charte_modifier", pk=charte.pk)
    article = get_object_or_404(ArticleModele, pk=article_pk, modele_id=version.modele_id)
    contenu = lecture.ContenuVersion(version)
    form = FormulaireArticle(request.POST or None, article=article, contenu=contenu)
    conflit = None
    if request.method == "POST" and form.is_valid():
        try:
            versions.enregistrer_champs(
                version=version,
                revision=form.cleaned_data["revision"],
                saisies=form.saisies(),
                par=request.user,
            )
        except versions.ConflitEdition as erreur:
            conflit = erreur
            form = _avec_revision(form, erreur.revision, article=article, contenu=contenu)
        else:
            messages.success(request, f"Article {article.numero} enregistré.")
            return redirect("charte_modifier", pk=charte.pk)
    return render(
        request,
        "charte_iae/charte/article.html",
        {
            "charte": charte,
            "version": version,
            "article": article,
            "form": form,
            "conflit": conflit,
        },
    )


def _avec_revision(form: Any, revision: int, **kwargs: Any) -> Any:
    """Le même formulaire, saisie conservée, portant la révision actuelle : un nouvel envoi
    confirme, en connaissance de cause, la saisie par-dessus les changements affichés."""
    donnees = form.data.copy()
    donnees["revision"] = str(revision)
    nouveau = type(form)(donnees, **kwargs)
    nouveau.is_valid()
    return nouveau


def _grille(
    request: Requete,
    charte: Charte,
    version: VersionCharte,
    form: FormulaireRepartition | None = None,
    form_domaine: FormulaireDomaineLocal | None = None,
    conflit: versions.ConflitEdition | None = None,
    enregistre: bool = False,
) -> HttpResponse:
    if form is None:
        lignes = list(version.repartition.select_related("domaine"))
        form = FormulaireRepartition(lignes=lignes, revision=version.revision)
    gabarit = "charte_iae/charte/repartition.html"
    if request.htmx:
        gabarit += "#grille"
    return render(
        request,
        gabarit,
        {
            "charte": charte,
            "version": version,
            "form": form,
            "form_domaine": form_domaine
            or FormulaireDomaineLocal(initial={"revision": version.revision}),
            "conflit": conflit,
            "enregistre": enregistre,
        },
    )


def charte_repartition(request: Requete, pk: int) -> HttpResponse:
    """Le tableau de répartition des rôles, enregistré d'un bloc (htmx : sans recharger)."""
    charte = _charte(request, pk)
    _exiger_redacteur(request, charte)
    version = _brouillon_ou_redirection(request, charte)
    if version is None:
        return redirect("charte_modifier", pk=charte.pk)
    if request.method != "POST":
        return _grille(request, charte, version)
    lignes = list(version.repartition.select_related("domaine"))
    form = FormulaireRepartition(request.POST, lignes=lignes, revision=version.revision)
    if not form.is_valid():
        return _grille(request, charte, version, form=form)
    try:
        version = versions.enregistrer_repartition(
            version=version,
            revision=form.cleaned_data["revision"],
            lignes=form.valeurs(),
            retirees=form.retirees(),
            par=request.user,
        )
    except versions.ConflitEdition as erreur:
        donnees = request.POST.copy()
        donnees["revision"] = str(erreur.revision)
        form = FormulaireRepartition(donnees, lignes=lignes, revision=erreur.revision)
        form.is_valid()
        return _grille(request, charte, version, form=form, conflit=erreur)
    except versions.TransitionInterdite as erreur:
        messages.error(request, erreur.message)
        return redirect("charte_repartition", pk=charte.pk)
    if not request.htmx:
        messages.success(request, "Tableau de répartition des rôles enregistré.")
        return redirect("charte_repartition", pk=charte.pk)
    return _grille(request, charte, version, enregistre=True)


@require_POST
def charte_domaine_ajouter(request: Requete, pk: int) -> HttpResponse:
    charte = _charte(request, pk)
    _exiger_redacteur(request, charte)
    version = _brouillon_ou_redirection(request, charte)
    if version is None:
        return redirect("charte_modifier", pk=charte.pk)
    form_domaine: FormulaireDomaineLocal | None = FormulaireDomaineLocal(request.POST)
    conflit = None
    if form_domaine is not None and form_domaine.is_valid():
        try:
            versions.ajouter_domaine_local(
                version=version,
                revision=form_domaine.cleaned_data["revision"],
                libelle=form_domaine.cleaned_data["libelle"],
                par=request.user,
            )
        except versions.ConflitEdition as erreur:
            conflit = erreur
        except versions.TransitionInterdite as erreur:
            form_domaine.add_error("libelle", erreur.message)
        else:
            version.refresh_from_db()
            form_domaine = None
            if not request.htmx:
                messages.success(request, "Domaine ajouté au tableau.")
                return redirect("charte_repartition", pk=charte.pk)
    if conflit is not None:
        version.refresh_from_db()
    return _grille(request, charte, version, form_domaine=form_domaine, conflit=conflit)


def _transition(request: Requete, pk: int, action: str) -> HttpResponse:
    charte = _charte(request, pk)
    version = _version_en_cours(charte)
    if action == "approuver":
        if not can_approve_charte(request.user, charte):
            raise PermissionDenied(versions.REFUS_APPROBATION)
    else:
        _exiger_redacteur(request, charte)
    if version is None:
        messages.error(request, "Aucune version n'est en cours d'adaptation.")
        return redirect("charte_modifier", pk=charte.pk)
    try:
        if action == "soumettre":
            versions.soumettre(version=version, par=request.user)
            messages.success(
                request, "Version soumise : elle attend l'approbation des deux parties."
            )
        elif action == "retirer":
            versions.retirer(version=version, par=request.user)
            messages.success(request, "Version retirée : elle redevient un brouillon modifiable.")
        else:
            version = versions.approuver(version=version, par=request.user)
            if version.statut == StatutVersion.EN_VIGUEUR:
                messages.success(
                    request,
                    f"Approuvée par les deux parties : la version {version.numero} est en vigueur.",
                )
                return redirect("charte_detail", pk=charte.pk)
            messages.success(
                request, "Approbation enregistrée : elle attend celle de l'autre partie."
            )
    except versions.TransitionInterdite as erreur:
        messages.error(request, erreur.message)
    return redirect("charte_modifier", pk=charte.pk)


@require_POST
def charte_soumettre(request: Requete, pk: int) -> HttpResponse:
    return _transition(request, pk, "soumettre")


@require_POST
def charte_retirer(request: Requete, pk: int) -> HttpResponse:
    return _transition(request, pk, "retirer")


@require_POST
def charte_approuver(request: Requete, pk: int) -> HttpResponse:
    return _transition(request, pk, "approuver")


def charte_comparer(request: Requete, pk: int) -> HttpResponse:
    """Ce qui change entre deux versions, et l'historique des versions et approbations."""
    charte = _charte(request, pk)
    toutes = list(
        charte.versions.select_related(
            "creee_par", "soumise_par", "approuvee_spip_par", "approuvee_siae_par"
        ).prefetch_related("evenements__par")
    )
    visibles = [v for v in toutes if can_view_version(request.user, v)]
    par_numero = {v.numero: v for v in visibles}

    def choisie(param: str, defaut: VersionCharte | None) -> VersionCharte | None:
        try:
            return par_numero.get(int(request.GET.get(param, "")), defaut)
        except ValueError:
            return defaut

    a = choisie("a", visibles[0] if visibles else None)
    de = choisie("de", next((v for v in visibles if a and v.numero < a.numero), None))
    differences = []
    if a is not None and de is not None:
        differences = lecture.comparer(
            lecture.ContenuVersion(de).elements(), lecture.ContenuVersion(a).elements()
        )
    return render(
        request,
        "charte_iae/charte/comparer.html",
        {"charte": charte, "versions": visibles, "de": de, "a": a, "differences": differences},
    )
