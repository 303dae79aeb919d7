"""Loading the movement's reference data (regions, kibbutzim, bodies) from the CSV files in fixtures/.

Idempotent: rows are matched by slug and updated in place, so running it again after editing a file
brings the database in line without duplicating anything.
"""

import csv
from pathlib import Path

from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def upsert(model, slug, **fields):
    obj, created = model.objects.update_or_create(slug=slug, defaults=fields)
    return created


def load_core(*, fixtures=FIXTURES):
    """Regions, kibbutzim and bodies; returns {model name: (created, total)}."""
    from .models import Body, Kibbutz, Region

    counts = {}
    rows = read_rows(fixtures / "source" / "regions.csv")
    created = sum(
        upsert(Region, r["slug"], name=r["name_he"], name_he=r["name_he"], name_en=r["name_en"]) for r in rows
    )
    counts["regions"] = (created, len(rows))

    regions = {region.slug: region for region in Region.objects.all()}
    rows = read_rows(fixtures / "source" / "kibbutzim.csv")
    created = 0
    for r in rows:
        created += upsert(
            Kibbutz,
            r["slug"],
            name=r["name_he"],
            name_he=r["name_he"],
            name_en=r["name_en"],
            region=regions[r["region"]],
            regional_council=r["regional_council_he"],
            kind=r["kind"],
        )
    counts["kibbutzim"] = (created, len(rows))

    rows = read_rows(fixtures / "bodies.csv")
    created = 0
    for r in rows:  # parents are listed before their children
        parent = Body.objects.get(slug=r["parent"]) if r["parent"] else None
        created += upsert(
            Body,
            r["slug"],
            name=r["name_he"],
            name_he=r["name_he"],
            name_en=r["name_en"],
            kind=r["kind"],
            parent=parent,
        )
    counts["bodies"] = (created, len(rows))
    return counts
