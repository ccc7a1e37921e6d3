/**
 * Training: the paper's optimiser ({@link dev.netc.runtime.train.Sgd}) and what a training command is built
 * from: learning-rate schedules ({@link dev.netc.runtime.train.LearningRateSchedule}: constant, step, the
 * paper's plateau rule), weight initialisation ({@link dev.netc.runtime.train.Initialisation}), evaluation
 * ({@link dev.netc.runtime.train.Evaluation}, {@link dev.netc.runtime.train.ConfusionMatrix}, {@link
 * dev.netc.runtime.train.TopK}), a progress line ({@link dev.netc.runtime.train.ProgressBar}), charts ({@link
 * dev.netc.runtime.train.LineChart}), and resumable state ({@link dev.netc.runtime.train.Checkpoint}, {@link
 * dev.netc.runtime.train.TrainingHistory}). The reference trainer, the oracle for generated backward passes,
 * is {@code dev.netc.runtime.reference.ReferenceTrainer}.
 */
package dev.netc.runtime.train;
