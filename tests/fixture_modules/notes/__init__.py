"""A small module used by the kernel's tests: one table, a router, settings, errors, a command."""
