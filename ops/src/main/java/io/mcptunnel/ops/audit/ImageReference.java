package io.mcptunnel.ops.audit;

import java.util.regex.Pattern;

/** Whether an image reference pins content ({@code name@sha256:<64 hex>}) rather than a movable tag. */
final class ImageReference {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern PINNED = Pattern.compile("[^@\\s]+@sha256:[0-9a-f]{64}");

  private ImageReference() {}

  static boolean pinned(String reference) {
    return reference != null && PINNED.matcher(reference.trim()).matches();
  }

  static boolean digest(String digest) {
    return digest != null && DIGEST.matcher(digest.trim()).matches();
  }
}
