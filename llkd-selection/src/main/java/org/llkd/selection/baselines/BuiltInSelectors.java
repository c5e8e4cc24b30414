package org.llkd.selection.baselines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.llkd.selection.LlkdSelector;
import org.llkd.selection.SampleSelector;
import org.llkd.selection.SelectorProvider;
import org.llkd.selection.Selectors;

/**
 * The selectors shipped with llkd-selection: LLKD and its ablations, then the baselines (llkd, llkd-no-teacher, llkd-no-student, llkd-no-classwise, llkd-no-weighting, llkd-fixed, all,
 * random, topk, threshold, uncertainty, freematch, smallloss, soft, gold).
 * Registered in {@code META-INF/services/org.llkd.selection.SelectorProvider} like any user's provider.
 */
public final class BuiltInSelectors implements SelectorProvider {
  @Override
  public List<String> names() {
    List<String> n = new ArrayList<>();
    for (LlkdSelector.Ablation a : LlkdSelector.Ablation.values()) {
      n.add(a.registryName());
    }
    n.addAll(List.of("all", "random", "topk", "threshold", "uncertainty", "freematch", "smallloss", "soft", "gold"));
    return Collections.unmodifiableList(n);
  }

  @Override
  public SampleSelector create(String name, Selectors.Params p) {
    for (LlkdSelector.Ablation a : LlkdSelector.Ablation.values()) {
      if (a.registryName().equals(name)) {
        return new LlkdSelector(name, LlkdSelector.Config.ablation(a, p.numClasses(), p.momentum()));
      }
    }
    return switch (name) {
      case "all" -> new AllPseudoLabels();
      case "random" -> new RandomSelector(p.ratio(), p.seed());
      case "topk" -> new TeacherConfidenceTopK(p.ratio());
      case "threshold" -> new TeacherConfidenceThreshold(p.confidenceThreshold());
      case "uncertainty" -> new StudentUncertaintyOnly(p.numClasses(), p.momentum());
      case "freematch" -> new FreeMatchSelector(FreeMatchSelector.Config.usb(p.numClasses(), p.momentum()));
      case "smallloss" -> new SmallLossSelector(new SmallLossSelector.Config(p.ratio(), p.rampSteps()));
      case "soft" -> new SoftLabelSelector(p.temperature());
      case "gold" -> new GoldLabels();
      default -> throw new IllegalArgumentException("BuiltInSelectors: no selector '" + name + "'");
    };
  }
}
