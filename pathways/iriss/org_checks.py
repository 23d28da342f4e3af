"""Iriss checks on a framework, its training catalogue and an organisation's answers
(criteria ``REC*.b*``).

What counts as offered: an item in place nationally, one of the organisation's own local
items, or a framework item the organisation says it offers (:class:`OrganisationAnswers`).
Items the framework marks as recommended by Iriss or suggested by participants, and local
items nobody has answered for, are not assumed to exist: a criterion that depends on them is
"not assessed" until the organisation answers, and a recommendation is never met while any
of its criteria is not assessed. Without answers (the national framework alone) the audit
shows what the framework can vouch for and what each organisation has to answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from pathways.iriss.base import Criterion, IrissResult, not_assessed, summarise
from pathways.model import Framework, TrainingItem
from pathways.organisation import FACTS_BY_KEY, OrganisationAnswers

__all__ = ["audit_framework", "SW_SHARE", "NATIONAL_SHARE"]

SW_SHARE = 0.5  # REC2.b2: share of courses and qualifications that are social-work specific
NATIONAL_SHARE = 0.5  # REC6.b2
EMBEDDED_SHARE = 0.5  # REC6.b4: share of offered items delivered alongside practice
SENIOR_STAGE = 5
COURSE_KINDS = {"training", "academic"}
MANAGEMENT_TRACKS = {"management", "strategic"}

Predicate = Callable[[TrainingItem], bool]


def _names(items) -> str:
    return ", ".join(items)


def _titles(items: Iterable[TrainingItem]) -> str:
    return _names(i.title for i in items)


class _Org:
    """The framework, the catalogue and the organisation's answers, read together."""

    def __init__(
        self,
        fw: Framework,
        items: list[TrainingItem],
        answers: OrganisationAnswers,
        teams: Mapping[str, Sequence[str]] | None = None,
    ):
        self.fw = fw
        self.items = items
        self.answers = answers
        self.teams = teams

    def available(self, predicate: Predicate = lambda i: True) -> list[TrainingItem]:
        return [i for i in self.items if predicate(i) and self.answers.available(i)]

    def unknown(self, predicate: Predicate = lambda i: True) -> list[TrainingItem]:
        return [i for i in self.items if predicate(i) and self.answers.item_state(i) == "unknown"]

    def uncovered(self, items: list[TrainingItem], roles: list[str]) -> list[str]:
        """Slugs of ``roles`` that none of ``items`` is aimed at."""
        covered = {r for i in items for r in i.roles}
        return [r for r in roles if r not in covered]

    def titles(self, slugs: Iterable[str]) -> str:
        return _names(self.fw.roles[s].title for s in slugs)


def _some(items: list[TrainingItem], shown: int = 5) -> str:
    """Up to ``shown`` titles, then how many more: a finding names what to answer first
    without listing the whole catalogue."""
    titles = [i.title for i in items]
    if len(titles) <= shown:
        return _names(titles)
    return f"{_names(titles[:shown])} and {len(titles) - shown} more"


def _ask(unknown: list[TrainingItem]) -> str:
    return f"Say whether the organisation offers: {_some(unknown)} (under What we offer)."


def _decide(org: _Org, code: str, predicate: Predicate, check) -> Criterion:
    """Run ``check(items)`` on what is offered, and again as if every unanswered item that
    matches ``predicate`` were offered. If both agree the answers cannot change the result;
    otherwise the criterion waits for them (not assessed)."""
    have = org.available(predicate)
    unknown = org.unknown(predicate)
    low = check(have)
    if not unknown:
        return low
    high = check(have + unknown)
    if low.passed == high.passed:
        return low
    return not_assessed(
        code,
        f"Not assessed: it depends on whether the organisation offers {_some(unknown)}.",
        _ask(unknown),
    )


def _coverage(org: _Org, code, predicate, roles, ok, lacking, action) -> Criterion:
    """Every role in ``roles`` has an offered item matching ``predicate``."""

    def check(items):
        missing = org.uncovered(items, roles)
        if roles and not missing:
            return Criterion(code, True, ok)
        return Criterion(code, False, lacking.format(org.titles(missing) or "any role"), action)

    return _decide(org, code, predicate, check)


def _exists(org: _Org, code, predicate, found, absent, action) -> Criterion:
    """At least one offered item matches ``predicate``."""

    def check(items):
        if items:
            return Criterion(code, True, found.format(_titles(items)))
        return Criterion(code, False, absent, action)

    return _decide(org, code, predicate, check)


