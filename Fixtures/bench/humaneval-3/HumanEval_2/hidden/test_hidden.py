# forge bench: the problem's own tests, never shown to the model.
from solution import *  # noqa: F401,F403 (the checks may use helpers as well)
from solution import truncate_number as candidate


METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert candidate(3.5) == 0.5
    assert abs(candidate(1.33) - 0.33) < 1e-6
    assert abs(candidate(123.456) - 0.456) < 1e-6


def test_hidden():
    check(candidate)
