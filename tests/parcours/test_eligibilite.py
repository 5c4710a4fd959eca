"""L'éligibilité, fonction pure : bornes du reliquat en mois calendaires, pièce d'identité,
statut pénal, critères locaux, fenêtre d'éligibilité."""

import datetime
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from parcours.eligibilite import (
    Resultat,
    Verdict,
    eligibles_nationalement,
    evaluer,
    fenetre,
    reliquat,
)
from parcours.enums import StatutPenal, TypePieceIdentite
from parcours.models import Personne
from tests.factories import PersonneFactory


def personne(**valeurs) -> Personne:
    defauts = {
        "statut_penal": StatutPenal.CONDAMNE,
        "date_liberation_previsible": date(2027, 6, 15),
        "piece_identite_type": TypePieceIdentite.CNI,
        "piece_identite_expiration": date(2030, 1, 1),
    }
    return Personne(**{**defauts, **valeurs})


def resultat_reliquat(jour: date, dlp: date) -> Resultat:
    return evaluer(personne(date_liberation_previsible=dlp), jour).critere("reliquat").resultat


# --- Reliquat : bornes comprises, mois calendaires -----------------------------------------


def test_reliquat_de_4_mois_pile_est_eligible():
    assert resultat_reliquat(date(2026, 3, 10), date(2026, 7, 10)) is Resultat.SATISFAIT


def test_reliquat_de_4_mois_moins_un_jour_n_est_pas_eligible():
    assert resultat_reliquat(date(2026, 3, 10), date(2026, 7, 9)) is Resultat.NON_SATISFAIT


def test_reliquat_de_36_mois_pile_est_eligible():
    assert resultat_reliquat(date(2026, 3, 10), date(2029, 3, 10)) is Resultat.SATISFAIT


def test_reliquat_de_36_mois_plus_un_jour_n_est_pas_eligible():
    assert resultat_reliquat(date(2026, 3, 10), date(2029, 3, 11)) is Resultat.NON_SATISFAIT


def test_fin_de_mois_31_octobre_plus_4_mois_tombe_le_28_fevrier():
    # 31/10/2026 + 4 mois = 28/02/2027 (pas de 31 février) : libération le 28/02 → éligible.
    assert resultat_reliquat(date(2026, 10, 31), date(2027, 2, 28)) is Resultat.SATISFAIT
    assert resultat_reliquat(date(2026, 10, 31), date(2027, 2, 27)) is Resultat.NON_SATISFAIT


def test_fin_de_mois_31_mai_plus_4_mois_tombe_le_30_septembre():
    assert resultat_reliquat(date(2026, 5, 31), date(2026, 9, 30)) is Resultat.SATISFAIT
    assert resultat_reliquat(date(2026, 5, 31), date(2026, 9, 29)) is Resultat.NON_SATISFAIT


def test_29_fevrier_plus_36_mois_tombe_le_28_fevrier():
    # 29/02/2028 + 36 mois = 28/02/2031 : le 28 est éligible, le 1er mars ne l'est plus.
    assert resultat_reliquat(date(2028, 2, 29), date(2031, 2, 28)) is Resultat.SATISFAIT
    assert resultat_reliquat(date(2028, 2, 29), date(2031, 3, 1)) is Resultat.NON_SATISFAIT


def test_29_fevrier_plus_4_mois_tombe_le_29_juin():
    assert resultat_reliquat(date(2028, 2, 29), date(2028, 6, 29)) is Resultat.SATISFAIT
    assert resultat_reliquat(date(2028, 2, 29), date(2028, 6, 28)) is Resultat.NON_SATISFAIT


def test_liberation_un_29_fevrier():
    # Le 31/10/2027 + 4 mois = 29/02/2028 (année bissextile).
    assert resultat_reliquat(date(2027, 10, 31), date(2028, 2, 29)) is Resultat.SATISFAIT
    assert resultat_reliquat(date(2027, 11, 1), date(2028, 2, 29)) is Resultat.NON_SATISFAIT


