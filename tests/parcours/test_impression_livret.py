"""Le livret de compétences imprimé (version finalisée, en un clic depuis sa page, remise
enregistrée), les livrets d'une SIAE en tâche de fond, la synthèse de passage en milieu
ouvert ; contenu vérifié sur le texte du PDF, saisies hostiles inertes."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from charte_iae import documents, pdf
from charte_iae.models import LotImpression, StatutLot
from parcours import services_siae as services
from parcours.documents import LIVRET, SYNTHESE_PASSAGE
from parcours.enums import CategorieCompetence, DestinataireRemise, NiveauCompetence
from parcours.models import (
    CompetenceLivret,
    DemarcheEngagee,
    FormationSuivie,
    LivretCompetences,
    ObservationCompetence,
    ParcoursIAE,
    Personne,
    PosteOccupe,
    RemiseLivret,
)
from tests.impression_outils import (
    Ecouteur,
    apparait_comme_texte,
    hostile,
    hostiles,
    pages,
    rendre_et_verifier_inerte,
    texte,
)
from tests.parcours.siae_outils import en_parcours, sortir

AUJOURD_HUI = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def remplir_et_finaliser(site, parcours, *, competences=3, observations=1, nom="Élodie"):
    """Un livret rempli par les services (court), ou en masse pour un livret long."""
    Personne.objects.filter(pk=parcours.personne_id).update(
        nom="Lefèvre", prenom=nom, date_naissance=datetime.date(1991, 4, 12)
    )
    services.modifier_projet(
        parcours=parcours,
        auteur=site.cip,
        objectifs="Obtenir le CACES 1 et consolider la ponctualité.",
        projet_professionnel="Préparatrice de commandes en entrepôt, à Lyon.",
    )
    livret = parcours.livrets.get(finalise_le__isnull=True)
    for i in range(competences):
        categorie = CategorieCompetence.SAVOIR_ETRE if i % 2 else CategorieCompetence.TECHNIQUE
        competence = CompetenceLivret.objects.create(
            livret=livret,
            categorie=categorie,
            intitule=f"Compétence n° {i:02d} — gestes sûrs",
            niveau=NiveauCompetence.MAITRISE if i == 0 else NiveauCompetence.EN_COURS,
        )
        ObservationCompetence.objects.bulk_create(
            ObservationCompetence(
                competence=competence,
                date=AUJOURD_HUI,
                niveau=NiveauCompetence.ACQUIS,
                texte=f"Observation {j} de la compétence {i:02d} : travail soigné et régulier.",
                auteur=site.et,
            )
            for j in range(observations)
        )
    PosteOccupe.objects.create(
        livret=livret, intitule="Opératrice de conditionnement", debut=parcours.date_debut
    )
    FormationSuivie.objects.create(
        livret=livret,
        intitule="Sauveteur secouriste du travail",
        organisme="AFPA",
        date=AUJOURD_HUI,
        certification="Certificat SST",
    )
    DemarcheEngagee.objects.create(
        livret=livret,
        date=AUJOURD_HUI,
        intitule="Inscription à France Travail",
        partenaire="France Travail justice",
    )
    return services.finaliser_livret(livret=livret, auteur=site.cip)


@pytest.fixture
def parcours(site) -> ParcoursIAE:
    return en_parcours(site)


@pytest.fixture
def livret(site, parcours) -> LivretCompetences:
    return remplir_et_finaliser(site, parcours)


def test_le_livret_s_imprime_en_un_clic_depuis_sa_page(client, site, livret):
    client.force_login(site.cip)
    url = reverse("parcours_siae:livret_pdf", args=[livret.pk])
    assert (
        url
        in client.get(reverse("parcours_siae:livret_version", args=[livret.pk])).content.decode()
    )
    assert (
        url
        in client.get(reverse("parcours_siae:livret", args=[livret.parcours_id])).content.decode()
    )
    reponse = client.get(url)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    textes = pages(reponse.content)
    contenu = " ".join(textes)
    assert len(textes) <= 2
    assert all(f"page {n} / {len(textes)}" in t for n, t in enumerate(textes, start=1))
    assert "Élodie LEFÈVRE, né(e) le 12/04/1991" in contenu
    assert str(site.implantation.siae) in contenu and str(site.implantation.spip) in contenu
    assert "Conditionnement — Opérateur" in contenu and "24 heures par semaine" in contenu
    assert f"du {livret.parcours.date_debut:%d/%m/%Y}" in contenu
    assert "Opératrice de conditionnement" in contenu
    assert "Sauveteur secouriste du travail AFPA" in contenu and "Certificat SST" in contenu
    # Compétences par famille, avec leur niveau et leurs observations.
    assert contenu.index("Compétences techniques") < contenu.index("Compétence n° 00")
    assert contenu.index("Savoir-être") < contenu.index("Compétence n° 01")
    assert "Compétence n° 00 — gestes sûrs Maîtrisé" in contenu
    assert "Compétence n° 01 — gestes sûrs En cours d'acquisition" in contenu
    assert "(acquis) : Observation 0 de la compétence 02" in contenu
    assert "Inscription à France Travail France Travail justice" in contenu
    assert "Obtenir le CACES 1 et consolider la ponctualité." in contenu
    assert "Préparatrice de commandes en entrepôt, à Lyon." in contenu
    finalise = timezone.localtime(livret.finalise_le)
    assert f"Version 1 finalisée le {finalise:%d/%m/%Y}" in contenu
    assert f"édité le {AUJOURD_HUI:%d/%m/%Y}" in contenu
    assert "Date et signature" in contenu and f"Pour {site.implantation.siae}" in contenu


def test_un_livret_long_tient_sur_plusieurs_pages_en_tetes_repetes(settings, site, parcours):
    settings.PDF_DELAI_SECONDES = 120  # document long, machine de test parfois très chargée
    livret = remplir_et_finaliser(site, parcours, competences=64, observations=2)
    prepare = LIVRET.preparer(LIVRET.objets_imprimables(site.cip).get(pk=livret.pk))
    textes = pages(pdf.rendre_document(prepare.gabarit, prepare.contexte))
    assert len(textes) >= 4
    contenu = " ".join(textes)
    assert all(f"Compétence n° {i:02d}" in contenu for i in range(64))
    assert contenu.count("travail soigné et régulier") == 128
    avec_competences = [t for t in textes if "— gestes sûrs" in t]
    assert len(avec_competences) >= 3
    for texte_page in avec_competences:
        assert "Compétence Niveau Observations (date, niveau constaté)" in texte_page
    for numero, texte_page in enumerate(textes, start=1):
        assert f"page {numero} / {len(textes)}" in texte_page
        assert "Version 1 finalisée le" in texte_page and "Livret de compétences" in texte_page


def test_imprimer_et_remettre_enregistre_la_remise_une_seule_fois(client, site, livret):
    client.force_login(site.cip)
    url = reverse("parcours_siae:livret_remettre", args=[livret.pk, "personne"])
    page = client.get(reverse("parcours_siae:livret_version", args=[livret.pk])).content.decode()
    assert url in page
    reponse = client.post(url)
    assert reponse["Location"] == reverse("parcours_siae:livret_pdf", args=[livret.pk])
    remise = RemiseLivret.objects.get()
    assert remise.destinataire == DestinataireRemise.PERSONNE
    assert remise.date == AUJOURD_HUI and remise.saisie_par == site.cip
    client.post(url)
    assert RemiseLivret.objects.count() == 1
    assert f"Remis à la personne le {AUJOURD_HUI:%d/%m/%Y}" in texte(
        client.get(reverse("parcours_siae:livret_pdf", args=[livret.pk])).content
    )
    # Le SPIP de l'établissement enregistre aussi sa réception.
    client.force_login(site.cpip)
    client.post(reverse("parcours_siae:livret_remettre", args=[livret.pk, "spip"]))
    assert RemiseLivret.objects.filter(destinataire=DestinataireRemise.SPIP).exists()


def test_un_brouillon_ne_s_imprime_pas(client, site, parcours):
    services.modifier_projet(
        parcours=parcours, auteur=site.cip, objectifs="x", projet_professionnel="y"
    )
    brouillon = parcours.livrets.get()
    client.force_login(site.cip)
    reponse = client.get(reverse("parcours_siae:livret_pdf", args=[brouillon.pk]))
    assert reponse.status_code == 403
    assert not LIVRET.objets_imprimables(site.cip).filter(pk=brouillon.pk).exists()


def test_qui_ne_voit_pas_le_livret_ne_le_trouve_pas(client, site, autre_site, livret):
    for agent in (site.orienteur, autre_site.cip, autre_site.cpip):
        client.force_login(agent)
        url = reverse("parcours_siae:livret_pdf", args=[livret.pk])
        assert client.get(url).status_code == 404
        remettre = reverse("parcours_siae:livret_remettre", args=[livret.pk, "personne"])
        assert client.post(remettre).status_code == 404
    assert not RemiseLivret.objects.exists()
    client.force_login(site.et)
    assert client.get(reverse("parcours_siae:livret_pdf", args=[livret.pk])).status_code == 200


def test_anonyme_renvoye_vers_la_connexion(client, livret):
    reponse = client.get(reverse("parcours_siae:livret_pdf", args=[livret.pk]))
    assert reponse.status_code == 302 and "/comptes/connexion/" in reponse["Location"]


def test_tous_les_livrets_de_la_siae_en_tache_de_fond(
    client, site, autre_site, livret, django_capture_on_commit_callbacks
):
    # Deuxième parcours avec deux versions : seule la dernière est imprimée.
    second = remplir_et_finaliser(site, en_parcours(site), nom="Noël")
    correction = services.corriger_livret(livret=second, auteur=site.cip)
    correction = services.finaliser_livret(livret=correction, auteur=site.cip)
    remplir_et_finaliser(autre_site, en_parcours(autre_site), nom="Autre")
    client.force_login(site.direction)
    assert (
        reverse("parcours_siae:livrets_en_lot")
        in client.get(reverse("parcours_siae:sortis")).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("parcours_siae:livrets_en_lot"))
    lot = LotImpression.objects.get()
    assert reponse["Location"] == reverse("lot_impression", args=[lot.pk])
    assert sorted(lot.objets) == sorted([livret.pk, correction.pk])
    assert lot.statut == StatutLot.TERMINE and lot.nombre_documents == 2
    fichier = client.get(reverse("lot_telecharger", args=[lot.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(fichier.streaming_content))) as archive:
        contenus = {nom: texte(archive.read(nom)) for nom in archive.namelist()}
    assert set(contenus) == {"livret-lefevre-elodie-v1.pdf", "livret-lefevre-noel-v2.pdf"}
    assert "Version 2 finalisée le" in contenus["livret-lefevre-noel-v2.pdf"]


def test_la_synthese_de_passage_s_imprime_depuis_le_passage(client, site, parcours, livret):
    sortir(site, parcours)
    passage = services.confier_au_milieu_ouvert(
        parcours=parcours,
        auteur=site.cpip,
        cpip_mo=site.cpip_mo,
        projet="Poursuivre vers un CACES 1 ; hébergement chez sa sœur à Villeurbanne.",
    )
    for agent in (site.cpip_mo, site.cpip):
        client.force_login(agent)
        page = client.get(passage.get_absolute_url()).content.decode()
        url = reverse("parcours_siae:passage_pdf", args=[passage.pk])
        assert url in page
        reponse = client.get(url)
        assert reponse.status_code == 200
        contenu = texte(reponse.content)
        assert "Synthèse de passage en milieu ouvert" in contenu
        assert "Élodie LEFÈVRE, né(e) le 12/04/1991" in contenu
        assert "hébergement chez sa sœur à Villeurbanne" in contenu
        assert f"au {AUJOURD_HUI:%d/%m/%Y} — Libération" in contenu
        assert "Compétence n° 00 — gestes sûrs Maîtrisé" in contenu
        assert "Inscription à France Travail France Travail justice" in contenu
        assert f"{site.cpip_mo} CPIP de milieu ouvert désigné" in contenu
        assert f"{site.cpip} SPIP de milieu fermé" in contenu
    client.force_login(site.orienteur)
    assert client.get(reverse("parcours_siae:passage_pdf", args=[passage.pk])).status_code == 404


def test_les_saisies_hostiles_restent_du_texte_et_rien_n_est_demande(site, parcours):
    ecouteur = Ecouteur()
    try:
        piege = hostile(ecouteur.url)
        services.modifier_projet(
            parcours=parcours, auteur=site.cip, objectifs=piege, projet_professionnel=piege
        )
        brouillon = parcours.livrets.get()
        competence = CompetenceLivret.objects.create(
            livret=brouillon, categorie=CategorieCompetence.TECHNIQUE, intitule=piege[:200]
        )
        ObservationCompetence.objects.create(
            competence=competence,
            date=AUJOURD_HUI,
            niveau=NiveauCompetence.ACQUIS,
            texte=piege,
            auteur=site.et,
        )
        PosteOccupe.objects.create(livret=brouillon, intitule=piege[:200], debut=AUJOURD_HUI)
        FormationSuivie.objects.create(
            livret=brouillon,
            intitule=piege[:200],
            organisme=piege[:200],
            date=AUJOURD_HUI,
            certification=piege[:200],
        )
        DemarcheEngagee.objects.create(
            livret=brouillon, date=AUJOURD_HUI, intitule=piege[:300], partenaire=piege[:200]
        )
        ParcoursIAE.objects.filter(pk=parcours.pk).update(
            activite_support=piege[:200], poste=piege[:200]
        )
        Personne.objects.filter(pk=parcours.personne_id).update(
            nom=piege[:150], prenom="{{7*7}} <b>Zoé</b>"
        )
        site.implantation.siae.nom = "<i>SIAE</i> {{7*7}}"
        site.implantation.siae.save()
        livret = services.finaliser_livret(livret=brouillon, auteur=site.cip)
        parcours.refresh_from_db()
        sortir(site, parcours)
        passage = services.confier_au_milieu_ouvert(
            parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet=piege
        )
        prepares = [
            LIVRET.preparer(LIVRET.objets_imprimables(site.cip).get(pk=livret.pk)),
            SYNTHESE_PASSAGE.preparer(
                SYNTHESE_PASSAGE.objets_imprimables(site.cpip).get(pk=passage.pk)
            ),
        ]
        contenus = [rendre_et_verifier_inerte(p.gabarit, p.contexte, ecouteur)[1] for p in prepares]
    finally:
        ecouteur.fermer()
    for contenu in contenus:
        assert apparait_comme_texte(contenu, "<i>SIAE</i> {{7*7}}")
        assert apparait_comme_texte(contenu, "{{7*7}} <b>Zoé</b>")
        for valeur in hostiles(ecouteur.url):
            assert apparait_comme_texte(contenu, valeur), valeur


def test_un_lot_de_livrets_hors_perimetre_est_refuse(site, autre_site, livret):
    with pytest.raises(documents.LotVide):
        documents.demander_lot(
            demandeur=autre_site.direction, code="livret", ids=[livret.pk], libelle="x"
        )
