#!/usr/bin/env python3
"""A real SMTP server on loopback for Dateline's tests (aiosmtpd).

    smtp_server.py --folder DIR [--port N] [--auth USER:PASSWORD] [--tls CERT KEY]

Prints "PORT <n>" once it listens, then stores each accepted message as DIR/<n>.eml, written to
a temporary name and renamed, with an "X-Envelope-To:" line in front naming the envelope
recipients. With --auth, AUTH (PLAIN or LOGIN) is required; with --tls, STARTTLS is offered
and required before AUTH. Stops on SIGTERM.
"""
import argparse
import itertools
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, folder):
        self.folder = folder
        self.counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        data = envelope.original_content if envelope.original_content is not None else envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        head = ("X-Envelope-To: " + ",".join(envelope.rcpt_tos) + "\r\n").encode("ascii")
        temporary = os.path.join(self.folder, ".%07d.tmp" % number)
        with open(temporary, "wb") as handle:
            handle.write(head + data)
        os.rename(temporary, os.path.join(self.folder, "%07d.eml" % number))
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--auth")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    options = parser.parse_args()
    os.makedirs(options.folder, exist_ok=True)
    port = options.port
    if port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]

    keywords = {}
    if options.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.tls[0], options.tls[1])
        keywords["tls_context"] = context
        keywords["require_starttls"] = True
    if options.auth:
        user, password = options.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
                return AuthResult(success=True)
            return AuthResult(success=False, handled=False)

        keywords["authenticator"] = authenticator
        keywords["auth_required"] = True
        keywords["auth_require_tls"] = bool(options.tls)

    controller = Controller(Store(options.folder), hostname="127.0.0.1", port=port, server_hostname="localhost", **keywords)
    stop = threading.Event()
    # A parent may have SIGTERM blocked (the mask is inherited across exec): unblock it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print("PORT %d" % port, flush=True)
    while not stop.wait(0.2):
        pass
    # Every accepted message is already on disk (written before the 250 reply); no need to wait
    # for open connections to wind down.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
