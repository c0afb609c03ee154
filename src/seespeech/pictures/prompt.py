"""From what someone said to what to draw.

People ask for pictures the way they talk: "Um, could you draw me a picture of a red
bird on a branch, please?". The engines want the scene: "a red bird on a branch".
This drops fillers and request phrasing with a few patterns and keeps every scene word;
when nothing but request words were said, the text is kept as it was rather than
drawing nothing.
"""

from __future__ import annotations

import re

FILLERS = (r"(?:u+m+|u+h+m*|e+r+m*|a+h+|h+m+|m+h*m+|you know|i mean|like,|okay|ok|alright|all right|so|well"
           r"|right|hey|hi|hello|let me see|let me think|let's see|i guess|i think|maybe)")
PICTURE_WORDS = r"(?:picture|pic|drawing|image|painting|photo|photograph|illustration|sketch|scene|cartoon|doodle|view)"
ASK = (
    r"(?:(?:could|can|would|will) you(?: please)?|please|i(?:'d| would) (?:like|love)(?: you)? to|i want(?: you)? to"
    r"|i need(?: you)? to|let(?:'s| us| me)|go ahead and|try to|just)"
)
DRAW_VERBS = r"(?:draw|paint|sketch|show|make|create|generate|give|render|produce|design)"

_PATTERNS = [
    # "I'd like a picture of", "I want to see an image of", "can I have a drawing of"
    rf"\b(?:i(?:'d| would) (?:like|love)|i want|i need|can i (?:get|have|see)|could i (?:get|have|see)|may i have)"
    rf"(?:\s+to\s+see)?\s+(?:a|an|the|some)\s+{PICTURE_WORDS}s?\s+(?:of|with|showing)\b",
    # "could you draw me a picture of", "please make an image showing", "draw"
    rf"\b(?:{ASK}\s+)*{DRAW_VERBS}(?:\s+(?:me|us|for me))?(?:\s+(?:a|an|the|some)?\s*{PICTURE_WORDS}s?"
    rf"(?:\s+(?:of|with|showing|where|that shows|in which))?)?\b",
    # "I'd like a boat on the sea": the wish goes, the scene stays
    r"\b(?:i(?:'d| would) (?:like|love)|i want|i need|can i (?:get|have|see)|could i (?:get|have|see)|may i have"
    r"|give me|show me)(?:\s+to\s+see)?(?=\s+(?:a|an|the|some|one|two|three|four|five|six|seven|eight|nine|ten|\d)\b)",
    # a bare "a picture of" at the start of a sentence
    rf"(?:^|(?<=[.!?]\s))(?:a|an|the)\s+{PICTURE_WORDS}\s+(?:of|with|showing)\b",
    r"\bimagine(?:\s+that)?\b",
    r"\bplease\b",
    # thanks closing a request ("…a cat, thank you"), not a thank-you that is the message
    r"(?<=\S)[,.]?\s*\b(?:thanks|thank you)(?:\s+(?:so|very)\s+much)?[.!]*\s*$",
    r"\b(?:i guess|i think|you know|i mean)\b[,.]?",
    rf"(?:^|(?<=[.!?,]\s)){FILLERS}\b[,.]?",
    r"\b(?:u+m+|u+h+|e+r+m+|hmm+)\b[,.]?",
]
_COMPILED = [re.compile(p, re.IGNORECASE) for p in _PATTERNS]


def prompt_from_text(text: str) -> str:
    """The scene words of ``text``, request phrasing and fillers removed."""
    original = " ".join(text.split())
    cleaned = original
    for _ in range(2):  # "okay, um, could you draw…": one filler can hide another
        for pattern in _COMPILED:
            cleaned = pattern.sub(" ", cleaned).strip(" ,")
    cleaned = re.sub(r"\s+([,.!?])", r"\1", cleaned)
    cleaned = re.sub(r"([,.!?])(?:\s*[,.!?])+", r"\1", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,.;:-?!")
    cleaned = re.sub(r"^(?:and|then|of|with)\s+", "", cleaned, flags=re.IGNORECASE)
    if not re.search(r"[A-Za-z]", cleaned):
        return original.strip()
    return cleaned[:1].upper() + cleaned[1:] if cleaned[:1].islower() and original[:1].isupper() else cleaned
