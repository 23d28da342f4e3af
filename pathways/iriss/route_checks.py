"""Iriss checks on one person's route plus their plan items (criteria ``REC*.a*``).

What counts as "on the route" at a step: the supports the framework attaches to that
transition that are actually available to the person (in place nationally, or offered by their
organisation as it says in its profile), and the person's plan items for the step's role. Plan
items without a role count for the route as a whole. A support the framework only recommends
or that the organisation has not said it offers does not count, and recommended training does
not count until it is on the plan: the check tells a person what their plan still lacks.
"""

from __future__ import annotations

from pathways.errors import NoRoute
from pathways.iriss.base import Criterion, IrissResult, not_assessed, summarise
from pathways.model import Framework, TrainingItem
from pathways.organisation import OrganisationAnswers
from pathways.person import Person
from pathways.routes import Route, Step, find_routes, options

__all__ = ["check_route", "NATIONAL_SHARE", "SENIOR_STAGE"]

NATIONAL_SHARE = 0.5  # REC6.a1 threshold (configurable; the report sets none)
SENIOR_STAGE = 5  # service manager and above
MENTORING_MODES = {"mentoring", "coaching", "peer_support", "network"}


class _Context:
    def __init__(
        self,
        framework: Framework,
        route: Route,
        person: Person | None,
        answers: OrganisationAnswers | None = None,
        about: str | None = None,
    ):
        self.fw = framework
        self.route = route
        self.person = person
        self.plan = person.plan_items if person else ()
        self.answers = answers or OrganisationAnswers()
        # Whose plan, when someone else (their line manager) reads the checks: the text then
        # names them instead of saying "you".
        self.about = about
        self.your = f"{about}'s" if about else "your"
        self.Your = f"{about}'s" if about else "Your"

    def say(self, to_owner: str, to_other: str) -> str:
        """The owner's wording, or the other reader's (``{name}`` is the owner's name)."""
        return to_other.format(name=self.about) if self.about else to_owner

    def title(self, slug: str) -> str:
        return self.fw.roles[slug].title

    def item(self, item_id: str) -> TrainingItem:
        return self.fw.training[item_id]

    def step_items(self, step: Step) -> list[TrainingItem]:
        """What the person can count on at this step: available supports and plan items."""
        supports = [i for i in step.supports if self.answers.available(self.item(i))]
        ids = supports + [p.item for p in self.plan if p.role == step.target]
        return [self.item(i) for i in dict.fromkeys(ids)]

    def route_items(self) -> list[TrainingItem]:
        ids = [i.id for s in self.route.steps for i in self.step_items(s)]
        ids += [p.item for p in self.plan if p.role is None or p.role not in self.route.roles]
        return [self.item(i) for i in dict.fromkeys(ids)]

    def steps_lacking(self, predicate) -> list[Step]:
        return [s for s in self.route.steps if not any(predicate(i) for i in self.step_items(s))]

    def names(self, steps: list[Step]) -> str:
        return ", ".join(self.title(s.target) for s in steps)

    def suggest(self, step: Step, predicate) -> str:
        """Name a catalogue item for the step's role that would satisfy ``predicate``: one the
        person can get (in place, or offered by their organisation) before one nobody has
        answered for; never one their organisation says it does not offer."""
        order = {"available": 0, "unknown": 1}
        candidates = [
            (order[state], -item.preference, n, item)
            for n, item in enumerate(self.fw.training_for_role(step.target))
            if predicate(item) and (state := self.answers.item_state(item)) in order
        ]
        return min(candidates)[3].title if candidates else ""


def _every_step(ctx, code, predicate, what, fallback) -> Criterion:
    lacking = ctx.steps_lacking(predicate)
    if not ctx.route.steps:
        return Criterion(code, None, "The route has no steps.")
    if not lacking:
        return Criterion(code, True, f"Every step has {what}.")
    examples = "; ".join(
        f"{ctx.title(s.target)}: {ctx.suggest(s, predicate) or fallback}" for s in lacking
    )
    return Criterion(
        code,
        False,
        f"Missing {what} at: {ctx.names(lacking)}.",
        f"Add {what} to {ctx.your} plan ({examples}).",
    )


