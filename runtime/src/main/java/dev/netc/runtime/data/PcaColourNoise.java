package dev.netc.runtime.data;

import dev.netc.graph.Shape;
import java.util.SplittableRandom;

/**
 * AlexNet's colour augmentation (section 4.1): principal component analysis of the RGB values of every pixel
 * in the training set, then, per image, adding {@code [p1 p2 p3] [a1 l1, a2 l2, a3 l3]^T} to every pixel,
 * where {@code p_i} and {@code l_i} are the covariance matrix's eigenvectors and eigenvalues and {@code a_i}
 * is drawn once per image from a Gaussian with mean 0 and standard deviation {@code sigma} (0.1 in the paper).
 * Only for 3-channel images.
 */
public final class PcaColourNoise implements Augmentation {
  private final double[] eigenvalues;
  private final double[][] eigenvectors; // eigenvectors[k] is the k-th principal direction
  private final double sigma;

  PcaColourNoise(double[] eigenvalues, double[][] eigenvectors, double sigma) {
    this.eigenvalues = eigenvalues.clone();
    this.eigenvectors = new double[][] {eigenvectors[0].clone(), eigenvectors[1].clone(), eigenvectors[2].clone()};
    this.sigma = sigma;
  }

  /** Fits the principal components of {@code data}'s pixel colours. */
  public static PcaColourNoise fit(LabelledImages data, double sigma) {
    Shape s = data.shape();
    if (s.channels() != 3) {
      throw new IllegalArgumentException("PCA colour noise needs 3-channel images; " + data.name() + " has "
          + s.channels());
    }
    double[] mean = new double[3];
    double[][] cov = new double[3][3];
    long n = 0;
    int plane = s.plane();
    float[] px = data.pixels();
    for (int img = 0; img < data.size(); img++) {
      int base = img * s.size();
      for (int p = 0; p < plane; p++) {
        double r = px[base + p];
        double g = px[base + plane + p];
        double b = px[base + 2 * plane + p];
        double[] v = {r, g, b};
        n++;
        for (int i = 0; i < 3; i++) {
          mean[i] += v[i];
          for (int j = 0; j < 3; j++) cov[i][j] += v[i] * v[j];
        }
      }
    }
    for (int i = 0; i < 3; i++) mean[i] /= n;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) cov[i][j] = cov[i][j] / n - mean[i] * mean[j];
    }
    double[][] vectors = new double[3][3];
    double[] values = Symmetric3.eigen(cov, vectors);
    return new PcaColourNoise(values, vectors, sigma);
  }

  /** The covariance's eigenvalues, largest first. */
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  @Override
  public void apply(float[] images, int offset, Shape shape, SplittableRandom random) {
    double[] shift = new double[3];
    for (int k = 0; k < 3; k++) {
      double a = nextGaussian(random) * sigma * eigenvalues[k];
      for (int c = 0; c < 3; c++) shift[c] += eigenvectors[k][c] * a;
    }
    int plane = shape.plane();
    for (int c = 0; c < 3; c++) {
      float d = (float) shift[c];
      int base = offset + c * plane;
      for (int p = 0; p < plane; p++) images[base + p] += d;
    }
  }

  /** A standard normal draw (Box-Muller); SplittableRandom has none in Java 17. */
  static double nextGaussian(SplittableRandom r) {
    double u = 1.0 - r.nextDouble(); // (0, 1]: log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
