/*
 * check_format.c - the verdict matrix as text, as the reviewer's Markdown
 * table, and as JSON (schema in HACKING.md).  Emitters only read results.
 */
#include "place/check.h"
#include "place/adapt.h"
#include "analyse/check_build.h"
#include "emit/compile_format.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int check_format_parse(const char *s, enum check_format *out)
{
	if (!strcmp(s, "text"))
		*out = FORMAT_TEXT;
	else if (!strcmp(s, "markdown") || !strcmp(s, "md"))
		*out = FORMAT_MARKDOWN;
	else if (!strcmp(s, "json"))
		*out = FORMAT_JSON;
	else
		return error("unknown format '%s' (text, markdown, json)", s);
	return 0;
}

static const char *op_name(enum file_op op)
{
	static const char *const names[] = { "modify", "create", "delete",
					     "rename", "copy" };
	return names[op];
}

/* A cell's verdict; an empty commit says so ("empty", counted clean). */
const char *check_cell_name(const struct patch_result *r)
{
	if (patch_is_empty(r->patch) && r->verdict == V_CLEAN)
		return "empty";
	return verdict_name(r->verdict);
}

/*
 * The -F apply needs for r: its worst hunk's fuzz, 0 for none (or for a
 * conflict: apply refuses it anyway).
 */
static int needed_fuzz(const struct patch_result *r)
{
	size_t i, h;
	int fuzz = APPLY_DEFAULT_FUZZ;

	if (r->verdict == V_CONFLICT)
		return 0;
	for (i = 0; i < r->nfiles; i++)
		for (h = 0; h < r->files[i].fd->nhunks; h++)
			if (r->files[i].hunks[h].verdict == V_FUZZ &&
			    r->files[i].hunks[h].fuzz > fuzz)
				fuzz = r->files[i].hunks[h].fuzz;
	return fuzz > APPLY_DEFAULT_FUZZ ? fuzz : 0;
}

/*
 * For a table cell: the first hunk placed where it also matches elsewhere,
 * "ambiguous placement: PATH hunk N (func) also matches at L", and how
 * many more there are (the text output and JSON list every one).
 */
static void describe_ambiguity(const struct patch_result *r, struct strbuf *sb)
{
	size_t i, h, more = 0;

	for (i = 0; i < r->nfiles; i++)
		for (h = 0; h < r->files[i].fd->nhunks; h++) {
			const struct hunk_result *hr = &r->files[i].hunks[h];

			if (!hr->ambiguous_at || hr->verdict == V_CONFLICT)
				continue;
			if (more++)
				continue;
			sb_addstr(sb, sb->len ? "; ambiguous placement: "
					      : "ambiguous placement: ");
			hunk_result_name(&r->files[i], h, sb);
			sb_addf(sb, " also matches at %ld", hr->ambiguous_at);
		}
	if (more > 1)
		sb_addf(sb, " (and %zu more hunk%s)", more - 1,
			more > 2 ? "s" : "");
}

/* A created file (or a hunk into an empty one) has no stated line. */
static int hunk_is_new(const struct file_result *fr, size_t h)
{
	return fr->fd->op == FILE_CREATE ||
	       (!fr->fd->hunks[h].old_start && !fr->fd->hunks[h].old_count);
}