def test_sans_date_de_liberation_le_reliquat_est_inconnu():
    e = evaluer(personne(date_liberation_previsible=None), date(2026, 3, 10))
    assert e.critere("reliquat").resultat is Resultat.INCONNU
    assert "greffe" in e.critere("reliquat").explication
    assert e.verdict is Verdict.A_COMPLETER
    assert e.fenetre is None and e.reliquat is None


def test_les_explications_sont_en_francais_et_datees():
    trop_court = evaluer(personne(date_liberation_previsible=date(2026, 5, 1)), date(2026, 3, 10))
    assert "inférieur à 4 mois" in trop_court.critere("reliquat").explication
    trop_long = evaluer(personne(date_liberation_previsible=date(2031, 5, 1)), date(2026, 3, 10))
    explication = trop_long.critere("reliquat").explication
    assert "supérieur à 36 mois" in explication and "01/05/2028" in explication


def test_reliquat_en_mois_et_jours():
    assert str(reliquat(date(2027, 2, 20), date(2026, 3, 10))) == "11 mois et 10 jours"
    assert str(reliquat(date(2026, 7, 10), date(2026, 3, 10))) == "4 mois"
    assert str(reliquat(date(2026, 3, 11), date(2026, 3, 10))) == "1 jour"
    assert str(reliquat(date(2026, 3, 1), date(2026, 3, 10))) == (
        "date de libération prévisible dépassée"
    )


# --- Fenêtre d'éligibilité ---------------------------------------------------------------


def test_fenetre_est_exactement_l_ensemble_des_jours_eligibles():
    for dlp in [date(2027, 2, 28), date(2028, 2, 29), date(2027, 6, 30), date(2027, 3, 31)]:
        f = fenetre(dlp)
        assert resultat_reliquat(f.debut, dlp) is Resultat.SATISFAIT
        assert resultat_reliquat(f.fin, dlp) is Resultat.SATISFAIT
        assert (
            resultat_reliquat(f.debut - datetime.timedelta(days=1), dlp) is Resultat.NON_SATISFAIT
        )
        assert resultat_reliquat(f.fin + datetime.timedelta(days=1), dlp) is Resultat.NON_SATISFAIT


def test_fenetre_fin_de_mois():
    # Libération le 28/02/2027 : le 31/10/2026 est le dernier jour éligible.
    assert fenetre(date(2027, 2, 28)).fin == date(2026, 10, 31)
    assert fenetre(date(2027, 2, 28)).debut == date(2024, 2, 28)


def test_jours_restants_dans_la_fenetre():
    e = evaluer(personne(date_liberation_previsible=date(2026, 7, 20)), date(2026, 3, 10))
    assert e.fenetre.fin == date(2026, 3, 20)
    assert e.jours_restants == 10
    assert e.fermeture_proche
    dernier_jour = evaluer(
        personne(date_liberation_previsible=date(2026, 7, 10)), date(2026, 3, 10)
    )
    assert dernier_jour.jours_restants == 0
    pas_encore = evaluer(personne(date_liberation_previsible=date(2029, 3, 20)), date(2026, 3, 10))
    assert pas_encore.jours_restants is None
    assert pas_encore.jours_avant_ouverture == 10


# --- Pièce d'identité -------------------------------------------------------------------


def test_piece_qui_expire_le_jour_meme_est_valide():
    e = evaluer(personne(piece_identite_expiration=date(2026, 3, 10)), date(2026, 3, 10))
    assert e.critere("piece_identite").resultat is Resultat.SATISFAIT
    assert e.eligible


def test_piece_expiree_la_veille_n_est_pas_valide():
    e = evaluer(personne(piece_identite_expiration=date(2026, 3, 9)), date(2026, 3, 10))
    assert e.critere("piece_identite").resultat is Resultat.NON_SATISFAIT
    assert "09/03/2026" in e.critere("piece_identite").explication
    assert e.verdict is Verdict.NON_ELIGIBLE


def test_piece_sans_date_d_expiration_est_inconnue():
    e = evaluer(personne(piece_identite_expiration=None), date(2026, 3, 10))
    assert e.critere("piece_identite").resultat is Resultat.INCONNU


def test_sans_piece_renseignee_est_inconnu():
    e = evaluer(personne(piece_identite_type="", piece_identite_expiration=None), date(2026, 3, 10))
    assert e.critere("piece_identite").resultat is Resultat.INCONNU


