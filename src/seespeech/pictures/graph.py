"""What was said → a scene graph, from spaCy's dependency parse.

spaCy's small English pipeline (``en_core_web_sm``: tagger, parser, lemmatiser; MIT) reads
each sentence; this module turns its parse into the ``Scene`` the layout draws:

* **things** are the heads of noun phrases. Their words are grounded whole before the head
  (grounding.py: "hot dog", "parking meter", "tv remote"); numbers (``nummod``: "three",
  "10", "a dozen"), quantity nouns ("a pair of", "a couple of", "a few") and plural forms
  give counts; adjectives give colours, sizes and a person's age; nouns that frame a
  request ("a photo of …", "a drawing of …", found by WordNet as kinds of representation)
  and abstract nouns (feelings, acts, qualities: WordNet's categories) are never drawn;
* **relations** come from prepositions, wherever the parser attached them (a noun: "a
  kite above a toothbrush"; a verb: its subjects, "a cat sitting under a table", "under
  the tree sits a dog", "on the table there is a cup") and from verbs with objects
  ("riding a horse", "holding a balloon"), through the knowledge tables of parse.py (which
  verb means which relation and pose, which preposition which relation, which words are
  places, times and weather);
* multi-word prepositions ("to the left of", "in front of", "next to", "on top of") are
  read as one before parsing, so the parser sees one preposition where there is one.

The parse is cached per sentence; the pipeline loads once per process (about 1–2 s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from seespeech.pictures import lexicon
from seespeech.pictures.grounding import drawable, ground, is_clothing, is_representation, plural_only
from seespeech.pictures.nlp import ParserMissing, load_nlp, nlp_lock
from seespeech.pictures.parse import _holdable, _is_place_here, _merge_repeats, _relate, _settle
from seespeech.pictures.words import (
    ABSTRACT, AGE_WORDS, CONTENTS, FEATURES, PEOPLE, PERSON_PLURALS, PLACES, PREPOSITIONS, PURE_PLACES, TIMES,
    VERBS, WEATHER, lemma,
)
from seespeech.pictures.scene import COLOURS, MAX_INSTANCES, NUMBERS, SIZES, Person, Relation, Scene, SceneObject, tokenize


#: multi-word prepositions → (one word the parser reads as a preposition, the relation)
PHRASES = [
    ("to the left of", "beside", "left of"), ("on the left of", "beside", "left of"),
    ("to the left side of", "beside", "left of"), ("left of", "beside", "left of"),
    ("to the right of", "beside", "right of"), ("on the right of", "beside", "right of"),
    ("to the right side of", "beside", "right of"), ("right of", "beside", "right of"),
    ("in front of", "before", "in front of"), ("in back of", "behind", "behind"),
    ("on top of", "atop", "on"), ("next to", "beside", "beside"), ("close to", "near", "beside"),
    ("inside of", "inside", "in"), ("out of", "from", ""), ("far from", "from", ""),
]
_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p, _, _ in PHRASES) + r")\b", re.IGNORECASE)
_PHRASE_MAP = {p: (w, r) for p, w, r in PHRASES}
#: quantity nouns: "a pair of shoes", "a dozen eggs", "a few birds" (the count; None: keep the said one)
QUANTITIES = {"pair": 2, "couple": 2, "dozen": 12, "few": 3, "several": 3, "lot": 5, "lots": 5, "bunch": 4,
              "group": 4, "herd": 4, "flock": 5, "crowd": 6, "pack": 4, "school": 5, "swarm": 6, "family": 3,
              "number": 4, "handful": 3, "row": 4, "line": 4, "pile": 4, "heap": 4, "stack": 4, "team": 4,
              "piece": None, "slice": None, "kind": None, "sort": None, "type": None, "bit": None,
              "lump": None, "chunk": None, "set": None}
_NOUNS = ("NOUN", "PROPN")
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "expl")
_PRONOUNS = {"it", "them", "they", "him", "her", "this", "that", "these", "those", "he", "she"}

@lru_cache(maxsize=1024)
def _parse(text: str):
    nlp = load_nlp()
    with nlp_lock:   # one document at a time through the shared pipeline
        return nlp(text)


def normalise(text: str) -> tuple[str, dict[int, str]]:
    """Multi-word prepositions → one word each; {character offset of that word: relation}."""
    out, said, last = [], {}, 0
    for m in _PHRASE_RE.finditer(text):
        word, relation = _PHRASE_MAP[m.group(1).lower()]
        out.append(text[last:m.start()])
        said[sum(len(p) for p in out)] = relation
        out.append(word)
        last = m.end()
    out.append(text[last:])
    return "".join(out), said


_WORD_RE = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def compounds(text: str, said: dict[int, str]) -> tuple[str, dict[int, str], dict[int, tuple[str, bool]]]:
    """Names of two or three words ("fire hydrant", "stop sign", "hot dog", "living room") →
    "thing" (or "things") for the parser, which reads the words of a name it does not know as
    anything but a noun ("hydrant" an adverb, "sign" a verb); {offset: (the name, plural)}."""
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(text)]
    names: dict[int, tuple[str, bool]] = {}
    out, last, k = [], 0, 0
    while k < len(words):
        found = None
        for n in (3, 2):
            if k + n > len(words):
                continue
            span = words[k:k + n]
            if any(text[a[1]:b[0]].strip() for a, b in zip(span, span[1:])):
                continue   # not adjacent words
            name = _known_name(tuple(w[2].lower() for w in span))
            if name:
                found = (n, name)
                break
        if found is None:
            k += 1
            continue
        n, (name, plural) = found
        start, end = words[k][0], words[k + n - 1][1]
        out.append(text[last:start])
        at = sum(len(p) for p in out)
        placeholder = "things" if plural else "thing"
        names[at] = (name, plural)
        out.append(placeholder)
        shift = len(placeholder) - (end - start)
        said = {(o + shift if o >= end else o): r for o, r in said.items()}
        last, k = end, k + n
    out.append(text[last:])
    return "".join(out), said, names


@lru_cache(maxsize=4096)
def _known_name(words: tuple[str, ...]) -> tuple[str, bool] | None:
    from seespeech.pictures.grounding import drawable, forms

    if words[0] in NUMBERS or words[0] in COLOURS or words[0] in SIZES or words[0] in _STOP:
        return None
    if any(w in TIMES or w in WEATHER or w == "of" for w in words) or words[0] in AGE_WORDS or \
            words[-1].endswith(("ing", "ed")):
        return None   # "rainy day", "cup of coffee", "old woman", "woman walking": words the parse reads
    # names with a picture (and people and places): names WordNet alone knows ("cat sleep",
    # "rainy day") are left to the parse, whose compounds grounding.py reads whole
    for head in forms(words[-1]):
        phrase = " ".join(list(words[:-1]) + [head])
        if phrase in PEOPLE or phrase in PLACES or drawable(phrase):
            return phrase, head != words[-1]
    return None


#: words that never start a name (so "a dog" or "in front" are never one)
_STOP = {"a", "an", "the", "of", "in", "on", "at", "to", "and", "or", "is", "are", "was", "with", "by", "for",
         "from", "there", "this", "that", "some", "any", "my", "your", "his", "her", "its", "our", "their",
         "very", "it", "i", "you", "he", "she", "we", "they", "next", "front", "top", "left", "right", "back",
         "beside", "near", "under", "above", "below", "behind", "before", "atop", "over", "inside"}


def with_verb(doc, text: str, *offsets: dict) -> tuple[str, ...]:
    """Spoken scene descriptions are often a noun phrase with a participle and no verb: "a
    puppy playing with a ball". The small model reads *playing* there as the head noun (and
    *puppy* as its adjective). Such a fragment is read as the sentence it stands for: "a puppy
    is playing with a ball" (the participle after the first noun that WordNet knows). The
    text, and each {character offset: …} table moved on by the "is " put in."""
    if any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in doc):
        return (text, *offsets)
    from seespeech.pictures.wordnet import load_wordnet

    wn = load_wordnet()
    for tok in doc:
        if tok.i == 0 or not tok.lower_.endswith("ing") or len(tok) < 5 or lemma(tok.lower_) is None:
            continue
        before = doc[tok.i - 1]
        if before.pos_ in ("DET", "ADP", "NUM", "CCONJ", "PUNCT", "PRON", "AUX"):
            continue
        if before.lower_ not in PEOPLE and (wn is None or wn.morphy(before.lower_) is None):
            continue
        at = tok.idx
        shifted = [{k + (3 if k >= at else 0): v for k, v in table.items()} for table in offsets]
        return (text[:at] + "is " + text[at:], *shifted)
    return (text, *offsets)


@dataclass
class _State:
    """What parse.py's shared helpers expect of a sentence's state."""

    scene: Scene
    subjects: list[int] = field(default_factory=list)
    last_relation: Relation | None = None
    clause_related: bool = False
    carrier: list[int] | None = None


@dataclass
class _Noun:
    """What a noun token turned out to be."""

    kind: str                  # thing | place | time | weather | sky | ground | frame | quantity | contents | skip
    index: int | None = None   # the scene object, for things
    place: str | None = None
    count: int | None = None   # quantity nouns: the count they give


def read_scene(text: str) -> Scene:
    """Parse what was said (English) into a ``Scene``."""
    scene = Scene(words=tokenize(text))
    seen: set[str] = set()
    for part in re.split(r"(?<=[.!?;])\s+|\n+", text.strip()):
        fixed, said = normalise(" ".join(part.split()))
        fixed, said, names = compounds(fixed, said)
        doc = _parse(fixed)
        fixed, said, names = with_verb(doc, fixed, said, names)
        if fixed != doc.text:
            doc = _parse(fixed)
        for sent in doc.sents:
            key = " ".join(tokenize(sent.text))
            if not key or key in seen:
                continue
            seen.add(key)
            scene.sentences += 1
            _Reader(scene, sent, said, names).run()
    _merge_repeats(scene)
    _settle(scene)
    return scene


class _Reader:
    def __init__(self, scene: Scene, sent, said: dict[int, str], names: dict[int, tuple[str, bool]]):
        self.scene = scene
        self.sent = sent
        self.said = said
        self.names = names
        self.state = _State(scene)
        self.nouns: dict[int, _Noun] = {}

    # ------------------------------------------------------------ the passes

    def run(self) -> None:
        for tok in self.sent:   # things, places, times, weather
            if tok.lower_ in WEATHER and tok.pos_ in ("ADJ", "VERB", "NOUN"):
                self.scene.add_weather(WEATHER[tok.lower_])
            if _is_verb(tok):
                continue
            if tok.idx in self.names or self._noun_here(tok):
                self.nouns[tok.i] = self._noun(tok)
        for tok in self.sent:   # subjects first: the preposition's relations need them
            if tok.i in self.nouns and self.nouns[tok.i].kind == "thing" and self._is_subject(tok):
                self.state.subjects.append(self.nouns[tok.i].index)
        for tok in self.sent:   # verbs: poses, regions, relations with their objects
            if _is_verb(tok) and (_verb_lemma(tok) in VERBS or _verb_lemma(tok) in ("wear", "dress", "don")):
                self._verb(tok)
        for tok in self.sent:   # prepositions
            if tok.dep_ in ("prep", "agent") or (tok.pos_ == "ADP" and tok.dep_ in ("dative", "advmod")):
                self._preposition(tok)

    # ------------------------------------------------------------ nouns

    def _noun_here(self, tok) -> bool:
        if tok.pos_ in _NOUNS:
            return tok.dep_ != "compound" or tok.head.pos_ not in _NOUNS
        # a rare noun the small tagger took for something else ("an oven" as an adjective): in a
        # noun's place in the parse, after a determiner, and a noun to WordNet
        if tok.pos_ in ("ADJ", "ADV", "VERB", "PROPN") and tok.dep_ in ("pobj", "conj", "appos", "dobj", "nsubj",
                                                                     "attr", "ROOT") and any(
                c.dep_ == "det" for c in tok.children):
            from seespeech.pictures.wordnet import load_wordnet

            wn = load_wordnet()
            return wn is not None and wn.morphy(tok.lower_) is not None
        return False

    def _words(self, tok) -> tuple[str, str, bool]:
        """(as said, lemma, plural): a name of several words read as one."""
        if tok.idx in self.names:
            name, plural = self.names[tok.idx]
            return name, name, plural
        from seespeech.pictures.wordnet import load_wordnet

        wn = load_wordnet()   # "ramen" is tagged plural: a plural ends in -s or is an irregular one
        plural = tok.tag_ in ("NNS", "NNPS") and (tok.lower_.endswith("s") or tok.lower_ in PERSON_PLURALS or (
            wn is not None and tok.lower_ in wn.exceptions))
        if plural_only(tok.lower_):   # a pair of glasses is one thing called glasses
            return tok.lower_, tok.lower_, False
        return tok.lower_, tok.lemma_.lower(), plural

    def _noun(self, tok) -> _Noun:
        lower, lemma, _ = self._words(tok)
        of_object = self._of_object(tok)
        if of_object is not None and (lemma in QUANTITIES or lower in QUANTITIES):
            count = QUANTITIES.get(lemma, QUANTITIES.get(lower))
            return _Noun("quantity", count=count)
        if of_object is not None and is_representation(lemma) and not self._has_number(tok):
            return _Noun("frame")   # "a photo of three apples": the apples
        if lemma in CONTENTS and tok.dep_ == "pobj" and tok.head.lower_ == "of":
            return _Noun("contents")   # "a cup of coffee": the cup
        relation = self._relation_of(tok.head) if tok.dep_ == "pobj" else None
        if lower in TIMES or lemma in TIMES:
            self.scene.time = TIMES.get(lower) or TIMES[lemma]
            return _Noun("time")
        if lower in WEATHER or lemma in WEATHER or lemma in ("rain", "storm", "fog", "wind"):
            self.scene.add_weather(WEATHER.get(lower) or WEATHER.get(lemma) or lemma)
            return _Noun("weather")
        if lemma == "snow" and relation in ("in", "on", "at", None):
            self.scene.set_place("snow")
            if relation == "in":
                self.scene.add_weather("snow")
            return _Noun("place", place="snow")
        if lemma in ("sky", "air"):
            return _Noun("sky")
        if lemma in ("ground", "floor", "grass") and relation in ("on", "in", None):
            return _Noun("ground")
        words, count, colour, size, age, rest = self._modifiers(tok)
        place = PLACES.get(" ".join(words[-1:] + [lemma])) or PLACES.get(lower) or PLACES.get(lemma)
        if not place and lemma not in PEOPLE and not drawable(lemma):   # a crossroads is a road: a street
            concept = ground([lower], lemma).concept
            if concept in PURE_PLACES:
                place, lemma = PLACES[concept], concept
        if place and _is_place_here(lemma, lower, relation, self.state, count, [colour] if colour else []):
            self.scene.set_place(place)
            if lemma not in FEATURES and lower not in FEATURES and lemma not in ("pond", "pool", "stream", "creek"):
                return _Noun("place", place=place)
            noun = {"pond": "lake", "pool": "lake", "stream": "river", "creek": "river"}.get(lemma, lemma)
            for k, obj in enumerate(self.scene.objects):
                if obj.noun == noun and obj.feature:
                    return _Noun("thing", index=k, place=place)
            self.scene.objects.append(SceneObject(lower, noun, 1, feature=True, mentions=1))
            return _Noun("thing", index=len(self.scene.objects) - 1, place=place)
        if lower in _PRONOUNS:
            return _Noun("skip")
        if _body_part(lemma) and (any(c.dep_ == "poss" for c in tok.children) or (
                of_object is not None and of_object.lemma_.lower() in PEOPLE)):
            return _Noun("skip")   # "his lips", "the hands of a person": part of someone
        return _Noun("thing", index=self._add(tok, words, count, colour, size, age, rest))

    def _of_object(self, tok):
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for g in child.children:
                    if g.dep_ == "pobj":
                        return g
        return None

    def _has_number(self, tok) -> bool:
        return any(c.dep_ == "nummod" for c in tok.children)

    def _modifiers(self, tok):
        """(name words before the head, count, colour, size, age, other modifiers)."""
        count = colour = size = age = None
        left = sorted((t for c in tok.lefts for t in c.subtree), key=lambda t: t.i)
        words, rest = [], []
        for t in left:
            w = t.lower_
            if t.dep_ in ("det", "predet") or t.pos_ in ("DET", "PRON", "PUNCT", "CCONJ", "ADP"):
                if w in ("a", "an", "one", "another") and count is None:
                    count = 1
                elif w in NUMBERS and w not in ("a", "an") and count is None:
                    count = NUMBERS[w]
                words = []
                continue
            number = _number(t)
            if number is not None:
                if count not in (None, 1) and any(c.i < t.i and _number(c) for c in t.children):
                    count *= number   # "two dozen"
                else:
                    count = number if count in (None, 1) else count
                words = []
                continue
            if w in COLOURS and COLOURS[w] is not None:
                colour, words = w, []
                continue
            if w in SIZES:
                size, words = w, []
                continue
            if w in AGE_WORDS:
                age = AGE_WORDS[w]
            if w in COLOURS or w in ("very", "really", "quite"):   # "dark", "light"
                continue
            words.append(w)
            rest.append(w)
        # a quantity noun before: "a pair of skis", "a dozen of eggs"
        # a quantity noun before: "a pair of skis", "two dozen eggs", "three pairs of scissors"
        q = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
        per = QUANTITIES.get(q.lemma_.lower()) if q is not None else None
        if per is not None and count is None:
            if plural_only(tok.lower_) and q.lemma_.lower() == "pair":
                per = 1   # a pair of glasses is one thing
            number = next((_number(c) for c in q.children if _number(c) is not None), None)
            count = per if number is None else number * (per if q.lemma_.lower() in ("pair", "dozen") else 1)
        for child in tok.children:   # "the car is red": a colour said after the thing
            if child.dep_ in ("amod",) and child.i > tok.i and child.lower_ in COLOURS and COLOURS[child.lower_]:
                colour = child.lower_
        if tok.dep_ in _SUBJECT_DEPS and tok.head.pos_ in ("AUX", "VERB"):
            for c in tok.head.children:
                if c.dep_ in ("acomp", "attr") and c.lower_ in COLOURS and COLOURS[c.lower_]:
                    colour = c.lower_
                elif c.dep_ == "acomp" and c.lower_ in SIZES:
                    size = c.lower_
        return words, count, colour, size, age, rest

    def _add(self, tok, words, count, colour, size, age, rest) -> int:
        lower, lemma, plural = self._words(tok)
        plural = plural or lower in PERSON_PLURALS
        phrase_lemma = " ".join(words + [lemma])
        person = None
        people_key = next((k for k in (" ".join(words + [lower]), phrase_lemma, lower, lemma,
                                       PERSON_PLURALS.get(lower)) if k and k in PEOPLE), None)
        if people_key:
            noun = PERSON_PLURALS.get(lower, people_key) if people_key in ("people", "police") else people_key
            noun = {"people": "person", "kids": "kid", "folks": "person"}.get(noun, noun)
            used = len(people_key.split())
            base_age, gender, role = PEOPLE[people_key]
            person = self._person(base_age, gender, role, age, noun)
            said = " ".join(words[len(words) - used + 1:] + [lower]) if used > 1 else lower
            grounded = None
        else:
            grounded = ground(words + [lower], lemma)
            used = max(1, grounded.words)
            head = grounded.concept if grounded.how in ("lexicon", "name") and grounded.concept else lemma
            noun = " ".join(words[len(words) - used + 1:] + [head.split()[-1]]) if used > 1 and grounded.how not in (
                "lexicon", "name") else head
            if grounded.how in ("lexicon", "name"):
                noun = grounded.concept
            said = " ".join(words[len(words) - used + 1:] + [lower]) if used > 1 else lower
            if grounded.kind == "person":
                person = self._person("adult", None, None, age, noun)
            if grounded.size and size is None:
                size = "small" if grounded.size == "small" else "big"
        unused = words[: len(words) - used + 1] if used > 1 else words
        modifiers = [w for w in rest if w in unused]
        said_count = count if count is not None else (2 if plural and lower not in ("fish", "sheep", "deer") else 1)
        obj = SceneObject(said, noun, min(said_count, MAX_INSTANCES), colour, size, modifiers, person=person,
                          said_count=said_count, mentions=1)
        if (lemma in ABSTRACT or lower in ABSTRACT) and count is None:   # speech words the illustration
            obj.abstract = True                                          # reads ("several people" are people)
        if grounded is not None:
            obj.grounding = grounded.to_dict()
            obj.like = grounded.like
            if grounded.how == "wordnet" and grounded.concept and grounded.concept != noun:
                obj.picture_as = grounded.concept
            if grounded.category and lexicon.lookup(grounded.concept or "") is None:
                obj.category = grounded.category
            if grounded.kind == "abstract":
                obj.abstract = True
                obj.why = grounded.why
            elif grounded.concept is None and grounded.kind != "person":
                obj.why = grounded.why
        self.scene.objects.append(obj)
        return len(self.scene.objects) - 1

    @staticmethod
    def _person(base_age, gender, role, age, noun) -> Person:
        if age == "child" and base_age == "adult" and noun in ("man", "woman", "person"):
            age = "child"
        if age == "adult" and base_age == "child":
            age = None
        return Person(age or base_age, gender, role)

    # ------------------------------------------------------------ who does what

    def _is_subject(self, tok) -> bool:
        if tok.dep_ in ("nsubj", "nsubjpass", "ROOT", "attr") or (
                tok.dep_ == "dobj" and tok.head.dep_ == "ROOT" and tok.head.lemma_ in ("see", "have", "show")):
            return True
        if tok.dep_ == "pobj" and tok.head.head.i in self.nouns and self.nouns[tok.head.head.i].kind in (
                "frame", "quantity"):
            return self._is_subject(tok.head.head)
        if tok.dep_ == "conj":
            return self._is_subject(tok.head)
        return False

    def _things(self, tok) -> list[int]:
        """The scene objects a token stands for (with its conjuncts: "a cat and a dog")."""
        out = []
        if tok.i in self.nouns:
            noun = self.nouns[tok.i]
            if noun.kind == "thing":
                out.append(noun.index)
            elif noun.kind in ("frame", "quantity"):
                of = self._of_object(tok)
                if of is not None:
                    out.extend(self._things(of))
            for c in tok.conjuncts:
                if c.i > tok.i and c.i in self.nouns and self.nouns[c.i].kind == "thing":
                    out.append(self.nouns[c.i].index)
        elif tok.lower_ in _PRONOUNS:
            k = self._pronoun(tok)
            if k is not None:
                out.append(k)
        return out

    def _pronoun(self, tok) -> int | None:
        before = [n.index for i, n in sorted(self.nouns.items()) if i < tok.i and n.kind == "thing"]
        if not before:
            return None
        if tok.dep_ in _SUBJECT_DEPS:
            return before[0] if len(before) == 1 else before[-1]
        subjects = set(self._subjects_of(tok.head)) if _is_verb(tok.head) else set()
        for k in reversed(before):
            if k not in subjects:
                return k
        return before[-1]

    def _subjects_of(self, verb, depth: int = 0) -> list[int]:
        if depth > 4:
            return []
        out = []
        expl = any(c.dep_ == "expl" for c in verb.children)
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass") or (expl and c.dep_ in ("attr", "dobj")):
                out.extend(self._things(c))
        if out:
            return out
        if verb.dep_ in ("acl", "relcl") and verb.head.i in self.nouns:
            return self._things(_first_conjunct(verb.head))
        if verb.dep_ in ("conj", "xcomp", "advcl", "ccomp", "pcomp") and verb.head is not verb:
            if verb.head.pos_ in _NOUNS:
                return self._things(verb.head)
            return self._subjects_of(verb.head, depth + 1)
        if verb.dep_ == "ROOT" and verb.pos_ in _NOUNS:
            return self._things(verb)
        return out

    def _worn(self, wearer: int, thing: int) -> bool:
        """A person's clothes are theirs: the figure is drawn dressed, not beside a dress."""
        who, what = self.scene.objects[wearer], self.scene.objects[thing]
        if what.person is not None:
            return False
        if (who.person is not None or _animate(who.noun)) and is_clothing(what.noun):
            what.why = f"worn by the {who.noun} (what is worn is not drawn beside its wearer)"
        elif _body_part(what.noun) and (who.person is not None or _animate(who.noun)):
            # "a woman with long black hair", "a white cat with black ears"
            what.why = f"part of the {who.noun}"
        else:
            return False
        what.abstract = True
        return True

    def _verb(self, verb) -> None:
        subjects = self._subjects_of(verb)
        objects = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd") and c.pos_ in _NOUNS + ("PRON",)
                   and _orphan_prep(c) is None]
        if _verb_lemma(verb) in ("wear", "dress", "don"):
            for target in objects:
                for index in self._things(target):
                    for s in subjects:
                        self._worn(s, index)
            return
        if _verb_lemma(verb) not in VERBS:
            return
        relation, pose, region = VERBS[_verb_lemma(verb)]
        if relation == "above" and objects:
            region = None   # "flying a kite": the kite flies, the children stand
        for s in subjects:
            obj = self.scene.objects[s]
            if pose and obj.person is not None:
                obj.pose = pose
            if region and not obj.region:
                obj.region = region
        if relation is None or not objects:
            return
        for target in objects:
            for index in self._things(target):
                for s in subjects:
                    if s == index:
                        continue
                    if relation == "pulled":
                        _relate(self.state, index, "following", s, verb.lower_)
                    elif relation == "above":
                        _relate(self.state, index, "above", s, verb.lower_)
                        self.scene.objects[index].region = "sky"
                    elif relation == "holding" and not _holdable(self.scene.objects[index]):
                        _relate(self.state, s, "beside", index, verb.lower_)
                    else:
                        _relate(self.state, s, relation, index, verb.lower_)
                        if relation == "riding":
                            self.state.carrier = [index]

    def _relation_of(self, prep) -> str | None:
        if prep.idx in self.said:
            return self.said[prep.idx]
        return PREPOSITIONS.get(prep.lower_)

    def _preposition(self, prep) -> None:
        relation = self._relation_of(prep)
        said = prep.lower_ if prep.idx not in self.said else self.said[prep.idx]
        objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
        if not objects:   # "flying over a tree" parsed with the tree as the verb's object
            objects = [c for c in prep.head.children if c.dep_ == "dobj" and _orphan_prep(c) is not None
                       and _orphan_prep(c).i == prep.i]
        if relation is None or not objects:
            return
        anchor_tok = objects[0]
        head = prep.head
        while head.pos_ in ("ADV", "ADJ", "ADP") and head.head is not head and head.i not in self.nouns:
            head = head.head   # "next to", "right of": the modifier's head
        if head.i in self.nouns:
            noun = self.nouns[head.i]
            if noun.kind in ("frame", "quantity") and prep.lower_ == "of":
                return   # "a photo of …", "a pair of …": what follows is the thing itself
            if noun.kind in ("frame", "quantity"):
                of = self._of_object(head)
                subjects = self._things(of) if of is not None else []
            else:   # "a dog and a cat under a tree": the preposition after the last of them is all theirs
                subjects = self._things(_first_conjunct(head)) if noun.kind == "thing" else []
                if head.dep_ != "conj":
                    subjects = subjects[:1]
                # "a fish in a bowl on a table": the bowl is on the table
                earlier = [c for c in head.children if c.dep_ == "prep" and c.i < prep.i]
                if earlier and self._relation_of(earlier[-1]) in ("in", "on") and relation in ("in", "on", "under"):
                    inner = [c for c in earlier[-1].children if c.dep_ == "pobj"]
                    if inner and self._things(inner[0]):
                        subjects = self._things(inner[0])[:1]
        elif _is_verb(head):
            subjects = self._subjects_of(head)
            if not subjects:   # "draw a castle on a mountain": the thing asked for
                subjects = [k for c in head.children if c.dep_ == "dobj" and c.i < prep.i for k in self._things(c)]
            if self.state.carrier and _verb_lemma(head) == "ride":
                subjects = self.state.carrier
        else:
            subjects = []
        anchor = self.nouns.get(anchor_tok.i)
        if anchor is not None and anchor.kind == "sky":
            for s in subjects:
                self.scene.objects[s].region = "sky"
            return
        if anchor is not None and anchor.kind == "place":
            place = anchor.place
            if place in ("sea", "lake", "river") and relation in ("on", "in"):
                for s in subjects:
                    obj = self.scene.objects[s]
                    entry = lexicon.lookup(obj.noun)
                    if entry is None or entry.rests != "sky":
                        obj.region = obj.region or "water"
            return
        anchors = self._things(anchor_tok)
        if not anchors:
            return
        if relation == "of":   # "a basket of apples": the apples are in it
            for s in subjects:
                entry = lexicon.lookup(self.scene.objects[s].noun)
                if entry is not None and entry.category == "container":
                    for a in anchors:
                        _relate(self.state, a, "in", s, "of")
            return
        if relation in ("", "to"):
            return
        if anchor is not None and anchor.place and relation not in ("on", "in"):
            return   # "a bridge over a river": the stage draws the river under it
        if not subjects:
            return
        if relation in ("in", "with"):   # "a woman in a long white dress", "a man with a hat and a beard"
            worn = [a for a in anchors if any([self._worn(s, a) for s in subjects])]
            anchors = [a for a in anchors if a not in worn]
            if not anchors:
                return
        for a in anchors[:1]:
            if relation == "with":
                for s in subjects:
                    if self.scene.objects[s].person is not None and _holdable(self.scene.objects[a]):
                        _relate(self.state, s, "holding", a, said)
                    else:
                        _relate(self.state, a, "beside", s, said)
                continue
            rel = "beside" if relation == "at" else relation
            for s in subjects:
                if s != a:
                    _relate(self.state, s, rel, a, said)


