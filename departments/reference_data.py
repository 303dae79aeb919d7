"""Loading the departments and units of the 2018 plan from fixtures/departments.csv and units.csv."""

from movement.reference_data import FIXTURES, read_rows, upsert

from .models import Department, Unit


def load_departments(*, fixtures=FIXTURES):
    counts = {}
    rows = read_rows(fixtures / "departments.csv")
    created = sum(
        upsert(
            Department,
            r["slug"],
            name=r["name_he"],
            name_he=r["name_he"],
            name_en=r["name_en"],
            kind=r["kind"],
            order=int(r["order"]),
        )
        for r in rows
    )
    counts["departments"] = (created, len(rows))

    departments = {d.slug: d for d in Department.objects.all()}
    rows = read_rows(fixtures / "units.csv")
    created = sum(
        upsert(
            Unit,
            r["slug"],
            department=departments[r["department"]],
            name=r["name_he"],
            name_he=r["name_he"],
            name_en=r["name_en"],
            kind=r["kind"],
            order=int(r["order"]),
        )
        for r in rows
    )
    counts["units"] = (created, len(rows))
    return counts
