"""Where a webhook may go: the public internet only (no SSRF into this network), unless the settings allow private
hosts (a receiver on this machine, tests).

`blocked` judges one address; `literal_blocked` judges a URL's host when it is added (an IP literal or localhost;
a name is judged when sending); `pin` resolves the host right before a POST, refuses if any address is blocked, and
returns the URL rewritten to the checked address (the Host header and TLS SNI keep the name), so a DNS answer that
changes between the check and the connection cannot send the POST elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(Exception):
    """The host is (or resolves to) an address webhooks must not reach."""


def blocked(address: IPAddress) -> bool:
    """Private, loopback, link-local, multicast, reserved, shared (100.64/10), unspecified: anything not global."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_multicast or not address.is_global


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_local_name(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def literal_blocked(host: str) -> bool:
    """True for an IP literal in a blocked range, or a localhost name (no DNS asked here)."""
    address = _literal(host)
    return blocked(address) if address is not None else is_local_name(host)


@dataclass(frozen=True)
class Pinned:
    url: httpx.URL
    headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)


async def resolve(host: str, port: int) -> list[IPAddress]:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


async def pin(url: str, *, allow_private: bool) -> Pinned:
    """The URL to connect to (the host replaced by its checked address); BlockedAddress if any address is blocked."""
    parsed = httpx.URL(url)
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = await resolve(host, port)
    if not addresses:
        raise OSError(f"no address for {host}")
    if not allow_private and (is_local_name(host) or any(blocked(a) for a in addresses)):
        raise BlockedAddress(host)
    address = addresses[0]
    if _literal(host) is not None:
        return Pinned(parsed)
    netloc_host = parsed.netloc.decode("ascii").rsplit("@", 1)[-1]
    extensions = {"sni_hostname": host} if parsed.scheme == "https" else {}
    return Pinned(parsed.copy_with(host=str(address)), {"Host": netloc_host}, extensions)


__all__ = ["BlockedAddress", "Pinned", "blocked", "is_local_name", "literal_blocked", "pin", "resolve"]
