package dev.netc.runtime.java;

/**
 * The three matrices of Winograd's minimal filtering algorithm F(m, r), which computes {@code m} outputs of an
 * {@code r}-tap correlation from {@code alpha = m + r - 1} inputs with {@code alpha} multiplications instead of
 * {@code m * r}: {@code y = AT * ((G * g) .* (BT * d))}. Nested, F(m x m, r x r) computes an {@code m x m} output
 * tile as {@code AT * ((G g G^T) .* (BT d BT^T)) * AT^T}.
 *
 * <p>Built by the Toom-Cook method, in double, rather than copied from a table: a correlation is the transpose of
 * the linear convolution of an {@code m}- and an {@code r}-coefficient polynomial, and that product is found by
 * evaluating both at {@code alpha} points (here {@code 0, 1, -1, 2, -2, 1/2, ...} and infinity, whose "value" is
 * the leading coefficient), multiplying, and interpolating. With {@code Vm}, {@code Vr} the evaluation matrices and
 * {@code V} the square one of the product: {@code AT = Vm^T}, {@code G = Vr}, {@code BT = V^-T}. The points are the
 * usual ones (Lavin and Gray 2016): small integers and halves keep the transforms' rounding error low, which grows
 * with {@code alpha} (see {@code ToomCookTest} for the bounds measured in float).
 *
 * @param m outputs per tile side
 * @param r filter taps per side
 * @param at {@code m x alpha}: from the products to the outputs
 * @param g {@code alpha x r}: from the filter to its transform (applied once, at load)
 * @param bt {@code alpha x alpha}: from the inputs to their transform
 */
public record ToomCook(int m, int r, double[][] at, double[][] g, double[][] bt) {
  /** Finite interpolation points, in the order they are taken; infinity is always the last point. */
  private static final double[] POINTS = {0, 1, -1, 2, -2, 0.5, -0.5, 3, -3};

  /** Inputs per tile side: {@code m + r - 1}. */
  public int alpha() {
    return m + r - 1;
  }

  /** The matrices of F(m, r); {@code alpha} may be at most 10 (nine finite points). */
  public static ToomCook of(int m, int r) {
    int alpha = m + r - 1;
    if (m < 1 || r < 1 || alpha > POINTS.length + 1) {
      throw new IllegalArgumentException("F(" + m + ", " + r + ") needs 1 <= m, r and m + r - 1 <= "
          + (POINTS.length + 1));
    }
    double[][] vm = evaluation(alpha, m);
    double[][] vr = evaluation(alpha, r);
    double[][] vInverse = invert(evaluation(alpha, alpha));
    return new ToomCook(m, r, transpose(vm), vr, transpose(vInverse));
  }

  /**
   * Rows: the points, then infinity; columns: the coefficients of a polynomial with {@code coefficients} terms.
   * Row {@code i} evaluates the polynomial at point {@code i}; the last row picks its leading coefficient.
   */
  private static double[][] evaluation(int alpha, int coefficients) {
    double[][] v = new double[alpha][coefficients];
    for (int i = 0; i < alpha - 1; i++) {
      double power = 1;
      for (int j = 0; j < coefficients; j++) {
        v[i][j] = power;
        power *= POINTS[i];
      }
    }
    v[alpha - 1][coefficients - 1] = 1;
    return v;
  }

  private static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
    }
    return t;
  }

  /** Gauss-Jordan elimination with partial pivoting; the matrices here are at most 10 x 10 and well posed. */
  private static double[][] invert(double[][] a) {
    int n = a.length;
    double[][] x = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, x[i], 0, n);
      x[i][n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int row = col + 1; row < n; row++) {
        if (Math.abs(x[row][col]) > Math.abs(x[pivot][col])) pivot = row;
      }
      double[] swap = x[col];
      x[col] = x[pivot];
      x[pivot] = swap;
      double p = x[col][col];
      for (int j = 0; j < 2 * n; j++) x[col][j] /= p;
      for (int row = 0; row < n; row++) {
        if (row == col || x[row][col] == 0) continue;
        double f = x[row][col];
        for (int j = 0; j < 2 * n; j++) x[row][j] -= f * x[col][j];
      }
    }
    double[][] inverse = new double[n][n];
    for (int i = 0; i < n; i++) System.arraycopy(x[i], n, inverse[i], 0, n);
    return inverse;
  }
}
