/*
 * compile_format.c - a --build result as text and as JSON (see
 * compile_format.h).
 */
#include "emit/compile_format.h"

#include "place/adapt.h"
#include "place/check.h"

/* A JSON string, or null. */
static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

const char *compile_result_summary(const struct compile_result *b)
{
	static char buf[256];
	size_t i, ok = 0;

	if (b->error)
		return b->error;
	for (i = 0; i < b->nunits; i++)
		ok += b->units[i].ok;
	snprintf(buf, sizeof(buf), "%zu/%zu translation unit%s compiled", ok,
		 b->nunits, b->nunits == 1 ? "" : "s");
	return buf;
}

void compile_print_text(const struct compile_result *b, FILE *f)
{
	size_t i, ok = 0;

	if (b->error) {
		fprintf(f, "  build: %s (%s)\n", b->error,
			b->log ? b->log : "no log");
		for (i = 0; i < b->nnotes; i++)
			fprintf(f, "    note: %s\n", b->notes[i]);
		return;
	}
	for (i = 0; i < b->nunits; i++)
		ok += b->units[i].ok;
	fprintf(f, "  build: %zu/%zu translation unit%s compiled%s (log: %s)\n",
		ok, b->nunits, b->nunits == 1 ? "" : "s",
		b->configured_now ? ", target configured now" : "",
		b->log);
	if (b->system)
		fprintf(f, "    build system: %s\n", b->system);
	for (i = 0; i < b->nnotes; i++)
		fprintf(f, "    note: %s\n", b->notes[i]);
	for (i = 0; i < b->nunits; i++)
		fprintf(f, "    %-6s %s%s%s%s\n", b->units[i].ok ? "ok" : "FAILED",
			b->units[i].path, b->units[i].note ? " (" : "",
			b->units[i].note ? b->units[i].note : "",
			b->units[i].note ? ")" : "");
	for (i = 0; i < b->ndiags; i++) {
		const struct compile_diag *d = &b->diags[i];

		if (!d->patch && d->error)
			fprintf(f, "    error in the target's own code: %s:%ld: %s\n",
				d->file, d->line, d->message);
	}
}

void compile_print_owned(const struct compile_result *b,
			 const struct patch_list *q,
			 const struct patch_result *res, FILE *f)
{
	size_t i;

	for (i = 0; i < b->ndiags; i++) {
		const struct compile_diag *d = &b->diags[i];
		const char *label;
		int adapted;

		if (!d->patch || d->patch > q->n)
			continue;
		label = check_patch_label(&q->v[d->patch - 1]);
		adapted = compile_diag_adaptation(d, res) != NULL;
		if (adapted && d->error)
			fprintf(f, "    adapted, breaks build: %s:%ld: %s (%s, hunk %zu)\n",
				d->file, d->line, d->message, label, d->hunk);
		else
			fprintf(f, "    %s:%ld: %s: %s (%s, hunk %zu%s)\n", d->file,
				d->line, d->error ? "error" : "warning",
				d->message, label, d->hunk,
				adapted ? ", adapted" : "");
	}
}

json_t *compile_result_json(const struct compile_result *b)
{
	return compile_result_json_res(b, NULL);
}

/* A diagnostic's "adapted": how its hunk was adapted, or false. */
static json_t *json_diag_adapted(const struct compile_diag *d,
				 const struct patch_result *res)
{
	const struct adaptation *a = compile_diag_adaptation(d, res);
	struct strbuf sb = STRBUF_INIT;
	json_t *o;

	if (!a)
		return json_false();
	o = json_object();
	adaptation_kinds(a, &sb);
	json_object_set_new(o, "kinds", json_string(sb.buf));
	sb_reset(&sb);
	adaptation_describe(a, &sb);
	json_object_set_new(o, "how", json_string(sb.buf));
	sb_release(&sb);
	return o;
}

json_t *compile_result_json_res(const struct compile_result *b,
				const struct patch_result *res)
{
	json_t *o = json_object(), *units = json_array(), *diags = json_array(),
	       *notes = json_array();
	size_t i;

	json_object_set_new(o, "error", jstr(b->error));
	json_object_set_new(o, "log", jstr(b->log));
	json_object_set_new(o, "configured_now", json_boolean(b->configured_now));
	json_object_set_new(o, "system", jstr(b->system));
	json_object_set_new(o, "notes", notes);
	for (i = 0; i < b->nnotes; i++)
		json_array_append_new(notes, json_string(b->notes[i]));
	for (i = 0; i < b->nunits; i++) {
		json_t *u = json_object();

		json_object_set_new(u, "path", json_string(b->units[i].path));
		json_object_set_new(u, "ok", json_boolean(b->units[i].ok));
		if (b->units[i].note)
			json_object_set_new(u, "note", json_string(b->units[i].note));
		json_array_append_new(units, u);
	}
	for (i = 0; i < b->ndiags; i++) {
		const struct compile_diag *d = &b->diags[i];
		json_t *j = json_object();

		json_object_set_new(j, "file", json_string(d->file));
		json_object_set_new(j, "line", json_integer(d->line));
		json_object_set_new(j, "col", json_integer(d->col));
		json_object_set_new(j, "severity", json_string(d->error ? "error" : "warning"));
		json_object_set_new(j, "message", json_string(d->message));
		json_object_set_new(j, "patch", json_integer((json_int_t)d->patch));
		json_object_set_new(j, "hunk", json_integer((json_int_t)d->hunk));
		if (res)
			json_object_set_new(j, "adapted", json_diag_adapted(d, res));
		json_array_append_new(diags, j);
	}
	json_object_set_new(o, "units", units);
	json_object_set_new(o, "diagnostics", diags);
	return o;
}
