/**
 * The student side of LLKD-J: tokenizer, hand-written ND4J transformer encoder and heads, losses,
 * pretrained-weight import, optimiser and checkpoints. Imports nothing from selection or experiments.
 */
package org.llkd.models;
