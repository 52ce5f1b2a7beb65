"""Tests reproducing attacks on a deployment, so that each one stays refused."""