def _share(
    org: _Org, code, predicate, threshold, finding, action, within: Predicate = lambda i: True
) -> Criterion:
    """At least ``threshold`` of the offered items (those matching ``within``) match
    ``predicate``; decided only when no set of answers to the unanswered items could change
    it (worst and best case)."""
    have, unknown = org.available(within), org.unknown(within)

    def share(items):
        return sum(map(predicate, items)) / len(items) if items else 0.0

    worst = share(have + [i for i in unknown if not predicate(i)])
    best = share(have + [i for i in unknown if predicate(i)])
    text = finding.format(n=sum(map(predicate, have)), total=len(have))
    if worst >= threshold:
        return Criterion(code, True, text)
    if best < threshold:
        return Criterion(code, False, text, action)
    return not_assessed(code, f"Not assessed: {text} {_ask(unknown)}", _ask(unknown))


def _fact(org: _Org, key: str, action: str) -> Criterion:
    """A criterion answered by the organisation profile, with the report's baseline."""
    fact = FACTS_BY_KEY[key]
    value = org.answers.fact(key)
    baseline = f" For comparison: {fact.baseline}" if fact.baseline else ""
    if value is None:
        return not_assessed(
            fact.criterion,
            f"Not assessed: the organisation has not answered \u201c{fact.question}\u201d"
            + baseline,
            action,
        )
    passed = value in fact.passing
    return Criterion(
        fact.criterion,
        passed,
        f"The organisation answers \u201c{fact.label(value)}\u201d to \u201c{fact.question}\u201d"
        + baseline,
        "" if passed else action,
    )


def _all_of(code: str, parts: list[Criterion]) -> Criterion:
    """One criterion made of several parts: failed if any part fails, not assessed while any
    part is, met when every part is."""
    findings = " ".join(p.finding for p in parts)
    actions = " ".join(p.action for p in parts if p.action and p.state != "pass")
    if any(p.state == "fail" for p in parts):
        return Criterion(code, False, findings, actions)
    if any(p.state == "not_assessed" for p in parts):
        return not_assessed(code, findings, actions)
    return Criterion(code, True, findings)


def _rec1(org: _Org) -> IrissResult:
    fw = org.fw
    stages = {r.stage for r in fw.roles.values()}
    missing = [title for stage, title in fw.stages if stage not in stages]
    criteria = [
        Criterion(
            "REC1.b1",
            not missing,
            "Every stage from student to CSWO has a role."
            if not missing
            else f"No role defined for the stage(s): {_names(missing)}.",
            "Define a role for each stage from student to CSWO.",
        )
    ]
    non_mgmt = [r.title for r in fw.roles.values() if not r.positional and r.stage >= 3]
    criteria.append(
        Criterion(
            "REC1.b2",
            bool(non_mgmt),
            f"Non-management roles above practitioner: {_names(non_mgmt)}."
            if non_mgmt
            else "No non-management role above practitioner grade.",
            "Add senior practitioner, expert/advisory or research-practitioner roles.",
        )
    )
    unsupported = [
        f"{fw.roles[t.source].title} to {fw.roles[t.target].title}"
        for t in fw.transitions
        if not t.supports
    ]
    nationally = sum(
        any(i in fw.training and fw.training[i].in_place_nationally for i in t.supports)
        for t in fw.transitions
    )
    in_place = (
        f" {nationally} of {len(fw.transitions)} moves have a support in place nationally; "
        "the rest depend on what the organisation offers."
    )
    criteria.append(
        Criterion(
            "REC1.b3",
            not unsupported,
            "Every transition lists its supports, each flagged mandatory, entitlement or "
            "optional." + in_place
            if not unsupported
            else f"Transitions with no supports: {_names(unsupported)}.",
            "Attach at least one support to every transition.",
        )
    )
    criteria.append(
        Criterion(
            "REC1.b4",
            bool(fw.national_framework_ref),
            f"Aligned to: {fw.national_framework_ref}."
            if fw.national_framework_ref
            else "The framework records no national framework it aligns to.",
            "Record the national framework this one aligns to.",
        )
    )
    criteria.append(
        _fact(org, "pathway_published", "Publish the pathway where every member of staff sees it.")
    )
    return summarise(1, criteria)


def _is_course(item: TrainingItem) -> bool:
    return item.kind in COURSE_KINDS


