"""Errors a user can act on.

Every error seespeech raises on purpose is a ``SeespeechError``: its message is one
line that says what went wrong and what to do. The CLI prints that line and exits
non-zero; the server turns it into a 4xx JSON body. Anything else is a bug.
"""

from __future__ import annotations

# ---------------------------------------------------------------- the exit codes, once

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_OPTION = 2
EXIT_INPUT = 3
EXIT_MODEL = 4
EXIT_EXTRA = 5
EXIT_UNAVAILABLE = 6
EXIT_BUG = 70
EXIT_INTERRUPTED = 130

#: The ``seespeech`` command's exit codes, the same in every command: the README's "Exit codes"
#: table is this one (a test holds them together). With one input, the command exits with that
#: input's code; with several, 1 when any failed (each is reported on its own line).
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "all done",
    EXIT_FAILED: "some of several inputs failed (each is reported; the others are done)",
    EXIT_OPTION: "bad option or usage, or an output file that exists (add --overwrite)",
    EXIT_INPUT: "missing or unreadable input: audio, image, a folder to evaluate (said before any model loads)",
    EXIT_MODEL: "model not found: a name not on this machine, a folder that is missing or holds no model",
    EXIT_EXTRA: "an optional extra not installed (the message says which)",
    EXIT_UNAVAILABLE: "a device or service not available: no PortAudio or sound device (say --play, listen), "
                      "a Ray cluster that does not answer (--ray HOST:PORT)",
    EXIT_BUG: "internal error, a bug (SEESPEECH_DEBUG=1 shows the traceback)",
    EXIT_INTERRUPTED: "interrupted (Ctrl+C)",
}


class SeespeechError(Exception):
    """Base class: a problem with what the user asked for, not a crash."""

    #: exit code the CLI uses for this kind of error (one of ``EXIT_CODES``)
    exit_code = EXIT_FAILED

    def __reduce__(self):
        """Pickled as its message and fields, not as its constructor's arguments (which differ
        by kind: ``ImageError(source, problem)``): a Ray Serve replica sends its errors back to
        the server as values (server/ray_serve.py), and each must arrive as itself."""
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(kind: type, args: tuple, fields: dict) -> SeespeechError:
    error = kind.__new__(kind, *args)
    error.args = args
    error.__dict__.update(fields)
    return error


class InputError(SeespeechError):
    """An input that is missing or cannot be read (a folder to evaluate, a manifest, …)."""

    exit_code = EXIT_INPUT


class AudioError(InputError):
    """The audio could not be read, is empty, or is too long."""

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

    exit_code = EXIT_MODEL


class OptionError(SeespeechError):
    """An option value is invalid or does not fit the chosen model; ``param`` names the
    option (as the Python API spells it) when one is to blame."""

    exit_code = EXIT_OPTION

    def __init__(self, message: str, param: str | None = None):
        self.param = param
        super().__init__(message)


class OutputExistsError(OptionError):
    """An output file is there already and --overwrite was not given."""

    def __init__(self, path, option: str = "--overwrite"):
        self.path = path
        super().__init__(f"{path} exists (use {option} to replace it)", "overwrite")


class UnavailableError(SeespeechError):
    """A device or service the command needs is not there: no PortAudio or sound device, a
    cluster that does not answer."""

    exit_code = EXIT_UNAVAILABLE


class NotInstalledError(SeespeechError):
    """What was asked needs an optional extra (or weights) this installation does not have;
    the message says what to install. The server answers 404 model_not_found."""

    exit_code = EXIT_EXTRA


class ImageError(InputError):
    """An image could not be read (not an image, damaged, too large)."""

    def __init__(self, source: str, problem: str):
        self.source = source
        super().__init__(f"{source}: {problem}")


def options_from(cls, caller: str, **kwargs):
    """``cls(**kwargs)``, an unknown keyword said as the caller's (``transcribe() got an
    unexpected keyword argument 'beam'``), not the options class's."""
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise OptionError(str(exc).replace(f"{cls.__name__}.__init__()", f"{caller}()")) from None
