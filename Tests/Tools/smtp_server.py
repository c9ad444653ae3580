#!/usr/bin/env python3
"""A real SMTP server on loopback for Dateline's tests (aiosmtpd).

    smtp_server.py --folder DIR [--port N] [--auth USER:PASSWORD] [--auth-mechanisms LOGIN]
                   [--tls CERT KEY] [--pipelining] [--stall-after-data SECONDS]

Prints "PORT <n>" once it listens, then stores each accepted message as DIR/<n>.eml, written to
a temporary name and renamed, with an "X-Envelope-To:" line in front naming the envelope
recipients. With --auth, AUTH (PLAIN or LOGIN) is required; with --tls, STARTTLS is offered
and required before AUTH; --auth-mechanisms limits the mechanisms offered. --pipelining offers
PIPELINING (RFC 2920) in the EHLO reply (aiosmtpd reads commands one line at a time, so a
pipelined group is answered in order). A recipient whose address starts with "refuse" is
refused with 550, one that starts with "defer" with 452 (for now). --stall-after-data waits that many seconds after a message's final "."
before storing it and answering, like a server that has gone quiet. Stops on SIGTERM.

One change to aiosmtpd's behaviour: when a client disconnects (a FIN or a reset), aiosmtpd
cancels the session at once, dropping a message whose final "." has arrived but is still waiting
in its read buffer, or is being stored.
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

    def eof_received(self):
        # aiosmtpd cancels the session when the client half-closes (FIN), even with a final "."
        # still unread or a message being stored; here the reader gets its end-of-file and the
        # session ends after reading up to it. False: the transport then closes.
        asyncio.StreamReaderProtocol.eof_received(self)
        return False

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
    def __init__(self, folder, pipelining=False, stall=0.0):
        self.folder = folder
        self.counter = itertools.count(1)
        self.pipelining = pipelining
        self.stall = stall

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 No such mailbox here"
        if address.startswith("defer"):
            return "452 4.2.2 Mailbox full, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall:
            await asyncio.sleep(self.stall)
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
    parser.add_argument("--auth-mechanisms")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--pipelining", action="store_true")
    parser.add_argument("--stall-after-data", type=float, default=0.0)
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
        if options.auth_mechanisms:
            offered = set(options.auth_mechanisms.upper().split(","))
            keywords["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m not in offered]

    controller = FinishingController(Store(options.folder, options.pipelining, options.stall_after_data), hostname="127.0.0.1", port=port, server_hostname="localhost", **keywords)
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
