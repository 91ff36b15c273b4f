"""Nothing outside the workspace and /tmp is writable: not the home, not /usr, not the repository."""
import os

import pytest

from hostile_support import config


def write(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("forge sandbox escape\n")


def test_cannot_write_to_host_home():
    path = os.path.expanduser(config()["canary_path"])
    with pytest.raises(OSError):
        write(path)
    assert not os.path.exists(path)


def test_cannot_write_to_usr():
    with pytest.raises(OSError):
        write("/usr/forge-canary")


def test_cannot_write_to_repository():
    with pytest.raises(OSError):
        write(os.path.join(config()["repo_path"], "forge-canary"))


def test_workspace_and_tmp_are_writable():
    write("written-in-workspace.txt")
    write("/tmp/written-in-tmp.txt")
