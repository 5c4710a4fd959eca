"""Pages du parcours côté SPIP (dossier, orientations, CPU) et côté orienteur (signalement)."""
