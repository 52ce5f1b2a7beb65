"""The kernel of an application a test built: ``kernel_of(app).database.unit_of_work()``."""

from core.kernel.access import kernel_of

__all__ = ["kernel_of"]