def _rec2(org: _Org) -> IrissResult:
    fw = org.fw
    gap_roles = [r.title for r in fw.roles.values() if r.training_gap]
    criteria = [
        _coverage(
            org,
            "REC2.b1",
            lambda i: _is_course(i) and i.sw_specific,
            list(fw.roles),
            "Every role has a social-work-specific course or qualification.",
            "No social-work-specific course or qualification for: {}."
            + (f" The sources name this gap for {_names(gap_roles)}." if gap_roles else ""),
            "Commission social-work-specific leadership training"
            + (f", starting with {gap_roles[0]}." if gap_roles else "."),
        )
    ]
    generic = _titles(i for i in org.available(_is_course) if not i.sw_specific) or "none"
    criteria.append(
        _share(
            org,
            "REC2.b2",
            lambda i: i.sw_specific,
            SW_SHARE,
            "{n} of {total} courses and qualifications offered are social-work specific; "
            f"generic: {generic}.",
            "Replace or supplement generic leadership courses with social-work-specific ones.",
            within=_is_course,
        )
    )

    def both_levels(items):
        scopes = {i.scope for i in items}
        return Criterion(
            "REC2.b4",
            scopes >= {"local", "national"},
            f"Offered at: {' and '.join(sorted(scopes)) or 'no'} level.",
            "Offer training at both local and national level.",
        )

    criteria.append(_decide(org, "REC2.b4", lambda i: True, both_levels))

    def embedded(items):
        if not items:
            return Criterion("REC2.b5", None, "No course is offered.")
        detached = [i for i in items if not i.embedded]
        return Criterion(
            "REC2.b5",
            not detached,
            "Every course offered is folded into practice."
            if not detached
            else f"Courses with no practice-embedding component: {_titles(detached)}.",
            "Pair each course with supervision follow-up or a work-based task.",
        )

    criteria.append(_decide(org, "REC2.b5", _is_course, embedded))
    # new managers: the first management posts (stage 4 and below), as REC2.b6's basis in the
    # report is "new team managers become unstuck because they lack the confidence"
    new_managers = {s for s, r in fw.roles.items() if r.positional and r.stage <= 4}

    def for_leaders(capability):
        return lambda i: (
            i.sw_specific and capability in i.capabilities and bool(set(i.roles) & new_managers)
        )

    criteria.append(
        _all_of(
            "REC2.b6",
            [
                _exists(
                    org,
                    "REC2.b6",
                    for_leaders("statutory_duties"),
                    "Social-work-specific learning on legal and statutory duties for new "
                    "managers: {}.",
                    "No social-work-specific learning on legal and statutory duties is offered "
                    "to new managers.",
                    "Offer social-work-specific learning on legal duties to new managers.",
                ),
                _exists(
                    org,
                    "REC2.b6",
                    for_leaders("professional_confidence"),
                    "Confidence in stating the social work contribution, for new managers: {}.",
                    "Nothing social-work specific offered to new managers builds confidence in "
                    "stating the social work contribution in integrated settings.",
                    "Offer managers learning on the social work contribution in integrated "
                    "settings.",
                ),
            ],
        )
    )
    return summarise(2, criteria)


def _beyond_first_year(org: _Org, item: TrainingItem) -> bool:
    return any(org.fw.roles[r].stage >= 2 for r in item.roles if r in org.fw.roles)


def _rec3(org: _Org) -> IrissResult:
    fw = org.fw
    qualified = [s for s, r in fw.roles.items() if r.stage >= 1]

    def models(items):
        mentoring = [i for i in items if i.has_mode("mentoring", "coaching")]
        peer = [i for i in items if i.has_mode("peer_support", "network")]
        return Criterion(
            "REC3.b1",
            bool(mentoring and peer),
            f"Mentoring beyond the first year: {_titles(mentoring) or 'none'}. "
            f"Peer support beyond the first year: {_titles(peer) or 'none'}.",
            "Define both a mentoring model and a peer-support model.",
        )

    criteria = [
        _decide(
            org,
            "REC3.b1",
            lambda i: (
                _beyond_first_year(org, i)
                and i.has_mode("mentoring", "coaching", "peer_support", "network")
            ),
            models,
        ),
        _coverage(
            org,
            "REC3.b2",
            lambda i: i.has_mode("supervision"),
            qualified,
            "Supervision that covers support reaches every qualified role, senior ones included.",
            "No supervision that covers support for: {}.",
            "Extend reflective supervision to every role, including senior ones.",
        ),
    ]

    def networks(items):
        scopes = {i.scope for i in items}
        return Criterion(
            "REC3.b3",
            scopes >= {"local", "national"},
            f"Networks: {', '.join(sorted(scopes)) or 'none'}.",
            "Take part in national networks and run local ones.",
        )

    criteria.append(_decide(org, "REC3.b3", lambda i: i.mode == "network", networks))
    criteria.append(
        _fact(org, "learning_time_in_workload", "Allocate leadership-learning time in workload.")
    )
    criteria.append(_team_composition(org))
    return summarise(3, criteria)


