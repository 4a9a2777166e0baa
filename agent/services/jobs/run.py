"""`run_due(now)`: everything the follow-up jobs would do at `now`, once, in order. Serves cron, tests and evals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from agent.services.integrations.delivery import DeliveryReport, deliver_due
from agent.services.jobs.dispatch import DispatchReport, dispatch_due, reconcile
from agent.services.jobs.ghost import plan_ghost_nudges
from agent.services.jobs.outreach import run_outreach
from agent.services.jobs.sequences import plan_sequence_steps
from agent.services.provider import Services
from agent.services.questions import QuestionReport, chase_questions

Progress = Callable[[str], None]
"""Told the name of each stage as it starts."""


@dataclass
class RunReport:
    now: datetime
    reconciled_unknown: list[int] = field(default_factory=list)
    ghost_planned: int = 0
    sequence_planned: int = 0
    prospects_assigned: int = 0
    outreach_planned: int = 0
    questions: QuestionReport = field(default_factory=QuestionReport)
    dispatch: DispatchReport = field(default_factory=DispatchReport)
    webhooks: DeliveryReport = field(default_factory=DeliveryReport)


async def run_due(
    services: Services,
    now: datetime | None = None,
    *,
    tenant_id: int | None = None,
    outreach: bool = True,
    webhooks: bool = True,
    concurrency: int = 4,
    limit: int | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Reconcile dead claims, plan ghost nudges, sequence steps and outreach, chase unanswered questions to
    the agent (a reminder, a notice to the lead), then send what is due, webhook deliveries last.

    With `tenant_id` every stage, the reconcile and approval expiry included, touches only that tenant.
    """
    now = now or services.clock.now()
    report = RunReport(now=now)

    def stage(name: str) -> None:
        if progress is not None:
            progress(name)

    stage("reconcile")
    report.reconciled_unknown = [send.id for send in await reconcile(services, now, tenant_id=tenant_id)]
    stage("ghost")
    report.ghost_planned = sum(
        plan.planned for plan in await plan_ghost_nudges(services, now, tenant_id=tenant_id)
    )
    stage("sequences")
    report.sequence_planned = await plan_sequence_steps(services, now, tenant_id=tenant_id)
    if outreach:
        stage("outreach")
        for round_ in await run_outreach(services, now, tenant_id=tenant_id):
            report.prospects_assigned += sum(1 for a in round_.assigned if a.rep_id is not None)
            report.outreach_planned += round_.planned
    stage("questions")
    report.questions = await chase_questions(services, now, tenant_id=tenant_id)
    stage("dispatch")
    report.dispatch = await dispatch_due(
        services, now, concurrency=concurrency, tenant_id=tenant_id, limit=limit
    )
    if webhooks:
        stage("webhooks")
        report.webhooks = await deliver_due(services, now, tenant_id=tenant_id)
    return report
