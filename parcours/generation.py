"""Génération à l'échelle : les personnes détenues à chaque étape (informées, orientées, avis
rendu, prescrites, classées après CPU, orientations closes), par lots. Les droits suivent par
les règles d'accès, à l'étape finale du noyau (``charte_iae.generation``)."""

from __future__ import annotations

import datetime

from charte_iae.generation import (
    NOMS,
    PRENOMS,
    TAILLE_LOT,
    ContexteGeneration,
    SiteGenere,
    etape,
)
from charte_iae.insertion import inserer
from parcours import alertes, eligibilite
from parcours.enums import (
    AvisCPU,
    AvisSpip,
    CanalInformation,
    DecisionClassement,
    MotifCloture,
    SourceDateLiberation,
    StatutDemandeClassement,
    StatutPenal,
    TypePieceIdentite,
)
from parcours.models import (
    Alerte,
    DemandeClassement,
    ExamenCPU,
    HistoriqueDateLiberation,
    InformationIAE,
    Orientation,
    Personne,
    Prescription,
    SessionCPU,
)

MOTIFS = (
    "Souhaite travailler à l'atelier et préparer sa sortie.",
    "Demande une activité rémunérée ; projet de formation qualifiante.",
    "Repéré en entretien arrivant : motivé, sans expérience professionnelle.",
    "Souhaite reprendre un emploi dans la logistique à la sortie.",
)


def _personne(ctx: ContexteGeneration, site: SiteGenere, numero: int) -> Personne:
    rng, jour = ctx.rng, ctx.jour
    tirage = rng.random()
    statut = (
        StatutPenal.CONDAMNE
        if tirage < 0.8
        else StatutPenal.PREVENU
        if tirage < 0.92
        else StatutPenal.MIXTE
    )
    dlp = jour + datetime.timedelta(days=rng.randint(20, 1800)) if rng.random() < 0.9 else None
    piece = rng.choice(
        [TypePieceIdentite.CNI] * 5
        + [TypePieceIdentite.PASSEPORT, TypePieceIdentite.TITRE_SEJOUR, ""]
    )
    creee_le = ctx.instant(rng.randint(30, 700))
    cpip = rng.choice(site.cpips)
    return Personne(
        nom=rng.choice(NOMS),
        prenom=rng.choice(PRENOMS),
        date_naissance=jour - datetime.timedelta(days=rng.randint(18 * 366, 65 * 365)),
        numero_ecrou=f"G{numero:07d}",
        etablissement=site.etablissement,
        statut_penal=statut,
        date_liberation_previsible=dlp,
        date_liberation_source=SourceDateLiberation.FICHE_PENALE if dlp else "",
        date_liberation_saisie_le=creee_le if dlp else None,
        date_liberation_saisie_par=cpip if dlp else None,
        piece_identite_type=piece,
        piece_identite_expiration=(
            jour + datetime.timedelta(days=rng.randint(-60, 3000)) if piece else None
        ),
        cpip_referent=cpip,
        creee_le=creee_le,
        creee_par=cpip,
        modifiee_le=creee_le,
    )


