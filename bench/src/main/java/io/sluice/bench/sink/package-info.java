/**
 * A Netty SMTP server that behaves like mailbox providers, for load tests: scripted accept /
 * tempfail / permfail shares per recipient domain or per listener, added latency, rate limits
 * answered the way Gmail, Yahoo and Microsoft answer, connection limits, and counters per source
 * IP, per domain and per second. Advertises PIPELINING; DATA ends only at CRLF.CRLF and is
 * dot-unstuffed (RFC 5321 §4.5.2). Received messages are discarded or written to a directory.
 */
package io.sluice.bench.sink;
