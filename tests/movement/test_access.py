"""The role rules, each checked with the personas both ways."""

import pytest
from django.contrib.auth.models import AnonymousUser

from departments import access as department_access
from departments.models import Department
from movement import access
from movement.models import Kibbutz

pytestmark = pytest.mark.django_db


def test_only_the_secretariat_uses_the_admin(personas):
    assert access.may_use_admin(personas["secretariat"])
    for name in ("youth_head", "negev_coordinator", "member"):
        assert not access.may_use_admin(personas[name])
    assert not access.may_use_admin(AnonymousUser())


def test_staff_flag_alone_does_not_open_the_admin(personas):
    member = personas["member"]
    member.is_staff = True
    assert not access.may_use_admin(member)


def test_a_deactivated_secretary_loses_every_right(personas):
    secretary = personas["secretariat"]
    secretary.is_active = False
    assert not access.is_secretariat(secretary)
    assert not access.is_member(secretary)


def test_a_coordinator_logs_visits_only_in_their_regions(personas):
    beeri = Kibbutz.objects.get(slug="beeri")  # the Negev
    sasa = Kibbutz.objects.get(slug="sasa")  # the Upper Galilee
    assert access.may_log_visit(personas["negev_coordinator"], beeri)
    assert not access.may_log_visit(personas["negev_coordinator"], sasa)
    assert access.may_log_visit(personas["north_coordinator"], sasa)
    assert not access.may_log_visit(personas["member"], beeri)
    assert access.may_log_visit(personas["secretariat"], sasa)


def test_coordinator_role_follows_region_assignment(personas):
    assert access.is_coordinator(personas["negev_coordinator"])
    assert not access.is_coordinator(personas["youth_head"])


def test_a_head_updates_goals_of_their_own_department_only(personas):
    youth = Department.objects.get(slug="youth")
    education = Department.objects.get(slug="education")
    assert department_access.may_update_department_goals(personas["youth_head"], youth)
    assert not department_access.may_update_department_goals(personas["youth_head"], education)
    assert not department_access.may_update_department_goals(personas["youth_staff"], youth)
    assert not department_access.may_update_department_goals(personas["member"], youth)
    assert department_access.may_update_department_goals(personas["secretariat"], education)


def test_heads_of_a_department_lead_its_units(personas):
    society = Department.objects.get(slug="society-community")
    culture = society.units.get(slug="culture-staff")
    assert not department_access.heads_unit(personas["youth_head"], culture)
    society.heads.add(personas["youth_head"])
    assert department_access.heads_unit(personas["youth_head"], culture)


def test_staff_work_in_their_department_but_do_not_head_it(personas):
    youth = Department.objects.get(slug="youth")
    assert department_access.works_in_department(personas["youth_staff"], youth)
    assert not department_access.heads_department(personas["youth_staff"], youth)
    assert department_access.works_in_department(personas["youth_head"], youth)
    assert not department_access.works_in_department(personas["education_head"], youth)


def test_only_the_secretariat_manages_departments_and_users(personas):
    youth = Department.objects.get(slug="youth")
    assert department_access.may_manage_department(personas["secretariat"], youth)
    assert not department_access.may_manage_department(personas["youth_head"], youth)
    assert access.may_manage_users(personas["secretariat"])
    assert not access.may_manage_users(personas["youth_head"])
