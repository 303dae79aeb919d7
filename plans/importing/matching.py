"""Matching a plan heading to the department or unit it names ("יעדי אגף חינוך" → אגף חינוך)."""

import re

from departments.models import Department, Unit

# Prefixes a department's name may drop when a heading names it ("משפטית:" for "המחלקה המשפטית").
_DROPPABLE = ("המחלקה ה", "מחלקת ", "אגף ", "היחידה ל", "יחידת ")


def _forms(name):
    forms = {name}
    for prefix in _DROPPABLE:
        if name.startswith(prefix) and len(name) - len(prefix) >= 4:
            forms.add(name[len(prefix) :])
    return forms


def _names_in(heading, name):
    heading = " " + re.sub(r"[:.,;()\"']", " ", heading) + " "
    return any(f" {form} " in heading or f" ה{form} " in heading for form in _forms(name))


class DepartmentMatcher:
    """Loads departments and units once; answers which ones a heading names."""

    def __init__(self):
        self.departments = list(Department.objects.filter(is_active=True).order_by("order"))
        self.units = list(Unit.objects.select_related("department"))

    def departments_in(self, heading):
        """Departments the heading names, in the order they appear in it."""
        found = [d for d in self.departments if _names_in(heading, d.name)]
        return sorted(found, key=lambda d: min(heading.find(f) for f in _forms(d.name) if f in heading))

    def unit_in(self, heading, department=None):
        for unit in self.units:
            if (department is None or unit.department_id == department.pk) and _names_in(heading, unit.name):
                return unit
        return None

    def assign(self, plan):
        """Set department / unit / partners on every section of a ParsedPlan, inherited downwards."""

        def visit(section, department_slug, unit_slug):
            named = self.departments_in(section.title)
            if named:
                department_slug, unit_slug = named[0].slug, ""
                section.partners = [d.slug for d in named[1:]]
            department = next((d for d in self.departments if d.slug == department_slug), None)
            unit = self.unit_in(section.title, department) if department else None
            if unit:
                unit_slug = unit.slug
            section.department = section.department or department_slug
            section.unit = section.unit or unit_slug
            for child in section.children:
                visit(child, section.department, section.unit)

        for section in plan.sections:
            visit(section, "", "")
        return plan
