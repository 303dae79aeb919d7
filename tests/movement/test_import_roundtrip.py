"""Every other model's export imports back unchanged, and a new row imports: same columns both ways."""

import pytest
import tablib

from departments.resources import DepartmentResource, UnitResource
from meetings.resources import ParticipantResource
from movement.importing import read_upload
from movement.resources import KibbutzResource, UserResource
from tests.import_tools import dataset_bytes
from visits.resources import VisitResource

pytestmark = pytest.mark.django_db
ALL_OR_NONE = {"use_transactions": True, "rollback_on_validation_errors": True}


@pytest.fixture
def world(personas):
    from meetings.models import Meeting, Participant
    from movement.models import Body, Kibbutz
    from visits.models import Topic, Visit

    visit = Visit.objects.create(
        coordinator=personas["negev_coordinator"], summary="ביקור", date="2018-05-01"
    )
    visit.kibbutzim.add(*Kibbutz.objects.filter(slug__in=["beeri", "hatzerim"]))
    visit.topics.add(Topic.objects.get_or_create(name="חינוך")[0])
    meeting = Meeting.objects.create(body=Body.objects.first(), date="2018-01-01")
    Participant.objects.create(
        meeting=meeting, name="דנה", user=personas["member"], kibbutz=Kibbutz.objects.get(slug="beeri")
    )
    return {"meeting": meeting, "personas": personas}


def new_rows(world):
    return {
        UserResource: {"email": "New.Person@Example.org", "full_name": "אדם חדש", "home_kibbutz": "בארי"},
        KibbutzResource: {"name_he": "קיבוץ חדש", "slug": "new-kibbutz", "region": "הנגב", "kind": "shitufi"},
        DepartmentResource: {"name_he": "אגף חדש", "slug": "new-dept", "kind": "division"},
        UnitResource: {"department": "אגף חינוך", "name_he": "יחידה חדשה", "slug": "new-unit", "kind": "unit"},
        VisitResource: {"date": "2018-06-01", "coordinator": world["personas"]["negev_coordinator"].email,
                        "kibbutzim": "בארי", "summary": "ביקור חדש", "topics": "חינוך"},
        ParticipantResource: {"meeting": world["meeting"].pk, "name": "משתתף חדש", "attendance": "absent"},
    }  # fmt: skip


RESOURCES = [
    UserResource,
    KibbutzResource,
    DepartmentResource,
    UnitResource,
    VisitResource,
    ParticipantResource,
]


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.__name__)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged_and_a_new_row_is_added(world, resource, fmt):
    exported = resource().export()
    assert len(exported) > 0
    dataset = read_upload(f"x.{fmt}", dataset_bytes(exported, fmt))
    result = resource().import_data(dataset, dry_run=True, **ALL_OR_NONE)
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.error_dict) for row in result.invalid_rows
    ]
    assert result.totals["skip"] == len(exported) and result.totals["update"] == 0
    model = resource._meta.model
    count = model.objects.count()
    new = new_rows(world)[resource]
    row = [new.get(header, "") for header in dataset.headers]
    result = resource().import_data(
        tablib.Dataset(row, headers=dataset.headers), dry_run=False, **ALL_OR_NONE
    )
    assert not result.has_validation_errors(), [(r.number, r.error_dict) for r in result.invalid_rows]
    assert not result.has_errors(), [str(e.error) for _n, errors in result.row_errors() for e in errors]
    assert model.objects.count() == count + 1


def test_a_new_person_has_no_password_until_they_choose_one(world):
    from movement.models import User

    dataset = tablib.Dataset(["", "a@example.org", "אדם"], headers=["id", "email", "full_name"])
    UserResource().import_data(dataset, dry_run=False, **ALL_OR_NONE)
    person = User.objects.get(email="a@example.org")
    assert not person.has_usable_password() and person.is_active and not person.is_secretariat


def test_a_participant_listed_twice_and_an_approved_protocol_are_refused(world):
    from meetings.models import Meeting, Participant

    meeting = world["meeting"]
    headers = ["id", "meeting", "name"]
    result = ParticipantResource().import_data(
        tablib.Dataset(
            ["", meeting.pk, "דנה"], ["", meeting.pk, "רון"], ["", meeting.pk, "רון"], headers=headers
        ),
        dry_run=False,
        **ALL_OR_NONE,
    )
    assert [row.number for row in result.invalid_rows] == [1, 3]
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.APPROVED)
    result = ParticipantResource().import_data(
        tablib.Dataset(["", meeting.pk, "חדש"], headers=headers), dry_run=False, **ALL_OR_NONE
    )
    assert [row.number for row in result.invalid_rows] == [1]
    assert Participant.objects.filter(meeting=meeting).count() == 1


def test_a_visit_in_the_future_or_without_a_kibbutz_is_refused(world):
    from visits.models import Visit

    headers = ["id", "date", "coordinator", "kibbutzim", "summary"]
    email = world["personas"]["negev_coordinator"].email
    result = VisitResource().import_data(
        tablib.Dataset(
            ["", "2099-01-01", email, "בארי", "x"],
            ["", "2018-01-01", email, "", "x"],
            ["", "2018-01-01", email, "קיבוץ דמיוני", "x"],
            headers=headers,
        ),  # fmt: skip
        dry_run=False,
        **ALL_OR_NONE,
    )
    assert [row.number for row in result.invalid_rows] == [1, 2, 3]
    assert Visit.objects.count() == 1
