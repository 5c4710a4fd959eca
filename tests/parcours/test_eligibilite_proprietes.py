"""Propriétés de l'éligibilité et des formulaires principaux (hypothesis) : quelles que soient
les dates et les saisies, pas d'exception, et le verdict suit la règle écrite dans la charte."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parcours import eligibilite
from parcours.eligibilite import Resultat, Verdict
from parcours.enums import StatutPenal, TypePieceIdentite
from parcours.forms import (
    AvisForm,
    ClotureForm,
    DecisionForm,
    DemandeClassementForm,
    InformationForm,
    OrientationForm,
)
from parcours.forms_siae import (
    AccordForm,
    DecisionEntretienForm,
    DemarcheForm,
    FormationForm,
    ObservationForm,
    ParcoursForm,
    PosteForm,
    ProjetForm,
    SortieForm,
    SuspensionForm,
)

JOURS = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31))
TOUTES_DATES = st.dates()
TEXTES = st.text(max_size=3000)
HOSTILES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "{{7*7}}",
        "'; DROP TABLE parcours_personne; --",
        "\x00",
        "x" * 100_000,
        "مرحبا 👋",
        "../../etc/passwd",
        "0001-01-01",
        "9999-12-31",
        "-1",
    ]
)


@dataclass
class Personne:
    statut_penal: str
    condamnation_confirmee_le: datetime.datetime | None
    date_liberation_previsible: datetime.date | None
    piece_identite_type: str
    piece_identite_expiration: datetime.date | None

    def get_piece_identite_type_display(self) -> str:
        return dict(TypePieceIdentite.choices).get(self.piece_identite_type, "")


personnes = st.builds(
    Personne,
    statut_penal=st.sampled_from(["", *StatutPenal.values]),
    condamnation_confirmee_le=st.none()
    | st.just(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)),
    date_liberation_previsible=st.none() | TOUTES_DATES,
    piece_identite_type=st.sampled_from(["", *TypePieceIdentite.values]),
    piece_identite_expiration=st.none() | TOUTES_DATES,
)


def _reliquat_dans_la_regle(dlp: datetime.date, jour: datetime.date) -> bool:
    return jour + relativedelta(months=4) <= dlp <= jour + relativedelta(months=36)


@given(personne=personnes, jour=JOURS)
@example(
    personne=Personne("condamne", None, datetime.date(1, 1, 1), "cni", datetime.date(9999, 12, 31)),
    jour=datetime.date(2026, 11, 28),
)
@example(
    personne=Personne("condamne", None, datetime.date(9999, 12, 31), "cni", datetime.date(1, 1, 1)),
    jour=datetime.date(2026, 11, 28),
)
def test_le_verdict_suit_les_trois_criteres_nationaux_pour_toute_date(personne, jour):
    resultat = eligibilite.evaluer(personne, jour)
    dlp = personne.date_liberation_previsible
    reliquat = resultat.critere("reliquat").resultat
    if dlp is None:
        assert reliquat is Resultat.INCONNU
    else:
        attendu = _reliquat_dans_la_regle(dlp, jour)
        assert (reliquat is Resultat.SATISFAIT) == attendu
    condamne = personne.statut_penal == StatutPenal.CONDAMNE or (
        personne.statut_penal == StatutPenal.MIXTE
        and personne.condamnation_confirmee_le is not None
    )
    piece_valide = bool(
        personne.piece_identite_type
        and personne.piece_identite_expiration
        and personne.piece_identite_expiration >= jour
    )
    eligible = condamne and dlp is not None and _reliquat_dans_la_regle(dlp, jour) and piece_valide
    assert (resultat.verdict is Verdict.ELIGIBLE) == eligible
    # Le texte des explications se rend toujours.
    assert all(c.explication for c in resultat.criteres)
    resultat.en_json()


@given(dlp=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_la_fenetre_est_exactement_l_ensemble_des_jours_ou_le_reliquat_convient(dlp):
    fenetre = eligibilite.fenetre(dlp)
    un_jour = datetime.timedelta(days=1)
    for jour in (fenetre.debut, fenetre.fin):
        assert _reliquat_dans_la_regle(dlp, jour)
    assert not _reliquat_dans_la_regle(dlp, fenetre.debut - un_jour)
    assert not _reliquat_dans_la_regle(dlp, fenetre.fin + un_jour)


# Les formulaires de saisie du parcours qui ne lisent pas la base : chacun reçoit une valeur
# tirée au sort dans chacun de ses champs.
_FORMULAIRES = [
    AvisForm,
    ClotureForm,
    OrientationForm,
    InformationForm,
    DemandeClassementForm,
    DecisionForm,
    DecisionEntretienForm,
    ParcoursForm,
    SuspensionForm,
    SortieForm,
    AccordForm,
    ObservationForm,
    ProjetForm,
    PosteForm,
    FormationForm,
    DemarcheForm,
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    classe=st.sampled_from(_FORMULAIRES),
    valeurs=st.lists(TEXTES | HOSTILES | JOURS.map(str), min_size=6, max_size=6),
)
def test_les_formulaires_valident_ou_refusent_sans_exception(classe, valeurs):
    """Toute saisie est acceptée ou refusée avec des messages (en français) ; jamais une
    exception. Ce qui est accepté reste du texte tel quel (l'échappement est au gabarit)."""
    donnees = dict(zip(classe.base_fields, valeurs, strict=False))
    form = classe(data=donnees)
    if form.is_valid():
        for champ, valeur in form.cleaned_data.items():
            if isinstance(valeur, str) and champ in donnees:
                assert "\x00" not in valeur or "\x00" in donnees[champ]
    else:
        assert all(isinstance(m, str) and m for erreurs in form.errors.values() for m in erreurs)
