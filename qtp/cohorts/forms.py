"""Forms for running a cohort. Only the fields declared here are read: extra posted fields change nothing."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from qtp.catalog.schedule import phase_dates
from qtp.cohorts.models import (
    ATTENDANCE_LABELS,
    COHORT_STATUS_LABELS,
    EVENT_MODE_LABELS,
    STAFF_ROLE_LABELS,
    TEAM_ROLE_LABELS,
    EventKind,
    EventMode,
)
from qtp.cohorts.services import EventChange, ScheduleChange
from qtp.core.forms import (
    NameEmailMixin,
    label_choices,
    locale_choices,
    optional_int,
)


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(_l("Please enter a name.")), Length(max=200)])
    locale = SelectField(
        _l("Language of the cohort"),
        choices=locale_choices,
        description=_l("Used for e-mails to participants who have not chosen a language."),
    )
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Please enter a date."))])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Please enter a date."))])
    status = SelectField(_l("Status"), choices=lambda: label_choices(COHORT_STATUS_LABELS))


EVENT_KIND_CHOICES = [
    (EventKind.LEARNING_SESSION.value, _l("Learning session")),
    (EventKind.COACHING_CALL.value, _l("Coaching call")),
]


class EventForm(FlaskForm):
    """An event an admin adds to the cohort's calendar."""

    kind = SelectField(_l("Kind of event"), choices=EVENT_KIND_CHOICES, default=EventKind.COACHING_CALL.value)
    title = StringField(
        _l("Title"),
        description=_l("As participants will read it, e.g. Extra coaching call: run charts."),
        validators=[InputRequired(_l("Please give the event a title.")), Length(max=200)],
    )
    starts_on = DateField(_l("From"), validators=[InputRequired(_l("Please enter a date."))])
    ends_on = DateField(
        _l("To"),
        description=_l("The same day for a one-day event."),
        validators=[InputRequired(_l("Please enter a date."))],
    )
    mode = SelectField(_l("Format"), choices=lambda: label_choices(EVENT_MODE_LABELS), default=EventMode.VIRTUAL.value)
    place = StringField(_l("Place or link"), validators=[Optional(), Length(max=200)])


class NewCohortForm(CohortForm):
    program_id = SelectField(_l("Program"), coerce=optional_int, choices=[])
    slug = StringField(
        _l("Short name"),
        description=_l("Lowercase letters, digits and hyphens, e.g. lisbon-2027. It cannot be changed later."),
        validators=[
            InputRequired(_l("Please enter a short name.")),
            Length(max=80),
            Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Use lowercase letters, digits and hyphens only.")),
        ],
    )


def build_schedule_form(phases: list[tuple[str, str]], events: list, due: list[tuple[str, str]]) -> type[FlaskForm]:
    """Dates of the phases, the events (with mode and place) and the worksheet due dates of one cohort."""
    attrs: dict[str, Any] = {}
    required = [InputRequired(_l("Please enter a date."))]
    for phase_id, title in phases:
        attrs[f"phase-{phase_id}"] = DateField(title, validators=required)
    for event in events:
        attrs[f"event-{event.id}-starts_on"] = DateField(_l("From"), validators=required)
        attrs[f"event-{event.id}-ends_on"] = DateField(_l("To"), validators=required)
        attrs[f"event-{event.id}-mode"] = SelectField(_l("Format"), choices=lambda: label_choices(EVENT_MODE_LABELS))
        attrs[f"event-{event.id}-place"] = StringField(_l("Place or link"), validators=[Optional(), Length(max=200)])
    for slug, title in due:
        attrs[f"due-{slug}"] = DateField(title, validators=required)
    return type("ScheduleForm", (FlaskForm,), attrs)


def schedule_values(cohort: Any) -> dict[str, Any]:
    """The schedule form's values for the cohort as it stands."""
    values: dict[str, Any] = {
        f"phase-{p.id}": p.starts_on
        for p in phase_dates(cohort.program.config, cohort.starts_on, cohort.ends_on, cohort.phase_starts)
    }
    for event in cohort.events:
        values |= {
            f"event-{event.id}-starts_on": event.starts_on,
            f"event-{event.id}-ends_on": event.ends_on,
            f"event-{event.id}-mode": event.mode,
            f"event-{event.id}-place": event.place,
        }
    values |= {f"due-{due.worksheet_type}": due.due_on for due in cohort.due_dates}
    return values


def schedule_change(data: dict[str, Any], phases: list, events: list, due: list) -> ScheduleChange:
    """What the schedule form asks for, as the service takes it."""
    return ScheduleChange(
        phase_starts={phase_id: data[f"phase-{phase_id}"] for phase_id, _title in phases},
        events={
            event.id: EventChange(
                data[f"event-{event.id}-starts_on"],
                data[f"event-{event.id}-ends_on"],
                data[f"event-{event.id}-mode"],
                data[f"event-{event.id}-place"] or "",
            )
            for event in events
        },
        due_dates={slug: data[f"due-{slug}"] for slug, _title in due},
    )


class StaffForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=optional_int, choices=[])
    role = SelectField(_l("Role in the cohort"), choices=lambda: label_choices(STAFF_ROLE_LABELS))


class TeamForm(FlaskForm):
    project_title = StringField(
        _l("Project title"), validators=[InputRequired(_l("Please enter the project title.")), Length(max=300)]
    )
    coach_id = SelectField(_l("Improvement coach"), coerce=optional_int, choices=[])


class NewTeamForm(TeamForm):
    organization_id = SelectField(_l("Practice"), coerce=optional_int, choices=[])


class MemberForm(NameEmailMixin, FlaskForm):
    role = SelectField(_l("Role in the team"), choices=lambda: label_choices(TEAM_ROLE_LABELS))
    locale = SelectField(
        _l("Language of the invitation"),
        choices=locale_choices,
        description=_l("Used only when the person has no account yet: the invitation is written in it."),
    )


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("Role in the team"), choices=lambda: label_choices(TEAM_ROLE_LABELS))


def build_attendance_form(user_ids: list[int]) -> type[FlaskForm]:
    attrs: dict[str, Any] = {}
    for user_id in user_ids:
        attrs[f"status-{user_id}"] = RadioField(
            _l("Attendance"),
            choices=lambda: [("", str(_l("Not recorded"))), *label_choices(ATTENDANCE_LABELS)],
            validators=[Optional()],
        )
        attrs[f"note-{user_id}"] = StringField(_l("Reason"), validators=[Optional(), Length(max=300)])
    return type("AttendanceForm", (FlaskForm,), attrs)
