/**
 * The daemon's HTTP surface (Micronaut, {@code micronaut.server.port}, default 8025):
 * {@code /health} now; the injection and admin APIs join it in later work. Controllers stay
 * thin: they translate HTTP to calls on ingress and delivery services and back.
 */
package io.sluice.daemon.operate.health;
