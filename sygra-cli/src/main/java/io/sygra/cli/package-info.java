/** The {@code sygra} command line. */
package io.sygra.cli;
