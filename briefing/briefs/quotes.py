"""Who said what: the attributed direct quotations of a story's articles, each checked verbatim (pure logic).

A quotation counts when its speaker is named next to it (`"…," Ann Holt said.`, `said Ann Holt, the mayor`,
`Holt said: "…"`, `according to Holt, "…"`), when it is a sentence of its own right after one ending in its speaker's
attribution (`"…," Holt said. "…"`), or when its "he" or "she" can only be one person: the one named in the two
sentences before, whom the article has shown as a person, with no one of the other sex spoken of there. A wrong speaker
is worse than a missing quote, so anything less clear is skipped: unnamed speakers ("a spokesperson", "officials"),
quotes given to two people at once, words another person is reported to have said, quotes of fewer than four or more
than sixty words (scare quotes, slogans), quotations in the headline and quotations running over a paragraph break.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from briefing.ingest.articles import Article, normalise_text
from briefing.ingest.chunking import sentence_spans

MIN_WORDS, MAX_WORDS = 4, 60
SUBSTANTIVE_WORDS = range(8, 41)
"""Quote lengths worth showing first: long enough to say something, short enough to read at a glance."""

# ---- the grammar of an attribution ------------------------------------------------------------------------------

_VERB = (
    r"(?:said|says|told|tells|added|adds|wrote|writes|posted|warned|warns|argued|argues|stated|declared|insisted|"
    r"insists|noted|notes|asked|asks|explained|explains|continued|recalled|replied|responded|tweeted|admitted|"
    r"acknowledged|conceded|cautioned|stressed|urged|remarked|concluded)\b"
)
_ADVERB = r"(?:also|later|then|previously|once|again|earlier|further|had|has|have|[a-z]+ly)"
_CAP = "A-ZÀ-ÖØ-Þ"
_LETTER = r"(?:[^\W_]|[\u0300-\u036f])"  # combining accents too: "André" may be written "Andre" + U+0301
_ABBREVIATED = r"(?:Dr|Mr|Mrs|Ms|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|Adm|Prof|Rev|Jr|Sr|St|Maj|Cmdr|Supt|Det|Insp)\."
# One word of a name: "Holt", "O'Brien", "Jean-Pierre", "J.D.", "Dr.", "AT&T"; never a possessive ("Holt's") nor a
# web address ("History.com").
_TOKEN = (
    rf"(?:{_ABBREVIATED}|(?:[{_CAP}]\.){{1,3}}|[{_CAP}]+&[{_CAP}]+|"
    rf"[{_CAP}]{_LETTER}*(?:-{_LETTER}+|['’](?!s\b){_LETTER}+)*)(?![\w'’&-]|\.\w)"
)
_CONNECTOR = r"(?:of|for|de|da|del|della|di|van|von|der|den|du|le|la|bin|ibn)"
_SPACE = r"[^\S\n]+"
_NAME = rf"(?<![\w'’.-])(?:[Tt]he{_SPACE})?{_TOKEN}(?:{_SPACE}(?:{_CONNECTOR}{_SPACE}){{0,2}}{_TOKEN}){{0,6}}"
# A subject may have "and" in its title: "Fish and Wildlife Police Capt. Mike Sprecher" (never two people: see
# `_split_name`).
_SUBJECT = (
    rf"(?<![\w'’.-])(?:[Tt]he{_SPACE})?{_TOKEN}(?:{_SPACE}(?:(?:{_CONNECTOR}|and|&){_SPACE}){{0,2}}{_TOKEN}){{0,8}}"
)
_PREPOSITION = r"(?:in|on|at|of|from|to|during|after|before|while|when|as|who|for|with|about|last|this|the)\b"
# A name ending a sentence ends there: not "said AT&T spokesman Mark Giga", "said Democratic state Rep. Ely".
_NAME_ENDS = rf"(?!\s*['’]|{_SPACE}(?:and|&){_SPACE}|{_SPACE}[{_CAP}]|{_SPACE}(?!{_PREPOSITION}|{_ADVERB}\b)[a-z])"
_ROLE = r"(?:[^,;:\"“”()!?.]|\.(?=[^\s,])){1,80}"  # at the end of a sentence: "…," said Ann Holt, the mayor.
_ROLE_INSIDE = r"[^,;:\"“”()!?]{1,80}"  # between commas: Ann Holt, chief executive of Acme Inc., said
_PRONOUN = r"(?P<pronoun>[Hh]e|[Ss]he)"
_FREE = (
    r"(?!(?:that|who|which|whom|whose|when|while|because|if|and|but|as|whether|how|why|what|where)\b)[^\s,:;\"“”!?]+"
)
# What may stand between the verb and the quote or the end of the sentence: "in a statement", "to reporters on
# Tuesday", "the BBC", "Reuters" - but not a clause ("said the protesters chanted"), whose speaker is someone else.
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_COMPLEMENT = (
    r"(?:\s+(?:(?:on|in|at|to|during|after|before|from|via|outside|inside|with|of|for|late|earlier|later|this|last|"
    r"yesterday|today|tonight|reporters|journalists|lawmakers|supporters|me|us|him|her|them)\b|the\s+[A-Z]|"
    rf"[{_CAP}])[^\s,:;\"“”!?]*(?:\s+{_FREE}){{0,6}})?"
)
_LEAD = r"[\s,]*(?:[—–-]+\s*)?"
_LOWER_TITLE = r"(?:(?P<lower_title>spokes(?:person|man|woman)|chief executive|ceo|chairman|chairwoman|director)\s+)?"
_SAYS = rf"(?:{_ADVERB}\s+)?{_VERB}"
_SAID_BY = (  # verbs whose object is not the listener: "said Holt", but not "told Holt"
    rf"(?:{_ADVERB}\s+)?(?:said|says|added|adds|wrote|writes|posted|argued|argues|stated|declared|insisted|insists|"
    r"noted|notes|explained|explains|continued|recalled|replied|responded|tweeted|admitted|acknowledged|conceded|"
    r"cautioned|stressed|remarked|concluded)\b"
)
_THEN_END = rf"(?P<rest>{_COMPLEMENT}\s*[.!]\s*(?:$|[{_CAP}\"“]))?"

_TAIL = [  # matched at the start of the text after a quotation
    re.compile(rf"{_LEAD}{_SAID_BY}\s+(?P<name>{_NAME}){_NAME_ENDS}(?:,\s*(?P<role>{_ROLE})(?=[,;]|\.(?:\s|$)|$))?"),
    re.compile(rf"{_LEAD}{_LOWER_TITLE}(?P<name>{_SUBJECT})(?:,\s*(?P<role>{_ROLE_INSIDE}),)?\s+{_SAYS}{_THEN_END}"),
    re.compile(rf"{_LEAD}according\s+to\s+(?P<name>{_NAME}){_NAME_ENDS}"),
    re.compile(rf"{_LEAD}{_PRONOUN}\s+{_SAYS}{_THEN_END}"),
]
_HEAD_END = rf"(?:{_COMPLEMENT}\s*[,:]|\s+that|)\s*$"
_HEAD = [  # matched at the end of the sentence's text before a quotation
    re.compile(rf"(?P<name>{_SUBJECT})(?:,\s*(?P<role>{_ROLE_INSIDE}),)?\s+{_SAYS}{_HEAD_END}"),
    re.compile(rf"[Aa]ccording\s+to\s+(?P<name>{_NAME})(?:,\s*(?P<role>{_ROLE_INSIDE}))?,\s*$"),
    re.compile(rf"(?<!\w){_PRONOUN}\s+{_SAYS}{_HEAD_END}"),
]
_PREVIOUS = [  # matched at the end of the sentence before a quotation that is a sentence of its own
    re.compile(rf"(?P<name>{_SUBJECT})(?:,\s*(?P<role>{_ROLE_INSIDE}),)?\s+{_SAYS}{_COMPLEMENT}\.\s*$"),
    re.compile(rf"{_SAID_BY}\s+(?P<name>{_NAME})(?:,\s*(?P<role>{_ROLE}))?\.\s*$"),
    re.compile(rf"(?<!\w){_PRONOUN}\s+{_SAYS}{_COMPLEMENT}\.\s*$"),
]
_ANY_ATTRIBUTION = [  # anywhere: who the article has already shown speaking
    re.compile(rf"(?P<name>{_NAME}),\s+{_SAYS}"),
    re.compile(rf"(?P<name>{_SUBJECT})(?:,\s*{_ROLE_INSIDE},)?\s+{_SAYS}"),
    re.compile(rf"{_SAID_BY}\s+(?P<name>{_NAME}){_NAME_ENDS}"),
    re.compile(rf"according\s+to\s+(?P<name>{_NAME})"),
]
# A name right after one of these is not the subject: "a letter to Holt said", "Holt and Lund said".
_NOT_BEFORE_SPEAKER = set(
    "of and or nor to from with by for about against than like what whom whose at on in into onto upon over under "
    "between among toward towards versus vs & told asked".split()
)
_NOT_A_ROLE = r"(?:who|which|when|while|after|before|as|asked|in|at|on|during|[a-z]+ing)\b"  # "…, when asked, said"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")

# ---- what a name is made of -------------------------------------------------------------------------------------

_TITLE_WORDS = set(
    "President President-elect Vice Prime Minister Premier Chancellor Secretary Sen. Senator Rep. Representative "
    "Gov. Governor Lt. Mayor Dr. Mr. Mrs. Ms. Miss Prof. Professor Judge Justice Chief Gen. General Adm. Admiral "
    "Col. Colonel Capt. Captain Sgt. Sergeant Maj. Major Commissioner Sheriff Speaker Leader Pope King Queen Prince "
    "Princess Sir Dame Lord Lady Coach Director Chair Chairman Chairwoman Ambassador Attorney Rev. Reverend Bishop "
    "Archbishop Cardinal Rabbi Imam Officer Detective Det. Inspector Superintendent Councilman Councilwoman "
    "Councillor Councilor Assemblyman Assemblywoman Treasurer Comptroller CEO Executive Founder Deputy Spokesperson "
    "Spokesman Spokeswoman Manager Whip Envoy Commander Cmdr. Supt. Insp. Selectman Selectwoman Meteorologist Member "
    "Principal Assemblywomen Assemblymember CFO COO CTO Prosecutor Secretary-General Warden Administrator Analyst "
    "Congressman Congresswoman Count Countess Duke Duchess Baroness Baron Commissioner Trooper Deputy Mr Mrs Ms "
    "Dr".split()
)
_ORGANISATION_WORDS = set(
    "House Court Department Ministry University Party Council Committee Agency Bank Company Inc Inc. Corp Corp. Co. "
    "Group Association Union Congress Senate Parliament Street Avenue Road County City State States Republic Kingdom "
    "Airport Hospital School College Center Centre Institute Foundation Fund Office Service Services Police Army Force "
    "Forces Navy Guard Times News Journal Network Club League Cup Games Station River Lake Island Islands "
    "Motors Electric Mills Dynamics Airlines Media Press Television Radio Administration Authority Commission Board "
    "Bureau Cabinet Government Church Museum Library Tower Square Bridge Festival Awards Prize Series Show "
    "Conference Summit Act Plan Program Programme Project Initiative Watch Labs Technologies Systems Capital "
    "Partners Holdings International Global National Federal Democrats Republicans Assembly World Olympics Coast "
    "Valley Beach Bay Harbor Harbour Port Strip Bank Sea Ocean Gulf Region Province District Network Studios "
    "Records Pictures Entertainment Health Care Security Council Reserve Exchange Market Markets Energy Oil Gas "
    "Hurricane Storm Typhoon Cyclone Tropical Mountain Mountains Hills Falls Springs Heights Village Town Township "
    "Zone Ltd Ltd. LLC PLC AG".split()
)
_PLACE_STARTS = set(
    "New Los Las Des San Santa Saint St. North South East West Northern Southern Eastern Western Central United Great "
    "Upper Lower Mount Fort Cape El".split()
)
_MONTHS = "January February March April May June July August September October November December".split()
_CALENDAR = {*_DAYS.split("|"), *(month for month in _MONTHS if month != "May")}  # Theresa May is a name
_OPENERS = {  # capitalised words that open a sentence before a name: "On Tuesday Ann Holt said"
    *"A An And But So Yet Or Nor Then Later Earlier Also Meanwhile However Still Now When While After Before Last "
    "This That These Those There Here It Its He She They We I You His Her Their Our Your Who What Why How Where In "
    "On At For From With By As If Asked Speaking Writing Separately Instead Today Yesterday Tonight Although Though "
    "Because Since Until Unless Whether During Despite Like Unlike Even Just Only Each Every Another Would Could "
    "Should Will Can Did Does Do Is Was Are Were Has Have Had Not No Yes Well Oh Please Thanks Why More Less Most "
    "Few Several Some Any All".split(),
    *_MONTHS,
    *_DAYS.split("|"),
}
_GROUPS = set(  # capitalised words naming a group or a side, never one speaker: "Officials said", "Democrat Ann Holt"
    "Officials Police Authorities Investigators Prosecutors Researchers Scientists Doctors Residents Witnesses Critics "
    "Supporters Opponents Analysts Economists Experts Sources Others Some Many Most Both Neither Everyone Nobody "
    "People Organizers Organisers Officers Parents Students Fans Users Customers Viewers Readers Lawmakers Leaders "
    "Members Staff Employees Workers Protesters Activists Advocates Observers Commentators Voters Agents Troops "
    "Soldiers Lawyers Attorneys Judges Regulators Forecasters Meteorologists Firefighters Rescuers Survivors Victims "
    "Families Relatives Neighbors Neighbours Friends Colleagues Teammates Players Coaches Democrat Democrats "
    "Democratic Republican Republicans Independent Conservative Conservatives Labour Liberal Liberals American "
    "Americans British Britons Canadian Mexican Chinese Russian Russians Ukrainian Ukrainians Israeli Israelis "
    "Palestinian Palestinians Iranian Indian Japanese Korean Australian Irish Scottish French German Italian Spanish "
    "Polish Brazilian European African Syrian Turkish Saudi Afghan Iraqi Lebanese Egyptian".split()
)
# After a person opening a sentence: an appositive or a verb ("Ann Holt, 54, …", "Ann Holt toured …"), not a noun
# ("Des Moines police …").
_ACTS = re.compile(
    r",|\s+(?:is|was|has|had|have|will|would|could|can|did|does|also|who|never|still|[a-z]+ed|said|says|told|wrote|"
    r"made|took|gave|went|came|ran|won|lost|met|left|spent|began|became|saw|knew|thought|felt|led|built)\b"
)
_PLURAL_ENDINGS = ("ers", "ists", "ians", "ents", "ants")  # "Honeymooners Tiera Coleman" -> "Tiera Coleman"
_KNOWN_PLACES = {"Hong Kong", "Sri Lanka", "Costa Rica", "Puerto Rico", "Saudi Arabia", "Middle East", "Wall Street"}


@dataclass(frozen=True)
class Quote:
    """Words a named speaker said, as one article quotes them: `article.body[start:end] == words`."""

    speaker: str  # "Ann Holt", "the Pentagon": the name without its title
    words: str  # verbatim, without the quotation marks (and without the comma that closes a quote mid-sentence)
    article: Article
    start: int
    end: int
    title: str = ""  # what came before the name: "Prime Minister", "Sen."
    role: str = ""  # the description beside it: "the company's chief executive"

    @property
    def outlet(self) -> str:
        """The outlet that printed the quote."""
        return self.article.source


@dataclass(frozen=True)
class _Speaker:
    name: str
    title: str = ""
    role: str = ""


@dataclass(frozen=True)
class _Mark:
    """A quotation in the body: the offsets of its opening and closing marks and of its paragraph."""

    open: int
    close: int
    paragraph_start: int
    paragraph_end: int


@dataclass(frozen=True)
class _Text:
    """An article body read once for names: its sentences, the people it names and whom it shows speaking."""

    body: str
    sentences: list[tuple[int, int]]
    people: list[tuple[int, str, str, bool]]  # offset, title, name, whether the name opens a sentence
    speaking: list[tuple[int, str]]  # offset, the speaker's last word ("Holt said", "said Ann Holt")

    @classmethod
    def read(cls, body: str) -> _Text:
        people = []
        for at, title, name in _people(body):
            opens = not title and re.search(r"(?:^|\n|[.!?][\"'”’)\]]*\s+)$", body[max(at - 4, 0) : at]) is not None
            acts = _ACTS.match(body, at + len(name)) is not None
            people.append((at, title, name, opens and acts))
        speaking = [
            (found.start(), split[1].split()[-1])
            for pattern in _ANY_ATTRIBUTION
            for found in pattern.finditer(body)
            if (split := _split_name(found.group("name"))) is not None
        ]
        return cls(body, sentence_spans(body), people, speaking)

    def known_people(self, before: int) -> dict[str, tuple[str, str]]:
        """Surname -> (title, full name) of the people named before `before` and shown as people: with a title,
        speaking, or the subject opening a sentence ("Ann Holt toured …"); a surname two people share is left out."""
        speakers = {surname for at, surname in self.speaking if at < before}
        names: dict[str, dict[str, str]] = {}
        shown = set()
        for at, title, name, opens in self.people:
            if at < before:
                titles = names.setdefault(name.split()[-1], {})
                titles[name] = titles.get(name) or title
                if title or opens or name.split()[-1] in speakers:
                    shown.add(name.split()[-1])
        known = {}
        for surname in shown:
            titles = names[surname]
            full = [name for name in titles if " " in name] or list(titles)
            if len(full) == 1:
                known[surname] = (titles[full[0]] or next((t for t in titles.values() if t), ""), full[0])
        return known


# ---- finding quotes ---------------------------------------------------------------------------------------------


def find_quotes(article: Article) -> list[Quote]:
    """The direct quotations of an article whose speaker is named, in body order (each passes `is_verbatim`)."""
    body = article.body
    text = _Text.read(body)
    marks = [mark for mark in _quotation_marks(body) if not _is_headline(article, mark)]
    quotes = []
    for index, mark in enumerate(marks):
        start, end = _inside(body, mark)
        if not MIN_WORDS <= len(body[start:end].split()) <= MAX_WORDS:
            continue
        next_open = marks[index + 1].open if index + 1 < len(marks) else len(body)
        previous_close = marks[index - 1].close + 1 if index else 0
        speaker = _attribute(text, mark, previous_close, next_open)
        if speaker is None:
            continue
        quote = Quote(speaker.name, body[start:end], article, start, end, speaker.title, speaker.role)
        if is_verbatim(quote):
            quotes.append(quote)
    return quotes


def _quotation_marks(body: str) -> Iterator[_Mark]:
    """Matched quotation marks, paragraph by paragraph; a quotation left open at a paragraph's end (a quote running
    on to the next paragraph) is dropped with its continuation."""
    carried = False
    for paragraph in re.finditer(r"[^\n]+", body):
        opened: int | None = None
        continuation = False
        for found in re.finditer(r"[\"“”]", paragraph.group()):
            at = paragraph.start() + found.start()
            if opened is None and (body[at] == "“" or _opens(body, at)):
                opened = at
                continuation = carried and not paragraph.group()[: found.start()].strip()
            elif opened is not None and body[at] == "“" and _opens(body, at):
                opened, continuation = at, False  # the quotation before was never closed
            elif opened is not None:
                if not continuation:
                    yield _Mark(opened, at, paragraph.start(), paragraph.end())
                opened = None
        carried = opened is not None


def _opens(body: str, at: int) -> bool:
    before = body[at - 1] if at else " "
    after = body[at + 1] if at + 1 < len(body) else " "
    return (before.isspace() or before in "([—–-/") and not after.isspace()


def _inside(body: str, mark: _Mark) -> tuple[int, int]:
    start, end = mark.open + 1, mark.close
    while start < end and body[start].isspace():
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] == ","):
        end -= 1
    return start, end


def _is_headline(article: Article, mark: _Mark) -> bool:
    paragraph = normalise_text(article.body[mark.paragraph_start : mark.paragraph_end])
    return bool(paragraph) and paragraph == normalise_text(article.title)


def _attribute(text: _Text, mark: _Mark, previous_close: int, next_open: int) -> _Speaker | None:
    """The speaker named after the quotation or before it in its sentence (none when the two disagree), else by
    the sentence before when the quotation is a sentence of its own."""
    body = text.body
    tail = body[mark.close + 1 : min(next_open, mark.paragraph_end)]
    head, previous = _last_sentence(body[max(previous_close, mark.paragraph_start) : mark.open])
    ends_sentence = bool(_SENTENCE_END.search(body[mark.open + 1 : mark.close].rstrip()))
    after, ahead = _match_tail(tail, ends_sentence), _match_end(_HEAD, head)
    if after is not None and ahead is None and re.search(rf"\b{_VERB}", head):
        after = None  # 'Lund said Holt told him to "…," according to the paper': the words are Holt's
    found = [m for m in (after, ahead) if m is not None]
    stands_alone = not head.strip() and (ends_sentence or re.match(r"\s*(?:[.!?]|$)", tail) is not None)
    if not found and stands_alone and previous.strip():
        found = [m for m in [_match_end(_PREVIOUS, previous)] if m is not None]
    speakers = {_speaker(m, text, mark, head + tail) for m in found}
    return speakers.pop() if len(speakers) == 1 else None


def _last_sentence(text: str) -> tuple[str, str]:
    """The unfinished sentence at the end of `text` (the one a quotation opens inside) and the sentence before it."""
    spans = sentence_spans(text)
    if not spans:
        return "", ""
    last = text[spans[-1][0] : spans[-1][1]]
    if _SENTENCE_END.search(last):
        return "", last
    return last, text[spans[-2][0] : spans[-2][1]] if len(spans) > 1 else ""


def _match_tail(tail: str, ends_sentence: bool) -> re.Match[str] | None:
    """An attribution opening the text after a quote; after a quoted full stop it must be a sentence of its own
    ("…." Holt said.), not the subject of a new one ("…." Holt said the town …)."""
    for pattern in _TAIL:
        found = pattern.match(tail)
        if found is None:
            continue
        if ends_sentence and "rest" in found.groupdict() and found.group("rest") is None:
            return None
        return found
    return None


def _match_end(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    """An attribution closing `text` whose name is the subject: not "a letter to Holt said", "the Sheriff's Office
    said" or "a Tyler, Texas, businessman, said"."""
    if not text.strip():
        return None
    for pattern in patterns:
        found = pattern.search(text)
        if found is None:
            continue
        if "name" in found.groupdict() and found.start("name") == found.start():
            before = text[: found.start()]
            word = before.split()[-1] if before.split() else ""
            if word.lower() in _NOT_BEFORE_SPEAKER or word.endswith(("'s", "’s")):
                return None
            listed = re.search(rf"([{_CAP}]\w*),\s*$", before)
            if listed and listed.group(1) not in _OPENERS:
                return None
        return found
    return None


