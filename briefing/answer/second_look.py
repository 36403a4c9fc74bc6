"""A second look at an answer before it is shown: does it say what was asked, or only something about the same
topic? The model rates the shown sentences against the question (yes or no, with its confidence); below the
threshold the answer becomes "not in the articles", the sentences kept back with the reason."""

from __future__ import annotations

from briefing.answer.types import Answer, UnsupportedSentence
from briefing.providers import ChatModel, Message, RatesYesNo
from briefing.templates import load_prompt, render_prompt


def look_messages(question: str, answer: Answer) -> list[Message]:
    """The chat that asks whether the answer's sentences answer the question, after two worked examples."""
    headlines = "; ".join(sorted({c.title for c in answer.citations}))
    sentences = "\n".join(f"- {s.text}" for s in answer.sentences)
    messages: list[Message] = [{"role": "system", "content": render_prompt("check_system")}]
    for example in _examples():
        asked = _ask(example["headlines"], f"- {example['sentence']}", example["question"])
        messages.append({"role": "user", "content": asked})
        messages.append({"role": "assistant", "content": example["reply"]})
    messages.append({"role": "user", "content": _ask(headlines, sentences, question)})
    return messages


def second_look(question: str, answer: Answer, llm: ChatModel, threshold: float) -> Answer:
    """The answer as it is when the model is at least `threshold` sure that it answers the question; else "not in
    the articles", its sentences kept back with the reason. A model that cannot rate a yes/no reply, a threshold of
    0 or an answer already empty leave the answer as it is."""
    if threshold <= 0 or answer.not_in_articles or not answer.sentences or not isinstance(llm, RatesYesNo):
        return answer
    sure = llm.yes_probability(look_messages(question, answer))
    if sure >= threshold:
        return answer
    reason = f"it does not say what was asked (a second look is {sure:.0%} sure it does)"
    by_number = {c.number: c for c in answer.citations}
    kept_back = [
        UnsupportedSentence(
            text=s.text, reason=reason, cited=[by_number[n] for n in s.citations if n in by_number], off_question=True
        )
        for s in answer.sentences
    ]
    nothing = Answer.nothing_found(answer.question)
    return nothing.model_copy(update={"asked_as": answer.asked_as, "unsupported": [*kept_back, *answer.unsupported]})


def _ask(headlines: str, sentences: str, question: str) -> str:
    return render_prompt("check_user", headlines=headlines, sentences=sentences, question=question)


def _examples() -> list[dict[str, str]]:
    """The worked examples of `prompts/check_examples.txt`: blocks of "field: value" lines."""
    blocks = load_prompt("check_examples").template.strip().split("\n\n")
    return [dict(line.split(": ", 1) for line in block.splitlines()) for block in blocks]
