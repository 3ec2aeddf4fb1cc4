package dev.taskd.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * One {@code [schedules.NAME]} of taskd.toml: which loop to submit, and when. Immutable; the
 * timing is either a 5-field cron expression read in {@code zone}, or a fixed interval.
 *
 * @param inputs   the inputs of every loop it submits, in file order
 * @param cron     the expression as written, or "" when {@code every} is set
 * @param every    the interval, or null when {@code cron} is set
 */
public record ScheduleSettings(String name, String type, Map<String, String> inputs, String cron, Duration every,
                               ZoneId zone, Overlap overlap, CatchUp catchUp) {

    /** The cron dialect taskd reads: Unix crontab, five fields, no seconds. */
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    /** What a fire does while this schedule's previous loop has not ended. */
    public enum Overlap { SKIP, QUEUE, ALLOW }

    /** What a start does about fire times the daemon was down for. */
    public enum CatchUp { NONE, LAST }

    public ScheduleSettings {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /** The parsed cron expression; only for a schedule with {@link #cron} set. */
    public Cron parsedCron() {
        return CRON.parse(cron);
    }

    /** How the timing reads: {@code cron "0 3 * * *" (UTC)} or {@code every 10m}. */
    public String timing() {
        return every != null ? "every " + Durations.format(every) : "cron \"" + cron + "\" (" + zone.getId() + ")";
    }

    static Map<String, ScheduleSettings> bind(TypedValues values) {
        Map<String, ScheduleSettings> schedules = new LinkedHashMap<>();
        values.members("schedules").keySet().stream().filter(name -> !name.contains(".")).forEach(name -> {
            String prefix = "schedules." + name + ".";
            Map<String, String> inputs = new LinkedHashMap<>();
            values.members(prefix + "inputs").keySet().stream().filter(input -> !input.contains("."))
                    .forEach(input -> inputs.put(input, values.text(prefix + "inputs." + input)));
            Duration every = values.isSet(prefix + "every") ? values.span(prefix + "every") : null;
            schedules.put(name, new ScheduleSettings(name, values.text(prefix + "type"), inputs,
                    values.text(prefix + "cron"), every, zone(values.text(prefix + "timezone")).orElse(ZoneId.of("UTC")),
                    Overlap.valueOf(values.text(prefix + "overlap").toUpperCase(Locale.ROOT)),
                    CatchUp.valueOf(values.text(prefix + "catch-up").toUpperCase(Locale.ROOT).replace('-', '_'))));
        });
        return schedules;
    }

    /** What the key table cannot say: one timing, a cron that parses, a zone, a loop type that takes these inputs. */
    static void check(TomlDocument document, Map<String, ScheduleSettings> schedules, Map<String, LoopType> loopTypes,
                      List<Finding> findings) {
        String file = document.source().display();
        for (ScheduleSettings schedule : schedules.values()) {
            String prefix = "schedules." + schedule.name();
            if (!NAME.matcher(schedule.name()).matches()) {
                findings.add(Finding.error(file, document.positionOf(prefix), "schedule name '" + schedule.name()
                        + "' must be lower-case letters, digits, '-' or '_'", "rename the table"));
            }
            boolean cron = document.get(prefix + ".cron") != null;
            boolean every = document.get(prefix + ".every") != null;
            if (cron == every) {
                findings.add(Finding.error(file, document.positionOf(prefix), "[" + prefix + "] "
                        + (cron ? "sets both cron and every" : "sets neither cron nor every"),
                        cron ? "keep one of them" : "add cron = \"0 3 * * *\" or every = \"10m\""));
            } else if (cron) {
                cronProblem(schedule.cron()).ifPresent(problem -> findings.add(Finding.error(file,
                        document.positionOf(prefix + ".cron"), prefix + ".cron is not a 5-field cron expression: "
                                + problem, "write minute hour day-of-month month day-of-week, like \"*/5 * * * *\"")));
            }
            if (zone(schedule.zoneText(document, prefix)).isEmpty()) {
                findings.add(Finding.error(file, document.positionOf(prefix + ".timezone"), prefix
                        + ".timezone '" + schedule.zoneText(document, prefix) + "' is not a time zone",
                        "use an IANA name like \"Europe/Berlin\" or \"UTC\""));
            }
            checkType(document, schedule, loopTypes, findings);
        }
    }

    private static void checkType(TomlDocument document, ScheduleSettings schedule, Map<String, LoopType> loopTypes,
                                  List<Finding> findings) {
        String file = document.source().display();
        String prefix = "schedules." + schedule.name();
        LoopType type = loopTypes.get(schedule.type());
        if (type == null || type.isAbstract()) {
            findings.add(Finding.error(file, document.positionOf(prefix + ".type"), prefix + ".type names '"
                    + schedule.type() + "', which is not " + (type == null ? "a loop type" : "a runnable loop type"
                    + " (it is abstract)"), type == null ? DidYouMean.hint(schedule.type(), loopTypes.keySet())
                    : "name a type that extends it"));
            return;
        }
        List<String> declared = type.inputs().stream().map(LoopType.Input::name).toList();
        for (String input : schedule.inputs().keySet()) {
            if (!declared.contains(input)) {
                findings.add(Finding.error(file, document.positionOf(prefix + ".inputs." + input), "loop type '"
                        + type.name() + "' has no input '" + input + "'", DidYouMean.hint(input, declared)));
            }
        }
        for (LoopType.Input input : type.inputs()) {
            if (input.required() && !schedule.inputs().containsKey(input.name())) {
                findings.add(Finding.error(file, document.positionOf(prefix), "[" + prefix + "] lacks input '"
                        + input.name() + "', which loop type '" + type.name() + "' requires",
                        "add inputs = { " + input.name() + " = \"...\" }"));
            }
        }
    }

    private String zoneText(TomlDocument document, String prefix) {
        return document.get(prefix + ".timezone") == null ? zone.getId() : document.get(prefix + ".timezone").asText();
    }

    /** Why {@code expression} does not parse as Unix cron, or empty when it does. */
    static Optional<String> cronProblem(String expression) {
        try {
            CRON.parse(expression).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    private static Optional<ZoneId> zone(String id) {
        try {
            return Optional.of(ZoneId.of(id));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Adds this schedule's effective keys ({@code schedules.NAME.KEY}) for diffs and config views. */
    void effectiveKeys(BiConsumer<String, String> keys) {
        String prefix = "schedules." + name + ".";
        keys.accept(prefix + "type", TomlText.quote(type));
        inputs.forEach((input, value) -> keys.accept(prefix + "inputs." + input, TomlText.quote(value)));
        if (every != null) {
            keys.accept(prefix + "every", TomlText.duration(every));
        } else {
            keys.accept(prefix + "cron", TomlText.quote(cron));
        }
        keys.accept(prefix + "timezone", TomlText.quote(zone.getId()));
        keys.accept(prefix + "overlap", TomlText.constant(overlap));
        keys.accept(prefix + "catch-up", TomlText.constant(catchUp));
    }
}
