"""The upload guard, the formula-safe exports of every resource, and the background import job."""

import io
import zipfile
from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from django.utils import translation

from meetings.resources import ParticipantResource
from movement.exporting import formula_safe, formula_unsafe
from movement.importing import UploadRejected, read_upload
from movement.models import ImportJob, Kibbutz, User
from movement.resources import KibbutzResource, UserResource
from plans.models import Goal
from plans.resources import GoalResource, ProgressUpdateResource
from tests.import_tools import csv_bytes, dataset_bytes, unsafe_cells, upload, xlsx_bytes
from visits.exporting import visits_dataset
from visits.resources import VisitResource

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
FORMULAS = ["=1+2", "+972-3-1234567", "-A1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil")']


def rejected(name, data):
    with translation.override("en"), pytest.raises(UploadRejected) as caught:
        read_upload(name, data)
    return str(caught.value)


# The guard ---------------------------------------------------------------------------------------


def test_a_utf8_csv_with_or_without_a_bom_is_read():
    for encoding in ("utf-8", "utf-8-sig"):
        dataset = read_upload("a.csv", csv_bytes(["id", "name_he"], [["", "בארי"]], encoding=encoding))
        assert dataset.headers == ["id", "name_he"] and dataset[0] == ("", "בארי")


def test_a_windows_hebrew_csv_is_refused_with_the_way_out():
    data = "id,name_he\n,בארי\n".encode("cp1255")
    assert "not UTF-8" in rejected("a.csv", data) and "CSV UTF-8" in rejected("a.csv", data)


def test_a_file_that_is_not_csv_or_xlsx_is_refused():
    assert "Upload a .csv or .xlsx file" in rejected("plan.txt", b"id,name\n1,x\n")
    assert "not an XLSX file" in rejected("photo.xlsx", PNG)
    assert "not a CSV file" in rejected("photo.csv", PNG)


def test_an_empty_file_and_a_file_without_rows_are_refused():
    assert "empty" in rejected("a.csv", b"")
    assert "empty" in rejected("a.csv", b" \n")
    assert "no rows" in rejected("a.csv", b"id,name_he\n")
    assert "no rows" in rejected("a.xlsx", xlsx_bytes(["id", "name_he"], []))


