/*
 * deps.c - missing identifiers and candidate prerequisites of a series on
 * each target: the symbol index says what the target lacks, the upstream
 * history says which commit would bring it.
 *
 * This file runs the steps over each target; each step is a file:
 *   deps_includes.c    the headers the series' files include (the index's scope)
 *   deps_history.c     the upstream commit that introduced a name
 *   deps_blame.c       the commits that last changed a conflict's lost context
 *   deps_companions.c  what those commits need to compile themselves
 *   deps_strset.c      the string set they share (deps_int.h)
 * and emit/deps_format.c prints the results.
 */
#include "analyse/deps.h"
#include "analyse/deps_int.h"
#include "place/check.h"
#include "input/input.h"

#include <string.h>

/* ---- the run ------------------------------------------------------- */

void deps_run_init(struct deps_run *run, const struct patch_list *series,
		   struct gitsrc *g)
{
	memset(run, 0, sizeof(*run));
	run->series = series;
	run->g = g;
}

void deps_run_add_target(struct deps_run *run, const char *name,
			 const char *rev, struct tree *t)
{
	struct deps_target *dt;

	ALLOC_GROW(run->targets, run->ntargets + 1, run->alloc);
	dt = &run->targets[run->ntargets++];
	memset(dt, 0, sizeof(*dt));
	dt->name = xstrdup(name);
	dt->rev = rev ? xstrdup(rev) : NULL;
	dt->tree = t;
	dt->results = xcalloc(run->series->n ? run->series->n : 1,
			      sizeof(*dt->results));
}

static int is_c_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return n > 2 && path[n - 2] == '.' && (path[n - 1] == 'c' || path[n - 1] == 'h');
}

/* The C files the series changes, as the new side names them. */
static void series_paths(const struct patch_list *s, struct strset *out)
{
	size_t i, f;

	for (i = 0; i < s->n; i++) {
		const struct patch *p = &s->v[i];
		int strip = patch_strip_level(p);

		for (f = 0; f < p->nfiles; f++) {
			const char *path = file_diff_target(&p->files[f], strip);
			if (is_c_path(path))
				strset_add(out, path);
		}
	}
}

/* With --git: the upstream tree at the newest commit of the series. */
static int deps_index_upstream(struct deps_run *run)
{
	struct strset start = { 0 };
	struct tree *up;
	size_t i;
	int rc;

	for (i = run->series->n; i-- > 0;) {
		const struct patch *p = &run->series->v[i];
		if (p->meta.commit && gitsrc_is_revision(run->g, p->meta.commit)) {
			snprintf(run->newest, sizeof(run->newest), "%s",
				 p->meta.commit);
			break;
		}
	}
	if (!run->newest[0])
		return 0;
	rc = gitsrc_open_tree_in(&up, run->g, "upstream", run->newest);
	if (rc < 0)
		return -1;
	series_paths(run->series, &start);
	deps_include_closure(up, (const char *const *)start.v, start.n, 4000,
			     &run->paths, &run->npaths);
	run->upstream = symindex_new();
	deps_index_paths(run->upstream, up, run->paths, run->npaths);
	tree_free(up);
	strset_release(&start, 0);
	return 0;
}

static struct symindex *deps_index_target(struct deps_run *run,
					  struct deps_target *dt)
{
	struct symindex *ix = symindex_new();

	if (run->upstream) {
		deps_index_paths(ix, dt->tree, run->paths, run->npaths);
	} else if (tree_dir(dt->tree)) {
		symindex_add_dir(ix, tree_dir(dt->tree));
	} else if (run->g && dt->rev) {
		symindex_add_git(ix, run->g, dt->rev, NULL, 0);
	}
	return ix;
}

/*
 * Each name once at its first use (a member: once per struct, member_of
 * "struct TAG"); NULL when it is there already.
 */
