"""Les documents de la CPU : la liste des personnes examinées avec l'avis du SPIP, et, en
tâche de fond, la liste suivie de la fiche de chaque personne. Seul le SPIP de milieu fermé
de l'établissement les imprime."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from charte_iae import documents, pdf
from charte_iae.models import LotImpression, StatutLot
from parcours import services
from parcours.documents import DOCUMENTS_CPU
from parcours.models import DemandeClassement, ExamenCPU, Orientation, Personne
from tests.factories import OrientationFactory, PersonneFactory
from tests.impression_outils import (
    Ecouteur,
    apparait_comme_texte,
    hostile,
    hostiles,
    pages,
    rendre_et_verifier_inerte,
    texte,
)

DATE_CPU = timezone.localdate() + datetime.timedelta(days=3)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def session(site):
    return services.creer_session_cpu(
        etablissement=site.implantation.etablissement, date=DATE_CPU, auteur=site.cpip
    )


def inscrire(site, session, *, nom, prenom, avis="favorable", motifs="", **kwargs):
    personne = PersonneFactory(
        etablissement=site.implantation.etablissement, nom=nom, prenom=prenom, **kwargs
    )
    orientation = OrientationFactory(personne=personne)
    services.donner_avis(
        orientation=orientation,
        auteur=site.cpip,
        avis=avis,
        motifs=motifs,
        motif_principal="" if avis == "favorable" else "autre",
    )
    services.preparer_demande_classement(
        personne=personne, auteur=site.cpip, date_demande=timezone.localdate()
    )
    return services.inscrire_en_cpu(session=session, personne=personne, auteur=site.cpip)


def test_la_liste_de_la_cpu_s_imprime_depuis_sa_page(client, site, session):
    inscrire(
        site,
        session,
        nom="Lefèvre",
        prenom="Élodie",
        avis="reserve",
        motifs="Projet à préciser : formation en cuisine envisagée",
        date_naissance=datetime.date(1990, 3, 14),
    )
    inscrire(site, session, nom="Durand", prenom="Noël")
    client.force_login(site.cpip)
    page = client.get(session.get_absolute_url()).content.decode()
    url = reverse("parcours:session_cpu_pdf", args=[session.pk])
    assert url in page and reverse("parcours:session_cpu_documents", args=[session.pk]) in page
    reponse = client.get(url)
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/pdf"
    contenu = texte(reponse.content)
    assert f"CPU du {DATE_CPU:%d/%m/%Y}" in contenu
    assert str(site.implantation.etablissement) in contenu
    assert str(site.implantation.spip) in contenu
    assert "LEFÈVRE Élodie" in contenu and "DURAND Noël" in contenu
    assert "né(e) le 14/03/1990" in contenu
    assert "Réservé : Projet à préciser : formation en cuisine envisagée" in contenu
    assert "Favorable" in contenu and f"{site.cpip}, le {timezone.localdate():%d/%m/%Y}" in contenu
    assert "2 personnes inscrites" in contenu
    assert "Confidentiel — usage interne de la CPU" in contenu
    assert "page 1 / 1" in contenu


def test_une_longue_liste_repete_l_en_tete_du_tableau_sur_chaque_page(settings, site, session):
    settings.PDF_DELAI_SECONDES = 120  # document long, machine de test parfois très chargée
    for i in range(22):
        inscrire(
            site,
            session,
            nom=f"Personne{i:02d}",
            prenom="Zoé",
            avis="reserve",
            motifs="Motifs détaillés de l'avis réservé du SPIP. " * 3,
        )
    examens = list(DOCUMENTS_CPU.objets_imprimables(site.cpip).filter(session=session))
    prepare = DOCUMENTS_CPU.preparer_ensemble(examens)[0]
    textes = pages(pdf.rendre_document(prepare.gabarit, prepare.contexte))
    assert len(textes) >= 3
    for numero, texte_page in enumerate(textes, start=1):
        assert "Avis du SPIP" in texte_page and "Décision du chef d'établissement" in texte_page
        assert "Confidentiel" in texte_page and f"page {numero} / {len(textes)}" in texte_page
    assert all(f"PERSONNE{i:02d} Zoé" in " ".join(textes) for i in range(22))


def test_tous_les_documents_de_la_cpu_en_tache_de_fond(
    client, site, session, django_capture_on_commit_callbacks
):
    inscrire(site, session, nom="Lefèvre", prenom="Élodie", avis="reserve", motifs="À revoir")
    inscrire(site, session, nom="Durand", prenom="Noël")
    client.force_login(site.cpip)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("parcours:session_cpu_documents", args=[session.pk]))
    lot = LotImpression.objects.get()
    assert reponse["Location"] == reverse("lot_impression", args=[lot.pk])
    assert lot.statut == StatutLot.TERMINE and lot.nombre_documents == 3
    fichier = client.get(reverse("lot_telecharger", args=[lot.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(fichier.streaming_content))) as archive:
        noms = archive.namelist()
        assert noms[0].startswith(f"cpu-{DATE_CPU:%Y-%m-%d}-") and len(noms) == 3
        liste = texte(archive.read(noms[0]))
        fiches = [texte(archive.read(n)) for n in noms[1:]]
    assert "LEFÈVRE Élodie" in liste and "DURAND Noël" in liste
    # Fiches dans l'ordre de la liste (par nom) : Durand, puis Lefèvre.
    assert "DURAND Noël" in fiches[0] and "Fiche de présentation en CPU" in fiches[0]
    assert "LEFÈVRE Élodie" in fiches[1] and "Avis du SPIP : Réservé" in fiches[1]
    assert "À revoir" in fiches[1]
    assert "Souhaite travailler et se former en détention." in fiches[1]


def test_la_siae_et_un_autre_spip_ne_trouvent_pas_la_cpu(client, site, autre_site, session):
    inscrire(site, session, nom="Lefèvre", prenom="Élodie")
    for agent in (site.cip, site.direction, site.orienteur, site.cpip_mo, autre_site.cpip):
        client.force_login(agent)
        assert client.get(reverse("parcours:session_cpu_pdf", args=[session.pk])).status_code == 404
        url = reverse("parcours:session_cpu_documents", args=[session.pk])
        assert client.post(url).status_code == 404
        assert not DOCUMENTS_CPU.objets_imprimables(agent).exists()
        with pytest.raises(documents.LotVide):
            documents.demander_lot(
                demandeur=agent,
                code="documents_cpu",
                ids=list(ExamenCPU.objects.values_list("pk", flat=True)),
                libelle="x",
            )
    assert not LotImpression.objects.exists()


def test_anonyme_renvoye_vers_la_connexion(client, session):
    reponse = client.get(reverse("parcours:session_cpu_pdf", args=[session.pk]))
    assert reponse.status_code == 302 and "/comptes/connexion/" in reponse["Location"]


def test_une_cpu_vide_ne_lance_aucun_lot(client, site, session):
    client.force_login(site.cpip)
    reponse = client.post(reverse("parcours:session_cpu_documents", args=[session.pk]))
    assert reponse.status_code == 302 and reponse["Location"] == session.get_absolute_url()
    assert not LotImpression.objects.exists()


def test_les_saisies_hostiles_restent_du_texte_et_rien_n_est_demande(site, session):
    examen = inscrire(site, session, nom="Martin", prenom="Jean")
    ecouteur = Ecouteur()
    try:
        piege = hostile(ecouteur.url)
        Personne.objects.filter(pk=examen.personne_id).update(
            nom=piege[:150], prenom='<img src="file:///etc/passwd">', numero_ecrou="{{7*7}}<b>"
        )
        Orientation.objects.filter(pk=examen.orientation_id).update(motif=piege, avis_motifs=piege)
        DemandeClassement.objects.filter(pk=examen.demande_classement_id).update(
            commentaire=piege[:500]
        )
        ExamenCPU.objects.filter(pk=examen.pk).update(
            avis_cpu="ajourne", avis_cpu_commentaire=piege
        )
        site.implantation.etablissement.nom = "<i>Établissement</i> {{7*7}}"
        site.implantation.etablissement.save()
        examens = list(DOCUMENTS_CPU.objets_imprimables(site.cpip).filter(session=session))
        liste, fiche = DOCUMENTS_CPU.preparer_ensemble(examens)
        contenus = [
            rendre_et_verifier_inerte(p.gabarit, p.contexte, ecouteur)[1] for p in (liste, fiche)
        ]
    finally:
        ecouteur.fermer()
    for contenu in contenus:
        assert apparait_comme_texte(contenu, "<i>Établissement</i> {{7*7}}")
        assert apparait_comme_texte(contenu, "{{7*7}}<b>")
        for valeur in hostiles(ecouteur.url):
            assert apparait_comme_texte(contenu, valeur), valeur
