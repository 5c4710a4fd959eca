"""Actions d'accompagnement par domaine, suivi par domaine, contacts de la SIAE avec des
partenaires (« il en informe le CPIP »)."""

import pytest
from django.urls import reverse

from accompagnement import services
from accompagnement.enums import Cote, StatutAction, StatutDomaine, TypeAction
from accompagnement.models import ActionAccompagnement, SituationDomaine
from charte_iae.models import Notification
from tests.accompagnement.factories import action
from tests.factories import PrescriptionFactory, UtilisateurFactory

CONTACT = {
    "domaine": "recherche_emploi_sortie",
    "type": TypeAction.CONTACT_PARTENAIRE,
    "date": "2026-05-04",
    "partenaire": "France Travail justice — M. Haddad",
    "statut": StatutAction.REALISEE,
    "resultat": "Rendez-vous fixé avant la sortie.",
}


def test_la_cip_enregistre_une_action_dans_un_domaine(client, site, personne):
    client.force_login(site.cip)
    url = reverse("accompagnement:action_nouvelle", args=[personne.pk])
    assert client.get(url + "?domaine=formation").status_code == 200
    reponse = client.post(
        url,
        {
            "domaine": "formation",
            "type": TypeAction.ATELIER,
            "date": "2026-05-04",
            "statut": StatutAction.EN_COURS,
            "resultat": "Atelier CV, deuxième séance.",
        },
    )
    assert reponse.status_code == 302
    enregistree = ActionAccompagnement.objects.get()
    assert (enregistree.agent, enregistree.cote, enregistree.domaine) == (
        site.cip,
        Cote.SIAE,
        "formation",
    )
    suivi = client.get(reverse("accompagnement:suivi", args=[personne.pk])).content.decode()
    assert "Atelier CV, deuxième séance." in suivi
    assert "Accompagnement en cours" in suivi


def test_le_cpip_enregistre_une_action_cote_spip(site, personne):
    assert action(auteur=site.cpip, personne=personne).cote == Cote.SPIP


def test_contact_partenaire_de_la_siae_previent_le_cpip_referent(
    client, site, personne, django_capture_on_commit_callbacks
):
    client.force_login(site.cip)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("accompagnement:action_nouvelle", args=[personne.pk]), CONTACT
        )
    assert reponse.status_code == 302
    notification = Notification.objects.get(destinataire=site.cpip)
    assert notification.evenement == "contact_partenaire_siae"
    # Jamais le nom ni la situation de la personne dans une notification.
    assert personne.nom not in notification.texte and personne.prenom not in notification.texte
    assert "Haddad" not in notification.texte
    assert notification.lien == reverse("accompagnement:contacts_partenaires")
    assert not Notification.objects.exclude(destinataire=site.cpip).exists()


def test_contact_partenaire_sans_cpip_referent_previent_l_encadrement(
    site, django_capture_on_commit_callbacks
):
    personne = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip).personne
    with django_capture_on_commit_callbacks(execute=True):
        action(
            auteur=site.et,
            personne=personne,
            type=TypeAction.ORIENTATION_PARTENAIRE,
            partenaire="Mission locale",
        )
    assert list(Notification.objects.values_list("destinataire", flat=True)) == [site.dpip.pk]


