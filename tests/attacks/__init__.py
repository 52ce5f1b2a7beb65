"""Tests that reproduce attacks on a deployment, gathered so a reviewer can rerun them."""
