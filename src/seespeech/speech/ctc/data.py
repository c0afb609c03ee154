"""Training data: (audio path, text) pairs from the folder layouts people have.

* our own: ``transcripts.tsv`` (header ``file<TAB>text``) beside the audio;
* LJSpeech: ``metadata.csv`` (``id|text|normalised text``) and ``wavs/<id>.wav``;
* LibriSpeech: ``*.trans.txt`` files (``<id> <TEXT>``) beside ``<id>.flac``;
* a manifest file: ``.tsv`` with ``path<TAB>text`` lines (paths relative to the file), with
  or without a header row (``file``/``path``/``audio`` … ``text``/``transcript``/``sentence``).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from seespeech.errors import OptionError


@dataclass(frozen=True)
class Utterance:
    path: Path
    text: str


def read_source(source: str | Path) -> list[Utterance]:
    """Read one folder or manifest; the layout is recognised from its files. Every audio file
    it names must exist: found now rather than minutes into computing features."""
    items = _read_layout(Path(source))
    missing = [u.path for u in items if not u.path.is_file()]
    if missing:
        raise OptionError(f"{source}: {len(missing)} of {len(items)} audio files are missing, "
                          f"e.g. {missing[0]}" + (" (manifest paths are relative to the manifest)"
                                                  if Path(source).is_file() else ""))
    return items


def _read_layout(source: Path) -> list[Utterance]:
    if source.is_file():
        return _manifest(source)
    if not source.is_dir():
        raise OptionError(f"{source}: no such folder or manifest")
    if (source / "transcripts.tsv").is_file():
        from seespeech.speech.evaluate import read_dataset

        return [Utterance(Path(c.path), c.text) for c in read_dataset(source)]
    if (source / "metadata.csv").is_file():
        return _ljspeech(source)
    found = sorted(source.rglob("*.trans.txt"))
    if found:
        return _librispeech(found)
    raise OptionError(
        f"{source}: no transcripts.tsv, LJSpeech metadata.csv or LibriSpeech *.trans.txt found in it"
    )


def read_sources(sources) -> list[Utterance]:
    items: list[Utterance] = []
    for source in sources:
        items.extend(read_source(source))
    if not items:
        raise OptionError("no training utterances found")
    return items


#: what a manifest's header row calls its two columns
MANIFEST_AUDIO_HEADERS = ("file", "path", "audio", "audio_path", "filename", "wav", "file_name")
MANIFEST_TEXT_HEADERS = ("text", "transcript", "transcription", "sentence", "normalized_text")


def _manifest(path: Path) -> list[Utterance]:
    items = []
    with open(path, encoding="utf-8-sig") as handle:
        lines = [line.rstrip("\r\n") for line in handle if line.strip() and "\t" in line]
    for number, line in enumerate(lines):
        audio, text = line.split("\t")[:2]
        if number == 0 and _is_header(audio, text) and not (path.parent / audio).is_file():
            continue
        # the path as the manifest gives it (relative ones from the manifest's folder), not
        # resolved: a folder reached through a symbolic link keeps the name the user knows it by
        items.append(Utterance(Path(os.path.normpath(path.parent / audio)), text))
    return items


def _is_header(audio: str, text: str) -> bool:
    return audio.strip().lower() in MANIFEST_AUDIO_HEADERS and text.strip().lower() in MANIFEST_TEXT_HEADERS


def _ljspeech(folder: Path) -> list[Utterance]:
    items = []
    with open(folder / "metadata.csv", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="|", quoting=csv.QUOTE_NONE):
            if len(row) >= 2:
                text = row[2] if len(row) > 2 and row[2] else row[1]
                items.append(Utterance(folder / "wavs" / f"{row[0]}.wav", text))
    return items


def _librispeech(files: list[Path]) -> list[Utterance]:
    items = []
    for trans in files:
        for line in trans.read_text(encoding="utf-8").splitlines():
            if " " in line:
                uid, text = line.split(" ", 1)
                items.append(Utterance(trans.parent / f"{uid}.flac", text))
    return items
