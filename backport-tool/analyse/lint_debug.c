/*
 * lint_debug.c - debug/WIP rules: a capability forced by a constant right
 * after it was probed, code disabled with #if 0 or if (0), debug output.
 */
#include "analyse/lint_int.h"

#include <ctype.h>
#include <string.h>

/* ---- debug/WIP rules ---- */

static int is_constant(const char *s, size_t len)
{
	static const char *const consts[] = { "true", "false", "TRUE", "FALSE",
					      "0", "1" };
	size_t i;

	for (i = 0; i < sizeof(consts) / sizeof(consts[0]); i++)
		if (strlen(consts[i]) == len && !strncmp(s, consts[i], len))
			return 1;
	return 0;
}

/*
 * "LVALUE = CONST;" -> the lvalue (the last token, so that a declaration
 * "bool x = true;" yields x).  0 when the line is not such an assignment.
 */
static int const_assignment(const struct pline *pl, const char **lv,
			    size_t *lvlen, const char **cv, size_t *cvlen)
{
	const char *s = pl->text, *eq, *end;
	size_t len = pl->len;

	lint_trim(&s, &len);
	end = s + len;
	if (!len || end[-1] != ';')
		return 0;
	eq = memchr(s, '=', len);
	if (!eq || eq == s || eq + 1 >= end || eq[1] == '=' ||
	    strchr("!<>=+-*/|&^%", eq[-1]))
		return 0;
	*cv = eq + 1;
	*cvlen = (size_t)(end - 1 - *cv);
	lint_trim(cv, cvlen);
	if (!is_constant(*cv, *cvlen))
		return 0;
	*lv = s;
	*lvlen = (size_t)(eq - s);
	lint_trim(lv, lvlen);
	while (*lvlen) {
		const char *sp = memchr(*lv, ' ', *lvlen);
		if (!sp)
			break;
		*lvlen -= (size_t)(sp + 1 - *lv);
		*lv = sp + 1;
	}
	return *lvlen > 0;
}

/* Where lv occurs in s as a whole identifier path, from `from` on. */
static const char *find_lvalue(const char *s, const char *from,
			       const char *end, const char *lv, size_t lvlen)
{
	for (; from + lvlen <= end; from++)
		if (!memcmp(from, lv, lvlen) &&
		    (from == s || !lint_is_ident(from[-1])) &&
		    (from + lvlen == end || !lint_is_ident(from[lvlen])))
			return from;
	return NULL;
}

/*
 * A line that probes a capability and stores the answer in lv: it names a
 * probe-like word and either assigns lv from a call ("lv = f(...)") or
 * passes &lv to one.
 */
static int probes_into(const struct pline *pl, const char *lv, size_t lvlen)
{
	static const char *const probe_words[] = {
		"cap", "has_", "support", "avail", "extension", "feature",
		"probe", "check", "query", "enabled",
	};
	const char *s = pl->text, *end = pl->text + pl->len, *at = s;
	size_t i;
	int probe = 0;

	for (i = 0; i < sizeof(probe_words) / sizeof(probe_words[0]); i++)
		if (lint_find_str_ci(s, pl->len, probe_words[i]))
			probe = 1;
	if (!probe || !memchr(s, '(', pl->len))
		return 0;
	while ((at = find_lvalue(s, at, end, lv, lvlen))) {
		if (at > s && at[-1] == '&')
			return 1;
		at += lvlen;
		while (at < end && *at == ' ')
			at++;
		if (at + 1 < end && *at == '=' && at[1] != '=' &&
		    memchr(at, '(', (size_t)(end - at)))
			return 1;
	}
	return 0;
}

void lint_forced_capability(struct lint_ctx *c,
				   const struct lint_line *lines, size_t n)
{
	size_t i, j, seen;

	for (i = 0; i < n; i++) {
		const char *lv, *cv;
		size_t lvlen, cvlen;

		if (lines[i].pl->kind != '+' ||
		    !const_assignment(lines[i].pl, &lv, &lvlen, &cv, &cvlen))
			continue;
		for (j = i, seen = 0; j-- > 0 && seen < 8;) {
			if (lines[j].pl->kind == '-')
				continue;
			seen++;
			if (!probes_into(lines[j].pl, lv, lvlen))
				continue;
			lint_add(c->out, c->p, LINT_DEBUG, LINT_ERROR,
				 "capability-overridden", lines[i].lineno,
				 c->path,
				 "'%.*s' is forced to %.*s right after it was "
				 "probed (line %ld): the capability check is "
				 "overridden", (int)lvlen, lv, (int)cvlen, cv,
				 lines[j].lineno);
			break;
		}
	}
}

