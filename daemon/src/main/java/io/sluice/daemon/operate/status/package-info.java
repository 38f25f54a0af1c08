/**
 * The status page ({@code GET /status}): one self-contained HTML file with inline JavaScript (no
 * CDN) that reads the admin API and {@code /prometheus} from the browser. The page holds no data
 * itself, so it is served without the admin token; the calls it makes carry the token the
 * operator gives it ({@code /status#token=...}, kept in the browser's localStorage).
 */
package io.sluice.daemon.operate.status;
