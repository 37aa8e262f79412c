# debsrc.sh - fetch real Debian source and binary packages for the tests.
#
# Sourced by scenario scripts after tests/test-lib.sh (which sets $CACHE).
# Everything lives under $CACHE and nothing here touches the system's apt
# state: apt runs with APT_CONFIG pointing at a private configuration in
# $CACHE/apt (its own sources.list, lists, caches, an empty dpkg status and
# an empty apt.conf.d, so the host's hooks and settings do not apply).  The
# archive is verified with the Debian archive keyring (signed-by).
#
#   debsrc_available            the archive answers (apt-get update works)
#   debsrc_version PKG SUITE    the newest version of source PKG in SUITE
#                               (after debsrc_available), e.g. trixie's qemu
#   debsrc_unpacked PKG VER     $CACHE/tree/PKG_VER: dpkg-source -x --skip-patches
#   debsrc_patched PKG VER      $CACHE/tree/PKG_VER.patched: the same after
#                               quilt push -a, without .pc
#   debbin_unpacked PKG SUITE   $CACHE/deb/PKG_SUITE: dpkg-deb -x of the amd64
#                               binary package from that suite
#   tree_copy SRC DST           a private, writable copy of a cached tree
#
# Each prints one path on stdout, progress on stderr, and returns non-zero
# on failure.  VER is the full Debian version (with its epoch, as apt wants
# it); directory names drop the epoch, as Debian's file names do.  Cached
# trees are shared by every test script: treat them as read-only and work
# on a tree_copy.  Several scripts may populate the cache at once, so each
# step runs under flock and lands atomically (built as NAME.tmp, then
# renamed).  DEBSRC_MAX_AGE (seconds, default one day) is how old the apt
# lists may be before debsrc_available refreshes them.

DEBSRC_APT="$CACHE/apt"
DEBSRC_KEYRING=${DEBSRC_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
DEBSRC_MIRROR=${DEBSRC_MIRROR:-http://deb.debian.org}
DEBSRC_SUITES="bullseye bullseye-security bookworm bookworm-security trixie"

debsrc_log() {
	printf 'debsrc: %s\n' "$*" >&2
}

# debsrc_setup: write the private apt configuration (idempotent, atomic).
debsrc_setup() {
	mkdir -p "$DEBSRC_APT/lists/partial" "$DEBSRC_APT/cache/archives/partial" \
		"$DEBSRC_APT/apt.conf.d" "$DEBSRC_APT/preferences.d" \
		"$DEBSRC_APT/log" "$CACHE/lock" "$CACHE/src" "$CACHE/tree" "$CACHE/deb" || return 1
	[ -e "$DEBSRC_APT/status" ] || : >"$DEBSRC_APT/status" || return 1
	debsrc_sources >"$DEBSRC_APT/sources.list.$$" &&
		mv -f "$DEBSRC_APT/sources.list.$$" "$DEBSRC_APT/sources.list" || return 1
	# Valid-Until is not checked: the tests pin exact versions, so a
	# stale (but signed) Release file cannot make them pass wrongly, and
	# frozen mirrors and snapshots serve expired ones.
	cat >"$DEBSRC_APT/apt.conf.$$" <<EOF || return 1
Dir::Etc::Main "/dev/null";
Dir::Etc::Parts "$DEBSRC_APT/apt.conf.d";
Dir::Etc::SourceList "$DEBSRC_APT/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::Etc::Preferences "/dev/null";
Dir::Etc::PreferencesParts "$DEBSRC_APT/preferences.d";
Dir::State "$DEBSRC_APT";
Dir::State::Lists "$DEBSRC_APT/lists";
Dir::State::status "$DEBSRC_APT/status";
Dir::Cache "$DEBSRC_APT/cache";
Dir::Log "$DEBSRC_APT/log";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Acquire::Languages "none";
Acquire::Check-Valid-Until "false";
Acquire::Retries "3";
APT::Sandbox::User "root";
APT::Get::List-Cleanup "true";
EOF
	mv -f "$DEBSRC_APT/apt.conf.$$" "$DEBSRC_APT/apt.conf"
}

debsrc_sources() {
	for _ds_s in $DEBSRC_SUITES; do
		case $_ds_s in
		*-security) _ds_uri="$DEBSRC_MIRROR/debian-security" ;;
		*) _ds_uri="$DEBSRC_MIRROR/debian" ;;
		esac
		for _ds_t in deb deb-src; do
			echo "$_ds_t [signed-by=$DEBSRC_KEYRING] $_ds_uri $_ds_s main"
		done
	done
}

# debsrc_apt ARGS...: apt-get with the private configuration.
debsrc_apt() {
	APT_CONFIG="$DEBSRC_APT/apt.conf" DEBIAN_FRONTEND=noninteractive \
		apt-get -q "$@"
}

