package org.llkd.experiments.exp;

import java.util.Map;

/** Which paper dataset each shipped dataset stands in for (from data/MANIFEST.md), for table captions. */
public final class DatasetInfo {
  private DatasetInfo() {}

  private static final Map<String, String> PAPER = Map.of(
      "emotion", "Emotion (same dataset)",
      "yahoo_answers", "Yahoo! Answers (same, 9k-row subset)",
      "pubmed_rct_sample", "PubMed-RCT-20k (stand-in: 300-row sample)",
      "nicta_piboso", "PubMed-RCT-20k (stand-in: NICTA-PIBOSO)",
      "scicite", "Arxiv-10 (stand-in: SciCite)",
      "ag_news", "extra topic dataset (AG News)",
      "mag_fos", "Arxiv-10 (stand-in: MAG fields of study)");

  /** Caption for {@code dataset}, e.g. "Arxiv-10 (stand-in: SciCite)". */
  public static String paperName(String dataset) {
    return PAPER.getOrDefault(dataset, dataset + " (not a paper dataset)");
  }
}
