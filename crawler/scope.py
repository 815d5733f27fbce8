"""What one source's crawl may request: the rules behind crawler.middlewares.ScopeMiddleware.

- **Scheme.** http and https only (crawler/settings.py also disables every other download handler).
- **Origin.** The host is one of the source's hosts (those of its configured URLs) and the port is
  one its configured URLs name for that host; a host configured on a standard port (80, 443) may
  use either, so ``http://host/`` can move to ``https://host/``, but ``host:22`` is never asked.
- **Address.** The host must resolve to a public address. Private, loopback, link-local, shared,
  multicast and reserved addresses are refused unless the sources file names them: a configured
  URL whose host is such an address (``http://127.0.0.1:8080/``), or the source's
  ``private_addresses`` networks, for a private host reached by name.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.config import Source
from crawler.urls import is_http

DEFAULT_PORTS = {"http": 80, "https": 443}
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Why an address is not public, in a word or two."""
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return "non-public"


def refuse_address(address: str, allowed: tuple[Network, ...]) -> str | None:
    """Why the crawl may not connect to ``address``, or None when it may."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if (ip.is_global and not ip.is_multicast) or any(ip in network for network in allowed):
        return None
    return f"{address} is a {address_kind(ip)} address, not public (see the source's private_addresses)"


def private_networks(source: Source) -> tuple[Network, ...]:
    """Non-public addresses the source may reach: address hosts of its URLs, and its private_addresses."""
    networks = [ipaddress.ip_network(n, strict=False) for n in source.private_addresses]
    for host in source.hosts:
        try:
            networks.append(ipaddress.ip_network(host))
        except ValueError:  # a name, not an address
            continue
    return tuple(networks)


@dataclass(frozen=True)
class Scope:
    ports: dict[str, frozenset[int]]  # host -> ports it may be asked on
    networks: tuple[Network, ...]  # non-public addresses allowed

    @classmethod
    def of(cls, source: Source) -> Scope:
        ports: dict[str, set[int]] = {}
        for url in source.urls:
            parts = urlsplit(url)
            ports.setdefault(parts.hostname, set()).add(parts.port or DEFAULT_PORTS[parts.scheme])
        for found in ports.values():
            if found & {80, 443}:
                found |= {80, 443}
        return cls({host: frozenset(found) for host, found in ports.items()}, private_networks(source))

    def refuse_url(self, url: str) -> str | None:
        """Why ``url`` is outside the source's scope (scheme, host, port), or None."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if not is_http(url):
            return f"scheme {scheme or '(none)'!r} is not http or https"
        host = parts.hostname
        if host not in self.ports:
            return f"host {host} is not one of the source's hosts ({', '.join(sorted(self.ports))})"
        try:
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError:
            return f"bad port in {url}"
        if port not in self.ports[host]:
            return f"port {port} is not one of the source's ports on {host}"
        return None

    def refuse_address(self, address: str) -> str | None:
        return refuse_address(address, self.networks)
