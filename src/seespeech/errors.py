"""Errors a user can act on.

Every error seespeech raises on purpose is a ``SeespeechError``: its message is one
line that says what went wrong and what to do. The CLI prints that line and exits
non-zero; the server turns it into a 4xx JSON body. Anything else is a bug.
"""

from __future__ import annotations


class SeespeechError(Exception):
    """Base class: a problem with what the user asked for, not a crash."""

    #: exit code the CLI uses for this kind of error
    exit_code = 1


class AudioError(SeespeechError):
    """The audio could not be read, is empty, or is too long."""

    exit_code = 3

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class AudioTooLongError(AudioError):
    """The audio is longer than the maximum duration allowed."""

    def __init__(self, source: str, seconds: float, limit: float, hint: str = ""):
        self.seconds, self.limit = seconds, limit
        super().__init__(source, f"longer than the maximum duration {limit:g} s{hint}")


class ModelNotFoundError(SeespeechError):
    """A model name could not be resolved to weights on this machine."""

    exit_code = 4


class OptionError(SeespeechError):
    """An option value is invalid or does not fit the chosen model; ``param`` names the
    option (as the Python API spells it) when one is to blame."""

    exit_code = 2

    def __init__(self, message: str, param: str | None = None):
        self.param = param
        super().__init__(message)


class NotInstalledError(SeespeechError):
    """What was asked needs an optional extra (or weights) this installation does not have;
    the message says what to install. The server answers 404 model_not_found."""

    exit_code = 5


class ImageError(SeespeechError):
    """An image could not be read (not an image, damaged, too large)."""

    exit_code = 3

    def __init__(self, source: str, problem: str):
        self.source = source
        super().__init__(f"{source}: {problem}")
