"""What a sentence claims, read the way an editor checks copy against its source (pure logic, no model).

A sentence is checked clause by clause: each clause must be stated by the source, and no sentence of the source that
is about the same thing may contradict it. The contradictions looked for are those a word count misses: a negation
on one side only (scoped to the words it negates), a number attached to another thing, an ordering of numbers the
sentence itself gets wrong, a figure revised the other way round, a stronger quantifier or superlative, a change in
the opposite direction, and a plan or a request told as a decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

from briefing.ingest.chunking import sentence_spans

STOP = set(
    """
    a an and are as at be been being but by for from had has have he her his i in is it its of on or our she so
    than that the their them then there these they this those to was we were what when where which who will
    with would about after before also into over said says say told according more most while
    """.split()
)
NEGATIONS = {"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "denied", "refused"}

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[a-z]+(?:['’][a-z]+)?")
_UNITS = {"million", "billion", "thousand", "percent", "per", "cent", "percentage", "points", "point", "%"} | set(
    "dollar dollars euro euros pound pounds yen yuan franc francs krona kronor crown crowns corven corvens".split()
)
_NOT_A_THING = set(
    "among between across against since until during through under within via toward towards including next last "
    "each every like below above off down up out ago earlier later higher lower less".split()
)
_FILLER = STOP | NEGATIONS | _UNITS | {"about", "around", "roughly", "some", "nearly", "almost", "only", "just"}
_CLAUSE_BREAK = re.compile(
    r"\s*;\s*|,\s+(?=(?:and|but|while|whereas|although|though|with|after|before|as|which|who|when|where|"
    r"blaming|saying|adding|making|leaving|bringing|taking|citing|despite|(?:mostly|partly|largely|mainly)\s+because)\b)"
    r"|(?<!\ball)(?<!\bnothing)(?<!,)(?<!\bmostly)(?<!\bpartly)(?<!\blargely)(?<!\bmainly)"
    r"\s+(?=(?:but|while|whereas|although|despite|(?:mostly\s+|partly\s+|largely\s+|mainly\s+)?because|after|when)\s)"
    r"|,?\s+(?=and\s+(?:said|says|added|warned|told|announced|will|would|plans?|expects?|\w+ed)\b)"
)
# Words whose meaning a paraphrase must keep: the source has to say as much, in these or equivalent words.
_STRONG = {
    "all": "all every each entire whole full complete total",
    "every": "all every each entire whole",
    "full": "all full entire whole complete",
    "entire": "all entire whole full",
    "whole": "all entire whole full",
    "both": "both two",
    "each": "each every all both",
    "most": "most majority",
    "majority": "most majority",
    "half": "half",
    "record": "record highest largest biggest",
    "largest": "largest biggest record",
    "biggest": "largest biggest record",
    "highest": "highest record fastest strongest top",
    "strongest": "strongest highest record",
    "lowest": "lowest slowest weakest smallest fewest record",
    "weakest": "weakest lowest",
    "smallest": "smallest lowest fewest",
    "last": "last final",
    "always": "always",
}
# Changes, not comparisons: "higher in September than in October" says no more than "fell in October".
_UP = set("rose risen rise rises increase increased increases up raised raises gain gained climbed jumped grew".split())
_DOWN = set(
    "fell fallen fall falls decrease decreased decreases down cut cuts drop dropped reduced slid slipped".split()
)
_DECIDED = set(
    "agreed approved confirmed decided signed accepted passed ordered ruled awarded granted banned closed dropped "
    "scrapped cancelled admitted".split()
)
_TENTATIVE = set(
    "asked proposed proposal plan plans planned review consider considering may might could expected expects "
    "possible likely invited urged called calls suggested seek seeking denied threatens threatened".split()
)
_AUXILIARIES = {"has", "have", "had", "will"}
_FUTURE = {"will", "would", "shall"}  # "will announce"; and "is due to announce", "plans to announce"
_TO_COME = {"due", "plans", "plan", "planned", "expected", "set", "going", "intends", "aims", "hopes"}
_NOT_PAST = {"is", "are", "be", "been", "being", "will", "would", "to", "could", "may", "might", "can", "should"}
_ORDER = re.compile(
    r"(\d[\d,.]*)\s*%?[^.;]*?\b(less|lower|smaller|fewer|below|more|higher|bigger|larger|greater|above)\s+than\b"
    r"([^.;]*)"
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_FIRST_EVER = re.compile(r"\bfirst\b(?![^.;]*\bsince\b)[^.;]*\b(?:ever|history|time)\b", re.IGNORECASE)
_FIRST_SINCE = re.compile(r"\bfirst\b[^.;]{0,40}\bsince\b", re.IGNORECASE)
_CAUSE = re.compile(
    r"\b(?:because(?:\s+of)?|due\s+to|owing\s+to|as\s+a\s+result\s+of|thanks\s+to|caused\s+by|in\s+response\s+to)\b",
    re.IGNORECASE,
)
_LINKED = 0.6
"""Share of the content words of both the effect and the cause one stretch of the source must have to link them."""
_QUOTED = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
_QUOTE_MARKS = re.compile(r"[\"“”‘]|(?:^|\s)'|'(?:\s|$)")
SAY = r"(?:said|says|say|told|tells|warned|warns|argued|argues|added|adds|stated|insisted|wrote|according to)"
"""The verbs that attribute words to a speaker ("Sand said", "according to the board")."""
_SPEECH = re.compile(
    rf"\b(?:{SAY}|states|writes|claimed|claims|according|called|calls|described|describes|quoted)\b", re.IGNORECASE
)  # any sign that the sentence says who said it
_QUOTE_RUN = 6
"""Consecutive words of a quotation that make a sentence a repetition of it."""
_REVISION = re.compile(r"\b(from|to)\s+(?:about\s+|around\s+)?(\d[\d,.]*)")


def tokens(text: str) -> list[str]:
    """Lowercased words and numbers, with "n't" read as "not"."""
    lowered = text.lower().replace("’", "'").replace("cannot", "can not")
    return _TOKEN.findall(lowered.replace("n't", " not"))


_IRREGULAR_FORMS = {
    "fall": "fell fallen",
    "rise": "rose risen",
    "grow": "grew grown",
    "take": "took taken",
    "give": "gave given",
    "go": "went gone",
    "begin": "began begun",
    "write": "wrote written",
    "choose": "chose chosen",
    "see": "saw seen",
    "break": "broke broken",
    "speak": "spoke spoken",
    "win": "won",
    "lose": "lost",
    "pay": "paid",
    "make": "made",
    "leave": "left",
    "hold": "held",
    "keep": "kept",
    "tell": "told",
    "sell": "sold",
    "buy": "bought",
    "meet": "met",
    "run": "ran",
    "bring": "brought",
    "strike": "struck",
    "spend": "spent",
    "build": "built",
    "fight": "fought",
    "catch": "caught",
    "find": "found",
    "stand": "stood",
    "lead": "led",
    "flee": "fled",
    "drive": "drove",
    "send": "sent",
    "think": "thought",
}
_IRREGULAR = {form: base for base, forms in _IRREGULAR_FORMS.items() for form in forms.split()}


def stem(word: str) -> str:
    """A crude stem: enough to match "cuts" with "cut", "voted" with "vote", "notified" with "notify" and "fell"
    with "fallen"."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith(("ied", "ies")):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def number_value(text: str) -> str:
    """A number as a comparable string: "3,400" -> "3400", "4.0" -> "4", "7.20%" -> "7.2"."""
    value = text.rstrip("%").replace(",", "").rstrip(".")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value


