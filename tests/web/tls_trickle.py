"""A local HTTPS server on 127.0.0.1 that pretends to be s3.amazonaws.com, with a
certificate from a throwaway CA, and answers in one of a few ways: the chain at once,
headers then a byte a second, the status line a byte a second, or an HTTP error."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from skill.web.fetch import HttpsFetcher
from skill.web.testing_chain import LocalCA

CERT_HOST = "s3.amazonaws.com"
TRICKLE_FOR_S = 12.0  # long past any deadline, short enough to end on its own


@dataclass
class TrickleServer:
    port: int
    mode: str
    body: bytes
    client_context: ssl.SSLContext
    connections: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def fetcher(self) -> HttpsFetcher:
        """The production fetcher, with this server's CA and every name resolving here."""

        def resolve(host: str, port: int) -> list[tuple[int, int, int, str, tuple[str, int]]]:
            return [
                (
                    socket.AF_INET,
                    socket.SOCK_STREAM,
                    socket.IPPROTO_TCP,
                    "",
                    ("127.0.0.1", self.port),
                )
            ]

        return HttpsFetcher(context=self.client_context, resolve=resolve)

    def answer(self, tls: ssl.SSLSocket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = tls.recv(4096)
            if not chunk:
                return
            request += chunk
        if self.mode == "ok":
            tls.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/x-pem-file\r\n"
                + f"Content-Length: {len(self.body)}\r\nConnection: close\r\n\r\n".encode()
                + self.body
            )
        elif self.mode == "chunked":
            tls.sendall(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + f"{len(self.body):x}\r\n".encode()
                + self.body
                + b"\r\n0\r\n\r\n"
            )
        elif self.mode == "forbidden":
            tls.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        elif self.mode == "trickle_body":
            tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n")
            self._trickle(tls, b"-" * 5000)
        elif self.mode == "trickle_headers":
            self._trickle(tls, b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 5000)

    def _trickle(self, tls: ssl.SSLSocket, data: bytes) -> None:
        ends = time.monotonic() + TRICKLE_FOR_S
        for byte in data:
            if self.stop.wait(1.0) or time.monotonic() > ends:
                return
            tls.sendall(bytes([byte]))


def _serve(server: TrickleServer, listener: socket.socket, context: ssl.SSLContext) -> None:
    listener.settimeout(0.05)  # so the loop sees `stop` soon after the test ends
    while not server.stop.is_set():
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            return
        conn.settimeout(None)
        server.connections += 1
        threading.Thread(target=_one, args=(server, conn, context), daemon=True).start()


def _one(server: TrickleServer, conn: socket.socket, context: ssl.SSLContext) -> None:
    try:
        with context.wrap_socket(conn, server_side=True) as tls:
            server.answer(tls)
    except (OSError, ssl.SSLError):
        return


@contextmanager
def trickle_server(tmp_path: Path, mode: str, body: bytes = b"") -> Iterator[TrickleServer]:
    ca = LocalCA(label="Fake S3")
    chain = ca.issue(dns_name=CERT_HOST)
    cert_file, key_file = tmp_path / "s3.pem", tmp_path / "s3.key"
    cert_file.write_bytes(chain.chain_pem)
    key_file.write_bytes(
        chain.leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    client_context = ssl.create_default_context(
        cadata=ca.root.public_bytes(serialization.Encoding.PEM).decode()
    )
    listener = socket.create_server(("127.0.0.1", 0))
    server = TrickleServer(listener.getsockname()[1], mode, body, client_context)
    thread = threading.Thread(target=_serve, args=(server, listener, server_context), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        thread.join(timeout=5)
        listener.close()
