package dev.taskd.reload;

/**
 * One source file a plan changes, as {@code kubectl diff} shows it.
 *
 * @param path    as findings name it ({@code loop-types/ralph.toml})
 * @param status  {@code added}, {@code modified} or {@code removed}
 * @param diff    a unified diff ({@code --- a/PATH}, {@code +++ b/PATH}, hunks with 3 lines of context)
 */
public record FileChange(String path, String status, String diff) {
}
