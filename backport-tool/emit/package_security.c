/*
 * package_security.c - what a security upload needs beyond a plain one:
 * the CVE ids a patch fixes (from its subject, message and DEP-3 fields,
 * else --cve),
 * patch names as Debian's security tracker matches them (CVE-YYYY-N.patch,
 * CVE-YYYY-N-1.patch ... when several patches fix one CVE), changelog
 * bullets in Debian's ("Fix CVE-...: ...") and Ubuntu's ("SECURITY
 * UPDATE: ...") forms, and where in debian/patches/series new patches go
 * (--before PATCH, else a marker comment such as "# Always add CVE patches
 * before these two patches", else the end).
 */
#include "emit/package.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Length of a CVE id at s ("CVE-2022-40674"), or 0. */
static size_t cve_len(const char *s)
{
	size_t n;

	if (strncasecmp(s, "CVE-", 4))
		return 0;
	for (n = 4; n < 8; n++)
		if (!isdigit((unsigned char)s[n]))
			return 0;
	if (s[8] != '-')
		return 0;
	for (n = 9; isdigit((unsigned char)s[n]); n++)
		;
	if (n < 13 || isalnum((unsigned char)s[n]))
		return 0;
	return n;
}

int package_cve_valid(const char *id)
{
	return id && cve_len(id) == strlen(id);
}

static void add_cves_from(const char *text, size_t len, char ***v, size_t *n,
			  size_t *alloc)
{
	size_t i, k, m;

	for (i = 0; text && i < len; i++) {
		if (i && isalnum((unsigned char)text[i - 1]))
			continue;
		m = cve_len(text + i);
		if (!m || i + m > len)
			continue;
		for (k = 0; k < *n; k++)
			if (!strncasecmp((*v)[k], text + i, m) && !(*v)[k][m])
				break;
		if (k == *n) {
			ALLOC_GROW(*v, *n + 1, *alloc);
			(*v)[*n] = xstrndup(text + i, m);
			for (k = 0; k < 3; k++) /* "cve-" -> "CVE-" */
				(*v)[*n][k] = (char)toupper((unsigned char)(*v)[*n][k]);
			(*n)++;
		}
		i += m - 1;
	}
}

size_t package_patch_cves(const struct patch *p, char ***out)
{
	size_t n = 0, alloc = 0;

	*out = NULL;
	if (p->meta.subject)
		add_cves_from(p->meta.subject, strlen(p->meta.subject), out, &n,
			      &alloc);
	if (p->meta.body)
		add_cves_from(p->meta.body, strlen(p->meta.body), out, &n, &alloc);
	/* DEP-3 Bug:/Description: fields and any other header text */
	add_cves_from(p->header, p->header_len, out, &n, &alloc);
	return n;
}

/* "CVE-2025-49794_CVE-2025-49796": the CVE part of a patch's name. */
static char *cve_key(const struct patch *p)
{
	struct strbuf sb = STRBUF_INIT;
	char **v;
	size_t n = package_patch_cves(p, &v), i;

	if (!n)
		return NULL;
	sb_init(&sb);
	for (i = 0; i < n && i < 3; i++)
		sb_addf(&sb, "%s%s", i ? "_" : "", v[i]);
	package_free_names(v, n);
	return sb_detach(&sb, NULL);
}

/* In a security upload, patches that name a CVE are called after it; the
   others keep the plain upload's names. */
void package_security_names(struct package_run *run,
			    const struct patch_list *list)
{
	const char *dir = run->o->vendor_dir;
	char **keys;
	size_t i, j;

	if (run->o->req.pocket != POCKET_SECURITY)
		return;
	keys = xcalloc(list->n + 1, sizeof(*keys));
	for (i = 0; i < list->n; i++) {
		keys[i] = cve_key(&list->v[i]);
		if (!keys[i] && run->o->cve) /* the maintainer knows it */
			keys[i] = xstrdup(run->o->cve);
	}
	for (i = 0; i < list->n; i++) {
		struct strbuf sb = STRBUF_INIT;
		size_t same = 0, nth = 0;

		if (!keys[i])
			continue;
		for (j = 0; j < list->n; j++)
			if (keys[j] && !strcmp(keys[j], keys[i])) {
				same++;
				nth += j <= i;
			}
		sb_init(&sb);
		if (dir)
			sb_addf(&sb, "%s/", dir);
		sb_addstr(&sb, keys[i]);
		if (same > 1)
			sb_addf(&sb, "-%zu", nth);
		sb_addstr(&sb, ".patch");
		free(run->carried[i].name);
		run->carried[i].name = sb_detach(&sb, NULL);
		run->carried[i].cves = xstrdup(keys[i]);
	}
	for (i = 0; i < list->n; i++)
		free(keys[i]);
	free(keys);
}

