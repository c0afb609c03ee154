"""Read what was said into a scene: things (with counts, colours, sizes, people's age, gender
and role, poses), relations between them (from prepositions and from verbs), a setting, the
time of day and the weather — or, for speech that is not a description of a scene (a talk, a
greeting, a story's moral), the words worth drawing as an illustration.

This is a hand-written chunker, not a general parser. Spoken scene descriptions are noun
phrases joined by prepositions and verbs; a rule per construction is easy to test and to
explain, and runs in well under a millisecond. What it reads, by construction:

* noun phrases: determiner or number, adjectives (colour, size, age), the head noun
  (multi-word nouns from the lexicon stay one: "fire truck", "police officer");
* verbs after their subjects: "riding a horse" (A on B's back), "holding a balloon" (B in
  A's hand), "chasing a cat" (A behind B, facing the same way), "pulling a cart" (the cart
  behind), "building a snowman" (A beside B, facing it), "crossing a bridge", "flying a
  kite" (the kite above), "sitting/sleeping/standing on …" (the pose, the preposition's
  relation), "swimming"/"flying" (in the water, in the air);
* prepositions: on, under, in, above/over, below, beside/next to/near/by/with/at, left/right
  of, in front of/past, behind; "a fish in a bowl on a table" chains (the bowl is on the
  table); after "riding X", places and relations belong to X (the rider goes with it);
* settings: "in the kitchen", "on the moon", "at sea", "on an island" (a setting the stage
  draws, listed as a thing too, so "a house on an island" can be checked);
* time ("at night", "at sunset") and weather ("in the rain", "during a storm", "foggy").
"""

from __future__ import annotations

import re

from seespeech.pictures import lexicon
from seespeech.pictures.scene import (
    COLOURS, MAX_INSTANCES, NUMBERS, PARTITIVES, SIZES, Person, Relation, Scene, SceneObject, is_plural,
    singular, tokenize,
)
from seespeech.pictures.words import (
    PEOPLE, AGE_WORDS, PERSON_PLURALS, VERBS, CONTENTS, PREPOSITIONS, RELATIONS, PLACES, PURE_PLACES, FEATURES, LOCATIVE, TIMES, WEATHER, STOPWORDS, ABSTRACT, SPEECH_WORDS, MAX_OBJECTS, MAX_TOTAL_INSTANCES, _DETERMINERS, _NUMBER_RE, _PRONOUNS, lemma,
)


class _Sentence:
    """Parsing state of one sentence: the clause's subjects and what is pending."""

    def __init__(self, scene: Scene, known: set[str]):
        self.scene = scene
        self.known = known
        self.subjects: list[int] = []
        self.pending: tuple[str, str] | None = None   # (relation, as said)
        self.verb: tuple[str, str, str | None] | None = None   # (lemma, relation, as said)
        self.clause_related = False
        self.carrier: list[int] | None = None          # after "riding X": X carries the clause's relations
        self.last_relation: Relation | None = None


def parse_scene(text: str, known_phrases: set[str] | None = None) -> Scene:
    """Parse what was said (English) into a ``Scene``.

    ``known_phrases`` are nouns the caller can draw (multi-word ones stay one object); the
    lexicon's are always known. Repeated sentences are read once (a long transcript often
    says the same thing twice)."""
    known = set(known_phrases or ()) | lexicon.phrases() | set(PEOPLE) | set(PLACES)
    scene = Scene(words=tokenize(text))
    seen: set[str] = set()
    for sentence in re.split(r"(?<=[.!?;])\s+|\n+", text.strip()):
        key = " ".join(tokenize(sentence))
        if not key or key in seen:
            continue
        seen.add(key)
        scene.sentences += 1
        _parse_sentence(tokenize(sentence), scene, known)
    _merge_repeats(scene)
    _settle(scene)
    return scene


