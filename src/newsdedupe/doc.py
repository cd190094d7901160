"""One document's working state while the rules decide: its comparison
forms, its candidate index, and the decisions taken so far.
Nothing is shared between documents."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal, NamedTuple

from newsdedupe.config import Options
from newsdedupe.index import CandidateIndex
from newsdedupe.keys import tokens_of
from newsdedupe.paragraph import is_prose, is_separator, reaches
from newsdedupe.tuning import SHARED_WORDS_FROM

Rule = Literal["near-duplicate", "covered", "contained", "run", "stutter", "title"]
"""Why a paragraph goes: rules 1 to 5 of SPEC section 2, or "run" (a short
paragraph inside a copied run)."""


class Decision(NamedTuple):
    """A paragraph goes by ``rule`` as a copy of ``source`` (a kept paragraph
    that still holds its text), with the similarity ``score`` behind it."""

    rule: Rule
    source: int
    score: float


class Doc:
    """Per-document working state; nothing is shared between documents.

    A plain class, not a dataclass: creating the dataclass cost every
    ``dedupe`` start-up about half a millisecond."""

    norms: list[str]
    options: Options
    bodies: list[str]
    """Comparison form without a dateline or date glued to the front; the
    same as ``norms`` for most paragraphs."""
    drops: dict[int, Decision]
    tokens: list[Collection[str]]
    """Each paragraph's words, once each (:func:`~newsdedupe.keys.tokens_of`),
    for a cheap "could this be inside that" check (a set's order is never used)."""
    index: CandidateIndex | None
    """Where the rules look for candidates; None: compare every pair."""
    holders: dict[int, Sequence[int]]
    """With the index: rule 3's candidates for a paragraph (the paragraphs
    that may contain it, :func:`~newsdedupe.rules.containers`), found by
    rule 2's search and read by rule 3."""
    long: list[bool]
    """Which paragraphs are long enough to be dropped on their own (:meth:`is_long`)."""
    wrapped: Collection[int]
    """Lines of hard-wrapped running text (:func:`~newsdedupe.paragraph.wrapped_lines`):
    prose, though a line of it neither ends a sentence nor runs long."""
    naming: dict[int, dict[int, None]]
    """Each source -> the drops that name it, in the order they were made.
    A source is never dropped itself (but see :meth:`drop`), so every
    dropped text is still in the output."""
    pending: dict[int, tuple[Decision, str]]
    """Copies that differ from their source in a distinguishing word, or
    list items that recur in another list: dropped only when a copied run
    around them shows they are part of a copy (:func:`confirm_pending`);
    the reason they were held back otherwise."""
    notes: dict[int, tuple[int, str]]
    """Why a repeat was kept on purpose: paragraph -> (the paragraph it
    repeats, the reason). The first reason given stands."""
    skips: tuple[dict[int, int], dict[int, int]]
    """For :func:`next_kept`: a dropped paragraph -> a paragraph after
    (before) it with only drops between, so a long stretch of drops is
    crossed once, not once per drop. Drops only ever add to a stretch;
    :meth:`restore` clears them."""

    def __init__(self, norms: list[str], options: Options, bodies: list[str] | None = None) -> None:
        self.norms = norms
        self.options = options
        self.bodies = [] if bodies is None else bodies
        self.drops = {}
        self.index = None
        self.holders = {}
        self.wrapped = ()
        self.naming = {}
        self.pending = {}
        self.notes = {}
        self.skips = ({}, {})
        # a long document shares one string per distinct word (memory)
        shared = len(self.norms) >= SHARED_WORDS_FROM
        made: dict[str, Collection[str]] = {}  # (a paragraph printed many times: once)
        self.tokens = [
            made[n] if n in made else made.setdefault(n, tokens_of(n, shared)) for n in self.norms
        ]
        least = self.options.min_length
        self.long = [reaches(n, least) and not is_separator(n) for n in self.norms]

    def same_body(self, i: int, j: int) -> bool:
        """``i`` and ``j`` are the same text but for a dateline or date on
        the front of one of them (SPEC rule 1: a copy that gained one is
        still a copy). Two different fronts on the same text are two
        entries of a timeline, a forecast or a live blog ("12.01.2026 – The
        session was cancelled." / "26.01.2026 – …", "14:40 GMT" / "17:05
        GMT"), not one copy."""
        if self.bodies[i] != self.bodies[j]:
            return False
        fronted = self.bodies[i] != self.norms[i] and self.bodies[j] != self.norms[j]
        return not fronted or self.norms[i] == self.norms[j]

    def is_long(self, i: int) -> bool:
        """Long enough to be dropped on its own; a line of only punctuation
        (``____``, ``* * *``) is a separator, whatever its length."""
        return self.long[i]

    def is_prose(self, i: int) -> bool:
        """A full paragraph of prose: long enough to go on its own and
        reading as prose (:func:`is_prose`), not a heading or a label."""
        return self.long[i] and is_prose(self.norms[i])

    def kept(self, i: int) -> bool:
        return i not in self.drops

    def drop(self, i: int, decision: Decision) -> bool:
        """Drop ``i`` as a copy of ``decision``'s source, unless ``i`` is
        itself the source of another drop. True when dropped.

        A source may still go when its own source is the same text (a
        heading printed twice in a row, whose second copy a copied run
        named): the drops that named it name that text instead, which
        still holds theirs."""
        if i in self.drops:
            return False
        if self.naming.get(i):
            to = decision.source
            if to in self.drops or self.norms[to] != self.norms[i]:
                return False
            self._hand_over(i, to)
        self.drops[i] = decision
        self.naming.setdefault(decision.source, {})[i] = None
        return True

    def _hand_over(self, i: int, to: int) -> None:
        """Every drop and held-back copy that names ``i`` names ``to`` instead."""
        moved = self.naming.pop(i)
        for k in moved:
            self.drops[k] = self.drops[k]._replace(source=to)
        self.naming.setdefault(to, {}).update(moved)
        for k, (found, reason) in self.pending.items():
            if found.source == i:
                self.pending[k] = (found._replace(source=to), reason)

    def restore(self, i: int, reason: str | None = None) -> None:
        """Keep ``i`` after all, and say why."""
        source = self.drops.pop(i).source
        named = self.naming[source]
        del named[i]
        if not named:
            del self.naming[source]
        self.skips[0].clear()
        self.skips[1].clear()
        if reason:
            self.note(i, source, reason)

    def note(self, i: int, source: int, reason: str) -> None:
        """Record why ``i``, a repeat of ``source``, is kept on purpose."""
        self.notes.setdefault(i, (source, reason))