def _speaker(found: re.Match[str], text: _Text, mark: _Mark, around: str) -> _Speaker | None:
    if pronoun := found.groupdict().get("pronoun"):
        return _resolve_pronoun(text, mark, pronoun, around)
    split = _split_name(found.group("name"))
    if split is None:
        return None
    title, name = split
    groups = found.groupdict()
    if not title and groups.get("lower_title"):
        title = groups["lower_title"]
    role = (groups.get("role") or "").strip()
    if re.search(r"\b(?:[A-Z]\.)+[A-Z]$", role):
        role += "."  # "at J.D." stopped before its last full stop
    return _full_name(text, _Speaker(name, title, role if _is_role(role) else ""), mark.open)


def _is_role(role: str) -> bool:
    return bool(role) and not role.isdigit() and not re.match(_NOT_A_ROLE, role)


def _split_name(text: str) -> tuple[str, str] | None:
    """(title, name) of a run of capitalised words, or None when it names nobody ("Officials", "the President")."""
    words = text.split()
    article = words.pop(0) if words[0] in ("the", "The") else ""
    while words and words[0] in _OPENERS:  # "On Tuesday Ann Holt" -> "Ann Holt"
        words.pop(0)
    while words and words[-1] in _CALENDAR:  # "said Holt Tuesday"
        words.pop()
    last_title = max((i for i, word in enumerate(words) if word in _TITLE_WORDS), default=-1)
    if 0 <= last_title < len(words) - 2 and words[last_title + 1] in ("of", "for"):
        last_title += 2  # "Secretary of State Marco Rubio", "Director of National Intelligence Tulsi Gabbard"
        while last_title < len(words) - 3:
            last_title += 1
    title, name = words[: last_title + 1], words[last_title + 1 :]
    if title and any(word in _ORGANISATION_WORDS for word in name):
        title, name = [], words  # "General Motors", "Justice Department"
    while len(name) > 1 and (name[0] in _GROUPS or (len(name) > 2 and name[0].endswith(_PLURAL_ENDINGS))):
        name.pop(0)  # "Democrat Muffy Davis" -> "Muffy Davis"
    if not title and len(name) > 2 and name[0].endswith("ist"):
        title = [name.pop(0)]  # "Percussionist Shannon Powell"
    for connector in ("of", "for"):
        if connector in name and not any(word in _ORGANISATION_WORDS | _TITLE_WORDS for word in name):
            name = name[: name.index(connector)]  # "Ann Holt of Acme" -> "Ann Holt"
    if not name or name[0] in _GROUPS | _OPENERS or "and" in name:
        return None  # nobody, a group, or two people ("Holt and Lund")
    if article and not title:
        if (len(name) == 1 and name[0] in _ORGANISATION_WORDS) or name[-1] in _GROUPS:
            return None  # "the Board", "the University", "the Virginia Democrat"
        name = [article, *name]  # "the Pentagon", as written
    return " ".join(title), " ".join(name)