def _parse_sentence(tokens: list[str], scene: Scene, known: set[str]) -> None:
    state = _Sentence(scene, known)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in ",.;!?:":
            if tok != ",":
                state.subjects, state.clause_related, state.carrier = [], False, None
            state.verb = None
            i += 1
            continue
        if tok in WEATHER:
            scene.add_weather(WEATHER[tok])
            i += 1
            continue
        if tok == "and":
            if state.clause_related or state.verb:
                state.subjects, state.clause_related, state.carrier, state.verb = [], False, None, None
            i += 1
            continue
        verb = lemma(tok) if state.subjects and not _is_noun_here(tokens, i, known) else None
        if verb is not None:
            i = _read_verb(state, tokens, i, verb)
            continue
        if _verb_like(tok, known):
            i += 1
            continue
        prep = _match(tokens, i, PREPOSITIONS)
        if prep:
            relation, length = prep
            state.pending = (relation, " ".join(tokens[i:i + length]))
            state.verb = None   # "flying in space next to a planet": no direct object after all
            i += length
            continue
        if tok in _PRONOUNS and state.pending and i + 1 <= len(tokens):
            _attach(state, _pronoun(state))
            i += 1
            continue
        if (tok in STOPWORDS and tok not in _DETERMINERS and not _NUMBER_RE.match(tok)) or "'" in tok:
            i += 1   # (contractions — i'll, can't, don't — are never things)
            continue
        start = i
        words, count, i = _noun_phrase(tokens, i, known)
        if not words:
            i = max(i, start + 1)
            continue
        index = _add(state, words, count)
        if index is not None:
            _attach(state, index)


def _is_noun_here(tokens: list[str], i: int, known: set[str]) -> bool:
    """A verb form used as a noun: right after a determiner ("a building") or the head of a
    known phrase ("fishing rod")."""
    if i > 0 and tokens[i - 1] in _DETERMINERS | set(COLOURS) | set(SIZES):
        return True
    two = " ".join(tokens[i:i + 2])
    return two in known and len(tokens) > i + 1


def _read_verb(state: _Sentence, tokens: list[str], i: int, verb: str) -> int:
    relation, pose, region = VERBS[verb]
    said = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if relation == "above" and (nxt in _DETERMINERS or nxt in NUMBERS):
        region = None   # "flying a kite": the kite flies, the children stand
    for s in state.subjects:
        obj = state.scene.objects[s]
        if pose and obj.person is not None:
            obj.pose = pose
        if region and not obj.region:
            obj.region = region
    if verb in ("fly",) and i + 1 < len(tokens) and tokens[i + 1] in ("over", "above", "across"):
        relation = None  # "flying over a house": the preposition says it
    state.verb = (verb, relation, said) if relation else None
    i += 1
    # a particle that belongs to the verb: "talking to", "looking at", "playing with"
    if state.verb and i < len(tokens) and tokens[i] in ("to", "at", "with", "after", "on") and verb in (
            "talk", "look", "play", "stare", "wave", "bark", "sing", "dance", "wait", "smile", "laugh", "watch", "feed"):
        i += 1
    if state.verb:
        state.pending = None
    return i


def _match(tokens: list[str], i: int, table: dict[str, str]) -> tuple[str, int] | None:
    for n in (4, 3, 2, 1):
        if i + n <= len(tokens):
            phrase = " ".join(tokens[i:i + n])
            if phrase in table:
                return table[phrase], n
    return None


