/*
 * headers.c - the header trimmer: from a linux-headers update, only what
 * the consumers need (see headers.h).
 *
 * The steps, each in a file of its own (their model: headers_int.h):
 *   load the source  - a patch (each hunk's new side scanned as a fragment)
 *                      or a headers tree mapped as update-linux-headers.sh
 *                      maps it (standard-headers get the portable spelling,
 *                      headers_spell.c)                     headers_load.c
 *   load the target  - the same files from the tree, scanned whole
 *   read consumers   - identifiers of '+' lines of patches, or of C files
 *   match            - which source declarations the target already has
 *                                                          headers_match.c
 *   roots, closure   - what the consumers use that only the source has,
 *                      then what those need (refs, containers, contents)
 *                                                        headers_closure.c
 *   place            - after the nearest earlier sibling the target has
 *                                                          headers_place.c
 *   check values     - enumerators renumbered, names redefined, values
 *                      that differ between the target and upstream
 *                                                         headers_values.c
 *   emit             - one unified diff of pure insertions, 3 lines of
 *                      context, quilt style                headers_write.c
 *
 * This file drives them and owns the report (its text and JSON forms).
 */
#include "analyse/headers.h"
#include "analyse/headers_int.h"

#include <jansson.h>
#include <string.h>

/* --------------------------------------------------------------- driver */

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct hfile *)a)->path,
		      ((const struct hfile *)b)->path);
}

int headers_trim(struct tree *t, const struct headers_opts *o,
		 struct strbuf *diff, struct headers_report *r)
{
	struct trim x;
	int rc = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	x.t = t;
	x.o = o;
	x.r = r;
	trim_nidx_init(&x.tidx);
	trim_nidx_init(&x.sidx);
	trim_nidx_init(&x.used);
	trim_nidx_init(&x.cdefs);
	trim_nidx_init(&x.includes);
	sb_init(diff);
	if ((o->source_patch || o->source_list ? trim_load_source_patch(&x) :
						 trim_load_source_dir(&x)) ||
	    trim_read_consumers(&x)) {
		rc = -1;
		goto out;
	}
	qsort(x.f, x.nf, sizeof(*x.f), cmp_path);
	trim_index_all(&x);
	trim_match_all(&x);
	trim_find_roots(&x);
	trim_check_new_headers(&x);
	trim_place_all(&x);
	trim_check_enums(&x);
	trim_check_aggregates(&x);
	trim_report_dropped(&x);
	trim_emit(&x, diff);
	if (!o->source_patch && !o->source_list)
		r->full_lines = r->kept_lines + r->dropped_lines;
	if (r->conflicts.n) {
		sb_reset(diff);
		rc = 1;
	}
out:
	for (i = 0; i < x.nf; i++)
		trim_hfile_release(&x.f[i]);
	free(x.f);
	trim_nidx_free(&x.tidx);
	trim_nidx_free(&x.sidx);
	trim_nidx_free(&x.used);
	trim_nidx_free(&x.cdefs);
	trim_nidx_free(&x.includes);
	return rc;
}

/* -------------------------------------------------------------- report */

static void items_release(struct headers_items *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->v[i].path);
		free(v->v[i].name);
		free(v->v[i].of);
		free(v->v[i].designator);
		free(v->v[i].why);
	}
	free(v->v);
}

static void values_release(struct headers_values *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		free(v->v[i].path);
		free(v->v[i].name);
		free(v->v[i].target);
		free(v->v[i].result);
		free(v->v[i].upstream);
		free(v->v[i].message);
	}
	free(v->v);
}

void headers_report_release(struct headers_report *r)
{
	size_t i;

	items_release(&r->needed);
	items_release(&r->kept);
	items_release(&r->dropped);
	values_release(&r->changed);
	values_release(&r->conflicts);
	values_release(&r->warnings);
	for (i = 0; i < r->nfiles; i++)
		free(r->files[i]);
	free(r->files);
	memset(r, 0, sizeof(*r));
}

/* "define FOO", but "struct foo" rather than "struct struct foo". */
static const char *kind_prefix(const struct headers_item *it)
{
	size_t n = strlen(it->kind);

	return !strncmp(it->name, it->kind, n) && it->name[n] == ' ' ? "" :
								       it->kind;
}

static const char *kind_sep(const struct headers_item *it)
{
	return *kind_prefix(it) ? " " : "";
}

