/*
 * interdiff.c - compare a carried patch with its upstream version, file by
 * file: the hunk bodies of each side as one sequence of lines, matched by a
 * longest common subsequence (after the common prefix and suffix, which is
 * nearly everything for a faithful backport).  Matched lines at other old-
 * file line numbers are "moved", which is no difference; unmatched context
 * lines are "other context", unmatched +/- lines "other changes".
 */
#include "analyse/interdiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Largest middle part compared line by line (cells of the LCS table). */
#define INTERDIFF_MAX_CELLS ((size_t)4 << 20)
/* Common lines shown around a difference. */
#define INTERDIFF_CONTEXT 2

struct entry {
	const struct pline *pl;
	size_t hunk;   /* 1-based */
	long old_line; /* where it sits in the old file */
};

struct entries {
	struct entry *v;
	size_t n, alloc;
};

enum op_kind { OP_MATCH, OP_UP, OP_CAR };

struct op {
	enum op_kind kind;
	size_t u, c; /* indices into the two entry lists (as kind says) */
};

struct ops {
	struct op *v;
	size_t n, alloc;
};

static const char *const change_names[] = {
	[ID_SAME] = "same",       [ID_CONTEXT] = "context",
	[ID_CONTENT] = "content", [ID_ADDED] = "added",
	[ID_DROPPED] = "dropped",
};

const char *interdiff_change_name(enum interdiff_change c)
{
	return change_names[c];
}

static void entries_collect(const struct file_diff *fd, struct entries *out)
{
	size_t h, i;

	for (h = 0; h < fd->nhunks; h++) {
		const struct hunk *hk = &fd->hunks[h];
		long old = hk->old_start;

		for (i = 0; i < hk->nlines; i++) {
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n].pl = &hk->lines[i];
			out->v[out->n].hunk = h + 1;
			out->v[out->n].old_line = old;
			out->n++;
			if (hk->lines[i].kind != '+')
				old++;
		}
	}
}

static int entry_eq(const struct entry *a, const struct entry *b)
{
	return a->pl->kind == b->pl->kind && a->pl->len == b->pl->len &&
	       a->pl->noeol == b->pl->noeol &&
	       !memcmp(a->pl->text, b->pl->text, a->pl->len);
}

static void ops_push(struct ops *o, enum op_kind kind, size_t u, size_t c)
{
	ALLOC_GROW(o->v, o->n + 1, o->alloc);
	o->v[o->n].kind = kind;
	o->v[o->n].u = u;
	o->v[o->n].c = c;
	o->n++;
}

/*
 * The edit script for U[u0..u1) against C[c0..c1) by LCS dynamic
 * programming; too large a middle is reported as all different.
 */
static void lcs_middle(const struct entries *U, size_t u0, size_t u1,
		       const struct entries *C, size_t c0, size_t c1,
		       struct ops *o)
{
	size_t a = u1 - u0, b = c1 - c0, i, j;
	uint32_t *t;

	if (!a || !b || (a + 1) * (b + 1) > INTERDIFF_MAX_CELLS) {
		for (i = u0; i < u1; i++)
			ops_push(o, OP_UP, i, 0);
		for (j = c0; j < c1; j++)
			ops_push(o, OP_CAR, 0, j);
		return;
	}
	/* t[i][j]: LCS length of U[u0+i..u1) and C[c0+j..c1) */
	t = xcalloc((a + 1) * (b + 1), sizeof(*t));
#define T(i, j) t[(i) * (b + 1) + (j)]
	for (i = a; i-- > 0;)
		for (j = b; j-- > 0;)
			T(i, j) = entry_eq(&U->v[u0 + i], &C->v[c0 + j])
					  ? T(i + 1, j + 1) + 1
				  : T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j)
							       : T(i, j + 1);
	i = j = 0;
	while (i < a || j < b) {
		if (i < a && j < b &&
		    entry_eq(&U->v[u0 + i], &C->v[c0 + j])) {
			ops_push(o, OP_MATCH, u0 + i, c0 + j);
			i++, j++;
		} else if (j == b || (i < a && T(i + 1, j) >= T(i, j + 1))) {
			ops_push(o, OP_UP, u0 + i, 0);
			i++;
		} else {
			ops_push(o, OP_CAR, 0, c0 + j);
			j++;
		}
	}
#undef T
	free(t);
}

static void edit_script(const struct entries *U, const struct entries *C,
			struct ops *o)
{
	size_t pre = 0, suf = 0, i;

