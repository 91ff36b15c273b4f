# forge bench: the problem's own tests, never shown to the model.
from solution import *  # noqa: F401,F403 (the checks may use helpers as well)
from solution import mean_absolute_deviation as candidate


METADATA = {
    'author': 'jt',
    'dataset': 'test'
}


def check(candidate):
    assert abs(candidate([1.0, 2.0, 3.0]) - 2.0/3.0) < 1e-6
    assert abs(candidate([1.0, 2.0, 3.0, 4.0]) - 1.0) < 1e-6
    assert abs(candidate([1.0, 2.0, 3.0, 4.0, 5.0]) - 6.0/5.0) < 1e-6



def test_hidden():
    check(candidate)
