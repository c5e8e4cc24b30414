package org.llkd.experiments.product;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.llkd.models.io.AtomicFiles;

/** The confusion matrix as an annotated XChart heat map: gold on the y axis, predicted on the x axis, counts in cells. */
final class ConfusionChart {
  private ConfusionChart() {}

  static void write(Path png, List<String> labels, long[][] confusion) {
    int c = labels.size();
    HeatMapChart chart = new HeatMapChartBuilder().width(160 + 90 * c).height(120 + 70 * c).title("Confusion matrix")
        .xAxisTitle("predicted").yAxisTitle("gold").build();
    chart.getStyler().setShowValue(true);
    chart.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x6BAED6), new Color(0x08306B)});
    chart.getStyler().setLegendVisible(false);
    List<Number[]> cells = new ArrayList<>();
    for (int g = 0; g < c; g++) {
      for (int p = 0; p < c; p++) cells.add(new Number[] {p, c - 1 - g, confusion[g][p]}); // first gold label on top
    }
    List<String> y = new ArrayList<>(labels);
    java.util.Collections.reverse(y);
    chart.addSeries("counts", labels, y, cells);
    try {
      byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      AtomicFiles.write(png, o -> o.write(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + png + ": " + e.getMessage(), e);
    }
  }
}
