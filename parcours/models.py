"""La personne détenue et son chemin vers un parcours IAE : information, orientation, avis du
SPIP, prescription, demande de classement au travail et CPU.

Données minimales : ni infraction, ni donnée de santé. Chaque étape garde *quand* et *par qui*
(``*_le`` / ``*_par``) : les statistiques viennent de là, pas d'un simple statut.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from charte_iae import acces
from charte_iae.enums import FONCTIONS_SPIP, Milieu, TypeStructure
from charte_iae.models import Etablissement, Implantation
from parcours.enums import (
    AvisCPU,
    AvisSpip,
    CanalInformation,
    CategorieCompetence,
    DecisionClassement,
    DecisionEntretien,
    DestinataireRemise,
    ModaliteRecueil,
    MotifAvis,
    MotifCloture,
    MotifNonRetenu,
    MotifSortie,
    MotifSuspension,
    NiveauCompetence,
    SituationSortie,
    SourceDateLiberation,
    StatutDemandeClassement,
    StatutPassage,
    StatutPenal,
    TypeAlerte,
    TypePieceIdentite,
)
from parcours.jours_ouvres import ajouter_jours_ouvres

_AGENT = settings.AUTH_USER_MODEL


def _agent(verbose_name: str, related_name: str, **options: Any) -> models.ForeignKey:
    return models.ForeignKey(
        _AGENT,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name=related_name,
        **options,
    )


# --- Personne ----------------------------------------------------------------------------------


class PersonneQuerySet(models.QuerySet["Personne"]):
    def for_user(self, utilisateur: Any) -> PersonneQuerySet:
        """Les personnes dont l'agent peut voir le dossier (règle de ``parcours.permissions``)."""
        return acces.objets_pour(utilisateur, "parcours.view_personne", self)


class Personne(models.Model):
    """Une personne détenue. Elle n'a pas de compte : elle reçoit des documents imprimés."""

    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    date_naissance = models.DateField("date de naissance")
    numero_ecrou = models.CharField(
        "numéro d'écrou", max_length=20, help_text="Unique dans l'établissement."
    )
    etablissement = models.ForeignKey(
        Etablissement,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        related_name="personnes",
    )
    statut_penal = models.CharField(
        "statut pénal",
        max_length=10,
        choices=StatutPenal.choices,
        blank=True,
        help_text="Laissez vide s'il n'est pas encore connu.",
    )
    condamnation_confirmee_le = models.DateTimeField(
        "condamnation confirmée le",
        null=True,
        blank=True,
        help_text="Pour un statut mixte : un CPIP confirme qu'une condamnation est à exécuter.",
    )
    condamnation_confirmee_par = _agent("condamnation confirmée par", "+", null=True, blank=True)
    date_liberation_previsible = models.DateField(
        "date de libération prévisible",
        null=True,
        blank=True,
        help_text="La date donnée par le greffe ; ne jamais la calculer depuis une peine.",
    )
    date_liberation_source = models.CharField(
        "source de la date de libération",
        max_length=20,
        choices=SourceDateLiberation.choices,
        blank=True,
    )
    date_liberation_saisie_le = models.DateTimeField(
        "date de libération saisie le", null=True, blank=True
    )
    date_liberation_saisie_par = _agent("date de libération saisie par", "+", null=True, blank=True)
    piece_identite_type = models.CharField(
        "pièce d'identité ou autorisation",
        max_length=25,
        choices=TypePieceIdentite.choices,
        blank=True,
    )
    piece_identite_expiration = models.DateField(
        "date d'expiration de la pièce", null=True, blank=True
    )
    cpip_referent = _agent("CPIP référent", "personnes_suivies", null=True, blank=True)
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    creee_par = _agent("créée par", "+", null=True, editable=False)
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now, editable=False)
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Incrémentée à chaque modification : refuse d'écraser une modification concurrente.",
    )

    objects = PersonneQuerySet.as_manager()

    class Meta:
        verbose_name = "personne détenue"
        verbose_name_plural = "personnes détenues"
        ordering = ["nom", "prenom", "pk"]
        permissions = [("prescrire_personne", "Prescrire un parcours IAE")]
        constraints = [
            models.UniqueConstraint(
                fields=["etablissement", "numero_ecrou"],
                name="personne_ecrou_unique_par_etablissement",
                violation_error_message="Ce numéro d'écrou est déjà attribué dans cet établissement.",
            ),
        ]
        indexes = [
            models.Index(fields=["etablissement", "date_liberation_previsible"]),
            models.Index(fields=["nom", "prenom", "date_naissance"]),
        ]

    def __str__(self) -> str:
        return f"{self.nom.upper()} {self.prenom} (écrou {self.numero_ecrou})"

    def get_absolute_url(self) -> str:
        return reverse("parcours:personne", args=[self.pk])

    def clean(self) -> None:
        erreurs = {}
        aujourd_hui = timezone.localdate()
        if self.date_naissance and not (
            datetime.date(1900, 1, 1) <= self.date_naissance < aujourd_hui
        ):
            erreurs["date_naissance"] = "Indiquez une date de naissance passée, après 1900."
        if (
            self.date_liberation_previsible
            and self.date_naissance
            and self.date_liberation_previsible <= self.date_naissance
        ):
            erreurs["date_liberation_previsible"] = (
                "La date de libération prévisible doit suivre la date de naissance."
            )
        if self.date_liberation_previsible and self.date_liberation_previsible.year > 2200:
            erreurs["date_liberation_previsible"] = "Cette date de libération n'est pas plausible."
        if self.date_liberation_previsible and not self.date_liberation_source:
            erreurs["date_liberation_source"] = (
                "Indiquez d'où vient la date de libération prévisible."
            )
        if self.piece_identite_expiration and not self.piece_identite_type:
            erreurs["piece_identite_type"] = "Indiquez la pièce dont vous saisissez l'expiration."
        if erreurs:
            raise ValidationError(erreurs)