def test_un_contact_noue_par_le_cpip_ne_se_notifie_pas(
    site, personne, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action(
            auteur=site.cpip,
            personne=personne,
            type=TypeAction.CONTACT_PARTENAIRE,
            partenaire="Mission locale",
        )
    assert not Notification.objects.exists()


def test_action_sans_contact_partenaire_ne_previent_personne(
    site, personne, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action(auteur=site.cip, personne=personne)
    assert not Notification.objects.exists()


def test_contact_sans_partenaire_message_francais_et_rien_d_enregistre(client, site, personne):
    client.force_login(site.cip)
    reponse = client.post(
        reverse("accompagnement:action_nouvelle", args=[personne.pk]),
        {**CONTACT, "partenaire": " "},
    )
    assert reponse.status_code == 200
    assert "Indiquez le partenaire concerné." in reponse.content.decode()
    assert not ActionAccompagnement.objects.exists()


def test_domaine_inconnu_refuse(client, site, personne):
    client.force_login(site.cip)
    reponse = client.post(
        reverse("accompagnement:action_nouvelle", args=[personne.pk]),
        {**CONTACT, "domaine": "casier"},
    )
    assert reponse.status_code == 200
    assert not ActionAccompagnement.objects.exists()


@pytest.mark.parametrize("role", ["direction"])
def test_la_direction_lit_le_suivi_sans_enregistrer(client, site, personne, role):
    client.force_login(getattr(site, role))
    suivi = client.get(reverse("accompagnement:suivi", args=[personne.pk]))
    assert suivi.status_code == 200 and "Ajouter une action" not in suivi.content.decode()
    reponse = client.post(reverse("accompagnement:action_nouvelle", args=[personne.pk]), CONTACT)
    assert reponse.status_code == 403
    assert "permanents de la SIAE prescrite" in reponse.content.decode()
    with pytest.raises(services.ActionInterdite):
        action(auteur=getattr(site, role), personne=personne)


def test_hors_portee_404_et_anonyme_vers_la_connexion(client, site, autre_site, personne):
    urls = [
        reverse("accompagnement:suivi", args=[personne.pk]),
        reverse("accompagnement:action_nouvelle", args=[personne.pk]),
        reverse("accompagnement:situation_domaine", args=[personne.pk, "logement"]),
    ]
    for agent in (site.orienteur, site.cpip_mo, autre_site.cpip, autre_site.cip):
        client.force_login(agent)
        for url in urls:
            assert client.get(url).status_code == 404, (agent, url)
        assert client.post(urls[1], CONTACT).status_code == 404
    assert not ActionAccompagnement.objects.exists()
    client.logout()
    for url in urls:
        assert client.get(url)["Location"].startswith(reverse("connexion"))


def test_la_siae_perd_le_suivi_quand_la_prescription_prend_fin(client, site, personne):
    from django.utils import timezone

    from charte_iae import acces

    prescription = personne.prescriptions.get()
    prescription.fin_le = timezone.now()
    prescription.save()
    acces.appliquer(personne)
    client.force_login(site.cip)
    assert client.get(reverse("accompagnement:suivi", args=[personne.pk])).status_code == 404
    with pytest.raises(services.ActionInterdite):
        action(auteur=site.cip, personne=personne)


# --- Mise à jour d'une action : l'auteur, un collègue du même côté ; pas l'autre côté ---------


@pytest.mark.parametrize(("role", "attendu"), [("cip", 302), ("et", 302), ("cpip", 403)])
def test_mise_a_jour_d_une_action_par_son_cote(client, site, personne, role, attendu):
    faite = action(auteur=site.cip, personne=personne, statut=StatutAction.A_FAIRE)
    client.force_login(getattr(site, role))
    reponse = client.post(
        reverse("accompagnement:action_modifier", args=[faite.pk]),
        {"statut": StatutAction.REALISEE, "resultat": "Dossier CAF déposé."},
    )
    assert reponse.status_code == attendu
    faite.refresh_from_db()
    assert (faite.statut == StatutAction.REALISEE) is (attendu == 302)
    if attendu == 302:
        assert faite.modifiee_par == getattr(site, role)


def test_mise_a_jour_hors_portee_404_et_anonyme(client, site, autre_site, personne):
    faite = action(auteur=site.cip, personne=personne)
    url = reverse("accompagnement:action_modifier", args=[faite.pk])
    client.force_login(autre_site.cip)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("connexion"))


# --- Situation des domaines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statut", "libelle"),
    [
        (StatutDomaine.REFUS_PERSONNE, "Accompagnement refusé par la personne"),
        (StatutDomaine.PAS_DE_BESOIN, "Pas de besoin"),
    ],
)
def test_situation_d_un_domaine_affichee_dans_le_suivi(client, site, personne, statut, libelle):
    client.force_login(site.cpip)
    reponse = client.post(
        reverse("accompagnement:situation_domaine", args=[personne.pk, "logement"]),
        {"statut": statut, "commentaire": ""},
    )
    assert reponse.status_code == 302
    situation = SituationDomaine.objects.get()
    assert (situation.domaine, situation.modifiee_par) == ("logement", site.cpip)
    suivi = client.get(reverse("accompagnement:suivi", args=[personne.pk])).content.decode()
    assert libelle in suivi


