"""Where a command's outputs go: one rule for ``-o`` in every command that writes files
(transcribe, show, imagine, say, listen, read, describe), written out in the README's "Use it".

* ``-o -``: standard output. One input, one output (several would run together).
* ``-o DIR``: one output per input in DIR, named after the input (``talk.flac`` →
  ``DIR/talk.srt``); made when missing. A name is a folder when it is one already, ends in
  ``/``, or has no extension (``-o subs``).
* ``-o FILE``: a name with an extension is that one file; one input only. Its extension picks
  the format where the command has several (``-o talk.srt``, ``-o bird.mp3``).
* no ``-o``: the current folder for the commands that write files (transcribe, show,
  imagine), standard output for the ones that print (read, describe; transcribe of ``-``).

An output that exists is never replaced without ``--overwrite`` (exit 2); two inputs whose
outputs would be the same file are refused (exit 2) before anything runs.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from seespeech.errors import EXIT_FAILED, OptionError, OutputExistsError, SeespeechError

#: ``-o -``
STDOUT = "-"

#: the help every ``-o`` shares; a command adds what it writes and its default
RULE = ("a FOLDER (one output per input, named after it; made if needed), a FILE (one input; its extension "
        "picks the format), or '-' (standard output; one input). A name is a folder when it is one, ends in '/' "
        "or has no extension.")


def output_help(what: str, default: str) -> str:
    """``--output``'s help: what the command writes, the shared rule, its default."""
    return f"Where {what} go: {RULE} [default: {default}]"


@dataclass(frozen=True)
class Destination:
    """Where a command's outputs go, decided once from its ``-o`` and the number of inputs."""

    #: one output per input, named after it
    folder: Path | None = None
    #: the one output
    file: Path | None = None
    #: standard output
    stdout: bool = False

    def path(self, name: str, extension: str) -> Path | None:
        """Where the output ``name + extension`` of one input goes (None: standard output)."""
        if self.stdout:
            return None
        if self.file is not None:
            return self.file
        return (self.folder or Path(".")) / f"{name}{extension}"

    def make_folder(self) -> None:
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)


def format_of(value: str, formats: dict[str, str], given: str | None, option: str = "--format") -> str | None:
    """The format a FILE's name asks for: its extension's (``formats``: extension → format), or
    ``given`` (``--format``), which must agree with a known extension (exit 2 otherwise). None: the
    name says nothing (no --format, an extension no format uses): the caller refuses or defaults."""
    name = Path(value).name.lower()
    known = next((fmt for ext, fmt in sorted(formats.items(), key=lambda item: -len(item[0]))
                  if name.endswith(ext)), None)
    if given is not None and known is not None and known != given:
        raise OptionError(f"{value}: the extension means {known} but {option} is {given}; make them agree (or "
                          f"leave out {option}: the extension picks it)", "format")
    return given or known


def is_folder_name(value: str) -> bool:
    """A folder by the rule: one already, ends in '/', or has no extension."""
    path = Path(value)
    return path.is_dir() or value.endswith(("/", os.sep)) or not path.suffix


def destination(value: str | Path | None, inputs: int, option: str = "--output", default: str = "folder",
                outputs_each: int = 1, prints: bool = False) -> Destination:
    """Apply the rule to ``-o VALUE`` for ``inputs`` inputs that make ``outputs_each`` files
    each; ``default`` is where outputs go without ``-o``: ``folder`` (the current one) or
    ``stdout``. Refused (exit 2): ``-`` or a FILE for several outputs, a FILE where a folder is.
    A command that ``prints`` by default (read, describe) prints every input's output for ``-``."""
    if value is None:
        return Destination(stdout=True) if default == "stdout" else Destination(folder=Path("."))
    value = str(value)
    several = inputs > 1 or outputs_each > 1
    what = f"{inputs} inputs" if inputs > 1 else f"{outputs_each} outputs"
    if value == STDOUT:
        if several and not prints:
            raise OptionError(f"{option} - (standard output) takes one output, and there are {what}: give a "
                              f"folder ({option} DIR)", "output")
        return Destination(stdout=True)
    if is_folder_name(value):
        if Path(value).exists() and not Path(value).is_dir():
            raise OptionError(f"{option} {value}: a file of that name is in the way of the folder", "output")
        return Destination(folder=Path(value))
    if several:
        raise OptionError(f"{option} {value} names one file, and there are {what}: give a folder ({option} DIR, "
                          "or a name ending in '/')", "output")
    return Destination(file=Path(value))


def check_outputs(claimed: list[tuple[Path, str]], overwrite: bool) -> None:
    """Refuse (exit 2) before anything runs: two inputs writing the same file, or a file that exists
    without ``--overwrite``. ``claimed``: each output and the input it is for, in order."""
    seen: dict[Path, str] = {}
    for path, source in claimed:
        key = path.resolve()
        if key in seen:
            raise OptionError(f"{path} would be written twice (for {seen[key]} and {source}): give the inputs "
                              "different names, or run them into different folders", "output")
        seen[key] = source
        if path.exists() and not overwrite:
            raise OutputExistsError(path)


def input_name(source: str, inputs: int, text: bool = False, default: str = "stdin") -> str:
    """What an input's outputs are named after: a file's name without its extension; standard
    input ``default``; a text (imagine, say) its first words."""
    if text:
        words = re.findall(r"[a-z0-9]+", source.lower())
        return "-".join(words[:6])[:48].strip("-") or "text"
    if source == STDOUT:
        return default
    return Path(source).stem


def run_each(inputs, work) -> None:
    """``work(input)`` for every input, one rule for all commands: with one input its error is
    the command's (one line, its own exit code); with several, each failure is one line, the
    others are done, and the exit code is 1."""
    from seespeech.cli.app import err_console

    failed = 0
    for item in inputs:
        try:
            work(item)
        except SeespeechError as exc:
            if len(inputs) == 1:
                raise
            failed += 1
            err_console.print(f"[bold red]✗[/] {exc}", soft_wrap=True, highlight=False)
    if failed:
        err_console.print(f"seespeech: {failed} of {len(inputs)} inputs failed", highlight=False)
        sys.exit(EXIT_FAILED)


def write_stdout(data: bytes | str) -> None:
    stream = sys.stdout.buffer if isinstance(data, bytes) else sys.stdout
    stream.write(data)
    stream.flush()
