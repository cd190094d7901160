"""The numbers that change what is removed, in one place.

Each is a judgement about real text, documented where it is defined; the
option-backed ones (threshold, minimum length) are in :mod:`newsdedupe.config`.
docs/precision.md measures what the structural checks that read them are worth.
"""

from __future__ import annotations

PREFIX_NUMBERS_SPAN = 40
"""A dateline or date glued to the front of a copy ends within this many
characters ("26.01.2022 ...", "LONDON, Jan 5 (Reuters) - ...")."""


MAX_MERGED = 3
"""A merged copy is matched against up to this many consecutive kept paragraphs."""


MISSING_WORDS = 0.2
"""Rules 2 and 3 verify text only when it holds all but this share of the
paragraph's words (its tokens): a cheap "could this be inside that" check."""


SHARED_WORDS_FROM = 2000
"""From this many paragraphs on, equal words share one string."""


ALL_PAIRS_BELOW = 4
"""Documents with fewer paragraphs compare every pair, which is cheaper for
them than building the candidate index; larger ones use the index."""


PROSE_LENGTH = 70
"""From this normalized length a paragraph counts as prose whatever its end."""


MIN_SENTENCE = 20


VERBATIM = 99.5
"""Containment score of a verbatim quote (after normalization)."""


CONTAINED_EXTRA = 10
"""The longer paragraph of rule 3 is longer by at least this many characters:
two paragraphs of about the same length are near-duplicates or formula lines,
not a teaser and its article paragraph."""


EDIT_WORDS = 30
"""One word changed in a paragraph of this many words or more is an edit
(a CMS correction); in a shorter one it may be the word that carries the
meaning ("in women" / "in men"), so the two are not copies on their own."""


FAMILY_RATIO = 70.0
"""Paragraphs this similar to each other are one family: three or more
members that are not exact copies are formula lines ("Vote for Anna", "Vote
for Boris"), written that way on purpose."""


TEMPLATE_REACH = 8
"""How many paragraphs before and after a copied run are compared with
those around its source to tell a template's shared part from a copy."""


LABEL_REACH = 30
"""A label ("Fee:", "Storage:") ends at a colon within this many characters
of a line's start."""


INSERTED_STEPS = 2
"""A template's shared part goes on after this many paragraphs that one
block adds (a recipe's vegan version with one extra step between two
shared ones)."""


TITLE_REACH = 4
"""Rule 5: a headline printed again stands within this many paragraphs of
the first one."""


STANDFIRST_MAX = 600
"""Rule 5: the one prose paragraph allowed between a headline and its copy
(a standfirst) is shorter than this; longer text is a block of its own."""


CONFIRMING_PROSE = 2
"""Full paragraphs of prose a copied run must hold to confirm a held-back
copy next to it (a doubled body with a word edited). One is not enough: two
template blocks often share one sentence ("The authors cautioned that ...")
beside the line that tells them apart ("... in women" / "... in men")."""
