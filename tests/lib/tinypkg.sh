# tinypkg.sh - a tiny Debian source package of our own for the tests that
# build uploads and binaries (t4850, t5200): a C hello with a Makefile,
# debian/ with dh (debhelper-compat 13), format 3.0 (quilt), its orig
# tarball, and a fix to carry as a patch.  Written by the test, so it needs
# no network and copies nothing.
#
#   tinypkg_write DIR     DIR/hello-bt-1.0 (version 1.0-1, bullseye) and
#                         DIR/hello-bt_1.0.orig.tar.xz
#   tinypkg_patch FILE    a git-style patch that changes the greeting
#   tinypkg_bad_patch FILE  a patch that breaks the build (a C syntax error)

tinypkg_write() {
	_tp=$1/hello-bt-1.0
	mkdir -p "$_tp" || return 1
	cat >"$_tp/hello.c" <<'EOC'
#include <stdio.h>

int main(void)
{
	puts("hello from a backport");
	return 0;
}
EOC
	printf 'hello-bt: hello.c\n\t$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS) -o $@ hello.c\n\ninstall:\n\tinstall -D -m 0755 hello-bt $(DESTDIR)/usr/bin/hello-bt\n\nclean:\n\trm -f hello-bt\n' >"$_tp/Makefile"
	(cd "$_tp" && tar --sort=name --mtime=@0 --owner=0 --group=0 \
		--transform 's,^\.,hello-bt-1.0,' -cJf ../hello-bt_1.0.orig.tar.xz .) ||
		return 1
	mkdir -p "$_tp/debian/source" || return 1
	cat >"$_tp/debian/control" <<'EOC'
Source: hello-bt
Section: devel
Priority: optional
Maintainer: Backport Tool Tests <tests@backport-tool.invalid>
Build-Depends: debhelper-compat (= 13)
Standards-Version: 4.6.0
Rules-Requires-Root: no

Package: hello-bt
Architecture: any
Depends: ${shlibs:Depends}, ${misc:Depends}
Description: greeting program for backport-tool's tests
 Prints a greeting. Built by backport-tool's test suite to check that
 the uploads it writes build in sbuild.
EOC
	printf '#!/usr/bin/make -f\n%%:\n\tdh $@\n\noverride_dh_auto_install:\n\t$(MAKE) install DESTDIR=$(CURDIR)/debian/hello-bt\n' >"$_tp/debian/rules"
	chmod +x "$_tp/debian/rules"
	echo "3.0 (quilt)" >"$_tp/debian/source/format"
	mkdir -p "$_tp/debian/patches" && : >"$_tp/debian/patches/series"
	cat >"$_tp/debian/copyright" <<'EOC'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: hello-bt

Files: *
Copyright: 2026 Backport Tool Tests
License: GPL-2+
 On Debian systems the full text of the GNU General Public License
 version 2 is in /usr/share/common-licenses/GPL-2.
EOC
	cat >"$_tp/debian/changelog" <<'EOC'
hello-bt (1.0-1) bullseye; urgency=medium

  * Initial release.

 -- Backport Tool Tests <tests@backport-tool.invalid>  Fri, 01 Jan 2021 00:00:00 +0000
EOC
}

tinypkg_patch() {
	cat >"$1" <<'EOC'
From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: Upstream Author <author@example.org>
Date: Tue, 1 Jun 2021 10:00:00 +0000
Subject: [PATCH] hello: greet the stable release

The stable release deserves its own greeting.
---
 hello.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/hello.c b/hello.c
--- a/hello.c
+++ b/hello.c
@@ -2,6 +2,6 @@
 
 int main(void)
 {
-	puts("hello from a backport");
+	puts("hello from a stable update");
 	return 0;
 }
EOC
}

tinypkg_bad_patch() {
	cat >"$1" <<'EOC'
From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001
From: Upstream Author <author@example.org>
Date: Tue, 1 Jun 2021 11:00:00 +0000
Subject: [PATCH] hello: a change that does not compile

Forgets a semicolon.
---
 hello.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/hello.c b/hello.c
--- a/hello.c
+++ b/hello.c
@@ -3,5 +3,5 @@
 int main(void)
 {
 	puts("hello from a backport");
-	return 0;
+	return 0
 }
EOC
}