def _noun_phrase(tokens: list[str], i: int, known: set[str]) -> tuple[list[str], int | None, int]:
    """Determiners and numbers, adjectives, then the noun(s); stops at a preposition, a verb
    after the head, punctuation or "and"."""
    count: int | None = None
    words: list[str] = []
    while i < len(tokens):
        t = tokens[i]
        if t in ",.;!?:" or t == "and":
            break
        if t == "of" and words and (words[-1] in NUMBERS or words[-1] in PARTITIVES):
            if words[-1] in NUMBERS and count in (None, 1):
                count = NUMBERS[words[-1]]
            words.pop()  # "a couple of birds", "a piece of cheese", "a herd of cows"
            i += 1
            continue
        if t == "of" and words:
            break
        if _match(tokens, i, PREPOSITIONS) and words and " ".join(words + [t]) not in known:
            break
        if t in NUMBERS and not words:
            count = 1 if t in ("a", "an", "another", "one", "single") else NUMBERS[t]
            i += 1
            continue
        if _NUMBER_RE.match(t) and not words:
            count = int(t)
            i += 1
            continue
        if t in _DETERMINERS and not words:
            i += 1
            continue
        if words and _verb_here(tokens, i, known) and not _continues_known(words, t, known) and not all(
                w in COLOURS or w in SIZES or w in AGE_WORDS for w in words):
            break  # "children building …": the verb ends the noun phrase (not "a big building")
        if t in STOPWORDS and t not in SIZES and t not in AGE_WORDS and t not in COLOURS:
            if words:
                break
            i += 1
            continue
        if t in WEATHER and words:
            break
        words.append(t)
        i += 1
        if words and words[-1] in known and not (i < len(tokens) and _continues_known(words, tokens[i], known)):
            # the head is known and the next word does not extend it: the phrase ends here
            if not (i < len(tokens) and (tokens[i] not in STOPWORDS and not lemma(tokens[i])
                                         and not _match(tokens, i, PREPOSITIONS) and tokens[i] not in ",.;!?:and"
                                         and tokens[i] not in WEATHER and tokens[i] not in TIMES)):
                break
    if words and words[0] in NUMBERS and count in (None, 1):
        count = NUMBERS[words[0]]
        words = words[1:]
    return words, count, i


def _verb_here(tokens: list[str], i: int, known: set[str]) -> bool:
    """Is tokens[i] a verb here? A verb form not known as a noun; or one known as a noun
    ("building", "cooking") followed by what follows verbs (a determiner, a preposition, the end)."""
    t = tokens[i]
    if not lemma(t) and not _verb_like(t, known):
        return False
    if t not in known:
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    return nxt == "" or nxt in ",.;!?:" or nxt in _DETERMINERS or nxt in NUMBERS or bool(_match(tokens, i + 1,
                                                                                               PREPOSITIONS))


def _verb_like(t: str, known: set[str]) -> bool:
    """An -ing or -ed word nobody said as a thing ("earned", "lived"): a verb we do not act on."""
    return t not in known and ((t.endswith("ing") and len(t) > 5) or (t.endswith("ed") and len(t) > 4))


def _continues_known(words: list[str], nxt: str, known: set[str]) -> bool:
    for n in (1, 2):
        if len(words) >= n and " ".join(words[-n:] + [nxt]) in known:
            return True
        if len(words) >= n and " ".join(words[-n:] + [singular(nxt)]) in known:
            return True
    return False


def _head(words: list[str], known: set[str]) -> tuple[list[str], list[str]]:
    """(modifiers, head words): the longest known phrase at the end, else the last word."""
    for n in (3, 2):
        if len(words) >= n and words[-n] not in COLOURS and words[-n] not in SIZES:
            phrase = words[-n:]
            if " ".join(phrase) in known or " ".join(phrase[:-1] + [singular(phrase[-1])]) in known:
                return words[:-n], phrase
    return words[:-1], words[-1:]


