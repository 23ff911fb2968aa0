#!/usr/bin/python3
"""Second, independent client library against the real parleyd: two python3-slixmpp clients
log in (STARTTLS + SASL), fetch their rosters, subscribe to each other (slixmpp accepts and
subscribes back on its own), see each other's presence and exchange messages both ways.

Started by CTest with --parleyd/--parleyctl. Like the C++ fixture it runs parleyd in a
private temporary directory with every listener on port 0, waits (bounded) for the ready
file, adds the accounts with parleyctl, and checks that SIGTERM makes parleyd exit 0.
Every wait is on an event with a timeout; nothing sleeps to synchronise.
"""
import argparse
import asyncio
import json
import logging
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time

import slixmpp

READY_TIMEOUT_S = 20
STEP_TIMEOUT_S = 15


class ParleyD:
    """One parleyd in a temp dir (the same conventions as tests/integration/support)."""

    def __init__(self, parleyd, parleyctl):
        self.parleyd = parleyd
        self.parleyctl = parleyctl
        self.dir = tempfile.mkdtemp(prefix="parley-it-py-")
        self.data_dir = os.path.join(self.dir, "data")
        os.makedirs(self.data_dir)
        self.config_path = os.path.join(self.dir, "parley.json")
        config = {
            "data_dir": self.data_dir,
            "domains": ["localhost"],
            "threads": 2,
            "log": {"level": "debug", "format": "text"},
            "xmpp": {
                "c2s": {"enabled": True, "address": "127.0.0.1", "port": 0},
                "direct_tls": {"enabled": True, "address": "127.0.0.1", "port": 0},
            },
        }
        with open(self.config_path, "w") as f:
            json.dump(config, f, indent=2)
        self.log_path = os.path.join(self.dir, "parleyd.log")
        self.proc = None
        self.c2s_port = 0

    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.parleyd, "--config", self.config_path],
                                     stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        ready = os.path.join(self.data_dir, "parleyd.ready.json")
        deadline = time.monotonic() + READY_TIMEOUT_S
        # Waiting for an external process: a bounded poll of the ready file.
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("parleyd exited during startup (%d)" % self.proc.returncode)
            try:
                with open(ready) as f:
                    info = json.load(f)
                if info.get("pid") == self.proc.pid:
                    self.c2s_port = info["xmpp_c2s_port"]
                    return
            except (OSError, ValueError):
                pass
            try:
                self.proc.wait(timeout=0.02)
            except subprocess.TimeoutExpired:
                pass
        raise RuntimeError("parleyd not ready within %d s" % READY_TIMEOUT_S)

    def ctl(self, *args):
        result = subprocess.run([self.parleyctl, "--config", self.config_path, *args],
                                capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise RuntimeError("parleyctl %s failed (%d): %s%s" %
                               (" ".join(args), result.returncode, result.stdout, result.stderr))
        return result.stdout

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=15)

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def cleanup(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if not os.environ.get("PARLEY_IT_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)


class Client(slixmpp.ClientXMPP):
    def __init__(self, jid, password, port):
        super().__init__(jid, password)
        # parleyd generates a self-signed certificate for the tests.
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE
        self.port = port
        self.started = asyncio.get_event_loop().create_future()
        self.messages = []
        self.waiters = []
        self.add_event_handler("session_start", self._on_start)
        self.add_event_handler("message", self._on_message)
        for event in ("roster_update", "changed_status", "presence_available",
                      "presence_subscribed", "message"):
            self.add_event_handler(event, self._recheck)

        async def loopback_only(domain, port=None):
            # Never resolve "localhost" (it may name ::1 first): the daemon listens here.
            return [(domain, "127.0.0.1", self.port)]
        self.get_dns_records = loopback_only

    async def _on_start(self, _event):
        await self.get_roster()
        self.send_presence()
        if not self.started.done():
            self.started.set_result(True)

    def _on_message(self, msg):
        if msg["type"] in ("chat", "normal"):
            self.messages.append(msg)

    def _recheck(self, _event=None):
        for predicate, future in list(self.waiters):
            if not future.done() and predicate():
                future.set_result(True)

    async def until(self, what, predicate):
        """Waits (bounded) until predicate() holds, re-checked on every relevant event."""
        if predicate():
            return
        future = asyncio.get_event_loop().create_future()
        self.waiters.append((predicate, future))
        try:
            await asyncio.wait_for(future, STEP_TIMEOUT_S)
        except asyncio.TimeoutError:
            raise AssertionError("%s: timed out waiting for %s" % (self.boundjid, what))
        finally:
            self.waiters.remove((predicate, future))


async def scenario(daemon, alice_jid, bob_jid, password):
    alice = Client(alice_jid + "/py", password, daemon.c2s_port)
    bob = Client(bob_jid + "/py", password, daemon.c2s_port)
    for c in (alice, bob):
        c.connect(address=("127.0.0.1", daemon.c2s_port))
    await asyncio.wait_for(asyncio.gather(alice.started, bob.started), STEP_TIMEOUT_S)
    assert str(alice.boundjid) == alice_jid + "/py", alice.boundjid
    assert str(bob.boundjid) == bob_jid + "/py", bob.boundjid

    # RFC 6121 §3: alice subscribes; bob's slixmpp approves and subscribes back.
    alice.send_presence_subscription(pto=bob_jid, ptype="subscribe")
    await alice.until("subscription 'both' with bob",
                      lambda: alice.client_roster[bob_jid]["subscription"] == "both")
    await bob.until("subscription 'both' with alice",
                    lambda: bob.client_roster[alice_jid]["subscription"] == "both")
    # RFC 6121 §4: each sees the other available.
    await alice.until("bob's presence",
                      lambda: len(alice.client_roster[bob_jid].resources) > 0)
    await bob.until("alice's presence",
                    lambda: len(bob.client_roster[alice_jid].resources) > 0)

    # The roster the server stores agrees.
    await alice.get_roster()
    assert alice.client_roster[bob_jid]["subscription"] == "both", \
        alice.client_roster[bob_jid]["subscription"]

    alice.send_message(mto=bob_jid, mbody="hello from slixmpp", mtype="chat")
    await bob.until("alice's message",
                    lambda: any(m["body"] == "hello from slixmpp" for m in bob.messages))
    got = next(m for m in bob.messages if m["body"] == "hello from slixmpp")
    assert str(got["from"]) == alice_jid + "/py", got["from"]
    bob.send_message(mto=got["from"], mbody="and back", mtype="chat")
    await alice.until("bob's reply", lambda: any(m["body"] == "and back" for m in alice.messages))

    for c in (alice, bob):
        c.disconnect()
    await asyncio.wait_for(asyncio.gather(alice.disconnected, bob.disconnected), STEP_TIMEOUT_S)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parleyd", required=True)
    parser.add_argument("--parleyctl", required=True)
    args = parser.parse_args()
    if os.environ.get("PARLEY_IT_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)

    daemon = ParleyD(args.parleyd, args.parleyctl)
    ok = False
    try:
        daemon.start()
        password = "slix-s3cret"
        alice, bob = "alice-py@localhost", "bob-py@localhost"
        for jid in (alice, bob):
            daemon.ctl("account", "add", jid, "--password", password)
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(asyncio.wait_for(scenario(daemon, alice, bob, password), 90))
        finally:
            # slixmpp leaves its filter tasks behind: cancel them before closing the loop.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()
        code = daemon.stop()
        assert code == 0, "parleyd exit status %d after SIGTERM" % code
        ok = True
        print("slixmpp scenario passed")
    except Exception as e:  # report anything with the daemon's log
        print("FAILED: %r" % (e,), file=sys.stderr)
        print("--- parleyd log ---\n" + daemon.log() + "--- end ---", file=sys.stderr)
    finally:
        daemon.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
