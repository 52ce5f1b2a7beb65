"""Tests reproducing attacks on a deployment, each kept once its defect is fixed."""
