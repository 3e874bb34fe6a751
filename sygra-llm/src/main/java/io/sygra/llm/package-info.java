/** Model clients, resilience, response cache, structured output, tools and LLM nodes. */
package io.sygra.llm;
