/**
 * Training: the reference trainer ({@link ReferenceTrainer}), which differentiates a graph in double
 * precision as the oracle for generated backward passes, and the paper's optimiser ({@link Sgd}).
 */
package dev.netc.runtime.train;