def _open_alternative(ctx: _Context) -> str:
    """Advice naming only a route the framework has: the route to the same target without
    line management, or, when the target is itself a management role, the furthest
    non-management roles this person can reach without one; nothing when there is none."""
    fw, route = ctx.fw, ctx.route
    source, target = route.roles[0], route.roles[-1]
    if not fw.roles[target].positional:
        try:
            [other] = find_routes(fw, source, target, ctx.person, k=1, avoid_positional=True)
        except NoRoute:
            return ""
        return (
            "Choose the route without line management: "
            + " → ".join(map(ctx.title, other.roles))
            + "."
        )
    reachable = options(fw, source, ctx.person, avoid_positional=True)
    if not reachable:
        return ""
    top = max(fw.roles[o.role].stage for o in reachable)
    names = [ctx.title(o.role) for o in reachable if fw.roles[o.role].stage == top]
    return (
        f"{ctx.title(target)} is itself a management role. Roles "
        + ctx.say("you", "{name}")
        + f" can reach without line management go as far as {' or '.join(names)}."
    )


def _rec1(ctx: _Context) -> IrissResult:
    fw, route, person = ctx.fw, ctx.route, ctx.person
    criteria = []
    positional = [r for r in route.roles[1:] if fw.roles[r].positional]
    if person is not None and not person.line_management:
        criteria.append(
            Criterion(
                "REC1.a3",
                not positional,
                ctx.say(
                    "The route avoids line management, as you prefer.",
                    "The route avoids line management, as {name} prefers.",
                )
                if not positional
                else ctx.say("You prefer", "{name} prefers")
                + f" not to line-manage, but this route passes through {', '.join(map(ctx.title, positional))}.",
                _open_alternative(ctx) if positional else "",
            )
        )
    # The "management is the only way up" barrier bites at practitioner and senior-practice stages.
    branch_points = [r for r in route.roles[:-1] if fw.roles[r].stage in (2, 3)]
    closed = [
        r
        for r in branch_points
        if not any(not fw.roles[n].positional for n in fw.graph.successors(r))
    ]
    if branch_points:
        criteria.append(
            Criterion(
                "REC1.a3",
                not closed,
                "A non-management next step exists at every point of the route."
                if not closed
                else f"Only management leads on from: {', '.join(map(ctx.title, closed))}.",
                "Ask your organisation about non-management roles at this stage.",
            )
        )
    criteria.append(
        _every_step(
            ctx,
            "REC1.a5",
            lambda i: True,
            "a support or development item",
            "ask about induction or mentoring",
        )
    )
    kinds = {i.kind for i in ctx.route_items()}
    missing = [k for k in ("academic", "training", "developmental", "work_based") if k not in kinds]
    criteria.append(
        Criterion(
            "REC1.a4",
            not missing,
            "The route mixes academic, training, developmental and work-based opportunities."
            if not missing
            else f"The route has no {' or '.join(k.replace('_', '-') for k in missing)} opportunities.",
            f"Add {' and '.join(k.replace('_', '-') for k in missing)} opportunities to {ctx.your} plan."
            if missing
            else "",
        )
    )
    local_only = [
        step
        for step in route.steps
        if ctx.step_items(step) and all(i.scope == "local" for i in ctx.step_items(step))
    ]
    if route.steps:
        criteria.append(
            Criterion(
                "REC1.a6",
                not local_only,
                "No step relies only on what one employer offers."
                if not local_only
                else f"Only local offers at: {ctx.names(local_only)}; the step may not carry "
                + ctx.say("over if you change employer.", "over if {name} changes employer."),
                "Add a national programme or qualification at "
                + ctx.names(local_only)
                + " so the step does not depend on one employer.",
            )
        )
    return summarise(1, criteria)


