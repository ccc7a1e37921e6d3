package dev.netc.runtime.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
  /**
   * Back-to-back runs of different sizes and tasks: every index of every run executes exactly once, with that
   * run's task. (A worker left over from one run must never claim an index of the next.)
   */
  @Test
  void tinyRunsStayOnTheCallerAndLargerOnesUseTheWorkers() {
    try (Parallel p = new Parallel(2)) {
      Thread caller = Thread.currentThread();
      AtomicIntegerArray others = new AtomicIntegerArray(1);
      p.run(64, (task, worker) -> {
        if (Thread.currentThread() != caller || worker != 0) others.incrementAndGet(0);
      }, Parallel.INLINE_WORK - 1);
      assertEquals(0, others.get(0), "below the threshold every task runs on the caller as worker 0");
      AtomicIntegerArray done = new AtomicIntegerArray(64);
      p.run(64, (task, worker) -> done.incrementAndGet(task), Parallel.INLINE_WORK);
      for (int i = 0; i < 64; i++) assertEquals(1, done.get(i), "task " + i);
    }
  }

  @Test
  void everyIndexRunsExactlyOnceAcrossManyRuns() {
    try (Parallel p = new Parallel(4)) {
      for (int run = 0; run < 20_000; run++) {
        int n = 1 + (run * 7919) % 37;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        int tag = run;
        int[] seenTag = new int[] {tag};
        p.run(n, (task, worker) -> {
          if (seenTag[0] != tag) throw new AssertionError("stale task");
          hits.incrementAndGet(task);
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "run " + run + " index " + i);
      }
    }
  }

  @Test
  void workerIndicesAreInRange() {
    try (Parallel p = new Parallel(3)) {
      AtomicIntegerArray perWorker = new AtomicIntegerArray(3);
      p.run(1000, (task, worker) -> perWorker.incrementAndGet(worker));
      assertEquals(1000, perWorker.get(0) + perWorker.get(1) + perWorker.get(2));
    }
  }

  @Test
  void failuresReachTheCaller() {
    try (Parallel p = new Parallel(2)) {
      IllegalStateException boom = new IllegalStateException("boom");
      IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> p.run(10, (task, worker) -> {
        if (task == 7) throw boom;
      }));
      assertSame(boom, thrown);
      p.run(5, (task, worker) -> {}); // still usable
    }
  }

  @Test
  void closedRefuses() {
    Parallel p = new Parallel(2);
    p.close();
    assertThrows(IllegalStateException.class, () -> p.run(3, (t, w) -> {}));
  }
}
