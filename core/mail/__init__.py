"""Mail: rendered from templates in the sender's Unit of Work, sent after commit.

A module declares its templates folder (``Module(mail_templates=...)``) and sends with
``await uow.send_mail(to=..., template="<module>/<name>", context={...})``. The message is
rendered at once, so a missing template or variable fails the Unit of Work, and written as one
publication for ``core.mail`` in the same transaction: a rollback sends nothing, a commit sends
it once the dispatcher hands it to the SMTP server (``MOSAIC_SMTP_URL``), retried like any
publication while that server is down. Without an SMTP server, development writes mails to the
``mosaic.mail`` log.
"""
