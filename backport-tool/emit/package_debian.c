/*
 * package_debian.c - the debian/ files an upload changes: the changelog
 * entry (bullets, distribution, version for the pocket, "Non-maintainer
 * upload."), the series lines, and Ubuntu's Maintainer field.
 */
#include "emit/package.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_bug_ref(struct strbuf *sb, const struct package_opts *o)
{
	if (!o->bug)
		return;
	sb_addf(sb, o->req.vendor == VENDOR_UBUNTU ? " (LP: #%s)"
						   : " (Closes: #%s)", o->bug);
}

/* The changelog bullets: one for the series with --message, else one per
   carried patch. */
static char **make_bullets(const struct package_run *run, size_t *n)
{
	const struct package_opts *o = run->o;
	struct strbuf sb = STRBUF_INIT;
	char **v;
	size_t i, k = 0;

	v = xcalloc(run->ncarried + 2, sizeof(*v)); /* + NMU bullet */
	for (i = 0; i < run->ncarried; i++) {
		const struct carried *c = &run->carried[i];

		if (!c->text)
			continue;
		if (c->cves) {
			char *b = package_security_bullet(run, i);

			if (*b)
				v[k++] = b;
			else
				free(b);
			continue;
		}
		sb_init(&sb);
		if (o->message) {
			char *glob = package_carried_prefix(o, "*");

			package_add_short_name(&sb, glob);
			free(glob);
			sb_addf(&sb, ": %s", o->message);
		} else {
			package_add_short_name(&sb, c->name);
			sb_addf(&sb, ": %s", c->subject);
		}
		add_bug_ref(&sb, o);
		v[k++] = sb_detach(&sb, NULL);
		if (o->message)
			break;
	}
	*n = k;
	return v;
}

/* The distribution for the entry: given, or the top entry's series. */
static char *entry_distribution(const struct package_run *run)
{
	const char *d = run->top.distribution;
	size_t n = strcspn(d, " ");
	const char *dash;

	if (run->o->distribution)
		return xstrdup(run->o->distribution);
	if (run->o->req.pocket == POCKET_BACKPORTS) {
		error("a backport needs --distribution (e.g. focal-backports, "
		      "bullseye-backports)");
		return NULL;
	}
	dash = memchr(d, '-', n);
	if (dash && (!strncmp(dash, "-security", 9) ||
		     !strncmp(dash, "-updates", 8) ||
		     !strncmp(dash, "-proposed", 9)))
		n = (size_t)(dash - d);
	if (run->o->req.pocket == POCKET_SECURITY &&
	    ((n == 8 && !strncmp(d, "unstable", 8)) ||
	     (n == 12 && !strncmp(d, "experimental", 12)) ||
	     (n == 10 && !strncmp(d, "UNRELEASED", 10)))) {
		error("a security upload needs --distribution (e.g. "
		      "bullseye-security): the top entry is for %.*s", (int)n, d);
		return NULL;
	}
	if (run->o->req.pocket == POCKET_SECURITY) {
		/* Debian's bullseye-security, Ubuntu's focal-security */
		struct strbuf sb = STRBUF_INIT;

		sb_init(&sb);
		sb_addf(&sb, "%.*s-security", (int)n, d);
		return sb_detach(&sb, NULL);
	}
	return xstrndup(d, n);
}

/*
 * The value of a field of debian/control's first paragraph (continuation
 * lines joined), or NULL.  *at and *len, when not NULL, locate its line.
 */