@pytest.mark.parametrize("piece", list(TypePieceIdentite))
def test_chaque_type_de_piece_valide_convient(piece):
    e = evaluer(personne(piece_identite_type=piece), date(2026, 3, 10))
    assert e.critere("piece_identite").resultat is Resultat.SATISFAIT


# --- Statut pénal -----------------------------------------------------------------------


def test_prevenu_n_est_pas_eligible():
    e = evaluer(personne(statut_penal=StatutPenal.PREVENU), date(2026, 3, 10))
    assert e.critere("condamnation").resultat is Resultat.NON_SATISFAIT
    assert "prévenue" in e.critere("condamnation").explication
    assert e.verdict is Verdict.NON_ELIGIBLE


def test_mixte_est_inconnu_tant_qu_un_cpip_n_a_pas_confirme():
    e = evaluer(personne(statut_penal=StatutPenal.MIXTE), date(2026, 3, 10))
    assert e.critere("condamnation").resultat is Resultat.INCONNU
    assert e.verdict is Verdict.A_COMPLETER


def test_mixte_confirme_par_un_cpip_est_satisfait():
    e = evaluer(
        personne(statut_penal=StatutPenal.MIXTE, condamnation_confirmee_le=timezone.now()),
        date(2026, 3, 10),
    )
    assert e.critere("condamnation").resultat is Resultat.SATISFAIT
    assert e.eligible


def test_statut_non_renseigne_est_inconnu():
    e = evaluer(personne(statut_penal=""), date(2026, 3, 10))
    assert e.critere("condamnation").resultat is Resultat.INCONNU


# --- Critères locaux ----------------------------------------------------------------------


def test_criteres_locaux_a_confirmer_un_par_un():
    locaux = ["Savoir lire les consignes de sécurité", "Être volontaire pour l'atelier bois"]
    aucun = evaluer(personne(), date(2026, 3, 10), criteres_locaux=locaux)
    assert [c.resultat for c in aucun.criteres[3:]] == [Resultat.INCONNU, Resultat.INCONNU]
    assert aucun.verdict is Verdict.A_COMPLETER
    un = evaluer(
        personne(), date(2026, 3, 10), criteres_locaux=locaux, criteres_confirmes=locaux[:1]
    )
    assert not un.eligible
    tous = evaluer(personne(), date(2026, 3, 10), criteres_locaux=locaux, criteres_confirmes=locaux)
    assert tous.eligible


def test_le_resultat_se_garde_en_json():
    donnees = evaluer(personne(), date(2026, 3, 10)).en_json()
    assert donnees["eligible"] is True
    assert donnees["jour"] == "2026-03-10"
    assert [c["code"] for c in donnees["criteres"]] == [
        "condamnation",
        "reliquat",
        "piece_identite",
    ]


# --- Le filtre SQL des listes dit la même chose que la fonction ------------------------------


@pytest.mark.django_db
def test_le_filtre_des_listes_concorde_avec_evaluer():
    jour = timezone.localdate()
    cas = [
        {},
        {"statut_penal": StatutPenal.PREVENU},
        {"statut_penal": StatutPenal.MIXTE},
        {"statut_penal": StatutPenal.MIXTE, "condamnation_confirmee_le": timezone.now()},
        {"statut_penal": ""},
        {"date_liberation_previsible": jour + relativedelta(months=4)},
        {"date_liberation_previsible": jour + relativedelta(months=4) - datetime.timedelta(days=1)},
        {"date_liberation_previsible": jour + relativedelta(months=36)},
        {"date_liberation_previsible": jour + relativedelta(months=36, days=1)},
        {"date_liberation_previsible": None, "date_liberation_source": ""},
        {"piece_identite_expiration": jour},
        {"piece_identite_expiration": jour - datetime.timedelta(days=1)},
        {"piece_identite_expiration": None},
    ]
    personnes = [PersonneFactory(**valeurs) for valeurs in cas]
    attendus = {p.pk for p in personnes if evaluer(p, jour).eligible}
    assert (
        set(eligibles_nationalement(Personne.objects.all(), jour).values_list("pk", flat=True))
        == attendus
    )
    assert len(attendus) == 5
