"""Attacks on the catalogue: racing writes and corrupt trees."""
