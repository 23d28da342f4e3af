"""Career conversation prompts, drawn verbatim from the compassionate leadership material in
the seed reports (data/conversation_prompts.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pathways.model import Source

__all__ = ["Prompt", "PromptGroup", "conversation_prompts", "prompt_index"]

PROMPTS_PATH = Path(__file__).parent / "data" / "conversation_prompts.yaml"


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str
    group: str


@dataclass(frozen=True)
class PromptGroup:
    id: str
    title: str
    intro: str
    sources: tuple[Source, ...]
    prompts: tuple[Prompt, ...]


@cache
def conversation_prompts() -> tuple[PromptGroup, ...]:
    """Every prompt group, in the order a conversation might use them.

    >>> [g.id for g in conversation_prompts()][:2]
    ['tool3_self', 'tool3_leader']
    """
    data = yaml.safe_load(PROMPTS_PATH.read_text(encoding="utf-8"))
    return tuple(
        PromptGroup(
            id=g["id"],
            title=g["title"],
            intro=g["intro"],
            sources=tuple(Source(**s) for s in g["sources"]),
            prompts=tuple(Prompt(p["id"], p["text"], g["id"]) for p in g["prompts"]),
        )
        for g in data["groups"]
    )


@cache
def prompt_index() -> dict[str, Prompt]:
    """Prompt id to prompt.

    >>> prompt_index()["nussbaum_2"].text.startswith("Active listening")
    True
    """
    return {p.id: p for g in conversation_prompts() for p in g.prompts}
