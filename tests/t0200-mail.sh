#!/bin/sh
# t0200-mail: mails whose body is MIME-encoded (quoted-printable, base64,
# multipart) are read as git am reads them, or refused on one line.
. "$(dirname "$0")/test-lib.sh"

GIT="git -c user.name=t -c user.email=t@example.com -c advice.detachedHead=false"

# qp_encode: quoted-printable as a mailer writes it ('=' as =3D, lines
# longer than 76 characters soft-broken with a trailing '=').
qp_encode() {
	sed 's/=/=3D/g' | awk '{
		while (length($0) > 75) { print substr($0, 1, 75) "="; $0 = substr($0, 76) }
		print
	}'
}

# mail HEADERS-FILE BODY-FILE: a mail with the headers of plain.mbox.
mail_head() {
	sed -n "1,/^Subject:/p" plain.mbox
	echo "MIME-Version: 1.0"
}

test_expect_success 'setup: a commit whose diff has "=" and a long line' '
	mkdir up && (cd up && git init -q &&
		printf "a = 1;\nb = 2;\nc = 3;\n" >x.c &&
		$GIT add x.c && $GIT commit -q -m base &&
		printf "a = 1;\nb = 4; /* a line long enough that a mailer has to soft-break it, as quoted-printable does */\nc = 3;\n" >x.c &&
		$GIT commit -q -am "x: fix b" -m "b = 4 keeps the = sign." &&
		git format-patch -1 --stdout >../plain.mbox) &&
	sed "1,/^\$/d" plain.mbox >body &&
	$GIT clone -q up base && $GIT -C base checkout -q HEAD^
'

# am_and_apply MAIL: git am and backport-tool apply give the same x.c.
am_and_apply() {
	rm -rf am tree && $GIT clone -q base am && $GIT -C am checkout -q HEAD^0 &&
	$GIT -C am am -q "$PWD/$1" &&
	mkdir tree && cp base/x.c tree/ &&
	"$BT" apply -t tree "$1" &&
	test_cmp am/x.c tree/x.c &&
	! grep "=3D" tree/x.c
}

test_expect_success 'a quoted-printable mail' '
	{ mail_head &&
	  echo "Content-Type: text/plain; charset=UTF-8" &&
	  echo "Content-Transfer-Encoding: quoted-printable" && echo &&
	  qp_encode <body; } >qp.mbox &&
	grep -q "=3D" qp.mbox && grep -q "=\$" qp.mbox &&
	am_and_apply qp.mbox
'

test_expect_success 'a quoted-printable part of a multipart mail' '
	{ mail_head &&
	  echo "Content-Type: multipart/mixed; boundary=\"=-b0undary\"" && echo &&
	  echo "This is a multi-part message in MIME format." &&
	  echo "--=-b0undary" &&
	  echo "Content-Type: text/plain; charset=UTF-8" &&
	  echo "Content-Transfer-Encoding: quoted-printable" && echo &&
	  qp_encode <body &&
	  echo "--=-b0undary" &&
	  echo "Content-Type: application/pgp-signature; name=signature.asc" && echo &&
	  echo "-----BEGIN PGP SIGNATURE-----" &&
	  echo "-----END PGP SIGNATURE-----" &&
	  echo "--=-b0undary--"; } >multi.mbox &&
	am_and_apply multi.mbox &&
	git mailinfo msg patch <multi.mbox >info &&
	cp base/x.c tree/x.c && "$BT" apply -t tree -o out multi.mbox &&
	sed -n "/^@@/,/^ c = 3;/p" out/multi.patch >ours &&
	sed -n "/^@@/,/^ c = 3;/p" patch >theirs &&
	test_cmp theirs ours
'

test_expect_success 'a base64 mail, and a base64 text/x-patch attachment' '
	{ mail_head &&
	  echo "Content-Type: text/plain; charset=UTF-8" &&
	  echo "Content-Transfer-Encoding: base64" && echo &&
	  base64 <body; } >b64.mbox &&
	! grep -q "^diff" b64.mbox &&
	am_and_apply b64.mbox &&
	sed -n "/^---\$/q;p" body >msg &&
	sed -n "/^---\$/,\$p" body >diff &&
	{ mail_head &&
	  echo "Content-Type: multipart/mixed; boundary=XX" && echo &&
	  echo "--XX" && echo "Content-Type: text/plain" && echo && cat msg &&
	  echo "--XX" && echo "Content-Type: text/x-patch; name=x.patch" &&
	  echo "Content-Transfer-Encoding: base64" && echo &&
	  base64 <diff && echo "--XX--"; } >attach.mbox &&
	am_and_apply attach.mbox
'

test_expect_success 'the refreshed patch says 8bit, and reads back the same' '
	mkdir -p tree && cp base/x.c tree/x.c && "$BT" apply -t tree -o out2 qp.mbox &&
	test_grep "^Content-Transfer-Encoding: 8bit" out2/qp.patch &&
	! grep -q "^Content-Transfer-Encoding: quoted" out2/qp.patch &&
	rm -rf tree && mkdir tree && cp base/x.c tree/ &&
	"$BT" apply -t tree out2/qp.patch && test_cmp am/x.c tree/x.c
'

test_expect_success 'an encoding that cannot be decoded is refused, located' '
	{ mail_head &&
	  echo "Content-Transfer-Encoding: x-uuencode" && echo && cat body; } >uu.mbox &&
	test_expect_code 2 "$BT" check -t base uu.mbox 2>err &&
	test $(wc -l <err) -eq 1 &&
	line=$(grep -n "^Content-Transfer-Encoding" uu.mbox | cut -d: -f1) &&
	test_grep "^backport-tool: uu.mbox:$line: unsupported content-transfer-encoding .x-uuencode.\$" err &&
	{ mail_head &&
	  echo "Content-Transfer-Encoding: base64" && echo &&
	  base64 <body && echo "not*base64"; } >bad64.mbox &&
	test_expect_code 2 "$BT" check -t base bad64.mbox 2>err &&
	line=$(grep -n "^not" bad64.mbox | cut -d: -f1) &&
	test_grep "^backport-tool: bad64.mbox:$line: bad base64 data in mail\$" err &&
	{ mail_head &&
	  echo "Content-Type: multipart/mixed" && echo && cat body; } >nob.mbox &&
	test_expect_code 2 "$BT" check -t base nob.mbox 2>err &&
	test_grep "nob.mbox:[0-9]*: multipart mail without a boundary" err
'

test_expect_success 'a later error in a decoded mail says its line is of the decoded text' '
	sed "s/^ c =3D 3;\$/c =3D 3;/" qp.mbox >bad-qp.mbox &&
	test_expect_code 2 "$BT" check -t base bad-qp.mbox 2>err &&
	test $(wc -l <err) -eq 1 &&
	test_grep "^backport-tool: bad-qp.mbox (MIME-decoded):[0-9]*: line in a hunk" err &&
	sed "s/^ c =3D 3;\$/ c =3D 30;/" qp.mbox >conflict-qp.mbox &&
	test_expect_code 1 "$BT" apply -t base conflict-qp.mbox 2>err &&
	test_grep "^backport-tool: conflict-qp.mbox (MIME-decoded):[0-9]*: does not apply" err
'

test_done
