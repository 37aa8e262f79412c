/*
 * deps_format.c - deps' results as text, as the one-line note check
 * prints in each cell, and as JSON (schema in HACKING.md).
 */
#include "analyse/deps_int.h"

#include <jansson.h>

/* ---- output ------------------------------------------------------- */

static const char *patch_subject(const struct patch *p)
{
	return p->meta.subject ? p->meta.subject : "";
}

/* "struct a", or "an anonymous struct" for a made-up "@N". */
static const char *struct_label(const struct deps_missing *m, char *buf,
				size_t n)
{
	if (m->member_of[0] == '@')
		return "an anonymous struct";
	snprintf(buf, n, "struct %s", m->member_of);
	return buf;
}

static void print_member_text(const struct deps_missing *m, FILE *f)
{
	char buf[256];
	const char *label = struct_label(m, buf, sizeof(buf));

	fprintf(f, "    %s:%ld: missing member %s of %s (%s at %s:%ld has no %s",
		m->path, m->line, m->name, label, label,
		m->struct_file ? m->struct_file : "?", m->struct_line, m->name);
	if (m->def_file)
		fprintf(f, "; upstream at %s:%ld", m->def_file, m->def_line);
	fputc(')', f);
}

static void print_missing_text(const struct deps_missing *m,
			       const struct deps_run *run, FILE *f)
{
	if (m->member_of) {
		print_member_text(m, f);
	} else if (!m->high) {
		fprintf(f, "    %s:%ld: unknown %s: defined nowhere in the target\n",
			m->path, m->line, m->name);
		return;
	} else {
		fprintf(f, "    %s:%ld: missing %s (%s at %s:%ld upstream)",
			m->path, m->line, m->name, sym_kind_name(m->kind),
			m->def_file, m->def_line);
	}
	if (m->series_patch)
		fprintf(f, ": defined by patch %zu (%s), which did not apply\n",
			m->series_patch, run->series->v[m->series_patch - 1].name);
	else if (m->introduced[0])
		fprintf(f, ": introduced by %.10s %s\n", m->introduced,
			m->introduced_subject ? m->introduced_subject : "");
	else
		fprintf(f, "\n");
}

void deps_print_text(const struct deps_run *run, FILE *f)
{
	size_t i, j, k;

	for (i = 0; i < run->ntargets; i++) {
		const struct deps_target *dt = &run->targets[i];

		fprintf(f, "%s%s%s%s\n", dt->name, dt->rev ? " (" : "",
			dt->rev ? dt->rev : "", dt->rev ? ")" : "");
		for (j = 0; j < run->series->n; j++) {
			const struct deps_result *r = &dt->results[j];

			fprintf(f, "  %zu %s %s: %s", j + 1, r->patch->name,
				patch_subject(r->patch), verdict_name(r->verdict));
			if (r->verdict == V_CONFLICT)
				fprintf(f, " (%zu hunk%s)", r->conflict_hunks,
					r->conflict_hunks == 1 ? "" : "s");
			if (r->nmissing)
				fprintf(f, ", %zu missing", r->nmissing);
			fputc('\n', f);
			for (k = 0; k < r->nprereqs; k++) {
				const struct deps_prereq *q = &r->prereqs[k];
				if (q->needed_by[0])
					fprintf(f, "    candidate prerequisite %.10s %s "
						"(needed by %.10s: %s tests %s)\n",
						q->commit, q->subject, q->needed_by,
						q->files, q->guard);
				else
					fprintf(f, "    candidate prerequisite %.10s %s "
						"(%zu context line%s in %s)\n", q->commit,
						q->subject, q->lines,
						q->lines == 1 ? "" : "s", q->files);
			}
			for (k = 0; k < r->nmissing; k++)
				print_missing_text(&r->missing[k], run, f);
		}
	}
}

