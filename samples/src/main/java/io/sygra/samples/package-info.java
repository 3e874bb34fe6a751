/** Runnable recipes built with the public API only. */
package io.sygra.samples;
