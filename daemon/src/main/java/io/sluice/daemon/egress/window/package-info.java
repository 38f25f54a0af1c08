/**
 * Delivery windows (issue 20 item 2): when a message may be handed to a receiving server, as days
 * of the week and hours in a time zone (an IANA name, or the recipient's own zone given through the
 * API). {@link io.sluice.daemon.egress.window.DeliveryWindow} is the value and its compact syntax
 * ({@code mon-fri 09:00-17:00 Europe/Paris}); {@link io.sluice.daemon.egress.window.WindowPolicy}
 * finds the window a delivery keeps (its own, else its campaign's, else its tenant's) and the next
 * instant it opens. Promises: a window that parses opens at least once in every week, so mail that
 * waits for one is never stuck for ever; a window is refused at injection, never at delivery; the
 * computation takes the instant from the caller (the injected clock), never the wall clock.
 */
package io.sluice.daemon.egress.window;
