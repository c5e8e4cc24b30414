/**
 * The trained student as a product: the self-contained model directory ({@link org.llkd.models.classifier.ModelDirectory},
 * docs/model-format.md) and the {@link org.llkd.models.classifier.TextClassifier} API that loads one and classifies
 * texts. Imports only models packages (encoder, params, tokenizer, io, label); nothing from selection or experiments, so a
 * user needs llkd-models alone (no Spark, no Arbiter).
 */
package org.llkd.models.classifier;
