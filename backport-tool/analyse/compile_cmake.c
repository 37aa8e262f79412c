/*
 * compile_cmake.c - the CMake build system driver: configure once into
 * obj/ with a compilation database (CMAKE_EXPORT_COMPILE_COMMANDS), a
 * Debian package's flags from the environment and debian/rules, and each
 * unit compiled with its command from that database.
 */
#include "analyse/compile_int.h"

#include <string.h>

static int cmake_detect(const char *root)
{
	return compile_exists(root, "CMakeLists.txt");
}

/* CMake reads no CPPFLAGS: they go into CFLAGS, as debhelper does. */
static void cmake_env(const struct strvec *env, struct strvec *out)
{
	const char *cflags = NULL, *cppflags = NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < env->n; i++)
		if (!strncmp(env->v[i], "CPPFLAGS=", 9))
			cppflags = env->v[i] + 9;
		else if (!strncmp(env->v[i], "CFLAGS=", 7))
			cflags = env->v[i] + 7;
		else
			compile_strvec_push(out, env->v[i]);
	if (cflags || cppflags) {
		sb_addf(&sb, "CFLAGS=%s%s%s", cflags ? cflags : "",
			cflags && cppflags ? " " : "", cppflags ? cppflags : "");
		compile_strvec_push(out, sb.buf);
	}
	sb_release(&sb);
}

static int cmake_configure(struct compile_ctx *c)
{
	struct strbuf output = STRBUF_INIT;
	struct strvec argv = { 0 }, env = { 0 };
	size_t i;
	int rc = 0;

	cmake_env(&c->env, &env);
	compile_strvec_push(&argv, "cmake");
	compile_strvec_push(&argv, "-S");
	compile_strvec_push(&argv, c->root);
	compile_strvec_push(&argv, "-B");
	compile_strvec_push(&argv, c->obj);
	compile_strvec_push(&argv, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
	for (i = 0; i < c->args.n; i++)
		compile_strvec_push(&argv, c->args.v[i]);
	if (compile_run_env((const char *const *)argv.v,
			    (const char *const *)env.v, c->obj, c->log,
			    &output) != 0)
		rc = compile_failed(c, "cmake", &output);
	compile_strvec_release(&argv);
	compile_strvec_release(&env);
	sb_release(&output);
	return rc;
}

const struct compile_sys compile_sys_cmake = {
	"cmake", 1, cmake_detect, cmake_configure, compile_ccdb_unit,
};
