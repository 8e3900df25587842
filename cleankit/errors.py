"""Errors a user can cause. The CLI prints their message on one line and exits non-zero."""

from __future__ import annotations


def one_line(exc: BaseException) -> str:
    """`Type: message` on one line (some messages carry their own line breaks)."""
    return f"{type(exc).__name__}: " + " ".join(str(exc).split())


class CleankitError(Exception):
    """Base of errors that are reported as one line, never as a traceback."""

    exit_code = 1


class ConfigError(CleankitError):
    """A bad config file, option, cleaner name or override."""

    exit_code = 2


class PluginError(CleankitError):
    """A plugin failed to import or register, or named a clashing cleaner."""

    exit_code = 3


class InputError(CleankitError):
    """An input path that does not exist or cannot be read, or an output path that cannot
    be written."""

    exit_code = 4


class EngineError(InputError):
    """The distributed engine cannot start (no reachable cluster): like an unreachable
    input or output, a problem of the environment (exit 4)."""


class CleanerFailed(CleankitError):
    """A cleaner raised and the error policy is `fail`."""

    exit_code = 5


class ValidationFailed(CleankitError):
    """`cleankit validate` found records that break the output schema."""

    exit_code = 6
