package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfigKeysTest {

    @Test
    void everyDiffKeyFindsItsScopeInTheOneTable() {
        assertThat(ConfigKeys.scopeOf("daemon.listen")).isEqualTo(ReloadScope.FULL);
        assertThat(ConfigKeys.scopeOf("storage.backend")).isEqualTo(ReloadScope.FULL);
        assertThat(ConfigKeys.scopeOf("limits.max-loops")).isEqualTo(ReloadScope.LIMITS);
        assertThat(ConfigKeys.scopeOf("limits.per-type.ralph")).isEqualTo(ReloadScope.LIMITS);
        assertThat(ConfigKeys.scopeOf("auth.token-file")).isEqualTo(ReloadScope.LIMITS);
        assertThat(ConfigKeys.scopeOf("llm.providers.local.api-key-file")).isEqualTo(ReloadScope.LIMITS);
        assertThat(ConfigKeys.scopeOf("loops.paths")).isEqualTo(ReloadScope.LOOP_TYPES);
        assertThat(ConfigKeys.scopeOf("templates.paths")).isEqualTo(ReloadScope.TEMPLATES);
        assertThat(ConfigKeys.scopeOf("reload.debounce")).isEqualTo(ReloadScope.MONITORING);
        assertThat(ConfigKeys.scopeOf("monitoring.log-level")).isEqualTo(ReloadScope.MONITORING);
    }

    @Test
    void loopTypeAndTemplateKeysHaveTheirScopes() {
        assertThat(ConfigKeys.scopeOf("loop-types.fix.max-iterations")).isEqualTo(ReloadScope.LOOP_TYPES);
        assertThat(ConfigKeys.scopeOf("loop-types.fix.script")).isEqualTo(ReloadScope.LOOP_TYPES);
        assertThat(ConfigKeys.scopeOf("loop-types.fix.validation.timeout")).isEqualTo(ReloadScope.LOOP_TYPES);
        assertThat(ConfigKeys.scopeOf("loop-types.fix")).isEqualTo(ReloadScope.LOOP_TYPES);
        assertThat(ConfigKeys.scopeOf("templates.fix-tests")).isEqualTo(ReloadScope.TEMPLATES);
    }

    @Test
    void aKeyNoRowDeclaresIsABugNotAScope() {
        assertThatThrownBy(() -> ConfigKeys.scopeOf("limits.max-loop"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limits.max-loop");
        assertThatThrownBy(() -> ConfigKeys.scopeOf("loop-types.fix.max-iteration"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scopesAreOrderedAndTheHighestWins() {
        assertThat(ReloadScope.values()).containsExactly(ReloadScope.MONITORING, ReloadScope.TEMPLATES,
                ReloadScope.LIMITS, ReloadScope.LOOP_TYPES, ReloadScope.FULL);
        assertThat(ReloadScope.highest(ReloadScope.LIMITS, ReloadScope.TEMPLATES)).isEqualTo(ReloadScope.LIMITS);
        assertThat(ReloadScope.highest(ReloadScope.LIMITS, ReloadScope.FULL)).isEqualTo(ReloadScope.FULL);
        assertThat(ReloadScope.LOOP_TYPES.label()).isEqualTo("loop-types");
    }

    @Test
    void everyDefaultObeysItsOwnRule() {
        for (ConfigKey row : ConfigKeys.TASKD) {
            row.fallback().ifPresent(value -> assertThat(row.rule().accepts(value)).as(row.path()).isTrue());
        }
        for (ConfigKey row : ConfigKeys.LOOP_TYPE) {
            row.fallback().ifPresent(value -> assertThat(row.rule().accepts(value)).as(row.path()).isTrue());
        }
    }

    @Test
    void wildcardRowsMatchOneSegmentOnly() {
        ConfigKey kind = ConfigKeys.taskd("llm.providers.local.kind").orElseThrow();
        assertThat(kind.path()).isEqualTo("llm.providers.*.kind");
        assertThat(kind.matches("llm.providers.a.b.kind")).isFalse();
        assertThat(ConfigKeys.taskd("llm.providers.local.model")).isEmpty();
    }
}
