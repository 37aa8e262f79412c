/*
 * dep3.h - DEP-3 patch headers (https://dep-team.pages.debian.net/deps/dep3/)
 * for the patches package writes into debian/patches.
 *
 * The header a patch came with is kept byte for byte: a git format-patch
 * mail header already is DEP-3 (From: is Author:, Subject: is Description:),
 * and fields it already has are never added twice or rewritten.  What is
 * missing is added from what is actually known (the parsed mail header, the
 * upstream commit, the bug), and nothing else: no template text, no field
 * without a value.
 */
#ifndef BT_DEP3_H
#define BT_DEP3_H

#include <time.h>

#include "input/patch.h"
#include "util.h"

struct dep3_info {
	const char *commit_url;       /* upstream commit's web page, or NULL */
	int backport;                 /* hunks had to change: "backport, URL" */
	const char *bug_ubuntu;       /* "1887930" -> Bug-Ubuntu, or NULL */
	const char *bug_debian;       /* "1024" -> Bug-Debian, or NULL */
	const char *applied_upstream; /* e.g. "5.1.0" -> Applied-Upstream */
	const char *last_update;      /* "YYYY-MM-DD", or NULL */
	const char *description;      /* when the patch has no subject */
	const char *adapted;          /* the hunks adapted to the target and
					 how: a "[backport: ...]" line */
};

/* base + commit id ("https://gitlab.com/qemu-project/qemu/-/commit/" +
   "0123abcd..."); nothing when either is NULL. */
void dep3_commit_url(const char *base, const char *commit, struct strbuf *out);

/* "YYYY-MM-DD" of t in UTC. */
void dep3_format_date(time_t t, struct strbuf *out);

/*
 * Is the field (e.g. "Origin") in the header: a line starting "Origin:" in
 * any case?  Aliases count: Subject for Description, From for Author.
 */
int dep3_has_field(const char *header, size_t len, const char *field);

/*
 * Append to out the patch's header completed with the DEP-3 fields it
 * lacks.  The fields go at the end of the header's first paragraph when
 * that paragraph is made of fields (a mail header or a DEP-3 header), and
 * in a new first paragraph otherwise.  info->adapted goes in a line
 * "[backport: ...]" at the end of the message (before a mail's "---").
 * Returns 0, or -1 after an error when
 * nothing describes the patch (no Description/Subject, no subject, no
 * info->description).
 */
int dep3_complete(const struct patch *p, const struct dep3_info *info,
		  struct strbuf *out);

#endif
