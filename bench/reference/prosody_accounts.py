#!/usr/bin/env python3
"""Writes Prosody accounts PREFIX1..PREFIXN straight into its `internal` storage.

Usage: prosody_accounts.py DATA_PATH DOMAIN PREFIX N PASSWORD [ITERATIONS]

The records are what mod_auth_internal_hashed stores itself (Prosody 0.12): salt, iteration
count and the hex StoredKey/ServerKey of RFC 5802 §3, so logins work exactly as for accounts
made with `prosodyctl register`, which would take a Lua start-up per account. Only the
benchmark uses this: one salt for all accounts of a run keeps it to one PBKDF2.
"""
import hashlib
import hmac
import os
import sys
import uuid


def encode_node(text: str) -> str:
    # util/datamanager.lua encode(): every non-alphanumeric byte becomes %xx.
    return "".join(c if c.isascii() and c.isalnum() else "%%%02x" % ord(c) for c in text)


def main() -> int:
    if len(sys.argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 64
    data_path, domain, prefix, count, password = sys.argv[1:6]
    iterations = int(sys.argv[6]) if len(sys.argv) == 7 else 4096
    salt = str(uuid.uuid4())
    salted = hashlib.pbkdf2_hmac("sha1", password.encode(), salt.encode(), iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha1).digest()
    stored_key = hashlib.sha1(client_key).hexdigest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha1).hexdigest()
    record = (
        "return {\n"
        f'\t["iteration_count"] = {iterations};\n'
        f'\t["salt"] = "{salt}";\n'
        f'\t["stored_key"] = "{stored_key}";\n'
        f'\t["server_key"] = "{server_key}";\n'
        "};\n"
    )
    accounts = os.path.join(data_path, encode_node(domain), "accounts")
    os.makedirs(accounts, exist_ok=True)
    for i in range(1, int(count) + 1):
        with open(os.path.join(accounts, encode_node(f"{prefix}{i}") + ".dat"), "w") as f:
            f.write(record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
