package dev.zkdigest.cli;

import picocli.CommandLine.Command;

/**
 * The {@code zkdigest} command's name, help and exit codes, without its subcommands or options:
 * {@link Main} adds those. A command line that names its subcommand first runs under this one, with
 * that subcommand only, so that picocli does not build the others' models at start-up.
 */
@Command(
    name = "zkdigest",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Who asks ZooKeeper for what, how often, how slowly, and with which errors.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:Success.",
      "1:Failure (input that cannot be read, an address in use, ...).",
      "2:Usage: a wrong option, or a budget file that cannot be used.",
      "3:A --budget rule was broken or could not be decided."
    })
class TopCommand {}
