"""Exporting a filtered list of visits to CSV or XLSX, safe to open in a spreadsheet."""

import tablib

from movement.exporting import formula_safe


def visits_dataset(visits):
    dataset = tablib.Dataset(
        headers=["date", "coordinator", "kibbutzim", "kind", "topics", "summary", "question"]
    )
    for visit in visits:
        dataset.append(
            [
                visit.date.isoformat(),
                formula_safe(visit.coordinator.full_name),
                formula_safe(", ".join(k.name for k in visit.kibbutzim.all())),
                formula_safe(visit.get_kind_display()),
                formula_safe(", ".join(t.name for t in visit.topics.all())),
                formula_safe(visit.summary),
                formula_safe(visit.question),
            ]
        )
    return dataset