def _add(state: _Sentence, words: list[str], count: int | None) -> int | None:
    """A noun phrase → an object (or the setting, time, weather); its index, or None."""
    scene = state.scene
    modifiers, head = _head(words, state.known)
    said = " ".join(head)
    last = head[-1]
    noun = " ".join(head[:-1] + [PERSON_PLURALS.get(last, singular(last))])
    relation = state.pending[0] if state.pending else None
    for w in modifiers:  # "a foggy morning", "a windy day"
        if w in WEATHER:
            scene.add_weather(WEATHER[w])
    modifiers = [w for w in modifiers if w not in WEATHER]
    if relation == "of" and scene.objects and (noun in CONTENTS or said in CONTENTS):
        state.pending = None
        return None   # "a cup of coffee": the cup
    # time, weather, places
    if said in TIMES or noun in TIMES:
        scene.time = TIMES.get(said) or TIMES[noun]
        state.pending = None
        return None
    if said in WEATHER or noun in WEATHER or noun in ("rain", "storm", "fog", "wind"):
        scene.add_weather(WEATHER.get(said) or WEATHER.get(noun) or noun)
        state.pending = None
        return None
    if noun == "snow" and relation in ("in", "on", "at", None):
        scene.set_place("snow")
        if said == "snow" and relation == "in":
            scene.add_weather("snow")
        state.pending = None
        return None
    if said in ("sky", "air") or noun in ("sky", "air"):
        for s in state.subjects:
            scene.objects[s].region = "sky"
        state.pending = None
        return None
    if noun in ("ground", "floor", "grass") and relation in ("on", "in", None):
        state.pending = None
        return None
    place = PLACES.get(said) or PLACES.get(noun)
    if place and _is_place_here(noun, said, relation, state, count, modifiers):
        scene.set_place(place)
        if place in ("sea", "lake", "river") and relation in ("on", "in") and state.subjects:
            for s in state.carrier or state.subjects:
                obj = scene.objects[s]
                if lexicon.lookup(obj.noun) is None or lexicon.lookup(obj.noun).rests != "sky":
                    obj.region = obj.region or "water"
        if noun not in FEATURES and said not in FEATURES:
            state.pending = None
            return None
        # a feature the stage draws: also a thing, so "a house on an island" can be checked
        noun = "lake" if noun in ("pond", "pool", "lake") else ("river" if noun in ("stream", "creek") else
                                                                 ("cliff" if noun == "cliff" else noun))
        for k, obj in enumerate(scene.objects):
            if obj.noun == noun and obj.feature:
                return k
        scene.objects.append(SceneObject(said, noun, 1, feature=True, mentions=1))
        return len(scene.objects) - 1
    # an ordinary thing
    colour = size = None
    age = None
    rest: list[str] = []
    for w in modifiers:
        if w in COLOURS and COLOURS[w] is not None:
            colour = w
        elif w in AGE_WORDS and (noun in PEOPLE or last in PERSON_PLURALS):
            age = AGE_WORDS[w]
        elif w in SIZES:
            size = w
        elif w in NUMBERS and count is None:
            count = NUMBERS[w]
        elif _NUMBER_RE.match(w) and count is None:
            count = int(w)
        elif w not in NUMBERS:
            rest.append(w)
    person = None
    if noun in PEOPLE or said in PEOPLE:
        base_age, gender, role = PEOPLE.get(said) or PEOPLE[noun]
        if age == "child" and base_age == "adult" and noun in ("man", "woman", "person"):
            age = "child"  # "little man" is still a small one
        if age == "adult" and base_age in ("child",):
            age = None
        person = Person(age or base_age, gender, role)
        if noun in ("people", "kid", "folks"):
            noun = {"kid": "kid", "people": "person"}.get(noun, noun)
    plural = is_plural(last) or last in PERSON_PLURALS
    said_count = count if count is not None else (2 if plural and last not in ("fish", "sheep", "deer") else 1)
    obj = SceneObject(" ".join(head), noun, min(said_count, MAX_INSTANCES), colour, size, rest, person=person,
                      said_count=said_count, mentions=1)
    if noun in ABSTRACT or said in ABSTRACT:
        obj.abstract = True
    scene.objects.append(obj)
    return len(scene.objects) - 1


def _is_place_here(noun: str, said: str, relation: str | None, state: _Sentence, count, modifiers) -> bool:
    """Is this place word where the scene is (rather than a thing in it)?"""
    if (count or 1) > 1 or any(m in COLOURS for m in modifiers):
        return False
    if noun == "moon":  # "on the moon" is where we stand; "next to the moon" is a thing in the sky
        return relation == "on"
    if noun in ("shop", "store", "bakery", "market"):
        return relation in ("in", "at") and bool(state.subjects)
    if noun == "school":
        return relation in ("in", "at")
    if noun == "hospital":
        return relation in ("in", "at") or not state.subjects and relation is None and False
    if noun in FEATURES or said in FEATURES or noun in ("pond", "pool", "stream", "creek"):
        return True
    if noun in PURE_PLACES or said in PURE_PLACES:
        return relation in LOCATIVE or relation is None or relation == "beside"
    return relation in LOCATIVE


