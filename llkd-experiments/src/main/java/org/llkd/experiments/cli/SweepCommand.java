package org.llkd.experiments.cli;

import org.llkd.experiments.sweep.SweepMain;
import picocli.CommandLine.Command;

/**
 * {@code llkd sweep <file> [--out DIR] [--force|--resume|--report-only] [--workers N] [--shard I/N] [--limit N]}:
 * the flags of {@link SweepMain.Args} (inherited), so the IDE entry point and the CLI cannot drift apart.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run a hyper-parameter sweep file through Arbiter (docs/sweeps.md): trials under <out>/trials/,"
        + " then raw.csv, table.md, best_config.json, provenance.json. Exit 1 if a trial failed.")
public final class SweepCommand extends SweepMain.Args {}