def _senior_colleague(fw: Framework, role: str) -> bool:
    """Someone an NQSW can learn from who is not their manager: a practice role at the senior
    stage or above (senior social worker, senior practitioner, practice educator, ...)."""
    r = fw.roles.get(role)
    return r is not None and r.stage >= 3 and r.track not in MANAGEMENT_TRACKS


def _team_composition(org: _Org) -> Criterion:
    """REC3.b5: no team where NQSWs have no senior colleague (barrier B18). Teams are named,
    never people; counts of NQSWs are not shown."""
    fw = org.fw
    first_year = {s for s, r in fw.roles.items() if r.stage == 1}
    if org.teams is None:
        return not_assessed(
            "REC3.b5",
            "Not assessed: no team data (teams and their members' current roles).",
        )
    with_nqsws = {name: roles for name, roles in org.teams.items() if set(roles) & first_year}
    if not with_nqsws:
        return Criterion("REC3.b5", None, "No team has a newly qualified social worker.")
    alone = sorted(
        name
        for name, roles in with_nqsws.items()
        if not any(_senior_colleague(fw, r) for r in roles)
    )
    if not alone:
        return Criterion(
            "REC3.b5",
            True,
            "Every team with newly qualified social workers has a senior colleague who is "
            "not their manager.",
        )
    return Criterion(
        "REC3.b5",
        False,
        f"Teams where newly qualified social workers have no senior colleague: {_names(alone)}.",
        "Give each team with NQSWs a senior social worker, senior practitioner or practice "
        "educator.",
    )


def _rec4(org: _Org) -> IrissResult:
    fw = org.fw
    senior = [s for s, r in fw.roles.items() if r.positional and r.stage >= SENIOR_STAGE]
    criteria = [
        _coverage(
            org,
            "REC4.b1",
            lambda i: i.has_mode("caseload"),
            senior,
            "Senior posts include protected caseload time.",
            "No protected caseload time for: {}.",
            "Build protected caseload time into senior role profiles.",
        ),
        _exists(
            org,
            "REC4.b2",
            lambda i: i.mode == "secondment",
            "Cross-service secondment: {}.",
            "No cross-service rotation or secondment scheme is offered.",
            "Set up secondments across service areas for emerging senior leaders.",
        ),
    ]
    top_stage = max(s for s, _ in fw.stages)
    top = [r for r in fw.roles.values() if r.stage == top_stage]
    if not top or not all(r.duties for r in top):
        criteria.append(
            Criterion(
                "REC4.b3",
                False,
                "The CSWO role has no list of statutory duties in the framework.",
                "List the CSWO's statutory duties and add a familiarisation item.",
            )
        )
    else:
        criteria.append(
            _exists(
                org,
                "REC4.b3",
                lambda i: i.has_mode("checklist"),
                "The CSWO role lists its duties; preparation: {}.",
                "The CSWO role lists its duties, but no familiarisation or preparation item "
                "is offered.",
                "Offer a familiarisation with the CSWO's statutory duties.",
            )
        )
    criteria.append(
        _fact(
            org,
            "representation_above_team_leader",
            "Represent social work above team leader level in integrated teams.",
        )
    )
    positional = [s for s, r in fw.roles.items() if r.positional and r.stage >= 4]
    criteria.append(
        _coverage(
            org,
            "REC4.b4",
            lambda i: i.has_mode("induction"),
            positional,
            "Induction plans cover every management and senior post.",
            "No induction plan for: {}.",
            "Define a structured induction (one year for senior posts).",
        )
    )
    return summarise(4, criteria)


def _rec5(org: _Org) -> IrissResult:
    fw = org.fw
    qualified = [s for s, r in fw.roles.items() if r.stage >= 1]
    reflection = _coverage(
        org,
        "REC5.b4",
        lambda i: i.has_mode("reflection_time"),
        qualified,
        "Protected reflection time covers every qualified role.",
        "No protected reflection time for: {}.",
        "Adopt a protected reflection time policy for all staff.",
    )
    workload = _fact(org, "workload_measures", "Introduce caseload or workload measures.")
    criteria = [
        _all_of("REC5.b4", [reflection, workload]),
        _fact(org, "governance_seats", "Give social work leaders seats on governance structures."),
        _fact(org, "budget_setting", "Involve the CSWO fully in setting the budget."),
        _fact(
            org,
            "chief_executive_access",
            "Give the CSWO structured, protected time with the chief executive.",
        ),
        _fact(
            org,
            "representation_invited",
            "Invite senior social workers to represent the profession in health and social "
            "care structures.",
        ),
    ]
    return summarise(5, criteria)