/* "CVE-1, CVE-2" from "CVE-1_CVE-2" */
static void add_cve_list(struct strbuf *sb, const char *key)
{
	for (; *key; key++) {
		if (*key == '_')
			sb_addstr(sb, ", ");
		else
			sb_addch(sb, *key);
	}
}

/* Is t[0..len), blanks and a leading "and" aside, one CVE id? */
static int is_one_cve(const char *t, size_t len)
{
	while (len && *t == ' ')
		t++, len--;
	if (len > 4 && !strncmp(t, "and ", 4))
		t += 4, len -= 4;
	while (len && *t == ' ')
		t++, len--;
	while (len && t[len - 1] == ' ')
		len--;
	return len && cve_len(t) == len;
}

/* The items of the group g[0..len) ("CVE-1, fixes #2") that are not CVE
   ids, joined by ", ", into sb; how many. */
static size_t add_other_items(struct strbuf *sb, const char *g, size_t len)
{
	size_t n = 0, i = 0;

	while (i <= len) {
		size_t k = i;

		while (k < len && g[k] != ',' && g[k] != ';')
			k++;
		if (!is_one_cve(g + i, k - i)) {
			size_t a = i, b = k;

			while (a < b && g[a] == ' ')
				a++;
			while (b > a && g[b - 1] == ' ')
				b--;
			if (b > a) {
				sb_addf(sb, "%s%.*s", n ? ", " : "", (int)(b - a),
					g + a);
				n++;
			}
		}
		i = k + 1;
	}
	return n;
}

/* The subject without the CVE ids the bullet names already: "CVE-1: x",
   "x (CVE-1)", "x [CVE-1, CVE-2]" are all "x"; "x (CVE-1, fixes #2)" is
   "x (fixes #2)". */
static char *what_without_cves(const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(what), m = cve_len(what);
	const char *open = NULL;

	if (m && what[m] == ':' && what[m + 1] == ' ')
		what += m + 2, len -= m + 2;
	while (len && what[len - 1] == ' ')
		len--;
	if (len && (what[len - 1] == ')' || what[len - 1] == ']')) {
		char o = what[len - 1] == ')' ? '(' : '[';

		open = what + len - 1;
		while (open > what && *open != o)
			open--;
		if (*open != o || open == what)
			open = NULL;
	}
	sb_init(&sb);
	if (!open) {
		sb_add(&sb, what, len);
	} else {
		const char *g = open + 1;
		size_t glen = (size_t)(what + len - 1 - g), keep;

		keep = (size_t)(open - what);
		while (keep && what[keep - 1] == ' ')
			keep--;
		sb_add(&sb, what, keep);
		sb_addf(&sb, " %c", *open);
		if (add_other_items(&sb, g, glen))
			sb_addch(&sb, what[len - 1]);
		else
			sb.buf[sb.len = keep] = '\0';
	}
	if (!sb.len)
		sb_addstr(&sb, what);
	return sb_detach(&sb, NULL);
}

/* Debian's security team: "Fix CVE-2024-45490: what (Closes: #N)". */
static void debian_bullet(const struct package_run *run, const char *key,
			  const char *what, struct strbuf *sb)
{
	sb_addstr(sb, "Fix ");
	add_cve_list(sb, key);
	sb_addf(sb, ": %s", what);
	if (run->o->bug)
		sb_addf(sb, " (Closes: #%s)", run->o->bug);
}

/*
 * Ubuntu's security team:
 *   * SECURITY UPDATE: what
 *     - debian/patches/CVE-2022-40674.patch: what.
 *     - CVE-2022-40674
 */
static void ubuntu_bullet(const struct package_run *run, const char *key,
			  const char *what, struct strbuf *sb)
{
	size_t i;
	const char *k;

	sb_addf(sb, "SECURITY UPDATE: %s", what);
	if (run->o->bug)
		sb_addf(sb, " (LP: #%s)", run->o->bug);
	for (i = 0; i < run->ncarried; i++) {
		const struct carried *c = &run->carried[i];

		if (c->text && c->cves && !strcmp(c->cves, key)) {
			char *w = what_without_cves(c->subject);

			sb_addf(sb, "\n- debian/patches/%s: %s.", c->name, w);
			free(w);
		}
	}
	for (k = key; *k; k += strcspn(k, "_") + (k[strcspn(k, "_")] != 0))
		sb_addf(sb, "\n- %.*s", (int)strcspn(k, "_"), k);
}

/* The bullet for carried[i] in a security upload, or NULL when another
   patch of its CVEs has it or it names no CVE. */
