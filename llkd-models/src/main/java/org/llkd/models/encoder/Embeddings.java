package org.llkd.models.encoder;

import java.util.Arrays;
import org.llkd.models.memory.NativeArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scatter.ScatterAdd;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * e = dropout(LN(word[ids] + position[0..T-1] + type[types])). Lookups by the {@code Gather} op into a
 * buffer; the backward scatters into the dense tables with {@code ScatterAdd} given the gradient table
 * as explicit output (PERFORMANCE.md section 6: without it ScatterAdd returns a copy).
 *
 * <p>The scatter-adds run on one thread, in index order ({@link #scatterAddInOrder}). libnd4j's {@code scatter_add}
 * without its {@code lock} argument cuts the index list into one contiguous chunk per OpenMP thread, and two threads
 * whose chunks share an id (every batch repeats [CLS], [SEP] and common words; every token has type 0) add into the
 * same gradient row at once, unsynchronised: at 2 threads updates were lost or reordered, so two runs differed from
 * the first step on (issue 25 item 5).
 */
final class Embeddings {
  private final INDArray word;      // [V, H]
  private final INDArray position;  // [P, H]
  private final INDArray type;      // [types, H]
  private final INDArray wordGrad;  // [V, H]
  private final INDArray positionGrad; // [P, H]
  private final INDArray typeGrad;  // [types, H]
  private final LayerNorm layerNorm;
  private final Dropout dropout;
  private final Arena arena = new Arena();
  private final int hidden;
  private final DataType dt;
  private final boolean[] wordRowWritten; // [V] rows of wordGrad a backward wrote since the last clearWordGrad
  private int[] writtenRows = new int[64];
  private int written;                    // number of valid entries in writtenRows
  private boolean wordGradUnknown = true; // true until the first clearWordGrad: rows written by anyone else
  private INDArray zeroRows;              // [capacity, H] zeros for clearing written rows

  // buffers bound per (B, T)
  private int batch = -1, seqLen = -1;
  private INDArray ids;        // [M] INT
  private INDArray typeIds;    // [M] INT
  private INDArray sum;        // [M, H] word + position + type, then LN output (the block output)
  private INDArray sumRows;    // [B, T*H] view of sum
  private INDArray typeRows;   // [M, H] gathered type rows
  private INDArray positionRow;     // [1, T*H] view of position[0..T-1]
  private INDArray positionGradRow; // [1, T*H] view of positionGrad[0..T-1]
  private INDArray onesB;      // [1, B]

  Embeddings(ParamsAndGrads pg, StudentConfig cfg) {
    word = pg.param("embeddings.word_embeddings.weight");
    position = pg.param("embeddings.position_embeddings.weight");
    type = pg.param("embeddings.token_type_embeddings.weight");
    wordGrad = pg.grad("embeddings.word_embeddings.weight");
    positionGrad = pg.grad("embeddings.position_embeddings.weight");
    typeGrad = pg.grad("embeddings.token_type_embeddings.weight");
    layerNorm = new LayerNorm("embeddings.LayerNorm", pg, cfg.layerNormEps());
    dropout = new Dropout(cfg.hiddenDropout());
    hidden = cfg.hiddenSize();
    dt = cfg.dataType();
    wordRowWritten = new boolean[(int) word.size(0)];
  }

  void bind(int b, int t) {
    if (b == batch && t == seqLen) return;
    long m = (long) b * t;
    ids = arena.view("ids", DataType.INT, m);
    typeIds = arena.view("typeIds", DataType.INT, m);
    sum = arena.view("sum", dt, m, hidden);
    sumRows = sum.reshape('c', b, (long) t * hidden);
    typeRows = arena.view("typeRows", dt, m, hidden);
    positionRow = position.get(NDArrayIndex.interval(0, t), NDArrayIndex.all()).reshape('c', 1, (long) t * hidden);
    positionGradRow = positionGrad.get(NDArrayIndex.interval(0, t), NDArrayIndex.all()).reshape('c', 1, (long) t * hidden);
    onesB = arena.view("onesB", dt, 1, b);
    onesB.assign(1.0);
    layerNorm.bind(m);
    dropout.bind(dt, m, hidden);
    batch = b;
    seqLen = t;
  }

  /** The INT [M] views the model fills (validated) before {@link #forward}. */
  INDArray ids() { return ids; }

  INDArray typeIds() { return typeIds; }

  /** The block output [M, H] of the current binding (the first layer's input). */
  INDArray output() { return sum; }

  /** Keeps what {@link #backward} needs of samples {@code rows} at the front of each buffer (before a rebind). */
  void keepRows(int[] rows) {
    Slabs.keep(ids, batch, rows);     // [M] INT
    Slabs.keep(typeIds, batch, rows); // [M] INT
    Slabs.keep(sum, batch, rows);     // [M, H] block output, the first layer's cached input
    layerNorm.keepRows(batch, rows);
    dropout.keepRows(batch, rows);
  }

  /** Returns the block output [M, H]; ids and typeIds must already hold this batch. */
  INDArray forward(Random rng) {
    Gather gw = new Gather(word, ids, 0);
    gw.addOutputArgument(sum);
    Nd4j.exec(gw);                        // [M, H] word rows
    sumRows.addiRowVector(positionRow);   // [B, T*H] += [1, T*H]
    Gather gt = new Gather(type, typeIds, 0);
    gt.addOutputArgument(typeRows);
    Nd4j.exec(gt);                        // [M, H] type rows
    sum.addi(typeRows);                   // [M, H]
    layerNorm.forward(sum, sum, rng != null); // [M, H] (train mode keeps the backward's caches)
    dropout.forward(sum, rng);            // [M, H]
    return sum;
  }

  private void recordWritten(int[] rowIds) {
    for (int id : rowIds) {
      if (wordRowWritten[id]) continue;
      wordRowWritten[id] = true;
      if (written == writtenRows.length) writtenRows = Arrays.copyOf(writtenRows, 2 * written);
      writtenRows[written++] = id;
    }
  }

  /** The rows of the word-embedding gradient that backward wrote since the last {@link #clearWordGrad}, ascending. */
  int[] writtenWordRows() {
    int[] r = Arrays.copyOf(writtenRows, written);
    Arrays.sort(r);
    return r;
  }

  /**
   * Zeroes the word-embedding gradient [V, H]: only the rows a backward wrote since the last call (the rest is
   * still zero), or the whole table the first time.
   */
  void clearWordGrad() {
    if (wordGradUnknown) {
      wordGrad.assign(0);
      wordGradUnknown = false;
    } else if (written > 0) {
      if (zeroRows == null || zeroRows.size(0) < written) {
        NativeArrays.close(zeroRows);
        zeroRows = NativeArrays.detachedZeros(dt, Math.max(written, 2L * batch * seqLen), hidden); // [capacity, H]
      }
      INDArray idx = Nd4j.createFromArray(Arrays.copyOf(writtenRows, written)); // [k] INT
      INDArray zeros = zeroRows.get(NDArrayIndex.interval(0, written), NDArrayIndex.all()); // [k, H]
      Nd4j.exec(DynamicCustomOp.builder("scatter_upd").addInputs(wordGrad, idx, zeros).addOutputs(wordGrad).build());
      // wordGrad[idx] = 0
    }
    for (int i = 0; i < written; i++) wordRowWritten[writtenRows[i]] = false;
    written = 0;
  }

  /** Accumulates the table gradients from dOut [M, H] (overwritten). */
  void backward(INDArray dOut) {
    if (dropout.active()) dropout.backward(dOut, dOut);       // [M, H]
    layerNorm.backward(dOut, dOut);                           // [M, H] d(sum)
    scatterAddInOrder(wordGrad, ids, dOut);                   // [V, H] += rows of dOut at ids
    recordWritten(ids.toIntVector());
    INDArray dRows = dOut.reshape('c', batch, (long) seqLen * hidden); // [B, T*H]
    Nd4j.gemm(onesB, dRows, positionGradRow, false, false, 1.0, 1.0);  // [1, T*H] += sum over batch
    scatterAddInOrder(typeGrad, typeIds, dOut);               // [types, H]
  }

  /**
   * table[ids[i]] += rows[i] for i = 0, 1, ... in this order, on one thread: {@code scatter_add} with its
   * {@code lock} argument set, which libnd4j runs on a single thread (its default, unlocked, races on repeated
   * ids across threads). Cost, measured at 2 threads on the 2-core dev machine while it was loaded (load average
   * about 13), the two calls of a quick-tier step (2,048 ids into [30522, 384] and [2, 384]) interleaved 300 times:
   * locked median 8.9 ms (min 3.37), unlocked 12.2 ms (min 3.42); whole steps of ~1.2 s (loaded) in interleaved
   * processes: minimum step time locked/unlocked 1.05 and 0.99. No measurable cost.
   *
   * @param table [V, H] updated in place; ids [M] INT; rows [M, H]
   */
  static void scatterAddInOrder(INDArray table, INDArray ids, INDArray rows) {
    ScatterAdd op = new ScatterAdd(table, ids, rows);
    op.addBArgument(true); // lock: one thread, indices in order (deterministic and no lost updates)
    op.addOutputArgument(table);
    Nd4j.exec(op);
  }

  /** Frees this block's buffers (the model is unusable afterwards). */
  void close() {
    arena.close();
    layerNorm.close();
    dropout.close();
    NativeArrays.close(zeroRows);
    zeroRows = null;
  }
}