def _full_name(text: _Text, speaker: _Speaker, before: int) -> _Speaker:
    """A speaker named by surname alone ("Holt") gets the full name the article gave earlier ("Ann Holt", title
    and all), when only one person of that surname was named."""
    if " " in speaker.name or speaker.name not in (known := text.known_people(before)):
        return speaker
    title, name = known[speaker.name]
    return _Speaker(name, speaker.title or title, speaker.role)


def _people(text: str) -> list[tuple[int, str, str]]:
    """(offset, title, name) of the people named in `text`: a title and a name ("President Holt"), or two to four
    capitalised words that name no place or organisation ("Ann Holt")."""
    found = []
    for run in re.finditer(_NAME, text):
        split = _split_name(run.group())
        if split is None or split[1].lower().startswith("the "):
            continue
        title, name = split
        words = name.split()
        if any(word in _ORGANISATION_WORDS or _is_acronym(word) for word in words):
            continue
        if title or (2 <= len(words) <= 4 and words[0] not in _PLACE_STARTS and name not in _KNOWN_PLACES):
            found.append((run.start() + run.group().rindex(name), title, name))
    return found


def _other_gender(pronoun: str, text: str) -> bool:
    """Whether `text`, outside its quotations, speaks of someone as "his" when the quote says "she" (or the other
    way round): someone else is there, or the one person named is not the speaker ("…, Holt said, shaking his
    head. One mother … “…,” she said.")."""
    other = (
        r"\b(?:[Hh]er|[Hh]ers|[Ss]he|[Hh]erself)\b"
        if pronoun.lower() == "he"
        else r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself)\b"
    )
    return re.search(other, re.sub(r"[\"“][^\"“”]*[\"”]", " ", text)) is not None


