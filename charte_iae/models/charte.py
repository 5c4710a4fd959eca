"""La charte d'une implantation : le modèle national sous forme de données, les versions
locales approuvées par les deux parties et la répartition des rôles par domaine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from charte_iae.models.organisations import Implantation

# --- Le modèle national -------------------------------------------------------------------


class ModeleCharte(models.Model):
    """Une version du modèle national (Annexe 4). Jamais modifiée une fois chargée : une
    nouvelle version du modèle est un nouvel enregistrement, les chartes existantes gardent
    la leur."""

    code = models.SlugField("code", max_length=50)
    version = models.PositiveIntegerField("version")
    intitule = models.CharField("intitulé", max_length=300)
    source = models.CharField("source", max_length=200)
    avertissement = models.TextField("avertissement", blank=True)
    charge_le = models.DateTimeField("chargé le", default=timezone.now)

    class Meta:
        verbose_name = "modèle national de charte"
        verbose_name_plural = "modèles nationaux de charte"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="modele_charte_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} (version {self.version})"


class ArticleModele(models.Model):
    """Un article ou sous-article du modèle, dans l'ordre : son texte fixe est une suite de
    blocs (paragraphe, liste, note, ou emplacement d'un champ à remplir)."""

    modele = models.ForeignKey(
        ModeleCharte, verbose_name="modèle", on_delete=models.CASCADE, related_name="articles"
    )
    numero = models.CharField("numéro", max_length=10)
    titre = models.CharField("titre", max_length=300)
    ordre = models.PositiveIntegerField("ordre")
    blocs = models.JSONField("blocs", default=list, blank=True)

    class Meta:
        verbose_name = "article du modèle"
        verbose_name_plural = "articles du modèle"
        ordering = ["modele", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["modele", "ordre"], name="article_modele_ordre_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.numero}. {self.titre}"

    @property
    def sous_article(self) -> bool:
        return "." in self.numero


class NatureChamp(models.TextChoices):
    PRECISER = "preciser", "À préciser"
    AJOUTER = "ajouter", "À ajouter éventuellement"
    FORMALISER = "formaliser", "À formaliser"
    RECOMMANDATION = "recommandation", "Recommandation"


class TypeChamp(models.TextChoices):
    TEXTE = "texte", "Texte libre"
    STRUCTURE = "structure", "Rubriques"
    CRITERES = "criteres", "Liste de critères"
    REPARTITION = "repartition", "Tableau de répartition des rôles"


class ChampModele(models.Model):
    """Un champ à remplir : chaque instruction entre crochets du modèle, avec sa consigne
    montrée au rédacteur."""

    modele = models.ForeignKey(
        ModeleCharte, verbose_name="modèle", on_delete=models.CASCADE, related_name="champs"
    )
    article = models.ForeignKey(
        ArticleModele, verbose_name="article", on_delete=models.CASCADE, related_name="champs"
    )
    code = models.SlugField("code", max_length=60)
    libelle = models.CharField("libellé", max_length=300)
    consigne = models.TextField("consigne du modèle")
    nature = models.CharField("nature", max_length=20, choices=NatureChamp.choices)
    type = models.CharField("type", max_length=20, choices=TypeChamp.choices)
    obligatoire = models.BooleanField("à remplir avant soumission", default=False)
    sous_champs = models.JSONField("rubriques", default=list, blank=True)
    ordre = models.PositiveIntegerField("ordre")

    class Meta:
        verbose_name = "champ à remplir du modèle"
        verbose_name_plural = "champs à remplir du modèle"
        ordering = ["modele", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["modele", "code"], name="champ_modele_code_unique"),
        ]

    def __str__(self) -> str:
        return self.libelle


# --- La charte locale ---------------------------------------------------------------------


class Charte(models.Model):
    implantation = models.OneToOneField(
        Implantation, verbose_name="implantation", on_delete=models.PROTECT, related_name="charte"
    )
    intitule = models.CharField(
        "intitulé",
        max_length=200,
        default="Charte de partenariat SPIP / SIAE",
        help_text="Le titre de la charte locale, tel qu'il figure en tête du document.",
    )
    creee_le = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "charte"
        verbose_name_plural = "chartes"
        permissions = [
            ("approuver_spip_charte", "Approuver une version de la charte pour le SPIP"),
            ("approuver_siae_charte", "Approuver une version de la charte pour la SIAE"),
        ]

    def __str__(self) -> str:
        return f"Charte {self.implantation}"


class DomaineIntervention(models.Model):
    """Un domaine d'intervention : national (les 8 du modèle) ou ajouté localement à une charte."""

    modele = models.ForeignKey(
        ModeleCharte,
        verbose_name="modèle",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="domaines",
    )
    charte = models.ForeignKey(
        Charte,
        verbose_name="charte (domaine local)",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="domaines_locaux",
    )
    code = models.SlugField("code", max_length=60)
    libelle = models.CharField("libellé", max_length=200)
    ordre = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "domaine d'intervention"
        verbose_name_plural = "domaines d'intervention"
        ordering = ["ordre", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(modele__isnull=True, charte__isnull=False)
                | Q(modele__isnull=False, charte__isnull=True),
                name="domaine_national_ou_local",
                violation_error_message="Un domaine est soit national (modèle), soit local (charte).",
            ),
            models.UniqueConstraint(
                fields=["modele", "code"],
                condition=Q(modele__isnull=False),
                name="domaine_national_code_unique",
            ),
            models.UniqueConstraint(
                fields=["charte", "code"],
                condition=Q(charte__isnull=False),
                name="domaine_local_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.libelle

    @property
    def local(self) -> bool:
        return self.charte_id is not None


class StatutVersion(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise à approbation"
    EN_VIGUEUR = "en_vigueur", "En vigueur"
    REMPLACEE = "remplacee", "Remplacée"


class Partie(models.TextChoices):
    SPIP = "spip", "SPIP"
    SIAE = "siae", "SIAE"


STATUTS_EN_COURS = (StatutVersion.BROUILLON, StatutVersion.SOUMISE)


class VersionCharteQuerySet(models.QuerySet["VersionCharte"]):
    def en_vigueur(self) -> VersionCharteQuerySet:
        return self.filter(statut=StatutVersion.EN_VIGUEUR)

    def en_cours(self) -> VersionCharteQuerySet:
        return self.filter(statut__in=STATUTS_EN_COURS)


def _agent_fk(nom: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=nom,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


class VersionCharte(models.Model):
    """Une version de la charte locale : brouillon → soumise → en vigueur → remplacée.
    En vigueur seulement avec les deux approbations (SPIP et SIAE), datées et attribuées.
    ``revision`` est le compteur de verrouillage optimiste des modifications du brouillon."""

    charte = models.ForeignKey(
        Charte, verbose_name="charte", on_delete=models.CASCADE, related_name="versions"
    )
    numero = models.PositiveIntegerField("numéro")
    modele = models.ForeignKey(
        ModeleCharte, verbose_name="modèle national", on_delete=models.PROTECT, related_name="+"
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutVersion.choices, default=StatutVersion.BROUILLON
    )
    revision = models.PositiveIntegerField("révision", default=1)
    creee_le = models.DateTimeField("créée le", default=timezone.now)
    creee_par = _agent_fk("créée par")
    modifiee_le = models.DateTimeField("modifiée le", default=timezone.now)
    modifiee_par = _agent_fk("modifiée par")
    soumise_le = models.DateTimeField("soumise le", null=True, blank=True)
    soumise_par = _agent_fk("soumise par")
    approuvee_spip_le = models.DateTimeField("approuvée pour le SPIP le", null=True, blank=True)
    approuvee_spip_par = _agent_fk("approuvée pour le SPIP par")
    approuvee_siae_le = models.DateTimeField("approuvée pour la SIAE le", null=True, blank=True)
    approuvee_siae_par = _agent_fk("approuvée pour la SIAE par")
    en_vigueur_le = models.DateTimeField("en vigueur depuis le", null=True, blank=True)
    remplacee_le = models.DateTimeField("remplacée le", null=True, blank=True)

    objects = VersionCharteQuerySet.as_manager()

    class Meta:
        verbose_name = "version de charte"
        verbose_name_plural = "versions de charte"
        ordering = ["charte", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["charte", "numero"], name="version_charte_numero"),
            models.UniqueConstraint(
                fields=["charte"],
                condition=Q(statut="en_vigueur"),
                name="charte_une_seule_version_en_vigueur",
                violation_error_message="Une seule version de la charte peut être en vigueur.",
            ),
            models.UniqueConstraint(
                fields=["charte"],
                condition=Q(statut__in=["brouillon", "soumise"]),
                name="charte_une_seule_version_en_cours",
                violation_error_message="Une version de la charte est déjà en cours d'adaptation.",
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=["en_vigueur", "remplacee"])
                | Q(approuvee_spip_le__isnull=False, approuvee_siae_le__isnull=False),
                name="version_en_vigueur_approuvee_par_les_deux_parties",
                violation_error_message="Une version n'entre en vigueur qu'approuvée par les deux parties.",
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.numero} ({self.get_statut_display().lower()})"

    @property
    def modifiable(self) -> bool:
        return self.statut == StatutVersion.BROUILLON

    def approuvee_par(self, partie: str) -> bool:
        return getattr(self, f"approuvee_{partie}_le") is not None


class ValeurChamp(models.Model):
    """Ce qu'une version dit pour un champ du modèle : un texte, ou des rubriques."""

    version = models.ForeignKey(
        VersionCharte, verbose_name="version", on_delete=models.CASCADE, related_name="valeurs"
    )
    champ = models.ForeignKey(
        ChampModele, verbose_name="champ", on_delete=models.PROTECT, related_name="+"
    )
    texte = models.TextField("texte", blank=True)
    donnees = models.JSONField("rubriques", default=dict, blank=True)

    class Meta:
        verbose_name = "valeur d'un champ"
        verbose_name_plural = "valeurs des champs"
        constraints = [
            models.UniqueConstraint(fields=["version", "champ"], name="valeur_champ_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.champ} — {self.version}"


class CritereLocal(models.Model):
    """Un prérequis local d'éligibilité, ajouté par le SPIP et la SIAE ; il apparaît comme
    case à cocher lors de la prescription."""

    version = models.ForeignKey(
        VersionCharte, verbose_name="version", on_delete=models.CASCADE, related_name="criteres"
    )
    ordre = models.PositiveIntegerField("ordre")
    libelle = models.CharField("critère", max_length=300)

    class Meta:
        verbose_name = "critère local d'éligibilité"
        verbose_name_plural = "critères locaux d'éligibilité"
        ordering = ["version", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["version", "ordre"], name="critere_local_ordre"),
        ]

    def __str__(self) -> str:
        return self.libelle


class ChefDeFile(models.TextChoices):
    CPIP = "cpip", "CPIP"
    SIAE = "siae", "Permanents de la SIAE (CIP et ET)"
    PARTAGE = "partage", "Intervention partagée"
    AUTRES = "autres", "Autres acteurs"


class RepartitionRoles(models.Model):
    """Une ligne du tableau de répartition des rôles : pour un domaine, le chef de file et
    ce que fait chacun."""

    version = models.ForeignKey(
        VersionCharte, verbose_name="version", on_delete=models.CASCADE, related_name="repartition"
    )
    domaine = models.ForeignKey(
        DomaineIntervention, verbose_name="domaine", on_delete=models.PROTECT, related_name="+"
    )
    chef_de_file = models.CharField(
        "chef de file", max_length=20, choices=ChefDeFile.choices, blank=True
    )
    cpip = models.TextField("intervention du CPIP", blank=True)
    siae = models.TextField("intervention des permanents de la SIAE", blank=True)
    partage = models.TextField("interventions partagées", blank=True)
    autres = models.TextField("intervention d'autres acteurs", blank=True)

    class Meta:
        verbose_name = "répartition des rôles"
        verbose_name_plural = "répartition des rôles"
        ordering = ["version", "domaine__ordre", "domaine_id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "domaine"], name="repartition_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.domaine} : {self.get_chef_de_file_display() or 'à définir'}"


class RevisionVersion(models.Model):
    """L'état complet d'une version après chaque enregistrement : il dit ce qu'un autre
    rédacteur a changé depuis la révision qu'on avait sous les yeux."""

    version = models.ForeignKey(
        VersionCharte, verbose_name="version", on_delete=models.CASCADE, related_name="revisions"
    )
    numero = models.PositiveIntegerField("révision")
    contenu = models.JSONField("contenu")
    par = _agent_fk("par")
    le = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "révision d'une version"
        verbose_name_plural = "révisions des versions"
        ordering = ["version", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["version", "numero"], name="revision_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version}, révision {self.numero}"


class ActionVersion(models.TextChoices):
    CREATION = "creation", "Version créée"
    SOUMISSION = "soumission", "Soumise à approbation"
    RETRAIT = "retrait", "Retirée pour modification (approbations annulées)"
    APPROBATION_SPIP = "approbation_spip", "Approuvée pour le SPIP"
    APPROBATION_SIAE = "approbation_siae", "Approuvée pour la SIAE"
    MISE_EN_VIGUEUR = "mise_en_vigueur", "Entrée en vigueur"
    REMPLACEMENT = "remplacement", "Remplacée par une nouvelle version"


class EvenementVersion(models.Model):
    """Le journal d'une version : qui l'a soumise, approuvée, retirée, et quand."""

    version = models.ForeignKey(
        VersionCharte, verbose_name="version", on_delete=models.CASCADE, related_name="evenements"
    )
    action = models.CharField("action", max_length=30, choices=ActionVersion.choices)
    par = _agent_fk("par")
    le = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "événement d'une version"
        verbose_name_plural = "journal des versions"
        ordering = ["le", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.le:%d/%m/%Y}"


# --- Droits (tables à clé étrangère directe de django-guardian) ---------------------------


class CharteUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Charte, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "droit d'un agent sur une charte"


class CharteGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Charte, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "droit d'une structure sur une charte"
