package dev.netc.runtime.data;

import dev.netc.graph.Shape;
import dev.netc.runtime.NetcException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Zalando's Fashion-MNIST: 60,000 training and 10,000 test images, 28 x 28 grey, 10 classes, as IDX files
 * ({@code train-images-idx3-ubyte.gz} and so on). By default read from where Debian's package {@code
 * dataset-fashion-mnist} installs them, {@code /usr/share/datasets/fashion-mnist}; another directory through
 * {@link #load(Path, Split)}, the system property {@code netc.data.fashion-mnist} or the environment variable
 * {@code NETC_FASHION_MNIST}.
 */
public final class FashionMnist {
  /** Where Debian's dataset-fashion-mnist puts the files. */
  public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, indexed by label, as the data set's authors list them. */
  public static final String[] CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
      "Sneaker", "Bag", "Ankle boot"};

  /** One image's shape. */
  public static final Shape SHAPE = new Shape(1, 28, 28);

  /** The two halves of the data set. */
  public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
      this.prefix = prefix;
    }
  }

  private FashionMnist() {}

  /** The directory to read from: the property, else the environment variable, else Debian's. */
  public static Path defaultDirectory() {
    String p = System.getProperty("netc.data.fashion-mnist");
    if (p != null && !p.isBlank()) return Path.of(p);
    String e = System.getenv("NETC_FASHION_MNIST");
    if (e != null && !e.isBlank()) return Path.of(e);
    return DEBIAN_DIRECTORY;
  }

  /** Whether the files of both splits are in {@code dir}. */
  public static boolean isInstalled(Path dir) {
    for (Split s : Split.values()) {
      if (!Files.isRegularFile(images(dir, s)) || !Files.isRegularFile(labels(dir, s))) return false;
    }
    return true;
  }

  /** Loads one split from {@link #defaultDirectory()}. */
  public static LabelledImages load(Split split) {
    return load(defaultDirectory(), split);
  }

  /**
   * Loads one split, pixels scaled from {@code 0..255} to {@code [0, 1]}.
   *
   * @throws NetcException when the files are missing (the message says how to install them) or malformed
   */
  public static LabelledImages load(Path dir, Split split) {
    Path imageFile = images(dir, split);
    Path labelFile = labels(dir, split);
    if (!Files.isRegularFile(imageFile) || !Files.isRegularFile(labelFile)) {
      throw new NetcException("Fashion-MNIST is not in " + dir + " (looked for " + imageFile.getFileName() + " and "
          + labelFile.getFileName() + "); install it with 'apt-get install dataset-fashion-mnist', or point"
          + " NETC_FASHION_MNIST (-Dnetc.data.fashion-mnist) at a directory holding the four IDX files");
    }
    Idx.Array images = Idx.read(imageFile, 3);
    Idx.Array labels = Idx.read(labelFile, 1);
    if (images.dims()[1] != SHAPE.height() || images.dims()[2] != SHAPE.width()) {
      throw new NetcException("Fashion-MNIST images in " + imageFile + " are " + images.dims()[1] + " x "
          + images.dims()[2] + ", expected 28 x 28");
    }
    if (images.count() != labels.count()) {
      throw new NetcException(imageFile + " has " + images.count() + " images but " + labelFile + " has "
          + labels.count() + " labels");
    }
    float[] pixels = new float[images.data().length];
    for (int i = 0; i < pixels.length; i++) pixels[i] = (images.data()[i] & 0xff) / 255f;
    int[] y = new int[labels.count()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.data()[i] & 0xff;
      if (y[i] >= CLASSES.length) {
        throw new NetcException(labelFile + ": label " + y[i] + " of image " + i + " is not a Fashion-MNIST class"
            + " (0-9)");
      }
    }
    return new LabelledImages("fashion-mnist " + split.name().toLowerCase(java.util.Locale.ROOT), SHAPE, pixels, y,
        CLASSES.clone());
  }

  private static Path images(Path dir, Split s) {
    return dir.resolve(s.prefix + "-images-idx3-ubyte.gz");
  }

  private static Path labels(Path dir, Split s) {
    return dir.resolve(s.prefix + "-labels-idx1-ubyte.gz");
  }
}
