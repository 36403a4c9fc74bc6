"""Answering, as one flow: understand the question in its conversation, retrieve, draft (whole or streamed),
check. A plain question, a streamed chat turn and a multiple-choice question differ only in their steps' details.

question ─► standalone question ─► passages ─► nothing close? "not in the articles"
         ─► prompt ─► the model's draft (streamed or whole) ─► checked against the cited spans ─► Answer
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from briefing.answer.checking import verify_draft
from briefing.answer.conversation import (
    DraftReader,
    Exchange,
    needs_context,
    parse_standalone,
    standalone_messages,
    standalone_schema,
)
from briefing.answer.evidence import (
    Candidate,
    about_something_else,
    best_candidates,
    candidates_of,
    evidence_draft,
    parse_selection,
    picked,
    selection_schema,
    unnamed,
)
from briefing.answer.prompting import answer_messages, choice_messages, selection_messages
from briefing.answer.replies import choice_schema, parse_choice, parse_reply, reply_schema
from briefing.answer.second_look import second_look
from briefing.answer.types import Answer, DraftAnswer
from briefing.index.store import ArticleStore, Filters
from briefing.providers import ChatModel, Embedder, Message
from briefing.search.passages import Passage
from briefing.search.retrieval import looks_unrelated, passages_for
from briefing.settings import Settings

_UNBOUNDED = 1_000_000


@dataclass(frozen=True)
class Tools:
    """What the answer and briefing stages work with (the Newsroom's collaborators); the chat model is built only
    when a step needs it."""

    settings: Settings
    embedder: Embedder
    store: ArticleStore
    chat_model: Callable[[], ChatModel]


@dataclass(frozen=True)
class ChoiceResult:
    """A multiple-choice answer: the chosen index (None when the articles do not say) and its checked answer."""

    choice: int | None
    answer: Answer


def standalone_question(question: str, history: Sequence[Exchange], llm: ChatModel) -> str:
    """The question as it would be asked on its own: a follow-up that leans on the conversation is rewritten by the
    model from the last exchanges; any other question is returned as it is."""
    if not history or not needs_context(question):
        return question
    reply = llm.complete(standalone_messages(question, history), schema=standalone_schema())
    return parse_standalone(reply, question, history)


class AnswerStream:
    """An answer as it is written: iterate for the draft's text piece by piece, then read `answer`, checked.

    The draft is what the model is writing, before verification (evidence first: the sentences the model picked, in
    one piece, as soon as it has picked them); only `answer` is the checked reply. With `streamed=False` the model
    writes its reply whole and iterating yields nothing. With `choices`, the model picks one of them (`choice`) and
    `answer` is its checked justification.
    """

    def __init__(
        self,
        question: str,
        tools: Tools,
        *,
        history: Sequence[Exchange] = (),
        filters: Filters = Filters(),
        passages: Sequence[Passage] | None = None,
        choices: Sequence[str] = (),
        streamed: bool = True,
    ) -> None:
        self.question = question
        self.choices = list(choices)
        self.asked_as: str | None = None
        self.passages: list[Passage] = list(passages) if passages is not None else []
        self.choice: int | None = None
        self._tools, self._history, self._filters = tools, history, filters
        self._retrieve = passages is None
        self._streamed = streamed
        self._answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        tools = self._tools
        standalone = (
            standalone_question(self.question, self._history, tools.chat_model()) if self._history else self.question
        )
        self.asked_as = standalone if standalone != self.question else None
        if self._retrieve:
            self.passages = passages_for(
                standalone, filters=self._filters, store=tools.store, **self._depth(standalone)
            )
        if self._nothing_to_answer_from():
            self._answer = Answer.nothing_found(self.question).model_copy(update={"asked_as": self.asked_as})
            return
        llm = tools.chat_model()
        if self._evidence_first:
            chosen = self._picked_evidence(standalone, llm)
            if missing := unnamed(standalone, chosen, self.passages):
                self._answer = about_something_else(self.question, chosen, missing).model_copy(
                    update={"asked_as": self.asked_as}
                )
                return
            draft = evidence_draft(chosen)
            if self._streamed and draft.sentences:  # the picked sentences, unchecked, while the check runs
                yield " ".join(sentence.text for sentence in draft.sentences)
        else:
            reply = yield from self._reply(llm, *self._request(standalone))
            draft = self._draft(reply)
        checked = verify_draft(
            standalone, draft, self.passages, tools.settings, tools.embedder, llm, check_kind=not self.choices
        )
        if self._evidence_first:
            checked = second_look(standalone, checked, llm, tools.settings.answer.second_look)
        self._answer = checked.model_copy(update={"question": self.question, "asked_as": self.asked_as})

    @property
    def answer(self) -> Answer:
        """The checked answer, once the stream has been read to its end."""
        if self._answer is None:
            for _ in self:
                pass
        assert self._answer is not None
        return self._answer

    @property
    def _evidence_first(self) -> bool:
        return not self.choices and self._tools.settings.answer.mode == "evidence"

    def _depth(self, question: str) -> dict[str, Any]:
        """How much to retrieve: evidence first cuts more passages into sentences (the prompt holds only the best
        few sentences, so the passages' token budget does not bind); a multiple-choice question seeks evidence for
        each choice too."""
        tools = self._tools
        depth: dict[str, Any] = {"settings": tools.settings, "embedder": tools.embedder}
        if self.choices and tools.settings.retrieval.each_choice:
            depth["also"] = [f"{question} {choice}" for choice in self.choices]
        if self._evidence_first:
            depth |= {"k": tools.settings.answer.passages, "tokens": _UNBOUNDED, "leads": True}
        return depth

    def _picked_evidence(self, question: str, llm: ChatModel) -> list[Candidate]:
        """The sentences the model picks as the answer, from the best-ranked sentences of the passages."""
        candidates = candidates_of(self.passages)
        vectors = self._tools.embedder.embed([question, *(c.text for c in candidates)])
        similarities = [float(v) for v in vectors[1:] @ vectors[0]]
        options = self._tools.settings.answer
        best = best_candidates(question, candidates, similarities, options.sentences, options.sentence_floor)
        reply = llm.complete(selection_messages(question, best), schema=selection_schema(len(best)))
        return picked(parse_selection(reply, len(best)), best)

    def _nothing_to_answer_from(self) -> bool:
        if self.choices:
            return not self.passages
        return looks_unrelated(self.passages, self._tools.settings.retrieval.min_similarity)

    def _request(self, question: str) -> tuple[list[Message], dict[str, Any]]:
        if self.choices:
            messages = choice_messages(question, self.choices, self.passages)
            return messages, choice_schema(len(self.passages), len(self.choices))
        return answer_messages(question, self.passages), reply_schema(len(self.passages))

    def _reply(self, llm: ChatModel, messages: list[Message], schema: dict[str, Any]) -> Generator[str, None, str]:
        if not self._streamed:
            return llm.complete(messages, schema=schema)
        reader = DraftReader()
        for piece in llm.stream(messages, schema=schema):
            if text := reader.feed(piece):
                yield text
        return reader.reply

    def _draft(self, reply: str) -> DraftAnswer:
        if not self.choices:
            return parse_reply(reply)
        self.choice, draft = parse_choice(reply, len(self.choices))
        return draft
