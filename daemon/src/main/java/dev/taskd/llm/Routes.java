package dev.taskd.llm;

import dev.taskd.config.DidYouMean;
import dev.taskd.config.TaskdConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Resolves {@code provider/model} and the provider's key against one {@code [llm]} snapshot. */
final class Routes {

    private Routes() {
    }

    /**
     * The route of {@code requested} ({@code provider/model}, or null or "" for {@code llm.default}),
     * reading the key now: the key file (trimmed) when {@code api-key-file} is set, else the
     * variable named by {@code api-key-env}. A key is required when either is configured or the
     * provider's public endpoint is used; a local server with neither gets "".
     *
     * @throws LlmException {@code NOT_CONFIGURED} or {@code INVALID_REQUEST}, saying what to fix
     */
    static Route resolve(TaskdConfig.Llm llm, String requested, UnaryOperator<String> environment)
            throws LlmException {
        if (llm.providers().isEmpty()) {
            throw new LlmException(LlmException.Kind.NOT_CONFIGURED,
                    "no LLM provider configured: add [llm.providers.NAME] to taskd.toml");
        }
        TreeSet<String> names = new TreeSet<>(llm.providers().keySet());
        String model = requested == null || requested.isBlank() ? llm.defaultModel() : requested.trim();
        if (model.isEmpty()) {
            throw new LlmException(LlmException.Kind.INVALID_REQUEST, "no model given and llm.default is not set in"
                    + " taskd.toml: pass model: '" + names.first() + "/MODEL' or set llm.default");
        }
        int slash = model.indexOf('/');
        if (slash <= 0 || slash == model.length() - 1) {
            throw new LlmException(LlmException.Kind.INVALID_REQUEST, "model '" + model
                    + "' must be written provider/model, e.g. '" + names.first() + "/" + model + "'");
        }
        String name = model.substring(0, slash);
        TaskdConfig.Provider provider = llm.providers().get(name);
        if (provider == null) {
            String hint = DidYouMean.hint(name, names);
            throw new LlmException(LlmException.Kind.NOT_CONFIGURED, "unknown LLM provider '" + name + "' in model '"
                    + model + "'; configured: " + String.join(", ", names) + (hint.isEmpty() ? "" : "; " + hint));
        }
        ProviderClient client = ProviderClient.of(provider.kind());
        String base = provider.baseUrl().isEmpty() ? client.defaultBaseUrl() : provider.baseUrl();
        URI endpoint = URI.create(base.replaceAll("/+$", "") + client.path());
        return new Route(name, model.substring(slash + 1), client, endpoint,
                key(provider, provider.baseUrl().isEmpty(), environment));
    }

    private static String key(TaskdConfig.Provider provider, boolean publicEndpoint, UnaryOperator<String> environment)
            throws LlmException {
        String where = " of [llm.providers." + provider.name() + "]";
        if (provider.apiKeyFile() != null) {
            try {
                String key = Files.readString(provider.apiKeyFile()).trim();
                if (key.isEmpty()) {
                    throw notConfigured("api-key-file " + provider.apiKeyFile() + where + " is empty");
                }
                return key;
            } catch (IOException e) {
                throw new LlmException(LlmException.Kind.NOT_CONFIGURED, "cannot read api-key-file "
                        + provider.apiKeyFile() + where + ": " + e, 0, e);
            }
        }
        if (!provider.apiKeyEnv().isEmpty()) {
            String key = environment.apply(provider.apiKeyEnv());
            if (key == null || key.isBlank()) {
                throw notConfigured("environment variable " + provider.apiKeyEnv() + " (api-key-env" + where
                        + ") is not set in the daemon's environment");
            }
            return key.trim();
        }
        if (publicEndpoint) {
            throw notConfigured("provider '" + provider.name() + "' uses the public " + provider.kind()
                    + " endpoint but has no key: set api-key-env or api-key-file" + where);
        }
        return "";
    }

    private static LlmException notConfigured(String message) {
        return new LlmException(LlmException.Kind.NOT_CONFIGURED, message);
    }
}
