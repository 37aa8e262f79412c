/*
 * gitlib.c - libgit2, loaded on its first call instead of at start-up.
 *
 * Linked the usual way, libgit2 and what it pulls in (mbedTLS, OpenSSL via
 * libssh2, Kerberos, PCRE2) cost every run ~1.7 ms of mapping and
 * relocation before main() -- more than GNU patch needs to apply a whole
 * patch -- though a command on a directory mostly never calls it.  So the
 * program is not linked with libgit2: the Makefile generates a stub for
 * each libgit2 function the objects call (scripts/gitlib-stubs.pl, from
 * the installed headers), and the first call of any of them dlopen()s the
 * library of the soname built against and resolves that function.  Each
 * stub keeps its resolved pointer; these and the library handle are the
 * only global state besides the options, as libgit2's own init state is.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include <git2.h>

#include "util.h"

#ifdef LIBGIT2_SOVERSION
#define GITLIB_SONAME "libgit2.so." LIBGIT2_SOVERSION
#else
#define GITLIB_SONAME "libgit2.so"
#endif

void *gitlib_sym(void **slot, const char *name);

/*
 * The library's function name, stored in *slot.  Without the library the
 * program cannot go on: one line, exit 2 (an input error: the tree or the
 * repository asked for git).
 */
void *gitlib_sym(void **slot, const char *name)
{
	static void *lib;
	void *fn;

	if (!lib && !(lib = dlopen(GITLIB_SONAME, RTLD_NOW | RTLD_LOCAL))) {
		error("cannot load " GITLIB_SONAME ": %s", dlerror());
		exit(EXIT_USAGE);
	}
	fn = dlsym(lib, name);
	if (!fn) {
		error("cannot load %s from " GITLIB_SONAME ": %s", name,
		      dlerror());
		exit(EXIT_USAGE);
	}
	*slot = fn;
	return fn;
}

/*
 * Variadic, so written by hand: the options the program sets take an int
 * or a size_t (an object type's cache limit: both); any other is refused
 * as libgit2 refuses an unknown one.
 */
int git_libgit2_opts(int option, ...)
{
	static void *fn;
	int (*opts)(int, ...) = (int (*)(int, ...))(fn ? fn :
		gitlib_sym(&fn, "git_libgit2_opts"));
	va_list ap;
	int ret;

	va_start(ap, option);
	switch (option) {
	case GIT_OPT_SET_MWINDOW_SIZE:
	case GIT_OPT_SET_MWINDOW_MAPPED_LIMIT:
	case GIT_OPT_SET_MWINDOW_FILE_LIMIT:
		ret = opts(option, va_arg(ap, size_t));
		break;
	case GIT_OPT_SET_CACHE_MAX_SIZE:
		ret = opts(option, va_arg(ap, ssize_t));
		break;
	case GIT_OPT_SET_CACHE_OBJECT_LIMIT: {
		int type = va_arg(ap, int); /* a git_object_t, promoted */
		size_t limit = va_arg(ap, size_t);

		ret = opts(option, type, limit);
		break;
	}
	case GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION:
	case GIT_OPT_ENABLE_STRICT_OBJECT_CREATION:
	case GIT_OPT_ENABLE_CACHING:
		ret = opts(option, va_arg(ap, int));
		break;
	default:
		ret = -1;
		break;
	}
	va_end(ap);
	return ret;
}
