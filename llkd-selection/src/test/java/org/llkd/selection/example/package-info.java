/**
 * A selector of one's own, as a user would write it in their jar (README, "Write your own selector"): {@link
 * org.llkd.selection.example.MarginSelector} and its {@link org.llkd.selection.example.MarginSelectorProvider},
 * registered in {@code src/test/resources/META-INF/services/org.llkd.selection.SelectorProvider}.
 */
package org.llkd.selection.example;
