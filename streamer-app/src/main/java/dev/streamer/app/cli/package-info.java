/** The subcommands: {@code stream}, {@code devices}, {@code plugins}, {@code config}, {@code profile}. */
package dev.streamer.app.cli;
