from charte_iae.models import Notification
from charte_iae.notifications import notifier
from tests.factories import UtilisateurFactory


def test_notifier_une_fois_par_destinataire_actif(db):
    a, b = UtilisateurFactory(), UtilisateurFactory(is_active=False)
    creees = notifier(
        destinataires=[a, a, b], texte="Une orientation attend votre avis.", lien="/x/"
    )
    assert len(creees) == 1
    notification = Notification.objects.get()
    assert notification.destinataire == a and not notification.lue
    notification.marquer_lue()
    assert Notification.objects.non_lues().count() == 0


def test_le_compteur_du_bandeau_compte_les_non_lues(client, db):
    agent = UtilisateurFactory()
    notifier(destinataires=[agent], texte="Premier")
    notifier(destinataires=[agent], texte="Second")
    client.force_login(agent)
    html = client.get("/").content.decode()
    assert 'id="compteur-notifications">2<' in html
    assert "Premier" in html and "Second" in html