def content(words: Iterable[str]) -> list[str]:
    """The words that carry meaning (no stop words or negations)."""
    return [w for w in words if w not in STOP and w not in NEGATIONS]


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses: split at semicolons and before conjunctions that start another claim; a piece with
    fewer than three content words stays with the one before it."""
    pieces = [p.strip(" ,") for p in _CLAUSE_BREAK.split(sentence) if p and p.strip(" ,")]
    merged: list[str] = []
    for piece in pieces:
        if merged and len(content(tokens(piece))) < 3:
            merged[-1] = f"{merged[-1]}, {piece}"
        else:
            merged.append(piece)
    if len(merged) > 1 and len(content(tokens(merged[0]))) < 3:
        merged[:2] = [f"{merged[0]}, {merged[1]}"]
    return merged or [sentence]


def source_sentences(text: str) -> list[str]:
    """The evidence's sentences (a headline line counts as one)."""
    found = []
    for line in text.split("\n"):
        found += [line[a:b] for a, b in sentence_spans(line)] or ([line] if line.strip() else [])
    return found


def about_the_same(claim: Sequence[str], sentence: Sequence[str], share: float = 0.5) -> bool:
    """True when the source sentence has at least `share` of the claim's content words (and two of them)."""
    wanted = {stem(w) for w in content(claim) if not w[0].isdigit()}
    if not wanted:
        return False
    found = wanted & {stem(w) for w in sentence}
    return len(found) >= min(2, len(wanted)) and len(found) >= share * len(wanted)