def _rec6(org: _Org) -> IrissResult:
    fw = org.fw
    share = _share(
        org,
        "REC6.b2",
        lambda i: i.scope == "national",
        NATIONAL_SHARE,
        "{n} of {total} items offered are part of a national offer.",
        "Link local training to national bodies and programmes.",
    )
    embedded = _share(
        org,
        "REC6.b4",
        lambda i: i.embedded,
        EMBEDDED_SHARE,
        "{n} of {total} items offered are delivered alongside practice.",
        "Deliver more learning alongside practice, not removed from day-to-day work.",
    )
    criteria = [
        _fact(
            org,
            "dedicated_learning_function",
            "Set up a dedicated learning and development function for social work.",
        ),
        share,
        _fact(org, "improvement_capacity", "Give teams improvement roles or time."),
        embedded,
    ]
    research_roles = [
        r.title
        for r in fw.roles.values()
        if not r.positional and r.required.get("research_evidence", 0) >= 4
    ]
    if not research_roles:
        criteria.append(
            Criterion(
                "REC6.b5",
                False,
                "No research or research-practitioner role in the framework.",
                "Create research-practitioner posts and evidence-use training.",
            )
        )
    else:
        criteria.append(
            _exists(
                org,
                "REC6.b5",
                lambda i: "research_evidence" in i.capabilities,
                f"Research roles: {_names(research_roles)}; evidence items: {{}}.",
                f"Research roles: {_names(research_roles)}, but no evidence-use item is offered.",
                "Offer evidence-use training.",
            )
        )
    return summarise(6, criteria)


def _rec7(org: _Org) -> IrissResult:
    fw = org.fw
    recognised = [
        r.title
        for r in fw.roles.values()
        if not r.positional and r.stage >= 3 and r.track in {"expert", "specialist", "education"}
    ]
    criteria = [
        _fact(
            org,
            "value_statement",
            "Publish a local statement of the value of social work and its leadership.",
        ),
        Criterion(
            "REC7.b3",
            bool(recognised),
            f"Recognised non-positional roles: {_names(recognised)}."
            if recognised
            else "No recognised non-positional or specialist roles.",
            "Recognise specialisms and non-positional leadership in the framework.",
        ),
    ]
    leadership = {s for s, c in fw.capabilities.items() if c.group == "leadership"}
    without = [r.title for r in fw.roles.values() if not leadership & set(r.required)]
    criteria.append(
        Criterion(
            "REC7.b4",
            not without,
            "Leadership capabilities are required at every level."
            if not without
            else f"No leadership capability required for: {_names(without)}.",
            "Apply the SSSC leadership capabilities at every level.",
        )
    )
    early_roles = {s for s, r in fw.roles.items() if r.stage <= 1}
    criteria.append(
        _exists(
            org,
            "REC7.b2",
            lambda i: bool(set(i.roles) & early_roles) and "self_leadership" in i.capabilities,
            "Student and first-year items cover leadership: {}.",
            "No student or first-year item covers leadership.",
            "Cover professional leadership and the CSWO role in placements and induction.",
        )
    )
    return summarise(7, criteria)


def audit_framework(
    framework: Framework,
    catalogue: Iterable[TrainingItem] | None = None,
    answers: OrganisationAnswers | None = None,
    teams: Mapping[str, Sequence[str]] | None = None,
) -> list[IrissResult]:
    """The seven Iriss checks on a framework, a catalogue (the framework's own by default),
    an organisation's answers (none: only what is in place nationally counts) and its teams
    (team name to its members' current roles; none: team composition is not assessed).

    >>> from pathways.loader import default_framework
    >>> [r.status for r in audit_framework(default_framework())][4]
    'not_assessed'
    """
    items = list(catalogue) if catalogue is not None else list(framework.training.values())
    org = _Org(framework, items, answers or OrganisationAnswers(), teams)
    return [check(org) for check in (_rec1, _rec2, _rec3, _rec4, _rec5, _rec6, _rec7)]
