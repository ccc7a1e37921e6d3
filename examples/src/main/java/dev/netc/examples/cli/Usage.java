package dev.netc.examples.cli;

/** The help text of {@code netc help}, and the short reminder printed after a usage error. */
final class Usage {
  private Usage() {}

  static final String SHORT = "usage: netc list | summary NAME | run NAME --weights W --input X.npy ... | bench NAME ..."
      + " | train NAME --data fashion-mnist --out W.safetensors ... | eval NAME --weights W --data fashion-mnist ..."
      + " | figure1 ... | demo"
      + " | help\nrun 'netc help' for details";

  static final String FULL = String.join("\n",
      "netc: run and inspect the example networks compiled by netc",
      "",
      "usage:",
      "  netc list",
      "      the example networks with input shape, output shape and parameter count",
      "  netc summary NAME",
      "      the layers as described, the fused groups as they run, and totals",
      "  netc run NAME --weights W.safetensors --input X.npy [--output Y.npy] [--top K]",
      "               [--backend java|opencl|reference|auto] [--threads T] [--kernels K]",
      "      runs the images of X.npy (float32 [N, C, H, W], or [C, H, W] for one image);",
      "      writes [N, classes] (or [N, C, H, W] for spatial outputs) to Y.npy and/or prints",
      "      the K best classes of each image; --weights synthetic uses netc's deterministic",
      "      synthetic weights; --backend auto (the default) takes OpenCL when a device",
      "      exists, else Java, and says which",
      "  netc bench NAME [--weights W] [--backend java|opencl|reference|auto] [--batch N]",
      "                 [--warmup S] [--seconds S] [--threads T] [--profile] [--kernels K]",
      "      times forward passes on synthetic input and weights (or the weights file W): median and",
      "      spread of ms per batch and per image, images/s, the load time and the first pass (their",
      "      sum is the start-up to the first result) (defaults: batch 1, warm-up "
          + (int) BenchCommand.DEFAULT_WARMUP_S + " s,",
      "      measure " + (int) BenchCommand.DEFAULT_SECONDS + " s, threads = cores); --profile (OpenCL) adds a table of",
      "      kernels with time, share, GFLOP/s and GB/s from profiling events",
      "  netc train NAME --data fashion-mnist --out W.safetensors [--epochs N] [--batch B] [--lr R]",
      "                 [--momentum M] [--weight-decay D] [--schedule S] [--init kaiming|paper]",
      "                 [--augment none|flip|crop|crop+flip] [--validation N] [--limit N] [--seed S]",
      "                 [--backend java|opencl|auto] [--threads T] [--resume W.checkpoint.safetensors]",
      "      trains with the AlexNet paper's SGD (defaults: " + TrainCommand.DEFAULT_EPOCHS
          + " epochs, batch " + TrainCommand.DEFAULT_BATCH + ",",
      "      lr 0.01, momentum 0.9, weight decay 0.0005, schedule plateau = lr / 10 when the validation",
      "      error stops improving for 2 epochs, at most 3 times; also constant, step:EVERY:FACTOR,",
      "      plateau:PATIENCE[:FACTOR:MAX]); holds out --validation images (default "
          + TrainCommand.DEFAULT_VALIDATION + ") of the training",
      "      split; after each epoch writes W.safetensors (loads in 'netc run' and PyTorch),",
      "      W.checkpoint.safetensors (for --resume), W.history.csv and W.png (loss and error plot);",
      "      --data is fashion-mnist (apt-get install dataset-fashion-mnist) or a directory of its IDX files;",
      "      --backend java (the default; --threads T workers) or opencl (the device 'netc run' uses,",
      "      NETC_OPENCL_DEVICE picks one; SGD stays on the host) or auto (OpenCL when a device exists)",
      "  netc eval NAME --weights W --data fashion-mnist [--split test|train] [--show K] [--limit N] [--flip-average]",
      "                [--backend java|opencl|reference|auto] [--batch N] [--threads T] [--kernels K]",
      "      top-1/top-5 error, mean loss and confusion matrix of the inference model on the split",
      "      (default test); --show K prints the best classes of the first K images; --flip-average",
      "      averages each image's probabilities with its mirror image's (test-time augmentation)",
      "  netc figure1 --data fashion-mnist --out DIR [--epochs N] [--batch B] [--lr R] [--seed S]",
      "               [--init kaiming|paper] [--limit N] [--backend java|opencl|auto] [--threads T]",
      "      the AlexNet paper's Figure 1 redone: the four-layer network with ReLU and with tanh,",
      "      same weights, batches and SGD; prints the iterations each needs to reach 25% training",
      "      error and their ratio; writes DIR/figure1.csv and DIR/figure1.png",
      "  netc demo [--epochs N] [--out DIR] [--backend java|opencl|auto] [--threads T]",
      "      trains LeNet5 on Fashion-MNIST (default " + DemoCommand.EPOCHS + " epochs, into " + DemoCommand.DIRECTORY
          + "/), then reports its test accuracy",
      "      and classifies the first test images with the trained model",
      "  netc help",
      "      this text",
      "",
      "NAME is a network's class name in any case, e.g. alexnet or LeNet5 (see 'netc list').",
      "Exit codes: 0 success, 1 error (bad file, failed load), 2 bad command line.",
      "OpenCL device: NETC_OPENCL_DEVICE (or -Dnetc.opencl.device) = index 'P:D' or a name fragment.",
      "OpenCL kernels (--kernels K, or NETC_OPENCL_VARIANT): auto (a variant tuned earlier on this device,",
      "else the one for its type), cpu, gpu, or tune (time both once here and remember the faster).",
      "Set NETC_DEBUG=1 for stack traces; JVM options go in JAVA_OPTS.",
      "");
}
