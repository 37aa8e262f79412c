/*
 * compile_cmake.c - the CMake build system driver: configure once into
 * obj/ with a compilation database (CMAKE_EXPORT_COMPILE_COMMANDS), a
 * Debian package's flags from the environment and debian/rules, and each
 * unit compiled with its command from that database.
 */
#include "analyse/compile_int.h"

static int cmake_detect(const char *root)
{
	return compile_exists(root, "CMakeLists.txt");
}

static int cmake_configure(struct compile_ctx *c)
{
	struct strbuf output = STRBUF_INIT;
	struct strvec argv = { 0 };
	size_t i;
	int rc = 0;

	compile_strvec_push(&argv, "cmake");
	compile_strvec_push(&argv, "-S");
	compile_strvec_push(&argv, c->root);
	compile_strvec_push(&argv, "-B");
	compile_strvec_push(&argv, c->obj);
	compile_strvec_push(&argv, "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
	for (i = 0; i < c->args.n; i++)
		compile_strvec_push(&argv, c->args.v[i]);
	if (compile_run_env((const char *const *)argv.v,
			    (const char *const *)c->env.v, c->obj, c->log,
			    &output) != 0)
		rc = compile_failed(c, "cmake", &output);
	compile_strvec_release(&argv);
	sb_release(&output);
	return rc;
}

static void cmake_compile(struct compile_ctx *c, const char *path,
			  struct compile_unit *unit, struct strbuf *output,
			  struct strbuf *cwd)
{
	compile_ccdb_unit(c, c->obj, path, unit, output, cwd);
}

const struct compile_sys compile_sys_cmake = {
	"cmake", cmake_detect, cmake_configure, cmake_compile,
};
