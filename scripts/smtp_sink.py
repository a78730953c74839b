#!/usr/bin/env python3
"""A real SMTP server for tests (aiosmtpd, from PyPI).

    python3 scripts/smtp_sink.py PORT FILE

Listens on 127.0.0.1:PORT and appends every message it accepts to FILE as one JSON line:
{"from", "to": [...], "subject", "body", "calendars": [...]} with the subject and the
plain-text body decoded, so tests can read what a person would, and every text/calendar
part as {"method", "filename", "text"}. Prints "ready" once it listens.
"""
import email
import json
import sys
import threading
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "body": body.get_content() if body is not None else "",
            "calendars": [
                {
                    "method": part.get_param("method"),
                    "filename": part.get_filename(),
                    "text": part.get_content(),
                }
                for part in msg.walk()
                if part.get_content_type() == "text/calendar"
            ],
        }
        with self.lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 Message accepted"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
