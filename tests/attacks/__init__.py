"""Tests reproducing attacks made on a production deployment."""
