/*
 * compile_ccdb.c - a unit's compile command from a compilation database
 * (BUILD/compile_commands.json, which CMake writes when asked and Meson
 * always): the entry whose file is the unit, its "arguments" or its
 * "command" split as a POSIX shell would split it (no expansions), run
 * in its "directory".
 */
#include "analyse/compile_int.h"

#include <jansson.h>
#include <string.h>
#include <unistd.h>

/* Split a command line: blanks, '...', "..." and backslashes.  -1: bad. */
static int split_command(const char *s, struct strvec *argv)
{
	struct strbuf w = STRBUF_INIT;
	int in_word = 0;

	for (;;) {
		char ch = *s++;

		if (!ch || ch == ' ' || ch == '\t' || ch == '\n') {
			if (in_word) {
				compile_strvec_push(argv, w.buf ? w.buf : "");
				sb_reset(&w);
				in_word = 0;
			}
			if (!ch)
				break;
			continue;
		}
		in_word = 1;
		if (ch == '\\' && *s) {
			sb_addch(&w, *s++);
		} else if (ch == '\'') {
			while (*s && *s != '\'')
				sb_addch(&w, *s++);
			if (!*s++)
				goto bad;
		} else if (ch == '"') {
			while (*s && *s != '"') {
				if (*s == '\\' && strchr("\"\\$`", s[1]))
					s++;
				sb_addch(&w, *s++);
			}
			if (!*s++)
				goto bad;
		} else {
			sb_addch(&w, ch);
		}
	}
	sb_release(&w);
	return 0;
bad:
	sb_release(&w);
	return -1;
}

/* The entry of db for the file at real (a real path), or NULL. */
static json_t *find_entry(json_t *db, const char *real)
{
	size_t i;
	json_t *e;

	json_array_foreach(db, i, e) {
		const char *file = json_string_value(json_object_get(e, "file"));
		const char *dir = json_string_value(json_object_get(e, "directory"));
		char path[PATH_MAX], r[PATH_MAX];

		if (!file || !dir)
			continue;
		compile_pathf(path, sizeof(path), "%s%s%s", file[0] == '/' ? "" : dir,
			      file[0] == '/' ? "" : "/", file);
		if (realpath(path, r) && !strcmp(r, real))
			return e;
	}
	return NULL;
}

/* The command of entry e as an argument vector; 0 or -1. */
static int entry_argv(json_t *e, struct strvec *argv)
{
	json_t *args = json_object_get(e, "arguments"), *a;
	const char *cmd = json_string_value(json_object_get(e, "command"));
	size_t i;

	if (json_is_array(args)) {
		json_array_foreach(args, i, a)
			if (json_is_string(a))
				compile_strvec_push(argv, json_string_value(a));
		return argv->n ? 0 : -1;
	}
	return cmd && split_command(cmd, argv) == 0 && argv->n ? 0 : -1;
}

/* Where the command writes the object: "output", or the word after -o. */
static void entry_output(json_t *e, const struct strvec *argv, const char *dir,
			 char *buf, size_t size)
{
	const char *out = json_string_value(json_object_get(e, "output"));
	size_t i;

	for (i = 0; !out && i + 1 < argv->n; i++)
		if (!strcmp(argv->v[i], "-o"))
			out = argv->v[i + 1];
	buf[0] = '\0';
	if (out)
		compile_pathf(buf, size, "%s%s%s", out[0] == '/' ? "" : dir,
			      out[0] == '/' ? "" : "/", out);
}

/* The build's compile_commands.json, read once (a QEMU build's is some
   megabytes); NULL when there is none. */
static json_t *ccdb_get(struct compile_ctx *c)
{
	char dbpath[PATH_MAX];
	json_error_t jerr;

	if (!c->ccdb) {
		compile_pathf(dbpath, sizeof(dbpath), "%s/compile_commands.json",
			      c->obj);
		c->ccdb = json_load_file(dbpath, 0, &jerr);
		if (c->ccdb && !json_is_array(c->ccdb)) {
			json_decref(c->ccdb);
			c->ccdb = NULL;
		}
	}
	return c->ccdb;
}

void compile_ccdb_release(struct compile_ctx *c)
{
	json_decref(c->ccdb);
	c->ccdb = NULL;
}

void compile_ccdb_unit(struct compile_ctx *c, const char *path,
		       struct compile_unit *unit, struct strbuf *output,
		       struct strbuf *cwd)
{
	char file[PATH_MAX], real[PATH_MAX], obj[PATH_MAX];
	struct strvec argv = { 0 };
	json_t *db = ccdb_get(c), *e;
	const char *dir;
	int status;

	unit->ok = 0;
	compile_pathf(file, sizeof(file), "%s/%s", c->src, path);
	if (!db) {
		unit->note = xstrdup("the build has no compile_commands.json");
		return;
	}
	if (!realpath(file, real) || !(e = find_entry(db, real))) {
		unit->note = xstrdup("not in the build's compile commands");
	} else if (!(dir = json_string_value(json_object_get(e, "directory"))) ||
		   entry_argv(e, &argv) < 0) {
		unit->note = xstrdup("its compile command cannot be read");
	} else {
		sb_addstr(cwd, dir);
		entry_output(e, &argv, dir, obj, sizeof(obj));
		if (*obj)
			unlink(obj);
		status = compile_run((const char *const *)argv.v, dir, c->log,
				     output);
		unit->ok = status == 0 && (!*obj || access(obj, F_OK) == 0);
		if (status == 127 && !output->len)
			unit->note = xstrdup("its compiler cannot be run");
		if (*obj)
			unlink(obj); /* built from patched sources */
	}
	compile_strvec_release(&argv);
}