static void print_hunks_text(const struct patch_result *r, const char *target,
			     FILE *f)
{
	size_t i, h;

	for (i = 0; i < r->nfiles; i++) {
		const struct file_result *fr = &r->files[i];

		if (fr->reason)
			fprintf(f, "    %s: %s: %s: %s\n", target, fr->path,
				verdict_name(fr->verdict), fr->reason);
		for (h = 0; h < fr->fd->nhunks; h++) {
			const struct hunk_result *hr = &fr->hunks[h];

			fprintf(f, "    %s: %s hunk %zu: %s", target, fr->path,
				h + 1, verdict_name(hr->verdict));
			if (hr->verdict == V_OFFSET)
				fprintf(f, " %+ld", hr->offset);
			if (hr->verdict == V_FUZZ)
				fprintf(f, " %d, offset %+ld", hr->fuzz,
					hr->offset);
			if (hr->at && hunk_is_new(fr, h) && hr->verdict != V_CONFLICT)
				fputs(", new file", f);
			else if (hr->at)
				fprintf(f, ", at %ld (stated %ld)", hr->at,
					fr->fd->hunks[h].old_start);
			if (hr->ambiguous_at)
				fprintf(f, ", also matches at %ld",
					hr->ambiguous_at);
			if (hr->reason)
				fprintf(f, ": %s", hr->reason);
			if (hr->adapt && hr->adapt->kinds) {
				struct strbuf sb = STRBUF_INIT;

				adaptation_describe(hr->adapt, &sb);
				fprintf(f, ": %s", sb.buf);
				sb_release(&sb);
			}
			if (hr->verdict == V_CONFLICT &&
			    fr->merge >= MERGE_CONFLICTS)
				fputs("; 3-way merge conflicts", f);
			if (hr->verdict == V_CONFLICT && hr->adapt &&
			    hr->adapt->why.len)
				fprintf(f, "; not adapted: %s",
					hr->adapt->why.buf);
			fputc('\n', f);
		}
	}
}

/* Without -v: each hunk placed where it also matches elsewhere. */
static void print_ambiguity_text(const struct patch_result *r,
				 const char *target, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, h;

	for (i = 0; i < r->nfiles; i++)
		for (h = 0; h < r->files[i].fd->nhunks; h++) {
			const struct hunk_result *hr = &r->files[i].hunks[h];

			if (!hr->ambiguous_at || hr->verdict == V_CONFLICT)
				continue;
			sb_reset(&sb);
			hunk_result_name(&r->files[i], h, &sb);
			if (hr->verdict == V_APPLIED) {
				fprintf(f, "    %s: %s: already applied at %ld, "
					"its pre-image also matches at %ld: "
					"ambiguous placement\n", target, sb.buf,
					hr->at, hr->ambiguous_at);
				continue;
			}
			sb_addstr(&sb, ": ");
			hunk_result_describe(&r->files[i], hr, &sb);
			fprintf(f, "    %s: %s, at %ld, also matches at %ld: "
				"ambiguous placement\n", target, sb.buf,
				hr->at, hr->ambiguous_at);
		}
	sb_release(&sb);
}

/* Without -v: each adapted hunk and how (the reviewer's "noise"). */
static void print_adapted_text(const struct patch_result *r,
			       const char *target, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, h;

	for (i = 0; i < r->nfiles; i++)
		for (h = 0; h < r->files[i].fd->nhunks; h++) {
			const struct hunk_result *hr = &r->files[i].hunks[h];

			if (hr->verdict != V_ADAPTED)
				continue;
			sb_reset(&sb);
			hunk_result_name(&r->files[i], h, &sb);
			sb_addstr(&sb, ": ");
			hunk_result_describe(&r->files[i], hr, &sb);
			fprintf(f, "    %s: %s\n", target, sb.buf);
		}
	sb_release(&sb);
}

/* Files found where upstream renamed them from: where (once: without -v
   a conflict's or fuzz's description already says it). */
static void print_moved_text(const struct patch_result *r, const char *target,
			     int verbose, FILE *f)
{
	size_t i;

	if (!verbose && (r->verdict == V_CONFLICT || r->verdict == V_FUZZ))
		return;
	for (i = 0; i < r->nfiles; i++)
		if (r->files[i].moved)
			fprintf(f, "    %s: %s\n", target, r->files[i].moved);
}

