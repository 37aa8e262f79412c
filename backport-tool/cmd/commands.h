/*
 * commands.h - the subcommands main() dispatches to.  Each lives in its own
 * cmd_<name>.c, parses its own options, and returns an exit status
 * (EXIT_OK, EXIT_CONFLICT, EXIT_USAGE).
 */
#ifndef BT_COMMANDS_H
#define BT_COMMANDS_H

int cmd_check(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_interdiff(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_package(int argc, char **argv);
int cmd_headers(int argc, char **argv);
int cmd_release(int argc, char **argv);
int cmd_deps(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_distance(int argc, char **argv);
int cmd_build(int argc, char **argv);

#endif