@etape(20)
def personnes_et_parcours(ctx: ContexteGeneration) -> None:
    rng, jour = ctx.rng, ctx.jour
    numero = 0
    personnes: list[tuple[SiteGenere, Personne]] = []
    for site in ctx.sites:
        for _ in range(site.personnes):
            numero += 1
            personnes.append((site, _personne(ctx, site, numero)))
    inserer([p for _, p in personnes])
    ctx.extra["premiere_personne"] = personnes[0][1].pk if personnes else 0
    inserer(
        [
            HistoriqueDateLiberation(
                personne=p,
                date_liberation_previsible=p.date_liberation_previsible,
                source=p.date_liberation_source,
                saisie_le=p.date_liberation_saisie_le,
                saisie_par=p.date_liberation_saisie_par,
            )
            for _, p in personnes
            if p.date_liberation_previsible
        ]
    )
    informations = []
    orientations: list[tuple[SiteGenere, Personne, Orientation]] = []
    for site, p in personnes:
        for n in range(rng.choice((0, 1, 1, 1, 2))):
            informations.append(
                InformationIAE(
                    personne=p,
                    date=jour - datetime.timedelta(days=rng.randint(10, 300)),
                    canal=rng.choice(CanalInformation.values),
                    donnee_par=p.cpip_referent if n == 0 else rng.choice(site.orienteurs),
                    saisie_le=ctx.instant(rng.randint(10, 300)),
                )
            )
        if rng.random() >= 0.35:
            continue
        jours = rng.randint(3, 200)
        orientation = Orientation(
            personne=p,
            motif=rng.choice(MOTIFS),
            signalee_le=jour - datetime.timedelta(days=jours),
            signalee_par=rng.choice(site.orienteurs) if rng.random() < 0.6 else p.cpip_referent,
            enregistree_le=ctx.instant(jours),
        )
        if rng.random() < 0.75:
            orientation.avis = rng.choice(
                [AvisSpip.FAVORABLE] * 14 + [AvisSpip.RESERVE] * 3 + [AvisSpip.DEFAVORABLE] * 3
            )
            orientation.avis_motifs = "Projet cohérent avec l'activité support."
            orientation.avis_le = ctx.instant(max(0, jours - 2), 30)
            orientation.avis_par = p.cpip_referent
            if orientation.avis == AvisSpip.DEFAVORABLE:
                orientation.cloturee_le = ctx.instant(max(0, jours - 2), 45)
                orientation.cloturee_par = p.cpip_referent
                orientation.motif_cloture = MotifCloture.AVIS_DEFAVORABLE
        orientations.append((site, p, orientation))
    inserer(informations)
    inserer([o for _, _, o in orientations])

    prescriptions: list[tuple[SiteGenere, Prescription]] = []
    a_clore: list[Orientation] = []
    for site, p, o in orientations:
        if o.avis != AvisSpip.FAVORABLE or rng.random() >= 0.6:
            continue
        active = rng.random() < 0.85
        prescription = Prescription(
            personne=p,
            orientation=o,
            implantation=site.implantation,
            prescrite_le=o.avis_le,
            prescrite_par=p.cpip_referent,
            eligibilite=eligibilite.evaluer(p, o.avis_le.date()).en_json(),
        )
        if not active:
            prescription.fin_le = ctx.instant(1)
            prescription.fin_par = p.cpip_referent
            o.cloturee_le, o.cloturee_par = prescription.fin_le, p.cpip_referent
            o.motif_cloture = MotifCloture.FIN_PARCOURS
            a_clore.append(o)
        prescriptions.append((site, prescription))
    inserer([p for _, p in prescriptions])
    Orientation.objects.bulk_update(
        a_clore, ["cloturee_le", "cloturee_par", "motif_cloture"], batch_size=TAILLE_LOT
    )

    sessions: dict[int, list[SessionCPU]] = {}
    nouvelles = []
    for site in ctx.sites:
        existantes = set(
            SessionCPU.objects.filter(etablissement=site.etablissement).values_list(
                "date", flat=True
            )
        )
        sessions[site.etablissement.pk] = []
        for jours in (63, 35, 14):
            date = jour - datetime.timedelta(days=jours)
            if date in existantes:
                continue
            session = SessionCPU(
                etablissement=site.etablissement,
                date=date,
                creee_le=ctx.instant(jours + 10),
                creee_par=site.dpip,
            )
            nouvelles.append(session)
            sessions[site.etablissement.pk].append(session)
    inserer(nouvelles)

    demandes: list[DemandeClassement] = []
    for _site, prescription in prescriptions:
        if rng.random() >= 0.6:
            continue
        deposee = rng.random() < 0.8
        demandes.append(
            DemandeClassement(
                personne=prescription.personne,
                orientation=prescription.orientation,
                date_demande=prescription.prescrite_le.date(),
                statut=(
                    StatutDemandeClassement.DEPOSEE
                    if deposee
                    else StatutDemandeClassement.EN_PREPARATION
                ),
                aidee_par=prescription.prescrite_par,
                creee_le=prescription.prescrite_le,
                deposee_le=prescription.prescrite_le if deposee else None,
                deposee_par=prescription.prescrite_par if deposee else None,
            )
        )
    inserer(demandes)

    examens = []
    for demande in demandes:
        choix = sessions.get(demande.personne.etablissement_id)
        if demande.statut != StatutDemandeClassement.DEPOSEE or not choix:
            continue
        session = rng.choice(choix)
        decision = rng.choice([DecisionClassement.CLASSE] * 4 + [DecisionClassement.AJOURNE])
        examens.append(
            ExamenCPU(
                session=session,
                personne=demande.personne,
                orientation=demande.orientation,
                demande_classement=demande,
                inscrit_par=demande.aidee_par,
                avis_cpu=AvisCPU.FAVORABLE,
                avis_cpu_le=ctx.instant((jour - session.date).days),
                avis_cpu_par=demande.aidee_par,
                decision=decision,
                decision_date=session.date + datetime.timedelta(days=2),
                decision_saisie_le=ctx.instant((jour - session.date).days - 2),
                decision_saisie_par=demande.aidee_par,
            )
        )
    inserer(examens)
    ctx.extra["prescriptions"] = [p for _, p in prescriptions]
    ctx.journal(
        f"  {len(personnes)} personnes, {len(informations)} informations, "
        f"{len(orientations)} orientations, {len(prescriptions)} prescriptions, "
        f"{len(demandes)} demandes de classement, {len(examens)} examens en CPU"
    )


@etape(25)
def alertes_actives(ctx: ContexteGeneration) -> None:
    """Les alertes que le calcul de nuit aurait posées, par les mêmes détecteurs
    (``parcours.alertes``), écrites par lots ; sans notification (déjà générées à part)."""
    # Seulement les dossiers générés (ceux de la démonstration ont déjà leurs alertes).
    generees = ctx.extra.get("premiere_personne", 0)
    concernees = [pk for pk in alertes.personnes_concernees() if pk >= generees]
    lignes = []
    for debut in range(0, len(concernees), 2000):
        for personne in alertes._personnes_prechargees(concernees[debut : debut + 2000]):
            for attendue in alertes.alertes_attendues(personne, ctx.jour):
                lignes.append(
                    Alerte(
                        personne=personne,
                        type=attendue.type,
                        cle=attendue.cle,
                        motif=attendue.motif[:500],
                        echeance=attendue.echeance,
                        lien=attendue.lien,
                        creee_le=ctx.instant(1),
                    )
                )
    inserer(lignes)
    ctx.journal(f"  {len(lignes)} alertes actives")
