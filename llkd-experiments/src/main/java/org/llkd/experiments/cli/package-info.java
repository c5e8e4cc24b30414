/**
 * The {@code llkd} command line (picocli): {@link org.llkd.experiments.cli.LlkdCli} is the root, with
 * command groups as subcommands ({@code teacher export}, {@code teacher report}; later {@code run},
 * {@code sweep}). Commands parse options, build a validated config and call the library class that does
 * the work; no experiment logic lives here. An option that several commands take is declared once, as a picocli
 * mixin: {@code ModelDirectoryOption} ({@code --model}), {@code RuntimeOptions} ({@code --runtime}, {@code --onnx},
 * {@code --threads}), {@code TextColumnOptions} and {@code InputColumnOptions} (the input file's columns and format),
 * {@code LabelNamesOption} ({@code --labels}); {@code engine.GridFlags} holds those of {@code run} and {@code sweep}.
 *
 * <p>May import any {@code org.llkd.experiments} package; nothing imports this package.
 */
package org.llkd.experiments.cli;
