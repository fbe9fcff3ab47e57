/**
 * The global tunnel state version ({@code state_clock}) that every edge-relevant tunnel change
 * advances, and the watcher that wakes this instance's edge long-polls when it moves.
 */
package io.mcptunnel.controlplane.state;
