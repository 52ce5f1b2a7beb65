"""Alembic, one branch per module: upgrade, downgrade, status and new revisions."""
