"""Le centre de notifications (cloche, liste, marquer comme lu, préférence e-mail) et les
notifications des événements de la communication. Les e-mails partent après la validation,
en tâche de fond, et ne contiennent jamais le nom, l'écrou ni la situation d'une personne."""

from django.core import mail
from django.urls import reverse

from charte_iae.models import Notification, PreferenceNotification
from charte_iae.notifications import envoyer_courriels_notification, notifier
from tests.communication.conftest import donnees_entree
from tests.factories import UtilisateurFactory


def _ecrire(client, auteur, personne, **donnees):
    client.force_login(auteur)
    return client.post(
        reverse("communication:cahier_ecrire", args=[personne.pk]), donnees_entree(**donnees)
    )


def test_une_transmission_du_cpip_previent_les_permanents_de_la_siae(client, site, personne):
    _ecrire(client, site.cpip, personne)
    prevenus = set(
        Notification.objects.filter(evenement="cahier.entree").values_list(
            "destinataire", flat=True
        )
    )
    assert prevenus == {site.cip.pk, site.et.pk}
    notification = Notification.objects.get(destinataire=site.cip)
    assert notification.texte == "Nouvelle transmission dans un cahier de suivi."
    assert notification.lien.startswith(reverse("communication:cahier", args=[personne.pk]))


def test_une_transmission_de_la_siae_previent_le_cpip_referent(client, site, personne):
    _ecrire(client, site.et, personne, urgente="on")
    notification = Notification.objects.get(evenement="cahier.entree")
    assert notification.destinataire == site.cpip
    assert notification.texte == "Transmission urgente dans un cahier de suivi."


def test_sans_cpip_referent_les_cpip_de_l_antenne_sont_prevenus(client, site, personne):
    personne.cpip_referent = None
    personne.save()
    autre_cpip = UtilisateurFactory(cpip=True, structure=site.implantation.spip)
    _ecrire(client, site.cip, personne)
    prevenus = set(Notification.objects.values_list("destinataire", flat=True))
    assert prevenus == {site.cpip.pk, autre_cpip.pk}


def test_la_cloche_mene_a_la_liste_des_notifications(client, site):
    notifier(destinataires=[site.cip], texte="Un élément vous attend.", lien="/cahiers/")
    client.force_login(site.cip)
    html = client.get(reverse("accueil")).content.decode()
    assert f'href="{reverse("communication:notifications")}" id="cloche"' in html
    assert 'id="compteur-notifications">1<' in html
    liste = client.get(reverse("communication:notifications")).content.decode()
    assert "Un élément vous attend." in liste


def test_marquer_comme_lue_avec_htmx_met_a_jour_la_ligne_et_la_cloche(client, site):
    premiere, seconde = (
        notifier(destinataires=[site.cip], texte=t)[0] for t in ("Première", "Seconde")
    )
    client.force_login(site.cip)
    reponse = client.post(
        reverse("communication:notification_lue", args=[premiere.pk]), HTTP_HX_REQUEST="true"
    )
    html = reponse.content.decode()
    assert reponse.status_code == 200 and "<html" not in html
    assert f'id="notification-{premiere.pk}"' in html and "Marquer comme lue" not in html
    assert 'id="compteur-notifications" hx-swap-oob="true">1<' in html
    premiere.refresh_from_db()
    seconde.refresh_from_db()
    assert premiere.lue and not seconde.lue


def test_marquer_comme_lue_sans_javascript_puis_tout_marquer(client, site):
    notification = notifier(destinataires=[site.cip], texte="Une")[0]
    notifier(destinataires=[site.cip], texte="Deux")
    client.force_login(site.cip)
    reponse = client.post(reverse("communication:notification_lue", args=[notification.pk]))
    assert reponse.status_code == 302
    client.post(reverse("communication:notifications_toutes_lues"))
    assert not site.cip.notifications.non_lues().exists()


