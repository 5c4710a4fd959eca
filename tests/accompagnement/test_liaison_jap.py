"""La liaison avec le JAP : le SPIP seul l'écrit et la voit. Pour tout autre agent elle
n'existe pas — ni lien, ni compte, ni mention, 404 sur ses adresses — et le service refuse un
auteur hors SPIP quel que soit le point d'entrée."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from accompagnement import chronologie, services
from accompagnement.enums import TypeAmenagement, TypeElementAmenagement, TypeLiaisonJAP
from accompagnement.models import LiaisonJAP
from accompagnement.permissions import can_access_jap, can_view_liaison_jap
from charte_iae import acces
from charte_iae import services as services_noyau
from tests.accompagnement.factories import action, liaison_jap
from tests.factories import UtilisateurFactory

# Tous ceux pour qui la liaison n'existe pas, sur le site de la personne ou ailleurs.
HORS_SPIP = ["cip", "et", "direction", "orienteur", "cpip_mo"]
AUTRE_SPIP = ["cpip", "dpip"]
# Session, agent, affectations, dossier, droits sur le dossier, ayants droit JAP (structures du
# SPIP, CPIP de milieu ouvert après passage), liste et son compte, notifications du bandeau, point
# de sauvegarde de la requête atomique (2), l'entrée du journal d'audit (lecture) : fixe, quel
# que soit le nombre d'échanges.
NB_REQUETES_LISTE = 13


@pytest.fixture
def liaison(site, personne):
    return liaison_jap(
        auteur=site.cpip, personne=personne, contenu="Saisine pour une semi-liberté."
    )


def _agents_sans_acces(site, autre_site):
    return [(f"site.{r}", getattr(site, r)) for r in HORS_SPIP] + [
        (f"autre_site.{r}", getattr(autre_site, r)) for r in AUTRE_SPIP
    ]


@pytest.mark.parametrize("role", ["cpip", "dpip"])
def test_le_spip_de_l_etablissement_voit_la_liaison(client, site, personne, liaison, role):
    agent = getattr(site, role)
    assert list(LiaisonJAP.objects.for_user(agent)) == [liaison]
    assert can_view_liaison_jap(agent, liaison) and can_access_jap(agent, personne)
    client.force_login(agent)
    assert (
        "Saisine pour une semi-liberté." in client.get(liaison.get_absolute_url()).content.decode()
    )
    liste = client.get(reverse("accompagnement:liaisons_jap", args=[personne.pk]))
    assert liste.status_code == 200 and liaison.get_absolute_url() in liste.content.decode()
    suivi = client.get(reverse("accompagnement:suivi", args=[personne.pk])).content.decode()
    assert "Liaison avec le JAP (1 échange)" in suivi
    assert acces.reconcilier().total.total == 0


def test_un_collegue_cpip_voit_aussi_la_liaison(site, personne, liaison):
    collegue = UtilisateurFactory(cpip=True, structure=site.implantation.spip)
    assert can_view_liaison_jap(collegue, liaison)


def test_personne_hors_spip_ne_voit_aucune_liaison_par_aucune_voie(
    client, site, autre_site, personne, liaison
):
    action(auteur=site.cip, personne=personne)
    for nom, agent in _agents_sans_acces(site, autre_site):
        assert not LiaisonJAP.objects.for_user(agent).exists(), nom
        assert not can_view_liaison_jap(agent, liaison), nom
        assert not can_access_jap(agent, personne), nom
        assert not [e for e in chronologie.evenements(agent, personne) if "JAP" in e.libelle], nom
        assert all(e.nature != "liaison_jap" for e in chronologie.evenements(agent, personne))
        client.force_login(agent)
        for url in (
            liaison.get_absolute_url(),
            reverse("accompagnement:liaisons_jap", args=[personne.pk]),
            reverse("accompagnement:liaison_jap_nouvelle", args=[personne.pk]),
        ):
            assert client.get(url).status_code == 404, (nom, url)
        if nom.startswith("site."):
            presentations = client.get(reverse("accompagnement:presentations_jap"))
            assert presentations.status_code == 404, nom
        suivi = client.get(reverse("accompagnement:suivi", args=[personne.pk]))
        # La SIAE prescrite voit le suivi ; les autres ne voient pas le dossier (404).
        assert suivi.status_code in (200, 404), nom
        html = suivi.content.decode()
        assert "JAP" not in html, nom
        assert "liaison" not in html.lower(), nom
        assert reverse("accompagnement:liaisons_jap", args=[personne.pk]) not in html, nom


def test_la_siae_voit_bien_le_suivi_mais_sans_la_liaison(client, site, personne, liaison):
    client.force_login(site.cip)
    reponse = client.get(reverse("accompagnement:suivi", args=[personne.pk]))
    assert reponse.status_code == 200
    assert "Accompagnement par domaine" in reponse.content.decode()
    assert "JAP" not in reponse.content.decode()


@pytest.mark.parametrize("role", HORS_SPIP)
def test_un_post_forge_hors_spip_ne_cree_rien(client, site, personne, role):
    client.force_login(getattr(site, role))
    reponse = client.post(
        reverse("accompagnement:liaison_jap_nouvelle", args=[personne.pk]),
        {"type": TypeLiaisonJAP.NOTE, "date": "2026-05-04", "contenu": "Note forgée"},
    )
    assert reponse.status_code == 404
    assert not LiaisonJAP.objects.exists()


@pytest.mark.parametrize("role", ["cpip", "dpip"])
def test_le_spip_d_un_autre_etablissement_ne_peut_rien_poster(client, autre_site, personne, role):
    client.force_login(getattr(autre_site, role))
    reponse = client.post(
        reverse("accompagnement:liaison_jap_nouvelle", args=[personne.pk]),
        {"type": TypeLiaisonJAP.NOTE, "date": "2026-05-04", "contenu": "Note forgée"},
    )
    assert reponse.status_code == 404
    assert not LiaisonJAP.objects.exists()


@pytest.mark.parametrize("role", ["cip", "et", "direction", "orienteur", "cpip_mo"])
def test_le_service_refuse_un_auteur_hors_spip_meme_superutilisateur(site, personne, role):
    agent = getattr(site, role)
    # Un compte d'administration (shell, admin, import) ne passe pas davantage.
    agent.is_staff = agent.is_superuser = True
    agent.save()
    with pytest.raises(services.ActionInterdite):
        liaison_jap(auteur=agent, personne=personne)
    assert not LiaisonJAP.objects.exists()


def test_le_service_refuse_le_spip_d_un_autre_etablissement(autre_site, personne):
    with pytest.raises(services.ActionInterdite):
        liaison_jap(auteur=autre_site.cpip, personne=personne)


def test_un_cpip_qui_quitte_l_antenne_perd_l_acces(site, personne, liaison):
    services_noyau.terminer_affectation(affectation=site.cpip.affectations.get())
    ancien = type(site.cpip).objects.get(pk=site.cpip.pk)
    assert not LiaisonJAP.objects.for_user(ancien).exists()
    with pytest.raises(services.ActionInterdite):
        liaison_jap(auteur=ancien, personne=personne)
    assert acces.reconcilier().total.total == 0


def test_la_liaison_n_est_pas_dans_l_administration(admin_client, liaison):
    assert LiaisonJAP not in admin.site._registry
    assert admin_client.get("/admin/accompagnement/liaisonjap/").status_code == 404
    assert "JAP" not in admin_client.get("/admin/").content.decode()


def test_anonyme_renvoye_vers_la_connexion(client, personne, liaison):
    for url in (
        liaison.get_absolute_url(),
        reverse("accompagnement:liaisons_jap", args=[personne.pk]),
        reverse("accompagnement:liaison_jap_nouvelle", args=[personne.pk]),
    ):
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("connexion"))


def test_le_cpip_consigne_une_liaison_avec_les_elements_de_la_siae(client, site, personne):
    projet = services.creer_projet_amenagement(
        auteur=site.cpip, personne=personne, type=TypeAmenagement.SEMI_LIBERTE
    )
    element = services.apporter_element(
        auteur=site.cip,
        projet=projet,
        type=TypeElementAmenagement.PROMESSE_EMBAUCHE,
        contenu="Promesse d'embauche : entreprise de maraîchage, CDD de 6 mois.",
    )
    client.force_login(site.cpip)
    reponse = client.post(
        reverse("accompagnement:liaison_jap_nouvelle", args=[personne.pk]),
        {
            "type": TypeLiaisonJAP.RAPPORT,
            "date": "2026-05-04",
            "contenu": "Rapport pour la semi-liberté.",
            "projet": projet.pk,
            "elements": [element.pk],
        },
    )
    liaison = LiaisonJAP.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == liaison.get_absolute_url()
    assert list(liaison.elements.all()) == [element] and liaison.auteur == site.cpip
    assert "maraîchage" in client.get(liaison.get_absolute_url()).content.decode()
    assert acces.reconcilier().total.total == 0

    # La SIAE voit toujours son élément et le projet, jamais qu'il a été transmis au JAP.
    client.force_login(site.cip)
    page_projet = client.get(projet.get_absolute_url()).content.decode()
    assert "maraîchage" in page_projet
    assert "JAP" not in page_projet


def test_un_element_d_une_autre_personne_ne_peut_etre_joint(client, site, personne):
    from tests.factories import PrescriptionFactory

    autre = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip).personne
    projet_autre = services.creer_projet_amenagement(
        auteur=site.cpip, personne=autre, type=TypeAmenagement.DDSE
    )
    element_autre = services.apporter_element(
        auteur=site.cip, projet=projet_autre, type=TypeElementAmenagement.OBSERVATIONS, contenu="x"
    )
    client.force_login(site.cpip)
    reponse = client.post(
        reverse("accompagnement:liaison_jap_nouvelle", args=[personne.pk]),
        {
            "type": TypeLiaisonJAP.NOTE,
            "date": "2026-05-04",
            "contenu": "Note",
            "elements": [element_autre.pk],
            "projet": projet_autre.pk,
        },
    )
    assert reponse.status_code == 200
    assert not LiaisonJAP.objects.exists()
    with pytest.raises(Exception, match="ne concerne pas"):
        services.enregistrer_liaison_jap(
            auteur=site.cpip,
            personne=personne,
            type=TypeLiaisonJAP.NOTE,
            date=timezone.localdate(),
            contenu="Note",
            elements=[element_autre],
        )


def test_contenu_vide_message_en_francais_sans_rien_creer(client, site, personne):
    client.force_login(site.cpip)
    reponse = client.post(
        reverse("accompagnement:liaison_jap_nouvelle", args=[personne.pk]),
        {"type": TypeLiaisonJAP.NOTE, "date": "2026-05-04", "contenu": ""},
    )
    assert reponse.status_code == 200
    assert "Ce champ est obligatoire." in reponse.content.decode()
    assert not LiaisonJAP.objects.exists()


def test_la_liste_des_liaisons_a_un_nombre_de_requetes_constant(
    client, site, personne, django_assert_num_queries
):
    client.force_login(site.cpip)
    url = reverse("accompagnement:liaisons_jap", args=[personne.pk])
    liaison_jap(auteur=site.cpip, personne=personne)
    client.get(url)  # chauffe (sessions, types de contenu)
    with django_assert_num_queries(NB_REQUETES_LISTE) as contexte:
        client.get(url)
    for _ in range(5):
        liaison_jap(auteur=site.dpip, personne=personne)
    with django_assert_num_queries(len(contexte.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["cip", "et", "direction"])
def test_la_page_du_dossier_ne_mentionne_pas_la_liaison_pour_la_siae(
    client, site, personne, liaison, role
):
    client.force_login(getattr(site, role))
    reponse = client.get(personne.get_absolute_url())
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "JAP" not in html and "Saisine pour une semi-liberté." not in html
    assert liaison.get_absolute_url() not in html


# --- Le CPIP de milieu ouvert, après le passage accepté -----------------------------------------


def test_le_cpip_de_milieu_ouvert_voit_et_ecrit_apres_le_passage_accepte(client, site):
    from parcours import services_siae
    from tests.parcours.siae_outils import en_parcours, recharger, sortir

    parcours = sortir(site, en_parcours(site))
    personne = parcours.personne
    avant = liaison_jap(auteur=site.cpip, personne=personne, contenu="Rapport avant la sortie.")
    passage = services_siae.confier_au_milieu_ouvert(
        parcours=parcours, auteur=site.cpip, cpip_mo=site.cpip_mo, projet="Logistique."
    )
    assert not LiaisonJAP.objects.for_user(recharger(site.cpip_mo)).exists()
    services_siae.accepter_passage(passage=passage, auteur=site.cpip_mo)
    # Les droits des échanges suivent la personne, dans la même transaction : aucun écart.
    assert acces.reconcilier().total.total == 0
    cpip_mo = recharger(site.cpip_mo)
    assert list(LiaisonJAP.objects.for_user(cpip_mo)) == [avant]
    client.force_login(cpip_mo)
    assert "Rapport avant la sortie." in client.get(avant.get_absolute_url()).content.decode()
    reponse = client.post(
        reverse("accompagnement:liaison_jap_nouvelle", args=[personne.pk]),
        {"type": TypeLiaisonJAP.NOTE, "date": "2026-09-01", "contenu": "Note du milieu ouvert."},
    )
    assert reponse.status_code == 302
    nouvelle = LiaisonJAP.objects.get(contenu="Note du milieu ouvert.")
    assert can_view_liaison_jap(recharger(site.cpip), nouvelle)

    # Un collègue de l'antenne de milieu ouvert, la SIAE : rien.
    collegue = UtilisateurFactory(cpip_mo=True, structure=site.spip_mo)
    for agent in (collegue, recharger(site.cip)):
        assert not LiaisonJAP.objects.for_user(agent).exists()

    # Il quitte son poste : il perd l'accès, sans écart de droits.
    services_noyau.terminer_affectation(affectation=site.cpip_mo.affectations.get())
    assert not LiaisonJAP.objects.for_user(recharger(site.cpip_mo)).exists()
    assert acces.reconcilier().total.total == 0
