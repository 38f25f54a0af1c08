#!/usr/bin/env bash
# Installs, idempotently, the Debian packages the test suite talks to: real SMTP clients and
# sinks (postfix's smtp-source/smtp-sink, swaks), a real DNS server (dnsmasq), a real DNSSEC-signed authoritative server (Knot, zones signed with ldns), real DKIM
# verifiers (dkimpy, OpenDKIM), systemd-analyze and headless Chromium. Postfix is preseeded to "No configuration"
# so the system instance never starts.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have smtp-sink && have smtp-source || need+=(postfix)
have swaks || need+=(swaks)
# swaks --tls needs Perl's TLS modules
perl -MNet::SSLeay -MIO::Socket::SSL -e1 >/dev/null 2>&1 || need+=(libnet-ssleay-perl libio-socket-ssl-perl)
have dnsmasq || need+=(dnsmasq-base)
have opendkim || need+=(opendkim)
have opendkim-genkey || need+=(opendkim-tools)
/usr/bin/python3 -c 'import dkim, nacl' >/dev/null 2>&1 || need+=(python3-dkim python3-nacl)
# the SPF evaluator is cross-checked against pyspf (SpfCrossCheckTest)
/usr/bin/python3 -c 'import spf, dns.resolver' >/dev/null 2>&1 || need+=(python3-spf)
have systemd-analyze || need+=(systemd)
have ss || need+=(iproute2)
[ -x /usr/bin/time ] || need+=(time)
have bc || need+=(bc)
# the tracking test fetches pixels and follows links with curl
have curl || need+=(curl)
have mvn || need+=(maven)
# the status page is rendered in headless Chromium (StatusPageIT), and so is a tracked HTML part (TrackingProxyIT)
have chromium || need+=(chromium)
# TrackingProxyIT serves the tracking host through nginx as an HTTPS reverse proxy, its certificate made with openssl
[ -x /usr/sbin/nginx ] || have nginx || need+=(nginx)
have openssl || need+=(openssl)
# cluster mode's tests run real Redis servers (scripts/test.sh starts one on a loopback port)
have redis-server || need+=(redis-server)
# DANE tests sign zones with ldns and serve them with Knot DNS (protocol's SignedZones)
have knotd || need+=(knot)
have ldns-signzone && have ldns-keygen || need+=(ldnsutils)
# ...and check the AD-bit mode against Unbound as the validating resolver on loopback
have unbound || need+=(unbound)
if [ ${#need[@]} -gt 0 ]; then
  # Debian's nginx starts a system instance on port 80 when installed; the tests run their own.
  # Deny service starts during this install unless the host already has a policy.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  echo "postfix postfix/mailname string sluice.test" | debconf-set-selections
  if ! apt-get install -y -q --no-install-recommends "${need[@]}" >/tmp/sluice-apt.log 2>&1; then
    apt-get update -q >/tmp/sluice-apt-update.log 2>&1
    apt-get install -y -q --no-install-recommends "${need[@]}" >/tmp/sluice-apt.log 2>&1 \
      || { cat /tmp/sluice-apt.log >&2; exit 1; }
  fi
fi
# The Debian postfix package may try to start its system instance; Sluice's tests never use it.
echo "test dependencies present: curl smtp-sink smtp-source swaks dnsmasq opendkim dkimpy pyspf systemd-analyze chromium nginx openssl redis-server knotd ldns-signzone unbound"
