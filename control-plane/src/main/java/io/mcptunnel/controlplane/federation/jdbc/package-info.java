/**
 * The persistent federation directory and authentication history (SPEC §4.2) on the control
 * plane's database, so rules, issuers and the history survive restarts and are shared by every
 * control-plane node.
 */
package io.mcptunnel.controlplane.federation.jdbc;
