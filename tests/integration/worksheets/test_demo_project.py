"""The demo team's project: worksheets, measures with data and PDSA cycles, loaded once."""

from sqlalchemy import func, select

from qtp.demo.loader import load_demo
from qtp.measurement.models import DataPoint
from qtp.measurement.run_chart import analyze
from qtp.worksheets import data as worksheet_data
from qtp.worksheets.models import Worksheet


def test_demo_project_loads_once_with_a_run_chart_that_shifts(session, real_worksheet_types):
    load_demo(session, "development")
    session.commit()
    worksheets = session.scalar(select(func.count()).select_from(Worksheet))
    points = session.scalar(select(func.count()).select_from(DataPoint))
    assert worksheets >= 9 and points >= 20
    assert load_demo(session, "development") == 0
    for worksheet in session.scalars(select(Worksheet)):  # demo data is what the forms would have stored
        assert worksheet.data == worksheet_data.clean(worksheet.type.definition, worksheet.data)
    measure = session.scalar(
        select(Worksheet).where(Worksheet.type_id == real_worksheet_types["measures"].id, Worksheet.record_no == 1)
    )
    series = session.scalars(select(DataPoint).where(DataPoint.measure_id == measure.id).order_by(DataPoint.period))
    analysis = analyze([p.numerator / p.denominator * 100 for p in series])
    assert analysis.shifts, "the demo run chart should show a shift after the PDSA cycles"
