"""Alembic's environment and revision template, shared by every module's branch.

Revisions do not live here: each module keeps its own branch in ``<module>/migrations/versions``
and declares it in its record (``Module(migrations=...)``). Use ``mosaic db …`` rather than the
``alembic`` command, so the branches of the installed modules are known.
"""
