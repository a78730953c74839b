#!/usr/bin/env python3
"""Runs PyPI scim2-tester against a running Kyoritsu's /scim/v2 and prints one JSON line
per check ({"title", "status", "reason", "resource_type"}), then exits 1 if any check
ERRORed.

    scripts/scim_check.py BASE_URL TOKEN

The server takes a User's userName only when it is an e-mail address (the address the
account signs in with). scim2-tester fills attributes it knows nothing about with
UUIDs, so before running its checks this tells it — through the example values of the
model it discovered from the server — that userName is an address. Nothing else of
the discovered models is changed.
"""
import json
import sys
import uuid
from collections.abc import Sequence

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


class FreshAddresses(Sequence):
    """Example values for userName, each read a new address: scim2-tester picks an
    example with `random.choice`, and a fixed list (even of 500) gave two created users
    the same address now and then — which the server rightly refuses as a duplicate."""

    def __len__(self) -> int:
        return 1

    def __getitem__(self, index):
        if index != 0 and index != -1:
            raise IndexError(index)
        return f"{uuid.uuid4().hex}@example.jp"


def main() -> int:
    base, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    client.discover()
    user = client.get_resource_model("User")
    for field in user.model_fields.values():
        if (field.serialization_alias or field.alias) == "userName":
            field.examples = FreshAddresses()
    results = check_server(client)
    failed = 0
    for r in results:
        status = r.status.name if hasattr(r.status, "name") else str(r.status)
        if r.status == Status.ERROR:
            failed += 1
        print(json.dumps({
            "title": r.title,
            "status": status,
            "reason": str(r.reason)[:500] if r.reason else None,
            "resource_type": getattr(r, "resource_type", None),
        }, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
