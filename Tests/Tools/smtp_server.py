#!/usr/bin/env python3
"""A real SMTP server on loopback for Dateline's tests (aiosmtpd).

    smtp_server.py --folder DIR [--port N] [--auth USER:PASSWORD] [--tls CERT KEY]

Prints "PORT <n>" once it listens, then stores each accepted message as DIR/<n>.eml, written to
a temporary name and renamed, with an "X-Envelope-To:" line in front naming the envelope
recipients. With --auth, AUTH (PLAIN or LOGIN) is required; with --tls, STARTTLS is offered
and required before AUTH. Stops on SIGTERM.

One change to aiosmtpd's behaviour: when a client disconnects, aiosmtpd cancels the session at
once, dropping a message whose final "." has arrived but is still waiting in its read buffer.
A mail server such as Postfix reads on and accepts that message, and clients (ours included)
count on it; so here the session reads what was received before it ends.
"""
import argparse
import asyncio
import itertools
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class FinishingSMTP(SMTP):
    """aiosmtpd's session, which on disconnection finishes reading what had arrived."""

    def connection_lost(self, error):
        self._timeout_handle.cancel()
        if self._original_transport is not None:
            self._original_transport.close()
        # The stream reader gets its end-of-file; the session reads up to it, then stops
        # (Store.handle_exception), instead of being cancelled here.
        asyncio.StreamReaderProtocol.connection_lost(self, error)


class FinishingController(Controller):
    def factory(self):
        return FinishingSMTP(self.handler, **self.SMTP_kwargs)


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

    async def handle_exception(self, error):
        # The client is gone and everything it sent has been read: end the session.
        if isinstance(error, (asyncio.IncompleteReadError, ConnectionError)):
            raise asyncio.CancelledError()
        return "500 Error: (%s) %s" % (error.__class__.__name__, error)


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

    controller = FinishingController(Store(options.folder), hostname="127.0.0.1", port=port, server_hostname="localhost", **keywords)
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