class HistoriqueDateLiberation(models.Model):
    """Chaque date de libération prévisible saisie, avec sa source : la date bouge
    (réductions de peine, libération sous contrainte, aménagements)."""

    personne = models.ForeignKey(
        Personne,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="historique_dates_liberation",
    )
    date_liberation_previsible = models.DateField(
        "date de libération prévisible", null=True, blank=True
    )
    source = models.CharField(
        "source", max_length=20, choices=SourceDateLiberation.choices, blank=True
    )
    saisie_le = models.DateTimeField("saisie le", default=timezone.now)
    saisie_par = _agent("saisie par", "+", null=True)

    class Meta:
        verbose_name = "date de libération prévisible (historique)"
        verbose_name_plural = "dates de libération prévisible (historique)"
        ordering = ["-saisie_le", "-pk"]

    def __str__(self) -> str:
        return f"{self.date_liberation_previsible} ({self.get_source_display()})"


class PersonneUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Personne, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "droit d'un agent sur une personne"


class PersonneGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Personne, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "droit d'une structure sur une personne"


class DuDossierQuerySet(models.QuerySet):
    """Pour les objets rattachés au dossier d'une personne : visibles avec le dossier."""

    def for_user(self, utilisateur: Any) -> models.QuerySet:
        return self.filter(personne__in=Personne.objects.for_user(utilisateur).values("pk"))


# --- Information et orientation ------------------------------------------------------------------


class InformationIAE(models.Model):
    """Une information sur l'IAE donnée à la personne (à minima : entretien arrivant, PEP)."""

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.CASCADE, related_name="informations"
    )
    date = models.DateField("date")
    canal = models.CharField("canal", max_length=30, choices=CanalInformation.choices)
    commentaire = models.CharField("commentaire", max_length=500, blank=True)
    donnee_par = _agent("donnée par", "informations_iae_donnees")
    saisie_le = models.DateTimeField("saisie le", default=timezone.now, editable=False)

    objects = DuDossierQuerySet.as_manager()

    class Meta:
        verbose_name = "information sur l'IAE"
        verbose_name_plural = "informations sur l'IAE"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_canal_display()} le {self.date:%d/%m/%Y}"


class OrientationQuerySet(models.QuerySet["Orientation"]):
    def for_user(self, utilisateur: Any) -> OrientationQuerySet:
        """Les orientations visibles : celles du dossier pour le SPIP (et la SIAE prescrite),
        seulement les siennes pour un orienteur."""
        return acces.objets_pour(utilisateur, "parcours.view_orientation", self)

    def ouvertes(self) -> OrientationQuerySet:
        return self.filter(cloturee_le__isnull=True)

    def en_attente_avis(self) -> OrientationQuerySet:
        return self.ouvertes().filter(avis_le__isnull=True)