	while (pre < U->n && pre < C->n && entry_eq(&U->v[pre], &C->v[pre]))
		pre++;
	while (suf < U->n - pre && suf < C->n - pre &&
	       entry_eq(&U->v[U->n - 1 - suf], &C->v[C->n - 1 - suf]))
		suf++;
	for (i = 0; i < pre; i++)
		ops_push(o, OP_MATCH, i, i);
	lcs_middle(U, pre, U->n - suf, C, pre, C->n - suf, o);
	for (i = suf; i > 0; i--)
		ops_push(o, OP_MATCH, U->n - i, C->n - i);
}

static void file_push_line(struct interdiff_file *f, char side,
			   const struct entry *e, size_t up_hunk,
			   size_t car_hunk)
{
	struct interdiff_line *l;

	ALLOC_GROW(f->lines, f->nlines + 1, f->alloc);
	l = &f->lines[f->nlines++];
	l->side = side;
	l->kind = e ? e->pl->kind : 0;
	l->text = e ? e->pl->text : NULL;
	l->len = e ? e->pl->len : 0;
	l->up_hunk = up_hunk;
	l->car_hunk = car_hunk;
}

/* Offsets of the hunks whose lines the carried patch has elsewhere. */
static void note_moves(struct interdiff_file *f, const struct entries *U,
		       const struct entries *C, const struct ops *o)
{
	size_t i, last_hunk = 0;

	for (i = 0; i < o->n; i++) {
		const struct entry *u, *c;
		long off;

		if (o->v[i].kind != OP_MATCH)
			continue;
		u = &U->v[o->v[i].u];
		c = &C->v[o->v[i].c];
		if (u->hunk == last_hunk)
			continue;
		last_hunk = u->hunk;
		off = c->old_line - u->old_line;
		if (!off)
			continue;
		if (!f->hunks_moved || off < f->moved_min)
			f->moved_min = off;
		if (!f->hunks_moved || off > f->moved_max)
			f->moved_max = off;
		f->hunks_moved++;
	}
}

/* The hunks of one op: upstream's (0 for a carried-only line), carried's. */
static void op_hunks(const struct entries *U, const struct entries *C,
		     const struct op *op, size_t *uh, size_t *ch)
{
	*uh = op->kind != OP_CAR ? U->v[op->u].hunk : 0;
	*ch = op->kind != OP_UP ? C->v[op->c].hunk : 0;
}

/*
 * The end of the run of ops from `from` (before `to`) that stay in one
 * hunk on each side, and those hunks: a run never crosses into the next
 * hunk of either patch, so each "@@" names the hunks of all its lines.
 */
static size_t run_hunks(const struct entries *U, const struct entries *C,
			const struct ops *o, size_t from, size_t to,
			size_t *uh, size_t *ch)
{
	size_t i, u, c;

	*uh = *ch = 0;
	for (i = from; i < to; i++) {
		op_hunks(U, C, &o->v[i], &u, &c);
		if ((u && *uh && u != *uh) || (c && *ch && c != *ch))
			break;
		if (u)
			*uh = u;
		if (c)
			*ch = c;
	}
	return i;
}

static void note_differences(struct interdiff_file *f, const struct entries *U,
			     const struct entries *C, const struct ops *o)
{
	unsigned char *show = xcalloc(o->n + 1, 1);
	size_t i, k, start;

	for (i = 0; i < o->n; i++) {
		const struct entry *e;

		if (o->v[i].kind == OP_MATCH)
			continue;
		e = o->v[i].kind == OP_UP ? &U->v[o->v[i].u] : &C->v[o->v[i].c];
		if (e->pl->kind == ' ')
			f->context_lines++;
		else
			f->content_lines++;
		for (k = i > INTERDIFF_CONTEXT ? i - INTERDIFF_CONTEXT : 0;
		     k <= i + INTERDIFF_CONTEXT && k < o->n; k++)
			show[k] = 1;
	}
	for (i = 0; i < o->n;) {
		size_t uh, ch, end;

		if (!show[i]) {
			i++;
			continue;
		}
		for (end = i; end < o->n && show[end]; end++)
			;
		start = i;
		i = run_hunks(U, C, o, start, end, &uh, &ch);
		for (k = start; k < i && o->v[k].kind == OP_MATCH; k++)
			;
		if (k == i)
			continue; /* only a neighbouring hunk's common lines */
		file_push_line(f, '@', NULL, uh, ch);
		for (k = start; k < i; k++) {
			const struct op *op = &o->v[k];

			if (op->kind == OP_MATCH)
				file_push_line(f, ' ', &U->v[op->u],
					       U->v[op->u].hunk, C->v[op->c].hunk);
			else if (op->kind == OP_UP)
				file_push_line(f, '-', &U->v[op->u],
					       U->v[op->u].hunk, 0);
			else
				file_push_line(f, '+', &C->v[op->c], 0,
					       C->v[op->c].hunk);
		}
	}
	free(show);
}

