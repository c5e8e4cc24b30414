/**
 * The student's training step: a gradient-free forward of every row (the selector needs the student's
 * logits for the whole batch) and forward+backward+AdamW on only the rows with weight &gt; 0. Imports
 * only models packages and ND4J.
 */
package org.llkd.models.train;
