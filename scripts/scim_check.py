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

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def main() -> int:
    base, token = sys.argv[1], sys.argv[2]
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    client = SyncSCIMClient(http)
    client.discover()
    user = client.get_resource_model("User")
    for field in user.model_fields.values():
        if (field.serialization_alias or field.alias) == "userName":
            field.examples = [f"{uuid.uuid4().hex[:12]}@example.jp" for _ in range(500)]
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
