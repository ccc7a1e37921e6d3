package dev.netc.runtime.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A stride-1 convolution by Winograd's minimal filtering F(m x m, r x r) ({@link ToomCook}), on the incubating
 * Vector API: {@code alpha^2} multiply-adds per {@code m x m} output tile and channel pair instead of {@code m^2
 * r^2} (F(3x3, 3x3): 25 instead of 81, 3.2x fewer).
 *
 * <p>A task takes a run of up to {@link #TILES} output tiles (numbered across images, so a batch fills whole runs)
 * and a chunk of filters, in three steps:
 * <ol>
 *   <li>{@link #band} and {@link #input}: the run's input rows with their zero padding, then each channel's {@code
 *       alpha x alpha} patches gathered and transformed, {@code V = BT d BT^T}, stored as {@code v[(xi * channels +
 *       c) * stride + t]} for transform element {@code xi}: per element a {@code channels x stride} matrix;
 *   <li>per element {@code xi}, the product of the filters' transforms {@code U[xi]} (packed at load by {@link
 *       #filters}) with {@code V[xi]}: a matrix product over channels, which is {@link VectorConv#sums} with the tap
 *       table {@link Packing#channelTaps} (four filters by 32 tiles in registers);
 *   <li>{@link #output}: per block of four filters, {@code Y = AT M AT^T} over the {@code alpha^2} product rows,
 *       leaving {@code m x m} outputs per tile for the caller's epilogue (bias, activation) to scatter into the
 *       output planes.
 * </ol>
 * The transforms run on rows of {@code stride} tiles, four channels or filters end to end, so they are vector
 * operations too; both are linear combinations with the matrices' nonzero entries only.
 *
 * <p>Rounding: the transforms add and subtract values several times larger than the result, so the error grows
 * with {@code alpha}. Measured against a double convolution, relative to the largest output ({@code WinogradTest}):
 * F(2x2, 3x3) 2e-7, F(3x3, 3x3) 5e-7 to 1e-6, F(2x2, 5x5) 1.7e-6, F(4x4, 3x3) 3.4e-6, F(3x3, 5x5) 4.1e-6; the
 * generated models use all but F(4x4, 3x3) (AlexNet's conv2 is F(3x3, 5x5): its whole network stays at 2.3e-6
 * of PyTorch's output).
 */
public final class Winograd {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int L = 8;
  /** Tiles per run: one {@link VectorConv} register tile, so a run's matrix product has no partial tile. */
  public static final int TILES = VectorConv.TILE;
  /**
   * Channels {@link #input} transforms at once: their rows of tiles lie end to end, so each linear combination runs
   * over four times as many vectors per call (the calls' overhead, not the arithmetic, dominated with one).
   */
  private static final int CHANNELS = 4;
  /** Filters {@link #output} transforms at once, for the same reason. */
  public static final int FILTERS = 4;

  private final ToomCook matrices;
  private final int m;
  private final int alpha;
  /** Per row of {@code BT}: the columns of its nonzero entries, and the entries. */
  private final int[][] btColumns;
  private final float[][] btValues;
  /** The same for {@code AT}. */
  private final int[][] atColumns;
  private final float[][] atValues;

  /** F(m x m, r x r). */
  public Winograd(int m, int r) {
    this.matrices = ToomCook.of(m, r);
    this.m = m;
    this.alpha = matrices.alpha();
    this.btColumns = new int[alpha][];
    this.btValues = new float[alpha][];
    sparse(matrices.bt(), btColumns, btValues);
    this.atColumns = new int[m][];
    this.atValues = new float[m][];
    sparse(matrices.at(), atColumns, atValues);
  }

  /** Entries this small are rounding noise of the inversion (the exact matrices have zeros there). */
  private static final double ZERO = 1e-12;

  private static void sparse(double[][] matrix, int[][] columns, float[][] values) {
    for (int i = 0; i < matrix.length; i++) {
      int nonzero = 0;
      for (double v : matrix[i]) if (Math.abs(v) > ZERO) nonzero++;
      columns[i] = new int[nonzero];
      values[i] = new float[nonzero];
      for (int j = 0, k = 0; j < matrix[i].length; j++) {
        if (Math.abs(matrix[i][j]) <= ZERO) continue;
        columns[i][k] = j;
        values[i][k++] = (float) matrix[i][j];
      }
    }
  }

  /** Outputs per tile side. */
  public int m() {
    return m;
  }

  /** Inputs per tile side, {@code m + r - 1}; a tile has {@code alpha^2} transform elements. */
  public int alpha() {
    return alpha;
  }

  /** Floats of {@link #input}'s and {@link #output}'s scratch for rows of {@code stride} tiles. */
  public int scratchFloats(int stride) {
    return 2 * alpha * alpha * Math.max(CHANNELS, FILTERS) * stride;
  }

  /**
   * Transforms a convolution's {@code [groups * filtersPerGroup][channels][r][r]} weights, in double, and packs
   * them for {@link VectorConv#sums}: element {@code xi}'s transform of filter {@code f = 4 b + i} of group {@code
   * g} and channel {@code c} at {@code ((((xi * groups + g) * blocks + b) * channels + c) * 4 + i}, with {@code
   * blocks = ceil(filtersPerGroup / 4)} (zero for missing filters).
   */
  public float[] filters(float[] w, int groups, int filtersPerGroup, int channels) {
    int r = matrices.r();
    double[][] g = matrices.g();
    int blocks = (filtersPerGroup + VectorConv.BLOCK - 1) / VectorConv.BLOCK;
    float[] packed = new float[alpha * alpha * groups * blocks * channels * VectorConv.BLOCK];
    double[][] half = new double[alpha][r];
    for (int gr = 0; gr < groups; gr++) {
      for (int f = 0; f < filtersPerGroup; f++) {
        for (int c = 0; c < channels; c++) {
          int base = ((gr * filtersPerGroup + f) * channels + c) * r * r;
          for (int k = 0; k < alpha; k++) { // G g
            for (int b = 0; b < r; b++) {
              double s = 0;
              for (int a = 0; a < r; a++) s += g[k][a] * w[base + a * r + b];
              half[k][b] = s;
            }
          }
          for (int k = 0; k < alpha; k++) { // (G g) G^T
            for (int l = 0; l < alpha; l++) {
              double s = 0;
              for (int b = 0; b < r; b++) s += half[k][b] * g[l][b];
              int xi = k * alpha + l;
              packed[((((xi * groups + gr) * blocks + f / VectorConv.BLOCK) * channels + c) * VectorConv.BLOCK)
                  + f % VectorConv.BLOCK] = (float) s;
            }
          }
        }
      }
    }
    return packed;
  }

  /**
   * Copies input rows {@code [py0, py1)} of padded planes (zero rows above and below the image, {@code padW} zero
   * columns left and right, {@code rowStride} columns in all) for {@code channels} planes of {@code height x width}
   * starting at {@code a[src]}, into {@code band} at row {@code row0} of each channel's block of {@code
   * channelStride} floats. A task copies only the rows its tiles read, so {@link #input} needs no bounds checks.
   */
  public static void band(float[] a, int src, int channels, int height, int width, int padH, int padW, int py0,
      int py1, float[] band, int row0, int rowStride, int channelStride) {
    for (int c = 0; c < channels; c++) {
      int to = c * channelStride + row0 * rowStride;
      for (int py = py0; py < py1; py++, to += rowStride) {
        int y = py - padH;
        if (y < 0 || y >= height) {
          java.util.Arrays.fill(band, to, to + rowStride, 0f);
          continue;
        }
        // the borders are a float or two: plain loops, Arrays.fill's checks cost more than the stores
        for (int x = 0; x < padW; x++) band[to + x] = 0f;
        System.arraycopy(a, src + c * height * width + y * width, band, to + padW, width);
        for (int x = padW + width; x < rowStride; x++) band[to + x] = 0f;
      }
    }
  }

  /**
   * Gathers and transforms the input patches of {@code stride} tiles for {@code channels} channels: tile {@code t}'s
   * {@code alpha x alpha} patch starts at {@code band[corner[t] + c * channelStride]} for channel {@code c}, rows
   * {@code rowStride} apart (see {@link #band}). Writes {@code v[(xi * channels + c) * stride + t]}. A run shorter
   * than {@code stride} has idle columns: the caller points their corners at any real patch (their products are
   * computed and never used), so the gather needs no branch.
   *
   * @param scratch at least {@link #scratchFloats(int)} floats
   */
  public void input(float[] band, int[] corner, int channels, int channelStride, int rowStride,
      float[] v, int stride, float[] scratch) {
    int a2 = alpha * alpha;
    int row = CHANNELS * stride; // a scratch row: a block of channels' tiles
    int e = a2 * row; // scratch: patches d at 0, half-transformed rows at e
    for (int c0 = 0; c0 < channels; c0 += CHANNELS) {
      int block = Math.min(CHANNELS, channels - c0), length = block * stride;
      // d[i][j][c][t]: element (i, j) of every tile's patch, per channel a row of tiles
      for (int i = 0; i < alpha; i++) {
        for (int j = 0; j < alpha; j++) {
          for (int c = 0; c < block; c++) {
            int to = (i * alpha + j) * row + c * stride, off = (c0 + c) * channelStride + i * rowStride + j;
            for (int t = 0; t < stride; t += L) FloatVector.fromArray(S, band, off, corner, t).intoArray(scratch, to + t);
          }
        }
      }
      // BT d: row k of the half-transform combines the patch's rows
      for (int k = 0; k < alpha; k++) {
        for (int j = 0; j < alpha; j++) {
          combine(scratch, 0, btColumns[k], btValues[k], alpha, j, row, length, scratch, e + (k * alpha + j) * row);
        }
      }
      // (BT d) BT^T: column l combines the half-transform's columns; channels c0.. are consecutive rows of v
      for (int k = 0; k < alpha; k++) {
        for (int l = 0; l < alpha; l++) {
          combine(scratch, 0, btColumns[l], btValues[l], 1, a2 + k * alpha, row, length, v,
              ((k * alpha + l) * channels + c0) * stride);
        }
      }
    }
  }

  /**
   * {@code to[toBase + q] = sum_n values[n] * from[fromBase + (columns[n] * step + offset) * row + q]} for {@code q
   * < length}: one row of a transform, a linear combination of rows ({@code row} floats apart).
   */
  private static void combine(float[] from, int fromBase, int[] columns, float[] values, int step, int offset,
      int row, int length, float[] to, int toBase) {
    for (int q = 0; q < length; q += 4 * L) { // lengths: whole register tiles of 32
      FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
      for (int n = 0; n < columns.length; n++) {
        int at = fromBase + (columns[n] * step + offset) * row + q;
        FloatVector c = FloatVector.broadcast(S, values[n]);
        s0 = FloatVector.fromArray(S, from, at).fma(c, s0);
        s1 = FloatVector.fromArray(S, from, at + L).fma(c, s1);
        s2 = FloatVector.fromArray(S, from, at + 2 * L).fma(c, s2);
        s3 = FloatVector.fromArray(S, from, at + 3 * L).fma(c, s3);
      }
      s0.intoArray(to, toBase + q);
      s1.intoArray(to, toBase + q + L);
      s2.intoArray(to, toBase + q + 2 * L);
      s3.intoArray(to, toBase + q + 3 * L);
    }
  }

  /**
   * The output transform of a block of {@link #FILTERS} filters' products: element {@code xi}'s products for filter
   * {@code i} of the block are {@code sums[base + xi * elementStride + i * stride + t]} for tile {@code t} (the
   * block's rows end to end, as {@link VectorConv#sums} writes them with row stride {@code stride}). Writes output
   * {@code (i, j)} of filter {@code f}'s tile {@code t} to {@code y[((i * m + j) * FILTERS + f) * stride + t]}.
   *
   * @param scratch at least {@link #scratchFloats(int)} floats
   */
  public void output(float[] sums, int base, int elementStride, float[] y, int stride, float[] scratch) {
    int row = FILTERS * stride;
    // AT M: row i of the half-transform combines the product rows of elements (k, l) over k
    for (int i = 0; i < m; i++) {
      for (int l = 0; l < alpha; l++) {
        combine(sums, base, atColumns[i], atValues[i], alpha, l, elementStride, row, scratch, (i * alpha + l) * row);
      }
    }
    // (AT M) AT^T
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        combine(scratch, 0, atColumns[j], atValues[j], 1, i * alpha, row, row, y, (i * m + j) * row);
      }
    }
  }
}
