"""The host's home, the user's repository and /etc's secrets are not visible."""
import os

import pytest

from hostile_support import config


def test_cannot_read_secret_in_home():
    with pytest.raises(OSError):
        with open(config()["secret_path"], encoding="utf-8") as f:
            f.read()


def test_cannot_read_ssh_keys():
    ssh = config()["ssh_dir"]
    with pytest.raises(OSError):
        os.listdir(ssh)
    with pytest.raises(OSError):
        with open(os.path.join(ssh, config()["ssh_canary"]), encoding="utf-8") as f:
            f.read()


def test_cannot_read_repository():
    with pytest.raises(OSError):
        with open(os.path.join(config()["repo_path"], "Package.swift"), encoding="utf-8") as f:
            f.read()


def test_home_shows_only_toolchain_mounts():
    home = config()["host_home"]
    try:
        entries = set(os.listdir(home))
    except OSError:
        return
    # A toolchain under the home (pyenv) is mounted by its own prefix; nothing else of the home.
    assert entries <= {".pyenv"}, entries


def test_etc_has_no_secrets():
    for path in ["/etc/shadow", "/etc/forge", "/etc/ssh", "/etc/passwd", "/etc/hostname"]:
        assert not os.path.exists(path), path
