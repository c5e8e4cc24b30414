package org.llkd.experiments.train;

/**
 * How big a reproduction is. QUICK: 2-layer student (frozen word embeddings), 2,000 train rows, 2 epochs, max 64 tokens (minutes
 * on 2 CPU cores). FULL: the paper-scale setting, 6-layer student on the whole train split, 128 tokens
 * (hours; see README for the measured cost).
 */
public enum Tier { QUICK, FULL, TINY }