char *package_security_bullet(const struct package_run *run, size_t i)
{
	const struct carried *c = &run->carried[i];
	struct strbuf sb = STRBUF_INIT;
	char *what;
	size_t j;

	if (run->o->req.pocket != POCKET_SECURITY || !c->cves)
		return NULL;
	for (j = 0; j < i; j++)
		if (run->carried[j].text && run->carried[j].cves &&
		    !strcmp(run->carried[j].cves, c->cves))
			return xstrdup(""); /* said by the first of them */
	sb_init(&sb);
	what = what_without_cves(run->o->message ? run->o->message
						 : c->subject);
	if (run->o->req.vendor == VENDOR_UBUNTU)
		ubuntu_bullet(run, c->cves, what, &sb);
	else
		debian_bullet(run, c->cves, what, &sb);
	free(what);
	return sb_detach(&sb, NULL);
}

/* Is the comment line at p[0..len) a "put new patches before these" one? */
static int is_marker(const char *p, size_t len)
{
	char *line = xstrndup(p, len), *q, *before;
	int yes = 0;

	for (q = line; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	before = strstr(line, " before");
	if (strstr(line, "before these"))
		yes = 1;
	else if (before)
		yes = (strstr(line, "add ") && strstr(line, "add ") < before) ||
		      (strstr(line, "insert ") && strstr(line, "insert ") < before);
	free(line);
	return yes;
}

/*
 * Where new entries go in the series text: the offset of the line they go
 * before (the text's length for the end), and in *why what decided it.
 * --before PATCH names an entry (any comment lines right above it stay
 * with it); else the first marker comment; else the end.
 */
int package_insert_point(const struct package_run *run, size_t *at,
			 const char **why, long *lineno)
{
	const char *text = run->series.buf ? run->series.buf : "";
	const char *before = run->o->before, *p = text;
	size_t comments = (size_t)-1, marker = (size_t)-1;
	long line = 1, mline = 0, cline = 0;

	*at = run->series.len;
	*why = NULL;
	*lineno = 0;
	for (; *p; line++) {
		size_t len = strcspn(p, "\n"), sp = strspn(p, " \t");
		size_t off = (size_t)(p - text);
		size_t wl = strcspn(p + sp, " \t\n#");

		if (p[sp] == '#') {
			if (comments == (size_t)-1)
				comments = off, cline = line;
			if (marker == (size_t)-1 && is_marker(p, len))
				marker = off, mline = line;
		} else if (before && wl == strlen(before) &&
			   !strncmp(p + sp, before, wl)) {
			*at = comments != (size_t)-1 ? comments : off;
			*lineno = comments != (size_t)-1 ? cline : line;
			*why = "--before";
			return 0;
		} else if (wl || len == sp) {
			comments = (size_t)-1;
		}
		p += len + (p[len] == '\n');
	}
	if (before)
		return error("--before %s: no such entry in "
			     "debian/patches/series", before);
	if (marker != (size_t)-1) {
		*at = marker;
		*lineno = mline;
		*why = "marker";
	}
	return 0;
}

/* How many series entries come before offset at. */
size_t package_entries_before(const struct package_run *run, size_t at)
{
	char **v;
	size_t n;
	char *head = xstrndup(run->series.buf ? run->series.buf : "", at);

	package_series_names(head, &v, &n);
	package_free_names(v, n);
	free(head);
	return n;
}

/* Is debian/patches/name there, as a file or a series entry? */
static int name_taken(const struct package_run *run, const char *name)
{
	struct strbuf rel = STRBUF_INIT;
	struct stat st;
	char *path;
	size_t i;
	int taken = 0;

	for (i = 0; i < run->nentries; i++)
		taken |= !strcmp(run->entries[i], name);
	sb_init(&rel);
	sb_addf(&rel, "debian/patches/%s", name);
	path = package_source_path(run->o, rel.buf);
	taken |= !lstat(path, &st);
	free(path);
	sb_release(&rel);
	return taken;
}

/*
 * A CVE name the package already uses for another change (an earlier fix
 * of the same CVE) is not overwritten: the new patch becomes
 * CVE-YYYY-N-2.patch (-3, ...), said once.
 */
void package_security_unclash(struct package_run *run)
{
	size_t i, n;

	for (i = 0; i < run->ncarried; i++) {
		struct carried *c = &run->carried[i];
		char *orig, *stem;

		if (!c->text || !c->cves || !name_taken(run, c->name) ||
		    package_carried_unchanged(run, c))
			continue;
		orig = c->name;
		stem = xstrndup(orig, strlen(orig) - 6); /* ".patch" */
		for (n = 2;; n++) {
			struct strbuf sb = STRBUF_INIT;

			sb_init(&sb);
			sb_addf(&sb, "%s-%zu.patch", stem, n);
			c->name = sb_detach(&sb, NULL);
			if (!name_taken(run, c->name) ||
			    package_carried_unchanged(run, c))
				break;
			free(c->name);
		}
		printf("debian/patches/%s: the package has it with another "
		       "change: the new patch is %s\n", orig, c->name);
		free(stem);
		free(orig);
	}
}
