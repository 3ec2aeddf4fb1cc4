package dev.taskd.process;

/** Names for the errno values a command's start can meet; the rest are shown by number. */
final class Errno {

    private Errno() {
    }

    static String describe(int errno) {
        String name = switch (errno) {
            case 1 -> "EPERM, operation not permitted";
            case 2 -> "ENOENT, no such file or directory";
            case 7 -> "E2BIG, argument list too long";
            case 11 -> "EAGAIN, resource temporarily unavailable (process limit?)";
            case 12 -> "ENOMEM, out of memory";
            case 13 -> "EACCES, permission denied";
            case 20 -> "ENOTDIR, not a directory";
            case 23, 24 -> "EMFILE, too many open files";
            default -> "error";
        };
        return name + " (errno " + errno + ")";
    }
}