class Orientation(models.Model):
    """Un signalement vers un parcours IAE, par un orienteur de l'établissement ou un CPIP,
    puis l'avis du SPIP. Une orientation close garde son motif."""

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.CASCADE, related_name="orientations"
    )
    motif = models.TextField("motif de l'orientation", max_length=2000)
    signalee_le = models.DateField("signalée le")
    signalee_par = _agent("signalée par", "orientations_signalees")
    enregistree_le = models.DateTimeField("enregistrée le", default=timezone.now, editable=False)

    avis = models.CharField("avis du SPIP", max_length=15, choices=AvisSpip.choices, blank=True)
    avis_motifs = models.TextField("motifs de l'avis", max_length=2000, blank=True)
    avis_motif_principal = models.CharField(
        "motif principal de l'avis", max_length=25, choices=MotifAvis.choices, blank=True
    )
    avis_le = models.DateTimeField("avis donné le", null=True, blank=True)
    avis_par = _agent("avis donné par", "+", null=True, blank=True)

    cloturee_le = models.DateTimeField("close le", null=True, blank=True)
    cloturee_par = _agent("close par", "+", null=True, blank=True)
    motif_cloture = models.CharField(
        "motif de clôture", max_length=25, choices=MotifCloture.choices, blank=True
    )
    cloture_commentaire = models.CharField("précision sur la clôture", max_length=500, blank=True)

    objects = OrientationQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["-signalee_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cloturee_le__isnull=True) | ~models.Q(motif_cloture=""),
                name="orientation_close_avec_motif",
                violation_error_message="Une orientation close garde son motif de clôture.",
            ),
            models.CheckConstraint(
                condition=models.Q(avis_le__isnull=True) | ~models.Q(avis=""),
                name="orientation_avis_renseigne",
                violation_error_message="Un avis donné a une valeur.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["personne"],
                name="orientation_attente_avis_idx",
                condition=models.Q(avis_le__isnull=True, cloturee_le__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"Orientation du {self.signalee_le:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("parcours:orientation", args=[self.pk])

    @property
    def est_close(self) -> bool:
        return self.cloturee_le is not None

    @property
    def etape(self) -> str:
        """Où en est l'orientation, en français, pour l'orienteur et les listes."""
        if self.est_close:
            return f"Close — {self.get_motif_cloture_display()}"
        prescription = getattr(self, "prescription", None)
        if prescription is not None:
            return "Parcours IAE prescrit"
        if self.avis_le is not None:
            return f"Avis du SPIP : {self.get_avis_display().lower()}"
        return "En attente de l'avis du SPIP"


class OrientationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Orientation, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "droit d'un agent sur une orientation"


class OrientationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Orientation, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "droit d'une structure sur une orientation"


# --- Prescription ---------------------------------------------------------------------------------


class PrescriptionQuerySet(DuDossierQuerySet):
    def actives(self) -> models.QuerySet:
        return self.filter(fin_le__isnull=True)


class Prescription(models.Model):
    """La prescription d'un parcours IAE vers la SIAE d'une implantation, par le SPIP seul.
    Le résultat de l'éligibilité ce jour-là est gardé tel quel (ce qui était vrai alors).

    Une prescription est *active* tant que ``fin_le`` est vide : c'est elle qui ouvre le
    dossier aux permanents de la SIAE. Au plus une prescription active par personne."""

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.PROTECT, related_name="prescriptions"
    )
    orientation = models.OneToOneField(
        Orientation,
        verbose_name="orientation",
        on_delete=models.PROTECT,
        related_name="prescription",
    )
    implantation = models.ForeignKey(
        Implantation,
        verbose_name="SIAE (implantation)",
        on_delete=models.PROTECT,
        related_name="prescriptions",
    )
    prescrite_le = models.DateTimeField("prescrite le", default=timezone.now)
    prescrite_par = _agent("prescrite par", "prescriptions_faites")
    eligibilite = models.JSONField(
        "éligibilité le jour de la prescription",
        default=dict,
        help_text="Chaque critère, son résultat et son explication, tels qu'établis ce jour-là.",
    )
    criteres_locaux_confirmes = models.JSONField(
        "critères locaux confirmés", default=list, blank=True
    )
    commentaire = models.CharField("commentaire", max_length=1000, blank=True)
    fin_le = models.DateTimeField("fin le", null=True, blank=True)
    fin_par = _agent("fin enregistrée par", "+", null=True, blank=True)

    objects = PrescriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "prescription"
        verbose_name_plural = "prescriptions"
        ordering = ["-prescrite_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["personne"],
                condition=models.Q(fin_le__isnull=True),
                name="prescription_active_unique_par_personne",
                violation_error_message="Cette personne a déjà un parcours IAE prescrit en cours.",
            ),
        ]

    def __str__(self) -> str:
        return f"Prescription du {timezone.localtime(self.prescrite_le):%d/%m/%Y}"

    @property
    def active(self) -> bool:
        return self.fin_le is None


# --- Demande de classement et CPU --------------------------------------------------------------


class DemandeClassement(models.Model):
    """La demande de classement au travail sur le régime de la SIAE, écrite par la personne
    au chef d'établissement, avec l'aide du SPIP."""

    personne = models.ForeignKey(
        Personne,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="demandes_classement",
    )
    orientation = models.ForeignKey(
        Orientation,
        verbose_name="orientation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_classement",
    )
    date_demande = models.DateField("date de la demande")
    statut = models.CharField(
        "statut",
        max_length=20,
        choices=StatutDemandeClassement.choices,
        default=StatutDemandeClassement.EN_PREPARATION,
    )
    aidee_par = _agent("préparée avec", "demandes_classement_aidees")
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    deposee_le = models.DateTimeField("déposée le", null=True, blank=True)
    deposee_par = _agent("dépôt enregistré par", "+", null=True, blank=True)
    commentaire = models.CharField("commentaire", max_length=500, blank=True)

    objects = DuDossierQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de classement au travail"
        verbose_name_plural = "demandes de classement au travail"
        ordering = ["-date_demande", "-pk"]

    def __str__(self) -> str:
        return f"Demande de classement du {self.date_demande:%d/%m/%Y}"


class SessionCPUQuerySet(models.QuerySet["SessionCPU"]):
    def for_user(self, utilisateur: Any) -> SessionCPUQuerySet:
        """Les CPU des établissements où l'agent est affecté au SPIP de milieu fermé."""
        if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
            return self.none()
        etablissements = [
            a.structure.etablissement_id
            for a in utilisateur.affectations_actives
            if a.fonction in FONCTIONS_SPIP
            and a.structure.type == TypeStructure.SPIP
            and a.structure.milieu == Milieu.FERME
        ]
        return self.filter(etablissement_id__in=etablissements)


class SessionCPU(models.Model):
    """Une commission pluridisciplinaire unique : elle conseille, le chef d'établissement décide."""

    etablissement = models.ForeignKey(
        Etablissement,
        verbose_name="établissement",
        on_delete=models.PROTECT,
        related_name="sessions_cpu",
    )
    date = models.DateField("date de la CPU")
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    creee_par = _agent("créée par", "+")

    objects = SessionCPUQuerySet.as_manager()

    class Meta:
        verbose_name = "session de CPU"
        verbose_name_plural = "sessions de CPU"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["etablissement", "date"],
                name="session_cpu_unique_par_jour",
                violation_error_message="Une CPU existe déjà à cette date dans cet établissement.",
            ),
        ]

    def __str__(self) -> str:
        return f"CPU du {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("parcours:session_cpu", args=[self.pk])