def _rec2(ctx: _Context) -> IrissResult:
    criteria = [
        _every_step(
            ctx,
            "REC2.a1",
            lambda i: i.sw_specific,
            "social-work-specific development",
            "none in the catalogue",
        )
    ]
    gaps = [s for s in ctx.route.steps if ctx.fw.roles[s.target].training_gap]
    if ctx.route.steps and not gaps:
        criteria.append(
            Criterion("REC2.a2", True, "No role on the route has a recorded training gap.")
        )
    for step in gaps:
        role = ctx.fw.roles[step.target]
        if role.training_gap:
            criteria.append(
                Criterion(
                    "REC2.a2",
                    False,
                    f"Catalogue gap: there is no specific leadership training for {role.title}. {role.training_gap}",
                    f"Ask your learning and development team about training for {role.title}; meanwhile use "
                    "coaching and mentoring.",
                )
            )
    items = ctx.route_items()
    topic = any(ctx.fw.capabilities[c].group == "practice" for i in items for c in i.capabilities)
    skill = any(ctx.fw.capabilities[c].group == "leadership" for i in items for c in i.capabilities)
    criteria.append(
        Criterion(
            "REC2.a3",
            topic and skill,
            "The route has both topic-specific (for example statutory duties) and skill-specific "
            "(leadership) development."
            if topic and skill
            else f"The route lacks {'topic-specific' if not topic else 'skill-specific'} development.",
            "Add an item on statutory duties or practice knowledge."
            if not topic
            else "Add a leadership skills item such as coaching conversations.",
        )
    )
    criteria.append(
        _every_step(
            ctx,
            "REC2.a4",
            lambda i: any(
                ctx.fw.capabilities[c].group == "leadership"
                for c in i.capabilities
                if c in ctx.fw.capabilities
            ),
            "leadership development",
            "a leadership item",
        )
    )
    return summarise(2, criteria)


def _rec3(ctx: _Context) -> IrissResult:
    criteria = [
        _every_step(
            ctx,
            "REC3.a1",
            lambda i: i.has_mode(*MENTORING_MODES),
            "mentoring or peer support",
            "a mentor or peer network",
        ),
        _every_step(
            ctx,
            "REC3.a2",
            lambda i: i.has_mode("supervision"),
            "supervision that covers support, not just cases",
            "reflective supervision",
        ),
    ]
    networks = [i for i in ctx.route_items() if i.mode == "network"]
    criteria.append(
        Criterion(
            "REC3.a4",
            bool(networks),
            f"Network membership: {', '.join(i.title for i in networks)}."
            if networks
            else "The route includes no network or community of practice.",
            "Join a peer network or community of practice.",
        )
    )
    nqsw_steps = [s for s in ctx.route.steps if s.target == "nqsw" or s.source == "nqsw"]
    if nqsw_steps:
        step = nqsw_steps[0]
        ok = any(i.has_mode("mentoring") for i in ctx.step_items(step))
        criteria.append(
            Criterion(
                "REC3.a5",
                ok,
                "The first year has a named practice educator or mentor."
                if ok
                else "The first year has no practice educator or first-year mentor.",
                ctx.say(
                    "Ask for a practice educator for your first year.",
                    "Arrange a practice educator for {name}'s first year.",
                ),
            )
        )
    criteria.append(_follow_up(ctx))
    return summarise(3, criteria)


