/**
 * {@code mcptunnel audit}: checks each practice of SPEC §6 that can be checked from where it runs
 * and reports findings (severity, evidence, fix) plus an inventory of the routes. Each check is a
 * small class; the pure judgement of each is table-tested apart from the I/O that feeds it.
 */
package io.mcptunnel.ops.audit;
