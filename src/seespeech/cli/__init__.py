"""The ``seespeech`` command: the group, its error handling and what the commands share.

The commands live by subject: ``speech.py`` (transcribe, evaluate, compare, models; ``corpus.py``
runs ``transcribe --ray``), ``listening.py`` (listen), ``pictures.py`` (show, imagine, demo),
``tools.py`` (say, read, translate, describe), ``training.py`` (train-ctc), ``serving.py`` (serve).

Errors the user can act on print one line (``seespeech: error: …``) and exit non-zero;
a traceback appears only with ``SEESPEECH_DEBUG=1``.

Exit codes: one table for every command, ``errors.EXIT_CODES`` (the README's "Exit codes").
Where outputs go: one rule for every command that writes files, ``outputs.py`` (``-o``).
"""

from seespeech.cli.app import (  # noqa: F401  (the command's face: main, and what tests use)
    DEMO_CLIP, LogProgress, err_console, fail, main, make_progress, model_options, out_console,
)
from seespeech.cli import listening, pictures, serving, speech, tools, training  # noqa: E402, F401