def _pronoun(state: _Sentence) -> int | None:
    """"it", "them": the most recent thing other than the clause's newest one."""
    objects = state.scene.objects
    if not objects:
        return None
    candidates = [k for k in range(len(objects) - 1, -1, -1) if not objects[k].feature]
    if len(candidates) >= 2:
        return candidates[1] if candidates[0] not in state.subjects[:1] else candidates[1]
    return candidates[0] if candidates else None


def _attach(state: _Sentence, index: int | None) -> None:
    """Relate a new thing to the clause: as a verb's object, a preposition's object, or a subject."""
    if index is None:
        return
    scene = state.scene
    if state.verb is not None:
        verb, relation, said = state.verb
        state.verb = None
        for s in state.subjects:
            if s == index:
                continue
            if relation == "pulled":
                _relate(state, index, "following", s, said)
            elif relation == "above":   # "flying a kite": the kite is up in the air
                _relate(state, index, "above", s, said)
                scene.objects[index].region = "sky"
            elif relation == "holding" and not _holdable(scene.objects[index]):
                _relate(state, s, "beside", index, said)
            else:
                _relate(state, s, relation, index, said)
                if relation == "riding":
                    state.carrier = [index]
        state.pending = None
        return
    if state.pending is not None:
        relation, said = state.pending
        state.pending = None
        if relation == "of":   # "a basket of apples": the apples are in it
            if state.subjects and lexicon.lookup(scene.objects[state.subjects[-1]].noun) is not None and \
                    lexicon.lookup(scene.objects[state.subjects[-1]].noun).category == "container":
                _relate(state, index, "in", state.subjects[-1], "of")
            return
        if relation in ("", "to"):
            return
        if scene.objects[index].feature and relation not in ("on", "in"):
            return   # "a bridge over a river": the stage draws the river under it
        if not state.subjects:   # "on the table there is a cup": the subject comes later
            scene.fronted.append((relation, index, said))
            state.subjects = []
            return
        subjects = state.carrier or state.subjects
        last = state.last_relation
        if relation == "with":
            for s in subjects:
                if scene.objects[s].person is not None and _holdable(scene.objects[index]):
                    _relate(state, s, "holding", index, said)
                else:
                    _relate(state, index, "beside", s, said)
            return
        if relation == "at":
            relation = "beside"
        if last is not None and last.relation in ("in", "on") and relation in ("in", "on", "under") \
                and state.clause_related and last.object != index and not scene.objects[last.object].feature:
            _relate(state, last.object, relation, index, said)   # "a fish in a bowl on a table"
            return
        for s in subjects:
            if s != index:
                _relate(state, s, relation, index, said)
        return
    state.subjects.append(index)
    for relation, anchor, said in scene.fronted:   # "under the tree sits a dog"
        _relate(state, index, relation, anchor, said)
    scene.fronted.clear()


#: where a person goes in or on, and how they are there when nothing else was said
SITTING_IN = {"boat", "vehicle", "furniture"}
SITTING_ON = {"bench", "chair", "sofa", "stool", "bed", "swing", "sled", "rock", "log", "fence", "horse",
              "bicycle", "motorcycle", "camel", "elephant", "hospital bed"}


def _relate(state: _Sentence, subject: int, relation: str, anchor: int, said: str) -> None:
    if relation not in RELATIONS or subject == anchor:
        return
    who, where = state.scene.objects[subject], state.scene.objects[anchor]
    sky = lexicon.lookup(where.noun)
    if relation in ("under", "below") and sky is not None and sky.category == "sky":
        return   # "under the sun", "under the stars": outdoors, with the sun in the sky
    if where.noun == "bowl" and relation == "in" and lexicon.lookup(who.noun) is not None and \
            lexicon.lookup(who.noun).category == "water animal":
        where.picture_as = "fishbowl"   # a fish in a bowl: a glass bowl of water
    if who.person is not None and who.pose is None:
        entry = lexicon.lookup(where.noun)
        if relation == "in" and entry is not None and entry.category in SITTING_IN:
            who.pose = "lie" if where.noun in ("bed", "hospital bed", "crib") else "sit"
        elif relation == "on" and where.noun in SITTING_ON:
            who.pose = "ride" if where.noun in ("horse", "bicycle", "motorcycle", "camel", "elephant") else "sit"
    rel = Relation(subject, relation, anchor, said)
    state.scene.relations.append(rel)
    state.last_relation = rel
    state.clause_related = True


