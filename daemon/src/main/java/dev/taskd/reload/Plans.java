package dev.taskd.reload;

import dev.taskd.config.Change;
import dev.taskd.config.ConfigSnapshot;
import dev.taskd.config.Finding;
import dev.taskd.loop.Generation;
import dev.taskd.schedule.ScheduleChange;
import dev.taskd.source.SourceFile;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns what {@link Preparation} found into the {@link ReloadPlan} a dry run or a pending change shows. */
final class Plans {

    private Plans() {
    }

    static ReloadPlan of(Preparation.Outcome outcome, Generation before) {
        long base = before.number();
        return switch (outcome) {
            case Preparation.Invalid invalid -> new ReloadPlan(ReloadPlan.Verdict.REJECT, invalidReason(invalid), base, base, "",
                    Map.of(), List.of(), List.of(), Optional.empty(), List.of(), invalid.findings(), List.of(),
                    List.of(), List.of());
            case Preparation.Unchanged unchanged -> new ReloadPlan(ReloadPlan.Verdict.UNCHANGED,
                    "the files match generation " + base, base, base, before.snapshot().hash(), sources(before.snapshot()), List.of(), List.of(),
                    Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of());
            case Preparation.Unsafe unsafe -> new ReloadPlan(ReloadPlan.Verdict.REJECT, unsafeReason(unsafe), base, base,
                    unsafe.next().hash(), sources(unsafe.next()), files(before, unsafe.next()), unsafe.diff().changes(),
                    unsafe.diff().scope(), unsafe.restartOnly(), List.of(), List.of(), List.of(),
                    schedules(before.snapshot(), unsafe.next()));
            case Preparation.Ready ready -> new ReloadPlan(ReloadPlan.Verdict.APPLY, "", base, ready.candidate().number(),
                    ready.candidate().snapshot().hash(), sources(ready.candidate().snapshot()),
                    files(before, ready.candidate().snapshot()), ready.diff().changes(), ready.diff().scope(),
                    List.of(), List.of(), ready.warnings(), ready.effects(),
                    schedules(before.snapshot(), ready.candidate().snapshot()));
        };
    }

    /**
     * What a saved plan checks again, cheaply (no diffs): the candidate's hash and its sources by
     * display path; "" and none when the sources do not load.
     */
    static Candidate candidate(Preparation.Outcome outcome, Generation before) {
        return switch (outcome) {
            case Preparation.Invalid invalid -> new Candidate("", Map.of());
            case Preparation.Unchanged unchanged -> new Candidate(before.snapshot().hash(), sources(before.snapshot()));
            case Preparation.Unsafe unsafe -> new Candidate(unsafe.next().hash(), sources(unsafe.next()));
            case Preparation.Ready ready -> new Candidate(ready.candidate().snapshot().hash(),
                    sources(ready.candidate().snapshot()));
        };
    }

    /** See {@link #candidate}. */
    record Candidate(String hash, Map<String, String> sources) {
    }

    /** The sources of a snapshot by display path and content hash: what a saved plan checks again. */
    static Map<String, String> sources(ConfigSnapshot snapshot) {
        Map<String, String> sources = new LinkedHashMap<>();
        for (SourceFile source : snapshot.sources()) {
            sources.put(source.display(), source.hash());
        }
        return sources;
    }

    /** What the candidate does to schedules, with next fire times as of now. */
    private static List<ScheduleChange> schedules(ConfigSnapshot before, ConfigSnapshot next) {
        return ScheduleChange.between(before.config().schedules(), next.config().schedules(), Instant.now());
    }

    private static List<FileChange> files(Generation before, ConfigSnapshot next) {
        return FileDiffs.between(before.snapshot().sources(), next.sources());
    }

    static String invalidReason(Preparation.Invalid invalid) {
        long errors = invalid.findings().stream().filter(Finding::isError).count();
        return "the configuration is invalid (" + errors + (errors == 1 ? " error" : " errors")
                + "); the running generation is kept";
    }

    static String unsafeReason(Preparation.Unsafe unsafe) {
        return "restart taskd to apply: " + String.join(", ",
                unsafe.restartOnly().stream().map(Change::key).toList())
                + " cannot change while it runs; nothing of this change was applied";
    }
}