# debsrc_locked LOCKFILE CMD...: run CMD while holding an exclusive lock.
debsrc_locked() {
	_ds_lock=$1; shift
	(
		flock -x 9 || exit 1
		"$@"
	) 9>"$_ds_lock"
}

# debsrc_file_age FILE: seconds since FILE was modified (huge if missing).
debsrc_file_age() {
	if [ -e "$1" ]; then
		echo $(($(date +%s) - $(stat -c %Y "$1")))
	else
		echo 999999999
	fi
}

debsrc_update() {
	_ds_age=$(debsrc_file_age "$DEBSRC_APT/updated")
	if [ "$_ds_age" -lt "${DEBSRC_MAX_AGE:-86400}" ] &&
		cmp -s "$DEBSRC_APT/sources.list" "$DEBSRC_APT/updated"; then
		return 0
	fi
	debsrc_log "apt-get update ($DEBSRC_SUITES)"
	debsrc_apt update >"$DEBSRC_APT/log/update.log" 2>&1 || {
		debsrc_log "apt-get update failed (see $DEBSRC_APT/log/update.log):"
		tail -n 5 "$DEBSRC_APT/log/update.log" >&2
		return 1
	}
	# apt-get update exits 0 even when some index failed to download
	if grep -q '^\(W\|E\): Failed to fetch' "$DEBSRC_APT/log/update.log"; then
		debsrc_log "apt-get update could not fetch some indexes:"
		grep '^\(W\|E\): ' "$DEBSRC_APT/log/update.log" | head -n 5 >&2
		return 1
	fi
	cp "$DEBSRC_APT/sources.list" "$DEBSRC_APT/updated"
}

debsrc_available() {
	debsrc_setup || return 1
	debsrc_locked "$DEBSRC_APT/lock" debsrc_update
}

