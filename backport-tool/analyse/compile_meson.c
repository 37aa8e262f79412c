/*
 * compile_meson.c - the Meson build system driver: "meson setup" once
 * into obj/ (a Debian package's flags from the environment and
 * debian/rules), and each unit compiled with its command from the
 * compile_commands.json Meson writes.
 */
#include "analyse/compile_int.h"

static int meson_detect(const char *root)
{
	return compile_exists(root, "meson.build");
}

static int meson_configure(struct compile_ctx *c)
{
	struct strbuf output = STRBUF_INIT;
	struct strvec argv = { 0 };
	size_t i;
	int rc = 0;

	compile_strvec_push(&argv, "meson");
	compile_strvec_push(&argv, "setup");
	compile_strvec_push(&argv, "-Db_colorout=never");
	for (i = 0; i < c->args.n; i++)
		compile_strvec_push(&argv, c->args.v[i]);
	compile_strvec_push(&argv, c->obj);
	compile_strvec_push(&argv, c->root);
	if (compile_run_env((const char *const *)argv.v,
			    (const char *const *)c->env.v, c->obj, c->log,
			    &output) != 0)
		rc = compile_failed(c, "meson setup", &output);
	compile_strvec_release(&argv);
	sb_release(&output);
	return rc;
}

const struct compile_sys compile_sys_meson = {
	"meson", 1, meson_detect, meson_configure, compile_ccdb_unit,
};