def _is_acronym(word: str) -> bool:
    """An organisation's initials ("NASA"), not a Roman numeral ("Leo XIV")."""
    return word.isalpha() and word.isupper() and len(word) > 1 and not re.fullmatch("[IVXL]+", word)


def _resolve_pronoun(text: _Text, mark: _Mark, pronoun: str, around: str) -> _Speaker | None:
    """The person a "he"/"she" speaker is: the only person named in the two sentences before (a surname counts for
    the person named earlier), when the quotation's own sentence names nobody and the article has shown that
    person as a person (see `_Text.known_people`)."""
    if _people(around):
        return None
    sentences = text.sentences
    index = bisect.bisect_right([start for start, _ in sentences], mark.open) - 1
    window_start, window_end = sentences[max(index - 2, 0)][0], sentences[max(index, 0)][0]
    earlier = text.body[window_start:window_end]
    known = text.known_people(mark.open)
    named = {name for _, _, name in _people(earlier) if " " in name}  # "Bobby Slaton" and "Tiffany Slaton": two
    named |= {known[word][1] for word in re.findall(_TOKEN, earlier) if word in known}
    named |= {word for at, word in text.speaking if window_start <= at < window_end and word not in known}  # "Josie"
    if len(named) != 1 or (surname := named.pop().split()[-1]) not in known or _other_gender(pronoun, earlier):
        return None
    title, name = known[surname]
    return _Speaker(name, title)


