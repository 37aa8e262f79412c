/*
 * buildlog.h - what an sbuild log says: the summary sbuild ends every log
 * with ("Status: successful", "Fail-Stage: build", Package, Version,
 * Build-Time) and, for a failed build, the first line that says why (a
 * compiler error, a missing build dependency, a failing make, a dpkg or
 * debhelper error), with its line number.  The report and the build
 * command print it; they never re-read the log themselves.
 */
#ifndef BT_BUILDLOG_H
#define BT_BUILDLOG_H

#include <stddef.h>
#include <stdio.h>

struct buildlog {
	char *status;      /* successful, attempted, failed, given-back, ...;
			      NULL when the log has no summary */
	char *fail_stage;  /* fetch-src, install-deps, build, ...; or NULL */
	char *package, *version, *distribution; /* or NULL */
	long build_time;   /* seconds, -1 unknown */
	char *first_error; /* or NULL */
	long error_line;   /* 1-based line of first_error, 0 none */
};

/* Parse a log (text need not be NUL-terminated).  Always succeeds; a log
   without a summary has status NULL. */
void buildlog_parse(const char *text, size_t len, struct buildlog *out);

/* Read and parse a file: 0, or -1 after an error. */
int buildlog_read(const char *path, struct buildlog *out);
void buildlog_release(struct buildlog *b);

/* Did sbuild say "Status: successful"? */
int buildlog_ok(const struct buildlog *b);

/* One line: "built", or "failed at STAGE (Status: S)" / "no sbuild
   summary in the log". */
void buildlog_describe(const struct buildlog *b, FILE *f);

/* The report's "## Build" section (Markdown). */
void buildlog_write_markdown(const struct buildlog *b, const char *log_path,
			     FILE *f);

#endif