static struct deps_missing *add_missing(struct deps_result *r,
					const struct sym_use *u,
					const struct sym_def *d,
					size_t series_patch,
					const char *member_of)
{
	struct deps_missing *m;
	size_t i;

	for (i = 0; i < r->nmissing; i++) {
		const char *mo = r->missing[i].member_of;

		if (!strcmp(r->missing[i].name, u->name) &&
		    (member_of ? mo && !strcmp(mo, member_of + 7) : !mo))
			return NULL;
	}

	ALLOC_GROW(r->missing, r->nmissing + 1, r->alloc_missing);
	m = &r->missing[r->nmissing++];
	memset(m, 0, sizeof(*m));
	m->name = xstrdup(u->name);
	m->path = u->path;
	m->line = u->line;
	m->patch_line = u->patch_line;
	m->high = d != NULL;
	if (d) {
		m->def_file = xstrdup(d->file);
		m->def_line = d->line;
		m->kind = d->kind;
	}
	m->series_patch = series_patch;
	m->key = xstrdup(u->name);
	m->member_of = member_of ? xstrdup(member_of + 7) : NULL;
	return m;
}

/* The series' first patch before idx defining key, 1-based, or 0. */
static size_t defined_earlier(struct symindex **earlier, size_t idx,
			      const char *key)
{
	size_t k;

	for (k = 0; k < idx; k++)
		if (symindex_lookup(earlier[k], key, strlen(key)))
			return k + 1;
	return 0;
}

/*
 * A member use: 1 when it is settled (found, or recorded as missing from
 * the struct its expression names), 0 to judge it as a plain name.
 */
static int deps_check_member(struct deps_run *run, struct deps_result *r,
			     const struct sym_use *u, struct deps_members *dm,
			     struct symindex **earlier, size_t idx)
{
	const struct sym_def *d = NULL, *sd;
	struct deps_missing *m;
	struct strbuf key = STRBUF_INIT;
	size_t from;
	char *st;
	enum member_answer a = deps_member_resolve(dm, u, &st);

	if (a != MEMBER_MISSING)
		return a == MEMBER_FOUND;
	if (run->upstream &&
	    !symindex_lookup(run->upstream, u->name, strlen(u->name))) {
		free(st);
		return 1; /* upstream has no member of that name at all */
	}
	sb_addf(&key, "%s.%s", st, u->name);
	if (run->upstream)
		d = symindex_lookup(run->upstream, key.buf, key.len);
	from = defined_earlier(earlier, idx, key.buf);
	m = add_missing(r, u, d, from ? from : defined_earlier(earlier, idx, u->name),
			st);
	if (!m)
		goto out;
	m->high = 1;
	m->kind = SYM_MEMBER;
	sd = symindex_lookup(dm->target, st, strlen(st));
	if (!sd)
		sd = symindex_lookup(dm->applied, st, strlen(st));
	if (sd) {
		m->struct_file = xstrdup(sd->file);
		m->struct_line = sd->line;
	}
	if (d && !strchr(st, '@')) {
		free(m->key);
		m->key = sb_detach(&key, NULL);
	}
out:
	sb_release(&key);
	free(st);
	return 1;
}

