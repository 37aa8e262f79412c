/*
 * deps_members.c - is a member the patch uses there in the struct the
 * expression names?  "p->state.user": the declared type of p (a parameter
 * or local of the function on the patch's side or the target's, or a
 * global), through typedefs to a struct, then member by member to the
 * last struct, whose members the target's index lists.  Unsure at any
 * step means "unresolved", never "missing".
 */
#include "analyse/deps_int.h"

#include <stdlib.h>
#include <string.h>

void deps_members_init(struct deps_members *dm, struct symindex *target,
		       struct symindex *applied, struct tree *tree)
{
	memset(dm, 0, sizeof(*dm));
	dm->target = target;
	dm->applied = applied;
	dm->tree = tree;
	dm->locals = symindex_new();
}

void deps_members_release(struct deps_members *dm)
{
	symindex_free(dm->locals);
	strset_release(&dm->read, 0);
}

void deps_members_reread(struct deps_members *dm)
{
	symindex_free(dm->locals);
	strset_release(&dm->read, 0);
	memset(&dm->read, 0, sizeof(dm->read));
	dm->locals = symindex_new();
}

static const struct sym_def *lookup2(const struct deps_members *dm,
				     const char *prefix, const char *name,
				     const char *suffix)
{
	const struct sym_def *d = symindex_lookup_key(dm->target, prefix, name,
						      suffix);

	return d ? d : symindex_lookup_key(dm->applied, prefix, name, suffix);
}

/* The parameters and locals of the target's version of path, once. */
static void read_locals(struct deps_members *dm, const char *path)
{
	struct tree_file f;

	if (strset_has(&dm->read, path, strlen(path)))
		return;
	strset_add(&dm->read, path);
	if (tree_get(dm->tree, path, &f) == 0 && f.len)
		symindex_add_text(dm->locals, path, f.data, f.len, 1);
}

int deps_member_local(struct deps_members *dm, const struct sym_use *u)
{
	struct strbuf sfx = STRBUF_INIT;
	const struct sym_def *fn;
	int found;

	read_locals(dm, u->path);
	sb_addch(&sfx, 1);
	sb_addstr(&sfx, u->scope);
	found = symindex_lookup_key(dm->locals, NULL, u->name, sfx.buf) != NULL;
	sb_release(&sfx);
	if (found || !u->local_elsewhere)
		return found;
	/*
	 * The @@ line named a function the target's file lacks (the patch
	 * renames it, say): which function the hunk is in is a guess, so a
	 * parameter or local of the patch elsewhere still counts.
	 */
	fn = symindex_lookup_key(dm->locals, NULL, strrchr(u->scope, ':') + 1,
				 NULL);
	return !fn || fn->kind != SYM_FUNCTION;
}

/* A type name to "struct TAG" through typedefs, or NULL. */
static char *resolve_type(const struct deps_members *dm, const char *type)
{
	char *t = type ? xstrdup(type) : NULL;
	int hops;

	for (hops = 0; t && hops < 8; hops++) {
		const struct sym_def *d;

		if (!strncmp(t, "struct ", 7))
			return t;
		d = lookup2(dm, "typedef ", t, NULL);
		free(t);
		t = d && d->type ? xstrdup(d->type) : NULL;
	}
	free(t);
	return NULL;
}

/* The declared type of the chain's first name where u is used. */
static char *base_type(struct deps_members *dm, const struct sym_use *u,
		       const char *base)
{
	struct strbuf sfx = STRBUF_INIT;
	const struct sym_def *d;

	if (u->base_type)
		return xstrdup(u->base_type);
	read_locals(dm, u->path);
	sb_addch(&sfx, 1);
	sb_addstr(&sfx, u->scope);
	d = symindex_lookup_key(dm->locals, NULL, base, sfx.buf);
	sb_release(&sfx);
	if (!d)
		d = lookup2(dm, "var ", base, NULL);
	return d && d->type ? xstrdup(d->type) : NULL;
}

/*
 * The struct ("struct TAG") whose member u names, following u->of from
 * its first name; NULL when a step is unknown.
 */
static char *chain_struct(struct deps_members *dm, const struct sym_use *u)
{
	char *of = xstrdup(u->of), *save = NULL, *step;
	char *st = NULL;

	step = strtok_r(of, ".", &save);
	if (step) {
		char *t = base_type(dm, u, step);

		st = resolve_type(dm, t);
		free(t);
	}
	while (st && (step = strtok_r(NULL, ".", &save))) {
		const struct sym_def *d = lookup2(dm, st, ".", step);

		free(st);
		st = d ? resolve_type(dm, d->type) : NULL;
	}
	free(of);
	return st;
}

enum member_answer deps_member_resolve(struct deps_members *dm,
				       const struct sym_use *u,
				       char **struct_key)
{
	char *st;

	*struct_key = NULL;
	if (!u->of || !*u->of)
		return MEMBER_UNRESOLVED;
	st = chain_struct(dm, u);
	if (!st)
		return MEMBER_UNRESOLVED;
	/*
	 * An earlier patch that applied may have added it in a hunk that
	 * starts inside the struct's body, where it reads as a variable.
	 */
	if (lookup2(dm, st, ".", u->name) ||
	    symindex_lookup(dm->applied, u->name, strlen(u->name))) {
		free(st);
		return MEMBER_FOUND;
	}
	if (!lookup2(dm, NULL, st, NULL) || lookup2(dm, NULL, st, "?")) {
		free(st);
		return MEMBER_UNRESOLVED;
	}
	*struct_key = st;
	return MEMBER_MISSING;
}
