"""No variable of the process that started the sandbox reaches the code inside."""
import os

from hostile_support import config

ALLOWED = {"PATH", "HOME", "LANG", "TMPDIR", "PWD", "SHLVL", "_"}


def test_canary_variable_absent():
    cfg = config()
    assert cfg["canary_name"] not in os.environ
    assert not any(cfg["canary_value"] in value for value in os.environ.values())


def test_only_the_clean_environment():
    unexpected = {name for name in os.environ
                  if name not in ALLOWED and not name.startswith(("PYTHON", "PYTEST_"))}
    assert not unexpected, unexpected


def test_no_process_environment_holds_the_canary():
    canary = config()["canary_value"].encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                assert canary not in f.read(), pid
        except OSError:
            pass
