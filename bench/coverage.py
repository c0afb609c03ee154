"""How many common concrete nouns the compose engine can draw.

    python bench/coverage.py [--n 1000] [--missing]

The nouns: the most frequent English words (wordfreq's list, which mixes books, subtitles,
news and the web) that WordNet knows as a noun whose most common sense is a concrete thing (an
artifact, an animal, a food, a plant, a natural object, a person). Each is read the way a
request is (``grounding.ground``): drawn by its own picture, drawn as what it is a kind of
(WordNet), a person, or not drawn. Needs ``wordfreq`` (the ``ctc`` extra installs it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter


def concrete_nouns(n: int) -> list[str]:
    from wordfreq import top_n_list

    from seespeech.pictures.grounding import CONCRETE_LEXNAMES, _pick
    from seespeech.pictures.wordnet import load_wordnet

    wn = load_wordnet()
    out: list[str] = []
    for word in top_n_list("en", 40000):
        if not word.isalpha() or len(word) < 3 or wn.morphy(word) != word:
            continue   # plural and inflected forms count under their base form
        senses = wn.synsets(word)
        if senses and wn.tagged.get(word, 0) > 0 and _pick(senses).lexname in CONCRETE_LEXNAMES \
                and senses[0].lexname in CONCRETE_LEXNAMES:
            out.append(word)
            if len(out) == n:
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--missing", action="store_true", help="list the nouns not drawn")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from seespeech.pictures.graph import read_scene

    nouns = concrete_nouns(args.n)
    how: Counter = Counter()
    missing, by_kind = [], []
    for word in nouns:
        scene = read_scene(f"a {word}")
        obj = scene.objects[0] if scene.objects else None
        if obj is None and scene.place != "outdoors":
            verdict = "a setting"   # a kitchen, a beach, the sea: the stage is drawn
        elif obj is None or obj.abstract:
            verdict = "not drawn"
        elif obj.feature:
            verdict = "a setting"
        elif obj.person is not None:
            verdict = "a person"
        else:
            from seespeech.pictures.depict import depict

            picture = depict(obj)
            if picture.kind == "placeholder":
                verdict = "not drawn"
            elif obj.picture_as and obj.picture_as != obj.noun:
                verdict = "as what it is a kind of"
                by_kind.append(f"{word} → {obj.picture_as}")
            else:
                verdict = "its own picture"
        how[verdict] += 1
        if verdict == "not drawn":
            missing.append(word)
    if args.json:
        print(json.dumps({"nouns": len(nouns), "how": how, "missing": missing, "by_kind": by_kind}, indent=1))
        return
    drawn = len(nouns) - how["not drawn"]
    print(f"{len(nouns)} common concrete nouns: {drawn} drawn ({drawn / len(nouns):.0%})")
    for verdict, count in how.most_common():
        print(f"  {verdict:<25} {count:5d}")
    if args.missing:
        print("not drawn:", ", ".join(missing))
        print("as what it is a kind of:", "; ".join(by_kind[:80]), file=sys.stderr)


if __name__ == "__main__":
    main()
