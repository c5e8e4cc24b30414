/**
 * Named parameter storage: every trainable tensor of the student is a named view into one flat,
 * contiguous buffer, so optimisers and checkpoints work on one array while layers address tensors by
 * their HuggingFace BERT names. Imports only ND4J.
 */
package org.llkd.models.params;
