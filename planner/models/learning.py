"""A person's record of continuous professional learning (CPL): any learning, not only
catalogue items, as the SSSC asks every registered social worker to keep."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.frameworks import utcnow

__all__ = ["LEARNING_KINDS", "LEADERSHIP_KIND", "LearningEntry"]

LEADERSHIP_KIND = "leadership"
# Kinds of learning, from the SSSC's own examples of what counts as CPL ("training courses or
# qualifications, online modules and webinars, reading professional guidance or research,
# peer learning and supervision, reflective discussions"; SSSC news, "A quick guide to
# required CPL topics") and its NQSW guidance (shadowing, practitioner enquiry), plus the
# leadership shown without a post that the Iriss report asks to be recognised.
LEARNING_KINDS = {
    "course": "Formal course or qualification",
    "online": "Online module or webinar",
    "reading": "Reading guidance or research",
    "supervision": "Supervision or reflective discussion",
    "peer": "Peer learning",
    "shadowing": "Shadowing",
    "enquiry": "Practitioner enquiry or action research",
    LEADERSHIP_KIND: "Leadership shown without a post (upskilling colleagues, leading a "
    "practice area or community of practice, sharing a specialism, representing the profession)",
    "other": "Other learning",
}


class LearningEntry(db.Model):
    __tablename__ = "learning_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    learned_on: Mapped[date] = mapped_column(sa.Date)
    # Optional: the SSSC no longer counts hours, but people and some requirements still do.
    minutes: Mapped[int | None] = mapped_column()
    kind: Mapped[str] = mapped_column(sa.String(20))
    reflection: Mapped[str] = mapped_column(sa.Text, default="")  # what changed in practice
    evidence_link: Mapped[str] = mapped_column(sa.String(500), default="")
    capabilities_json: Mapped[str] = mapped_column(sa.Text, default="[]")
    # The SSSC's mandatory CPL topics it covers (ids in pathways/data/sssc_cpl.yaml).
    topics_json: Mapped[str] = mapped_column(sa.Text, default="[]", server_default="[]")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # Line manager verification (the employer verification step of the SSSC's CPL sampling).
    # The owner asks; their line manager verifies, or returns it with a note. Changing a
    # verified entry removes the verification: what was verified is no longer what is there.
    verification_requested_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Whom the owner asked: only they see the entry, and only while still the line manager.
    verification_requested_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    verified_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The verifier, by account only: erasing their account leaves "verified" and the date.
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    verification_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    verified_by = relationship("User", foreign_keys=[verified_by_id])
    user = relationship("User", foreign_keys=[user_id])
    verification_requested_of = relationship("User", foreign_keys=[verification_requested_of_id])

    @property
    def verification(self) -> str:
        """ "verified", "requested", "returned" (asked, and sent back with a note) or ""."""
        if self.verified_at is not None:
            return "verified"
        if self.verification_requested_at is not None:
            return "requested"
        return "returned" if self.verification_note else ""

    @property
    def capabilities(self) -> list[str]:
        return json.loads(self.capabilities_json or "[]")

    @property
    def topics(self) -> list[str]:
        return json.loads(self.topics_json or "[]")

    @property
    def fingerprint(self) -> str:
        """What a verification vouches for, as one value: the entry's content, with lists in
        any order and line endings in any style counting as the same."""
        content = [
            self.title,
            self.learned_on.isoformat() if self.learned_on else "",
            self.kind,
            self.minutes,
            sorted(self.capabilities),
            sorted(self.topics),
            (self.reflection or "").replace("\r\n", "\n"),
            self.evidence_link or "",
        ]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()[:32]
