/**
 * An in-process {@link io.sygra.llm.Embedder} running all-MiniLM-L6-v2 (quantized ONNX, 384
 * dimensions): semantic dedup and similarity without an embeddings server. Optional module: the
 * ONNX runtime and the model weigh tens of megabytes, so the main jars do not carry them.
 */
package io.sygra.embeddings.minilm;