def test_la_situation_d_un_domaine_est_remplacee_pas_dupliquee(site, personne):
    for statut in (StatutDomaine.BESOIN_IDENTIFIE, StatutDomaine.PAS_DE_BESOIN):
        services.definir_situation_domaine(
            auteur=site.cip, personne=personne, domaine="mobilite", statut=statut
        )
    assert SituationDomaine.objects.get().statut == StatutDomaine.PAS_DE_BESOIN


def test_domaine_inconnu_dans_l_adresse_404(client, site, personne):
    client.force_login(site.cpip)
    url = reverse("accompagnement:situation_domaine", args=[personne.pk, "inconnu"])
    assert client.get(url).status_code == 404


# --- La liste des contacts de la SIAE, pour le CPIP -------------------------------------------


def test_le_cpip_voit_les_contacts_de_la_siae_et_pas_les_siens(client, site, personne):
    action(
        auteur=site.cip,
        personne=personne,
        type=TypeAction.CONTACT_PARTENAIRE,
        partenaire="Mission locale de Valmont",
    )
    action(
        auteur=site.cpip,
        personne=personne,
        type=TypeAction.CONTACT_PARTENAIRE,
        partenaire="Contact du SPIP",
    )
    action(auteur=site.cip, personne=personne)  # sans partenaire
    client.force_login(site.cpip)
    html = client.get(reverse("accompagnement:contacts_partenaires")).content.decode()
    assert "Mission locale de Valmont" in html
    assert "Contact du SPIP" not in html


def test_contacts_filtre_mes_personnes(client, site, personne):
    autre = PrescriptionFactory(
        implantation=site.implantation,
        prescrite_par=site.cpip,
        personne__cpip_referent=site.dpip,
    ).personne
    action(
        auteur=site.cip,
        personne=personne,
        type=TypeAction.CONTACT_PARTENAIRE,
        partenaire="Partenaire-Alpha",
    )
    action(
        auteur=site.cip,
        personne=autre,
        type=TypeAction.CONTACT_PARTENAIRE,
        partenaire="Partenaire-Beta",
    )
    client.force_login(site.cpip)
    html = client.get(reverse("accompagnement:contacts_partenaires") + "?mes_personnes=1")
    assert (
        "Partenaire-Alpha" in html.content.decode()
        and "Partenaire-Beta" not in html.content.decode()
    )


def test_les_contacts_d_un_autre_etablissement_ne_sont_pas_visibles(
    client, autre_site, site, personne
):
    action(
        auteur=site.cip,
        personne=personne,
        type=TypeAction.CONTACT_PARTENAIRE,
        partenaire="Partenaire-Confidentiel-Z9",
    )
    client.force_login(autre_site.cpip)
    assert (
        "Partenaire-Confidentiel-Z9"
        not in client.get(reverse("accompagnement:contacts_partenaires")).content.decode()
    )


@pytest.mark.parametrize("role", ["cip", "et", "direction", "orienteur"])
def test_la_liste_des_contacts_est_reservee_au_spip(client, site, role):
    client.force_login(getattr(site, role))
    assert client.get(reverse("accompagnement:contacts_partenaires")).status_code == 403


def test_la_liste_des_contacts_a_un_nombre_de_requetes_constant(
    client, site, personne, django_assert_num_queries
):
    action(auteur=site.cip, personne=personne, type=TypeAction.CONTACT_PARTENAIRE, partenaire="P")
    client.force_login(site.cpip)
    url = reverse("accompagnement:contacts_partenaires")
    client.get(url)
    with django_assert_num_queries(NB_REQUETES_CONTACTS):
        client.get(url)
    for i in range(4):
        autre = PrescriptionFactory(
            implantation=site.implantation, prescrite_par=site.cpip
        ).personne
        action(
            auteur=site.et, personne=autre, type=TypeAction.CONTACT_PARTENAIRE, partenaire=f"{i}"
        )
    with django_assert_num_queries(NB_REQUETES_CONTACTS):
        assert client.get(url).status_code == 200


