"""Server-side request forgery: a pasted page or feed URL cannot make the fetch reach loopback, the private
network, link-local (cloud metadata) or reserved addresses, through a redirect either, unless allowed."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from briefing import Newsroom, Settings
from briefing.errors import InputError
from briefing.ingest.outbound import HostGuard, address_kind
from briefing.ingest.web import fetch_text, read_feed
from briefing.settings import StoreSettings
from tests.web_server import FixtureServer, serving


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with serving() as httpd:
        yield httpd


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),  # IPv4-mapped IPv6 is judged as the IPv4 address
        ("10.0.0.8", "a private-network address"),
        ("172.16.4.2", "a private-network address"),
        ("192.168.1.1", "a private-network address"),
        ("fd00::1", "a private-network address"),
        ("169.254.169.254", "a link-local address (where cloud metadata endpoints live)"),
        ("fe80::1", "a link-local address (where cloud metadata endpoints live)"),
        ("224.0.0.251", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "a private-network address"),  # Python files 0.0.0.0/8 under private ("this network")
        ("240.0.0.1", "a private-network address"),  # and 240.0.0.0/4 (reserved) too
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT: neither private nor global
        ("192.0.2.7", "a private-network address"),  # documentation range
    ],
)
def test_each_class_of_address_is_refused(address: str, kind: str) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind
    assert HostGuard().refusal(ipaddress.ip_address(address)) == kind
    assert HostGuard(allow_private=True).refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "1.1.1.1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert HostGuard().refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/harbour-ferry.html",
        "http://localhost:{port}/harbour-ferry.html",
        "http://[::1]:{port}/harbour-ferry.html",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/admin",
        "http://0.0.0.0:{port}/harbour-ferry.html",
    ],
)
def test_a_fetch_refuses_them_before_connecting(server: FixtureServer, url: str) -> None:
    url = url.format(port=server.server_address[1])
    before = len(server.requests)
    with pytest.raises(InputError) as caught:
        fetch_text(url, timeout=2)
    assert caught.value.reason.startswith("refused: ")
    assert ("localhost resolves to" in caught.value.reason) == ("localhost" in url)
    assert "fetch.allow_private_hosts" in caught.value.reason
    assert len(server.requests) == before  # nothing reached the server


def test_allowed_when_set(server: FixtureServer) -> None:
    assert "Kestrel" in fetch_text(f"{server.base}/harbour-ferry.html", guard=HostGuard(allow_private=True))
    assert "Kestrel" in fetch_text(f"{server.base}/harbour-ferry.html", guard=HostGuard.of(False, ["127.0.0.1/32"]))


@pytest.mark.parametrize(
    "target", ["http://127.0.0.2:{port}/harbour-ferry.html", "http://169.254.169.254/latest/meta-data/"]
)
def test_every_redirect_is_checked(server: FixtureServer, target: str) -> None:
    """The first hop is allowed (127.0.0.1 only); the server redirects to an address that is not."""
    target = target.format(port=server.server_address[1])
    url = f"{server.base}/redirect-to?to={quote(target, safe='')}"
    with pytest.raises(InputError) as caught:
        fetch_text(url, timeout=2, guard=HostGuard.of(False, ["127.0.0.1/32"]))
    assert caught.value.origin == url
    assert caught.value.reason.startswith(f"refused: {target.split('/')[2].split(':')[0]} is a ")


def test_the_connection_goes_to_the_address_that_was_checked(server: FixtureServer) -> None:
    """DNS rebinding: the name answers an allowed address once, then a metadata address. The one lookup is the one
    vetted and connected to; the system resolver (which knows no such name) is never asked."""
    answers = ["127.0.0.1", "169.254.169.254"]
    asked: list[str] = []

    def rebinding(host: str, port: int, *_: Any) -> list[tuple[Any, ...]]:
        asked.append(host)
        address = answers[min(len(asked), len(answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    guard = HostGuard(allowed=(ipaddress.ip_network("127.0.0.1/32"),), resolve=rebinding)
    url = f"http://rebinding.invalid:{server.server_address[1]}/harbour-ferry.html"
    assert "Kestrel" in fetch_text(url, guard=guard)
    assert asked == ["rebinding.invalid"]
    with pytest.raises(InputError) as caught:  # the next lookup gets the metadata address: refused
        fetch_text(url, guard=guard)
    assert "169.254.169.254, a link-local address" in caught.value.reason


def test_a_name_with_one_private_address_among_public_ones_is_refused() -> None:
    def mixed(host: str, port: int, *_: Any) -> list[tuple[Any, ...]]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port)),
        ]

    with pytest.raises(InputError, match=r"10\.1\.2\.3, a private-network address"):
        fetch_text("http://mixed.invalid/story.html", guard=HostGuard(resolve=mixed))


def test_a_feed_and_its_pages_are_checked_too(server: FixtureServer) -> None:
    results = list(read_feed(f"{server.base}/rss.xml"))
    assert len(results) == 1
    assert isinstance(results[0], InputError)
    assert results[0].reason.startswith("refused: 127.0.0.1 is a loopback address")


def test_the_settings_reach_the_ingest(server: FixtureServer, tmp_path: Any) -> None:
    """Off by default through the Newsroom (and so the app); `fetch.allow_private_hosts` turns it on."""
    settings = Settings(store=StoreSettings(path=tmp_path / "store"))
    refused = Newsroom(settings).ingest([f"{server.base}/harbour-ferry.html"])
    assert not refused.added
    assert "refused: " in str(refused.failures[0])
    allowed = Newsroom(settings.updated(fetch={"allow_private_hosts": True})).ingest(
        [f"{server.base}/harbour-ferry.html"]
    )
    assert len(allowed.added) == 1
    assert not allowed.failures


def test_a_feed_with_more_new_entries_than_allowed_is_read_in_part(server: FixtureServer) -> None:
    results = list(read_feed(f"{server.base}/rss.xml", guard=HostGuard(allow_private=True), max_entries=1))
    notices = [r for r in results if isinstance(r, InputError) and "fetch.max_feed_entries" in r.reason]
    assert len(notices) == 1
    assert "only the first 1 are read" in notices[0].reason
    assert len(results) == 2  # the notice, then the one entry read (an article or that page's own error)