void headers_report_print(const struct headers_report *r, FILE *f)
{
	size_t i;

	for (i = 0; i < r->conflicts.n; i++)
		fprintf(f, PROGRAM_NAME ": %s:%ld: %s\n", r->conflicts.v[i].path,
			r->conflicts.v[i].line, r->conflicts.v[i].message);
	for (i = 0; i < r->changed.n; i++)
		fprintf(f, PROGRAM_NAME ": %s:%ld: warning: %s\n",
			r->changed.v[i].path, r->changed.v[i].line,
			r->changed.v[i].message);
	for (i = 0; i < r->warnings.n; i++)
		fprintf(f, PROGRAM_NAME ": %s:%ld: warning: %s\n",
			r->warnings.v[i].path, r->warnings.v[i].line,
			r->warnings.v[i].message);
	fprintf(f, "kept %zu declarations (%ld lines) in %zu files; dropped %zu (%ld lines); the full update has %ld lines\n",
		r->kept.n, r->kept_lines, r->nfiles, r->dropped.n,
		r->dropped_lines, r->full_lines);
	for (i = 0; i < r->kept.n; i++)
		fprintf(f, "  kept     %s: %s%s%s%s%s (%ld lines, %s)\n",
			r->kept.v[i].path, kind_prefix(&r->kept.v[i]),
			kind_sep(&r->kept.v[i]), r->kept.v[i].name,
			r->kept.v[i].of ? " in " : "",
			r->kept.v[i].of ? r->kept.v[i].of : "",
			r->kept.v[i].lines, r->kept.v[i].why);
	for (i = 0; i < r->dropped.n; i++)
		fprintf(f, "  dropped  %s: %s%s%s%s%s (%ld lines)\n",
			r->dropped.v[i].path, kind_prefix(&r->dropped.v[i]),
			kind_sep(&r->dropped.v[i]), r->dropped.v[i].name, r->dropped.v[i].of ? " in " : "",
			r->dropped.v[i].of ? r->dropped.v[i].of : "",
			r->dropped.v[i].lines);
}

static json_t *items_json(const struct headers_items *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < v->n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(v->v[i].path));
		json_object_set_new(o, "name", json_string(v->v[i].name));
		json_object_set_new(o, "kind", json_string(v->v[i].kind));
		json_object_set_new(o, "of", v->v[i].of ? json_string(v->v[i].of) :
							  json_null());
		if (v->v[i].designator)
			json_object_set_new(o, "designator",
					    json_string(v->v[i].designator));
		json_object_set_new(o, "lines", json_integer(v->v[i].lines));
		if (v->v[i].why)
			json_object_set_new(o, "why", json_string(v->v[i].why));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *values_json(const struct headers_values *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < v->n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(v->v[i].path));
		json_object_set_new(o, "line", json_integer(v->v[i].line));
		json_object_set_new(o, "name", json_string(v->v[i].name));
		json_object_set_new(o, "target", str_or_null(v->v[i].target));
		json_object_set_new(o, "result", str_or_null(v->v[i].result));
		json_object_set_new(o, "upstream", str_or_null(v->v[i].upstream));
		json_object_set_new(o, "message", json_string(v->v[i].message));
		json_array_append_new(a, o);
	}
	return a;
}

char *headers_report_json(const struct headers_report *r)
{
	json_t *o = json_object(), *files = json_array(), *sum = json_object();
	char *s, *copy;
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		json_array_append_new(files, json_string(r->files[i]));
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "needed", items_json(&r->needed));
	json_object_set_new(o, "kept", items_json(&r->kept));
	json_object_set_new(o, "dropped", items_json(&r->dropped));
	json_object_set_new(o, "changed", values_json(&r->changed));
	json_object_set_new(o, "conflicts", values_json(&r->conflicts));
	json_object_set_new(o, "warnings", values_json(&r->warnings));
	json_object_set_new(sum, "used", json_integer((json_int_t)r->nused));
	json_object_set_new(sum, "kept", json_integer((json_int_t)r->kept.n));
	json_object_set_new(sum, "kept_lines", json_integer(r->kept_lines));
	json_object_set_new(sum, "dropped", json_integer((json_int_t)r->dropped.n));
	json_object_set_new(sum, "dropped_lines", json_integer(r->dropped_lines));
	json_object_set_new(sum, "full_lines", json_integer(r->full_lines));
	json_object_set_new(o, "summary", sum);
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	copy = xstrdup(s);
	free(s);
	return copy;
}

int headers_is_sync(const struct patch *p)
{
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		const char *path = file_diff_target(&p->files[i],
						    patch_strip_level(p));
		if (!path || (strncmp(path, "linux-headers/", 14) &&
			      strncmp(path, "include/standard-headers/", 25)))
			return 0;
	}
	return p->nfiles > 0;
}

void headers_trimmed_patch(const struct patch *sync,
			   const struct headers_report *hr,
			   const struct strbuf *diff, struct strbuf *out)
{
	const char *sep = sync->header ? strstr(sync->header, "\n---\n") : NULL;
	size_t head = sep ? (size_t)(sep - sync->header) + 1 : sync->header_len;
	size_t i;

	if (head)
		sb_add(out, sync->header, head);
	sb_addf(out, "\n[backport: the full header sync trimmed to what the "
		     "backport uses (%ld of %ld changed lines); kept:",
		hr->kept_lines, hr->full_lines);
	for (i = 0; i < hr->kept.n; i++)
		sb_addf(out, "%s %s", i ? "," : "", hr->kept.v[i].name);
	sb_addstr(out, "]\n---\n");
	sb_add(out, diff->buf, diff->len);
}
