"""ORM models. The schema only ever changes through an Alembic revision in migrations/."""

from planner.models.accounts import (
    ORGANISATION_ROLES,
    ROLES,
    Invitation,
    Organisation,
    Team,
    User,
    UserRole,
)
from planner.models.api import ApiToken
from planner.models.audit import AuditEvent
from planner.models.catalogue import LocalTraining
from planner.models.frameworks import FrameworkVersion, utcnow
from planner.models.learning import LEADERSHIP_KIND, LEARNING_KINDS, LearningEntry
from planner.models.organisation import OrganisationAnswer
from planner.models.people import (
    CompletedTraining,
    CurrentRating,
    Profile,
    Rating,
    ServiceAreaYears,
    rebuild_current_ratings,
)
from planner.models.plans import (
    ACTION_OWNERS,
    PLAN_ITEM_KINDS,
    PLAN_NAME_MAX,
    Conversation,
    Plan,
    PlanItem,
)
from planner.models.reminders import ReminderSent

__all__ = [
    "ROLES",
    "ORGANISATION_ROLES",
    "Invitation",
    "Organisation",
    "Team",
    "User",
    "UserRole",
    "FrameworkVersion",
    "utcnow",
    "Profile",
    "Rating",
    "CurrentRating",
    "ServiceAreaYears",
    "CompletedTraining",
    "rebuild_current_ratings",
    "Plan",
    "PlanItem",
    "PLAN_ITEM_KINDS",
    "PLAN_NAME_MAX",
    "ACTION_OWNERS",
    "Conversation",
    "LocalTraining",
    "OrganisationAnswer",
    "AuditEvent",
    "ApiToken",
    "ReminderSent",
    "LearningEntry",
    "LEARNING_KINDS",
    "LEADERSHIP_KIND",
]
