package dev.taskd.schedule;

import dev.taskd.config.ScheduleSettings;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a reload does to one schedule, for a plan: added, changed or removed, with the next fire
 * time before and after ({@code next fire 14:05 → 14:10}). Computed from the settings alone, as
 * {@link FireTimes} computes them for the running schedules.
 *
 * @param before the next fire time under the generation in force; null when added or never again
 * @param after  the next fire time under the candidate; null when removed or never again
 */
public record ScheduleChange(String name, Kind kind, Instant before, Instant after, String summary) {

    public enum Kind {
        ADDED, CHANGED, REMOVED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The schedules that differ between two generations' settings, by name. */
    public static List<ScheduleChange> between(Map<String, ScheduleSettings> old, Map<String, ScheduleSettings> now,
                                               Instant at) {
        List<ScheduleChange> changes = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(old.keySet());
        names.addAll(now.keySet());
        for (String name : names) {
            ScheduleSettings was = old.get(name);
            ScheduleSettings is = now.get(name);
            if (was != null && was.equals(is)) {
                continue;
            }
            Kind kind = was == null ? Kind.ADDED : is == null ? Kind.REMOVED : Kind.CHANGED;
            Instant before = was == null ? null : FireTimes.next(was, at).orElse(null);
            Instant after = is == null ? null : FireTimes.next(is, at).orElse(null);
            ZoneId zone = (is != null ? is : was).zone();
            String timing = is != null ? is.timing() : was.timing();
            String summary = kind.label() + ", " + timing + ": next fire " + show(before, zone, null) + " → "
                    + (kind == Kind.REMOVED ? "none" : show(after, zone, before));
            changes.add(new ScheduleChange(name, kind, before, after, summary));
        }
        return changes;
    }

    /** {@code 14:05} (with seconds when it has some, with the date unless it is that of {@code same}). */
    private static String show(Instant time, ZoneId zone, Instant same) {
        if (time == null) {
            return "none";
        }
        ZonedDateTime local = time.atZone(zone);
        String clock = local.getSecond() == 0 ? "HH:mm" : "HH:mm:ss";
        boolean sameDay = same != null && same.atZone(zone).toLocalDate().equals(local.toLocalDate());
        return local.format(DateTimeFormatter.ofPattern(sameDay ? clock : "yyyy-MM-dd " + clock)) + " " + zone.getId();
    }
}
