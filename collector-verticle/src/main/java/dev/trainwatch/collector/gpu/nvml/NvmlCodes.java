package dev.trainwatch.collector.gpu.nvml;

/**
 * Names of {@code nvmlReturn_t} codes, for messages when {@code nvmlErrorString} is missing, and
 * which failures are a normal property of the hardware rather than a fault.
 */
final class NvmlCodes {
  private NvmlCodes() {}

  static String name(int rc) {
    return switch (rc) {
      case 0 -> "SUCCESS";
      case 1 -> "ERROR_UNINITIALIZED";
      case 2 -> "ERROR_INVALID_ARGUMENT";
      case 3 -> "ERROR_NOT_SUPPORTED";
      case 4 -> "ERROR_NO_PERMISSION";
      case 5 -> "ERROR_ALREADY_INITIALIZED";
      case 6 -> "ERROR_NOT_FOUND";
      case 7 -> "ERROR_INSUFFICIENT_SIZE";
      case 8 -> "ERROR_INSUFFICIENT_POWER";
      case 9 -> "ERROR_DRIVER_NOT_LOADED";
      case 10 -> "ERROR_TIMEOUT";
      case 11 -> "ERROR_IRQ_ISSUE";
      case 12 -> "ERROR_LIBRARY_NOT_FOUND";
      case 13 -> "ERROR_FUNCTION_NOT_FOUND";
      case 14 -> "ERROR_CORRUPTED_INFOROM";
      case 15 -> "ERROR_GPU_IS_LOST";
      case 16 -> "ERROR_RESET_REQUIRED";
      case 17 -> "ERROR_OPERATING_SYSTEM";
      case 18 -> "ERROR_LIB_RM_VERSION_MISMATCH";
      case 19 -> "ERROR_IN_USE";
      case 20 -> "ERROR_MEMORY";
      case 21 -> "ERROR_NO_DATA";
      case 25 -> "ERROR_ARGUMENT_VERSION_MISMATCH";
      case 26 -> "ERROR_DEPRECATED";
      case 27 -> "ERROR_NOT_READY";
      case 28 -> "ERROR_GPU_NOT_FOUND";
      case 29 -> "ERROR_INVALID_STATE";
      case 999 -> "ERROR_UNKNOWN";
      default -> "ERROR_" + rc;
    };
  }

  /**
   * NOT_SUPPORTED means the board lacks the feature (no fan, no ECC, MIG enabled): logged at DEBUG
   * only.
   */
  static boolean expected(int rc) {
    return rc == NvmlLayout.ERROR_NOT_SUPPORTED;
  }
}
