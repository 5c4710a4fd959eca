"""Modèles de l application communication (à venir)."""
