"""The plans app's background work, registered with the floor: the yearly plan and department PDF
reports, the stale-goals digest in the reminder round, and the notice to a goal's responsible person."""

from django.utils.translation import gettext, override

from movement import reminders, reports

from . import access


def _plan(job):
    from .models import AnnualPlan

    return AnnualPlan.objects.select_related("body").filter(pk=job.object_id).first()


def _department(job):
    from departments.models import Department

    return Department.objects.filter(pk=job.part_id).first()


def _plan_title(plan, job):
    with override(job.language):
        return f"{plan.title} {plan.year}" if str(plan.year) not in plan.title else plan.title


def _render_plan(plan, job):
    from .reports import render_plan_pdf

    return render_plan_pdf(plan, language=job.language)


def _render_department(plan, job):
    from .reports import render_department_pdf

    department = _department(job)
    if department is None:
        raise LookupError(f"Department {job.part_id} does not exist")
    return render_department_pdf(plan, department, language=job.language)


def _department_title(plan, job):
    department = _department(job)
    with override(job.language):
        return gettext("%(department)s — %(plan)s") % {
            "department": department.name if department else "?",
            "plan": _plan_title(plan, job),
        }


def register():
    reports.register(
        reports.ReportKind(
            name="plan",
            get_object=_plan,
            version=lambda plan, job: plan.changed_at.isoformat(),
            title=_plan_title,
            can_read=lambda user, plan, job: access.may_read_plans(user),
            render=_render_plan,
            filename=lambda plan, job: f"plan-{plan.year}-{job.language}.pdf",
            object_url=lambda plan, job: plan.get_absolute_url(),
        )
    )
    reports.register(
        reports.ReportKind(
            name="department",
            get_object=_plan,
            version=lambda plan, job: plan.changed_at.isoformat(),
            title=_department_title,
            can_read=lambda user, plan, job: access.may_read_plans(user),
            render=_render_department,
            filename=lambda plan, job: f"plan-{plan.year}-department-{job.part_id}-{job.language}.pdf",
            object_url=lambda plan, job: (_department(job) or plan).get_absolute_url(),
        )
    )
    from .models import Goal
    from .reminders import notify_responsible, stale_goal_digests

    reminders.register_round(stale_goal_digests)
    reminders.watch_assignment(Goal, "responsible", notify_responsible)