def _rec4(ctx: _Context) -> IrissResult:
    fw, route, person = ctx.fw, ctx.route, ctx.person
    senior = [
        r for r in route.roles[1:] if fw.roles[r].positional and fw.roles[r].stage >= SENIOR_STAGE
    ]
    criteria = []
    if senior:
        areas = person.areas_experienced if person else frozenset()
        names = ", ".join(fw.service_areas[a].title for a in sorted(areas)) or "none recorded"
        criteria.append(
            Criterion(
                "REC4.a1",
                len(areas) >= 2,
                f"Service areas experienced or planned: {names}.",
                "Plan a secondment in another service area before senior posts.",
            )
        )
        criteria.append(
            _every_step_subset(
                ctx,
                "REC4.a3",
                senior,
                lambda i: i.has_mode("caseload"),
                "protected time for a small caseload",
            )
        )
    criteria += _service_area_match(ctx)
    if "cswo" in route.roles[1:]:
        items = ctx.route_items()
        checklist = any(i.has_mode("checklist") for i in items)
        induction = any(i.has_mode("induction") for i in items)
        criteria.append(
            Criterion(
                "REC4.a4",
                checklist and induction,
                "CSWO preparation: "
                + ("statutory duties checklist " + ("included" if checklist else "missing"))
                + "; structured induction "
                + ("included" if induction else "missing")
                + ".",
                "Add the CSWO statutory duties checklist and a one-year induction plan.",
            )
        )
    positional = [r for r in route.roles[1:] if fw.roles[r].positional]
    if positional:
        criteria.append(
            _every_step_subset(
                ctx,
                "REC4.a5",
                positional,
                lambda i: i.has_mode("induction"),
                "induction with time to settle",
            )
        )
    if not criteria:
        criteria.append(
            Criterion("REC4.a1", None, "The route enters no management or senior post.")
        )
    return summarise(4, criteria)


def _service_area_match(ctx: _Context) -> list[Criterion]:
    """REC4.a2: before the first move into management, experience, a planned secondment or a
    structured induction in the service area of the post ("somebody might never have worked
    in the area that they're going to be team managing in")."""
    fw, person = ctx.fw, ctx.person
    first = next((s for s in ctx.route.steps if fw.roles[s.target].positional), None)
    if first is None or person is None:
        return []
    role = ctx.title(first.target)
    if person.target_area is None or person.target_area not in fw.service_areas:
        return [
            not_assessed(
                "REC4.a2",
                f"Not assessed: which service area is the {role} post in?",
                "Say which service area the post is in, in the planner.",
            )
        ]
    area = fw.service_areas[person.target_area].title
    if person.target_area in person.areas_experienced:
        who = ctx.say("You have worked in, or plan", "{name} has worked in, or plans")
        return [Criterion("REC4.a2", True, f"{who} a secondment to, {area}.")]
    induction = [i.title for i in ctx.step_items(first) if i.has_mode("induction")]
    if induction:
        return [
            Criterion(
                "REC4.a2",
                True,
                ctx.say("You have", "{name} has")
                + f" not worked in {area}, but a structured induction comes with the "
                f"{role} post: {', '.join(induction)}.",
            )
        ]
    return [
        Criterion(
            "REC4.a2",
            False,
            ctx.say("You", "{name}") + f" would be managing in {area} without having worked there.",
            f"Plan a secondment to {area} before the {role} post, or agree a structured "
            "induction in it.",
        )
    ]


def _representation(ctx: _Context, senior: list[Step]) -> Criterion:
    """REC5.a2: at senior steps, a chance to represent the profession: on the plan or offered
    at the step, or the organisation says senior social workers are invited to."""
    chances = [i.title for s in senior for i in ctx.step_items(s) if i.has_mode("representation")]
    invited = ctx.answers.fact("representation_invited")
    action = (
        "Ask for a chance to represent social work in an integrated structure at "
        f"{ctx.names(senior)}, and add it to {ctx.your} plan."
    )
    if chances:
        return Criterion(
            "REC5.a2", True, f"Representing the profession: {', '.join(dict.fromkeys(chances))}."
        )
    if invited == "yes":
        return Criterion(
            "REC5.a2",
            True,
            "Your organisation says senior social workers are invited to represent the "
            "profession in health and social care structures.",
        )
    if invited is None:
        return not_assessed(
            "REC5.a2",
            "Your organisation has not said whether senior social workers are invited to "
            f"represent the profession, and {ctx.your} plan has no such chance.",
            action,
        )
    return Criterion(
        "REC5.a2",
        False,
        "Your organisation says senior social workers are not invited to represent the "
        f"profession, and {ctx.your} plan has no such chance.",
        action,
    )


