"""Modèles de l application accompagnement (à venir)."""
