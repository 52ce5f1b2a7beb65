"""The users module: accounts, registration, profiles, passwords and roles.

Other modules import only ``modules.users.api``.
"""