static void compare_files(struct interdiff_file *f, const struct file_diff *u,
			  const struct file_diff *c)
{
	struct entries U = { 0 }, C = { 0 };
	struct ops o = { 0 };

	entries_collect(u, &U);
	entries_collect(c, &C);
	edit_script(&U, &C, &o);
	note_moves(f, &U, &C, &o);
	note_differences(f, &U, &C, &o);
	f->change = f->content_lines ? ID_CONTENT
		    : f->context_lines ? ID_CONTEXT : ID_SAME;
	free(U.v);
	free(C.v);
	free(o.v);
}

static struct interdiff_file *file_new(struct interdiff *d, const char *path)
{
	struct interdiff_file *f;

	ALLOC_GROW(d->files, d->nfiles + 1, d->alloc);
	f = &d->files[d->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path ? path : "(unnamed)");
	return f;
}

static const char *fd_path(const struct patch *p, const struct file_diff *fd)
{
	const char *path = file_diff_target(fd, patch_strip_level(p));

	if (!path)
		path = fd->new_path ? fd->new_path : fd->old_path;
	return path;
}

void interdiff_patches(const struct patch *upstream,
		       const struct patch *carried, struct interdiff *out)
{
	unsigned char *used = xcalloc(carried->nfiles + 1, 1);
	size_t i, j;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < upstream->nfiles; i++) {
		const struct file_diff *u = &upstream->files[i];
		const char *path = fd_path(upstream, u);
		struct interdiff_file *f = file_new(out, path);

		f->up_line = u->lineno;
		for (j = 0; j < carried->nfiles; j++) {
			const char *cp = fd_path(carried, &carried->files[j]);

			if (!used[j] && path && cp && !strcmp(path, cp))
				break;
		}
		if (j == carried->nfiles) {
			f->change = ID_DROPPED;
		} else {
			used[j] = 1;
			f->car_line = carried->files[j].lineno;
			compare_files(f, u, &carried->files[j]);
		}
	}
	for (j = 0; j < carried->nfiles; j++) {
		struct interdiff_file *f;

		if (used[j])
			continue;
		f = file_new(out, fd_path(carried, &carried->files[j]));
		f->car_line = carried->files[j].lineno;
		f->change = ID_ADDED;
	}
	for (i = 0; i < out->nfiles; i++)
		if (out->files[i].change > out->change)
			out->change = out->files[i].change;
	free(used);
}

void interdiff_release(struct interdiff *d)
{
	size_t i;

	for (i = 0; i < d->nfiles; i++) {
		free(d->files[i].path);
		free(d->files[i].lines);
	}
	free(d->files);
	memset(d, 0, sizeof(*d));
}

static void add_moved(struct strbuf *sb, long min, long max, size_t hunks)
{
	if (min == max)
		sb_addf(sb, "moved by %+ld line%s", min,
			min == 1 || min == -1 ? "" : "s");
	else
		sb_addf(sb, "moved by %+ld to %+ld lines", min, max);
	if (hunks > 1)
		sb_addf(sb, " (%zu hunks)", hunks);
}

/* What one file's comparison found, without its path. */
static void file_describe(const struct interdiff_file *f, struct strbuf *sb)
{
	switch (f->change) {
	case ID_ADDED:
		sb_addstr(sb, "only in the carried patch (added)");
		return;
	case ID_DROPPED:
		sb_addstr(sb, "only in the upstream patch (dropped)");
		return;
	case ID_SAME:
		sb_addstr(sb, "same change");
		break;
	case ID_CONTEXT:
		sb_addf(sb, "other context (%zu line%s)", f->context_lines,
			f->context_lines == 1 ? "" : "s");
		break;
	case ID_CONTENT:
		sb_addf(sb, "other changes (%zu added/removed line%s differ",
			f->content_lines, f->content_lines == 1 ? "" : "s");
		if (f->context_lines)
			sb_addf(sb, ", %zu context line%s", f->context_lines,
				f->context_lines == 1 ? "" : "s");
		sb_addch(sb, ')');
		break;
	}
	if (f->hunks_moved) {
		sb_addstr(sb, ", ");
		add_moved(sb, f->moved_min, f->moved_max, f->hunks_moved);
	}
}

