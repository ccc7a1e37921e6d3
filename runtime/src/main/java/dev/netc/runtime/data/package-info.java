/**
 * Training data: the IDX format of MNIST and Fashion-MNIST ({@link Idx}), labelled image sets ({@link
 * LabelledImages}, {@link FashionMnist}), shuffled mini-batches ({@link Batches}) and the augmentations of the
 * AlexNet paper ({@link Augmentation}).
 */
package dev.netc.runtime.data;
