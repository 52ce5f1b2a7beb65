"""Mosaic's built-in modules: one package per bounded context, each with a ``plugin.py``.

A module imports only ``core`` and other modules' public API (their ``api.py``); the
``[tool.importlinter]`` contracts in ``pyproject.toml`` hold every module to that.
"""
