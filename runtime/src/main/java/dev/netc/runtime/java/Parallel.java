package dev.netc.runtime.java;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A tiny fork-join for generated kernels: {@link #run} hands tasks {@code 0 .. n-1} to the calling thread and
 * a fixed set of daemon workers, and returns when all are done. Nothing is allocated per call, so a forward
 * pass in steady state creates no garbage; the workers park between calls.
 *
 * <p>Tiny runs stay on the caller ({@link #run(int, Task, long)}): waking the workers costs more than a layer of
 * a few thousand multiply-adds (LeNet-5's last dense layers at batch 1). The caller spins briefly before it parks
 * to wait for the workers: parking alone added its wake-up granularity to every layer (LeNet-5 at batch 1 went
 * from about 0.10 to 0.08 ms with the spin).
 *
 * <p>One {@code Parallel} serves one model and is not re-entrant: the model serialises its callers.
 */
public final class Parallel implements AutoCloseable {

  /** A unit of work: {@code task} in {@code 0 .. n-1}; {@code worker} in {@code 0 .. threads()-1} picks scratch. */
  @FunctionalInterface
  public interface Task {
    void run(int task, int worker);
  }

  private final Thread[] workers;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger unfinished = new AtomicInteger();
  /** Workers between looking for a run and leaving it; a run ends only when this is 0 (see run). */
  private final AtomicInteger inside = new AtomicInteger();
  private volatile Task current;
  private volatile int count;
  private volatile long generation;
  private volatile boolean closed;
  private volatile Thread caller;
  private volatile Throwable failure;

  /** Threads to use by default: the machine's cores, or {@code -Dnetc.threads=N}. */
  public static int defaultThreads() {
    Integer configured = Integer.getInteger("netc.threads");
    return configured != null && configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
  }

  public Parallel(int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    workers = new Thread[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      int id = i + 1;
      workers[i] = new Thread(() -> workLoop(id), "netc-worker-" + id);
      workers[i].setDaemon(true);
      workers[i].start();
    }
  }

  /** Number of threads that run tasks, the caller included. */
  public int threads() {
    return workers.length + 1;
  }

  /**
   * Work below which {@link #run(int, Task, long)} runs on the caller alone: about 5-10 microseconds of one
   * core's multiply-adds in the plain kernels, the order of what handing tasks to parked workers and waiting for
   * them costs. Measured on LeNet-5 at batch 1 (2-core VM, loaded): 20,000 gave 38 us per image, 100,000 33 us,
   * 300,000 and more 26-27 us (everything on one core). {@code -Dnetc.inlineWork=N} changes it (0: always use the
   * workers).
   */
  static final long INLINE_WORK = Long.getLong("netc.inlineWork", 100_000L);

  /**
   * As {@link #run(int, Task)}, on the calling thread alone when {@code work} (the run's multiply-adds plus the
   * values it writes, an estimate the generated code computes from the layer's shape) is below {@link
   * #INLINE_WORK}.
   */
  public void run(int n, Task task, long work) {
    if (work < INLINE_WORK) {
      if (closed) throw new IllegalStateException("Parallel is closed");
      for (int i = 0; i < n; i++) task.run(i, 0);
      return;
    }
    run(n, task);
  }

  /** Runs tasks {@code 0 .. n-1} and waits for all of them; rethrows the first failure. */
  public void run(int n, Task task) {
    if (closed) throw new IllegalStateException("Parallel is closed");
    if (n <= 0) return;
    if (n == 1 || workers.length == 0) {
      for (int i = 0; i < n; i++) task.run(i, 0);
      return;
    }
    failure = null;
    caller = Thread.currentThread();
    count = n;
    next.set(0);
    unfinished.set(n);
    current = task; // after the counters: a worker that sees this task sees its counters
    generation++;
    for (Thread w : workers) LockSupport.unpark(w);
    drain(task, n, 0);
    // The workers usually finish within microseconds of the caller: spin a little before parking, whose
    // wake-up granularity (tens of microseconds) would otherwise be added to every layer.
    for (int spin = 0; spin < 4_000 && unfinished.get() > 0; spin++) {
      Thread.onSpinWait();
    }
    while (unfinished.get() > 0) {
      LockSupport.parkNanos(this, 20_000L);
    }
    // A late worker may still hold this task; wait until none is inside, so that it cannot claim an index of
    // the next run (whose counters restart at 0) for this run's task.
    current = null;
    while (inside.get() > 0) {
      Thread.onSpinWait();
    }
    Throwable f = failure;
    if (f != null) {
      if (f instanceof RuntimeException r) throw r;
      if (f instanceof Error e) throw e;
      throw new IllegalStateException(f);
    }
  }

  private void drain(Task task, int n, int worker) {
    int i;
    while ((i = next.getAndIncrement()) < n) {
      try {
        task.run(i, worker);
      } catch (Throwable t) {
        if (failure == null) failure = t;
      } finally {
        if (unfinished.decrementAndGet() == 0) LockSupport.unpark(caller);
      }
    }
  }

  private void workLoop(int id) {
    long seen = 0;
    while (!closed) {
      inside.incrementAndGet();
      long g = generation;
      Task task = current;
      if (g != seen && task != null) {
        seen = g;
        drain(task, count, id);
        inside.decrementAndGet();
      } else {
        inside.decrementAndGet();
        LockSupport.park(this);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread w : workers) LockSupport.unpark(w);
  }
}
