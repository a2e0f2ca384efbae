"""Who may read a document: its visibility label, and a caller's access.

Every document carries one visibility label, stored and indexed on each of its
records (the ``visibility`` field):

- ``public``: anyone, signed in or not;
- ``internal``: every signed-in member of staff;
- any other label names a group (``财政组``): members of that group only.

A caller's :class:`Access` is the set of labels it may read, or everything (an
admin, the command line). Searching, facets, suggestions, cross-references and
documents all see only what the access allows; a document it may not see is
reported missing, exactly like one that does not exist.
"""
from __future__ import annotations

from dataclasses import dataclass

PUBLIC, INTERNAL = "public", "internal"


@dataclass(frozen=True)
class Access:
    """The visibility labels a caller may read; ``labels=None``: every document."""

    labels: frozenset[str] | None = frozenset({PUBLIC})

    @classmethod
    def anonymous(cls) -> Access:
        return cls(frozenset({PUBLIC}))

    @classmethod
    def staff(cls, groups: frozenset[str] | tuple[str, ...] = ()) -> Access:
        """A signed-in member of staff: public, internal and their groups' documents."""
        return cls(frozenset({PUBLIC, INTERNAL, *groups}))

    @classmethod
    def everything(cls) -> Access:
        return cls(None)

    @property
    def unrestricted(self) -> bool:
        return self.labels is None

    def allows(self, label: str) -> bool:
        return self.labels is None or label in self.labels
