/** Conversation and preference records, OASST trees, format adapters and validation. */
package io.sygra.schema;
