/**
 * The {@code llkd} command line (picocli): {@link org.llkd.experiments.cli.LlkdCli} is the root, with
 * command groups as subcommands ({@code teacher export}, {@code teacher report}; later {@code run},
 * {@code sweep}). Commands parse options, build a validated config and call the library class that does
 * the work; no experiment logic lives here.
 *
 * <p>May import any {@code org.llkd.experiments} package; nothing imports this package.
 */
package org.llkd.experiments.cli;
