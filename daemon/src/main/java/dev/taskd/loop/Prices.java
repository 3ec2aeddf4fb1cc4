package dev.taskd.loop;

import dev.taskd.config.TaskdConfig;
import dev.taskd.llm.ChatResponse;

/** What an LLM reply cost, at the prices of the generation the iteration runs in. */
final class Prices {

    private Prices() {
    }

    /** The reply's cost; 0 when its provider or model has no price. */
    static double cost(Generation generation, ChatResponse response) {
        TaskdConfig.Provider provider = generation.snapshot().config().llm().providers().get(response.provider());
        TaskdConfig.Price price = provider == null ? null : provider.prices().get(response.model());
        return price == null ? 0 : price.cost(response.usage().input(), response.usage().output());
    }
}
