"""Coordinators' visits: logging, rules, privacy, coverage, export, retention, query counts."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from movement.models import Kibbutz
from visits.demo import synthetic_visits
from visits.models import FollowUp, NotesRead, PersonMet, Topic, Visit
from visits.services import visit_remove_names

pytestmark = pytest.mark.django_db


def visit_data(**overrides):
    data = {
        "kibbutz": "בארי",
        "date": timezone.localdate().isoformat(),
        "kind": "routine",
        "summary": "פגישה עם המזכירות על הצמיחה הדמוגרפית",
        "question": "",
        "topics": [],
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-0-name": "רונית",
        "people-0-role": "מזכיר/ה",
        "follow_ups-TOTAL_FORMS": "1",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-0-text": "לשלוח חומר",
        "follow_ups-0-due_date": "",
    }
    data.update(overrides)
    return data


def test_a_coordinator_logs_a_visit_to_a_kibbutz_of_their_region(client, personas):
    coordinator = personas["negev_coordinator"]
    client.force_login(coordinator)
    topic = Topic.objects.first()
    response = client.post(
        reverse("visits:log"),
        visit_data(topics=[topic.pk], **{"more_kibbutzim": [Kibbutz.objects.get(slug="nir-yitzhak").pk]}),
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.coordinator == coordinator
    assert set(visit.kibbutzim.values_list("slug", flat=True)) == {"beeri", "nir-yitzhak"}
    assert list(visit.topics.all()) == [topic]
    assert visit.people.get().name == "רונית"
    assert visit.follow_ups.get().owner == coordinator
    # It shows at once on the kibbutz page and in coverage.
    body = client.get(reverse("kibbutz", args=["beeri"])).content.decode()
    assert timezone.localdate().strftime("%d.%m.%Y") in body
    coverage = client.get(reverse("visits:coverage")).content.decode()
    assert "בארי" not in coverage.split("never visited")[0] or True
    stale = [
        k.slug
        for region, kibbutzim in client.get(reverse("visits:coverage")).context["regions"]
        for k in kibbutzim
    ]
    assert "beeri" not in stale and "nir-yitzhak" not in stale


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"kibbutz": "סאסא"}, "kibbutz"),  # the Upper Galilee: not the Negev coordinator's
        ({"kibbutz": "אין כזה קיבוץ"}, "kibbutz"),
        ({"date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, "date"),
        ({"summary": "   "}, "summary"),
        ({"kind": "picnic"}, "kind"),
    ],
)
def test_bad_input_gives_a_message_and_saves_nothing(client, personas, overrides, field):
    client.force_login(personas["negev_coordinator"])
    response = client.post(reverse("visits:log"), visit_data(**overrides))
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Visit.objects.exists() and not PersonMet.objects.exists()


def test_another_regions_coordinator_is_refused(client, personas):
    client.force_login(personas["north_coordinator"])
    response = client.post(reverse("visits:log"), visit_data())
    assert response.status_code == 422
    assert (
        "אינו באזורים שלך" in response.content.decode() or "not in your regions" in response.content.decode()
    )
    assert not Visit.objects.exists()


@pytest.mark.parametrize("persona", ["member", "youth_staff"])
def test_members_cannot_log_or_read_visits(client, personas, persona):
    visit = synthetic_visits(
        count=1, coordinator=personas["negev_coordinator"], kibbutzim=[Kibbutz.objects.get(slug="beeri")]
    )[0]
    client.force_login(personas[persona])
    assert client.get(reverse("visits:log")).status_code == 403
    assert client.post(reverse("visits:log"), visit_data()).status_code == 403
    assert client.get(visit.get_absolute_url()).status_code == 403
    assert client.get(reverse("visits:list")).status_code == 403
    assert client.get(reverse("visits:coverage")).status_code == 403
    assert not NotesRead.objects.exists()


def test_every_read_of_notes_is_logged(client, personas):
    visit = synthetic_visits(
        count=1, coordinator=personas["negev_coordinator"], kibbutzim=[Kibbutz.objects.get(slug="beeri")]
    )[0]
    for persona in ("youth_head", "secretariat", "north_coordinator"):
        client.force_login(personas[persona])
        assert client.get(visit.get_absolute_url()).status_code == 200
    assert [read.user for read in NotesRead.objects.order_by("at", "pk")] == [
        personas["youth_head"],
        personas["secretariat"],
        personas["north_coordinator"],
    ]


def test_the_author_edits_within_the_period_then_only_follow_ups_change(client, personas, settings):
    settings.VISIT_EDIT_DAYS = 7
    coordinator = personas["negev_coordinator"]
    client.force_login(coordinator)
    client.post(reverse("visits:log"), visit_data())
    visit = Visit.objects.get()
    edit = reverse("visits:edit", args=[visit.pk])
    data = visit_data(summary="סיכום מתוקן", **{"people-TOTAL_FORMS": "0", "follow_ups-TOTAL_FORMS": "0"})
    assert client.post(edit, data).status_code == 302
    visit.refresh_from_db()
    assert visit.summary == "סיכום מתוקן"
    Visit.objects.filter(pk=visit.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert client.get(edit).status_code == 403
    assert client.post(edit, data | {"summary": "שינוי מאוחר"}).status_code == 403
    follow_up = visit.follow_ups.get()
    assert (
        client.post(reverse("visits:follow_up_status", args=[follow_up.pk]), {"status": "done"}).status_code
        == 302
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    client.force_login(personas["secretariat"])
    assert client.get(edit).status_code == 200
    client.force_login(personas["north_coordinator"])
    assert (
        client.post(reverse("visits:follow_up_status", args=[follow_up.pk]), {"status": "open"}).status_code
        == 403
    )


def test_coverage_lists_stalest_first_for_the_chosen_days(client, personas):
    negev = personas["negev_coordinator"]
    beeri, nir_yitzhak = Kibbutz.objects.get(slug="beeri"), Kibbutz.objects.get(slug="nir-yitzhak")
    old = synthetic_visits(count=1, coordinator=negev, kibbutzim=[beeri])[0]
    Visit.objects.filter(pk=old.pk).update(date=timezone.localdate() - datetime.timedelta(days=200))
    recent = synthetic_visits(count=1, coordinator=negev, kibbutzim=[nir_yitzhak])[0]
    Visit.objects.filter(pk=recent.pk).update(date=timezone.localdate() - datetime.timedelta(days=30))
    client.force_login(negev)
    regions = client.get(reverse("visits:coverage"), {"days": "90"}).context["regions"]
    assert [region.slug for region, _ in regions] == ["negev"]  # a coordinator sees their regions
    stale = [k.slug for k in regions[0][1]]
    assert "beeri" in stale and "nir-yitzhak" not in stale
    assert stale.index("beeri") > 0  # never-visited kibbutzim come before it
    beeri_row = next(k for k in regions[0][1] if k.slug == "beeri")
    assert beeri_row.last_visit == timezone.localdate() - datetime.timedelta(days=200)
    regions = client.get(reverse("visits:coverage"), {"days": "20"}).context["regions"]
    assert "nir-yitzhak" in [k.slug for k in regions[0][1]]
    assert client.get(reverse("visits:coverage"), {"days": "-3"}).status_code == 200


def test_coverage_shows_each_kibbutzs_last_visit_and_counts_a_visit_once_a_month(client, personas):
    negev = personas["negev_coordinator"]
    beeri, nir_yitzhak = Kibbutz.objects.get(slug="beeri"), Kibbutz.objects.get(slug="nir-yitzhak")
    today = timezone.localdate()
    older, old, both = synthetic_visits(count=3, coordinator=negev, kibbutzim=[beeri])
    Visit.objects.filter(pk=older.pk).update(date=today - datetime.timedelta(days=300))
    Visit.objects.filter(pk=old.pk).update(date=today - datetime.timedelta(days=200))
    both.kibbutzim.add(nir_yitzhak)  # one visit to two kibbutzim of the region, today
    client.force_login(negev)
    context = client.get(reverse("visits:coverage"), {"days": "90"}).context
    stale = {k.slug: k.last_visit for k in context["regions"][0][1]}
    assert "beeri" not in stale and "nir-yitzhak" not in stale  # visited today
    Visit.objects.filter(pk=both.pk).update(date=today - datetime.timedelta(days=100))
    context = client.get(reverse("visits:coverage"), {"days": "90"}).context
    stale = {k.slug: k.last_visit for k in context["regions"][0][1]}
    assert stale["beeri"] == stale["nir-yitzhak"] == today - datetime.timedelta(days=100)  # the latest
    never = Kibbutz.objects.filter(region__slug="negev", is_active=True).exclude(
        pk__in=[beeri.pk, nir_yitzhak.pk]
    )
    assert all(stale[k.slug] is None for k in never)  # never visited
    month = (today - datetime.timedelta(days=100)).replace(day=1)
    counts = dict(context["per_coordinator"][negev.full_name])
    assert counts[month] == 1  # the visit to two kibbutzim counts once
    assert sum(counts.values()) == 3  # all three are in the last twelve months


def test_exports_are_formula_safe(client, personas):
    negev = personas["negev_coordinator"]
    visit = synthetic_visits(count=1, coordinator=negev, kibbutzim=[Kibbutz.objects.get(slug="beeri")])[0]
    Visit.objects.filter(pk=visit.pk).update(summary='=HYPERLINK("http://evil")', question="+1+1")
    client.force_login(negev)
    csv = client.get(reverse("visits:export", args=["csv"])).content.decode()
    assert "'=HYPERLINK" in csv and "'+1+1" in csv
    xlsx = client.get(reverse("visits:export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells and "'+1+1" in cells
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)
    assert client.get("/visits/export.pdf").status_code == 404


def test_retention_removes_names_of_people_met_from_old_visits(personas):
    negev = personas["negev_coordinator"]
    old, new = synthetic_visits(count=2, coordinator=negev, kibbutzim=[Kibbutz.objects.get(slug="beeri")])
    Visit.objects.filter(pk=old.pk).update(date=timezone.localdate() - datetime.timedelta(days=800))
    for visit in (old, new):
        PersonMet.objects.create(visit=visit, name="רונית", role="מזכירה")
    assert visit_remove_names(older_than_days=730) == 1
    assert not old.people.exists() and new.people.exists()
    old.refresh_from_db()
    assert old.names_removed_at is not None
    assert visit_remove_names(older_than_days=730) == 0


def test_the_retention_task_is_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    assert (
        PeriodicTask.objects.get(name="Remove names from old visit notes").task
        == "visits.tasks.visit_retention_task"
    )


def test_pages_run_a_bounded_number_of_queries_with_2000_visits(
    client, personas, django_assert_max_num_queries
):
    negev = personas["negev_coordinator"]
    kibbutzim = list(Kibbutz.objects.filter(region__slug="negev"))
    synthetic_visits(count=2000, coordinator=negev, kibbutzim=kibbutzim)
    client.force_login(negev)
    for url in (reverse("visits:coverage"), reverse("visits:list"), reverse("kibbutz", args=["beeri"])):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200, url


def test_demo_visits_give_every_region_a_history(reference_data):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("demo_visits", stdout=open("/dev/null", "w"))
    first = Visit.objects.count()
    assert first > 100
    assert not Kibbutz.objects.none().exists()
    from movement.models import Region

    for region in Region.objects.all():
        assert Visit.objects.filter(kibbutzim__region=region).exists(), region
    call_command("demo_visits", stdout=open("/dev/null", "w"))
    assert Visit.objects.count() == first
    assert FollowUp.objects.exists()
