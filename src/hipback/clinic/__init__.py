"""Clinic-domain types and rules (patients, episodes, sessions, exercise logs); pure, no I/O."""
