/*
 * compile_sys.c - which build system a target uses: QEMU's configure,
 * Meson, CMake, autotools (configure.ac, or a configure script), or a
 * plain Makefile; at the top of the sources or, when the top has none, in
 * the one folder below it that has one (libexpat's expat/).
 * --build-target naming a system ("cmake") picks it where several are.
 */
#include "analyse/compile_int.h"

#include <dirent.h>
#include <string.h>
#include <strings.h>

/* In the order detection tries them: the first that fits wins. */
static const struct compile_sys *const systems[] = {
	&compile_sys_qemu, &compile_sys_autotools, &compile_sys_cmake,
	&compile_sys_meson, &compile_sys_make,
};
#define NSYSTEMS (sizeof(systems) / sizeof(systems[0]))

const struct compile_sys *compile_sys_named(const char *name)
{
	size_t i;

	for (i = 0; i < NSYSTEMS; i++)
		if (!strcmp(systems[i]->name, name))
			return systems[i];
	return NULL;
}

static const struct compile_sys *detect_in(const char *root,
					   const struct compile_sys *want)
{
	size_t i;

	if (want)
		return want->detect(root) ? want : NULL;
	for (i = 0; i < NSYSTEMS; i++)
		if (systems[i]->detect(root))
			return systems[i];
	return NULL;
}

/* The one folder under src with a build system, or -1 (none or several). */
static int detect_below(struct compile_ctx *c, const struct compile_sys *want,
			const struct compile_sys **found)
{
	DIR *d = opendir(c->src);
	struct dirent *e;
	char path[PATH_MAX];
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		const struct compile_sys *s;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "debian"))
			continue;
		if (compile_pathf(path, sizeof(path), "%s/%s", c->src, e->d_name) < 0 ||
		    !(s = detect_in(path, want)))
			continue;
		if (n++ == 0) {
			*found = s;
			compile_pathf(c->sub, sizeof(c->sub), "%s", e->d_name);
		}
	}
	closedir(d);
	return n == 1 ? 0 : -1;
}

/* debhelper's name of a build system ("cmake+ninja") as ours, or NULL. */
static const struct compile_sys *from_debhelper(const char *name)
{
	static const struct { const char *dh; const struct compile_sys *sys; } map[] = {
		{ "autoconf", &compile_sys_autotools }, { "cmake", &compile_sys_cmake },
		{ "meson", &compile_sys_meson }, { "makefile", &compile_sys_make },
	};
	size_t i, n;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		n = strlen(map[i].dh);
		if (!strncmp(name, map[i].dh, n) && (!name[n] || name[n] == '+'))
			return map[i].sys;
	}
	return NULL;
}

/*
 * A Debian source's choice: debian/rules' --buildsystem (*want, unless
 * --build-target chose) and --sourcedirectory (c->sub).  Notes say what
 * is followed and what cannot be.
 */
static void debian_layout(struct compile_ctx *c, const struct compile_sys **want)
{
	char *dsys, *ddir;

	if (!compile_debian_layout(c->src, &dsys, &ddir))
		return;
	if (dsys && !*want) {
		*want = from_debhelper(dsys);
		compile_add_note(c->out, *want
				 ? "debian: the build system of debian/rules (%s)"
				 : "debian: --buildsystem=%s of debian/rules is not "
				   "one --build knows; detected instead", dsys);
	}
	if (ddir && !strchr(ddir, '$') &&
	    compile_pathf(c->root, sizeof(c->root), "%s/%s", c->src, ddir) == 0 &&
	    compile_exists(c->root, ".")) {
		compile_pathf(c->sub, sizeof(c->sub), "%s", ddir);
		compile_add_note(c->out, "debian: the sources in %s/, as debian/rules "
				 "says", ddir);
	}
	free(dsys);
	free(ddir);
}

const struct compile_sys *compile_sys_detect(struct compile_ctx *c)
{
	const struct compile_sys *want = NULL, *s = NULL;

	c->sub[0] = '\0';
	if (c->targets && *c->targets && !strchr(c->targets, '-') &&
	    !(want = compile_sys_named(c->targets))) {
		c->out->error = xstrdup("--build-target names no build system "
					"(autotools, cmake, meson, make, qemu) "
					"and no QEMU target");
		return NULL;
	}
	debian_layout(c, &want);
	if (*c->sub) {
		s = detect_in(c->root, want);
	} else {
		s = detect_in(c->src, want);
		if (!s && detect_below(c, want, &s) < 0)
			s = NULL;
	}
	if (!s) {
		c->out->error = xstrdup(want
			? "the target has no build files of the build system asked for"
			: "the target has no build system to build with (configure.ac, "
			  "configure, CMakeLists.txt, meson.build or Makefile)");
		c->sub[0] = '\0';
		return NULL;
	}
	compile_pathf(c->root, sizeof(c->root), "%s%s%s", c->src,
		      *c->sub ? "/" : "", c->sub);
	return s;
}

/* 0 when [p, e) has word in it, any case. */
static int strncasecmp_in(const char *p, const char *e, const char *word)
{
	size_t n = strlen(word);

	for (; p + n <= e; p++)
		if (!strncasecmp(p, word, n))
			return 0;
	return 1;
}

/* The last line of text with "error:" in it (any case), else its last line. */
static void why_line(const char *text, const char **start, const char **end)
{
	const char *p = text, *e;

	*start = *end = NULL;
	for (; p && *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		if (e == p)
			continue;
		if (!*start || !strncasecmp_in(p, e, "error:") ||
		    !strncasecmp_in(*start, *end, "error:")) {
			*start = p;
			*end = e;
		}
	}
}

int compile_failed(struct compile_ctx *c, const char *what,
		   const struct strbuf *output)
{
	struct strbuf sb = STRBUF_INIT;
	const char *start, *end;

	why_line(output->buf, &start, &end);
	sb_addf(&sb, "%s failed", what);
	if (start && end > start)
		sb_addf(&sb, ": %.*s", (int)(end - start > 200 ? 200 : end - start),
			start);
	free(c->out->error);
	c->out->error = sb_detach(&sb, NULL);
	return -1;
}
