"""The reference fixtures: kibbutzim of the 2010 protocol, departments of the 2018 plan, bodies."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from departments.models import Department, Unit
from movement.models import Body, Kibbutz, Region

pytestmark = pytest.mark.django_db

# The 14 kibbutzim the participants of the 21.12.2010 protocol come from, with their regions.
PROTOCOL_KIBBUTZIM = {
    "ניר יצחק": "negev",
    "צובה": "jerusalem-shfela",
    "יטבתה": "arava-eilot",
    "רביבים": "negev",
    "משמר העמק": "jezreel-valley",
    "אורים": "negev",
    "בארי": "negev",
    "לביא": "jordan-valley",
    "גן שמואל": "carmel-menashe",
    "דגניה ב'": "jordan-valley",
    "רמת יוחנן": "western-galilee",
    "חצרים": "negev",
    "עין השופט": "jezreel-valley",
    "עלומים": "negev",
}


def test_every_kibbutz_named_in_the_protocol_is_there_with_its_region(reference_data):
    found = dict(Kibbutz.objects.filter(name__in=PROTOCOL_KIBBUTZIM).values_list("name", "region__slug"))
    assert found == PROTOCOL_KIBBUTZIM


def test_every_protocol_kibbutz_appears_in_the_protocol_text(reference_data, settings):
    text = (settings.BASE_DIR / "fixtures" / "source" / "protocol-2010-12-21.txt").read_text(encoding="utf-8")
    participants = next(line for line in text.splitlines() if line.startswith("השתתפו:"))
    for name in PROTOCOL_KIBBUTZIM:
        assert f"({name})" in participants


def test_the_movement_has_its_real_number_of_kibbutzim_in_every_region(reference_data):
    assert 200 <= Kibbutz.objects.count() <= 280
    assert not Region.objects.filter(kibbutzim__isnull=True).exists()
    assert Kibbutz.objects.filter(region__slug="negev").count() >= 20


def test_departments_follow_the_2018_plan(reference_data):
    names = set(Department.objects.values_list("name", flat=True))
    assert names == {
        "יחידת הרכזים",
        "אגף חינוך",
        "אגף צעירים",
        "אגף חברה וקהילה",
        "אגף כלכלה",
        "דוברות",
        "המחלקה המשפטית",
        "המחלקה הפוליטית",
    }
    assert set(Department.objects.filter(kind="department").values_list("slug", flat=True)) == {
        "spokesperson",
        "legal",
        "political",
    }
    society_units = set(
        Unit.objects.filter(department__slug="society-community").values_list("name", flat=True)
    )
    assert society_units == {"מטה תרבות", "היחידה לנשים ומגדר", "קאופרציה"}


def test_the_bodies_named_in_the_documents_exist(reference_data):
    secretariat = Body.objects.get(name="מזכירות המטה השיתופי")
    assert secretariat.parent.name == "המטה השיתופי"
    assert Body.objects.filter(name="מזכירות התנועה").exists()


def test_names_have_english_translations(reference_data):
    from django.utils import translation

    with translation.override("en"):
        assert Kibbutz.objects.get(slug="beeri").name == "Be'eri"
        assert Department.objects.get(slug="education").name == "Education Division"
    with translation.override("he"):
        assert Kibbutz.objects.get(slug="beeri").name == "בארי"


def test_loading_twice_changes_nothing(reference_data):
    before = (Kibbutz.objects.count(), Department.objects.count(), Body.objects.count())
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    assert (Kibbutz.objects.count(), Department.objects.count(), Body.objects.count()) == before
    assert "(0 new)" in out.getvalue()


def test_fixture_files_have_unique_slugs_and_names(settings):
    path = settings.BASE_DIR / "fixtures" / "source" / "kibbutzim.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len({row["slug"] for row in rows}) == len(rows)
    assert len({row["name_he"] for row in rows}) == len(rows)
    assert {row["kind"] for row in rows} <= {"", "shitufi", "mitchadesh"}
