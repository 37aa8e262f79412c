/*
 * compile_int.h - what compile.c and compile_cache.c share: small file
 * helpers, running a command without a shell, and preparing the cache.
 */
#ifndef BT_COMPILE_INT_H
#define BT_COMPILE_INT_H

#include <git2.h>
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
int compile_run(const char *const *argv, const char *dir, FILE *log,
	       struct strbuf *out);
void compile_guess_targets(const struct patch_list *q, struct strbuf *out);
int compile_cache_prepare(const struct compile_opts *o, struct gitsrc *g,
			 const git_oid *commit_tree, const char *dir,
			 const char *targets, struct compile_result *out,
			 struct strbuf *objdir);

#endif