# ---- checking and choosing --------------------------------------------------------------------------------------


def is_verbatim(quote: Quote) -> bool:
    """The quote's words are exactly the article's at its offsets, and its speaker is named nearby (the sentences
    of the quote, the one after, or the two before, where the person of a "she said" is named)."""
    body = quote.article.body
    if not quote.words or body[quote.start : quote.end] != quote.words:
        return False
    sentences = sentence_spans(body)
    starts = [start for start, _ in sentences]
    first = max(bisect.bisect_right(starts, quote.start) - 1, 0)
    last = max(bisect.bisect_right(starts, quote.end - 1) - 1, 0)
    window_start = sentences[max(first - 2, 0)][0]
    window_end = sentences[min(last + 1, len(sentences) - 1)][1]
    around = body[window_start : quote.start] + " " + body[quote.end : window_end]
    name = quote.speaker.removeprefix("the ").removeprefix("The ")
    return re.search(rf"(?<!\w){re.escape(name.split()[-1])}(?!\w)", around) is not None


def best_quotes(articles: Sequence[Article], limit: int = 3) -> list[Quote]:
    """The story's quotes worth showing: one per speaker first, then more; ranked by a substantive length
    (8-40 words), then by how many outlets printed the same words (taken once: the newest copy), then by the newest
    article, then by length."""
    groups: list[list[Quote]] = []  # the same words of one speaker, or a part of them, in any outlet
    for quote in sorted((q for a in articles for q in find_quotes(a)), key=lambda q: -len(_words_key(q))):
        group = next((g for g in groups if _same_words(quote, g[0])), None)
        if group is None:
            groups.append([quote])
        else:
            group.append(quote)
    ranked = [_representative(group) for group in sorted(groups, key=_rank, reverse=True)]
    chosen: list[Quote] = []
    for quote in ranked:
        if _speaker_key(quote) not in {_speaker_key(q) for q in chosen}:
            chosen.append(quote)
    chosen += [quote for quote in ranked if quote not in chosen]
    return chosen[:limit]


def _same_words(quote: Quote, longer: Quote) -> bool:
    return _speaker_key(quote) == _speaker_key(longer) and _words_key(quote) in _words_key(longer)


def _representative(group: list[Quote]) -> Quote:
    """The fullest version of the words, from the newest article."""
    return max(group, key=lambda q: (len(q.words), _moment(q.article)))


def _rank(group: list[Quote]) -> tuple[bool, int, float, int]:
    longest = max(len(q.words.split()) for q in group)
    outlets = len({q.outlet for q in group})
    return longest in SUBSTANTIVE_WORDS, outlets, max(_moment(q.article) for q in group), longest


def _words_key(quote: Quote) -> str:
    return " " + normalise_text(quote.words) + " "


def _speaker_key(quote: Quote) -> str:
    return quote.speaker.lower().removeprefix("the ").split()[-1]


def _moment(article: Article) -> float:
    """Seconds since the epoch of the article's publication (naive times read as UTC; undated articles oldest)."""
    when = article.published
    if when is None:
        return float("-inf")
    if not isinstance(when, datetime):
        when = datetime.combine(when, time.min)
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
