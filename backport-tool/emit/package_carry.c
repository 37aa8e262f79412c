/*
 * package_carry.c - each new patch as it will be carried: placed on the
 * source (fuzz allowed), refreshed to fuzz 0 with its DEP-3 header, named
 * lp-<bug>-<n>-<slug>.patch (Ubuntu) or bug-<bug>-<n>-<slug>.patch.
 */
#include "emit/package.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "emit/refresh.h"

/* What a patch is about: its subject, else its file name. */
static const char *patch_subject(const struct patch *p)
{
	const char *base;

	if (p->meta.subject && *p->meta.subject)
		return p->meta.subject;
	base = strrchr(p->name, '/');
	return base ? base + 1 : p->name;
}

const char *package_vendor_dir(const struct package_opts *o)
{
	if (o->vendor_dir)
		return o->vendor_dir;
	return o->req.vendor == VENDOR_UBUNTU ? "ubuntu" : NULL;
}

/* "ubuntu/lp-1887930-" + tail, or "bug-1024-" + tail for Debian;
   "backport-" + tail when the upload fixes no reported bug. */
char *package_carried_prefix(const struct package_opts *o, const char *tail)
{
	struct strbuf sb = STRBUF_INIT;
	const char *dir = package_vendor_dir(o);

	sb_init(&sb);
	if (dir)
		sb_addf(&sb, "%s/", dir);
	if (!o->bug)
		sb_addf(&sb, "backport-%s", tail);
	else
		sb_addf(&sb, "%s-%s-%s", o->req.vendor == VENDOR_UBUNTU ? "lp" : "bug",
			o->bug, tail);
	return sb_detach(&sb, NULL);
}

char *package_carried_name(const struct package_opts *o, const struct patch *p,
			  size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char *prefix = package_carried_prefix(o, "");

	sb_init(&sb);
	sb_addf(&sb, "%s%zu-", prefix, n);
	free(prefix);
	if (p->meta.subject && *p->meta.subject) {
		package_add_slug(&sb, p->meta.subject, 50);
	} else {
		/* "0003-foo.patch" or "foo.diff": "foo" */
		const char *base = patch_subject(p), *dot = strrchr(base, '.');
		size_t digits = strspn(base, "0123456789");
		char *stem;

		if (digits && base[digits] == '-')
			base += digits + 1;
		stem = xstrndup(base, dot && dot > base ? (size_t)(dot - base)
							: strlen(base));
		package_add_slug(&sb, stem, 50);
		free(stem);
	}
	sb_addstr(&sb, ".patch");
	return sb_detach(&sb, NULL);
}

static void dep3_fill(const struct package_run *run, const struct patch *p,
		      struct dep3_info *in, struct strbuf *url,
		      struct strbuf *date)
{
	const struct package_opts *o = run->o;
	time_t when = 0;

	memset(in, 0, sizeof(*in));
	dep3_commit_url(o->upstream_url, p->meta.commit, url);
	if (!url->len && p->meta.commit && *p->meta.commit)
		sb_addf(url, "commit:%s", p->meta.commit); /* DEP-3's form */
	in->commit_url = url->len ? url->buf : NULL;
	if (o->req.vendor == VENDOR_UBUNTU)
		in->bug_ubuntu = o->bug;
	else
		in->bug_debian = o->bug;
	in->applied_upstream = o->applied_upstream;
	if (changelog_time(getenv("SOURCE_DATE_EPOCH"), &when) == 0) {
		dep3_format_date(when, date);
		in->last_update = date->buf;
	}
	in->description = o->message;
}

/* Is the file there with this diff (its header may have been edited)? */
int package_carried_unchanged(const struct package_run *run,
			     const struct carried *c)
{
	struct strbuf rel = STRBUF_INIT, sb = STRBUF_INIT;
	size_t dl = c->len - c->diff_at;
	struct stat st;
	char *path;
	int same = 0;

	sb_init(&rel);
	sb_addf(&rel, "debian/patches/%s", c->name);
	path = package_source_path(run->o, rel.buf);
	if (!lstat(path, &st) && S_ISREG(st.st_mode) &&
	    read_whole_file(path, MAX_INPUT_SIZE, &sb) == 0)
		same = sb.len >= dl &&
		       !memcmp(sb.buf + sb.len - dl, c->text + c->diff_at, dl);
	free(path);
	sb_release(&rel);
	sb_release(&sb);
	return same;
}

/* How many of r's hunks are already in the target, of how many. */
static void count_applied(const struct patch_result *r, size_t *applied,
			  size_t *total)
{
	size_t i, j;

	*applied = *total = 0;
	for (i = 0; i < r->nfiles; i++) {
		const struct file_result *fr = &r->files[i];

		for (j = 0; j < fr->fd->nhunks; j++) {
			(*total)++;
			*applied += fr->hunks[j].verdict == V_APPLIED;
		}
		if (!fr->fd->nhunks) {
			(*total)++;
			*applied += fr->verdict == V_APPLIED;
		}
	}
}

