"""The admin console at ``/admin``: the kernel mounts it, the modules fill it.

Modules declare :class:`~core.admin.view.AdminView` records in ``Module.admin``; the kernel maps
them onto sqladmin (:mod:`core.admin.console`), signs people in with the service's own accounts
(:mod:`core.admin.sign_in`) and adds the "System" page (:mod:`core.admin.system`).
"""
