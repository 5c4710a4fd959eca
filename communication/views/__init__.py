"""Pages de la communication : cahiers de transmission, annuaire, réunions, notifications."""
