"""CSV import through the page: all rows or none, every bad row reported on a 400 page."""

import io
import re
from datetime import date

from qtp.core.audit import AuditEvent
from qtp.measurement.models import DataPoint
from tests.helpers import text_of
from tests.integration.measurement.conftest import add_points, measure_path, post


def upload(client, team, record_no, content: bytes, name="data.csv"):
    return post(
        client,
        team,
        record_no,
        "/import",
        {"file": (io.BytesIO(content), name, "text/csv")},
        content_type="multipart/form-data",
    )


def stored(session, measure):
    session.expire_all()
    return [
        (p.period, p.numerator, p.denominator, p.value, p.note)
        for p in session.query(DataPoint).filter_by(measure_id=measure.id).order_by(DataPoint.period)
    ]


def problem_rows(response):
    body = text_of(response).split('id="problems-caption"', 1)[1]
    return re.findall(r'<tr><td class="num">([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', body)


def test_a_good_file_is_imported(session, real_team, measures, as_user):
    client = as_user(real_team, "core")
    response = upload(
        client, real_team, 1, b"period,numerator,denominator,note\n2026-01,12,40,\n2026-02,15,38,script\n"
    )
    assert response.status_code == 303
    assert stored(session, measures["proportion"]) == [
        (date(2026, 1, 1), 12, 40, 0.3, ""),
        (date(2026, 2, 1), 15, 38, 15 / 38, "script"),
    ]
    assert "2 data points imported." in text_of(client.get(response.headers["Location"]))
    event = session.query(AuditEvent).filter_by(action="measure.points_imported").one()
    assert event.details == {"count": 2, "first": "2026-01-01", "last": "2026-02-01"}


def test_semicolons_decimal_commas_and_a_bom(session, real_team, measures, as_user):
    client = as_user(real_team, "leader")
    content = "\ufeffPeríodo;Valor;Nota\n01/01/2026;12,5;início\n01/02/2026;13,25;\n".encode()
    assert upload(client, real_team, 2, content).status_code == 303
    assert stored(session, measures["continuous"]) == [
        (date(2026, 1, 1), None, None, 12.5, "início"),
        (date(2026, 2, 1), None, None, 13.25, ""),
    ]


def test_latin1_spreadsheet_export(session, real_team, measures, as_user):
    client = as_user(real_team, "leader")
    content = "periodo;valor;nota\n2026-01;3;observação\n".encode("latin-1")
    assert upload(client, real_team, 3, content).status_code == 303
    assert stored(session, measures["count"])[0][4] == "observação"


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_one(session, real_team, measures, as_user):
    add_points(session, measures["proportion"], [4], denominators=[10])  # Jan 2025 exists
    client = as_user(real_team, "leader")
    content = (
        b"period,numerator,denominator\n"
        b"2026-01,1,2\n"  # good
        b"2025-01,1,2\n"  # 3: already stored
        b"2026-02,5,4\n"  # 4: numerator > denominator
        b"2026-03,x,4\n"  # 5: not a number
        b"2026-01,1,3\n"  # 6: repeated in the file
        b"not a date,1,3\n"  # 7
    )
    response = upload(client, real_team, 1, content)
    assert response.status_code == 400
    assert [(line, column) for line, column, _message in problem_rows(response)] == [
        ("3", "period"),
        ("4", "numerator"),
        ("5", "numerator"),
        ("6", "period"),
        ("7", "period"),
    ]
    assert "The file was not imported: 5 problems were found." in text_of(response)
    assert stored(session, measures["proportion"]) == [(date(2025, 1, 1), 4, 10, 0.4, "")]
    assert session.query(AuditEvent).filter_by(action="measure.points_imported").count() == 0


def test_missing_file_wrong_columns_and_too_large(session, real_team, measures, as_user):
    client = as_user(real_team, "leader")
    response = post(client, real_team, 1, "/import", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a CSV file" in text_of(response)
    response = upload(client, real_team, 1, b"period,value\n2026-01,3\n")
    assert response.status_code == 400
    assert "The header has no column numerator (numerador)." in text_of(response)
    response = upload(client, real_team, 1, b"period,numerator,denominator\n" + b"2026-01,1,2\n" * 90000)
    assert response.status_code == 400 and "larger than 1 MB" in text_of(response)
    assert stored(session, measures["proportion"]) == []


def test_readers_cannot_import(session, real_team, measures, as_user):
    client = as_user(real_team, "sponsor")
    assert upload(client, real_team, 2, b"period,value\n2026-01,3\n").status_code == 403
    assert stored(session, measures["continuous"]) == []


def test_the_import_form_is_on_the_page_for_editors_only(session, real_team, measures, as_user):
    assert 'enctype="multipart/form-data"' in text_of(as_user(real_team, "leader").get(measure_path(real_team, 1)))
    assert "multipart/form-data" not in text_of(as_user(real_team, "sponsor").get(measure_path(real_team, 1)))