static char *control_field(const char *text, const char *name, size_t *at,
			   size_t *len)
{
	size_t n = strlen(name);
	const char *p = text;

	while (*p && *p != '\n') {
		const char *end = p + strcspn(p, "\n");

		if (!strncasecmp(p, name, n) && p[n] == ':') {
			struct strbuf v = STRBUF_INIT;
			const char *q = p + n + 1;

			sb_init(&v);
			for (;;) {
				q += strspn(q, " \t");
				sb_add(&v, q, (size_t)(end - q));
				if (*end != '\n' || (end[1] != ' ' && end[1] != '\t'))
					break;
				q = end + 1;
				end = q + strcspn(q, "\n");
				sb_addch(&v, ' ');
			}
			if (at)
				*at = (size_t)(p - text);
			if (len)
				*len = (size_t)(end - p) + (*end == '\n');
			return sb_detach(&v, NULL);
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* Is the signer ("Name <email>") the Maintainer or an Uploader? */
static int signer_maintains(const struct package_run *run, const char *signer)
{
	const char *lt = strchr(signer, '<');
	char *email, *m, *u;
	int found;

	if (!lt || !strchr(lt, '>'))
		return 0;
	email = xstrndup(lt, (size_t)(strchr(lt, '>') + 1 - lt));
	m = control_field(run->control.buf, "Maintainer", NULL, NULL);
	u = control_field(run->control.buf, "Uploaders", NULL, NULL);
	found = (m && strcasestr(m, email)) || (u && strcasestr(u, email));
	free(email);
	free(m);
	free(u);
	return found;
}

/*
 * Ubuntu's rule (update-maintainer, dpkg's Ubuntu vendor check): a version
 * with Ubuntu changes has Ubuntu Developers as Maintainer, the Debian
 * maintainer kept in XSBC-Original-Maintainer.  0 with the new control in
 * out, 1 when nothing needs to change.
 */
int package_make_control(const struct package_run *run, struct strbuf *out)
{
	static const char ubuntu[] =
		"Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>";
	const char *text = run->control.buf;
	char *m, *orig;
	size_t at = 0, len = 0;

	if (run->o->req.vendor != VENDOR_UBUNTU || !run->new_version ||
	    !strstr(run->new_version, "ubuntu"))
		return 1;
	m = control_field(text, "Maintainer", &at, &len);
	if (!m || strcasestr(m, "ubuntu")) {
		free(m);
		return 1;
	}
	orig = control_field(text, "XSBC-Original-Maintainer", NULL, NULL);
	sb_init(out);
	sb_add(out, text, at);
	sb_addf(out, "Maintainer: %s\n", ubuntu);
	if (!orig)
		sb_addf(out, "XSBC-Original-Maintainer: %s\n", m);
	sb_addstr(out, text + at + len);
	printf("debian/control: Maintainer: %s\n", ubuntu);
	free(m);
	free(orig);
	return 0;
}

/* Debian's rule: an upload by someone who is neither Maintainer nor
   Uploader says "Non-maintainer upload." first (as dch --nmu does). */
static void add_nmu_bullet(const struct package_run *run, const char *signer,
			   char **bullets, size_t *nb)
{
	if (run->o->req.vendor != VENDOR_DEBIAN || !run->control.len ||
	    signer_maintains(run, signer))
		return;
	memmove(bullets + 1, bullets, *nb * sizeof(*bullets));
	bullets[0] = xstrdup("Non-maintainer upload.");
	(*nb)++;
}

/* Prepend a new entry to the changelog text in out, unless the top entry
   already has every bullet.  0, 1 when nothing was needed, -1 on error. */
int package_make_changelog(struct package_run *run, struct strbuf *out)
{
	struct package_opts *o = run->o;
	struct changelog_new n = { 0 };
	struct strbuf version = STRBUF_INIT, maint = STRBUF_INIT;
	char **bullets, *dist = NULL;
	size_t nb, i, have = 0;
	int ret = -1;

	bullets = make_bullets(run, &nb);
	for (i = 0; i < nb; i++)
		have += changelog_entry_has_bullet(&run->top, bullets[i]);
	if (nb && have == nb) {
		ret = 1;
		goto out;
	}
	if (!strcmp(run->top.distribution, "UNRELEASED") && !o->amend) {
		/* as dch: an entry still being prepared gets the changes */
		printf("debian/changelog: the top entry is UNRELEASED: adding "
		       "to it\n");
		o->amend = 1;
	}
	if (o->amend) {
		sb_init(out);
		ret = changelog_amend_top(run->changelog.buf, &run->top,
					  (const char *const *)bullets, nb, out);
		if (!ret) {
			run->new_version = xstrdup(run->top.version);
			printf("debian/changelog: %s (%s) amended\n",
			       run->top.package, run->top.version);
		}
		goto out;
	}
	sb_init(&version);
	sb_init(&maint);
	dist = entry_distribution(run);
	if (!dist)
		goto out;
	if (!o->req.release && o->req.vendor == VENDOR_DEBIAN)
		o->req.release = debian_release_number(dist);
	if (version_next(run->top.version, &o->req, &version) ||
	    changelog_maintainer_env(&maint) ||
	    changelog_time(getenv("SOURCE_DATE_EPOCH"), &n.when))
		goto out;
	add_nmu_bullet(run, maint.buf, bullets, &nb);
	run->new_version = xstrdup(version.buf);
	n.package = run->top.package;
	n.version = version.buf;
	n.distribution = dist;
	/* Debian's security uploads are urgency=high, Ubuntu's medium */
	n.urgency = o->req.pocket == POCKET_SECURITY &&
		    o->req.vendor == VENDOR_DEBIAN ? "high" : "medium";
	n.bullets = (const char *const *)bullets;
	n.nbullets = nb;
	n.maintainer = maint.buf;
	sb_init(out);
	if (changelog_format_entry(&n, out))
		goto out;
	sb_add(out, run->changelog.buf, run->changelog.len);
	printf("debian/changelog: %s (%s) %s\n", n.package, n.version, dist);
	ret = 0;
out:
	for (i = 0; i < nb; i++)
		free(bullets[i]);
	free(bullets);
	free(dist);
	sb_release(&version);
	sb_release(&maint);
	return ret;
}

/* The series text with the carried names it lacks added where
   package_insert_point says; 1 when it already lists them all. */
int package_make_series(const struct package_run *run, struct strbuf *out)
{
	size_t i, j, added = 0, at = run->insert_at;

	sb_init(out);
	sb_add(out, run->series.buf, at);
	for (i = 0; i < run->ncarried; i++) {
		const struct carried *c = &run->carried[i];
		int listed = 0;

		if (!c->text)
			continue;
		for (j = 0; j < run->nentries; j++)
			listed |= !strcmp(run->entries[j], c->name);
		if (listed)
			continue;
		if (out->len && out->buf[out->len - 1] != '\n')
			sb_addch(out, '\n');
		sb_addf(out, "%s\n", c->name);
		added++;
	}
	sb_add(out, run->series.buf + at, run->series.len - at);
	if (added && !run->insert_why)
		printf("debian/patches/series: %zu appended\n", added);
	else if (added)
		printf("debian/patches/series: %zu inserted at line %ld (%s)\n",
		       added, run->insert_line,
		       !strcmp(run->insert_why, "marker") ? "its comment says so"
							  : "--before");
	return added ? 0 : 1;
}
