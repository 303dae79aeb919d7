"""Import and export of departments and their units: the same columns both ways."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from movement.importing import ChoiceWidget, LookupWidget, NumberWidget, SafeResource, flag_field
from movement.importing import text_field as text

from .models import Department, Unit

UNKNOWN_DEPARTMENT = gettext_lazy("Unknown department: %(value)s")


def department_lookup():
    return LookupWidget(Department, keys=("name_he", "name_en", "slug"), unknown=UNKNOWN_DEPARTMENT)


def whole_number(attribute):
    return fields.Field(attribute=attribute, column_name=attribute, widget=NumberWidget(whole=True))


class DepartmentResource(SafeResource):
    name_he = text("name_he")
    name_en = text("name_en")
    slug = text("slug")
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Department.Kind))
    order = whole_number("order")
    is_active = flag_field("is_active")
    description_he = text("description_he")
    description_en = text("description_en")
    required_columns = ("name_he", "slug", "kind")

    class Meta:
        model = Department
        fields = ("id", "name_he", "name_en", "slug", "kind", "order", "is_active", "description_he",
                  "description_en")  # fmt: skip

    def check_row(self, instance, row):
        if not instance.name_he:
            raise ValidationError({"name_he": _("The Hebrew name is missing.")})
        if instance.order is None:
            instance.order = 0

    def natural_key(self, instance):
        return ("name", instance.name_he)


class UnitResource(SafeResource):
    department = fields.Field(attribute="department", column_name="department", widget=department_lookup())
    name_he = text("name_he")
    name_en = text("name_en")
    slug = text("slug")
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Unit.Kind))
    order = whole_number("order")
    required_columns = ("department", "name_he", "slug", "kind")

    class Meta:
        model = Unit
        fields = ("id", "department", "name_he", "name_en", "slug", "kind", "order")

    def get_queryset(self):
        return Unit.objects.select_related("department")

    def check_row(self, instance, row):
        if not instance.name_he:
            raise ValidationError({"name_he": _("The Hebrew name is missing.")})
        if instance.order is None:
            instance.order = 0

    def natural_key(self, instance):
        return ("unit", instance.department_id, instance.name_he)