class ExamenCPU(models.Model):
    """Une personne examinée en CPU : l'avis de la commission, puis la décision de classement
    du chef d'établissement, enregistrée à part (la CPU conseille seulement)."""

    session = models.ForeignKey(
        SessionCPU, verbose_name="session", on_delete=models.CASCADE, related_name="examens"
    )
    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.CASCADE, related_name="examens_cpu"
    )
    orientation = models.ForeignKey(
        Orientation,
        verbose_name="orientation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="examens_cpu",
    )
    demande_classement = models.ForeignKey(
        DemandeClassement,
        verbose_name="demande de classement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="examens_cpu",
    )
    inscrit_le = models.DateTimeField("inscrite le", default=timezone.now, editable=False)
    inscrit_par = _agent("inscrite par", "+")
    avis_cpu = models.CharField(
        "avis de la CPU", max_length=15, choices=AvisCPU.choices, blank=True
    )
    avis_cpu_commentaire = models.CharField("commentaire de la CPU", max_length=1000, blank=True)
    avis_cpu_le = models.DateTimeField("avis saisi le", null=True, blank=True)
    avis_cpu_par = _agent("avis saisi par", "+", null=True, blank=True)
    decision = models.CharField(
        "décision du chef d'établissement",
        max_length=15,
        choices=DecisionClassement.choices,
        blank=True,
    )
    decision_date = models.DateField("date de la décision", null=True, blank=True)
    decision_saisie_le = models.DateTimeField("décision saisie le", null=True, blank=True)
    decision_saisie_par = _agent("décision saisie par", "+", null=True, blank=True)

    objects = DuDossierQuerySet.as_manager()

    class Meta:
        verbose_name = "examen en CPU"
        verbose_name_plural = "examens en CPU"
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "personne"],
                name="examen_cpu_unique",
                violation_error_message="Cette personne est déjà inscrite à cette CPU.",
            ),
        ]

    def __str__(self) -> str:
        return f"Examen en {self.session}"


# --- Côté SIAE : entretien de recrutement, parcours, livret, passage en milieu ouvert -------------
# (issue 5) Chaque étape garde quand et par qui ; les transitions sont dans ``services_siae``.


class EntretienRecrutementQuerySet(models.QuerySet["EntretienRecrutement"]):
    def for_user(self, utilisateur: Any) -> models.QuerySet:
        """Visibles avec le dossier, ou par la SIAE qui les a menés (son historique)."""
        return self.filter(
            models.Q(personne__in=Personne.objects.for_user(utilisateur).values("pk"))
            | models.Q(prescription__implantation__siae_id__in=_siae_de(utilisateur))
        )


def _siae_de(utilisateur: Any) -> list[int]:
    """Les SIAE où l'agent a une affectation active (son historique de SIAE reste lisible)."""
    if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
        return []
    return [
        a.structure_id
        for a in utilisateur.affectations_actives
        if a.structure.type == TypeStructure.SIAE
    ]


class EntretienRecrutement(models.Model):
    """L'entretien de recrutement mené par la SIAE avec une personne qui lui est prescrite,
    et sa décision (retenu, non retenu avec un motif codé, ou en attente)."""

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.PROTECT, related_name="entretiens"
    )
    prescription = models.ForeignKey(
        Prescription,
        verbose_name="prescription",
        on_delete=models.PROTECT,
        related_name="entretiens",
    )
    date = models.DateField("date de l'entretien")
    interlocuteurs = models.ManyToManyField(
        _AGENT, verbose_name="mené par", related_name="entretiens_menes"
    )
    notes = models.TextField("notes", max_length=4000, blank=True)
    decision = models.CharField(
        "décision",
        max_length=15,
        choices=DecisionEntretien.choices,
        default=DecisionEntretien.EN_ATTENTE,
    )
    motif_non_retenu = models.CharField(
        "motif", max_length=20, choices=MotifNonRetenu.choices, blank=True
    )
    motif_precision = models.CharField("précision sur le motif", max_length=500, blank=True)
    saisi_le = models.DateTimeField("saisi le", default=timezone.now, editable=False)
    saisi_par = _agent("saisi par", "+")
    decide_le = models.DateTimeField("décidé le", null=True, blank=True)
    decide_par = _agent("décidé par", "+", null=True, blank=True)

    objects = EntretienRecrutementQuerySet.as_manager()

    class Meta:
        verbose_name = "entretien de recrutement"
        verbose_name_plural = "entretiens de recrutement"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["prescription"],
                condition=models.Q(decision="retenu"),
                name="entretien_un_seul_retenu_par_prescription",
                violation_error_message="La personne a déjà été retenue pour cette prescription.",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="non_retenu") | ~models.Q(motif_non_retenu=""),
                name="entretien_non_retenu_avec_motif",
                violation_error_message="Indiquez le motif pour lequel la personne n'est pas retenue.",
            ),
            models.CheckConstraint(
                condition=models.Q(decision="en_attente") | models.Q(decide_le__isnull=False),
                name="entretien_decision_datee",
                violation_error_message="Une décision est datée et attribuée.",
            ),
        ]

    def __str__(self) -> str:
        return f"Entretien du {self.date:%d/%m/%Y}"

    @property
    def est_decide(self) -> bool:
        return self.decision != DecisionEntretien.EN_ATTENTE


