/**
 * The names that label mail on its way through: a {@link io.sluice.daemon.label.Tenant} today
 * (campaign and pool labels are still strings in places). Values only, no dependencies on other
 * daemon packages, so every stage may use them.
 */
package io.sluice.daemon.label;