def _follow_up(ctx: _Context) -> Criterion:
    """REC3.a3: each formal course on the plan has something that embeds it at the same step:
    supervision, peer rehearsal, or an item done in practice."""
    formal = [
        p
        for p in ctx.plan
        if p.item in ctx.fw.training
        and ctx.item(p.item).kind in ("training", "academic")
        and not ctx.item(p.item).embedded
    ]
    if not formal:
        return Criterion("REC3.a3", None, f"{ctx.Your} plan has no formal course to follow up.")

    def embeds(item: TrainingItem) -> bool:
        return item.embedded or item.has_mode("supervision", "peer_support")

    lonely = []
    for p in formal:
        step = next((s for s in ctx.route.steps if s.target == p.role), None)
        around = ctx.step_items(step) if step else [ctx.item(q.item) for q in ctx.plan]
        if not any(embeds(i) for i in around if i.id != p.item):
            lonely.append(ctx.item(p.item).title)
    if not lonely:
        return Criterion(
            "REC3.a3", True, f"Every formal course on {ctx.your} plan has a follow-up."
        )
    return Criterion(
        "REC3.a3",
        False,
        f"No follow-up in practice for: {', '.join(dict.fromkeys(lonely))}.",
        "Pair each course with a supervision discussion, a work-based task or rehearsal with "
        "peers at the same step.",
    )


def _every_step_subset(ctx, code, roles, predicate, what) -> Criterion:
    steps = [s for s in ctx.route.steps if s.target in roles]
    lacking = [s for s in steps if not any(predicate(i) for i in ctx.step_items(s))]
    if not lacking:
        return Criterion(code, True, f"{what[0].upper() + what[1:]} at: {ctx.names(steps)}.")
    return Criterion(
        code,
        False,
        f"Missing {what} at: {ctx.names(lacking)}.",
        f"Add {what} at {ctx.names(lacking)}.",
    )


def _rec5(ctx: _Context) -> IrissResult:
    criteria = [
        _every_step(
            ctx,
            "REC5.a1",
            lambda i: i.has_mode("reflection_time"),
            "protected time for reflection",
            "protected reflection time",
        )
    ]
    person = ctx.person
    if person is not None and person.extra_hours_per_week is not None:
        heavy = person.extra_hours_per_week > 0 and bool(ctx.plan)
        criteria.append(
            Criterion(
                "REC5.a4",
                not heavy,
                ctx.say("You already work", "{name} already works")
                + f" about {person.extra_hours_per_week:g} extra hours a week; planned "
                "development would add to that."
                if heavy
                else f"Planned development fits {ctx.your} declared hours.",
                f"Agree protected time for development in {ctx.your} workload before adding more.",
            )
        )
    senior = [s for s in ctx.route.steps if ctx.fw.roles[s.target].stage >= SENIOR_STAGE]
    if senior:
        criteria.append(_representation(ctx, senior))
    return summarise(5, criteria)


def _rec6(ctx: _Context) -> IrissResult:
    items = ctx.route_items()
    national = [i for i in items if i.scope == "national"]
    share = len(national) / len(items) if items else 0.0
    criteria = [
        Criterion(
            "REC6.a1",
            share >= NATIONAL_SHARE,
            f"{len(national)} of {len(items)} items on the route come from a national offer.",
            "Prefer national programmes where they exist.",
        )
    ]
    evidence = [i for i in items if "research_evidence" in i.capabilities]
    on_route = "research_practitioner" in ctx.route.roles
    criteria.append(
        Criterion(
            "REC6.a2",
            bool(evidence) or on_route,
            "Evidence or improvement: "
            + ", ".join([i.title for i in evidence] or ["research practitioner step"])
            + "."
            if evidence or on_route
            else "The route has no evidence-use or improvement item.",
            "Add an improvement or evidence item such as the Scottish Improvement Leaders Programme.",
        )
    )
    criteria.append(
        _every_step(
            ctx,
            "REC6.a3",
            lambda i: i.embedded,
            "learning embedded in practice",
            "a work-based task",
        )
    )
    return summarise(6, criteria)