class ParcoursIAEQuerySet(models.QuerySet["ParcoursIAE"]):
    def for_user(self, utilisateur: Any) -> ParcoursIAEQuerySet:
        """Visibles avec le dossier (SPIP, SIAE en cours, CPIP de milieu ouvert après le
        passage), et par la SIAE qui les a menés, en lecture, pour son historique."""
        return self.filter(
            models.Q(personne__in=Personne.objects.for_user(utilisateur).values("pk"))
            | models.Q(implantation__siae_id__in=_siae_de(utilisateur))
        )

    def actifs(self) -> ParcoursIAEQuerySet:
        return self.filter(date_sortie__isnull=True)

    def sortis(self) -> ParcoursIAEQuerySet:
        return self.filter(date_sortie__isnull=False)


class ParcoursIAE(models.Model):
    """Le parcours sous contrat d'emploi pénitentiaire (CEP) dans la SIAE, de son début à la
    sortie. Au plus un parcours en cours par personne (contrainte en base)."""

    DELAI_SIGNATURE_CEP = 2  # jours ouvrés (décret n° 2022-655)

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.PROTECT, related_name="parcours_iae"
    )
    prescription = models.OneToOneField(
        Prescription,
        verbose_name="prescription",
        on_delete=models.PROTECT,
        related_name="parcours_iae",
    )
    entretien = models.OneToOneField(
        EntretienRecrutement,
        verbose_name="entretien retenu",
        on_delete=models.PROTECT,
        related_name="parcours_iae",
    )
    implantation = models.ForeignKey(
        Implantation, verbose_name="SIAE", on_delete=models.PROTECT, related_name="parcours_iae"
    )
    date_debut = models.DateField("début du contrat d'emploi pénitentiaire")
    activite_support = models.CharField("activité support", max_length=200)
    poste = models.CharField("poste", max_length=200)
    heures_hebdomadaires = models.DecimalField(
        "heures hebdomadaires", max_digits=4, decimal_places=1
    )
    cree_le = models.DateTimeField("enregistré le", default=timezone.now, editable=False)
    cree_par = _agent("enregistré par", "+")

    cep_signe_le = models.DateField("CEP signé le", null=True, blank=True)
    cep_saisi_le = models.DateTimeField("signature saisie le", null=True, blank=True)
    cep_saisi_par = _agent("signature saisie par", "+", null=True, blank=True)

    date_sortie = models.DateField("date de sortie", null=True, blank=True)
    motif_sortie = models.CharField(
        "motif de sortie", max_length=15, choices=MotifSortie.choices, blank=True
    )
    sortie_precision = models.CharField("précision sur la sortie", max_length=500, blank=True)
    situation_sortie = models.CharField(
        "situation à la sortie", max_length=25, choices=SituationSortie.choices, blank=True
    )
    sortie_saisie_le = models.DateTimeField("sortie saisie le", null=True, blank=True)
    sortie_saisie_par = _agent("sortie saisie par", "+", null=True, blank=True)

    accord_suivi_exterieur = models.BooleanField(
        "accord pour un suivi par la SIAE après la sortie", null=True, blank=True
    )
    accord_date = models.DateField("accord recueilli le", null=True, blank=True)
    accord_modalite = models.CharField(
        "comment l'accord a été recueilli",
        max_length=15,
        choices=ModaliteRecueil.choices,
        blank=True,
    )
    accord_precision = models.CharField("précision", max_length=300, blank=True)
    accord_saisi_le = models.DateTimeField("accord saisi le", null=True, blank=True)
    accord_saisi_par = _agent("accord saisi par", "+", null=True, blank=True)

    objects = ParcoursIAEQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours IAE"
        verbose_name_plural = "parcours IAE"
        ordering = ["-date_debut", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["personne"],
                condition=models.Q(date_sortie__isnull=True),
                name="parcours_iae_un_seul_actif_par_personne",
                violation_error_message="Cette personne a déjà un parcours IAE en cours.",
            ),
            models.CheckConstraint(
                condition=models.Q(date_sortie__isnull=True) | ~models.Q(motif_sortie=""),
                name="parcours_iae_sortie_avec_motif",
                violation_error_message="Une sortie a un motif.",
            ),
            models.CheckConstraint(
                condition=models.Q(date_sortie__isnull=True)
                | models.Q(date_sortie__gte=models.F("date_debut")),
                name="parcours_iae_sortie_apres_debut",
                violation_error_message="La sortie ne peut précéder le début du contrat.",
            ),
            models.CheckConstraint(
                condition=models.Q(accord_suivi_exterieur__isnull=True)
                | (models.Q(accord_date__isnull=False) & ~models.Q(accord_modalite="")),
                name="parcours_iae_accord_date_et_modalite",
                violation_error_message="L'accord (ou le refus) est daté et dit comment il a été recueilli.",
            ),
        ]
        indexes = [
            models.Index(fields=["implantation", "date_sortie"]),
        ]

    def __str__(self) -> str:
        return f"Parcours IAE depuis le {self.date_debut:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("parcours_siae:parcours", args=[self.pk])

    @property
    def est_actif(self) -> bool:
        return self.date_sortie is None

    @property
    def date_limite_cep(self) -> datetime.date:
        return ajouter_jours_ouvres(self.date_debut, self.DELAI_SIGNATURE_CEP)

    def alerte_cep(self, jour: datetime.date | None = None) -> str:
        """Un avertissement si le CEP n'a pas été signé dans les 2 jours ouvrés du début."""
        limite = self.date_limite_cep
        if self.cep_signe_le is None:
            if (jour or timezone.localdate()) > limite:
                return (
                    f"Le CEP n'est pas enregistré comme signé : il devait l'être au plus tard "
                    f"le {limite:%d/%m/%Y} (2 jours ouvrés après le début)."
                )
            return ""
        if self.cep_signe_le > limite:
            return (
                f"Le CEP a été signé le {self.cep_signe_le:%d/%m/%Y}, après le délai de 2 jours "
                f"ouvrés (au plus tard le {limite:%d/%m/%Y})."
            )
        return ""


