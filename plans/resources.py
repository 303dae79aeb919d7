"""Import and export of goals and progress updates: the same columns both ways.

A goal row names its plan by year and owner (empty: the movement's own plan) and its section by the
path of section titles from the top ("יעדי אגף חינוך / חינוך בלתי פורמלי"); its department and unit by
name, its responsible person by email. An id names an existing goal; an empty id adds one. Progress
updates are never edited: a row with an id must be as exported; a row without one adds an update.
"""

from django.core.exceptions import ValidationError
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from departments.models import Unit
from departments.resources import department_lookup
from movement.importing import (
    ChoiceWidget,
    DateTimeWidget,
    DateWidget,
    IdWidget,
    LookupWidget,
    NumberWidget,
    SafeResource,
    TextWidget,
    flag_field,
)
from movement.importing import text_field as text
from movement.models import User

from .models import AnnualPlan, Goal, PlanSection, ProgressUpdate

PATH_SEPARATOR = " / "
UNKNOWN_PERSON = gettext_lazy("No user with the email %(value)s")


def number(attribute, whole=False):
    return fields.Field(attribute=attribute, column_name=attribute, widget=NumberWidget(whole=whole))


def person(attribute):
    return fields.Field(
        attribute=attribute,
        column_name=attribute,
        widget=LookupWidget(User, keys=("email",), unknown=UNKNOWN_PERSON),
    )


class PlanIndex:
    """Plans, their section paths, goal ids and next order, each read once per import or export."""

    def __init__(self):
        self._plans = None
        self._paths = {}
        self._goals = {}
        self._next_order = {}

    def plan(self, year, owner):
        if self._plans is None:
            self._plans = {}
            for plan in AnnualPlan.objects.select_related("body"):
                names = [""] if plan.body is None else [plan.body.name_he, plan.body.name_en, plan.body.slug]
                for name in names:
                    self._plans.setdefault((plan.year, str(name or "").casefold()), plan)
        return self._plans.get((year, owner.casefold()))

    def paths(self, plan_id):
        """{section id: "title / title"} for one plan."""
        if plan_id not in self._paths:
            sections = {
                s.pk: s
                for s in PlanSection.objects.filter(plan_id=plan_id).only("pk", "parent_id", "title_he")
            }
            paths = {}
            for pk, section in sections.items():
                titles, node, hops = [], section, 0
                while node is not None and hops < 50:
                    titles.append(node.title_he or "")
                    node, hops = sections.get(node.parent_id), hops + 1
                paths[pk] = PATH_SEPARATOR.join(reversed(titles))
            self._paths[plan_id] = paths
        return self._paths[plan_id]

    def section(self, plan_id, path):
        wanted = PATH_SEPARATOR.join(part.strip() for part in path.split("/"))
        matches = [pk for pk, known in self.paths(plan_id).items() if known == wanted]
        return matches[0] if len(matches) == 1 else None

    def goals(self, plan_id):
        """{(section id, text): goal id} of the plan's goals."""
        if plan_id not in self._goals:
            rows = Goal.objects.filter(plan_id=plan_id).values_list("pk", "section_id", "text_he")
            self._goals[plan_id] = {(section, text_he): pk for pk, section, text_he in rows}
        return self._goals[plan_id]

    def next_order(self, plan_id):
        if plan_id not in self._next_order:
            self._next_order[plan_id] = (
                Goal.objects.filter(plan_id=plan_id).aggregate(m=Max("order"))["m"] or 0
            )
        self._next_order[plan_id] += 1
        return self._next_order[plan_id]


