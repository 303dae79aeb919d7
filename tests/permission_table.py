"""Who gets what, for every URL: (GET status, POST status with an empty body) per role.

"login": redirected to the login page (anonymous visitors on every non-public page).
"signed_in" is every signed-in role not named separately. A tuple allows any of its codes.
Roles: see ROLES. "head" heads the department of the goal in the URL; "other_head" heads another;
"responsible" is the goal's responsible person (department staff); the decision's owner is "head".
"""

ROLES = ["anonymous", "member", "coordinator", "head", "other_head", "responsible", "secretariat"]

READ = {"signed_in": (200, 200)}
GET_ONLY_READ = {"signed_in": (200, 405)}

TABLE = {
    # Public pages (settings.PUBLIC_URL_NAMES)
    "login": {"anonymous": (200, 200), "signed_in": (302, 302)},
    "password_reset": {"anonymous": (200, 200), "signed_in": (200, 200)},
    "password_reset_done": {"anonymous": (200, 405), "signed_in": (200, 405)},
    "password_reset_confirm": {"anonymous": (200, 200), "signed_in": (200, 200)},
    "password_reset_complete": {"anonymous": (200, 405), "signed_in": (200, 405)},
    "accessibility": {"anonymous": (200, 200), "signed_in": (200, 200)},
    "health": {"anonymous": (200, 405), "signed_in": (200, 405)},
    "set_language": {"anonymous": (405, 302), "signed_in": (405, 302)},
    # The unsubscribe link from an email: a GET shows a confirming form; this URL's token is not valid.
    "reminders_unsubscribe": {"anonymous": (400, 400), "signed_in": (400, 400)},
    # Signed-in pages
    "logout": {"signed_in": (405, 302)},
    "password_change": {"signed_in": (200, 200)},
    "password_change_done": GET_ONLY_READ,
    # The secretariat's second factor (set up, then a code); everyone else is sent home. An empty POST: 422.
    "second_factor": {"signed_in": (302, 302), "secretariat": (200, 422)},
    "home": READ,
    "kibbutz_list": READ,
    "kibbutz": READ,
    # Search: everyone signed in; each sees only the results they may read (tests/movement/test_search.py).
    "search": GET_ONLY_READ,
    "departments:list": READ,
    "department": READ,
    "plans:index": READ,
    "plans:my_goals": READ,
    "plans:plan": READ,
    "plans:body_plan": READ,
    "plans:dashboard": READ,
    "plans:goal": READ,
    # Recording progress: GET without htmx sends a browser to the goal page; an empty POST is refused (422).
    "plans:goal_progress": {
        "signed_in": (403, 403),
        "head": (302, 422),
        "responsible": (302, 422),
        "secretariat": (302, 422),
    },
    "plans:goal_edit": {"signed_in": (403, 403), "head": (200, 200), "secretariat": (200, 200)},
    # PDF reports: whoever may read the plan or protocol asks for one, follows it and downloads it. An
    # empty request is refused with a message (302 home); the report in the URL is a finished plan PDF.
    "report_request": {"signed_in": (405, 302)},
    "report": GET_ONLY_READ,
    "report_download": GET_ONLY_READ,
    # Everyone's own reminder settings (an empty POST turns every kind off, as the form's boxes say).
    "reminder_settings": {"signed_in": (200, 302)},
    "meetings:index": READ,
    "meetings:meeting": READ,
    "meetings:decisions": READ,
    "meetings:my_decisions": READ,
    "meetings:decision": READ,
    "meetings:decision_status": {"signed_in": (405, 403), "head": (405, 422), "secretariat": (405, 422)},
    # Visits: notes name people. Coordinators, department heads and the secretariat read them; members
    # and department staff get 403. Logging: coordinators and the secretariat (an empty POST is 422).
    "visits:list": {"signed_in": (403, 403), "coordinator": (200, 200), "head": (200, 200),
                    "other_head": (200, 200), "secretariat": (200, 200)},
    "visits:coverage": {"signed_in": (403, 403), "coordinator": (200, 200), "head": (200, 200),
                        "other_head": (200, 200), "secretariat": (200, 200)},
    "visits:export": {"signed_in": (403, 403), "coordinator": (200, 200), "head": (200, 200),
                      "other_head": (200, 200), "secretariat": (200, 200)},
    "visits:log": {"signed_in": (403, 403), "coordinator": (200, 422), "secretariat": (200, 422)},
    "visits:visit": {"signed_in": (403, 403), "coordinator": (200, 200), "head": (200, 200),
                     "other_head": (200, 200), "secretariat": (200, 200)},
    # The visit in the URL is the Negev coordinator's, logged today: theirs to edit, and the secretariat's.
    "visits:edit": {"signed_in": (403, 403), "coordinator": (200, 422), "secretariat": (200, 422)},
    # Follow-ups: their owner (the coordinator) and the secretariat; an empty POST changes nothing (302 back).
    "visits:follow_up_status": {"signed_in": (405, 403), "coordinator": (405, 302), "secretariat": (405, 302)},
}  # fmt: skip

# Every admin URL: the secretariat only; everyone else, signed in or not, is sent to a login page.
# The secretariat's codes vary by page (a form re-shown, a redirect after an action, 403 where the
# model allows no adding, 405 for GET-only or POST-only views): any of them, never a 500.
ADMIN = {
    "anonymous": ("admin_login", "admin_login"),
    "signed_in": ("admin_login", "admin_login"),
    "secretariat": ((200, 302, 403, 404, 405), (200, 302, 403, 404, 405)),
}
# The admin's own login page: anonymous visitors go to the portal's login; a signed-in user who is
# not secretariat sees "not authorised" (200) and nothing else.
TABLE["admin:login"] = {"signed_in": (200, 200), "secretariat": ((200, 302), (200, 302))}
TABLE["admin:logout"] = {"signed_in": (302, 302), "secretariat": ((302, 405), (200, 302))}
