"""Speech that is not a scene — a talk, a greeting, a thank-you — drawn as an illustration.

WordsEye depicts what has no shape of its own by an emblem (freedom → a dove), a character
(Americans → people under their flag), or a conventional icon (love → a heart). Here: the
words of the speech that have a symbol (words.SYMBOLS), and the concrete things it names,
become one picture — people standing in the middle when the speech is about people, the
emblems around them like an illustration's icons — over a landscape, or the place the speech
names. The plan lists what was chosen for which word and why (``chosen``), and what was left
out: no card with a word on it.
"""

from __future__ import annotations

from seespeech.pictures import lexicon
from seespeech.pictures.words import SYMBOLS
from seespeech.pictures.scene import Person, Scene, SceneObject, singular

#: the most symbols one illustration shows
MAX_SYMBOLS = 5
#: what "people" are drawn as: a small crowd of ages
CROWD = (Person("adult", "f"), Person("child", None), Person("adult", "m"))


def illustrate(scene: Scene) -> Scene:
    """A scene of symbols for the words of ``scene`` (an illustration-mode parse)."""
    out = Scene(place=scene.place, time=scene.time, weather=list(scene.weather), mode="illustration",
                words=scene.words, sentences=scene.sentences)
    chosen: list[dict] = []
    drawn: set[str] = set()
    counts: dict[str, int] = {}
    for word in scene.words:
        counts[word] = counts.get(word, 0) + 1
    # the words with a symbol, most said first, then in the order said
    candidates = []
    for position, word in enumerate(scene.words):
        key = word if word in SYMBOLS else singular(word) if singular(word) in SYMBOLS else None
        if key and all(c[1] != key for c in candidates):
            candidates.append((-counts[word], key, position, word))
    candidates.sort(key=lambda c: (c[0], c[2]))
    for _, key, _, word in candidates:
        if len(drawn) >= MAX_SYMBOLS:
            out.left_out.append({"word": word, "why": f"an illustration shows at most {MAX_SYMBOLS} symbols"})
            continue
        symbols, why = SYMBOLS[key]
        new = [s for s in symbols if s not in drawn]
        if not new:
            chosen.append({"word": word, "drawn_as": " + ".join(symbols), "strategy": _strategy(symbols),
                           "why": why + " (already drawn)"})
            continue
        for symbol in new:
            drawn.add(symbol)
            out.objects.extend(_objects_for(symbol))
        chosen.append({"word": word, "drawn_as": " + ".join(_names(symbols)), "strategy": _strategy(symbols),
                       "why": why})
    # concrete things the speech names (the moon, children) join the symbols; a word with no
    # picture of its own ("thank") is not a thing here
    said_as_symbol = {c["word"] for c in chosen}
    for obj in scene.objects:
        if obj.word in said_as_symbol or obj.noun in said_as_symbol:
            continue
        if obj.abstract or (obj.person is None and lexicon.lookup(obj.picture_as or obj.noun) is None):
            out.left_out.append({"word": obj.word, "why": obj.why or "no picture for it"})
            continue
        if obj.abstract or obj.noun in drawn or len(drawn) >= MAX_SYMBOLS:
            if not obj.abstract and obj.noun not in drawn:
                out.left_out.append({"word": obj.word, "why": "the illustration is full"})
            continue
        drawn.add(obj.noun)
        out.objects.append(obj)
        chosen.append({"word": obj.word, "drawn_as": obj.noun if obj.person is None else
                       (obj.person.role or obj.person.age), "strategy": "literal", "why": "a thing the speech names"})
    if not out.objects:   # nothing had a symbol: people listening, under the sky said
        out.objects.extend(_objects_for("people"))
        chosen.append({"word": "(speech)", "drawn_as": "people", "strategy": "characterisation",
                       "why": "speech with no picturable word: the people it is said to"})
    for obj in scene.objects:
        if obj.abstract and not any(c["word"] == obj.word for c in chosen) and \
                not any(left["word"] == obj.word for left in out.left_out):
            out.left_out.append({"word": obj.word, "why": "no symbol for it"})
    out.chosen = chosen
    return out


def _names(symbols: list[str]) -> list[str]:
    return ["flag of the United States" if s == "flag:us" else s for s in symbols]


def _strategy(symbols: list[str]) -> str:
    if "people" in symbols or "family" in symbols or "child" in symbols:
        return "characterisation"
    if any(s.startswith("flag") or s in ("dove", "scales", "heart") for s in symbols):
        return "emblem"
    return "conventional icon"


def _objects_for(symbol: str) -> list[SceneObject]:
    if symbol == "people":
        return [SceneObject("people", "person", 1, person=p, pose="wave" if k == 0 else "stand", salience=2.0)
                for k, p in enumerate(CROWD)]
    if symbol == "child":
        return [SceneObject("child", "child", 1, person=Person("child", None), salience=2.0)]
    if symbol == "family":
        return [SceneObject("family", "person", 1, person=p, salience=2.0)
                for p in (Person("adult", "m"), Person("child", "f"), Person("adult", "f"))]
    return [SceneObject(symbol, symbol, 1, region="sky" if symbol not in ("table", "house", "school",
                                                                        "classical building", "rocket") else None,
                        salience=1.0)]
