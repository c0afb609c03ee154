"""Our own CTC speech model: DeepSpeech2-style, trained here, served like any engine.

A front end turns audio into frames (``frontends``); a small recurrent network
(``model``: optional 2-D convolutions, bidirectional GRUs, a dense layer) gives each frame
a distribution over characters plus the CTC blank; ``decode`` reads the text and word
times out of it; ``train`` fits it on folders of recordings with transcripts (``data``).
torch is needed to train and to run the network (the ``ctc`` extra); decoding is numpy.
"""

import re
import unicodedata

#: index 0 is the CTC blank
ALPHABET = ["<blank>", " ", "'", *"abcdefghijklmnopqrstuvwxyz"]
BLANK = 0
CHAR_INDEX = {c: i for i, c in enumerate(ALPHABET)}

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
        "sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _number(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + _number(n % 100))
    if n < 10000:
        return _number(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + _number(n % 1000))
    return " ".join(_ONES[int(d)] for d in str(n))


def normalise_text(text: str) -> str:
    """What the model writes: lower-case letters, apostrophes and single spaces;
    numbers as words; accents dropped; everything else becomes a space."""
    # typographic apostrophes first: the ASCII step below would drop them ("it’s" → "its")
    text = text.replace("’", "'").replace("‘", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\d+", lambda m: " " + _number(int(m.group())) + " ", text.lower())
    text = re.sub(r"[^a-z' ]+", " ", text)
    text = re.sub(r"(^|\s)'+|'+(\s|$)", " ", text)  # quotes, not apostrophes
    return " ".join(text.split())


def encode_text(text: str) -> list[int]:
    return [CHAR_INDEX[c] for c in normalise_text(text)]
