"""Does an answer give what the question asks for? (pure logic)

A sentence can be true to its source and still not answer: "Who will they play in the semi-final?" answered with
"They will play in the semi-final." A "who" question needs a name the question does not already hold, a "when"
question a time, a "how many / how much" question a number; other questions are not checked.
"""

from __future__ import annotations

import re
from typing import Literal

from briefing.words import content_words

AnswerKind = Literal["who", "when", "how many"]

_WHO = re.compile(r"^\W*(?:who|whom|whose)\b|^\W*which (?:person|people|official|minister|company|team)\b", re.I)
_WHEN = re.compile(r"^\W*when\b|\bwhat (?:day|date|time|year|month)\b|^\W*by when\b", re.I)
_HOW_MANY = re.compile(r"\bhow (?:many|much)\b|\bwhat (?:percentage|share|number|proportion)\b", re.I)

_TIME_WORDS = set(
    """
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight morning afternoon
    evening night noon midnight week weeks weekend month months year years day days hour hours minute minutes
    january february march april may june july august september october november december jan feb mar apr jun jul
    aug sep sept oct nov dec spring summer autumn fall winter soon later earlier now am pm
    """.split()
)
_NUMBER_WORDS = set(
    """
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion
    dozen dozens half third quarter double twice all none no several few
    """.split()
)
# "How many people died in the strike?": what is counted, up to the first preposition or the end of the clause.
_COUNTED = re.compile(
    r"\bhow many\s+(.*?)(?=\s+(?:in|at|of|on|for|from|by|to|during|after|before|since|off|over|under|with|"
    r"according)\b|[,?;]|$)",
    re.I,
)
_ANY_COUNT = {"people", "times", "number"}
_STEM = 5
"""Letters two words must share at their start to count as the same word (died / dies, evacuated / evacuation)."""
_NOT_NAMES = set(
    """
    the a an it he she they we i this that these those there in on at for of and but or so as by with from to
    his her their its our after before when while if then also both each every some all no not
    """.split()
)


def expected_kind(question: str) -> AnswerKind | None:
    """What the question asks for, when it is one of the kinds that can be checked."""
    if _HOW_MANY.search(question):
        return "how many"
    if _WHEN.search(question):
        return "when"
    if _WHO.search(question):
        return "who"
    return None


def _tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,:]*", text)


def gives_expected_kind(question: str, answer: str) -> bool:
    """True when the answer holds a name, time or number (as the question needs) that the question does not."""
    kind = expected_kind(question)
    if kind is None:
        return True
    asked = {t.lower() for t in _tokens(question)}
    new = [t for t in _tokens(answer) if t.lower() not in asked]
    if kind == "how many":
        return any(t[0].isdigit() or t.lower() in _NUMBER_WORDS for t in new) and counts_what_was_asked(
            question, answer
        )
    if kind == "when":
        return any(t[0].isdigit() or t.lower().replace(".", "") in _TIME_WORDS for t in new) or bool(
            re.search(r"\b[ap]\.m\.", answer)
        )
    return any(t[0].isupper() and t.lower() not in _NOT_NAMES | _TIME_WORDS for t in new)


def counted(question: str) -> set[str]:
    """The words of what a "how many" question counts ("people died" gives "died"); empty for other questions."""
    found = _COUNTED.search(question)
    return content_words(found.group(1)) - _ANY_COUNT if found else set()


def counts_what_was_asked(question: str, answer: str) -> bool:
    """True when the answer speaks of what the question counts (a number of strikers is no number of deaths)."""
    wanted = {w[:_STEM] for w in counted(question)}
    return not wanted or bool(wanted & {w[:_STEM] for w in content_words(answer)})