debsrc_version() {
	[ $# -eq 2 ] || { debsrc_log "usage: debsrc_version PKG SUITE"; return 2; }
	_ds_v=$(cat "$DEBSRC_APT"/lists/*_dists_"$2"_main_source_Sources 2>/dev/null |
		awk -v p="$1" '
			/^Package: / { pkg = $2 }
			/^Version: / && pkg == p { print $2 }' | sort -u | {
			_ds_best=""
			while read -r _ds_x; do
				if [ -z "$_ds_best" ] || dpkg --compare-versions "$_ds_x" gt "$_ds_best"; then
					_ds_best=$_ds_x
				fi
			done
			echo "$_ds_best"
		})
	[ -n "$_ds_v" ] || { debsrc_log "no source package $1 in $2"; return 1; }
	echo "$_ds_v"
}

# debsrc_noepoch VERSION: the version as Debian file names spell it.
debsrc_noepoch() {
	echo "${1#*:}"
}

# debsrc_fetch PKG VERSION: the .dsc and its files in $CACHE/src
# (apt-get verifies the hashes of files already there and skips them).
debsrc_fetch() {
	debsrc_locked "$DEBSRC_APT/lock" debsrc_update || return 1
	_ds_dsc="$CACHE/src/${1}_$(debsrc_noepoch "$2").dsc"
	debsrc_log "apt-get source --download-only $1=$2"
	(cd "$CACHE/src" && debsrc_apt source --download-only "$1=$2") \
		>"$DEBSRC_APT/log/source.log" 2>&1 &&
		[ -f "$_ds_dsc" ] || {
		debsrc_log "cannot download source $1=$2:"
		tail -n 5 "$DEBSRC_APT/log/source.log" >&2
		return 1
	}
}

debsrc_unpack() {
	_ds_dir=$1 _ds_dsc=$2
	[ -d "$_ds_dir" ] && return 0
	debsrc_fetch "$3" "$4" || return 1
	# dpkg-source -x also leaves the tarballs next to the tree it makes,
	# so it unpacks inside a staging directory of its own.
	rm -rf "$_ds_dir.tmp" && mkdir "$_ds_dir.tmp" || return 1
	debsrc_log "dpkg-source -x --skip-patches $(basename "$_ds_dsc")"
	dpkg-source -x --skip-patches "$_ds_dsc" "$_ds_dir.tmp/tree" \
		>"$DEBSRC_APT/log/dpkg-source.log" 2>&1 &&
		mv "$_ds_dir.tmp/tree" "$_ds_dir" || {
		debsrc_log "cannot unpack $_ds_dsc:"
		tail -n 5 "$DEBSRC_APT/log/dpkg-source.log" >&2
		rm -rf "$_ds_dir.tmp"
		return 1
	}
	rm -rf "$_ds_dir.tmp"
}

debsrc_unpacked() {
	[ $# -eq 2 ] || { debsrc_log "usage: debsrc_unpacked PKG VERSION"; return 2; }
	debsrc_setup || return 1
	_ds_v=$(debsrc_noepoch "$2")
	_ds_dir="$CACHE/tree/${1}_$_ds_v"
	if [ ! -d "$_ds_dir" ]; then
		debsrc_locked "$CACHE/lock/src" \
			debsrc_unpack "$_ds_dir" "$CACHE/src/${1}_$_ds_v.dsc" "$1" "$2" ||
			return 1
	fi
	echo "$_ds_dir"
}

debsrc_quilt_push() {
	_ds_src=$1 _ds_dir=$2
	[ -d "$_ds_dir" ] && return 0
	rm -rf "$_ds_dir.tmp"
	cp -a "$_ds_src" "$_ds_dir.tmp" || return 1
	if [ -s "$_ds_dir.tmp/debian/patches/series" ]; then
		debsrc_log "quilt push -a in $(basename "$_ds_dir")"
		(cd "$_ds_dir.tmp" && QUILT_PATCHES=debian/patches \
			quilt --quiltrc /dev/null push -a -q) \
			>"$DEBSRC_APT/log/quilt-$(basename "$_ds_dir").log" 2>&1 || {
			debsrc_log "quilt push -a failed in $_ds_dir.tmp:"
			tail -n 5 "$DEBSRC_APT/log/quilt-$(basename "$_ds_dir").log" >&2
			rm -rf "$_ds_dir.tmp"
			return 1
		}
	fi
	rm -rf "$_ds_dir.tmp/.pc" && mv "$_ds_dir.tmp" "$_ds_dir"
}

debsrc_patched() {
	[ $# -eq 2 ] || { debsrc_log "usage: debsrc_patched PKG VERSION"; return 2; }
	_ds_src=$(debsrc_unpacked "$1" "$2") || return 1
	_ds_dir="$_ds_src.patched"
	if [ ! -d "$_ds_dir" ]; then
		debsrc_locked "$CACHE/lock/$(basename "$_ds_dir")" \
			debsrc_quilt_push "$_ds_src" "$_ds_dir" ||
			return 1
	fi
	echo "$_ds_dir"
}

debbin_unpack() {
	_ds_pkg=$1 _ds_suite=$2 _ds_dir=$3
	[ -d "$_ds_dir" ] && return 0
	_ds_dl="$CACHE/deb/.download-${_ds_pkg}_$_ds_suite"
	debsrc_locked "$DEBSRC_APT/lock" debsrc_update || return 1
	rm -rf "$_ds_dl" "$_ds_dir.tmp" && mkdir -p "$_ds_dl" || return 1
	debsrc_log "apt-get download $_ds_pkg/$_ds_suite"
	(cd "$_ds_dl" && debsrc_apt download "$_ds_pkg/$_ds_suite") \
		>"$DEBSRC_APT/log/download-${_ds_pkg}_$_ds_suite.log" 2>&1 || {
		debsrc_log "cannot download $_ds_pkg/$_ds_suite:"
		tail -n 5 "$DEBSRC_APT/log/download-${_ds_pkg}_$_ds_suite.log" >&2
		rm -rf "$_ds_dl"
		return 1
	}
	_ds_deb=$(ls "$_ds_dl"/*.deb) &&
		dpkg-deb -x "$_ds_deb" "$_ds_dir.tmp" &&
		dpkg-deb -f "$_ds_deb" Version >"$_ds_dir.version" &&
		mv "$_ds_dir.tmp" "$_ds_dir" || {
		debsrc_log "cannot unpack $_ds_pkg/$_ds_suite"
		rm -rf "$_ds_dl" "$_ds_dir.tmp"
		return 1
	}
	rm -rf "$_ds_dl"
}

# The binary package is cached by suite; $CACHE/deb/PKG_SUITE.version
# records which version that was.
debbin_unpacked() {
	[ $# -eq 2 ] || { debsrc_log "usage: debbin_unpacked PKG SUITE"; return 2; }
	debsrc_setup || return 1
	_ds_dir="$CACHE/deb/${1}_$2"
	if [ ! -d "$_ds_dir" ]; then
		debsrc_locked "$CACHE/lock/deb_$1_$2" debbin_unpack "$1" "$2" "$_ds_dir" ||
			return 1
	fi
	echo "$_ds_dir"
}

# tree_copy SRC DST: a full copy (reflinked where the file system can).
# Not hard links: GNU patch and quilt replace files by rename, but other
# tools and test commands may write in place (>>, truncating redirections,
# cp onto an existing file), and one such write through a hard link would
# silently corrupt the shared cache for every later test.
tree_copy() {
	[ $# -eq 2 ] || { debsrc_log "usage: tree_copy SRC DST"; return 2; }
	[ -d "$1" ] || { debsrc_log "tree_copy: no directory $1"; return 1; }
	rm -rf "$2" && cp -a --reflink=auto "$1" "$2" || return 1
	echo "$2"
}
