package dev.netc.runtime.data;

/** Eigen-decomposition of a symmetric 3 x 3 matrix by cyclic Jacobi rotations (exact enough in a few sweeps). */
final class Symmetric3 {
  private Symmetric3() {}

  /**
   * @param m the matrix (not modified)
   * @param vectors receives the unit eigenvectors, {@code vectors[k]} for the k-th value
   * @return the eigenvalues, largest first
   */
  static double[] eigen(double[][] m, double[][] vectors) {
    double[][] a = {m[0].clone(), m[1].clone(), m[2].clone()};
    double[][] v = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    for (int sweep = 0; sweep < 50; sweep++) {
      double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
      if (off < 1e-30) break;
      for (int p = 0; p < 2; p++) {
        for (int q = p + 1; q < 3; q++) {
          if (Math.abs(a[p][q]) < 1e-300) continue;
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) t = 1;
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < 3; k++) { // A <- A J
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < 3; k++) { // A <- J^T A
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
          for (int k = 0; k < 3; k++) { // V <- V J
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    Integer[] idx = {0, 1, 2};
    java.util.Arrays.sort(idx, (x, y) -> Double.compare(a[y][y], a[x][x]));
    double[] values = new double[3];
    for (int k = 0; k < 3; k++) {
      values[k] = a[idx[k]][idx[k]];
      for (int c = 0; c < 3; c++) vectors[k][c] = v[c][idx[k]];
    }
    return values;
  }
}
