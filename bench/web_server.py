"""The web service under load, run as `python -m bench.web_server` by bench.web.

Reads one JSON line on stdin: the PEM of the local test root and the signing chain.
Serves `skill.web.server.create_app(skill.app.handle_event, verifier)` with waitress
(`skill.web.server.make_server`, as `steady serve` configures it) on 127.0.0.1 and a free port,
the verifier trusting only the local root and fetching the chain from memory. Prints
`{"port": N}` once listening. The store is whatever the environment configures (the
benchmark sets STEADY_DATA_DIR: the embedded SQLite store, the self-hosted default)."""

from __future__ import annotations

import json
import sys


def main() -> None:
    config = json.loads(sys.stdin.readline())
    from cryptography import x509

    from skill.app import handle_event
    from skill.web.server import create_app, make_server
    from skill.web.verifier import RequestVerifier

    chain: bytes = config["chain_pem"].encode()

    def fetch(url: str, timeout: float) -> bytes:
        return chain

    verifier = RequestVerifier(
        roots=[x509.load_pem_x509_certificate(config["root_pem"].encode())], fetcher=fetch
    )
    app = create_app(handle_event, verifier)
    server = make_server(app, "127.0.0.1", 0)
    port = getattr(server, "effective_port", None)
    print(json.dumps({"port": port}), flush=True)
    server.run()


if __name__ == "__main__":
    main()