/* One cell's lines below its patch's row. */
static void print_cell_text(const struct check_run *run, size_t i, size_t t,
			    int verbose, FILE *f)
{
	const struct patch_result *r = check_cell(run, i, t);
	const char *target = run->targets[t].name;
	struct strbuf sb = STRBUF_INIT;
	int fuzz = needed_fuzz(r);

	/* -v: the hunk lines below say it; once is enough */
	if (!verbose && (r->verdict == V_CONFLICT || r->verdict == V_FUZZ)) {
		patch_result_describe(r, &sb);
		fprintf(f, "    %s: %s%s", target, sb.buf,
			fuzz && r->verdict != V_CONFLICT ? ": " : "\n");
	} else if (fuzz && r->verdict != V_CONFLICT) {
		fprintf(f, "    %s: ", target);
	} else if (patch_result_has_note(r)) { /* empty, submodule, mode */
		patch_result_describe(r, &sb);
		fprintf(f, "    %s: %s\n", target, sb.buf);
	}
	if (fuzz && r->verdict != V_CONFLICT)
		fprintf(f, "apply needs -F %d (its default is fuzz %d, as "
			"dpkg-source)\n", fuzz, APPLY_DEFAULT_FUZZ);
	print_moved_text(r, target, verbose, f);
	if (!verbose) {
		print_ambiguity_text(r, target, f);
		print_adapted_text(r, target, f);
	}
	if (check_note(run, i, t))
		fprintf(f, "    %s: %s\n", target, check_note(run, i, t));
	if (verbose)
		print_hunks_text(r, target, f);
	sb_release(&sb);
}

static void print_text_raw(const struct check_run *run, FILE *f, int verbose)
{
	size_t i, t, width = 5;

	for (i = 0; i < run->series->n; i++) {
		size_t len = strlen(check_patch_label(&run->series->v[i]));
		if (len > width)
			width = len;
	}
	fprintf(f, "%-*s", (int)width, "patch");
	for (t = 0; t < run->ntargets; t++)
		fprintf(f, "  %-12s", run->targets[t].name);
	fputc('\n', f);
	for (i = 0; i < run->series->n; i++) {
		fprintf(f, "%-*s", (int)width,
			check_patch_label(&run->series->v[i]));
		for (t = 0; t < run->ntargets; t++)
			fprintf(f, "  %-12s",
				check_cell_name(check_cell(run, i, t)));
		fputc('\n', f);
		for (t = 0; t < run->ntargets; t++)
			print_cell_text(run, i, t, verbose, f);
	}
}

static void md_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '`')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static void print_markdown_raw(const struct check_run *run, FILE *f)
{
	size_t i, t;
	struct strbuf sb = STRBUF_INIT;

	fputs("| # | patch |", f);
	for (t = 0; t < run->ntargets; t++) {
		fputc(' ', f);
		md_escaped(f, run->targets[t].name);
		fputs(" |", f);
	}
	fputs("\n|--:|---|", f);
	for (t = 0; t < run->ntargets; t++)
		fputs("---|", f);
	fputc('\n', f);
	for (i = 0; i < run->series->n; i++) {
		fprintf(f, "| %zu | ", i + 1);
		md_escaped(f, check_patch_label(&run->series->v[i]));
		fputs(" |", f);
		for (t = 0; t < run->ntargets; t++) {
			const struct patch_result *r = check_cell(run, i, t);

			fprintf(f, " %s", verdict_word(r->verdict));
			sb_reset(&sb);
			patch_result_describe(r, &sb);
			if (needed_fuzz(r))
				sb_addf(&sb, "; apply needs -F %d",
					needed_fuzz(r));
			describe_ambiguity(r, &sb);
			if (check_note(run, i, t))
				sb_addf(&sb, "%s%s", sb.len ? "; " : "",
					check_note(run, i, t));
			if (sb.len) {
				fputs(": ", f);
				md_escaped(f, sb.buf);
			}
			fputs(" |", f);
		}
		fputc('\n', f);
	}
	sb_release(&sb);
}

/*
 * Names, paths and reasons come from patches and series: the table is made
 * first, then written line by line with what a terminal would act on
 * escaped (util.h), so that no cell can clear the screen or retitle it.
 */
static FILE *table_begin(char **buf, size_t *len)
{
	FILE *m = open_memstream(buf, len);

	if (!m) {
		fputs(PROGRAM_NAME ": out of memory\n", stderr);
		exit(EXIT_USAGE);
	}
	return m;
}

static void table_end(FILE *m, char **bufp, size_t *lenp, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	char *buf, *s, *nl;
	size_t len;

	fclose(m); /* sets *bufp and *lenp */
	buf = *bufp;
	len = *lenp;
	sb_init(&sb);
	for (s = buf; s < buf + len; s = nl ? nl + 1 : buf + len) {
		nl = memchr(s, '\n', (size_t)(buf + len - s));
		if (nl)
			*nl = '\0';
		sb_add_escaped(&sb, s);
		if (nl)
			sb_addch(&sb, '\n');
	}
	fwrite(sb.buf, 1, sb.len, f);
	sb_release(&sb);
	free(buf);
}

