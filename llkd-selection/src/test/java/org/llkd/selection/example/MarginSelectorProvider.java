package org.llkd.selection.example;

import java.util.List;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.SelectorProvider;
import org.llkd.selection.Selectors;

/** Makes {@link MarginSelector} available as {@code "margin"}; its margin is the params' confidence threshold. */
public final class MarginSelectorProvider implements SelectorProvider {
  public static final String NAME = "margin";

  @Override
  public List<String> names() {
    return List.of(NAME);
  }

  @Override
  public SampleSelector create(String name, Selectors.Params p) {
    return new MarginSelector(p.confidenceThreshold());
  }
}
