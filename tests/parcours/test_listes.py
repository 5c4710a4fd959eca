"""Les listes du CPIP : mes personnes, orientations en attente d'avis, éligibles sans
prescription ; filtres, pagination, et un nombre de requêtes qui ne grandit pas avec les lignes."""

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours.enums import StatutPenal
from tests.factories import OrientationFactory, PersonneFactory, PrescriptionFactory

PERSONNES = reverse("parcours:personnes")
ELIGIBLES = reverse("parcours:eligibles")
ORIENTATIONS = reverse("parcours:orientations")
# Requêtes par page, épinglées : session, agent, savepoint et sa libération (ATOMIC_REQUESTS),
# affectations, comptage pour la pagination, page de lignes (droits et indicateurs en sous-requêtes),
# notifications non lues de la navigation.
PLAFONDS = {PERSONNES: 8, ELIGIBLES: 8, ORIENTATIONS: 8}


def peupler(site, n):
    etablissement = site.implantation.etablissement
    for _ in range(n):
        personne = PersonneFactory(etablissement=etablissement, cpip_referent=site.cpip)
        OrientationFactory(personne=personne, signalee_par=site.orienteur)
    PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)


def compter(client, url):
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


@pytest.mark.parametrize("url", [PERSONNES, ELIGIBLES, ORIENTATIONS, PERSONNES + "?suivi=tous"])
def test_nombre_de_requetes_constant_quand_les_lignes_augmentent(
    site, client, url, django_assert_num_queries
):
    client.force_login(site.cpip)
    peupler(site, 2)
    client.get(url)  # premier appel : caches de types de contenu, de session
    avant = compter(client, url)
    peupler(site, 20)
    apres = compter(client, url)
    assert avant == apres
    with django_assert_num_queries(PLAFONDS[url.split("?")[0]]):
        client.get(url)


def test_mes_personnes_par_defaut_puis_tout_l_etablissement(site, client):
    mienne = PersonneFactory(etablissement=site.implantation.etablissement, cpip_referent=site.cpip)
    autre = PersonneFactory(etablissement=site.implantation.etablissement, cpip_referent=site.dpip)
    client.force_login(site.cpip)
    page = client.get(PERSONNES).content.decode()
    assert mienne.get_absolute_url() in page and autre.get_absolute_url() not in page
    page = client.get(PERSONNES + "?suivi=tous").content.decode()
    assert mienne.get_absolute_url() in page and autre.get_absolute_url() in page


def test_filtres_recherche_et_statut(site, client):
    a = PersonneFactory(
        etablissement=site.implantation.etablissement, cpip_referent=site.cpip, nom="Zidane"
    )
    b = PersonneFactory(
        etablissement=site.implantation.etablissement,
        cpip_referent=site.cpip,
        nom="Anelka",
        statut_penal=StatutPenal.PREVENU,
    )
    client.force_login(site.cpip)
    page = client.get(PERSONNES + "?q=zida").content.decode()
    assert a.get_absolute_url() in page and b.get_absolute_url() not in page
    page = client.get(PERSONNES + f"?q={b.numero_ecrou}").content.decode()
    assert b.get_absolute_url() in page and a.get_absolute_url() not in page
    page = client.get(PERSONNES + "?statut_penal=prevenu").content.decode()
    assert b.get_absolute_url() in page and a.get_absolute_url() not in page
    assert client.get(PERSONNES + "?statut_penal=<b>&page=zz").status_code == 200


def test_pagination(site, client):
    for _ in range(27):
        PersonneFactory(etablissement=site.implantation.etablissement, cpip_referent=site.cpip)
    client.force_login(site.cpip)
    page1 = client.get(PERSONNES)
    assert page1.context["page"].paginator.count == 27
    assert len(page1.context["lignes"]) == 25
    assert len(client.get(PERSONNES + "?page=2").context["lignes"]) == 2
    assert len(client.get(PERSONNES + "?page=999").context["lignes"]) == 2


def test_eligibles_sans_prescription(site, client):
    jour = timezone.localdate()
    etablissement = site.implantation.etablissement
    eligible = PersonneFactory(etablissement=etablissement, cpip_referent=site.cpip)
    PersonneFactory(etablissement=etablissement, cpip_referent=site.cpip, prevenu=True)
    PersonneFactory(
        etablissement=etablissement,
        cpip_referent=site.cpip,
        date_liberation_previsible=jour + relativedelta(months=2),
    )
    prescrite = PrescriptionFactory(implantation=site.implantation, prescrite_par=site.cpip)
    prescrite.personne.cpip_referent = site.cpip
    prescrite.personne.save()
    client.force_login(site.cpip)
    lignes = client.get(ELIGIBLES).context["lignes"]
    assert [p for p, _ in lignes] == [eligible]


def test_orientations_en_attente_de_mon_avis(site, client):
    etablissement = site.implantation.etablissement
    mienne = OrientationFactory(
        personne=PersonneFactory(etablissement=etablissement, cpip_referent=site.cpip)
    )
    traitee = OrientationFactory(
        personne=PersonneFactory(etablissement=etablissement, cpip_referent=site.cpip),
        avis_favorable=True,
    )
    collegue = OrientationFactory(
        personne=PersonneFactory(etablissement=etablissement, cpip_referent=site.dpip)
    )
    client.force_login(site.cpip)
    assert list(client.get(ORIENTATIONS).context["page"]) == [mienne]
    assert set(client.get(ORIENTATIONS + "?suivi=tous").context["page"]) == {mienne, collegue}
    assert list(client.get(ORIENTATIONS + "?etat=avis").context["page"]) == [traitee]
    assert client.get(ORIENTATIONS + "?etat=nimporte").status_code == 200


@pytest.mark.parametrize("url", [PERSONNES, ELIGIBLES, ORIENTATIONS])
def test_listes_anonyme_redirige(client, url):
    assert client.get(url).url.startswith(reverse("connexion"))


def test_un_cpip_d_un_autre_site_ne_voit_rien(site, autre_site, client):
    peupler(site, 2)
    client.force_login(autre_site.cpip)
    assert client.get(PERSONNES + "?suivi=tous").context["page"].paginator.count == 0
    assert client.get(ORIENTATIONS + "?suivi=tous&etat=toutes").context["page"].paginator.count == 0
    assert not Group.objects.filter(user=autre_site.cpip, structure=site.implantation.spip).exists()


def test_la_siae_ne_voit_que_les_personnes_prescrites(site, client):
    peupler(site, 2)
    client.force_login(site.cip)
    assert client.get(PERSONNES).context["page"].paginator.count == 1
    assert client.get(ELIGIBLES).status_code == 403
