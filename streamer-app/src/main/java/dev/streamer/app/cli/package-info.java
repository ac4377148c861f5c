/** The subcommands: {@code stream}, {@code devices}, {@code plugins}. */
package dev.streamer.app.cli;
