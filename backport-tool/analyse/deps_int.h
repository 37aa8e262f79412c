/*
 * deps_int.h - what the deps_*.c files share: the steps deps_run_all()
 * calls (see deps.c).
 */
#ifndef BT_DEPS_INT_H
#define BT_DEPS_INT_H

#include <git2.h>
#include "analyse/deps.h"
#include "input/gitsrc.h"
#include "place/apply.h"

/* deps_includes.c */
void deps_index_paths(struct symindex *ix, struct tree *t, char **paths,
			size_t n);
/* deps_history.c */
char *deps_commit_subject(struct gitsrc *g, const char *id, long *time);
/* deps_blame.c */
struct deps_prereq *deps_prereq_get(struct deps_result *r, struct gitsrc *g,
				      const char *id);
void deps_prereq_add_file(struct deps_prereq *q, const char *path);
void deps_blame_conflicts(struct deps_result *r, struct gitsrc *g,
			    const char *oldest, struct tree *t,
			    const struct patch *p, const struct patch_result *pr);
void deps_prereqs_oldest_first(struct deps_result *r);
/* deps_members.c */
struct deps_members {
	struct symindex *target, *applied; /* what the target has, with the
					      series' patches that applied */
	struct tree *tree;
	struct symindex *locals; /* the target files' parameters and locals */
	struct strset read;      /* the files read into locals */
};
enum member_answer { MEMBER_UNRESOLVED, MEMBER_FOUND, MEMBER_MISSING };
void deps_members_init(struct deps_members *dm, struct symindex *target,
		       struct symindex *applied, struct tree *tree);
void deps_members_release(struct deps_members *dm);
/* The tree changed (a patch applied): read its files' locals again. */
void deps_members_reread(struct deps_members *dm);
/*
 * For a member use: found in the struct its expression names, missing
 * from it (*struct_key: "struct TAG", malloc'ed), or unresolved (the
 * type, or the struct's members, unknown).
 */
enum member_answer deps_member_resolve(struct deps_members *dm,
				       const struct sym_use *u,
				       char **struct_key);
/*
 * Is u's name a parameter or local of its function in the target (or, when
 * that function is not the target's, one of the patch's elsewhere)?
 */
int deps_member_local(struct deps_members *dm, const struct sym_use *u);
/* deps_companions.c */
void deps_companions(struct deps_result *r, struct gitsrc *g,
			    struct deps_target *dt, const char *target_rev);

#endif
