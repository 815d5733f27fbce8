"""The scope rules (crawler.scope): schemes, hosts, ports and addresses a source's crawl may use."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crawler.config import Source
from crawler.scope import Scope

CLINIC = Scope.of(Source(name="clinic", feeds=["http://clinic.example/feed/"], start_urls=["https://news.example/"]))
NOT_HOSTS = "is not one of the source's hosts (clinic.example, news.example)"
LOCAL = Scope.of(Source(name="local", start_urls=["http://127.0.0.1:8000/"]))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://clinic.example/blog/", None),  # http -> https on the standard ports
        ("http://news.example:80/a", None),
        ("file://clinic.example/etc/passwd", "scheme 'file' is not http or https"),
        ("ftp://clinic.example/pub/", "scheme 'ftp' is not http or https"),
        ("data:text/html,hi", "scheme 'data' is not http or https"),
        ("//clinic.example/x", "scheme '(none)' is not http or https"),
        ("http://evil.example/", f"host evil.example {NOT_HOSTS}"),
        ("http://clinic.example.evil.example/", f"host clinic.example.evil.example {NOT_HOSTS}"),
        ("http://clinic.example:22/", "port 22 is not one of the source's ports on clinic.example"),
    ],
)  # fmt: skip
def test_urls_outside_the_scheme_host_or_port_are_refused(url, reason):
    assert CLINIC.refuse_url(url) == reason


def test_a_host_on_its_own_port_keeps_to_it():
    assert LOCAL.refuse_url("http://127.0.0.1:8000/blog/") is None
    assert LOCAL.refuse_url("https://127.0.0.1:8000/blog/") is None  # same port, TLS: nothing else listens there
    assert LOCAL.refuse_url("http://127.0.0.1/") == "port 80 is not one of the source's ports on 127.0.0.1"
    assert LOCAL.refuse_url("http://127.0.0.1:6379/") == "port 6379 is not one of the source's ports on 127.0.0.1"


@pytest.mark.parametrize(
    ("address", "kind"),
    [("127.0.0.2", "loopback"), ("10.1.2.3", "private"), ("192.168.0.9", "private"), ("172.16.5.4", "private"),
     ("169.254.169.254", "link-local"), ("100.64.0.1", "non-public"), ("224.0.0.251", "multicast"),
     ("0.0.0.0", "unspecified"), ("240.0.0.1", "reserved"), ("::1", "loopback"), ("fe80::1", "link-local"),
     ("fc00::1", "private"), ("::ffff:10.0.0.1", "private")],
)  # fmt: skip
def test_non_public_addresses_are_refused(address, kind):
    assert CLINIC.refuse_address(address).startswith(f"{address} is a {kind} address, not public")


def test_public_addresses_pass():
    assert CLINIC.refuse_address("93.184.215.14") is None
    assert CLINIC.refuse_address("2606:2800:21f:cb07:6820:80da:af6b:8b2c") is None


def test_the_sources_file_names_the_private_addresses_it_may_reach():
    assert LOCAL.refuse_address("127.0.0.1") is None  # named by the source's own URL
    assert LOCAL.refuse_address("127.0.0.2").startswith("127.0.0.2 is a loopback address")
    intranet = Scope.of(Source(name="intranet", start_urls=["http://news.corp/"], private_addresses=["10.20.0.0/16"]))
    assert intranet.refuse_address("10.20.3.4") is None
    assert intranet.refuse_address("10.21.0.1").startswith("10.21.0.1 is a private address")


def test_private_addresses_must_be_addresses_or_networks():
    with pytest.raises(ValidationError, match="not an IP address or network: 'intranet'"):
        Source(name="x", start_urls=["http://news.corp/"], private_addresses=["intranet"])


def test_configured_urls_need_a_valid_port():
    with pytest.raises(ValidationError, match="bad port in URL"):
        Source(name="x", start_urls=["http://news.corp:99999/"])