def _rec7(ctx: _Context) -> IrissResult:
    fw, route = ctx.fw, ctx.route
    items = ctx.route_items()
    criteria = []
    early = [s for s in route.steps if fw.roles[s.target].stage <= 1]
    if early:
        ok = all(any("self_leadership" in i.capabilities for i in ctx.step_items(s)) for s in early)
        criteria.append(
            Criterion(
                "REC7.a1",
                ok,
                "The early stages include non-positional leadership content."
                if ok
                else f"No leadership content at: {ctx.names(early)}.",
                "Ask about leadership in practice, and the CSWO's professional leadership role, during "
                "qualification and the first year.",
            )
        )
    confidence = [i for i in items if "professional_confidence" in i.capabilities]
    criteria.append(
        Criterion(
            "REC7.a2",
            bool(confidence),
            "Confidence-building: " + ", ".join(i.title for i in confidence) + "."
            if confidence
            else "The route builds no confidence in stating the social work contribution.",
            "Add an item that builds confidence in integrated settings, such as rehearsing scenarios with peers.",
        )
    )
    step_in = [r for r in route.roles[1:] if not fw.roles[r].positional and fw.roles[r].stage >= 3]
    step_in_items = [i for i in items if i.has_mode("step_in", "representation")]
    ok = bool(step_in or step_in_items)
    criteria.append(
        Criterion(
            "REC7.a3",
            ok,
            "Leadership without a formal post: "
            + ", ".join([ctx.title(r) for r in step_in] + [i.title for i in step_in_items])
            + "."
            if ok
            else "The route offers no chance to lead without a formal post.",
            "Lead a practice area or share a specialism.",
        )
    )
    if ctx.person is not None:
        shown = [
            (ctx.item(p.item).title, p.status)
            for p in ctx.plan
            if p.item in ctx.fw.training and ctx.item(p.item).has_mode("step_in", "representation")
        ]
        done = [title for title, status in shown if status == "done"]
        recorded = ctx.person.leadership_shown
        criteria.append(
            Criterion(
                "REC7.a4",
                bool(shown or recorded),
                (
                    (
                        f"Leadership without a post on {ctx.your} plan: "
                        f"{', '.join(dict.fromkeys(t for t, _ in shown))}"
                        + (f" ({len(done)} done)." if done else " (none done yet).")
                        if shown
                        else ""
                    )
                    + (
                        f"{' ' if shown else ''}Leadership shown without a post, in "
                        f"{ctx.your} learning record: {', '.join(dict.fromkeys(recorded))}."
                        if recorded
                        else ""
                    )
                )
                if shown or recorded
                else f"Neither {ctx.your} plan nor {ctx.your} learning record shows leadership "
                "without a post.",
                ctx.say("Record leadership you show", "Record leadership {name} shows")
                + f" without a post on {ctx.your} plan: upskilling "
                "colleagues, leading a practice area, sharing a specialism or representing "
                "the profession.",
            )
        )
    return summarise(7, criteria)


def check_route(
    framework: Framework,
    route: Route,
    person: Person | None = None,
    answers: OrganisationAnswers | None = None,
    about: str | None = None,
) -> list[IrissResult]:
    """The seven Iriss checks on a route and the person's plan items, counting the supports
    the person's organisation says it offers (``answers``; none: only national ones). The text
    speaks to the plan's owner ("your plan"), or, given their name as ``about``, of them to
    someone else reading it (their line manager: "Priya's plan").

    >>> from pathways.loader import default_framework
    >>> from pathways.routes import find_routes
    >>> fw = default_framework()
    >>> route = find_routes(fw, "social_worker", "senior_social_worker")[0]
    >>> [r.status for r in check_route(fw, route)][1]  # no training for this level (Iriss)
    'missing'
    """
    ctx = _Context(framework, route, person, answers, about)
    return [check(ctx) for check in (_rec1, _rec2, _rec3, _rec4, _rec5, _rec6, _rec7)]