class SuspensionParcours(models.Model):
    """Une suspension du parcours, d'une date à une autre (la fin peut rester ouverte)."""

    parcours = models.ForeignKey(
        ParcoursIAE, verbose_name="parcours", on_delete=models.CASCADE, related_name="suspensions"
    )
    debut = models.DateField("du")
    fin = models.DateField("au", null=True, blank=True)
    motif = models.CharField("motif", max_length=20, choices=MotifSuspension.choices)
    precision = models.CharField("précision", max_length=300, blank=True)
    saisie_le = models.DateTimeField("saisie le", default=timezone.now, editable=False)
    saisie_par = _agent("saisie par", "+")

    class Meta:
        verbose_name = "suspension du parcours"
        verbose_name_plural = "suspensions du parcours"
        ordering = ["-debut", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fin__isnull=True) | models.Q(fin__gte=models.F("debut")),
                name="suspension_fin_apres_debut",
                violation_error_message="La fin de la suspension ne peut précéder son début.",
            ),
        ]

    def __str__(self) -> str:
        return f"Suspension du {self.debut:%d/%m/%Y}"


# --- Livret de compétences ----------------------------------------------------------------------


class LivretFige(Exception):
    """Une version finalisée du livret est immuable : une correction fait une nouvelle version."""

    message = (
        "Ce livret est finalisé : il ne peut plus être modifié. Créez une nouvelle version "
        "pour le corriger."
    )

    def __str__(self) -> str:
        return self.message


class LivretQuerySet(models.QuerySet["LivretCompetences"]):
    def for_user(self, utilisateur: Any) -> models.QuerySet:
        return self.filter(parcours__in=ParcoursIAE.objects.for_user(utilisateur).values("pk"))

    def finalises(self) -> LivretQuerySet:
        return self.filter(finalise_le__isnull=False)

    def _refuser_si_finalise(self) -> None:
        if self.filter(finalise_le__isnull=False).exists():
            raise LivretFige()

    def update(self, **kwargs: Any) -> int:
        self._refuser_si_finalise()
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuser_si_finalise()
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]


class LivretCompetences(models.Model):
    """Le livret de compétences d'un parcours, en versions numérotées : un brouillon au plus
    à la fois ; une version finalisée est figée (modèle et requêtes refusent de la modifier)."""

    parcours = models.ForeignKey(
        ParcoursIAE, verbose_name="parcours", on_delete=models.PROTECT, related_name="livrets"
    )
    numero = models.PositiveSmallIntegerField("version", default=1)
    objectifs = models.TextField("objectifs", max_length=4000, blank=True)
    projet_professionnel = models.TextField("projet professionnel", max_length=4000, blank=True)
    cree_le = models.DateTimeField("créé le", default=timezone.now, editable=False)
    cree_par = _agent("créé par", "+")
    modifie_le = models.DateTimeField("modifié le", default=timezone.now)
    modifie_par = _agent("modifié par", "+", null=True, blank=True)
    finalise_le = models.DateTimeField("finalisé le", null=True, blank=True)
    finalise_par = _agent("finalisé par", "+", null=True, blank=True)

    objects = LivretQuerySet.as_manager()

    class Meta:
        verbose_name = "livret de compétences"
        verbose_name_plural = "livrets de compétences"
        ordering = ["parcours", "-numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcours", "numero"],
                name="livret_version_unique",
                violation_error_message="Cette version du livret existe déjà.",
            ),
            models.UniqueConstraint(
                fields=["parcours"],
                condition=models.Q(finalise_le__isnull=True),
                name="livret_un_seul_brouillon",
                violation_error_message="Un brouillon du livret est déjà en cours.",
            ),
        ]

    def __str__(self) -> str:
        etat = "finalisée" if self.finalise_le else "brouillon"
        return f"Livret de compétences, version {self.numero} ({etat})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Invariant de données (comme une contrainte) : une version finalisée ne change plus,
        # quel que soit le point d'entrée (vue, administration, shell).
        if self.pk and LivretCompetences.objects.filter(pk=self.pk).finalises().exists():
            raise LivretFige()
        super().save(*args, **kwargs)

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk and LivretCompetences.objects.filter(pk=self.pk).finalises().exists():
            raise LivretFige()
        return super().delete(*args, **kwargs)

    delete.alters_data = True  # type: ignore[attr-defined]

    @property
    def est_finalise(self) -> bool:
        return self.finalise_le is not None


class ContenuLivretQuerySet(models.QuerySet):
    def _refuser_si_finalise(self) -> None:
        if self.filter(**{f"{self.model.CHEMIN_LIVRET}__finalise_le__isnull": False}).exists():
            raise LivretFige()

    def update(self, **kwargs: Any) -> int:
        self._refuser_si_finalise()
        return super().update(**kwargs)

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuser_si_finalise()
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]


