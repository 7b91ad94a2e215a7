"""A new version of the final project checks every line: a known action line with activities,
amounts that are numbers and not negative; a refused version leaves the project as it was."""

import pytest
from django.core.exceptions import ValidationError

from projects import services
from tests.projects.factories import ranked_call

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"line": "zz", "activities": "Tutoraggio"}, "Ogni riga ha una linea di azione e le attività."),
        ({"line": "c", "activities": "  "}, "Ogni riga ha una linea di azione e le attività."),
        ({"line": "c", "activities": "Tutoraggio", "public_amount": "mille"}, "Gli importi devono essere numeri."),
        ({"line": "c", "activities": "Tutoraggio", "ets_amount": "-5"}, "Gli importi non possono essere negativi."),
    ],
)
def test_a_bad_line_refuses_the_new_version(line, message):
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    with pytest.raises(ValidationError) as error:
        services.project_version_add(project=project, by=call.staff, lines=[line])
    assert error.value.messages == [message]
    assert list(project.versions.values_list("number", flat=True)) == [1]


def test_a_good_version_is_numbered_after_the_first_with_amounts_to_the_cent():
    call, first, _second, _seats = ranked_call()
    project = services.project_create(proposal=first, by=call.staff)
    version = services.project_version_add(
        project=project,
        by=call.staff,
        lines=[{"line": "c", "activities": "Tutoraggio", "public_amount": "1000", "ets_amount": 2.5}],
        note="Dopo il tavolo",
    )
    assert version.number == 2
    assert version.lines[0]["public_amount"] == "1000.00" and version.lines[0]["ets_amount"] == "2.50"
