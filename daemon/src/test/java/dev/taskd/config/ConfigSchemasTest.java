package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas under {@code schema/} are what the key table generates, and a real JSON Schema
 * validator (networknt) agrees with {@code taskd validate} on the shipped files and the golden
 * cases as far as a schema can see.
 */
class ConfigSchemasTest {

    private static final Path REPO = Path.of("..");
    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final SchemaRegistry DRAFT_7 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
    private static final Schema TASKD = DRAFT_7.getSchema(ConfigSchemas.taskd());
    private static final Schema LOOP_TYPE = DRAFT_7.getSchema(ConfigSchemas.loopType());

    /**
     * What a schema can say: unknown and missing keys, types, integer ranges, choices and the
     * syntax of values. A finding of these kinds in a file must make the schema reject it.
     */
    private static final Pattern SCHEMA_LEVEL = Pattern.compile(
            "unknown key '|lacks the required key|an input table needs name|:[0-9]+:[0-9]+: '[^']+' must be ");
    private static final Pattern FOUND_STRING = Pattern.compile("must be a (duration|size) .*; found string \"([^\"]*)\"");

    @Test
    void shippedSchemasAreWhatTheKeyTableGenerates() throws IOException {
        for (Map.Entry<String, String> file : ConfigSchemas.files().entrySet()) {
            Path shipped = REPO.resolve("schema").resolve(file.getKey());
            assertThat(Files.exists(shipped) ? Files.readString(shipped) : "")
                    .as("schema/" + file.getKey() + " is not what the key table (ConfigKeys) generates;"
                            + " regenerate it with './taskd schema --write schema' and commit the result")
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void schemasAreValidDraft7() {
        Schema meta = DRAFT_7.getSchema(SchemaLocation.of("http://json-schema.org/draft-07/schema#"));
        assertThat(meta.validate(ConfigSchemas.taskd())).isEmpty();
        assertThat(meta.validate(ConfigSchemas.loopType())).isEmpty();
    }

    @Test
    void everyKeyOfTheKeyTableHasAPlaceInItsSchema() {
        for (ConfigKey row : ConfigKeys.TASKD) {
            assertThat(node(ConfigSchemas.taskd(), row.path())).as("taskd.toml schema of " + row.path()).isPresent();
        }
        for (ConfigKey row : ConfigKeys.LOOP_TYPE) {
            assertThat(node(ConfigSchemas.loopType(), row.path())).as("loop-type schema of " + row.path()).isPresent();
        }
    }

    @Test
    void shippedConfigurationAndLoopTypesPassTheirSchemas() throws IOException {
        assertThat(errors(TASKD, REPO.resolve("config/taskd.toml"))).isEmpty();
        try (Stream<Path> types = Files.list(REPO.resolve("loop-types"))) {
            for (Path type : types.filter(path -> path.toString().endsWith(".toml")).toList()) {
                assertThat(errors(LOOP_TYPE, type)).as(type.toString()).isEmpty();
            }
        }
    }

    @Test
    void shippedFilesNameTheirSchemaForTaplo() throws IOException {
        assertThat(Files.readString(REPO.resolve("config/taskd.toml")))
                .startsWith("#:schema ../schema/" + ConfigSchemas.TASKD_FILE + "\n");
        try (Stream<Path> types = Files.list(REPO.resolve("loop-types"))) {
            for (Path type : types.filter(path -> path.toString().endsWith(".toml")).toList()) {
                assertThat(Files.readString(type)).as(type.toString())
                        .startsWith("#:schema ../schema/" + ConfigSchemas.LOOP_TYPE_FILE + "\n");
            }
        }
        assertThat(Files.readString(REPO.resolve(".taplo.toml")))
                .contains("path = \"./schema/" + ConfigSchemas.TASKD_FILE + "\"")
                .contains("path = \"./schema/" + ConfigSchemas.LOOP_TYPE_FILE + "\"");
    }

    /**
     * Each TOML file of each golden case: rejected by its schema exactly when taskd reports a
     * schema-level finding in it. Files with TOML syntax errors are left out: no schema sees them.
     */
    @Test
    void goldenCasesAreRejectedByTheSchemaExactlyWhenTheirFindingsAreSchemaLevel() throws IOException {
        List<String> checked = new ArrayList<>();
        try (Stream<Path> cases = Files.list(GOLDEN)) {
            for (Path folder : cases.filter(Files::isDirectory).sorted().toList()) {
                List<String> findings = Files.readAllLines(folder.resolve("expected.txt"));
                for (Path file : tomlFiles(folder)) {
                    String relative = folder.relativize(file).toString();
                    List<String> own = findings.stream().filter(line -> line.startsWith(relative + ":")).toList();
                    if (own.stream().anyMatch(line -> line.contains("TOML syntax error"))) {
                        continue;
                    }
                    boolean schemaLevel = own.stream().anyMatch(ConfigSchemasTest::schemaLevel);
                    List<Error> errors = errors(relative.startsWith("config/") ? TASKD : LOOP_TYPE, file);
                    assertThat(errors).as(folder.getFileName() + "/" + relative + " with findings " + own
                            + (schemaLevel ? " should fail its schema" : " should pass its schema"))
                            .matches(found -> found.isEmpty() != schemaLevel);
                    checked.add(folder.getFileName() + "/" + relative + (schemaLevel ? " rejected" : " accepted"));
                }
            }
        }
        assertThat(checked).contains("valid-with-extends/config/taskd.toml accepted",
                "wrong-types/config/taskd.toml rejected", "unknown-keys-in-config/config/taskd.toml rejected",
                "out-of-range/loop-types/fix.toml rejected", "missing-required/config/taskd.toml rejected");
    }

    /** A range of a duration or size is not visible to a schema; its syntax and type are. */
    private static boolean schemaLevel(String finding) {
        if (!SCHEMA_LEVEL.matcher(finding).find() || finding.contains("warning:")) {
            return false;
        }
        Matcher found = FOUND_STRING.matcher(finding);
        if (!found.find()) {
            return true;
        }
        String text = found.group(2);
        boolean wellFormed = found.group(1).equals("duration") ? Durations.parse(text).isPresent()
                : ByteSizes.parse(text).isPresent();
        return !wellFormed;
    }

    private static List<Path> tomlFiles(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String directory : List.of("config", "loop-types")) {
            Path dir = folder.resolve(directory);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    entries.filter(path -> path.toString().endsWith(".toml")).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }

    private static List<Error> errors(Schema schema, Path toml) throws IOException {
        JsonNode document = new TomlMapper().readTree(Files.readString(toml));
        return schema.validate(new ObjectMapper().valueToTree(document));
    }

    /** The schema node that describes {@code path}, following properties and additionalProperties. */
    private static Optional<JsonNode> node(JsonNode schema, String path) {
        JsonNode at = schema;
        for (String segment : path.split("\\.")) {
            JsonNode next = segment.equals("*") ? at.path("additionalProperties") : at.path("properties").path(segment);
            if (!next.isObject()) {
                return Optional.empty();
            }
            at = next;
        }
        return Optional.of(at);
    }
}
