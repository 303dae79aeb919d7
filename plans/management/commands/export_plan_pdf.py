import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from departments.models import Department
from plans.models import AnnualPlan
from plans.reports import render_department_pdf, render_plan_pdf


class Command(BaseCommand):
    help = (
        "Write a plan's PDF report: export_plan_pdf 2018 -o plan.pdf (the movement's plan; "
        "--body for a body's plan, --department for one department's report, --language he|en)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument(
            "-o", "--output", help="the PDF file to write (default: plan-<year>-<language>.pdf)"
        )
        parser.add_argument(
            "--body",
            "--owner",
            dest="body",
            help="slug of the owning body; the movement as a whole if absent",
        )
        parser.add_argument("--department", help="slug of a department: its report instead of the whole plan")
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, choices=[code for code, _name in settings.LANGUAGES]
        )

    def handle(self, *args, year, output, body, department, language, **options):
        plans = AnnualPlan.objects.select_related("body")
        plan = (
            (plans.filter(body__slug=body) if body else plans.filter(body__isnull=True))
            .filter(year=year)
            .first()
        )
        if plan is None:
            if body:
                raise CommandError(
                    _('There is no %(year)s plan of the body "%(body)s".') % {"year": year, "body": body}
                )
            raise CommandError(_("There is no %(year)s plan of the movement.") % {"year": year})
        if department:
            report_department = Department.objects.filter(slug=department).first()
            if report_department is None:
                raise CommandError(
                    _('There is no department with the slug "%(slug)s".') % {"slug": department}
                )
        path = Path(output or _default_name(plan, department, language))
        if not path.parent.is_dir():
            raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
        started = time.perf_counter()
        if department:
            pdf = render_department_pdf(plan, report_department, language=language)
        else:
            pdf = render_plan_pdf(plan, language=language)
        path.write_bytes(pdf)
        self.stdout.write(
            f"{path}: {pdf.page_count} pages, {len(pdf) // 1024} KiB, {time.perf_counter() - started:.1f} s."
        )


def _default_name(plan, department, language):
    parts = ["plan", str(plan.year)]
    if plan.body_id:
        parts.append(plan.body.slug)
    if department:
        parts.append(department)
    return "-".join([*parts, language]) + ".pdf"
