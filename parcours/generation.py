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
    CategorieCompetence,
    DecisionClassement,
    DecisionEntretien,
    DestinataireRemise,
    ModaliteRecueil,
    MotifCloture,
    MotifNonRetenu,
    MotifSortie,
    MotifSuspension,
    NiveauCompetence,
    SourceDateLiberation,
    StatutDemandeClassement,
    StatutPassage,
    StatutPenal,
    TypePieceIdentite,
)
from parcours.models import (
    Alerte,
    CompetenceLivret,
    DemandeClassement,
    EntretienRecrutement,
    ExamenCPU,
    HistoriqueDateLiberation,
    InformationIAE,
    LivretCompetences,
    ObservationCompetence,
    Orientation,
    ParcoursIAE,
    PassageMilieuOuvert,
    Personne,
    PosteOccupe,
    Prescription,
    RemiseLivret,
    SessionCPU,
    SuspensionParcours,
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


ACTIVITES = (
    ("Conditionnement", "Opérateur de conditionnement"),
    ("Blanchisserie", "Agent de blanchisserie"),
    ("Espaces verts", "Ouvrier paysagiste"),
    ("Menuiserie", "Aide-menuisier"),
    ("Logistique", "Préparateur de commandes"),
)
COMPETENCES = (
    (CategorieCompetence.SAVOIR_ETRE, "Ponctualité et assiduité"),
    (CategorieCompetence.SAVOIR_ETRE, "Travail en équipe"),
    (CategorieCompetence.SAVOIR_ETRE, "Respect des consignes de sécurité"),
    (CategorieCompetence.TECHNIQUE, "Utiliser une filmeuse"),
    (CategorieCompetence.TECHNIQUE, "Contrôler la qualité d'un lot"),
    (CategorieCompetence.TECHNIQUE, "Tenir un poste de préparation"),
)


@etape(21)
def parcours_siae(ctx: ContexteGeneration) -> None:
    """Côté SIAE : entretiens de recrutement des personnes prescrites, parcours sous CEP
    (en cours pour les prescriptions actives, sortis pour celles qui ont pris fin), suspensions,
    livrets de compétences (brouillon en cours, version finalisée et remise à la sortie) et
    passages en milieu ouvert après une libération ou un aménagement de peine."""
    rng, jour = ctx.rng, ctx.jour
    site_par_implantation = {s.implantation.pk: s for s in ctx.sites}
    entretiens: list[tuple[SiteGenere, Prescription, EntretienRecrutement]] = []
    for prescription in ctx.extra.get("prescriptions", []):
        if rng.random() >= 0.75:
            continue
        site = site_par_implantation[prescription.implantation_id]
        cip = rng.choice(site.cips)
        jours = max(1, (jour - prescription.prescrite_le.date()).days - rng.randint(1, 10))
        tirage = rng.random()
        decision = (
            DecisionEntretien.RETENU
            if tirage < 0.65
            else DecisionEntretien.NON_RETENU
            if tirage < 0.85
            else DecisionEntretien.EN_ATTENTE
        )
        if prescription.fin_le is not None and decision == DecisionEntretien.EN_ATTENTE:
            decision = DecisionEntretien.RETENU
        entretiens.append(
            (
                site,
                prescription,
                EntretienRecrutement(
                    personne_id=prescription.personne_id,
                    prescription=prescription,
                    date=jour - datetime.timedelta(days=jours),
                    notes="Motivé ; a déjà travaillé en atelier.",
                    decision=decision,
                    motif_non_retenu=(
                        rng.choice(MotifNonRetenu.values[:-1])
                        if decision == DecisionEntretien.NON_RETENU
                        else ""
                    ),
                    saisi_le=ctx.instant(jours),
                    saisi_par=cip,
                    decide_le=(
                        ctx.instant(jours, 30) if decision != DecisionEntretien.EN_ATTENTE else None
                    ),
                    decide_par=cip if decision != DecisionEntretien.EN_ATTENTE else None,
                ),
            )
        )
    inserer([e for _, _, e in entretiens])
    interlocuteurs = EntretienRecrutement.interlocuteurs.through
    inserer(
        [
            interlocuteurs(entretienrecrutement_id=e.pk, utilisateur_id=u.pk)
            for site, _, e in entretiens
            for u in {e.saisi_par, rng.choice(site.ets)}
        ]
    )

    parcours: list[tuple[SiteGenere, ParcoursIAE]] = []
    for site, prescription, entretien in entretiens:
        if entretien.decision != DecisionEntretien.RETENU:
            continue
        activite, poste = rng.choice(ACTIVITES)
        debut = entretien.date + datetime.timedelta(days=rng.randint(3, 20))
        debut = min(debut, jour)
        p = ParcoursIAE(
            personne_id=prescription.personne_id,
            prescription=prescription,
            entretien=entretien,
            implantation_id=prescription.implantation_id,
            date_debut=debut,
            activite_support=activite,
            poste=poste,
            heures_hebdomadaires=rng.choice((18, 20, 24, 26)),
            cree_le=ctx.instant((jour - debut).days),
            cree_par=entretien.saisi_par,
        )
        if rng.random() < 0.9:
            p.cep_signe_le = debut + datetime.timedelta(days=rng.choice((0, 1, 1, 2, 5)))
            p.cep_saisi_le = ctx.instant((jour - debut).days, 60)
            p.cep_saisi_par = entretien.saisi_par
        if prescription.fin_le is not None:
            p.date_sortie = max(debut, prescription.fin_le.date())
            p.motif_sortie = rng.choice(
                [MotifSortie.LIBERATION] * 4
                + [MotifSortie.AMENAGEMENT] * 2
                + [MotifSortie.FIN_CONTRAT, MotifSortie.TRANSFERT, MotifSortie.DEMISSION]
            )
            p.sortie_saisie_le = prescription.fin_le
            p.sortie_saisie_par = entretien.saisi_par
            p.accord_suivi_exterieur = rng.random() < 0.7
            p.accord_date = p.date_sortie
            p.accord_modalite = ModaliteRecueil.ENTRETIEN
            p.accord_saisi_le = prescription.fin_le
            p.accord_saisi_par = entretien.saisi_par
        parcours.append((site, p))
    inserer([p for _, p in parcours])
    inserer(
        [
            SuspensionParcours(
                parcours=p,
                debut=p.date_debut + datetime.timedelta(days=5),
                fin=p.date_debut + datetime.timedelta(days=8),
                motif=rng.choice(MotifSuspension.values[:-1]),
                saisie_le=ctx.instant(max(0, (jour - p.date_debut).days - 5)),
                saisie_par=p.cree_par,
            )
            for _, p in parcours
            if rng.random() < 0.15 and (p.date_sortie or jour) >= p.date_debut + _HUIT_JOURS
        ]
    )

    livrets: list[tuple[SiteGenere, ParcoursIAE, LivretCompetences]] = []
    for site, p in parcours:
        sorti = p.date_sortie is not None
        livrets.append(
            (
                site,
                p,
                LivretCompetences(
                    parcours=p,
                    objectifs="Consolider les savoir-être ; préparer un CACES.",
                    projet_professionnel="Préparateur de commandes en logistique.",
                    cree_le=p.cree_le,
                    cree_par=p.cree_par,
                    modifie_le=p.sortie_saisie_le or p.cree_le,
                    modifie_par=p.cree_par,
                    finalise_le=p.sortie_saisie_le if sorti else None,
                    finalise_par=p.cree_par if sorti else None,
                ),
            )
        )
    inserer([livret for _, _, livret in livrets])
    competences: list[tuple[SiteGenere, ParcoursIAE, CompetenceLivret]] = []
    postes, remises = [], []
    for site, p, livret in livrets:
        for categorie, intitule in rng.sample(COMPETENCES, rng.randint(2, 5)):
            competences.append(
                (
                    site,
                    p,
                    CompetenceLivret(
                        livret=livret,
                        categorie=categorie,
                        intitule=intitule,
                        niveau=rng.choice(NiveauCompetence.values),
                    ),
                )
            )
        postes.append(
            PosteOccupe(livret=livret, intitule=p.poste, debut=p.date_debut, fin=p.date_sortie)
        )
        if livret.finalise_le is not None:
            remises += [
                RemiseLivret(
                    livret=livret,
                    destinataire=destinataire,
                    date=p.date_sortie,
                    saisie_le=livret.finalise_le,
                    saisie_par=p.cree_par,
                )
                for destinataire in DestinataireRemise.values
            ]
    inserer([c for _, _, c in competences])
    inserer(
        [
            ObservationCompetence(
                competence=c,
                date=p.date_debut + datetime.timedelta(days=rng.randint(0, 30)),
                niveau=c.niveau,
                texte="Observé à l'atelier.",
                auteur=rng.choice(site.ets),
            )
            for site, p, c in competences
            if rng.random() < 0.6
        ]
    )
    inserer(postes)
    inserer(remises)

    passages = []
    for site, p, livret in livrets:
        if p.motif_sortie not in (MotifSortie.LIBERATION, MotifSortie.AMENAGEMENT):
            continue
        if not p.accord_suivi_exterieur or rng.random() >= 0.8:
            continue
        accepte = rng.random() < 0.7
        cpip_id = p.prescription.prescrite_par_id
        passages.append(
            PassageMilieuOuvert(
                personne_id=p.personne_id,
                parcours=p,
                livret=livret,
                projet="Poursuivre vers un emploi en logistique ; suivi France Travail justice.",
                cpip_mo=site.cpip_mo,
                statut=StatutPassage.ACCEPTE if accepte else StatutPassage.EN_ATTENTE,
                designe_le=p.sortie_saisie_le,
                designe_par_id=cpip_id,
                repondu_le=p.sortie_saisie_le if accepte else None,
                repondu_par=site.cpip_mo if accepte else None,
            )
        )
    inserer(passages)
    ctx.extra["parcours_iae"] = [p for _, p in parcours]
    ctx.journal(
        f"  {len(entretiens)} entretiens, {len(parcours)} parcours IAE, "
        f"{len(livrets)} livrets, {len(competences)} compétences, {len(passages)} passages"
    )


_HUIT_JOURS = datetime.timedelta(days=8)