void check_print_text(const struct check_run *run, FILE *f, int verbose)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = table_begin(&buf, &len);

	print_text_raw(run, m, verbose);
	table_end(m, &buf, &len, f);
}

void check_print_markdown(const struct check_run *run, FILE *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = table_begin(&buf, &len);

	print_markdown_raw(run, m);
	table_end(m, &buf, &len, f);
}

/* JSON strings must be UTF-8; patch subjects and paths need not be. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	char *copy, *c;

	if (j)
		return j;
	copy = xstrdup(s);
	for (c = copy; *c; c++)
		if ((unsigned char)*c >= 0x80)
			*c = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

static json_t *jstr_n(const char *s, size_t len)
{
	char *copy = xstrndup(s, len);
	json_t *j = jstr(copy);

	free(copy);
	return j;
}

static json_t *json_line_or_null(long n)
{
	return n ? json_integer(n) : json_null();
}

/* The evidence of an adaptation made: kinds, context replaced, renames. */
static json_t *json_adaptation(const struct hunk_result *hr)
{
	const struct adaptation *a = hr->adapt;
	json_t *o, *kinds, *lines, *ren;
	const char *p, *nl;
	size_t i;

	if (!a)
		return json_null();
	o = json_object();
	if (!a->kinds) {
		json_object_set_new(o, "refused", jstr(a->why.buf));
		json_object_set_new(o, "candidates", json_integer(a->candidates));
		json_object_set_new(o, "search_us", json_integer(a->usec));
		return o;
	}
	kinds = json_array();
	if (a->kinds & ADAPT_DRIFT)
		json_array_append_new(kinds, json_string("drift"));
	if (a->kinds & ADAPT_WHITESPACE)
		json_array_append_new(kinds, json_string("whitespace"));
	if (a->kinds & ADAPT_RENAME)
		json_array_append_new(kinds, json_string("rename"));
	lines = json_array();
	for (p = a->replaced.buf; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		json_array_append_new(lines, jstr_n(p, (size_t)(nl - p)));
	}
	ren = json_array();
	for (i = 0; i < a->nrenames; i++) {
		json_t *r = json_pack("{s:s,s:s}", "from", a->renames[i].from,
				      "to", a->renames[i].to);

		if (a->renames[i].commit)
			json_object_set_new(r, "commit",
					    json_string(a->renames[i].commit));
		json_array_append_new(ren, r);
	}
	json_object_set_new(o, "kinds", kinds);
	json_object_set_new(o, "context_replaced", lines);
	json_object_set_new(o, "target_context", json_integer(a->context_extra));
	json_object_set_new(o, "renames", ren);
	json_object_set_new(o, "candidates", json_integer(a->candidates));
	json_object_set_new(o, "search_us", json_integer(a->usec));
	return o;
}

static json_t *json_hunk(const struct hunk *h, const struct hunk_result *hr,
			 size_t n)
{
	json_t *o = json_object();
	size_t len = h->func_len;
	const char *s = h->func;

	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	json_object_set_new(o, "n", json_integer((json_int_t)n));
	json_object_set_new(o, "verdict", json_string(verdict_name(hr->verdict)));
	json_object_set_new(o, "offset", json_integer(hr->offset));
	json_object_set_new(o, "fuzz", json_integer(hr->fuzz));
	json_object_set_new(o, "stated", json_integer(h->old_start));
	json_object_set_new(o, "at", json_line_or_null(hr->at));
	json_object_set_new(o, "ambiguous_at", json_line_or_null(hr->ambiguous_at));
	json_object_set_new(o, "patch_line", json_integer(h->lineno));
	json_object_set_new(o, "function",
			    len ? jstr_n(s, len) : json_null());
	json_object_set_new(o, "reason",
			    hr->reason ? json_string(hr->reason) : json_null());
	json_object_set_new(o, "adaptation", json_adaptation(hr));
	return o;
}

