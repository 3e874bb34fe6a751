/** Graph model, immutable state, core nodes, the streaming runner and the run directory. */
package io.sygra.core;