def _animate(word: str) -> bool:
    from seespeech.pictures.grounding import ancestors

    return "animal" in ancestors(word, 20)


def _body_part(word: str) -> bool:
    from seespeech.pictures.wordnet import load_wordnet

    wn = load_wordnet()
    senses = wn.synsets(word) if wn is not None else []
    return any(s.lexname == "noun.body" for s in senses[:3])


def _orphan_prep(obj):
    """The preposition just before a verb's object that has no object of its own, if any: the
    object is really the preposition's."""
    for c in obj.head.children:
        if c.dep_ == "prep" and c.i < obj.i and not any(g.dep_ in ("pobj", "pcomp") for g in c.children) and \
                all(obj.doc[k].pos_ in ("DET", "ADJ", "NUM", "NOUN", "PROPN") for k in range(c.i + 1, obj.i)):
            return c
    return None


def _first_conjunct(tok):
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    return tok


def _is_verb(tok) -> bool:
    """A verb, or a verb form the small model tagged as a noun where only a verb fits ("a mouse
    hiding behind a box": *hiding* as a clause on the mouse)."""
    if tok.pos_ in ("VERB", "AUX"):
        return True
    return tok.pos_ in _NOUNS and tok.dep_ in ("acl", "relcl", "advcl", "xcomp", "ccomp") and \
        tok.lower_.endswith(("ing", "ed")) and lemma(tok.lower_) is not None


def _verb_lemma(tok) -> str:
    """The verb's lemma: parse.py's table of forms first (spaCy's small model reads "riding" as
    "rid"), then spaCy's."""
    return lemma(tok.lower_) or tok.lemma_.lower()


def _number(tok) -> int | None:
    """3 for "three" or "3", 12 for "dozen"; None for anything else."""
    w = tok.lower_
    if tok.dep_ not in ("nummod", "quantmod", "amod", "compound", "det", "npadvmod") and tok.pos_ != "NUM":
        return None
    if w.isdigit():
        return int(w)
    if w in NUMBERS and w not in ("a", "an", "another", "single", "both", "pair", "couple", "bunch", "group",
                                  "lot", "lots"):
        return NUMBERS[w]
    if w == "both":
        return 2
    return None


def parse_scene(text: str, known_phrases: set[str] | None = None) -> Scene:
    """Parse what was said into a ``Scene``: spaCy's dependency parse read here (the
    hand-written chunker of parse.py when spaCy's English pipeline is not installed)."""
    try:
        return read_scene(text)
    except ParserMissing:
        from seespeech.pictures.parse import parse_scene as parse

        return parse(text, known_phrases)