def test_le_suivi_a_un_nombre_de_requetes_constant(
    client, site, personne, django_assert_num_queries
):
    action(auteur=site.cip, personne=personne)
    client.force_login(site.cpip)
    url = reverse("accompagnement:suivi", args=[personne.pk])
    client.get(url)
    with django_assert_num_queries(NB_REQUETES_SUIVI):
        client.get(url)
    for domaine in ("logement", "sante", "formation", "mobilite"):
        action(auteur=site.cip, personne=personne, domaine=domaine)
        services.definir_situation_domaine(
            auteur=site.cpip,
            personne=personne,
            domaine=domaine,
            statut=StatutDomaine.BESOIN_IDENTIFIE,
        )
    with django_assert_num_queries(NB_REQUETES_SUIVI):
        assert client.get(url).status_code == 200


# Session, agent, affectations, notifications du bandeau, la page et son compte : fixe.
NB_REQUETES_CONTACTS = 8
# Dossier, droits, prescription, répartition des rôles de la charte, actions, situations,
# projets, règle JAP (structures du SPIP, CPIP de milieu ouvert après passage), l'entrée du
# journal d'audit (lecture) : fixe.
NB_REQUETES_SUIVI = 19


def test_un_agent_sans_affectation_ne_voit_rien(client, personne):
    client.force_login(UtilisateurFactory())
    assert client.get(reverse("accompagnement:suivi", args=[personne.pk])).status_code == 404


def test_la_pagination_des_contacts_garde_le_filtre(client, site, personne):
    for i in range(51):
        action(
            auteur=site.cip,
            personne=personne,
            type=TypeAction.CONTACT_PARTENAIRE,
            partenaire=f"P{i}",
        )
    client.force_login(site.cpip)
    html = client.get(reverse("accompagnement:contacts_partenaires") + "?mes_personnes=1")
    assert "?mes_personnes=1&amp;page=2" in html.content.decode()
    page2 = client.get(reverse("accompagnement:contacts_partenaires") + "?mes_personnes=1&page=2")
    assert "1 / 2" not in page2.content.decode() and "2 / 2" in page2.content.decode()


# --- Le partenaire tiré de l'annuaire des personnes ressources --------------------------------


def test_la_cip_choisit_un_partenaire_de_l_annuaire_et_le_cpip_est_prevenu(
    client, site, personne, django_capture_on_commit_callbacks
):
    from tests.communication.factories import PersonneRessourceFactory

    ressource = PersonneRessourceFactory(
        implantation=site.implantation, nom="Paul Durand", organisation="Mission locale"
    )
    client.force_login(site.cip)
    url = reverse("accompagnement:action_nouvelle", args=[personne.pk])
    assert "Paul Durand" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            url, {**CONTACT, "partenaire": "", "personne_ressource": ressource.pk}
        )
    assert reponse.status_code == 302, reponse.context["form"].errors
    enregistree = ActionAccompagnement.objects.get()
    assert enregistree.personne_ressource == ressource
    assert enregistree.partenaire == "Mission locale — Paul Durand"
    assert Notification.objects.get(evenement="contact_partenaire_siae").destinataire == site.cpip


def test_un_contact_de_l_annuaire_d_une_autre_implantation_est_refuse(
    client, site, autre_site, personne
):
    from django.core.exceptions import ValidationError

    from tests.communication.factories import PersonneRessourceFactory

    ailleurs = PersonneRessourceFactory(implantation=autre_site.implantation, nom="Jeanne Autre")
    client.force_login(site.cip)
    url = reverse("accompagnement:action_nouvelle", args=[personne.pk])
    assert "Jeanne Autre" not in client.get(url).content.decode()
    reponse = client.post(url, {**CONTACT, "partenaire": "", "personne_ressource": ailleurs.pk})
    assert reponse.status_code == 200 and not ActionAccompagnement.objects.exists()
    with pytest.raises(ValidationError):
        services.enregistrer_action(
            auteur=site.cip,
            personne=personne,
            domaine="formation",
            type=TypeAction.CONTACT_PARTENAIRE,
            date=personne.date_naissance,
            statut=StatutAction.REALISEE,
            personne_ressource=ailleurs,
        )
    assert not ActionAccompagnement.objects.exists()


def test_le_menu_du_cpip_mene_aux_contacts_de_la_siae_pas_celui_de_la_siae(client, site):
    lien = f'href="{reverse("accompagnement:contacts_partenaires")}"'
    client.force_login(site.cpip)
    assert lien in client.get(reverse("accueil")).content.decode()
    client.force_login(site.cip)
    assert lien not in client.get(reverse("accueil")).content.decode()
