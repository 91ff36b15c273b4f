"""The sandbox has no network: neither the host's loopback nor the outside world is reachable."""
import socket

import pytest

from hostile_support import config


def interfaces():
    return sorted(name for _, name in socket.if_nameindex())


def test_only_loopback_interface():
    assert interfaces() == ["lo"]


def test_host_loopback_listener_unreachable():
    port = config()["host_port"]
    with pytest.raises(OSError):
        with socket.create_connection(("127.0.0.1", port), timeout=3):
            pass


def test_outside_address_unreachable():
    # Never send a packet off the machine, even if the sandbox were broken: try the public
    # address only when the namespace has no interface that could carry it.
    if interfaces() != ["lo"]:
        pytest.fail("the sandbox has a network interface besides lo: " + ", ".join(interfaces()))
    with pytest.raises(OSError):
        with socket.create_connection(("1.1.1.1", 53), timeout=3):
            pass


def test_dns_lookup_fails():
    # As above: resolve only when nothing could carry the query off the machine.
    if interfaces() != ["lo"]:
        pytest.fail("the sandbox has a network interface besides lo: " + ", ".join(interfaces()))
    with pytest.raises(OSError):
        socket.getaddrinfo("example.com", 443, proto=socket.IPPROTO_TCP)