static json_t *json_id_or_null(const char *id)
{
	return *id ? json_string(id) : json_null();
}

/* A submodule change: { "from", "to" } (commit ids, null for none). */
static json_t *json_sub(const struct file_diff *fd)
{
	json_t *o = json_object();

	json_object_set_new(o, "from", json_id_or_null(fd->old_sub));
	json_object_set_new(o, "to", json_id_or_null(fd->new_sub));
	return o;
}

static json_t *json_file(const struct file_result *fr)
{
	json_t *o = json_object(), *hunks = json_array();
	size_t h;

	json_object_set_new(o, "path", jstr(fr->path ? fr->path : ""));
	json_object_set_new(o, "op", json_string(op_name(fr->fd->op)));
	json_object_set_new(o, "verdict", json_string(verdict_name(fr->verdict)));
	json_object_set_new(o, "reason",
			    fr->reason ? json_string(fr->reason) : json_null());
	json_object_set_new(o, "merge", merge_state_name(fr->merge)
			    ? json_string(merge_state_name(fr->merge))
			    : json_null());
	for (h = 0; h < fr->fd->nhunks; h++)
		json_array_append_new(hunks, json_hunk(&fr->fd->hunks[h],
						       &fr->hunks[h], h + 1));
	json_object_set_new(o, "hunks", hunks);
	if (fr->note)
		json_object_set_new(o, "note", jstr(fr->note));
	if (fr->moved)
		json_object_set_new(o, "moved", jstr(fr->moved));
	if (fr->fd->is_submodule)
		json_object_set_new(o, "submodule", json_sub(fr->fd));
	return o;
}

static json_t *json_result(const struct check_run *run,
			   const struct patch_result *r, const char *target,
			   const char *note)
{
	json_t *o = json_object(), *files = json_array();
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	patch_result_describe(r, &sb);
	json_object_set_new(o, "target", jstr(target));
	json_object_set_new(o, "verdict", json_string(verdict_name(r->verdict)));
	json_object_set_new(o, "word", json_string(verdict_word(r->verdict)));
	json_object_set_new(o, "reason", sb.len ? jstr(sb.buf) : json_null());
	json_object_set_new(o, "kept", json_boolean(r->kept));
	json_object_set_new(o, "deps", note ? jstr(note) : json_null());
	json_object_set_new(o, "apply_fuzz",
			    json_integer(needed_fuzz(r)));
	for (i = 0; i < r->nfiles; i++)
		json_array_append_new(files, json_file(&r->files[i]));
	json_object_set_new(o, "files", files);
	if (patch_is_empty(r->patch))
		json_object_set_new(o, "empty", json_true());
	sb_release(&sb);
	return o;
}

static json_t *json_summary(const struct check_run *run)
{
	json_t *sum = json_object();
	size_t t, i;
	int v;

	for (t = 0; t < run->ntargets; t++) {
		json_int_t count[V_CONFLICT + 1] = { 0 };
		json_t *o = json_object();

		for (i = 0; i < run->series->n; i++)
			count[check_cell(run, i, t)->verdict]++;
		for (v = V_CLEAN; v <= V_CONFLICT; v++)
			json_object_set_new(o, verdict_name(v),
					    json_integer(count[v]));
		json_object_set_new(sum, run->targets[t].name, o);
	}
	return sum;
}

/* One patch of the document: its name, subject, commit, results. */
static json_t *json_patch(const struct check_run *run, size_t i)
{
	const struct patch *p = &run->series->v[i];
	json_t *po = json_object(), *results = json_array();
	size_t t;

	json_object_set_new(po, "name", jstr(check_patch_label(p)));
	json_object_set_new(po, "subject", p->meta.subject
			    ? jstr(p->meta.subject) : json_null());
	json_object_set_new(po, "commit", p->meta.commit
			    ? json_string(p->meta.commit) : json_null());
	if (p->binary_ids)
		json_object_set_new(po, "patch_text", json_string(
			"format-patch --no-stat --no-binary"));
	for (t = 0; t < run->ntargets; t++)
		json_array_append_new(results,
			json_result(run, check_cell(run, i, t),
				    run->targets[t].name, check_note(run, i, t)));
	json_object_set_new(po, "results", results);
	return po;
}

