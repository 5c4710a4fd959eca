"""Pages du noyau (accueil de chaque rôle, liste des chartes, page de la charte) : autant de
requêtes avec 1 qu'avec 50 lignes, nombre épinglé."""

from django.urls import reverse

from charte_iae import versions
from charte_iae.models import Notification
from tests.charte_iae.conftest import SAISIES_COMPLETES, remplir
from tests.conftest import construire_site
from tests.factories import ImplantationFactory, PersonneFactory, PrescriptionFactory
from tests.performance.conftest import BEAUCOUP, PEU, compter


def _notifications_et_personnes(site, agent):
    def ajouter(n):
        Notification.objects.bulk_create(
            Notification(destinataire=agent, texte=f"Message {i}", lien="/") for i in range(n)
        )
        for _ in range(n):
            PrescriptionFactory(
                implantation=site.implantation,
                prescrite_par=site.cpip,
                personne__cpip_referent=site.cpip,
            )
            PersonneFactory(etablissement=site.implantation.etablissement, cpip_referent=site.cpip)

    return ajouter


def test_accueil_du_cpip(site, invariance):
    invariance(
        site.cpip, reverse("accueil"), _notifications_et_personnes(site, site.cpip), 12, "Message"
    )


def test_accueil_de_la_siae(site, invariance):
    invariance(
        # Le compte des livrets à finaliser (liste vide ici : pas de requête de page) : 13.
        site.cip,
        reverse("accueil"),
        _notifications_et_personnes(site, site.cip),
        13,
        "Message",
    )


def test_accueil_de_la_direction(site, invariance):
    invariance(
        site.direction,
        reverse("accueil"),
        _notifications_et_personnes(site, site.direction),
        17,
        "Message",
    )


def test_liste_des_chartes(site, invariance):
    implantation = site.implantation

    def ajouter(n):
        for _ in range(n):
            ImplantationFactory(spip=implantation.spip, etablissement=implantation.etablissement)

    invariance(site.cpip, reverse("chartes"), ajouter, 7, r'href="/chartes/\d+/"')


def _charte_en_vigueur(criteres: int):
    site = construire_site()
    saisies = {
        **SAISIES_COMPLETES,
        "criteres_locaux": versions.SaisieChamp(
            criteres=[f"Critère local n° {i}" for i in range(criteres)]
        ),
    }
    version = remplir(versions.creer_version(charte=site.charte, par=site.dpip), site.dpip, saisies)
    versions.soumettre(version=version, par=site.dpip)
    versions.approuver(version=version, par=site.dpip)
    versions.approuver(version=version, par=site.direction)
    return site


def test_page_de_la_charte(db, client, django_assert_num_queries):
    """Une charte en vigueur avec 1 critère local, une autre avec 50 : même coût."""
    comptes = []
    for criteres in (PEU, BEAUCOUP):
        site = _charte_en_vigueur(criteres)
        client.force_login(site.cip)
        url = reverse("charte_detail", args=[site.charte.pk])
        client.get(url)
        comptes.append(compter(client, url))
        with django_assert_num_queries(14):
            html = client.get(url).content.decode()
        assert html.count("Critère local n° ") == criteres
    assert comptes == [14, 14]