def negated_words(words: Sequence[str]) -> set[str]:
    """Stems of the words a negation applies to, up to the end of its clause ("no photos, messages or payment card
    data were involved" negates all of them; "would sign ... but would not campaign" negates only "campaign")."""
    negated: set[str] = set()
    scope = False
    for word in words:
        if word in NEGATIONS:
            scope = True
        elif word in {"but", "while", "although", "though", "however", "yet"}:
            scope = False
        elif scope and word not in STOP:
            negated.add(stem(word))
    return negated


def first_negated(words: Sequence[str]) -> set[str]:
    """Stems of the first content word after each negation: what a claim says is not so."""
    found = set()
    for i, word in enumerate(words):
        if word in NEGATIONS:
            after = [w for w in words[i + 1 : i + 5] if w not in _FILLER and w not in {"one", "longer"}]
            if after:
                found.add(stem(after[0]))
    return found


def negation_conflict(claim: Sequence[str], source: Sequence[str]) -> bool:
    """True when one side negates what the other states plainly ("would not sign" against "would sign", "has a
    veto" against "does not have a veto"). "No X since 1986" and "the last X was in 1986" agree."""
    if "since" in claim and {"last", "first"} & set(source):
        return False
    claim_negated, source_negated = negated_words(claim), negated_words(source)
    claim_plain = {w for w in content(claim) if stem(w) not in claim_negated}
    source_plain = {w for w in content(source) if stem(w) not in source_negated}
    said_not = first_negated(claim)
    if said_not and all(_among(w, source_plain) and not _among(w, source_negated) for w in said_not):
        return True
    denied = {w for w in first_negated(source) if _among(w, claim_plain)}
    return bool(denied) and not (set(claim) & NEGATIONS)


def _yet_to_come(before: Sequence[str]) -> bool:
    """True when the words before a verb put it in the future or make it only possible."""
    words = set(before[-2:])
    return bool(words & (_FUTURE | _TENTATIVE)) or ("to" in words and bool(set(before) & _TO_COME))


def _told_as_past(words: Sequence[str], index: int) -> bool:
    """True for a verb the claim tells in the past ("announced", not "are rerouted" or "will be announced")."""
    word = words[index]
    return len(word) > 4 and word.endswith("ed") and not set(words[max(0, index - 2) : index]) & _NOT_PAST


def _among(word: str, stems: set[str]) -> bool:
    return any(same_word(word, other) for other in stems)


WORD_NUMBERS = {
    w: str(i)
    for i, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
    if w != "_"
}
_ORDINALS = set("first second third fourth fifth sixth seventh eighth ninth tenth".split())
_BEFORE_THING = set(  # words between a number and what it counts: "9 million is set aside", "350 of the volunteers"
    "of its the their his her more new other additional extra is are was were be been being has have had".split()
)


