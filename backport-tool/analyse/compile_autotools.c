/*
 * compile_autotools.c - the autotools build system driver: autoreconf
 * when the sources have configure.ac but no configure script (a git
 * tree), then configure out of tree in obj/ (with a Debian package's
 * flags), and each unit built as the object automake names for it
 * ("a.o", "a.lo", "libfoo_la-a.lo") by "make -k OBJECT" in the folder
 * of the nearest Makefile above it.
 */
#include "analyse/compile_int.h"

#include <ctype.h>
#include <string.h>

static int autotools_detect(const char *root)
{
	return compile_exists(root, "configure.ac") ||
	       compile_exists(root, "configure.in") ||
	       compile_exists(root, "configure");
}

static int autotools_configure(struct compile_ctx *c)
{
	const char *const *env = (const char *const *)c->env.v;
	struct strbuf output = STRBUF_INIT;
	struct strvec argv = { 0 };
	char script[PATH_MAX];
	size_t i;
	int rc = 0;

	if (!compile_exists(c->root, "configure")) {
		const char *ar[] = { "autoreconf", "-fi", NULL };

		fprintf(c->log, "# no configure script: autoreconf\n");
		if (compile_run_env(ar, env, c->root, c->log, &output) != 0)
			rc = compile_failed(c, "autoreconf", &output);
	}
	compile_pathf(script, sizeof(script), "%s/configure", c->root);
	compile_strvec_push(&argv, script);
	for (i = 0; i < c->args.n; i++)
		compile_strvec_push(&argv, c->args.v[i]);
	if (rc == 0 && (sb_reset(&output),
			compile_run_env((const char *const *)argv.v, env, c->obj,
					c->log, &output) != 0))
		rc = compile_failed(c, "configure", &output);
	compile_strvec_release(&argv);
	sb_release(&output);
	return rc;
}

/* Does word name the object of prefix+base.c ("a.lo", "x_la-a.o")? */
static int names_object(const char *word, size_t len, const char *prefix,
			const char *base)
{
	size_t p = strlen(prefix), b = strlen(base), ext;

	if (len < p || strncmp(word, prefix, p))
		return 0;
	word += p;
	len -= p;
	ext = len > 3 && !strncmp(word + len - 3, ".lo", 3) ? 3 :
	      len > 2 && !strncmp(word + len - 2, ".o", 2) ? 2 : 0;
	if (!ext || len - ext < b || strncmp(word + len - ext - b, base, b) ||
	    memchr(word, '/', len))
		return 0;
	return len - ext == b || word[len - ext - b - 1] == '-';
}

/* The object of prefix+base.c that the Makefile at path names, or NULL. */
static char *find_object(const char *path, const char *prefix, const char *base)
{
	struct strbuf mk = STRBUF_INIT;
	const char *p, *end;
	char *found = NULL;

	if (compile_read_file(path, &mk) < 0 || !mk.len) {
		sb_release(&mk);
		return NULL;
	}
	for (p = mk.buf; !found && *p; p = end) {
		while (*p && (isspace((unsigned char)*p) || *p == '\\' || *p == '='))
			p++;
		for (end = p; *end && !isspace((unsigned char)*end) &&
		     *end != '\\' && *end != '=' && *end != ':'; end++)
			;
		if (end > p && names_object(p, (size_t)(end - p), prefix, base))
			found = xstrndup(p, (size_t)(end - p));
		if (*end == ':' || *end == '=')
			end++;
	}
	sb_release(&mk);
	return found;
}

static void autotools_compile(struct compile_ctx *c, const char *path,
			      struct compile_unit *unit, struct strbuf *output,
			      struct strbuf *cwd)
{
	const char *rel = path + (*c->sub ? strlen(c->sub) + 1 : 0);
	const char *slash = strrchr(rel, '/');
	char *udir = xstrndup(rel, slash ? (size_t)(slash - rel) : 0);
	char *dir = xstrdup(udir);
	char *base = xstrndup(slash ? slash + 1 : rel,
			      strlen(slash ? slash + 1 : rel) - 2);
	char *obj = NULL;

	for (;;) { /* the unit's folder, then each one above it */
		char mk[PATH_MAX], prefix[PATH_MAX];
		size_t n = strlen(dir);
		const char *below = udir + n + (n && udir[n]);

		compile_pathf(mk, sizeof(mk), "%s/%s%sMakefile", c->obj, dir,
			      n ? "/" : "");
		compile_pathf(prefix, sizeof(prefix), "%s%s", below,
			      *below ? "/" : "");
		if ((obj = find_object(mk, prefix, base))) {
			sb_addf(cwd, "%s%s%s", c->obj, n ? "/" : "", dir);
			break;
		}
		if (!n)
			break;
		dir[strrchr(dir, '/') ? strrchr(dir, '/') - dir : 0] = '\0';
	}
	if (obj)
		compile_make_target(c, cwd->buf, obj, unit, output);
	else {
		unit->ok = 0;
		unit->note = xstrdup("no Makefile of the build names its object");
	}
	free(obj);
	free(udir);
	free(dir);
	free(base);
}

const struct compile_sys compile_sys_autotools = {
	"autotools", 0, autotools_detect, autotools_configure, autotools_compile,
};
