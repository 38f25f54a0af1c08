#!/usr/bin/python3
# The independent SPF evaluator of the cross-check: pyspf (Debian's python3-spf), asking the
# test's dnsmasq. Usage: pyspf-check.py PORT < cases, one "ip<TAB>sender<TAB>helo" per line;
# prints one "result<TAB>explanation" per case, in order.
import sys

import dns.resolver
import spf

resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ['127.0.0.1']
resolver.port = int(sys.argv[1])
resolver.lifetime = 3
dns.resolver.default_resolver = resolver

for line in sys.stdin:
    line = line.rstrip('\n')
    if not line:
        continue
    ip, sender, helo = line.split('\t')
    result, _code, explanation = spf.query(i=ip, s=sender, h=helo).check()
    print(result + '\t' + str(explanation).replace('\t', ' ').replace('\n', ' '), flush=True)