def quantity(word: str) -> str | None:
    """The number a word stands for ("3,400", "three" -> "3"), or the ordinal itself; None for other words."""
    if word[0].isdigit():
        return number_value(word)
    if word in WORD_NUMBERS:
        return WORD_NUMBERS[word]
    return word if word in _ORDINALS else None


def counted_thing(words: Sequence[str], index: int) -> list[str]:
    """Stems of the words naming what the number at `index` counts ("350 signatures", "9 million set aside"):
    the words right after it, past units and articles, up to the first other function word."""
    thing: list[str] = []
    for word in words[index + 1 : index + 6]:
        if word in _UNITS or (word in _BEFORE_THING and not thing):
            continue
        if word in STOP or word in NEGATIONS or word in _NOT_A_THING or quantity(word) is not None or len(thing) == 2:
            break
        thing.append(stem(word))
    return thing


def _following(words: Sequence[str], index: int) -> list[str]:
    return [stem(w) for w in words[index + 1 : index + 8] if w not in _FILLER and not w[0].isdigit()][:3]


def _neighbours(words: Sequence[str], index: int) -> set[str]:
    after = [stem(w) for w in words[index + 1 : index + 8] if w not in _FILLER][:4]
    before = [stem(w) for w in words[max(0, index - 4) : index] if w not in _FILLER][-3:]
    return set(after) | set(before)


def misplaced_numbers(claim: Sequence[str], source: Sequence[str]) -> list[str]:
    """Numbers (and ordinals) the sentence gives for a thing the source counts with another number: "9 million
    for household grants" where the source has "6.3 million ... for the household grants, 9 million for repairs"."""
    wrong = []
    source_quantities = [quantity(w) for w in source]
    for i, word in enumerate(claim):
        value = quantity(word)
        if value is None or word == "one" or (len(value) == 4 and value[:2] in {"19", "20"}):
            continue  # "one" is seldom a count; a year names a time, not a quantity
        thing = counted_thing(claim, i)
        places = [j for j, v in enumerate(source_quantities) if v == value]
        if not thing or not places:
            continue  # nothing said about it, or not stated at all (another check's business)
        if any(same_word(a, b) for j in places for a in thing for b in _neighbours(source, j)):
            continue
        others = [j for j, v in enumerate(source_quantities) if v is not None and v != value and v != "1"]
        elsewhere = any(same_word(a, b) for j in others for a in thing for b in _neighbours(source, j))
        said = {stem(w) for w in claim}
        counts_another = all(  # what the source counts with this number is not in the sentence at all
            any(w not in said for w in _following(source, j)) for j in places
        )
        if elsewhere and counts_another:
            wrong.append(word)
    return wrong


def wrong_order(claim_text: str) -> bool:
    """True when the sentence compares numbers the wrong way ("7.2% is less than ... 9% and ... 4.5%")."""
    for match in _ORDER.finditer(claim_text):
        smaller = match.group(2) in {"less", "lower", "smaller", "fewer", "below"}
        try:
            left = float(number_value(match.group(1)))
            rights = [float(number_value(n)) for n in NUMBER.findall(match.group(3))]
        except ValueError:
            continue
        if any((left >= right) if smaller else (left <= right) for right in rights):
            return True
    return False


def revision_conflict(claim_text: str, source_text: str) -> bool:
    """True when the sentence revises a figure the other way round from the source ("from" and "to" swapped), or
    says it was revised "to" the figure the source gives as the earlier one."""
    claim = {(role, number_value(n)) for role, n in _REVISION.findall(claim_text.lower())}
    source = {(role, number_value(n)) for role, n in _REVISION.findall(source_text.lower())}
    other = {"from": "to", "to": "from"}
    return any((other[role], value) in source and (role, value) not in source for role, value in claim)


