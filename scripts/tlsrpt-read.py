#!/usr/bin/env python3
"""Reads a TLS-RPT report (RFC 8460) the way a receiver would, independently of Sluice's code.

    tlsrpt-read.py mail FILE   a message in the RFC 8460 section 5.3 MIME form (as a sink dumped it)
    tlsrpt-read.py gzip FILE   an HTTPS POST body (application/tlsrpt+gzip)

Checks the form (multipart/report; report-type="tlsrpt", the TLS-Report-Domain and
TLS-Report-Submitter header fields, one application/tlsrpt+gzip part, the JSON's required
fields) and prints one JSON object with the counts:
  {"policy-domain": ..., "report-id": ..., "date-range": {...}, "submitter": ...,
   "policies": [{"policy-type", "policy-domain", "mx-host", "policy-string", "success", "failure",
                 "failures": {"<result-type>": n}}]}
Exits 1 with a message on stderr when the report is malformed. Python standard library only.
"""
import email
import email.policy
import gzip
import json
import sys

REQUIRED = ("organization-name", "date-range", "contact-info", "report-id", "policies")


def fail(message):
    print("tlsrpt-read: " + message, file=sys.stderr)
    sys.exit(1)


def from_mail(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if msg.get_content_type() != "multipart/report":
        fail("top-level type is %s, not multipart/report" % msg.get_content_type())
    if msg.get_param("report-type") != "tlsrpt":
        fail("report-type is %r, not tlsrpt" % msg.get_param("report-type"))
    domain = msg.get("TLS-Report-Domain")
    submitter = msg.get("TLS-Report-Submitter")
    if not domain or not submitter:
        fail("TLS-Report-Domain and TLS-Report-Submitter are required")
    parts = [p for p in msg.iter_parts() if p.get_content_type() == "application/tlsrpt+gzip"]
    if len(parts) != 1:
        fail("expected one application/tlsrpt+gzip part, found %d" % len(parts))
    name = parts[0].get_filename() or ""
    if not name.endswith(".json.gz") or name.count("!") < 3:
        fail("attachment file name %r is not submitter!domain!begin!end[!id].json.gz" % name)
    report = from_gzip(parts[0].get_payload(decode=True))
    if report["policy-domain"] != str(domain).strip():
        fail("TLS-Report-Domain %s but the report is about %s" % (domain, report["policy-domain"]))
    report["submitter"] = str(submitter).strip()
    report["dkim-signed"] = msg.get("DKIM-Signature") is not None
    return report


def from_gzip(body):
    try:
        doc = json.loads(gzip.decompress(body).decode("utf-8"))
    except (OSError, ValueError) as e:
        fail("not gzipped JSON: %s" % e)
    for key in REQUIRED:
        if key not in doc:
            fail("missing %s" % key)
    policies = []
    domains = set()
    for entry in doc["policies"]:
        policy = entry["policy"]
        summary = entry["summary"]
        failures = {}
        for detail in entry.get("failure-details", []):
            failures[detail["result-type"]] = failures.get(detail["result-type"], 0) + detail["failed-session-count"]
        if sum(failures.values()) != summary["total-failure-session-count"]:
            fail("failure-details do not add up to total-failure-session-count")
        domains.add(policy["policy-domain"])
        policies.append({
            "policy-type": policy["policy-type"],
            "policy-domain": policy["policy-domain"],
            "policy-string": policy.get("policy-string", []),
            "mx-host": policy.get("mx-host", []),
            "success": summary["total-successful-session-count"],
            "failure": summary["total-failure-session-count"],
            "failures": failures,
        })
    if len(domains) != 1:
        fail("one report covers one policy domain, found %s" % sorted(domains))
    return {"policy-domain": domains.pop(), "report-id": doc["report-id"], "date-range": doc["date-range"],
            "organization-name": doc["organization-name"], "contact-info": doc["contact-info"],
            "policies": policies}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("mail", "gzip"):
        fail("usage: tlsrpt-read.py mail|gzip FILE")
    with open(sys.argv[2], "rb") as f:
        raw = f.read()
    report = from_mail(raw) if sys.argv[1] == "mail" else from_gzip(raw)
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
