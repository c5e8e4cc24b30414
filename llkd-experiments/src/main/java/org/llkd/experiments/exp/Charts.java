package org.llkd.experiments.exp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** XChart figures written as PNG (headless), with real axes, titles and legends. */
public final class Charts {
  private Charts() {}

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
    for (BarSeries s : series) chart.addSeries(s.name(), categories, s.values(), s.errors());
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
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    if (axes != null) {
      chart.getStyler().setXAxisMin(axes[0]).setXAxisMax(axes[1]).setYAxisMin(axes[2]).setYAxisMax(axes[3]);
    }
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setDecimalPattern("0.###");
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
      if (n > 0) chart.addSeries(names.get(i), fx, fy);
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
