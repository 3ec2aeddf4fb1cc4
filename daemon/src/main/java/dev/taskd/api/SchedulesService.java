package dev.taskd.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskd.config.ScheduleSettings;
import dev.taskd.schedule.ScheduleStatus;
import dev.taskd.schedule.Schedules;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.Locale;

/** {@code GET /v1/schedules}: the schedules in force, their next fire times and what they did. */
final class SchedulesService implements HttpService {

    private final Schedules schedules;

    SchedulesService(Schedules schedules) {
        this.schedules = schedules;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/schedules", this::list).any("/schedules", Allow.only("GET"));
    }

    private void list(ServerRequest request, ServerResponse response) {
        ObjectNode body = ApiJson.object();
        ArrayNode list = body.putArray("schedules");
        for (ScheduleStatus status : schedules.list()) {
            ScheduleSettings settings = status.settings();
            ObjectNode node = list.addObject().put("name", settings.name()).put("type", settings.type())
                    .put("timing", settings.timing())
                    .put("cron", settings.every() == null ? settings.cron() : null)
                    .put("every_ms", settings.every() == null ? null : settings.every().toMillis())
                    .put("timezone", settings.zone().getId())
                    .put("overlap", lower(settings.overlap()))
                    .put("catch_up", lower(settings.catchUp()));
            ObjectNode inputs = node.putObject("inputs");
            settings.inputs().forEach(inputs::put);
            node.put("next_fire", time(status.nextFire())).put("last_fire", time(status.lastFire()))
                    .put("last_loop", status.lastLoop()).put("fired", status.fired()).put("skipped", status.skipped())
                    .put("queued_fire", time(status.queuedFire())).put("last_error", status.lastError());
        }
        Responses.json(response, 200, body);
    }

    private static String time(Instant time) {
        return time == null ? null : time.toString();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
