package dev.taskd.bench;

import java.util.List;

/** One benchmark's outcome: its figures, or the error that stopped it (the run goes on). */
record BenchResult(String name, String what, List<Figure> figures, double seconds, String error) {
}
