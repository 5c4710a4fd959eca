from charte_iae.models.charte import Charte, CharteGroupObjectPermission, CharteUserObjectPermission
from charte_iae.models.impression import LotImpression, StatutLot
from charte_iae.models.notifications import Notification, PreferenceNotification
from charte_iae.models.organisations import Etablissement, Implantation, Structure
from charte_iae.models.utilisateurs import Affectation, Utilisateur

__all__ = [
    "Affectation",
    "Charte",
    "CharteGroupObjectPermission",
    "CharteUserObjectPermission",
    "Etablissement",
    "Implantation",
    "LotImpression",
    "Notification",
    "PreferenceNotification",
    "StatutLot",
    "Structure",
    "Utilisateur",
]
