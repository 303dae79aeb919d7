from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from movement.models import Body
from movement.reminders import muted_command as reminders_muted
from plans.importing import PlanDocumentError, parse_document
from plans.importing.matching import DepartmentMatcher
from plans.models import AnnualPlan
from plans.services import plan_import


class Command(BaseCommand):
    help = "Import an annual plan from a .docx, .md or .txt document (the movement's plan by default)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--owner", help="slug of the owning body; the movement as a whole if absent")
        parser.add_argument("--title", default="")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be imported, write nothing"
        )
        parser.add_argument("--if-missing", action="store_true", help="do nothing if the plan already exists")

    @reminders_muted
    def handle(self, *args, file, year, owner, title, dry_run, if_missing, **options):
        translation.activate("he")
        body = None
        if owner:
            body = Body.objects.filter(slug=owner).first()
            if body is None:
                raise CommandError(f"No body with the slug {owner!r}.")
        if AnnualPlan.objects.filter(year=year, body=body).exists():
            if if_missing:
                self.stdout.write(f"The {year} plan already exists; nothing imported.")
                return
            raise CommandError(f"A plan for {year} already exists for this owner.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            parsed = parse_document(path.name, path.read_bytes())
        except PlanDocumentError as error:
            raise CommandError(str(error)) from error
        DepartmentMatcher().assign(parsed)

        sections = list(parsed.walk_sections())
        targets = sum(1 for goal in parsed.all_goals() if goal.target)
        self.stdout.write(
            f"{parsed.title or title}: {len(sections)} sections, {parsed.goal_count} goals, {targets} targets"
        )
        for section in sections:
            owner_text = (
                f" [{section.department}{'/' + section.unit if section.unit else ''}]"
                if section.department
                else ""
            )
            self.stdout.write(
                f"{'  ' * (section.level - 2)}{section.title}{owner_text}: {len(list(section.all_goals()))}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            return
        plan = plan_import(parsed=parsed, year=year, body=body, title=title)
        self.stdout.write(self.style.SUCCESS(f"Imported plan {plan.pk}: {plan}"))