class ContenuLivret(models.Model):
    """Une ligne du livret : refuse toute écriture dès que sa version est finalisée."""

    CHEMIN_LIVRET = "livret"

    objects = ContenuLivretQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuser_si_finalise()
        super().save(*args, **kwargs)

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._refuser_si_finalise()
        return super().delete(*args, **kwargs)

    delete.alters_data = True  # type: ignore[attr-defined]

    def _livret_id(self) -> int | None:
        return self.livret_id  # type: ignore[attr-defined]

    def _refuser_si_finalise(self) -> None:
        if LivretCompetences.objects.filter(pk=self._livret_id()).finalises().exists():
            raise LivretFige()


class CompetenceLivret(ContenuLivret):
    livret = models.ForeignKey(
        LivretCompetences,
        verbose_name="livret",
        on_delete=models.CASCADE,
        related_name="competences",
    )
    categorie = models.CharField("type", max_length=15, choices=CategorieCompetence.choices)
    intitule = models.CharField("compétence", max_length=200)
    niveau = models.CharField(
        "niveau",
        max_length=15,
        choices=NiveauCompetence.choices,
        default=NiveauCompetence.NON_ACQUIS,
    )

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["categorie", "intitule", "pk"]

    def __str__(self) -> str:
        return f"{self.intitule} ({self.get_niveau_display().lower()})"


class ObservationCompetence(ContenuLivret):
    """Une observation datée d'une compétence, avec le niveau constaté ce jour-là."""

    CHEMIN_LIVRET = "competence__livret"

    competence = models.ForeignKey(
        CompetenceLivret,
        verbose_name="compétence",
        on_delete=models.CASCADE,
        related_name="observations",
    )
    date = models.DateField("date de l'observation")
    niveau = models.CharField("niveau constaté", max_length=15, choices=NiveauCompetence.choices)
    texte = models.CharField("observation", max_length=1000)
    auteur = _agent("observée par", "+")

    class Meta:
        verbose_name = "observation"
        verbose_name_plural = "observations"
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"Observation du {self.date:%d/%m/%Y}"

    def _livret_id(self) -> int | None:
        return (
            CompetenceLivret.objects.filter(pk=self.competence_id)
            .values_list("livret_id", flat=True)
            .first()
        )


class PosteOccupe(ContenuLivret):
    livret = models.ForeignKey(
        LivretCompetences, verbose_name="livret", on_delete=models.CASCADE, related_name="postes"
    )
    intitule = models.CharField("poste", max_length=200)
    debut = models.DateField("du")
    fin = models.DateField("au", null=True, blank=True)

    class Meta:
        verbose_name = "poste occupé"
        verbose_name_plural = "postes occupés"
        ordering = ["debut", "pk"]

    def __str__(self) -> str:
        return self.intitule

    @property
    def duree_jours(self) -> int | None:
        if self.fin is None:
            return None
        return (self.fin - self.debut).days + 1


class FormationSuivie(ContenuLivret):
    livret = models.ForeignKey(
        LivretCompetences,
        verbose_name="livret",
        on_delete=models.CASCADE,
        related_name="formations",
    )
    intitule = models.CharField("formation", max_length=200)
    organisme = models.CharField("organisme", max_length=200, blank=True)
    date = models.DateField("date (ou fin)")
    certification = models.CharField(
        "certificat ou attestation obtenu",
        max_length=200,
        blank=True,
        help_text="Laissez vide si aucun certificat n'a été délivré.",
    )

    class Meta:
        verbose_name = "formation suivie"
        verbose_name_plural = "formations suivies"
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.intitule


class DemarcheEngagee(ContenuLivret):
    livret = models.ForeignKey(
        LivretCompetences,
        verbose_name="livret",
        on_delete=models.CASCADE,
        related_name="demarches",
    )
    date = models.DateField("date")
    intitule = models.CharField("démarche", max_length=300)
    partenaire = models.CharField(
        "partenaire contacté",
        max_length=200,
        blank=True,
        help_text="France Travail justice, Mission locale, organisme de formation, employeur…",
    )

    class Meta:
        verbose_name = "démarche engagée"
        verbose_name_plural = "démarches engagées"
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.intitule


class RemiseLivret(models.Model):
    """Quand une version finalisée a été remise au SPIP, à la personne (une fois chacun)."""

    livret = models.ForeignKey(
        LivretCompetences,
        verbose_name="livret",
        on_delete=models.PROTECT,
        related_name="remises",
    )
    destinataire = models.CharField("remis", max_length=10, choices=DestinataireRemise.choices)
    date = models.DateField("date de remise")
    saisie_le = models.DateTimeField("saisie le", default=timezone.now, editable=False)
    saisie_par = _agent("saisie par", "+")

    class Meta:
        verbose_name = "remise du livret"
        verbose_name_plural = "remises du livret"
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["livret", "destinataire"],
                name="livret_remis_une_fois_par_destinataire",
                violation_error_message="Cette remise est déjà enregistrée.",
            ),
        ]

    def __str__(self) -> str:
        return f"Remis {self.get_destinataire_display().lower()} le {self.date:%d/%m/%Y}"


# --- Passage en milieu ouvert -------------------------------------------------------------------


