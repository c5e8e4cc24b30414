package org.llkd.experiments.product;

/**
 * One row of a user's text file.
 *
 * @param row   0-based data row (header excluded)
 * @param line  1-based line of the file where the row starts
 * @param id    the id column's value, or the row number when the file has no id column
 * @param text  the text, non-empty
 * @param label the label column's value, or null when the column is absent or the cell empty
 */
public record TextRow(long row, long line, String id, String text, String label) {}
