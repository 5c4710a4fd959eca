"""Notice d'information et lots d'impression en tâche de fond."""

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from charte_iae import documents
from charte_iae.models import LotImpression, Notification, StatutLot


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_la_notice_s_imprime_depuis_la_charte(client, site):
    client.force_login(site.cip)
    assert (
        reverse("notice_information", args=[site.implantation.pk])
        in client.get(reverse("charte_detail", args=[site.charte.pk])).content.decode()
    )
    reponse = client.get(reverse("notice_information", args=[site.implantation.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    texte = PdfReader(io.BytesIO(reponse.content)).pages[0].extract_text()
    assert "Vos droits" in texte


def test_la_notice_d_une_autre_implantation_est_introuvable(client, site, autre_site):
    client.force_login(site.cpip)
    assert (
        client.get(reverse("notice_information", args=[autre_site.implantation.pk])).status_code
        == 404
    )


def test_anonyme_renvoye_vers_la_connexion(client, site):
    reponse = client.get(reverse("notice_information", args=[site.implantation.pk]))
    assert reponse.status_code == 302 and "/comptes/connexion/" in reponse["Location"]


def test_un_lot_produit_en_tache_de_fond_et_previent_le_demandeur(
    client, site, django_capture_on_commit_callbacks
):
    client.force_login(site.dpip)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("notices_en_lot"))
    lot = LotImpression.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == reverse(
        "lot_impression", args=[lot.pk]
    )
    assert lot.statut == StatutLot.TERMINE and lot.nombre_documents == 1
    assert Notification.objects.filter(destinataire=site.dpip, evenement="lot_impression").exists()
    page = client.get(reverse("lot_impression", args=[lot.pk])).content.decode()
    assert "Télécharger" in page
    fichier = client.get(reverse("lot_telecharger", args=[lot.pk]))
    assert fichier.status_code == 200
    assert b"".join(fichier.streaming_content).startswith(b"%PDF")
    assert "attachment" in fichier["Content-Disposition"]


def test_plusieurs_documents_donnent_une_archive_zip(
    site, autre_site, django_capture_on_commit_callbacks
):
    # Un agent affecté aux deux SIAE imprime les deux notices.
    from charte_iae import services
    from charte_iae.enums import Fonction

    services.affecter(
        utilisateur=site.direction,
        structure=autre_site.implantation.siae,
        fonction=Fonction.DIRECTION_SIAE,
    )
    ids = [site.implantation.pk, autre_site.implantation.pk]
    with django_capture_on_commit_callbacks(execute=True):
        lot = documents.demander_lot(
            demandeur=site.direction, code="notice_information", ids=ids, libelle="Notices"
        )
    lot.refresh_from_db()
    assert lot.statut == StatutLot.TERMINE and lot.nombre_documents == 2
    with lot.fichier.open("rb") as f, zipfile.ZipFile(f) as archive:
        noms = archive.namelist()
        assert len(noms) == 2 and all(n.endswith(".pdf") for n in noms)
        assert all(archive.read(n).startswith(b"%PDF") for n in noms)


def test_un_lot_ne_contient_que_le_perimetre_du_demandeur(
    site, autre_site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lot = documents.demander_lot(
            demandeur=site.cip,
            code="notice_information",
            ids=[site.implantation.pk, autre_site.implantation.pk],
            libelle="x",
        )
    assert lot.objets == [site.implantation.pk]
    with pytest.raises(documents.LotVide):
        documents.demander_lot(
            demandeur=site.cip,
            code="notice_information",
            ids=[autre_site.implantation.pk],
            libelle="x",
        )


def test_le_lot_d_un_autre_agent_est_introuvable(client, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lot = documents.demander_lot(
            demandeur=site.dpip, code="notice_information", ids=[site.implantation.pk], libelle="x"
        )
    client.force_login(site.cpip)
    assert client.get(reverse("lot_impression", args=[lot.pk])).status_code == 404
    assert client.get(reverse("lot_telecharger", args=[lot.pk])).status_code == 404


def test_un_echec_de_rendu_est_signale_sans_fichier(
    settings, site, django_capture_on_commit_callbacks
):
    settings.PDF_DELAI_SECONDES = 0.001
    with django_capture_on_commit_callbacks(execute=True):
        lot = documents.demander_lot(
            demandeur=site.dpip, code="notice_information", ids=[site.implantation.pk], libelle="x"
        )
    lot.refresh_from_db()
    assert lot.statut == StatutLot.ECHEC and not lot.fichier
    assert "trop de temps" in lot.erreur


def test_page_du_lot_en_cours_se_met_a_jour_par_htmx(client, site):
    lot = LotImpression.objects.create(
        demandeur=site.dpip, type_document="notice_information", libelle="x", objets=[1]
    )
    client.force_login(site.dpip)
    page = client.get(reverse("lot_impression", args=[lot.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    fragment = client.get(
        reverse("lot_impression", args=[lot.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.strip().startswith('<div id="etat-lot"')
