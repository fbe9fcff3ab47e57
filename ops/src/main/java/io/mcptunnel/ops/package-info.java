/**
 * Security operations (SPEC §6): each practice of the seed document as something the software
 * does. One package per command engine ({@code audit}, {@code firewall}, {@code monitor},
 * {@code incident}); the CLI only parses options and prints.
 */
package io.mcptunnel.ops;
