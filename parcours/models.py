"""Modèles de l application parcours (à venir)."""