def _holdable(obj: SceneObject) -> bool:
    entry = lexicon.lookup(obj.noun)
    if obj.person is not None:
        return obj.person.age == "baby"
    return entry is None or entry.holdable or entry.rests == "held"


# ---------------------------------------------------------------- after the words


def _merge_repeats(scene: Scene) -> None:
    """The same thing said again is one thing mentioned twice (counts: the largest said)."""
    merged: dict[tuple, int] = {}
    remap: dict[int, int] = {}
    kept: list[SceneObject] = []
    for k, obj in enumerate(scene.objects):
        key = (obj.noun, obj.colour, obj.person.role if obj.person else None,
               obj.person.age if obj.person else None)
        if key in merged:
            target = kept[merged[key]]
            target.mentions += 1
            target.count = max(target.count, obj.count)
            target.said_count = max(target.said_count, obj.said_count)
            target.pose = target.pose or obj.pose
            target.region = target.region or obj.region
            remap[k] = merged[key]
        else:
            merged[key] = len(kept)
            remap[k] = len(kept)
            kept.append(obj)
    scene.objects = kept
    seen = set()
    relations = []
    for r in scene.relations:
        r = Relation(remap[r.subject], r.relation, remap[r.object], r.said)
        if r.subject != r.object and (r.subject, r.relation, r.object) not in seen:
            seen.add((r.subject, r.relation, r.object))
            relations.append(r)
    scene.relations = relations


def _settle(scene: Scene) -> None:
    """Salience, the illustration mode for speech, and what a picture leaves out."""
    related = {r.subject for r in scene.relations} | {r.object for r in scene.relations}
    for k, obj in enumerate(scene.objects):
        obj.salience = (2.0 if k in related else 1.0) + 0.5 * (obj.mentions - 1) + (0.5 if k < 3 else 0.0)
        if obj.abstract:
            obj.salience = 0.0
    concrete = [o for o in scene.objects if not o.abstract]
    words = scene.words
    speechy = sum(w in SPEECH_WORDS for w in words)
    spatial = any(r.relation in RELATIONS for r in scene.relations
                  if not scene.objects[r.subject].abstract and not scene.objects[r.object].abstract)
    landscape = not concrete and speechy == 0 and (scene.place != "outdoors" or scene.time != "day" or scene.weather)
    if landscape:   # "sunset over the sea", "a foggy forest": the place itself is the picture
        _left_out(scene)
        return
    if not concrete or (speechy >= 2 and not spatial and len(words) >= 8) or (
            len(words) >= 12 and len(concrete) <= 1 and not spatial):
        scene.mode = "illustration"
        return
    _left_out(scene)


def _left_out(scene: Scene) -> None:
    order = sorted(range(len(scene.objects)), key=lambda k: (-scene.objects[k].salience, k))
    keep: list[int] = []
    total = 0
    for k in order:
        obj = scene.objects[k]
        if obj.abstract:
            scene.left_out.append({"word": obj.word, "why": obj.why or "not something a picture shows"})
            continue
        if obj.feature:   # the setting's own things (a lake, an island) do not count
            keep.append(k)
            continue
        if len(keep) - sum(scene.objects[j].feature for j in keep) >= MAX_OBJECTS \
                or total + obj.count > MAX_TOTAL_INSTANCES:
            scene.left_out.append({"word": obj.word, "why": f"a picture shows at most {MAX_OBJECTS} things; "
                                                           "this one was said less"})
            continue
        keep.append(k)
        total += obj.count
    if len(keep) == len(scene.objects):
        return
    keep.sort()
    remap = {old: new for new, old in enumerate(keep)}
    scene.objects = [scene.objects[k] for k in keep]
    scene.relations = [Relation(remap[r.subject], r.relation, remap[r.object], r.said) for r in scene.relations
                       if r.subject in remap and r.object in remap]
