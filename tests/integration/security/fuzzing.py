"""The Hypothesis settings of the fuzz tests: no deadline (a request may take a while on a busy machine), no
example database (each run draws afresh, or replays with the "ci" profile), fixtures shared across examples."""

from hypothesis import HealthCheck, settings


def fuzz_settings(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
