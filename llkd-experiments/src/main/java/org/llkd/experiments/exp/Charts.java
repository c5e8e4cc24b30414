package org.llkd.experiments.exp;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * XChart figures written as PNG (headless), with real axes, titles and legends. Legends sit outside the plot (east),
 * never over data; every series takes its colour from {@link #colour(String)}, so a method (or dataset, or metric)
 * has the same colour in every figure; a log-scale x axis is labelled in scientific notation (1E-4), so learning
 * rates do not print as "0".
 */
public final class Charts {
  private Charts() {}

  /**
   * Series name -> colour, the one palette of all figures: methods (LLKD and its ablations in blues, baselines in
   * distinct hues, gold in grey), datasets, and the metric series of Figure 5. Colour-blind-safe base hues (Okabe-Ito,
   * Tableau) where they suffice.
   */
  static final Map<String, Color> PALETTE = palette();

  private static Map<String, Color> palette() {
    Map<String, Color> m = new LinkedHashMap<>();
    // methods
    m.put("llkd", new Color(0x0072B2));
    m.put("llkd-no-teacher", new Color(0x56B4E9));
    m.put("llkd-no-student", new Color(0x2A9D8F));
    m.put("llkd-no-classwise", new Color(0x6A5ACD));
    m.put("llkd-no-weighting", new Color(0x1D3557));
    m.put("llkd-fixed", new Color(0x8FB8DE));
    m.put("all", new Color(0xE69F00));
    m.put("random", new Color(0x999933));
    m.put("topk", new Color(0xD55E00));
    m.put("threshold", new Color(0xCC79A7));
    m.put("uncertainty", new Color(0x009E73));
    m.put("freematch", new Color(0x882255));
    m.put("smallloss", new Color(0x44AA99));
    m.put("soft", new Color(0xF0E442).darker());
    m.put("gold", new Color(0x7F7F7F));
    // datasets
    m.put("emotion", new Color(0x4E79A7));
    m.put("ag_news", new Color(0xF28E2B));
    m.put("scicite", new Color(0xB07AA1));
    m.put("mag_fos", new Color(0x59A14F));
    m.put("pubmed_rct_sample", new Color(0xE15759));
    m.put("nicta_piboso", new Color(0xEDC948).darker());
    m.put("yahoo_answers", new Color(0xFF9DA7).darker());
    // metrics
    m.put("dev macro-F1", new Color(0x0072B2));
    m.put("test macro-F1", new Color(0xD55E00));
    m.put("data used", new Color(0x7F7F7F));
    return Map.copyOf(m);
  }

  /** Fallback hues for names outside {@link #PALETTE}, picked by a stable hash of the name. */
  private static final Color[] FALLBACK = {new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C),
      new Color(0xD62728), new Color(0x9467BD), new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF)};

  /**
   * The colour of series {@code name} in every figure: the palette's, matched on the name or its first word
   * ({@code "gold (upper bound)"} is gold's, {@code "llkd s1"} llkd's), else a fallback fixed by the name.
   */
  public static Color colour(String name) {
    Color c = PALETTE.get(name);
    if (c == null) c = PALETTE.get(name.split("[ (]", 2)[0]);
    if (c != null) return c;
    return FALLBACK[Math.floorMod(name.hashCode(), FALLBACK.length)];
  }

  /** One bar series of a grouped bar chart: name, values per category, and error bars (std). */
  public record BarSeries(String name, List<Double> values, List<Double> errors) {}

  /** A grouped bar chart over {@code categories} with error bars, saved to {@code png}. */
  public static void bars(Path png, String title, String xTitle, String yTitle, List<String> categories,
      List<BarSeries> series, Double yMin, Double yMax) {
    CategoryChart chart = new CategoryChartBuilder().width(1100).height(600).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setDecimalPattern("0.00");
    chart.getStyler().setErrorBarsColorSeriesColor(true);
    if (yMin != null) chart.getStyler().setYAxisMin(yMin);
    if (yMax != null) chart.getStyler().setYAxisMax(yMax);
    for (BarSeries s : series) {
      Color c = colour(s.name());
      CategorySeries cs = chart.addSeries(s.name(), categories, s.values(), s.errors());
      cs.setFillColor(c);
      cs.setLineColor(c); // error bars take the series' line colour
      cs.setMarkerColor(c);
    }
    save(chart, png);
  }

  /** A line chart of y against x per series (NaN points allowed), saved to {@code png}. */
  public static void lines(Path png, String title, String xTitle, String yTitle, List<String> names,
      List<double[]> xs, List<double[]> ys, boolean logX) {
    lines(png, title, xTitle, yTitle, names, xs, ys, logX, null);
  }

  /** As above with fixed axis ranges {@code {xMin, xMax, yMin, yMax}} (null = automatic). */
  public static void lines(Path png, String title, String xTitle, String yTitle, List<String> names,
      List<double[]> xs, List<double[]> ys, boolean logX, double[] axes) {
    XYChart chart = new XYChartBuilder().width(1000).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    if (axes != null) {
      chart.getStyler().setXAxisMin(axes[0]).setXAxisMax(axes[1]).setYAxisMin(axes[2]).setYAxisMax(axes[3]);
    }
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setDecimalPattern("0.###");
    if (logX) { // 1E-4, 2E-4, ...: ticks inside one decade too, in scientific notation (not "0")
      chart.getStyler().setXAxisDecimalPattern("0E0");
      chart.getStyler().setXAxisLogarithmicDecadeOnly(false);
    }
    for (int i = 0; i < names.size(); i++) {
      double[] x = xs.get(i);
      double[] y = ys.get(i);
      int n = 0;
      for (double v : y) if (!Double.isNaN(v)) n++;
      double[] fx = new double[n];
      double[] fy = new double[n];
      for (int j = 0, k = 0; j < y.length; j++) {
        if (Double.isNaN(y[j])) continue; // empty bin: no point, rather than a fake 0
        fx[k] = x[j];
        fy[k++] = y[j];
      }
      if (n > 0) {
        Color c = colour(names.get(i));
        XYSeries xy = chart.addSeries(names.get(i), fx, fy);
        xy.setLineColor(c);
        xy.setMarkerColor(c);
      }
    }
    save(chart, png);
  }

  /**
   * A scatter of named point series (markers only) plus optional reference lines drawn as two-point line series
   * ({@code refNames}, {@code refXs}, {@code refYs}, grey), saved to {@code png}.
   */
  public static void scatter(Path png, String title, String xTitle, String yTitle, List<String> names,
      List<double[]> xs, List<double[]> ys, List<String> refNames, List<double[]> refXs, List<double[]> refYs) {
    XYChart chart = new XYChartBuilder().width(1000).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setDecimalPattern("0.###");
    chart.getStyler().setMarkerSize(11);
    for (int i = 0; i < names.size(); i++) {
      if (xs.get(i).length == 0) continue;
      Color c = colour(names.get(i));
      XYSeries s = chart.addSeries(names.get(i), xs.get(i), ys.get(i));
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarkerColor(c);
    }
    for (int i = 0; i < refNames.size(); i++) {
      XYSeries s = chart.addSeries(refNames.get(i), refXs.get(i), refYs.get(i));
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      s.setLineColor(new Color(0x555555));
      s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
      s.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
          10f, new float[] {6f, 4f}, 0f));
    }
    save(chart, png);
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmapWithDPI(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG, 110);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write figure " + png, e);
    }
  }
}
