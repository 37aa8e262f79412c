/*
 * compile.h - "will it build?": compile the translation units a queue of
 * patches touches, on the patched target, with the target's own build
 * configuration, and attribute each diagnostic to the patch and hunk
 * whose added line it points at.
 *
 * The target (a git revision) is exported once into a cache directory and
 * configured there once by its build system (compile_int.h): QEMU's
 * configure for the architectures the series touches, autotools
 * (autoreconf when there is no configure script), CMake, Meson, or none
 * for a plain Makefile; a Debian source package's build flags are used
 * (compile_debian.c).  For each build the queue's changed files are
 * written into the cached sources, each touched .c file is compiled
 * alone (its object's make target, or its command from the build's
 * compile_commands.json), and the pristine files are put back, so the
 * cache stays the target as released.  A lock file keeps two runs apart.
 *
 * Attribution follows the hunks as they were placed: a line of the final
 * file is mapped back through each patch of the queue, newest first; the
 * first patch whose hunk added that line owns the diagnostic.  A line no
 * patch added is the target's own code.
 */
#ifndef BT_COMPILE_H
#define BT_COMPILE_H

#include <stddef.h>

#include "input/patch.h"
#include "place/apply.h"
#include "tree/tree.h"

struct gitsrc;

struct compile_opts {
	const char *cache;        /* --build-dir, or NULL: the user's cache */
	const char *targets;      /* --build-target: QEMU's --target-list, or
				     a build system's name; NULL: guessed */
	const char *const *submodules; /* "PATH=GITDIR": where a submodule's
					  history is (default REPO/modules/PATH) */
	size_t nsubmodules;
};

/*
 * Write revision rev of g into dest (created): files, symlinks and modes,
 * and each submodule whose history o names ("PATH=GITDIR") or that
 * REPO/modules/PATH holds.  Reads the object database only, so bare
 * repositories work and no work tree is touched.  0, or -1 after an
 * error message.
 */
int compile_export(struct gitsrc *g, const char *rev, const char *dest,
		   const struct compile_opts *o);

struct compile_diag {
	char *file;               /* relative to the top of the sources */
	long line, col;
	int error;                /* 1 error, 0 warning */
	char *message;
	size_t patch;             /* 1-based index in the queue, 0: none */
	size_t hunk;              /* 1-based hunk of that patch's file diff */
};

struct compile_unit {
	char *path;               /* the .c file */
	int ok;                   /* its object was built */
	char *note;               /* why it was not compiled, or NULL */
};

struct compile_result {
	char *error;              /* why nothing was built, or NULL */
	char *log;                /* the build log */
	char *dir;                /* the cache directory used */
	struct compile_unit *units;
	size_t nunits, alloc_units;
	struct compile_diag *diags;
	size_t ndiags, alloc_diags;
	int configured_now;       /* this run exported and configured */
	const char *system;       /* "autotools", "cmake", ..., or NULL */
	char **notes;             /* build options used and not used */
	size_t nnotes, alloc_notes;
};

/*
 * Build the .c files q touches (applied holds q's changes, res its
 * results, in queue order) on the target revision rev of g.  Returns 0
 * (out->error says when nothing could be built) or -1 on an input error.
 */
int compile_queue(const struct compile_opts *o, struct gitsrc *g,
		  const char *rev, struct tree *applied,
		  const struct patch_list *q, const struct patch_result *res,
		  struct compile_result *out);
/*
 * The same on a directory target dir (an unpacked source package): its
 * files copied into a cache of their own, made again when they change.
 */
int compile_queue_dir(const struct compile_opts *o, const char *dir,
		      struct tree *applied, const struct patch_list *q,
		      const struct patch_result *res, struct compile_result *out);
void compile_result_release(struct compile_result *r);
/* Nothing stopped the build and every unit compiled. */
int compile_result_ok(const struct compile_result *r);

/*
 * One line of compiler output, "FILE:LINE:COL: error: MESSAGE" (or
 * warning, fatal error); FILE absolute under srcdir, or relative to cwd.
 * Returns 1 and fills d (file relative to srcdir) or 0.
 */
int compile_parse_diag(const char *line, const char *srcdir, const char *cwd,
		       struct compile_diag *d);

/*
 * Which patch of q (placed as res says) added line `line` of file as the
 * whole queue leaves it: sets *patch (1-based, 0: none) and *hunk.
 */
void compile_attribute(const struct patch_list *q,
		       const struct patch_result *res, const char *file,
		       long line, size_t *patch, size_t *hunk);

#endif