class GoalResource(SafeResource):
    plan_year = fields.Field(column_name="plan_year", widget=NumberWidget(whole=True), readonly=True)
    plan_owner = fields.Field(column_name="plan_owner", widget=TextWidget(), readonly=True)
    section = fields.Field(column_name="section", widget=TextWidget(), readonly=True)
    parent = fields.Field(attribute="parent_id", column_name="parent", widget=IdWidget())
    order = number("order", whole=True)
    text_he = text("text_he")
    text_en = text("text_en")
    department = fields.Field(attribute="department", column_name="department", widget=department_lookup())
    unit = fields.Field(
        attribute="unit",
        column_name="unit",
        widget=LookupWidget(
            Unit, keys=("name_he", "name_en", "slug"), unknown=gettext_lazy("Unknown unit: %(value)s")
        ),
    )
    target_value = number("target_value")
    target_max = number("target_max")
    target_unit = text("target_unit")
    target_is_about = flag_field("target_is_about")
    target_is_increase = flag_field("target_is_increase")
    baseline = number("baseline")
    budget = number("budget", whole=True)
    responsible = person("responsible")
    due_quarter = fields.Field(
        attribute="due_quarter", column_name="due_quarter", widget=NumberWidget(whole=True)
    )
    due_date = fields.Field(attribute="due_date", column_name="due_date", widget=DateWidget())
    is_archived = flag_field("is_archived")

    required_columns = ("plan_year", "section", "text_he")
    checked_relations = ("plan", "section", "parent", "department", "unit", "responsible")
    validate_constraints = False  # the target range and the budget are checked in check_row()

    class Meta:
        model = Goal
        fields = ("id", "plan_year", "plan_owner", "section", "parent", "order", "text_he", "text_en",
                  "department", "unit", "target_value", "target_max", "target_unit", "target_is_about",
                  "target_is_increase", "baseline", "budget", "responsible", "due_quarter", "due_date",
                  "is_archived")  # fmt: skip

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.index = PlanIndex()

    def get_queryset(self):
        return Goal.objects.select_related("plan__body", "department", "unit", "responsible")

    # Export
    def dehydrate_plan_year(self, goal):
        return goal.plan.year if goal.plan_id else None

    def dehydrate_plan_owner(self, goal):
        return goal.plan.body.name_he if goal.plan_id and goal.plan.body_id else ""

    def dehydrate_section(self, goal):
        return self.index.paths(goal.plan_id).get(goal.section_id, "") if goal.section_id else ""

    # Import
    def check_row(self, instance, row):
        errors = {}
        try:
            year = NumberWidget(whole=True).clean(row.get("plan_year"))
        except ValueError as error:
            raise ValidationError({"plan_year": str(error)}) from None
        owner = TextWidget().clean(row.get("plan_owner"))
        plan = self.index.plan(year, owner) if year else None
        if plan is None:
            raise ValidationError(
                {"plan_year": _("There is no plan of %(year)s for %(owner)s.")
                 % {"year": row.get("plan_year") or "—", "owner": owner or _("the movement")}}
            )  # fmt: skip
        if instance.pk and instance.plan_id != plan.pk:
            raise ValidationError(
                {"plan_year": _("A goal cannot move to another plan: add it as a new goal.")}
            )
        instance.plan = plan
        path = TextWidget().clean(row.get("section"))
        section_id = self.index.section(plan.pk, path) if path else None
        if section_id is None:
            errors["section"] = _("The plan of %(year)s has no section %(path)s.") % {
                "year": plan.year,
                "path": path or "—",
            }
        else:
            instance.section_id = section_id
        if instance.parent_id and instance.parent_id not in self.index.goals(plan.pk).values():
            errors["parent"] = _("The parent goal %(id)s is not a goal of this plan.") % {
                "id": instance.parent_id
            }
        if instance.parent_id and instance.parent_id == instance.pk:
            errors["parent"] = _("A goal cannot be its own parent.")
        if not instance.text_he:
            errors["text_he"] = _("The goal's text is missing.")
        if instance.unit and instance.department and instance.unit.department_id != instance.department.pk:
            errors["unit"] = _("%(unit)s is not a unit of %(department)s.") % {
                "unit": instance.unit.name_he, "department": instance.department.name_he}  # fmt: skip
        elif instance.unit and not instance.department:
            instance.department = instance.unit.department
        if instance.target_max is not None and (
            instance.target_value is None or instance.target_max < instance.target_value
        ):
            errors["target_max"] = _("The upper end of the range is below the target.")
        if instance.budget is not None and instance.budget < 0:
            errors["budget"] = _("The budget cannot be negative.")
        if instance.due_quarter is not None and instance.due_quarter not in (1, 2, 3, 4):
            errors["due_quarter"] = _("The due quarter is 1, 2, 3 or 4.")
        if errors:
            raise ValidationError(errors)
        if instance.pk is None:
            existing = self.index.goals(plan.pk).get((instance.section_id, instance.text_he))
            if existing:
                raise ValidationError(
                    _("This section already has this goal (id %(id)s): give its id to change it.")
                    % {"id": existing}
                )
            if instance.order is None or not TextWidget().clean(row.get("order")):
                instance.order = self.index.next_order(plan.pk)
        elif instance.order is None:
            raise ValidationError({"order": _("This field is required.")})

    def natural_key(self, instance):
        return ("goal", instance.plan_id, instance.section_id, instance.text_he)

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        self._section_before = instance.section_id

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance.section_id != self._section_before:
            return False  # moved to another section of its plan
        return super().skip_row(instance, original, row, import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            instance.version += 1  # an edit form opened before the import now meets a conflict

    # The background path
    def bulk_update_fields(self):
        return [*super().bulk_update_fields(), "section", "version", "updated_at"]

    def before_bulk_write(self, created, updated):
        now = timezone.now()
        for goal in updated:
            goal.version += 1
            goal.updated_at = now

    def after_bulk_write(self, created, updated):
        plan_ids = {goal.plan_id for goal in [*created, *updated]}
        AnnualPlan.objects.filter(pk__in=plan_ids).update(changed_at=timezone.now())


class ProgressUpdateResource(SafeResource):
    goal = fields.Field(attribute="goal_id", column_name="goal", widget=IdWidget())
    as_of = fields.Field(attribute="as_of", column_name="as_of", widget=DateWidget())
    status = fields.Field(
        attribute="status", column_name="status", widget=ChoiceWidget(ProgressUpdate.Status)
    )
    value = number("value")
    percent = number("percent", whole=True)
    note = text("note")
    author = person("author")
    created_at = fields.Field(attribute="created_at", column_name="created_at", widget=DateTimeWidget())

    required_columns = ("goal", "status")
    checked_relations = ("goal", "author")

    class Meta:
        model = ProgressUpdate
        fields = ("id", "goal", "as_of", "status", "value", "percent", "note", "author", "created_at")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.goal_plans = {}
        self.originals = {}

    def get_queryset(self):
        return ProgressUpdate.objects.select_related("author")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        ids = set()
        for value in dataset["goal"]:
            try:
                ids.add(IdWidget().clean(value))
            except ValueError:
                continue
        ids.discard(None)
        self.goal_plans = dict(Goal.objects.filter(pk__in=ids).values_list("pk", "plan_id"))

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        if not new:
            self.originals[instance.pk] = (self._values(instance), instance.created_at)

    def _values(self, instance):
        """What a row may not change, as a spreadsheet keeps it (text stripped, time to the second)."""
        values = [
            getattr(instance, name)
            for name in ("goal_id", "as_of", "status", "value", "percent", "author_id")
        ]
        moment = instance.created_at
        return (*values, (instance.note or "").strip(), moment.replace(microsecond=0) if moment else None)

    def check_row(self, instance, row):
        if instance.goal_id is None:
            raise ValidationError({"goal": _("This field is required.")})
        if instance.goal_id not in self.goal_plans:
            raise ValidationError(
                {"goal": _("There is no goal with the id %(id)s.") % {"id": instance.goal_id}}
            )
        if instance.pk:
            values, created_at = self.originals.get(instance.pk, (None, None))
            if self._values(instance) != values:
                raise ValidationError(
                    _("A progress update is never changed. To record a new state, add a row without an id.")
                )
            instance.created_at = created_at  # as recorded, to the microsecond: the row is unchanged
        instance.created_at = instance.created_at or timezone.now()
        instance.as_of = instance.as_of or timezone.localdate()
        if instance.value is not None and instance.value < 0:
            raise ValidationError({"value": _("The value cannot be negative.")})

    def natural_key(self, instance):
        return ("update", instance.goal_id, instance.status, instance.value, instance.percent, instance.note,
                instance.as_of)  # fmt: skip

    def after_save_instance(self, instance, row, **kwargs):
        if instance.pk and self.collected is None and not kwargs.get("dry_run"):
            self._refresh_goals({instance.goal_id})

    def after_bulk_write(self, created, updated):
        self._refresh_goals({update.goal_id for update in created})

    def _refresh_goals(self, goal_ids):
        """Each goal's state is its latest update (by recording time), whatever order the rows came in."""
        if not goal_ids:
            return
        latest = (
            ProgressUpdate.objects.filter(goal=OuterRef("pk")).order_by("-created_at", "-pk").values("pk")[:1]
        )
        Goal.objects.filter(pk__in=goal_ids).update(latest_update=Subquery(latest))
        plan_ids = set(Goal.objects.filter(pk__in=goal_ids).values_list("plan_id", flat=True))
        AnnualPlan.objects.filter(pk__in=plan_ids).update(changed_at=timezone.now())