def stronger_words(claim: Sequence[str], source: Sequence[str]) -> list[str]:
    """Quantifiers and superlatives of the claim that the source does not use: "all" for "most", "record" for
    "biggest this season"."""
    text = " ".join(claim)
    source_words = set(source)
    return [
        word
        for word in dict.fromkeys(claim)
        if word in _STRONG
        and not (word == "all" and " all but " in f" {text} ")
        and not set(_STRONG[word].split()) & source_words
    ]


def direction(words: Sequence[str]) -> int:
    """+1 when the words say something went up, -1 down, 0 neither or both."""
    up, down = bool(set(words) & _UP), bool(set(words) & _DOWN)
    return int(up) - int(down)


def direction_conflict(claim: Sequence[str], related: Sequence[Sequence[str]]) -> bool:
    """True when the claim says a thing went up where the source sentences about it say down, or the reverse,
    and none of them says it the claim's way."""
    said = direction(claim)
    found = {direction(s) for s in related}
    return bool(said) and -said in found and said not in found


def told_as_decided(claim: Sequence[str], source: Sequence[str]) -> list[str]:
    """Decisions or deeds the claim reports where the source only has a plan, a request, a threat or a
    possibility ("has banned" for "proposed banning", "will raise" for "could raise", "admitted" for "denied")."""
    negated = negated_words(claim)
    hedged = {w for i, w in enumerate(claim) if set(claim[max(0, i - 2) : i]) & _TENTATIVE}
    done = [w for w in claim if w in _DECIDED] + predicates(claim)
    done = [w for w in done if w not in hedged and stem(w) not in negated]
    found = []
    for word in dict.fromkeys(done):
        if word in STOP or word in NEGATIONS:
            continue
        places = [i for i, w in enumerate(source) if same_word(w, word)]
        if (not places and word in _DECIDED and set(source) & _TENTATIVE) or (
            places and all(set(source[max(0, i - 2) : i]) & _TENTATIVE for i in places)
        ):
            found.append(word)
    for i, word in enumerate(claim):  # "announced" where the source has only "will announce"
        if word in found or not _told_as_past(claim, i) or stem(word) in negated:
            continue
        places = [j for j, w in enumerate(source) if same_word(w, word)]
        if places and all(_yet_to_come(source[max(0, j - 3) : j]) for j in places):
            found.append(word)
    return found


_ADVERBS = {"already", "also", "now", "just", "still", "since", "yet", "been", "being", "be", "not", "never", "finally"}


def predicates(words: Sequence[str], auxiliaries: Iterable[str] = _AUXILIARIES) -> list[str]:
    """The words that say what was done or will be: the first content word after "has", "had" or "will"."""
    found = []
    wanted = set(auxiliaries)
    for i, word in enumerate(words):
        if word in wanted:
            after = [w for w in words[i + 1 : i + 4] if w not in _ADVERBS]
            if after and after[0] not in STOP and not after[0][0].isdigit():
                found.append(after[0])
    return found


DEED_AUXILIARIES = frozenset({"has", "have", "had"})


_PASSIVE = frozenset({"was", "were", "been", "being", "be", "is", "are"})


def _participle(word: str) -> bool:
    return (word.endswith("ed") and len(word) > 4) or (word in _IRREGULAR and word.endswith(("en", "wn", "ne")))


def deeds(words: Sequence[str]) -> list[str]:
    """The words that say what has been done ("has dropped", "had fallen") or was done to someone ("was killed",
    "were evacuated"), unless negated."""
    negated = negated_words(words)
    done = predicates(words, DEED_AUXILIARIES) + [w for w in predicates(words, _PASSIVE) if _participle(w)]
    return [w for w in dict.fromkeys(done) if stem(w) not in negated]


def same_word(a: str, b: str) -> bool:
    """True for the same word in another form ("cut", "cuts"; "vote", "voted"; "reroute", "rerouted")."""
    first, second = stem(a), stem(b)
    if first == second or (len(a) > 4 and len(b) > 4 and a[:5] == b[:5]):
        return True
    short, long = sorted((first, second), key=len)
    return len(short) >= 3 and long.startswith(short) and len(long) - len(short) <= 2