/* The document's head: version, mode and targets. */
static json_t *json_head(const struct check_run *run)
{
	json_t *root = json_object(), *targets = json_array();
	size_t t;

	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "mode",
			    json_string(run->state.independent ? "independent"
							       : "cumulative"));
	for (t = 0; t < run->ntargets; t++)
		json_array_append_new(targets, jstr(run->targets[t].name));
	json_object_set_new(root, "targets", targets);
	return root;
}

/* The document of HACKING.md's check schema, version 1. */
static json_t *json_run(const struct check_run *run)
{
	json_t *root = json_head(run), *patches = json_array();
	size_t i;

	for (i = 0; i < run->series->n; i++)
		json_array_append_new(patches, json_patch(run, i));
	json_object_set_new(root, "patches", patches);
	json_object_set_new(root, "summary", json_summary(run));
	return root;
}

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER)

static void json_print(json_t *root, FILE *f)
{
	json_dumpf(root, f, JSON_FLAGS);
	fputc('\n', f);
	json_decref(root);
}

/*
 * v dumped as json_dumpf writes it at depth / 2 of a document: every line
 * after the first indented by depth spaces more (the first follows its
 * key or the array's indent).  v is freed.
 */
static void json_print_at(json_t *v, int depth, FILE *f)
{
	char *s = json_dumps(v, JSON_FLAGS), *p, *nl;

	json_decref(v);
	for (p = s; p && (nl = strchr(p, '\n')); p = nl + 1) {
		fwrite(p, 1, (size_t)(nl + 1 - p), f);
		fprintf(f, "%*s", depth, "");
	}
	if (p)
		fputs(p, f);
	free(s);
}

/*
 * The document json_run makes, byte for byte, written a patch at a time:
 * a release's worth of commits makes 10 MB of JSON, half a million values
 * that took as long to free as to write when they were all one tree.
 */
void check_print_json(const struct check_run *run, FILE *f)
{
	json_t *head = json_head(run);
	char *s = json_dumps(head, JSON_FLAGS);
	size_t i, len = s ? strlen(s) : 0;

	json_decref(head);
	if (len < 2 || s[len - 1] != '}' || s[len - 2] != '\n') {
		free(s); /* not the shape written below: the whole tree */
		json_print(json_run(run), f);
		return;
	}
	fwrite(s, 1, len - 2, f); /* without its closing "\n}" */
	free(s);
	fputs(",\n  \"patches\": [", f);
	for (i = 0; i < run->series->n; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		json_print_at(json_patch(run, i), 4, f);
	}
	fputs(run->series->n ? "\n  ],\n  \"summary\": " : "],\n  \"summary\": ", f);
	json_print_at(json_summary(run), 2, f);
	fputs("\n}\n", f);
}

/*
 * check --trim-headers: the document of the run whose verdicts count, with
 * members added (so a reader of schema 1 still reads it): "headers", the
 * trim's report (as "headers --format json" prints it), and, when the trim
 * was made (trimmed is not NULL), "untrimmed", the series as it is.
 */
void check_print_json_trimmed(const struct check_run *full,
			      const struct check_run *trimmed,
			      const char *headers_json, FILE *f)
{
	json_t *root = json_run(trimmed ? trimmed : full);
	json_t *headers = json_loads(headers_json, 0, NULL);

	if (trimmed)
		json_object_set_new(root, "untrimmed", json_run(full));
	json_object_set_new(root, "headers", headers ? headers : json_null());
	json_print(root, f);
}

/*
 * check --build: the document with "builds" added, one per target in
 * target order, as plan --format json writes a build.
 */
void check_print_json_built(const struct check_run *run,
			    const struct compile_result *builds, FILE *f)
{
	json_t *root = json_run(run), *v = json_array();
	size_t t;

	for (t = 0; t < run->ntargets; t++) {
		struct patch_result *res = check_build_column(run, t);
		json_t *b = compile_result_json_res(&builds[t], res);

		free(res);

		json_object_set_new(b, "target", jstr(run->targets[t].name));
		json_array_append_new(v, b);
	}
	json_object_set_new(root, "builds", v);
	json_print(root, f);
}