void deps_note(const struct deps_result *r, struct strbuf *out)
{
	size_t k;

	if (r->nprereqs) {
		sb_addstr(out, "needs ");
		for (k = 0; k < r->nprereqs; k++)
			sb_addf(out, "%s%.10s", k ? ", " : "", r->prereqs[k].commit);
	}
	if (r->nmissing) {
		sb_addf(out, "%s%zu missing (", r->nprereqs ? "; " : "", r->nmissing);
		for (k = 0; k < r->nmissing && k < 3; k++)
			sb_addf(out, "%s%s", k ? ", " : "", r->missing[k].name);
		sb_addstr(out, r->nmissing > 3 ? ", ...)" : ")");
	}
}

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *missing_json(const struct deps_missing *m,
			    const struct deps_run *run)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(m->name));
	json_object_set_new(o, "path", json_string(m->path));
	json_object_set_new(o, "line", json_integer(m->line));
	json_object_set_new(o, "patch_line", json_integer(m->patch_line));
	json_object_set_new(o, "confidence", json_string(m->high ? "high" : "low"));
	json_object_set_new(o, "kind", m->high ? json_string(sym_kind_name(m->kind))
					       : json_null());
	json_object_set_new(o, "defined_at", m->def_file
		? json_pack("{s:s, s:I}", "file", m->def_file, "line",
			    (json_int_t)m->def_line)
		: json_null());
	json_object_set_new(o, "series_patch", m->series_patch
		? json_integer((json_int_t)m->series_patch) : json_null());
	if (m->member_of) {
		json_object_set_new(o, "struct", json_string(m->member_of));
		json_object_set_new(o, "struct_at", m->struct_file
			? json_pack("{s:s, s:I}", "file", m->struct_file, "line",
				    (json_int_t)m->struct_line)
			: json_null());
	}
	json_object_set_new(o, "introduced_by", m->introduced[0]
		? json_pack("{s:s, s:s}", "commit", m->introduced, "subject",
			    m->introduced_subject ? m->introduced_subject : "")
		: json_null());
	return o;
}

void deps_print_json(const struct deps_run *run, FILE *f)
{
	json_t *root = json_object(), *targets = json_array(),
	       *patches = json_array();
	size_t i, j, k;

	json_object_set_new(root, "version", json_integer(1));
	for (i = 0; i < run->ntargets; i++)
		json_array_append_new(targets, json_string(run->targets[i].name));
	json_object_set_new(root, "targets", targets);
	for (j = 0; j < run->series->n; j++) {
		const struct patch *p = &run->series->v[j];
		json_t *po = json_object(), *results = json_array();

		json_object_set_new(po, "name", json_string(p->name));
		json_object_set_new(po, "subject", jstr_or_null(p->meta.subject));
		json_object_set_new(po, "commit", jstr_or_null(p->meta.commit));
		for (i = 0; i < run->ntargets; i++) {
			const struct deps_result *r = &run->targets[i].results[j];
			json_t *ro = json_object(), *miss = json_array(),
			       *pre = json_array();

			json_object_set_new(ro, "target", json_string(run->targets[i].name));
			json_object_set_new(ro, "verdict", json_string(verdict_name(r->verdict)));
			json_object_set_new(ro, "conflict_hunks",
					    json_integer((json_int_t)r->conflict_hunks));
			for (k = 0; k < r->nmissing; k++)
				json_array_append_new(miss, missing_json(&r->missing[k], run));
			for (k = 0; k < r->nprereqs; k++) {
				const struct deps_prereq *q = &r->prereqs[k];
				json_t *qo = json_pack(
					"{s:s, s:s, s:I, s:s}", "commit", q->commit,
					"subject", q->subject, "lines",
					(json_int_t)q->lines, "files", q->files);

				json_object_set_new(qo, "needed_by",
						    jstr_or_null(q->needed_by));
				json_object_set_new(qo, "guard", jstr_or_null(q->guard));
				json_array_append_new(pre, qo);
			}
			json_object_set_new(ro, "missing", miss);
			json_object_set_new(ro, "prerequisites", pre);
			json_array_append_new(results, ro);
		}
		json_object_set_new(po, "results", results);
		json_array_append_new(patches, po);
	}
	json_object_set_new(root, "patches", patches);
	json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(root);
}