class PassageQuerySet(models.QuerySet["PassageMilieuOuvert"]):
    def for_user(self, utilisateur: Any) -> PassageQuerySet:
        """Le CPIP de milieu ouvert désigné voit le passage (même avant de l'accepter) ; les
        autres le voient avec le dossier."""
        if not (utilisateur and utilisateur.is_authenticated and utilisateur.is_active):
            return self.none()
        return self.filter(
            models.Q(cpip_mo=utilisateur)
            | models.Q(personne__in=Personne.objects.for_user(utilisateur).values("pk"))
        )

    def ouverts(self) -> PassageQuerySet:
        return self.exclude(statut=StatutPassage.RENVOYE)


class PassageMilieuOuvert(models.Model):
    """Le CPIP de milieu fermé confie le parcours, le projet et le dernier livret finalisé à un
    CPIP de milieu ouvert désigné, qui l'accepte (et accède alors au dossier) ou le renvoie."""

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.PROTECT, related_name="passages_mo"
    )
    parcours = models.ForeignKey(
        ParcoursIAE, verbose_name="parcours", on_delete=models.PROTECT, related_name="passages"
    )
    livret = models.ForeignKey(
        LivretCompetences,
        verbose_name="livret transmis",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="passages",
    )
    projet = models.TextField("projet et éléments transmis", max_length=4000)
    cpip_mo = _agent("CPIP de milieu ouvert désigné", "passages_recus")
    statut = models.CharField(
        "statut", max_length=15, choices=StatutPassage.choices, default=StatutPassage.EN_ATTENTE
    )
    designe_le = models.DateTimeField("confié le", default=timezone.now)
    designe_par = _agent("confié par", "passages_confies")
    repondu_le = models.DateTimeField("réponse le", null=True, blank=True)
    repondu_par = _agent("réponse de", "+", null=True, blank=True)
    motif_renvoi = models.CharField("motif du renvoi", max_length=500, blank=True)

    objects = PassageQuerySet.as_manager()

    class Meta:
        verbose_name = "passage en milieu ouvert"
        verbose_name_plural = "passages en milieu ouvert"
        ordering = ["-designe_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["parcours"],
                condition=~models.Q(statut="renvoye"),
                name="passage_un_seul_ouvert_par_parcours",
                violation_error_message="Ce parcours est déjà confié au milieu ouvert.",
            ),
            models.CheckConstraint(
                condition=models.Q(statut="en_attente") | models.Q(repondu_le__isnull=False),
                name="passage_reponse_datee",
                violation_error_message="Une réponse est datée et attribuée.",
            ),
            models.CheckConstraint(
                condition=~models.Q(statut="renvoye") | ~models.Q(motif_renvoi=""),
                name="passage_renvoi_motive",
                violation_error_message="Un renvoi dit pourquoi.",
            ),
        ]

    def __str__(self) -> str:
        return f"Passage en milieu ouvert du {timezone.localtime(self.designe_le):%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("parcours_siae:passage", args=[self.pk])


# --- Alertes ------------------------------------------------------------------------------------


class AlerteQuerySet(DuDossierQuerySet):
    def actives(self) -> models.QuerySet:
        return self.filter(resolue_le__isnull=True)


class Alerte(models.Model):
    """Ce qui demande d'agir sur un dossier avant qu'il ne soit trop tard (fenêtre d'éligibilité
    qui se ferme, pièce qui expire, avis qui tarde…). Calculée par ``parcours.alertes`` chaque
    nuit et à chaque changement ; elle est *active* tant que ``resolue_le`` est vide et se
    résout d'elle-même quand sa cause disparaît (ou quand un agent en prend connaissance, pour
    celles qui ne demandent qu'une vérification). Gardée résolue : l'historique compte."""

    personne = models.ForeignKey(
        Personne, verbose_name="personne", on_delete=models.CASCADE, related_name="alertes"
    )
    type = models.CharField("type", max_length=25, choices=TypeAlerte.choices)
    cle = models.CharField(
        "clé",
        max_length=50,
        blank=True,
        help_text="Distingue deux alertes du même type sur le même dossier (orientation, date…).",
    )
    motif = models.CharField("pourquoi", max_length=500)
    echeance = models.DateField("échéance", help_text="Date avant laquelle agir : trie l'urgence.")
    lien = models.CharField("où agir", max_length=500)
    lien_spip = models.CharField(
        "où agir (SPIP)",
        max_length=500,
        blank=True,
        help_text="Quand le lieu où agir est une page de la SIAE : la page du dossier pour le SPIP.",
    )
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    resolue_le = models.DateTimeField("résolue le", null=True, blank=True)
    resolue_par = _agent(
        "prise en compte par",
        "+",
        null=True,
        blank=True,
        help_text="Vide quand la cause a disparu d'elle-même.",
    )

    objects = AlerteQuerySet.as_manager()

    class Meta:
        verbose_name = "alerte"
        verbose_name_plural = "alertes"
        ordering = ["echeance", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["personne", "type", "cle"],
                condition=models.Q(resolue_le__isnull=True),
                name="alerte_active_unique",
                violation_error_message="Cette alerte est déjà active sur ce dossier.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["personne", "echeance"],
                name="alerte_active_idx",
                condition=models.Q(resolue_le__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} (échéance {self.echeance:%d/%m/%Y})"

    @property
    def active(self) -> bool:
        return self.resolue_le is None
