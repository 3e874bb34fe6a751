/** Two-stage quality tagging: heuristic taggers, dedup and an LLM judge. */
package io.sygra.quality;