/* "#if 0", "if (0)", "if (false)" on an added line. */
static int disables_code(const struct pline *pl)
{
	const char *s = pl->text;
	size_t len = pl->len;

	lint_trim(&s, &len);
	if (len && *s == '#') {
		s++;
		len--;
		lint_trim(&s, &len);
		if (len < 3 || strncmp(s, "if", 2) || !isspace((unsigned char)s[2]))
			return 0;
		s += 2;
		len -= 2;
		lint_trim(&s, &len);
		return len == 1 && *s == '0';
	}
	return lint_find_str(s, len, "if (0)") || lint_find_str(s, len, "if (false)") ||
	       lint_find_str(s, len, "if(0)") || lint_find_str(s, len, "if(false)");
}

static int is_tool_path(const char *path)
{
	static const char *const prefixes[] = {
		"tests/", "scripts/", "contrib/", "tools/", "qemu-img",
		"qemu-io", "qemu-nbd", "pc-bios/", "roms/",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (lint_has_prefix(path, prefixes[i]))
			return 1;
	return 0;
}

/* fprintf(stderr, ...), printf(...), error_report("DEBUG ...") added. */
static int is_debug_output(const struct pline *pl)
{
	static const char *const reporters[] = {
		"error_report(", "warn_report(", "info_report(", "qemu_log(",
		"fprintf(",
	};
	const char *s = pl->text, *r;
	size_t len = pl->len, i;

	lint_trim(&s, &len);
	if (!len)
		return 0;
	if (lint_find_str(s, len, "fprintf(stderr"))
		return 1;
	if ((r = lint_find_word(s, len, "printf", 0)) &&
	    !strncmp(r, "printf(", 7))
		return 1;
	for (i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++) {
		const char *q;

		r = lint_find_str(s, len, reporters[i]);
		if (!r)
			continue;
		q = memchr(r, '"', len - (size_t)(r - s));
		if (q && (lint_find_str_ci(q, len - (size_t)(q - s), "debug") ||
			  lint_find_str_ci(q, len - (size_t)(q - s), "dbg") ||
			  lint_find_str(q, len - (size_t)(q - s), "XXX")))
			return 1;
	}
	return 0;
}

/*
 * Any package: printf-like output whose text is marked as debugging
 * ("DEBUG: ...", "dbg %d", "XXX"), wherever it is.
 */
static int is_marked_debug_output(const struct pline *pl)
{
	static const char *const printers[] = {
		"printf(", "puts(", "syslog(", "fputs(", "_report(", "log(",
	};
	const char *s = pl->text, *q = NULL;
	size_t len = pl->len, i, rest;

	for (i = 0; i < sizeof(printers) / sizeof(printers[0]) && !q; i++)
		if ((q = lint_find_str(s, len, printers[i])))
			q = memchr(q, '"', len - (size_t)(q - s));
	if (!q)
		return 0;
	rest = len - (size_t)(q - s);
	return lint_find_word(q, rest, "debug", 1) ||
	       lint_find_word(q, rest, "dbg", 1) ||
	       lint_find_word(q, rest, "XXX", 0);
}

void lint_debug_line(struct lint_ctx *c, const struct lint_line *l)
{
	char ex[80];
	int qemu = c->cfg && (c->cfg->sets & LINT_SET_QEMU);

	if (l->pl->kind != '+')
		return;
	lint_line_excerpt(l->pl, ex, sizeof(ex));
	if (disables_code(l->pl))
		lint_add(c->out, c->p, LINT_DEBUG, LINT_WARNING, "code-disabled",
			 l->lineno, c->path,
			 "adds '%s': code switched off rather than removed", ex);
	else if (qemu && !l->in_macro && !is_tool_path(c->path) &&
		 is_debug_output(l->pl)) /* DPRINTF macros are the accepted way */
		lint_add(c->out, c->p, LINT_DEBUG, LINT_WARNING, "debug-output",
			 l->lineno, c->path,
			 "adds output to stderr (%s): debugging left in? "
			 "QEMU reports errors with error_report and traces "
			 "with trace events", ex);
	else if (!qemu && !l->in_macro && is_marked_debug_output(l->pl))
		lint_add(c->out, c->p, LINT_DEBUG, LINT_WARNING, "debug-output",
			 l->lineno, c->path,
			 "adds output marked as debugging (%s): debugging "
			 "left in?", ex);
}

/* The generic set's hunk rules: a capability forced after its probe. */
void lint_generic_hunk(struct lint_ctx *c, const struct hunk *h,
		       const struct lint_line *lines, size_t n)
{
	(void)h;
	if (lint_is_c_source(c->path))
		lint_forced_capability(c, lines, n);
}
