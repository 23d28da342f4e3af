"""The seven Iriss recommendations (Martin 2024, section 6) as checks.

:func:`check_route` tests one person's route plus their plan items; :func:`audit_framework`
tests a framework and its training catalogue. Both return seven :class:`IrissResult`, one
per recommendation, each with a status (``met``, ``partial``, ``missing``, ``not_applicable``),
findings naming the roles and items concerned, and suggested actions. The criteria and their
sources are listed in ``docs/iriss.md``.
"""

from pathways.iriss.base import RECOMMENDATIONS, Criterion, IrissResult, summarise
from pathways.iriss.org_checks import audit_framework
from pathways.iriss.route_checks import check_route

__all__ = [
    "RECOMMENDATIONS",
    "Criterion",
    "IrissResult",
    "summarise",
    "check_route",
    "audit_framework",
]