/* Names nobody would call missing: the C library and compiler. */
static int is_library_name(const char *s)
{
	static const char *const names[] = {
		"NULL", "true", "false", "bool", "size_t", "ssize_t", "off_t",
		"uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t",
		"int16_t", "int32_t", "int64_t", "uintptr_t", "intptr_t",
		"errno", "__func__", "__FILE__", "__LINE__", "assert",
		"memset", "memcpy", "memmove", "memcmp", "strcmp", "strncmp",
		"strlen", "strdup", "strchr", "strrchr", "strerror", "printf",
		"fprintf", "snprintf", "sprintf", "malloc", "calloc", "realloc",
		"free", "abort", "exit", "open", "close", "read", "write",
		"pread", "pwrite", "ioctl", "mmap", "munmap", "stderr", "stdout",
		"EINVAL", "ENOMEM", "ENODEV", "ENOENT", "EIO", "EFAULT", "ENOSPC",
		"EBUSY", "EAGAIN", "EINTR", "EPERM", "ENOTSUP", "ENOSYS",
		NULL
	};
	size_t i;

	for (i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return 1;
	return 0;
}

static void deps_check_uses(struct deps_run *run, struct deps_target *dt,
			    struct deps_result *r, size_t idx,
			    struct deps_members *dm, struct symindex **earlier)
{
	const struct patch *p = &run->series->v[idx];
	struct symindex *target = dm->target, *applied = dm->applied;
	struct sym_uses uses = { 0 };
	size_t i;

	symindex_patch_uses(p, NULL, &uses);
	for (i = 0; i < uses.n; i++) {
		const struct sym_use *u = &uses.v[i];
		size_t len = strlen(u->name);
		const struct sym_def *d = NULL;

		if (u->of && deps_check_member(run, r, u, dm, earlier, idx))
			continue;
		if (symindex_lookup(target, u->name, len) ||
		    symindex_lookup(applied, u->name, len) ||
		    (!u->of && deps_member_local(dm, u)))
			continue;
		if (run->upstream) {
			d = symindex_lookup(run->upstream, u->name, len);
			if (!d)
				continue; /* a library or generated name */
		} else if (is_library_name(u->name)) {
			continue;
		}
		add_missing(r, u, d, defined_earlier(earlier, idx, u->name), NULL);
	}
	sym_uses_release(&uses);
}

/* Which upstream commit brought each high-confidence missing name. */
static void deps_trace(struct deps_run *run, struct deps_target *dt,
		       struct deps_result *r)
{
	size_t i, j;

	if (!run->g || !run->newest[0])
		return;
	for (i = 0; i < r->nmissing; i++) {
		struct deps_missing *m = &r->missing[i];

		if (!m->high || m->series_patch || !m->def_file)
			continue;
		/* the same name traced before for this target */
		for (j = 0; j < i; j++)
			if (!strcmp(r->missing[j].key, m->key))
				break;
		if (j < i) {
			memcpy(m->introduced, r->missing[j].introduced, 41);
		} else if (deps_find_introducer(run->g, dt->rev ? dt->rev : run->base,
						run->newest, m->def_file, m->key,
						m->introduced) != 0) {
			m->introduced[0] = '\0';
		}
		if (m->introduced[0])
			m->introduced_subject = deps_commit_subject(run->g, m->introduced, NULL);
	}
}

static int deps_run_target(struct deps_run *run, struct deps_target *dt)
{
	struct symindex *target = run->no_names ? NULL
					       : deps_index_target(run, dt);
	struct symindex *applied = symindex_new();
	struct symindex **earlier = xcalloc(run->series->n + 1, sizeof(*earlier));
	struct deps_members dm;
	struct apply_state st;
	size_t i;
	int rc = 0;

	deps_members_init(&dm, target, applied, dt->tree);
	apply_state_init(&st);
	st.max_fuzz = run->strict ? 0 : 2;
	if (run->g && !run->strict) {
		st.merge = gitsrc_merge_judge; /* no markers kept */
		st.merge_ctx = run->g;
	}
	for (i = 0; i < run->series->n && rc == 0; i++) {
		const struct patch *p = &run->series->v[i];
		struct deps_result *r = &dt->results[i];
		struct patch_result pr;
		size_t f, h;

		r->patch = p;
		if (apply_patch(&st, dt->tree, p, &pr) < 0) {
			rc = -1;
			break;
		}
		r->verdict = pr.verdict;
		for (f = 0; f < pr.nfiles; f++)
			for (h = 0; h < pr.files[f].fd->nhunks; h++)
				if (pr.files[f].hunks &&
				    pr.files[f].hunks[h].verdict == V_CONFLICT)
					r->conflict_hunks++;
		if (pr.verdict == V_CONFLICT && !r->conflict_hunks)
			r->conflict_hunks = 1; /* e.g. the file is missing */
		if (target) {
			deps_members_reread(&dm);
			deps_check_uses(run, dt, r, i, &dm, earlier);
		}
		earlier[i] = symindex_new();
		symindex_add_patch(earlier[i], p);
		if (pr.kept)
			symindex_add_patch(applied, p);
		if (pr.verdict == V_CONFLICT && run->g)
			deps_blame_conflicts(r, run->g, dt->rev ? dt->rev : run->base,
					dt->tree, p, &pr);
		if (r->nprereqs && run->g)
			deps_companions(r, run->g, dt, dt->rev ? dt->rev : run->base);
		deps_prereqs_oldest_first(r);
		deps_trace(run, dt, r);
		run->missing += r->nmissing;
		run->conflicts += pr.verdict == V_CONFLICT;
		patch_result_release(&pr);
	}
	for (i = 0; i < run->series->n; i++)
		symindex_free(earlier[i]);
	free(earlier);
	deps_members_release(&dm);
	symindex_free(applied);
	symindex_free(target);
	return rc;
}

int deps_run_all(struct deps_run *run)
{
	size_t i;

	if (run->g && run->base && !gitsrc_is_revision(run->g, run->base))
		return error("no such revision '%s' (--base)", run->base);
	if (run->g && !run->no_names && deps_index_upstream(run) < 0)
		return -1;
	for (i = 0; i < run->ntargets; i++)
		if (deps_run_target(run, &run->targets[i]) < 0)
			return -1;
	return 0;
}

void deps_run_release(struct deps_run *run)
{
	size_t i, j, k;

	for (i = 0; i < run->ntargets; i++) {
		struct deps_target *dt = &run->targets[i];

		for (j = 0; j < run->series->n; j++) {
			struct deps_result *r = &dt->results[j];

			for (k = 0; k < r->nmissing; k++) {
				free(r->missing[k].name);
				free(r->missing[k].def_file);
				free(r->missing[k].introduced_subject);
				free(r->missing[k].member_of);
				free(r->missing[k].struct_file);
				free(r->missing[k].key);
			}
			for (k = 0; k < r->nprereqs; k++) {
				free(r->prereqs[k].subject);
				free(r->prereqs[k].files);
				free(r->prereqs[k].guard);
			}
			free(r->missing);
			free(r->prereqs);
		}
		free(dt->results);
		deps_guard_index_free(dt->guards);
		free(dt->name);
		free(dt->rev);
		tree_free(dt->tree);
	}
	for (i = 0; i < run->npaths; i++)
		free(run->paths[i]);
	free(run->paths);
	free(run->targets);
	symindex_free(run->upstream);
	memset(run, 0, sizeof(*run));
}

/* check --git: one note per cell of the verdict matrix (see deps.h). */
int deps_note_check_run(struct check_run *run, struct input *in,
			const char *const *specs, const char *base)
{
	struct deps_run d;
	size_t t, i;
	int ret = -1;

	deps_run_init(&d, run->series, in->git);
	d.base = base;
	for (t = 0; t < run->ntargets; t++) {
		const char *eq = strchr(specs[t], '=');
		const char *where = eq ? eq + 1 : specs[t];
		char *name;
		struct tree *tree;

		if (input_open_tree(in, specs[t], &name, &tree) < 0)
			goto out;
		deps_run_add_target(&d, name, strncmp(where, "git:", 4) ? base
					      : where + 4, tree);
		free(name);
	}
	if (deps_run_all(&d) < 0)
		goto out;
	run->notes = xcalloc(run->series->n * run->ntargets + 1,
			     sizeof(*run->notes));
	for (t = 0; t < run->ntargets; t++)
		for (i = 0; i < run->series->n; i++) {
			struct strbuf sb = STRBUF_INIT;

			deps_note(&d.targets[t].results[i], &sb);
			run->notes[i * run->ntargets + t] =
				sb.len ? sb_detach(&sb, NULL) : NULL;
			sb_release(&sb);
		}
	ret = 0;
out:
	deps_run_release(&d);
	return ret;
}
