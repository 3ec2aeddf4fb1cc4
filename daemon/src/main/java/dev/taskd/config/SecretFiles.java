package dev.taskd.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the secret files taskd.toml names — {@code auth.token-file} and every
 * {@code llm.providers.NAME.api-key-file} — into {@link Secrets}, with every problem a finding
 * at the key that names the file. A token file that cannot be read or holds no token is an error
 * (the daemon would not know whom to let in, and a reload keeps the tokens in force); a key file
 * that cannot be read or is empty is a warning (only LLM calls through that provider fail, and
 * they say why). Used once per load, by {@link LoadPass}.
 */
final class SecretFiles {

    private SecretFiles() {
    }

    static Secrets read(TomlDocument config, TaskdConfig settings, SourceReader reader, List<Finding> findings) {
        Optional<List<String>> tokens = Optional.empty();
        Path tokenFile = settings.auth().tokenFile();
        if (tokenFile != null) {
            try {
                tokens = Optional.of(tokens(reader.readSecret(tokenFile)));
            } catch (IOException e) {
                findings.add(Finding.error(config.source().display(), config.positionOf("auth.token-file"),
                        "auth.token-file names " + reader.display(tokenFile) + ", which " + SourceReader.reason(e),
                        "make it a readable file of tokens, one per line, for the user taskd runs as;"
                                + " or correct the path"));
                return Secrets.NONE;
            }
            if (tokens.get().isEmpty()) {
                // Like an empty template: far more often a write caught half-way than a wish, and
                // applying it would leave the API to anyone who can reach it.
                findings.add(Finding.error(config.source().display(), config.positionOf("auth.token-file"),
                        "auth.token-file names " + reader.display(tokenFile) + ", which holds no token",
                        "add a token, one per line ('#' starts a comment); or remove auth.token-file"));
                return Secrets.NONE;
            }
        }
        Map<String, Secrets.KeyFile> keyFiles = new TreeMap<>();
        for (TaskdConfig.Provider provider : settings.llm().providers().values()) {
            if (provider.apiKeyFile() != null) {
                keyFiles.put(provider.name(), keyFile(config, provider, reader, findings));
            }
        }
        Secrets secrets = Secrets.of(tokens, keyFiles);
        AdminAccess.check(config, settings, findings);
        StorageRules.check(config, settings, findings);
        return secrets;
    }

    /** The tokens of a token file: its lines, stripped, but blank ones and {@code #} comments. */
    static List<String> tokens(byte[] content) {
        List<String> tokens = new ArrayList<>();
        new String(content, StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(tokens::add);
        return tokens;
    }

    private static Secrets.KeyFile keyFile(TomlDocument config, TaskdConfig.Provider provider, SourceReader reader,
                                           List<Finding> findings) {
        String key = "llm.providers." + provider.name() + ".api-key-file";
        try {
            Secrets.KeyFile file = Secrets.keyFile(new String(reader.readSecret(provider.apiKeyFile()),
                    StandardCharsets.UTF_8));
            if (file instanceof Secrets.Empty) {
                findings.add(Finding.warning(config.source().display(), config.positionOf(key),
                        key + " names " + reader.display(provider.apiKeyFile()) + ", which is empty",
                        "write the key into it; LLM calls through '" + provider.name() + "' fail until then"));
            }
            return file;
        } catch (IOException e) {
            findings.add(Finding.warning(config.source().display(), config.positionOf(key),
                    key + " names " + reader.display(provider.apiKeyFile()) + ", which " + SourceReader.reason(e),
                    "LLM calls through '" + provider.name() + "' fail until it can be read by the user taskd runs as"));
            return new Secrets.Unreadable();
        }
    }
}
