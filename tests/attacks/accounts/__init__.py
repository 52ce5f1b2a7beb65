"""Attacks on logins, tokens and account administration."""