/*
 * A patch that is (partly) in the target already: all of it is simply not
 * carried; part of it needs a human, who knows whether the rest still
 * makes sense.  The overlay is put back as it was either way.  Returns 2
 * (not carried) or 1 (conflict).
 */
static int carry_applied(struct package_run *run, const struct patch *p,
			 const struct patch_result *r,
			 const struct refresh_snapshot *snap, size_t applied,
			 size_t total)
{
	refresh_snapshot_restore(snap, run->tree);
	if (applied == total) {
		printf("%s: already in %s, not carried\n", p->name,
		       run->o->source);
		return 2;
	}
	error_at(patch_where(p), r->reason_line, "%zu of %zu hunks are already in %s: "
		 "the rest needs a human", applied, total, run->o->source);
	return 1;
}

/* A source package is a directory: it has no gitlinks to set. */
static int refuse_submodules(const struct patch *p)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++)
		if (p->files[i].is_submodule)
			return error_at(patch_where(p), p->files[i].lineno,
					"%s: a submodule change cannot be "
					"applied to a directory",
					file_diff_target(&p->files[i],
							 patch_strip_level(p)));
	return 0;
}

/* Place one new patch and refresh it: 0, 1 conflict, 2 nothing to carry,
   -1 error. */
int package_carry_one(struct package_run *run, const struct patch *p,
		     struct carried *c)
{
	struct apply_state s;
	struct patch_result r;
	struct refresh_snapshot snap = { NULL, 0, 0 };
	struct dep3_info in;
	struct strbuf out = STRBUF_INIT, url = STRBUF_INIT, date = STRBUF_INIT;
	struct strbuf adapted = STRBUF_INIT;
	size_t applied, total;
	int ret;

	apply_state_init(&s);
	s.max_fuzz = 2;
	s.submodule_error = 1;
	s.detect_applied = 1;
	s.adapt = !run->o->no_adapt;
	apply_setup_merge(&s, &run->o->in);
	s.base = run->o->base;
	if (refuse_submodules(p) < 0)
		return -1;
	if (refresh_snapshot_take_moved(&snap, run->tree, &s, p) ||
	    apply_patch(&s, run->tree, p, &r)) {
		refresh_snapshot_release(&snap);
		return -1;
	}
	if (!r.kept) {
		struct strbuf why = STRBUF_INIT;

		sb_init(&why);
		patch_result_describe(&r, &why);
		error_at(patch_where(p), r.reason_line, "%s on %s: %s",
			 verdict_name(r.verdict), run->o->source, why.buf);
		sb_release(&why);
		patch_result_release(&r);
		refresh_snapshot_release(&snap);
		return 1;
	}
	if (patch_is_empty(p)) {
		printf("%s: an empty commit, nothing to carry\n", p->name);
		patch_result_release(&r);
		refresh_snapshot_release(&snap);
		return 2;
	}
	count_applied(&r, &applied, &total);
	if (applied) {
		ret = carry_applied(run, p, &r, &snap, applied, total);
		patch_result_release(&r);
		refresh_snapshot_release(&snap);
		return ret;
	}
	sb_init(&out);
	sb_init(&url);
	sb_init(&date);
	dep3_fill(run, p, &in, &url, &date);
	patch_result_adaptations(&r, &adapted);
	in.adapted = adapted.buf;
	ret = refresh_patch(p, &snap, run->tree, &in, &out, &c->diff_at);
	if (ret == 0) {
		c->text = sb_detach(&out, &c->len);
		c->subject = patch_subject(p);
		printf("%s: %s\n", p->name, verdict_name(r.verdict));
	} else if (ret == 1 && patch_result_has_note(&r)) {
		printf("%s: only a mode change, which a quilt patch cannot "
		       "carry: not carried\n", p->name);
		ret = 2;
	} else if (ret == 1) {
		printf("%s: already in %s, not carried\n", p->name,
		       run->o->source);
		ret = 2;
	}
	sb_release(&out);
	sb_release(&adapted);
	sb_release(&url);
	sb_release(&date);
	patch_result_release(&r);
	refresh_snapshot_release(&snap);
	return ret;
}

/* "d/p/u/lp-1887930-1-x.patch" from "ubuntu/lp-1887930-1-x.patch" */
void package_add_short_name(struct strbuf *sb, const char *name)
{
	sb_addstr(sb, "d/p/");
	if (!strncmp(name, "ubuntu/", 7)) {
		sb_addstr(sb, "u/");
		name += 7;
	}
	sb_addstr(sb, name);
}