def test_an_oversized_upload_is_refused(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    assert "larger than" in rejected("a.csv", b"id,name\n" + b",x\n" * 1000)


def test_too_many_rows_are_refused(settings):
    settings.IMPORT_MAX_ROWS = 10
    assert "At most 10 rows" in rejected("a.csv", csv_bytes(["id"], [[""]] * 11))


def zip_with(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened():
    bomb = zip_with(
        {
            "[Content_Types].xml": "<x/>",
            "xl/workbook.xml": "<x/>",
            "xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024),
        }
    )
    assert len(bomb) < 100 * 1024  # 20 MB of zeros pack into a few kilobytes
    assert "zip bomb" in rejected("a.xlsx", bomb)


def test_an_xlsx_unpacking_beyond_the_cap_is_refused(settings):
    data = xlsx_bytes(["id", "name_he"], [["", f"קיבוץ {n}"] for n in range(3000)])
    assert read_upload("a.xlsx", data)  # a real workbook, within the default cap
    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = 50 * 1024
    assert "zip bomb" in rejected("a.xlsx", data)


def test_a_zip_that_is_not_a_workbook_and_too_many_members_are_refused():
    assert "not an XLSX file" in rejected("a.xlsx", zip_with({"readme.txt": "hi"}))
    many = {"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>"} | {f"m{n}": "" for n in range(1001)}
    assert "zip bomb" in rejected("a.xlsx", zip_with(many))


def test_a_damaged_workbook_is_refused():
    damaged = zip_with({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "not xml"})
    assert "cannot be read" in rejected("a.xlsx", damaged)


# The sanitiser -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_is_prefixed_on_export_and_restored_on_import(text):
    assert formula_safe(text) == "'" + text
    assert formula_unsafe(formula_safe(text)) == text


def test_numbers_and_plain_text_are_never_prefixed():
    for value in (-5, Decimal("-2.5"), 0, None, "בארי", "'quoted'", "a=b"):
        assert formula_safe(value) == value
    assert formula_unsafe("'quoted'") == "'quoted'"  # only the prefix the export adds is removed


@pytest.fixture
def formula_world(personas, plan_2018):
    """One row of every exported model with a formula in each text it has."""
    from meetings.models import Meeting, Participant
    from movement.models import Body
    from plans.models import ProgressUpdate
    from visits.models import Topic, Visit

    person = personas["member"]
    person.full_name, person.phone = "=cmd|'/c calc'!A1", "+972501234567"
    person.save()
    kibbutz = Kibbutz.objects.get(slug="beeri")
    kibbutz.regional_council = "@SUM(1)"
    kibbutz.save()
    goal = Goal.objects.filter(plan=plan_2018).first()
    goal.text_en, goal.target_unit, goal.baseline = "=1+2", "-A1", Decimal("-5")
    goal.save()
    ProgressUpdate.objects.create(
        goal=goal, author=person, status="on_track", note="\t=2*3", value=Decimal("3")
    )
    visit = Visit.objects.create(
        coordinator=personas["negev_coordinator"], summary='=HYPERLINK("x")', question="\rq"
    )
    visit.kibbutzim.add(kibbutz)
    visit.topics.add(Topic.objects.create(name="+topic"))
    meeting = Meeting.objects.create(body=Body.objects.first(), date="2018-01-01")
    Participant.objects.create(meeting=meeting, name="-minus", affiliation="=x")
    return goal


EXPORTED = [
    UserResource,
    KibbutzResource,
    GoalResource,
    ProgressUpdateResource,
    VisitResource,
    ParticipantResource,
]


@pytest.mark.parametrize("resource", EXPORTED, ids=lambda r: r.__name__)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_export_is_formula_safe(formula_world, resource, fmt):
    data = dataset_bytes(resource().export(), fmt)
    assert unsafe_cells(data, fmt) == []


def test_the_formulas_were_there_to_escape(formula_world):
    """The check above is not empty: the goal's texts left the export prefixed, its numbers as numbers."""
    dataset = GoalResource().export(Goal.objects.filter(pk=formula_world.pk))
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["text_en"] == "'=1+2" and row["target_unit"] == "'-A1"
    assert row["baseline"] == Decimal("-5") and row["plan_year"] == 2018
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(dataset.export("xlsx"))).active
    baseline = [cell for cell in sheet[2] if cell.column == dataset.headers.index("baseline") + 1][0]
    assert baseline.data_type == "n" and baseline.value == -5


def test_the_visits_list_export_outside_the_admin_is_formula_safe(formula_world):
    from visits.models import Visit

    dataset = visits_dataset(Visit.objects.for_list())
    for fmt in ("csv", "xlsx"):
        assert unsafe_cells(dataset_bytes(dataset, fmt), fmt) == []


# Permissions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "youth_head", "negev_coordinator"])
def test_only_the_secretariat_imports_and_exports(client, personas, persona):
    client.force_login(personas[persona])
    for name in ("admin:plans_goal_import", "admin:plans_goal_export", "admin:movement_user_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response.url
    response = upload(
        client, Kibbutz, csv_bytes(["id", "name_he", "slug", "region"], [["", "חדש", "new", "הנגב"]]), "k.csv"
    )
    assert response.status_code == 302 and "login" in response.url
    assert not Kibbutz.objects.filter(slug="new").exists()


# The background job ----------------------------------------------------------------------------------


def goal_rows(plan, count, bad_row=None):
    section = plan.sections.filter(parent__isnull=True).first()
    headers = ["id", "plan_year", "plan_owner", "section", "text_he", "department", "target_value"]
    rows = [["", 2018, "", section.title_he, f"יעד מיובא {n}", "אגף חינוך", n] for n in range(1, count + 1)]
    if bad_row:
        rows[bad_row - 1][6] = "הרבה"
    return headers, rows


@pytest.fixture
def jobs_run(django_capture_on_commit_callbacks):
    """Run what a request queues on commit (the job's task), as a worker would, when the call returns."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def test_a_large_file_is_checked_in_the_background_then_written_with_history_once_confirmed(
    client, personas, plan_2018, settings, jobs_run
):
    settings.IMPORT_BACKGROUND_ROWS = 100
    client.force_login(personas["secretariat"])
    before = Goal.objects.count()
    history_before = Goal.history.count()
    headers, rows = goal_rows(plan_2018, 1000)
    response = jobs_run(upload, client, Goal, xlsx_bytes(headers, rows), "goals.xlsx")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "admin:movement_importjob_progress", args=[job.pk]
    )
    assert job.status == ImportJob.Status.CHECKED  # Celery runs eagerly in tests
    assert (job.new_rows, job.processed_rows, job.total_rows) == (1000, 1000, 1000)
    assert Goal.objects.count() == before  # checked, not written
    page = client.get(job.get_absolute_url())
    assert reverse("admin:movement_importjob_confirm", args=[job.pk]) in page.content.decode()
    jobs_run(client.post, reverse("admin:movement_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.new_rows == 1000
    assert job.confirmed_by == personas["secretariat"] and not job.file
    assert Goal.objects.count() == before + 1000
    assert Goal.history.count() == history_before + 1000
    assert set(Goal.history.order_by("-history_id")[:1000].values_list("history_user", flat=True)) == {
        personas["secretariat"].pk
    }
    goal = Goal.objects.get(text_he="יעד מיובא 7")
    assert goal.target_value == 7 and goal.department.slug == "education"
    assert goal.order > 0 and goal.section.plan_id == plan_2018.pk
    # Confirming twice writes nothing twice.
    jobs_run(client.post, reverse("admin:movement_importjob_confirm", args=[job.pk]))
    assert Goal.objects.count() == before + 1000


def test_one_bad_row_among_1000_writes_nothing_and_the_row_is_named(
    client, personas, plan_2018, settings, jobs_run
):
    settings.IMPORT_BACKGROUND_ROWS = 100
    client.force_login(personas["secretariat"])
    before = Goal.objects.count()
    headers, rows = goal_rows(plan_2018, 1000, bad_row=637)
    jobs_run(upload, client, Goal, csv_bytes(headers, rows), "goals.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.error_count == 1
    assert job.errors[0]["row"] == 637 and "הרבה" in " ".join(job.errors[0]["messages"])
    assert Goal.objects.count() == before
    with translation.override("en"):
        page = client.get(job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "637" in page and "הרבה" in page
    assert client.post(reverse("admin:movement_importjob_confirm", args=[job.pk])).status_code == 302
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED and Goal.objects.count() == before


def test_a_row_that_fails_only_while_writing_rolls_the_whole_import_back(
    client, personas, plan_2018, settings, jobs_run
):
    """Between the check and the confirmation a department is renamed: the write finds the row bad."""
    from departments.models import Department

    settings.IMPORT_BACKGROUND_ROWS = 100
    client.force_login(personas["secretariat"])
    before = Goal.objects.count()
    headers, rows = goal_rows(plan_2018, 800)
    rows[-1][5] = "אגף צעירים"
    jobs_run(upload, client, Goal, csv_bytes(headers, rows), "goals.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    Department.objects.filter(slug="youth").update(
        name_he="אגף צעירים ושינוי", name="אגף צעירים ושינוי", slug="youth2"
    )
    jobs_run(client.post, reverse("admin:movement_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.errors[0]["row"] == 800
    assert Goal.objects.count() == before  # the first 500 rows, written in the same transaction, are gone


def test_the_progress_page_follows_a_job_under_way(client, personas):
    job = ImportJob.objects.create(resource="plans.resources.GoalResource", title="goals", file_name="g.xlsx",
                                   total_rows=1000, processed_rows=500, status=ImportJob.Status.CHECKING)  # fmt: skip
    client.force_login(personas["secretariat"])
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'value="500"' in page
    partial = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert partial.templates[0].name.endswith("includes/status.html")
    from django.core.cache import cache

    from movement.importing import progress_key

    cache.set(progress_key(job.pk), 800)  # the writing transaction reports through the cache
    assert 'value="800"' in client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()


def test_a_large_file_in_the_wrong_shape_fails_the_job_with_the_reason(client, personas, settings):
    settings.IMPORT_BACKGROUND_ROWS = 5
    client.force_login(personas["secretariat"])
    response = upload(
        client, User, csv_bytes(["id", "email"], [["", f"p{n}@example.org"] for n in range(10)]), "u.csv"
    )
    assert response.status_code == 200  # refused at the upload: the column full_name is missing
    assert "full_name" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_sweep_requeues_a_lost_job_and_fails_a_dead_one(personas):
    import datetime

    from django.utils import timezone

    from movement.importing import unfinished

    old = timezone.now() - datetime.timedelta(minutes=10)
    lost = ImportJob.objects.create(resource="x", title="t", file_name="f.csv", created_at=old)
    dead = ImportJob.objects.create(resource="x", title="t", file_name="f.csv", status=ImportJob.Status.IMPORTING,
                                    started_at=old)  # fmt: skip
    fresh = ImportJob.objects.create(resource="x", title="t", file_name="f.csv")
    assert unfinished() == [lost.pk]
    dead.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED
    assert fresh.pk not in unfinished()


def test_bulk_and_row_by_row_agree_on_unchanged_rows(personas, plan_2018):
    """The export of a plan imported back by the background path changes nothing."""
    from movement.importing import _run_rows

    dataset = GoalResource().export(Goal.objects.filter(plan=plan_2018))
    reread = read_upload("g.csv", dataset_bytes(dataset, "csv"))
    job = ImportJob.objects.create(resource="plans.resources.GoalResource", title="goals", file_name="g.csv")
    outcome = _run_rows(job, GoalResource(), reread, write=False)
    assert outcome["errors"] == []
    assert outcome["unchanged"] == len(dataset) and outcome["new"] == outcome["updated"] == 0


def test_tablib_rows_keep_hebrew_and_numbers_across_xlsx():
    data = xlsx_bytes(["id", "text_he", "target_value"], [["", "יעד", 20]])
    dataset = read_upload("a.xlsx", data)
    assert isinstance(dataset, tablib.Dataset) and dataset[0][1:] == ("יעד", 20)