void interdiff_summary(const struct interdiff *d, struct strbuf *out)
{
	size_t i, moved = 0, listed = 0;
	long min = 0, max = 0;

	if (d->change == ID_SAME) {
		sb_addstr(out, "same as upstream");
		for (i = 0; i < d->nfiles; i++) {
			const struct interdiff_file *f = &d->files[i];

			if (!f->hunks_moved)
				continue;
			if (!moved || f->moved_min < min)
				min = f->moved_min;
			if (!moved || f->moved_max > max)
				max = f->moved_max;
			moved += f->hunks_moved;
		}
		if (moved) {
			sb_addstr(out, ", ");
			add_moved(out, min, max, moved);
		}
		return;
	}
	for (i = 0; i < d->nfiles; i++) {
		const struct interdiff_file *f = &d->files[i];

		if (f->change == ID_SAME)
			continue;
		if (listed++)
			sb_addstr(out, "; ");
		sb_add_escaped(out, f->path);
		sb_addstr(out, ": ");
		file_describe(f, out);
	}
}

void interdiff_write(const struct interdiff *d, const char *up_name,
		     const char *car_name, struct strbuf *out)
{
	size_t i, k;

	/* names and paths escaped (util.h); diff lines are shown as they are */
	sb_addstr(out, "--- ");
	sb_add_escaped(out, up_name);
	sb_addstr(out, " (upstream)\n+++ ");
	sb_add_escaped(out, car_name);
	sb_addstr(out, " (carried)\n");
	for (i = 0; i < d->nfiles; i++) {
		const struct interdiff_file *f = &d->files[i];

		sb_add_escaped(out, f->path);
		sb_addstr(out, ": ");
		file_describe(f, out);
		sb_addch(out, '\n');
		for (k = 0; k < f->nlines; k++) {
			const struct interdiff_line *l = &f->lines[k];

			if (l->side == '@') {
				sb_addstr(out, "@@");
				if (l->up_hunk)
					sb_addf(out, " upstream hunk %zu", l->up_hunk);
				if (l->up_hunk && l->car_hunk)
					sb_addch(out, ',');
				if (l->car_hunk)
					sb_addf(out, " carried hunk %zu", l->car_hunk);
				sb_addstr(out, " @@\n");
				continue;
			}
			sb_addch(out, l->side);
			sb_addch(out, l->kind);
			sb_add(out, l->text, l->len);
			sb_addch(out, '\n');
		}
	}
}

static json_t *jstring_n(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);

	return j ? j : json_string("(not UTF-8)");
}

json_t *interdiff_json(const struct interdiff *d)
{
	json_t *root = json_object(), *files = json_array();
	size_t i, k;

	json_object_set_new(root, "change",
			    json_string(interdiff_change_name(d->change)));
	for (i = 0; i < d->nfiles; i++) {
		const struct interdiff_file *f = &d->files[i];
		json_t *o = json_object(), *lines = json_array();
		struct strbuf sb = STRBUF_INIT;

		json_object_set_new(o, "path", jstring_n(f->path, strlen(f->path)));
		json_object_set_new(o, "change",
				    json_string(interdiff_change_name(f->change)));
		json_object_set_new(o, "hunks_moved",
				    json_integer((json_int_t)f->hunks_moved));
		json_object_set_new(o, "moved_min", json_integer(f->moved_min));
		json_object_set_new(o, "moved_max", json_integer(f->moved_max));
		json_object_set_new(o, "context_lines",
				    json_integer((json_int_t)f->context_lines));
		json_object_set_new(o, "content_lines",
				    json_integer((json_int_t)f->content_lines));
		for (k = 0; k < f->nlines; k++) {
			const struct interdiff_line *l = &f->lines[k];

			sb_reset(&sb);
			if (l->side == '@') {
				sb_addf(&sb, "@@ %zu %zu @@", l->up_hunk,
					l->car_hunk);
			} else {
				sb_addch(&sb, l->side);
				sb_addch(&sb, l->kind);
				sb_add(&sb, l->text, l->len);
			}
			json_array_append_new(lines, jstring_n(sb.buf, sb.len));
		}
		sb_release(&sb);
		json_object_set_new(o, "diff", lines);
		json_array_append_new(files, o);
	}
	json_object_set_new(root, "files", files);
	return root;
}
