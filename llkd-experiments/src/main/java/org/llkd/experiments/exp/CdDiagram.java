package org.llkd.experiments.exp;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.llkd.experiments.stats.Nemenyi;

/**
 * A critical-difference diagram (Demšar 2006, Figure 1(a)) drawn with Java2D: the axis of average ranks along the
 * top, best (rank 1) on the right; each method hangs from its average rank by a line to its name (the better half on
 * the right, the rest on the left); thick bars join the methods whose average ranks differ by less than the critical
 * difference (no significant difference under the Nemenyi test); the CD itself is drawn as a bar above the axis.
 */
final class CdDiagram {
  private CdDiagram() {}

  private static final int WIDTH = 1000;
  private static final int MARGIN = 190;   // room for the names on each side
  private static final int AXIS_Y = 90;
  private static final int ROW = 30;

  /**
   * Writes the diagram of {@code names} with {@code averageRanks} (same order) for {@code k} methods, critical
   * difference {@code cd}, to {@code png}; {@code title} goes on top.
   */
  static void write(Path png, String title, List<String> names, double[] averageRanks, double cd) {
    int k = names.size();
    if (k != averageRanks.length || k < 2) {
      throw new IllegalArgumentException("a CD diagram needs >= 2 methods with one rank each, found " + k + " names and "
          + averageRanks.length + " ranks");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < k; i++) order.add(i);
    order.sort(Comparator.comparingDouble((Integer i) -> averageRanks[i]).thenComparing(names::get));
    double[] sorted = new double[k];
    for (int i = 0; i < k; i++) sorted[i] = averageRanks[order.get(i)];
    List<int[]> groups = Nemenyi.groups(sorted, cd);
    int right = (k + 1) / 2; // sorted[0 .. right-1] (the best) are labelled on the right
    int rowsPerSide = Math.max(right, k - right);
    int groupTop = AXIS_Y + 22;
    int labelTop = groupTop + Math.max(1, groups.size()) * 10 + 22;
    int height = labelTop + rowsPerSide * ROW + 30;

    BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(title, 20, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      FontMetrics fm = g.getFontMetrics();

      // axis: rank k on the left, 1 on the right
      g.setStroke(new BasicStroke(1.5f));
      g.drawLine(x(k, k), AXIS_Y, x(1, k), AXIS_Y);
      for (int r = 1; r <= k; r++) {
        g.drawLine(x(r, k), AXIS_Y - 6, x(r, k), AXIS_Y);
        String s = Integer.toString(r);
        g.drawString(s, x(r, k) - fm.stringWidth(s) / 2, AXIS_Y - 10);
        if (r < k) g.drawLine(x(r + 0.5, k), AXIS_Y - 3, x(r + 0.5, k), AXIS_Y);
      }
      // the critical difference, drawn from rank k towards better ranks, above the axis
      if (Double.isFinite(cd) && cd > 0) {
        int y = AXIS_Y - 42;
        int x0 = x(k, k);
        int x1 = x(Math.max(1, k - cd), k);
        g.setStroke(new BasicStroke(2f));
        g.drawLine(x0, y, x1, y);
        g.drawLine(x0, y - 5, x0, y + 5);
        g.drawLine(x1, y - 5, x1, y + 5);
        String s = String.format(Locale.ROOT, "CD = %.2f", cd);
        g.drawString(s, x1 + 8, y + 5);
      }
      // methods
      g.setStroke(new BasicStroke(1.2f));
      for (int i = 0; i < k; i++) {
        int idx = order.get(i);
        boolean onRight = i < right;
        int slot = onRight ? i : k - 1 - i; // outermost rows for the extremes
        int y = labelTop + slot * ROW;
        int xr = x(sorted[i], k);
        g.setColor(Charts.colour(names.get(idx)).darker());
        g.drawLine(xr, AXIS_Y, xr, y);
        int xEnd = onRight ? x(1, k) + 20 : x(k, k) - 20;
        g.drawLine(xr, y, xEnd, y);
        g.setColor(Color.BLACK);
        String label = String.format(Locale.ROOT, "%s (%.2f)", names.get(idx), sorted[i]);
        g.drawString(label, onRight ? xEnd + 6 : xEnd - 6 - fm.stringWidth(label), y + 5);
      }
      // groups not significantly different
      g.setStroke(new BasicStroke(4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      g.setColor(Color.BLACK);
      for (int gi = 0; gi < groups.size(); gi++) {
        int[] grp = groups.get(gi);
        int y = groupTop + gi * 10;
        g.drawLine(x(sorted[grp[0]], k) + 4, y, x(sorted[grp[1]], k) - 4, y);
      }
    } finally {
      g.dispose();
    }
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      if (!ImageIO.write(img, "png", png.toFile())) throw new IOException("no PNG writer");
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + png, e);
    }
  }

  /** Pixel x of average rank {@code r} (1 on the right, k on the left). */
  private static int x(double r, int k) {
    double span = WIDTH - 2.0 * MARGIN;
    return (int) Math.round(MARGIN + span * (k - r) / Math.max(1, k - 1));
  }
}