def test_la_notification_d_un_autre_agent_est_introuvable(client, site):
    notification = notifier(destinataires=[site.cpip], texte="Pour le CPIP")[0]
    client.force_login(site.cip)
    assert (
        client.post(reverse("communication:notification_lue", args=[notification.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("communication:notification_ouvrir", args=[notification.pk])).status_code
        == 404
    )
    assert "Pour le CPIP" not in client.get(reverse("communication:notifications")).content.decode()
    notification.refresh_from_db()
    assert not notification.lue


def test_ouvrir_une_notification_la_marque_lue_et_suit_seulement_un_lien_interne(client, site):
    interne = notifier(destinataires=[site.cip], texte="Interne", lien="/reunions/")[0]
    externe = notifier(destinataires=[site.cip], texte="Externe", lien="https://pirate.example/")[0]
    client.force_login(site.cip)
    reponse = client.get(reverse("communication:notification_ouvrir", args=[interne.pk]))
    assert reponse["Location"] == "/reunions/"
    reponse = client.get(reverse("communication:notification_ouvrir", args=[externe.pk]))
    assert reponse["Location"] == reverse("communication:notifications")
    assert not site.cip.notifications.non_lues().exists()


def test_anonyme_redirige_vers_la_connexion(client, site):
    notification = notifier(destinataires=[site.cip], texte="Une")[0]
    for url in (
        reverse("communication:notifications"),
        reverse("communication:preferences_notifications"),
        reverse("communication:notification_ouvrir", args=[notification.pk]),
    ):
        assert client.get(url)["Location"].startswith(reverse("connexion"))
    assert (
        client.post(reverse("communication:notification_lue", args=[notification.pk])).status_code
        == 302
    )


def test_l_agent_choisit_de_recevoir_un_email(client, site):
    client.force_login(site.cip)
    assert client.get(reverse("communication:preferences_notifications")).status_code == 200
    assert not PreferenceNotification.objects.exists()
    client.post(reverse("communication:preferences_notifications"), {"par_courriel": "on"})
    assert PreferenceNotification.objects.get(utilisateur=site.cip).par_courriel
    client.post(reverse("communication:preferences_notifications"), {})
    assert not PreferenceNotification.objects.get(utilisateur=site.cip).par_courriel


def test_l_email_part_apres_validation_sans_aucune_donnee_personnelle(
    client, site, personne, django_capture_on_commit_callbacks
):
    # Des noms fixes : un prénom tiré au hasard (« Bernadette ») contiendrait un mot interdit.
    for agent, prenom, nom in ((site.cip, "Léa", "Martin"), (site.et, "Paul", "Bernard")):
        agent.prenom, agent.nom = prenom, nom
        agent.save(update_fields=["prenom", "nom"])
    personne.prenom, personne.nom = "Yvon", "Kerleau"
    personne.save(update_fields=["prenom", "nom"])
    PreferenceNotification.objects.create(utilisateur=site.cip, par_courriel=True)
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        _ecrire(
            client,
            site.cpip,
            personne,
            texte=f"{personne.nom} {personne.prenom} (écrou {personne.numero_ecrou}) : dette.",
            urgente="on",
        )
    assert mail.outbox == []  # rien avant la validation de la transaction
    for rappel in rappels:
        rappel()
    assert len(mail.outbox) == 1  # l'ET n'a pas choisi l'e-mail
    message = mail.outbox[0]
    assert message.to == [site.cip.email]
    contenu = f"{message.subject}\n{message.body}"
    for donnee in (personne.nom, personne.prenom, personne.numero_ecrou, "dette", "urgente"):
        assert donnee.lower() not in contenu.lower()
    assert "http://127.0.0.1:8000" + reverse("communication:notifications") in message.body
    assert Notification.objects.get(destinataire=site.cip).courriel_envoye_le is not None


def test_l_email_n_est_envoye_qu_une_fois(site, django_capture_on_commit_callbacks):
    PreferenceNotification.objects.create(utilisateur=site.cip, par_courriel=True)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notifier(destinataires=[site.cip], texte="Une")[0]
    assert len(mail.outbox) == 1
    envoyer_courriels_notification.call([notification.pk])
    assert len(mail.outbox) == 1


def test_pas_d_email_sans_la_preference_ni_pour_un_compte_desactive(
    site, django_capture_on_commit_callbacks
):
    PreferenceNotification.objects.create(utilisateur=site.et, par_courriel=True)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notifier(destinataires=[site.cip, site.et], texte="Une")[1]
    assert [m.to for m in mail.outbox] == [[site.et.email]]
    site.et.is_active = False
    site.et.save()
    notification.courriel_envoye_le = None
    notification.save()
    assert envoyer_courriels_notification.call([notification.pk]) == 0
