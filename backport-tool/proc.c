/*
 * proc.c - run another program with fork and execvp (see proc.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

/* In the child: only async-signal-safe calls, messages with write(2). */
static void child_fail(const char *what, const char *name)
{
	const char *msg = strerror(errno);

	(void)!write(2, PROGRAM_NAME ": ", strlen(PROGRAM_NAME ": "));
	(void)!write(2, what, strlen(what));
	(void)!write(2, name, strlen(name));
	(void)!write(2, ": ", 2);
	(void)!write(2, msg, strlen(msg));
	(void)!write(2, "\n", 1);
	_exit(127);
}

int proc_run(const char *const *argv, const char *cwd, const char *log,
	     int append)
{
	return proc_run_unset(argv, cwd, log, append, NULL);
}

int proc_run_unset(const char *const *argv, const char *cwd, const char *log,
		   int append, const char *const *unset)
{
	int in, out = -1, status;
	pid_t pid;

	if (log) {
		out = open(log, O_WRONLY | O_CREAT | O_CLOEXEC |
			   (append ? O_APPEND : O_TRUNC), 0644);
		if (out < 0)
			return error("%s: %s", log, strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		if (out >= 0)
			close(out);
		return error("cannot run %s: %s", argv[0], strerror(errno));
	}
	if (pid == 0) {
		in = open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0)
			child_fail("cannot open ", "/dev/null");
		if (out >= 0 && (dup2(out, 1) < 0 || dup2(out, 2) < 0))
			child_fail("cannot write ", log);
		if (cwd && chdir(cwd) < 0)
			child_fail("cannot enter ", cwd);
		/* a single-threaded program: unsetenv is safe after fork */
		for (; unset && *unset; unset++)
			unsetenv(*unset);
		execvp(argv[0], (char *const *)argv);
		child_fail("cannot run ", argv[0]);
	}
	if (out >= 0)
		close(out);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error("waiting for %s: %s", argv[0], strerror(errno));
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int proc_in_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	struct strbuf sb = STRBUF_INIT;
	int found = 0;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	for (p = path ? path : "/usr/bin:/bin"; ; p = end + 1) {
		end = strchrnul(p, ':');
		sb_reset(&sb);
		if (end == p)
			sb_addf(&sb, "./%s", name);
		else
			sb_addf(&sb, "%.*s/%s", (int)(end - p), p, name);
		found = access(sb.buf, X_OK) == 0;
		if (found || !*end)
			break;
	}
	sb_release(&sb);
	return found;
}
