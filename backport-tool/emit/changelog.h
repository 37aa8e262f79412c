/*
 * changelog.h - debian/changelog: read the top entry, write a new one.
 *
 * The format is deb-changelog(5):
 *
 *     pkg (version) dist; urgency=medium
 *
 *       * bullet, wrapped under 80 columns
 *
 *      -- Name <email>  Mon, 23 Nov 2026 13:39:59 +0000
 *
 * The date is RFC 2822 in UTC (as `date -R -u`), taken from
 * SOURCE_DATE_EPOCH when set so that builds are reproducible.
 */
#ifndef BT_CHANGELOG_H
#define BT_CHANGELOG_H

#include <stddef.h>
#include <time.h>

#include "util.h"

struct changelog_entry {
	char *package;
	char *version;
	char *distribution;   /* "focal" or "bullseye-security ..." as written */
	char *urgency;        /* NULL when the line has none */
	char *body;           /* the lines between header and trailer */
	size_t len;           /* bytes of the entry, trailer line included */
};

/*
 * Parse the first entry of a changelog (data is NUL-terminated).  name is
 * used in messages.  Returns 0, or -1 after an error naming the line.
 */
int changelog_read_top(const char *name, const char *data,
		       struct changelog_entry *e);
void changelog_entry_release(struct changelog_entry *e);

/* Does the entry's body hold this exact bullet text (wrapped or not)? */
int changelog_entry_has_bullet(const struct changelog_entry *e,
			       const char *bullet);

/*
 * "Name <email>" from DEBFULLNAME and DEBEMAIL (the values are passed in so
 * tests need not touch the environment).  DEBEMAIL may itself be
 * "Name <email>".  Returns 0, or -1 after an error saying what to set.
 */
int changelog_maintainer(const char *fullname, const char *email,
			 struct strbuf *out);

/*
 * changelog_maintainer() from the environment, as dch reads it: DEBFULLNAME,
 * else NAME; DEBEMAIL, else EMAIL.  dch's last resort, the passwd entry
 * and user@host, is not taken: a changelog signed "root <root@vm>" would
 * go out unnoticed.  Commands call it before writing anything.
 */
int changelog_maintainer_env(struct strbuf *out);

/* The time of the entry: SOURCE_DATE_EPOCH (value passed in) or now.
   Returns 0, or -1 when the value is not a number of seconds. */
int changelog_time(const char *source_date_epoch, time_t *out);

/* RFC 2822 in UTC: "Mon, 23 Nov 2026 13:39:59 +0000". */
void changelog_format_date(time_t t, struct strbuf *out);

struct changelog_new {
	const char *package, *version, *distribution, *urgency;
	const char *const *bullets;
	size_t nbullets;
	const char *maintainer; /* "Name <email>" */
	time_t when;
};

/* Append one entry (ending with a blank line) to out: 0, or -1 after an
   error (an empty or invalid field, no bullets).  A word longer than a
   line stays whole on its own line. */
int changelog_format_entry(const struct changelog_new *n, struct strbuf *out);

/* Append one "  * text" bullet, wrapped as changelog_format_entry does. */
void changelog_format_bullet(const char *text, struct strbuf *out);

/*
 * Add bullets to the end of the top entry of a whole changelog text (data,
 * whose top entry is e), writing the new text to out.  The entry keeps its
 * version, distribution and trailer.  Returns 0, or -1 after an error.
 */
int changelog_amend_top(const char *data, const struct changelog_entry *e,
			const char *const *bullets, size_t n,
			struct strbuf *out);

/* Longest line an entry has (columns), under 80 as lintian asks. */
#define CHANGELOG_WIDTH 79

#endif
