package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.script.GraalScriptCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: each folder under {@code src/test/resources/golden} is a configuration
 * ({@code config/taskd.toml} with its loop types and templates) beside {@code expected.txt}, the
 * exact findings it must produce and the verdict. A change of wording or location shows up as a
 * diff here. To accept new output after a deliberate change, run the tests with
 * {@code -Dgolden.update=true} and review the diff of the expected files.
 */
class GoldenConfigTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> eachBrokenConfigGivesExactlyItsExpectedFindings() throws IOException {
        List<Path> cases;
        try (Stream<Path> folders = Files.list(GOLDEN)) {
            cases = folders.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).as("golden cases").hasSizeGreaterThan(10);
        return cases.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> check(folder)));
    }

    private static void check(Path folder) throws IOException {
        LoadResult result = new ConfigLoader(folder, new GraalScriptCheck()).load(folder.resolve("config/taskd.toml"));
        String actual = render(result);
        Path expectedFile = folder.resolve("expected.txt");
        if (UPDATE) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
    }

    static String render(LoadResult result) {
        String findings = result.findings().stream().map(Finding::toString).map(line -> line + "\n")
                .collect(Collectors.joining());
        return findings + "=> " + (result.valid() ? "valid" : "invalid") + "\n";
    }
}
