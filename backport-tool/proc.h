/*
 * proc.h - run another program (dpkg-source, sbuild, mmdebstrap) the safe
 * way: fork and exec with an argument vector, never through a shell, so
 * that no file name or field from a package or patch is ever parsed as a
 * command line.
 */
#ifndef BT_PROC_H
#define BT_PROC_H

/*
 * Run argv[0] (looked up in PATH) with argv, in directory cwd (NULL: the
 * current one), standard input from /dev/null, standard output and error
 * into the file log (NULL: inherited; created, or appended to when append
 * is set).  Returns the program's exit status (0..255; 127 when it could
 * not be executed, as a shell says), 128 + the signal that killed it, or
 * -1 after an error message (cannot open the log, cannot fork).
 */
int proc_run(const char *const *argv, const char *cwd, const char *log,
	     int append);

/* The same with the environment variables named in unset (NULL-terminated)
   removed for the program: e.g. the MAKEFLAGS of a make we run under,
   which sbuild would pass on into a package's build. */
int proc_run_unset(const char *const *argv, const char *cwd, const char *log,
		   int append, const char *const *unset);

/* Is the program name found in PATH (as an executable)? */
int proc_in_path(const char *name);

#endif
