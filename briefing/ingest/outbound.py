"""Which hosts a fetch may connect to: a page or feed URL pasted by anyone must not make the server request its own
loopback, the private network or a cloud metadata endpoint (server-side request forgery).

The check is made when a connection is opened (the first request and every redirect), on the addresses the host
resolves to, and the connection goes to the vetted address itself: a name that resolves to a public address when
checked and to a private one a moment later (DNS rebinding) reaches nothing.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., Sequence[tuple[Any, ...]]]
"""`socket.getaddrinfo`'s signature: (host, port, family, type) -> [(family, type, proto, canonname, sockaddr)]."""


class RefusedHostError(OSError):
    """The host resolves to an address the fetch may not connect to."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        super().__init__(
            f"{host} is {kind}" if host.strip("[]") == address else f"{host} resolves to {address}, {kind}"
        )
        self.host = host
        self.address = address
        self.kind = kind


def address_kind(address: IPAddress) -> str | None:
    """What makes the address one a public fetch must not reach ('a loopback address'...), or None when public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = [
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address (where cloud metadata endpoints live)"),
        (address.is_private, "a private-network address"),
        (address.is_multicast, "a multicast address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "not a public address"),
    ]
    return next((kind for refused, kind in checks if refused), None)


@dataclass(frozen=True)
class HostGuard:
    """The addresses a fetch may connect to: public ones, plus private ones when `allow_private` is set, plus the
    `allowed` networks (a trusted intranet news server, say). `resolve` is the name lookup (a seam for tests)."""

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()
    resolve: Resolver = field(default=socket.getaddrinfo, compare=False)

    @classmethod
    def of(cls, allow_private: bool, allowed: Sequence[str] = ()) -> HostGuard:
        return cls(allow_private, tuple(ipaddress.ip_network(n, strict=False) for n in allowed))

    def refusal(self, address: IPAddress) -> str | None:
        """Why the address is refused, or None when it may be reached."""
        if self.allow_private or any(address in network for network in self.allowed):
            return None
        return address_kind(address)

    def vetted(self, host: str, port: int) -> list[tuple[Any, ...]]:
        """The host's addresses as `getaddrinfo` gives them, all allowed; RefusedHostError when any is refused
        (a name with one private address among public ones is refused too: which one is used is not ours to say)."""
        infos = list(self.resolve(host, port, 0, socket.SOCK_STREAM))
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if (kind := self.refusal(address)) is not None:
                raise RefusedHostError(host, str(address), kind)
        if not infos:
            raise socket.gaierror(socket.EAI_NONAME, "host not found")
        return infos

    def check_url(self, url: str) -> None:
        """RefusedHostError when the URL's host resolves to a refused address."""
        parts = urlsplit(url)
        if parts.hostname:
            self.vetted(parts.hostname, parts.port or (443 if parts.scheme.lower() == "https" else 80))

    def connect(self, host: str, port: int, timeout: float | None) -> socket.socket:
        """A socket connected to one of the host's vetted addresses (the first that answers)."""
        failure: OSError | None = None
        for family, kind, proto, _, address in self.vetted(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not None:
                    sock.settimeout(timeout)
                sock.connect(address)
            except OSError as error:
                sock.close()
                failure = error
                continue
            return sock
        raise failure or OSError(f"could not connect to {host}")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, guard: HostGuard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard

    def connect(self) -> None:
        self.sock = self.guard.connect(self.host, self.port, self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, guard: HostGuard, tls: ssl.SSLContext, **kwargs: Any) -> None:
        super().__init__(*args, context=tls, **kwargs)
        self.guard = guard
        self.tls = tls

    def connect(self) -> None:
        raw = self.guard.connect(self.host, self.port, self.timeout)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def _through_proxy(request: urllib.request.Request) -> bool:
    """True when urllib sends the request to a proxy (its host is then the proxy's, not the URL's)."""
    return request.host.lower() != urlsplit(request.full_url).netloc.lower()


def _vet_proxied(guard: HostGuard, request: urllib.request.Request) -> None:
    """Through a proxy, the URL's host is vetted when it resolves here; a name only the proxy can resolve is the
    proxy's to police."""
    try:
        guard.check_url(request.full_url)
    except socket.gaierror:
        pass
    except RefusedHostError as error:
        raise urllib.error.URLError(error) from None


class GuardedHTTPHandler(urllib.request.HTTPHandler):
    """Plain HTTP whose connections go only to vetted addresses. Through a configured proxy (the user's own), the
    URL's host is vetted instead; redirects come back through here, so each hop is vetted."""

    def __init__(self, guard: HostGuard) -> None:
        super().__init__()
        self.guard = guard

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        if _through_proxy(req):
            _vet_proxied(self.guard, req)
            return super().http_open(req)
        return self.do_open(partial(_GuardedHTTPConnection, guard=self.guard), req)


class GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    """HTTPS whose connections go only to vetted addresses, with the default certificate checks."""

    def __init__(self, guard: HostGuard) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(context=self.tls)
        self.guard = guard

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        if _through_proxy(req):
            _vet_proxied(self.guard, req)
            return super().https_open(req)
        return self.do_open(partial(_GuardedHTTPSConnection, guard=self.guard, tls=self.tls), req)
