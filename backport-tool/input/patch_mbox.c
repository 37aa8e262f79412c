/*
 * patch_mbox.c - mboxes (git format-patch --stdout) and patch files: one
 * patch per message, cover letters skipped, errors naming the line in the
 * whole file.
 */
#include "input/patch_parse_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <sys/stat.h>

/* --- mboxes -------------------------------------------------------------- */

static int is_weekday_month(const char *s, const char *end)
{
	return end - s >= 8 && isupper((unsigned char)s[0]) &&
	       islower((unsigned char)s[1]) && islower((unsigned char)s[2]) &&
	       s[3] == ' ' && isupper((unsigned char)s[4]) &&
	       islower((unsigned char)s[5]) && islower((unsigned char)s[6]) &&
	       s[7] == ' ';
}

/* "From <sha1> Mon Sep 17 00:00:00 2001" or an mbox "From addr Date". */
int mbox_is_from(const struct line *l)
{
	const char *s = l->s + 5, *end = l->s + l->len, *sp;

	if (!starts(l, "From "))
		return 0;
	sp = memchr(s, ' ', (size_t)(end - s));
	if (!sp || sp == s)
		return 0;
	if (sp - s == 40 && parse_is_hex_word(s, 40))
		return 1;
	while (sp < end && *sp == ' ')
		sp++;
	return is_weekday_month(sp, end);
}

/* A cover letter: "[PATCH 0/N]" and no diff of its own. */
static int is_cover_letter(const char *s, const char *end)
{
	struct line l;

	while (line_at(s, end, &l) && len_nocr(&l)) {
		if (parse_key_is(&l, "Subject:")) {
			const char *t = l.s, *e = l.s + l.len;

			for (; t + 2 < e; t++)
				if (*t == '/' && t > l.s &&
				    (t[-1] == '0') &&
				    (t - 1 == l.s || !isdigit((unsigned char)t[-2]) ||
				     t[-2] == '0'))
					break;
			if (t + 2 >= e)
				return 0;
			return !memmem(s, (size_t)(end - s), "\n@@ -", 5);
		}
		s = l.next;
	}
	return 0;
}

/* Where each message of an mbox starts (and on which line). */
struct mbox_split {
	const char **at;
	long *line;
	size_t n, alloc, alloc_line;
};

static void mbox_split(struct mbox_split *ms, const char *buf,
		       const char *end)
{
	const char *s, *t;
	struct line l;
	long lineno = 1;

	for (s = buf; line_at(s, end, &l); s = l.next, lineno++) {
		if (s != buf && !mbox_is_from(&l))
			continue;
		ALLOC_GROW(ms->at, ms->n + 1, ms->alloc);
		ALLOC_GROW(ms->line, ms->n + 1, ms->alloc_line);
		ms->at[ms->n] = s;
		ms->line[ms->n++] = lineno;
	}
	/*
	 * An mbox starts with a "From " line, after blank lines at most.  Any
	 * other text is one patch that quotes mails in its header (Debian's
	 * "Combined backport of ... From <sha1> ..." patches), not an mbox.
	 */
	if (ms->n < 2 || (line_at(buf, end, &l) && mbox_is_from(&l)))
		return;
	for (t = buf; t < ms->at[1] && isspace((unsigned char)*t); t++)
		;
	if (t < ms->at[1]) {
		ms->n = 1;
		return;
	}
	memmove(ms->at, ms->at + 1, --ms->n * sizeof(*ms->at));
	memmove(ms->line, ms->line + 1, ms->n * sizeof(*ms->line));
}

static int list_append(struct patch_list *list, struct patch *p)
{
	ALLOC_GROW(list->v, list->n + 1, list->alloc);
	list->v[list->n++] = *p;
	return 0;
}

/*
 * A regular file too large to read is refused before reading it, so that
 * a sparse 4 GB file costs a stat, not a gigabyte of memory.
 */
static int check_size(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") && !stat(path, &st) && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > MAX_INPUT_SIZE)
		return error_at(path, 0, "larger than %zu bytes, refused",
				MAX_INPUT_SIZE);
	return 0;
}

int patch_list_read_file(struct patch_list *list, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	struct mbox_split ms = { NULL, NULL, 0, 0, 0 };
	struct patch p;
	const char *end;
	size_t i, k = 1;
	int ret = 0;

	if (check_size(path) || read_whole_file(path, MAX_INPUT_SIZE, &sb))
		return -1;
	end = sb.buf + sb.len;
	mbox_split(&ms, sb.buf, end);
	if (ms.n <= 1) {
		size_t n;
		char *buf = sb_detach(&sb, &n);

		free(ms.at);
		free(ms.line);
		if (patch_parse(&p, path, buf, n))
			return -1;
		return list_append(list, &p);
	}
	for (i = 0; i < ms.n && !ret; i++) {
		const char *s = ms.at[i];
		const char *e = i + 1 < ms.n ? ms.at[i + 1] : end;
		struct strbuf name = STRBUF_INIT;

		if (is_cover_letter(s, e))
			continue;
		sb_init(&name);
		sb_addf(&name, "%s:%zu", path, k++);
		ret = patch_parse_at(&p, name.buf, path, ms.line[i],
				     xstrndup(s, (size_t)(e - s)),
				     (size_t)(e - s));
		if (!ret)
			list_append(list, &p);
		sb_release(&name);
	}
	free(ms.at);
	free(ms.line);
	sb_release(&sb);
	return ret;
}
