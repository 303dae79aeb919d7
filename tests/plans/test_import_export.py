"""Goals and progress updates in and out of the admin: round trips, row errors, all or none."""

from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from django.utils import translation

from plans.models import Goal, ProgressUpdate
from plans.resources import GoalResource, ProgressUpdateResource
from tests.import_tools import confirm, csv_bytes, dataset_bytes, unsafe_cells, upload

pytestmark = pytest.mark.django_db

ALL_OR_NONE = {"use_transactions": True, "rollback_on_validation_errors": True}


def export(client, model, fmt):
    """The admin's Export page, every column, as the secretariat downloads it."""
    resource = GoalResource if model is Goal else ProgressUpdateResource
    fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().fields}
    response = client.post(
        reverse(f"admin:plans_{model._meta.model_name}_export"),
        {"format": "0" if fmt == "csv" else "1", "resource": "0", **fields},
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


def rows_of(data, fmt):
    if fmt == "csv":
        return tablib.Dataset().load(data.decode("utf-8-sig"), format="csv")
    import io

    return tablib.Dataset().load(io.BytesIO(data), format="xlsx")


@pytest.fixture
def secretariat(client, personas):
    client.force_login(personas["secretariat"])
    return personas["secretariat"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(client, secretariat, plan_2018, fmt, settings):
    settings.IMPORT_BACKGROUND_ROWS = 1000
    data = export(client, Goal, fmt)
    assert data.startswith(b"\xef\xbb\xbfid,") if fmt == "csv" else data[:2] == b"PK"
    assert unsafe_cells(data, fmt) == []
    history = Goal.history.count()
    response = upload(client, Goal, data, f"goals.{fmt}")
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == plan_2018.goals.count() and result.totals["update"] == 0
    confirm(client, Goal, response)
    assert Goal.history.count() == history  # nothing changed, nothing recorded


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_edited_export_updates_the_edited_cells_with_history(
    client, secretariat, plan_2018, fmt, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 1000
    dataset = rows_of(export(client, Goal, fmt), fmt)
    goal = plan_2018.goals.order_by("order").first()
    row = next(n for n, values in enumerate(dataset) if str(values[0]) == str(goal.pk))
    values = list(dataset[row])
    values[dataset.headers.index("text_en")] = "Edited in a spreadsheet"
    values[dataset.headers.index("budget")] = 15000
    values[dataset.headers.index("department")] = "אגף צעירים"
    dataset[row] = values
    version = goal.version
    response = upload(client, Goal, dataset_bytes(dataset, fmt), f"goals.{fmt}")
    assert response.context["result"].totals["update"] == 1
    assert Goal.objects.get(pk=goal.pk).text_en != "Edited in a spreadsheet"  # the preview wrote nothing
    response = confirm(client, Goal, response)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.text_en, goal.budget, goal.department.slug) == ("Edited in a spreadsheet", 15000, "youth")
    assert goal.version == version + 1  # an edit form opened before the import now meets a conflict
    assert goal.history.first().history_user == secretariat


def test_a_new_goal_is_placed_by_plan_owner_and_section_path(client, secretariat, plan_2018):
    section = plan_2018.sections.filter(parent__isnull=False).select_related("parent").first()
    path = f"{section.parent.title_he} / {section.title_he}"
    headers = ["id", "plan_year", "plan_owner", "section", "text_he", "department", "responsible", "due_date"]
    rows = [["", 2018, "", path, "יעד חדש מהגיליון", "אגף חינוך", secretariat.email, "31.12.2018"]]
    response = upload(client, Goal, csv_bytes(headers, rows), "new.csv")
    assert response.context["result"].totals["new"] == 1
    confirm(client, Goal, response)
    goal = Goal.objects.get(text_he="יעד חדש מהגיליון")
    assert goal.section == section and goal.plan == plan_2018 and goal.responsible == secretariat
    assert goal.order > plan_2018.goals.exclude(pk=goal.pk).order_by("-order").first().order - 1
    assert goal.history.first().history_type == "+"


def preview_errors(response):
    result = response.context["result"]
    assert result.has_validation_errors() and "confirm_form" not in response.context
    return {
        row.number: " ".join(str(m) for ms in row.error_dict.values() for m in ms)
        for row in result.invalid_rows
    }


def test_row_errors_are_named_in_the_preview(client, secretariat, plan_2018):
    section = plan_2018.sections.filter(parent__isnull=True).first().title_he
    existing = plan_2018.goals.first()
    headers = ["id", "plan_year", "plan_owner", "section", "text_he", "department", "target_value", "budget"]
    rows = [
        ["", 2018, "", section, "יעד תקין", "אגף חינוך", 5, ""],
        ["", 2018, "", section, "מחלקה לא קיימת", "אגף הקסמים", "", ""],
        ["", 2018, "", section, "מספר שגוי", "", "עשרים", ""],
        [existing.pk, 2018, "", section, "פעם ראשונה", "", "", ""],
        [existing.pk, 2018, "", section, "פעם שנייה", "", "", ""],
        ["", 2018, "", section, "יעד תקין", "אגף חינוך", 5, ""],
        ["", 2018, "", "פרק שאיננו", "בלי פרק", "", "", ""],
        ["", 2031, "", section, "בלי תכנית", "", "", ""],
        [999999, 2018, "", section, "מזהה זר", "", "", ""],
        ["", 2018, "", section, "תקציב שלילי", "", "", -5],
    ]
    response = upload(client, Goal, csv_bytes(headers, rows), "bad.csv")
    errors = preview_errors(response)
    assert set(errors) == {2, 3, 5, 6, 7, 8, 9, 10}
    assert "אגף הקסמים" in errors[2] and "עשרים" in errors[3]
    assert "4" in errors[5] and "1" in errors[6]  # the same id as row 4; the same goal as row 1
    assert "פרק שאיננו" in errors[7] and "2031" in errors[8] and "999999" in errors[9]
    page = response.content.decode()
    assert "אגף הקסמים" in page
    assert not Goal.objects.filter(text_he="יעד תקין").exists()


def test_one_bad_row_among_1000_writes_nothing_and_is_named(secretariat, plan_2018):
    """The admin's commit (row by row, history kept) rolls back every row when one is invalid."""
    section = plan_2018.sections.filter(parent__isnull=True).first().title_he
    headers = ["id", "plan_year", "plan_owner", "section", "text_he", "target_value"]
    rows = [["", 2018, "", section, f"יעד {n}", n] for n in range(1, 1001)]
    rows[411][5] = "12.5.0"
    dataset = tablib.Dataset(*rows, headers=headers)
    before, history = Goal.objects.count(), Goal.history.count()
    result = GoalResource().import_data(dataset, dry_run=False, **ALL_OR_NONE)
    assert [row.number for row in result.invalid_rows] == [412]
    assert Goal.objects.count() == before and Goal.history.count() == history


def test_the_admin_preview_of_1000_rows_names_the_bad_row(client, secretariat, plan_2018, settings):
    settings.IMPORT_BACKGROUND_ROWS = 5000
    section = plan_2018.sections.filter(parent__isnull=True).first().title_he
    headers = ["id", "plan_year", "plan_owner", "section", "text_he", "department"]
    rows = [["", 2018, "", section, f"יעד {n}", "אגף חינוך"] for n in range(1, 1001)]
    rows[999][5] = "אגף שאיננו"
    before = Goal.objects.count()
    errors = preview_errors(upload(client, Goal, csv_bytes(headers, rows), "goals.csv"))
    assert list(errors) == [1000] and "אגף שאיננו" in errors[1000]
    assert Goal.objects.count() == before


def test_formulas_in_cells_are_kept_as_text_and_the_export_prefix_is_removed(client, secretariat, plan_2018):
    section = plan_2018.sections.filter(parent__isnull=True).first().title_he
    headers = ["id", "plan_year", "plan_owner", "section", "text_he", "text_en", "target_unit", "baseline"]
    rows = [
        ["", 2018, "", section, "=1+2", '\'=HYPERLINK("http://x")', "'-A1", "-5"],
        ["", 2018, "", section, "יעד רגיל", "'plain quote", "@x", ""],
    ]
    confirm(client, Goal, upload(client, Goal, csv_bytes(headers, rows), "formulas.csv"))
    first = Goal.objects.get(text_he="=1+2")
    assert (first.text_en, first.target_unit, first.baseline) == (
        '=HYPERLINK("http://x")',
        "-A1",
        Decimal("-5"),
    )
    second = Goal.objects.get(text_he="יעד רגיל")
    assert (second.text_en, second.target_unit) == ("'plain quote", "@x")
    exported = GoalResource().export(Goal.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"))
    assert exported["text_he"][0] == "'=1+2" and exported["text_en"][0] == '\'=HYPERLINK("http://x")'
    assert exported["baseline"][0] == Decimal("-5.00")  # a number: never prefixed
    assert exported["text_en"][1] == "'plain quote" and exported["target_unit"][1] == "'@x"


def test_progress_updates_are_added_never_edited(client, secretariat, plan_2018):
    goal = plan_2018.goals.first()
    old = ProgressUpdate.objects.create(goal=goal, author=secretariat, status="at_risk", value=Decimal("2"))
    Goal.objects.filter(pk=goal.pk).update(latest_update=old)
    headers = ["id", "goal", "status", "value", "percent", "note", "author", "as_of"]
    with translation.override("he"):
        on_track = str(ProgressUpdate.Status.ON_TRACK.label)  # a status by its Hebrew name
    response = upload(
        client,
        ProgressUpdate,
        csv_bytes(headers, [["", goal.pk, on_track, "4", "40", "מהגיליון", secretariat.email, "2018-06-30"]]),
        "u.csv",
    )
    confirm(client, ProgressUpdate, response)
    goal.refresh_from_db()
    assert goal.latest_update.note == "מהגיליון" and goal.latest_update.status == "on_track"
    assert goal.latest_update.history.first().history_user == secretariat
    data = dataset_bytes(ProgressUpdateResource().export(ProgressUpdate.objects.filter(pk=old.pk)), "csv")
    assert upload(client, ProgressUpdate, data, "same.csv").context["result"].totals["skip"] == 1
    edited = data.replace(b"at_risk", b"done")
    errors = preview_errors(upload(client, ProgressUpdate, edited, "edited.csv"))
    assert list(errors) == [1]
    old.refresh_from_db()
    assert old.status == "at_risk"


def test_the_background_path_writes_updates_and_the_goal_state(personas, plan_2018):
    """bulk_create_with_history and the goal's latest update, as the job writes them."""
    from movement.importing import _run_rows
    from movement.models import ImportJob

    goals = list(plan_2018.goals.order_by("pk")[:3])
    headers = ["id", "goal", "status", "value", "created_at"]
    rows = [["", goal.pk, "done", 1, f"2018-0{n + 1}-01 10:00"] for n, goal in enumerate(goals)]
    rows.append(["", goals[0].pk, "behind", 0, "2018-09-01 10:00"])
    job = ImportJob.objects.create(resource="plans.resources.ProgressUpdateResource", title="u", file_name="u.csv",
                                   requested_by=personas["secretariat"])  # fmt: skip
    outcome = _run_rows(job, ProgressUpdateResource(), tablib.Dataset(*rows, headers=headers), write=True)
    assert outcome["errors"] == [] and outcome["new"] == 4
    first = Goal.objects.get(pk=goals[0].pk)
    assert first.latest_update.status == "behind"  # the latest by its time, not by row order
    assert ProgressUpdate.history.filter(history_user=personas["secretariat"]).count() == 4


def test_the_plan_document_import_still_works(client, secretariat):
    response = client.get(reverse("admin:plans_annualplan_import"))
    assert response.status_code == 200
    changelist = client.get(reverse("admin:plans_goal_changelist")).content.decode()
    assert (
        reverse("admin:plans_goal_import") in changelist and reverse("admin:plans_goal_export") in changelist
    )
