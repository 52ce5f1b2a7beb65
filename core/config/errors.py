"""The one exception a bad configuration raises."""


class ConfigError(Exception):
    """A configuration the kernel refuses to start with.

    The message is one sentence an operator can act on; the CLI prints it without a traceback and
    exits non-zero.
    """
