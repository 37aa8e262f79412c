/*
 * lint_build.c - generic build-system rules: a new source file, and what
 * an added line of configure.ac, Makefile.am, CMakeLists.txt or
 * meson.build brings: a configure check, a dependency, a source file.  A
 * stable update that changes the build needs a look at Build-Depends and
 * at the target's own build files.
 */
#include "analyse/lint_int.h"

#include <ctype.h>
#include <string.h>

static int is_build_file(const char *path)
{
	static const char *const names[] = {
		"configure.ac", "configure.in", "CMakeLists.txt", "Makefile.am",
		"Makefile.inc", "Makefile", "GNUmakefile", "meson.build",
		"meson_options.txt", "meson.options", "Makefile.sources",
	};
	const char *b = strrchr(path, '/');
	size_t i;

	b = b ? b + 1 : path;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(b, names[i]))
			return 1;
	return lint_has_suffix(b, ".cmake") || lint_has_suffix(b, ".mk") ||
	       lint_has_suffix(b, ".m4");
}

static int is_compiled_source(const char *path)
{
	return lint_has_suffix(path, ".c") || lint_has_suffix(path, ".cc") ||
	       lint_has_suffix(path, ".cpp") || lint_has_suffix(path, ".cxx");
}

void lint_build_file(struct lint_ctx *c)
{
	int test;

	if (c->fd->op != FILE_CREATE || !is_compiled_source(c->path))
		return;
	test = lint_path_is_test(c->path);
	lint_add(c->out, c->p, LINT_BUILD, test ? LINT_INFO : LINT_WARNING,
		 "build-new-source", c->fd->lineno, c->path,
		 "adds a new source file%s: the target's build files must "
		 "list it (Makefile.am, CMakeLists.txt, meson.build)",
		 test ? " to the tests" : "");
}

/* The first of words found in s (case-sensitive, as the macros are). */
static const char *find_any(const char *s, size_t len,
			    const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lint_find_str(s, len, words[i]))
			return words[i];
	return NULL;
}

static const char *const dep_words[] = {
	"PKG_CHECK_MODULES", "AC_CHECK_LIB", "AC_SEARCH_LIBS", "find_package",
	"pkg_check_modules", "find_library", "dependency(",
	"target_link_libraries", "_LDADD", "_LIBADD", "LIBS +=", "LIBS=",
};

static const char *const check_words[] = {
	"AC_CHECK_", "AC_COMPILE_IFELSE", "AC_LINK_IFELSE", "AC_RUN_IFELSE",
	"AC_TRY_", "AC_DEFINE", "AC_ARG_ENABLE", "AC_ARG_WITH", "AX_CHECK_",
	"check_include_file", "check_function_exists", "check_symbol_exists",
	"check_c_source_compiles", "check_type_size", "CHECK_", "option(",
	"cc.has_", "cc.check_header", "cc.compiles", "cc.links", "get_option",
};

/* A source file name (x.c, x.h) the line lists, into name; 0 if none. */
static int lists_source(const char *s, size_t len, char *name, size_t size)
{
	size_t i, b;

	for (i = 0; i + 2 <= len; i++) {
		if (s[i] != '.' || (s[i + 1] != 'c' && s[i + 1] != 'h') ||
		    (i + 2 < len && (isalnum((unsigned char)s[i + 2]) ||
				     s[i + 2] == '_')))
			continue;
		for (b = i; b > 0 && (isalnum((unsigned char)s[b - 1]) ||
				      strchr("_-/+$()", s[b - 1])); b--)
			;
		if (b == i)
			continue;
		snprintf(name, size, "%.*s", (int)(i + 2 - b), s + b);
		return 1;
	}
	return 0;
}

/* name is on a removed line of the hunk: the list was only reordered. */
static int removed_in_hunk(const struct lint_line *lines, size_t n,
			   const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lines[i].pl->kind == '-' &&
		    lint_find_str(lines[i].pl->text, lines[i].pl->len, name))
			return 1;
	return 0;
}

static void build_line(struct lint_ctx *c, const struct lint_line *lines,
		       size_t n, const struct lint_line *l)
{
	const char *s = l->pl->text, *w;
	size_t len = l->pl->len;
	char ex[80], name[256];

	lint_trim(&s, &len);
	if (!len || *s == '#' || lint_has_prefix(s, "dnl"))
		return; /* a comment */
	lint_line_excerpt(l->pl, ex, sizeof(ex));
	if ((w = find_any(s, len, dep_words, sizeof(dep_words) / sizeof(*dep_words))))
		lint_add(c->out, c->p, LINT_BUILD, LINT_WARNING,
			 "build-dependency-added", l->lineno, c->path,
			 "adds a dependency ('%s'): Build-Depends and the "
			 "binary packages' Depends may need it", ex);
	else if ((w = find_any(s, len, check_words,
			       sizeof(check_words) / sizeof(*check_words))))
		lint_add(c->out, c->p, LINT_BUILD, LINT_WARNING,
			 "build-configure-check", l->lineno, c->path,
			 "adds a configure check ('%s'): the result may differ "
			 "on the target's build environment", ex);
	else if (lists_source(s, len, name, sizeof(name)) &&
		 !removed_in_hunk(lines, n, name))
		lint_add(c->out, c->p, LINT_BUILD, LINT_WARNING,
			 "build-source-added", l->lineno, c->path,
			 "adds %s to the build: the target's build files "
			 "must list it too", name);
}

void lint_build_hunk(struct lint_ctx *c, const struct hunk *h,
		     const struct lint_line *lines, size_t n)
{
	size_t i;

	(void)h;
	if (!is_build_file(c->path))
		return;
	for (i = 0; i < n; i++)
		if (lines[i].pl->kind == '+')
			build_line(c, lines, n, &lines[i]);
}
