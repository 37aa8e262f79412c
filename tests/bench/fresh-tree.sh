#!/bin/sh
# fresh-tree.sh PRISTINE LIST DIR - make DIR a fresh copy of PRISTINE for
# one timed run of `make bench`, cheaply.
#
# Every file of DIR is a hard link into PRISTINE except those named in LIST
# (paths relative to the tree, one a line: every file the benchmarked series
# touches), which are real, private copies.  The tools only open the files a
# patch names, so for them DIR is indistinguishable from a full copy, and
# making it costs a directory walk instead of copying 200 MB: a full cp -a
# plus sync of qemu's tree takes 6 to 30 s on a busy machine, more than all
# the timed commands together.  PRISTINE is the benchmark's own copy, not
# the shared test cache, and run.sh checks afterwards that nothing wrote
# through a link into it.
set -e
[ $# -eq 3 ] || { echo "usage: fresh-tree.sh PRISTINE LIST DIR" >&2; exit 2; }
case "$3" in /*) dir=$3 ;; *) dir="$PWD/$3" ;; esac
rm -rf "$dir"
cp -al "$1" "$dir"
cd "$1"
while IFS= read -r p; do
	[ -f "$p" ] && [ ! -L "$p" ] || continue
	rm -f "$dir/$p"         # never write through the link
	cp -p "$p" "$dir/$p"
done <"$2"
sync
