/*
 * compile_make.c - the plain Makefile build system: nothing to configure,
 * each unit built as "make -k PATH.o" at the top; and the make call the
 * QEMU and autotools drivers build their objects with.
 */
#include "analyse/compile_int.h"

#include <string.h>
#include <unistd.h>

void compile_make_target(struct compile_ctx *c, const char *dir,
			 const char *target, struct compile_unit *unit,
			 struct strbuf *output)
{
	const char *argv[] = { "make", "-k", target, NULL };
	char objpath[PATH_MAX];
	int status;

	compile_pathf(objpath, sizeof(objpath), "%s/%s", dir, target);
	unlink(objpath);
	status = compile_run(argv, dir, c->log, output);
	unit->ok = status == 0 && access(objpath, F_OK) == 0;
	if (status == 127 && !output->len && !c->out->error)
		c->out->error = xstrdup("cannot run make");
	unlink(objpath); /* built from patched sources */
}

static int make_detect(const char *root)
{
	return compile_exists(root, "Makefile") || compile_exists(root, "makefile") ||
	       compile_exists(root, "GNUmakefile");
}

static int make_configure(struct compile_ctx *c)
{
	return 0;
}

static void make_compile(struct compile_ctx *c, const char *path,
			 struct compile_unit *unit, struct strbuf *output,
			 struct strbuf *cwd)
{
	char *obj = xstrdup(path + (*c->sub ? strlen(c->sub) + 1 : 0));

	obj[strlen(obj) - 1] = 'o';
	sb_addstr(cwd, c->root);
	compile_make_target(c, c->root, obj, unit, output);
	free(obj);
}

const struct compile_sys compile_sys_make = {
	"make", 0, make_detect, make_configure, make_compile,
};
