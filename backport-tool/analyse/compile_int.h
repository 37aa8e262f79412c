/*
 * compile_int.h - what the compile*.c files share: small file helpers,
 * running a command without a shell, the cache, and the build system
 * interface each driver implements (compile_autotools.c, compile_cmake.c,
 * compile_meson.c, compile_make.c, compile_qemu.c).
 */
#ifndef BT_COMPILE_INT_H
#define BT_COMPILE_INT_H

#include <git2.h>
#include <limits.h>
#include <stdio.h>

#include "analyse/compile.h"
#include "input/gitsrc.h"
#include "util.h"

/* compile_cache.c */
/* snprintf for paths: -1 (and a truncated, terminated buf) when too long. */
int compile_pathf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int compile_write_file(const char *path, const char *data, size_t len,
		      unsigned mode);
int compile_read_file(const char *path, struct strbuf *out);
int compile_exists(const char *dir, const char *name);
/* Run argv in dir (env: "NAME=VALUE" strings set first, or NULL); its
 * output is appended to out and to the log.  The exit status, 127: not
 * run. */
int compile_run_env(const char *const *argv, const char *const *env,
		    const char *dir, FILE *log, struct strbuf *out);
int compile_run(const char *const *argv, const char *dir, FILE *log,
	       struct strbuf *out);

/*
 * One configured cache: CACHE/<id>-<targets>/src (the sources), obj (the
 * build directory), the logs.  root is where the build system is: src,
 * or one folder of it (libexpat's expat/).
 */
struct compile_ctx {
	const struct compile_opts *o;
	char dir[PATH_MAX];
	char src[PATH_MAX];
	char obj[PATH_MAX];
	char root[PATH_MAX];
	char sub[PATH_MAX];       /* root relative to src, "" for the top */
	const char *targets;      /* --build-target or guessed, may be "" */
	struct strvec { char **v; size_t n, alloc; } env, args;
				  /* Debian's flags: the environment and
				     configure's arguments */
	FILE *log;
	struct compile_result *out;
	struct json_t *ccdb;      /* compile_commands.json, read at the first
				     unit that needs it (compile_ccdb.c) */
};

void compile_strvec_push(struct strvec *v, const char *s);
void compile_strvec_release(struct strvec *v);

/*
 * A build system: detect it in a source folder, configure the cache once
 * (0, or -1 with out->error set), compile one unit (a path relative to
 * src): unit->ok, unit->note; the compiler's output in output, run in the
 * folder cwd (for the diagnostics' relative paths).
 */
struct compile_sys {
	const char *name;
	int fixed_config;         /* units compile with the commands configure
				     wrote: changed build files are not
				     followed */
	int (*detect)(const char *root);
	int (*configure)(struct compile_ctx *c);
	void (*compile)(struct compile_ctx *c, const char *path,
			struct compile_unit *unit, struct strbuf *output,
			struct strbuf *cwd);
};

extern const struct compile_sys compile_sys_qemu, compile_sys_meson,
	compile_sys_cmake, compile_sys_autotools, compile_sys_make;

/* compile_sys.c: the build system of the exported sources, or NULL. */
const struct compile_sys *compile_sys_detect(struct compile_ctx *c);
const struct compile_sys *compile_sys_named(const char *name);
/* A command failed: out->error "WHAT failed: LAST LINE OF ITS OUTPUT". */
int compile_failed(struct compile_ctx *c, const char *what,
		   const struct strbuf *output);

/* compile_make.c: "make -k TARGET" in dir; ok when TARGET then exists. */
void compile_make_target(struct compile_ctx *c, const char *dir,
			 const char *target, struct compile_unit *unit,
			 struct strbuf *output);

/* compile_ccdb.c: the unit's command from the build directory's
   compile_commands.json (CMake's and Meson's compile step). */
void compile_ccdb_unit(struct compile_ctx *c, const char *path,
		       struct compile_unit *unit, struct strbuf *output,
		       struct strbuf *cwd);
/* Forget c->ccdb (read once for all the units). */
void compile_ccdb_release(struct compile_ctx *c);

/* compile_debian.c: a Debian source's build flags into c->env, c->args. */
void compile_debian_flags(struct compile_ctx *c);
/* Its debian/rules' --buildsystem and --sourcedirectory (each NULL when
   not given; the caller frees them): 1, or 0 when src has no debian/rules. */
int compile_debian_layout(const char *src, char **system, char **sourcedir);

/* compile_qemu.c */
void compile_guess_targets(const struct patch_list *q, struct strbuf *out);

/* compile_dir.c: a directory target copied (no .git), its fingerprint. */
int compile_dir_copy(const char *from, const char *to);
int compile_dir_fingerprint(const char *dir, char *out, size_t size);

/* What a cache is made from: a revision's tree, or a directory. */
struct compile_source {
	struct gitsrc *g;
	const git_oid *tree;
	const char *dir;
};

/* compile_cache.c */
int compile_cache_prepare(struct compile_ctx *c,
			  const struct compile_source *from,
			  const struct compile_sys **sys);
void compile_add_note(struct compile_result *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