def unlinked_cause(sentence: str, evidence: Sequence[Sequence[list[str]]]) -> str | None:
    """Why the sentence's "because" (due to, thanks to...) is not the source's: no sentence of the source (`evidence`:
    each cited text's sentences, as tokens), alone or with the one next to it, states both the effect and the cause
    (each read from a different place); None when one does or the sentence gives no cause."""
    match = _CAUSE.search(sentence)
    if not match:
        return None
    effect, cause = tokens(sentence[: match.start()]), tokens(sentence[match.end() :])
    if len(content(effect)) < 2 or len(content(cause)) < 2:
        return None
    for found in evidence:
        windows = [*found, *(a + b for a, b in pairwise(found))]
        if any(about_the_same(effect, w, _LINKED) and about_the_same(cause, w, _LINKED) for w in windows):
            return None
    return f"the source does not give “{sentence[match.start() :].strip(' .')}” as the reason"


QUOTATION_AS_FACT = "repeats a quotation as fact, without saying who said it"


def unattributed_quotation(sentence: str, evidence: Sequence[str]) -> bool:
    """True when the sentence repeats words the source puts in someone's mouth (a run of `_QUOTE_RUN` words of a
    quotation) as a plain fact: without quotation marks and without saying who said them."""
    if _QUOTE_MARKS.search(sentence) or _SPEECH.search(sentence):
        return False
    claim = tokens(sentence)
    runs = {tuple(claim[i : i + _QUOTE_RUN]) for i in range(len(claim) - _QUOTE_RUN + 1)}
    for text in evidence:
        for quoted in _QUOTED.findall(text):
            words = tokens(quoted[0] or quoted[1])
            if any(tuple(words[i : i + _QUOTE_RUN]) in runs for i in range(len(words) - _QUOTE_RUN + 1)):
                return True
    return False


def contradictions(sentence: str, evidence: Sequence[str]) -> list[str]:
    """Why the evidence (cited texts) contradicts the sentence, for each clause against every source sentence that
    is about the same thing; empty when nothing does."""
    found: list[str] = []
    if wrong_order(sentence):
        found.append("compares its numbers the wrong way round")
    source_text = "\n".join(evidence)
    if revision_conflict(sentence, source_text):
        found.append("revises the figure the other way round")
    if _FIRST_EVER.search(sentence) and not _FIRST_EVER.search(source_text) and _FIRST_SINCE.search(source_text):
        found.append("the source says “the first ... since”, not the first ever")
    by_text = [[tokens(s) for s in source_sentences(text)] for text in evidence]
    if cause := unlinked_cause(sentence, by_text):
        found.append(cause)
    if unattributed_quotation(sentence, evidence):
        found.append(QUOTATION_AS_FACT)
    sentences = [s for text in by_text for s in text]
    parts = clauses(sentence)
    for clause in parts:
        claim = tokens(clause)
        about = f" “{clause}”" if len(parts) > 1 else ""
        related = [s for s in sentences if about_the_same(claim, s)]
        touching = [s for s in sentences if about_the_same(claim, s, share=0.0)]  # two words in common
        if any(negation_conflict(claim, s) for s in touching):
            found.append(f"the source says the opposite{about}")
        if direction_conflict(claim, related):
            found.append(f"the source gives the opposite direction{about}")
        stronger = stronger_words(claim, [w for s in touching or sentences for w in s])
        if stronger:
            found.append("the source does not say " + ", ".join(f"“{w}”" for w in stronger))
        decided = {w for s in related for w in told_as_decided(claim, s)}
        if related and decided and all(told_as_decided(claim, s) for s in related):
            found.append("the source has a plan or request, not a decision: " + ", ".join(sorted(decided)))
    all_words = [w for s in sentences for w in s]
    numbers = misplaced_numbers(tokens(sentence), all_words)
    if numbers:
        found.append("the source gives " + ", ".join(numbers) + " for something else")
    return list(dict.fromkeys(found))
