#!/usr/bin/env python3
"""Interop check driven by interop_test.cpp: a slixmpp client logs in (STARTTLS, SASL),
binds, enables XEP-0198, sends one message, waits for one and disconnects.
Usage: slixmpp_client.py PORT. Prints BOUND <jid>, SM, MESSAGE <body>, DONE."""
import asyncio
import logging
import ssl
import sys

import slixmpp


class Client(slixmpp.ClientXMPP):
    def __init__(self):
        super().__init__("alice@localhost/slix", "secret")
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE
        self.register_plugin("xep_0198")
        self.register_plugin("xep_0199")
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("sm_enabled", lambda _: print("SM", flush=True))
        self.add_event_handler("failed_auth", lambda _: print("AUTH_FAILED", flush=True))

    async def start(self, _event):
        self.send_presence()
        await self.get_roster()
        print("BOUND", self.boundjid.full, flush=True)
        await self.plugin["xep_0199"].ping(jid="localhost", timeout=5)
        print("PONG", flush=True)
        self.send_message(mto="bob@localhost", mbody="hello from slixmpp", mtype="chat")

    def on_message(self, msg):
        print("MESSAGE", msg["body"], flush=True)
        self.disconnect()


def main():
    logging.basicConfig(level=logging.ERROR)
    client = Client()
    client.connect(("127.0.0.1", int(sys.argv[1])))
    loop = asyncio.get_event_loop()
    loop.run_until_complete(asyncio.wait_for(client.disconnected, 20))
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
