#!/usr/bin/perl
# summary.pl - the fidelity benchmark's tables: reads OUT/pairs.tsv (one
# line a patch, written by score.sh) and OUT/sources (PROJECT, SOURCE and,
# for a source that could not be measured, a third field), writes
# OUT/results.md and OUT/results.json.
#
#   perl summary.pl OUT
#
# Per project, overall and for the pairs that needed a hand adaptation:
# for each tool, how many results were identical to the maintainer's, how
# many the tool reported as a conflict, and how many it reported as a
# success although they differ ("silently different").  Every silently
# different result of backport-tool is listed with its diff summary, the
# other tools that gave the same result, why, from tests/fidelity/
# explained (FIDELITY_EXPLAINED=FILE reads another file), and what
# backport-tool check warns of it on the whole tree (score.sh's bt_check).
use strict;
use warnings;
use JSON::PP;

my $out = shift or die "usage: summary.pl OUT\n";
my @tools = qw(gnu_patch git_3way wiggle bt bt_f2);
my %title = (gnu_patch => 'GNU patch -F2', git_3way => 'git apply --3way',
	wiggle => 'wiggle', bt => 'backport-tool', bt_f2 => 'backport-tool -F 2');
my @verdicts = qw(identical conflict different);

my (@pairs, @skipped, @projects, %seen_project, @sources);
open(my $src, '<', "$out/sources") or die "summary.pl: $out/sources: $!\n";
while (<$src>) {
	chomp;
	my ($p, $what, $not) = split /\t/;
	push @sources, { project => $p, source => $what, measured => $not ? JSON::PP::false : JSON::PP::true };
	push @projects, $p unless $seen_project{$p}++;
}
open(my $in, '<', "$out/pairs.tsv") or die "summary.pl: $out/pairs.tsv: $!\n";
while (<$in>) {
	chomp;
	my @f = split /\t/;
	die "summary.pl: $out/pairs.tsv:$.: 12 fields expected\n" unless @f == 12;
	my %r = (project => $f[0], source => $f[1], patch => $f[2]);
	if ($f[3] eq 'skip') {
		push @skipped, { %r, reason => $f[11] };
		next;
	}
	$r{bt_check} = $f[11] unless $f[11] eq '-';
	$r{commit} = $f[3];
	$r{flags} = [ $f[4] eq '-' ? () : split /,/, $f[4] ];
	$r{hand_adapted} = $f[5] ? JSON::PP::true : JSON::PP::false;
	@{ $r{results} }{@tools} = @f[6 .. 10];
	push @pairs, \%r;
}

sub count {
	my %c = (pairs => scalar @_, hand_adapted => scalar grep { $_->{hand_adapted} } @_);
	for my $t (@tools) {
		$c{$t}{$_} = 0 for @verdicts;
		$c{$t}{ $_->{results}{$t} }++ for @_;
	}
	return \%c;
}

my @measured = grep { $_->{measured} } @sources;
my @unset = grep { !$_->{measured} } @sources;
my (%per, @rows);
for my $p (grep { my $p = $_; grep { $_->{project} eq $p } @measured } @projects) {
	$per{$p} = count(grep { $_->{project} eq $p } @pairs);
	push @rows, [ $p, $per{$p} ];
}
my $all = count(@pairs);
my $hand = count(grep { $_->{hand_adapted} } @pairs);
push @rows, [ '**all**', $all ], [ 'needed a hand adaptation', $hand ];

open(my $md, '>', "$out/results.md") or die "summary.pl: $out/results.md: $!\n";
print $md "# Fidelity: the tools against the maintainers' hand backports\n\n";
print $md "Sources: ", join(', ', map { "$_->{project} ($_->{source})" } @measured), ".\n";
print $md "Not measured: ", join(', ', map { "$_->{project} ($_->{source})" } @unset), ".\n"
	if @unset;
print $md "\n";
print $md "Each tool's cell: identical to the maintainer's result / reported a conflict / ",
	"**silently different** (reported success, differs from the maintainer's). ",
	"Hand-adapted: GNU patch -F0 of the commit fails or differs from the maintainer's.\n\n";
print $md '| project | pairs | hand-adapted | ', join(' | ', map { $title{$_} } @tools), " |\n";
print $md '|---|---:|---:|', join('|', map { '---' } @tools), "|\n";
for my $row (@rows) {
	my ($name, $c) = @$row;
	print $md "| $name | $c->{pairs} | $c->{hand_adapted} | ",
		join(' | ', map { my $t = $_; join(' / ', map { $c->{$t}{$_} } @verdicts) } @tools),
		" |\n";
}
my $more = grep { grep { $_ eq 'more' } @{ $_->{flags} } } @pairs;
my $dropped = grep { grep { $_ eq 'dropped' } @{ $_->{flags} } } @pairs;
print $md "\nCompared on the files both the commit and the maintainer's patch change. ",
	"The maintainer also changed other files in $more pairs and left out files ",
	"of the commit in $dropped.",
	(@skipped ? (' ', scalar(@skipped), ' patches are not pairs: ',
		join(', ', map { "$_->[1] $_->[0]" } reasons()), '.') : ()), "\n";

print $md "\n## backport-tool: silently different\n\n";
my %why = explanations();
my ($n, $unexplained, $warned) = (0, 0, 0);
for my $r (@pairs) {
	for my $t (qw(bt bt_f2)) {
		next unless $r->{results}{$t} eq 'different';
		$n++;
		my $name = "$r->{project}.$r->{source}.$r->{patch}.$t.diff";
		$name =~ tr{:/}{__};
		print $md "- $title{$t}: $r->{project} $r->{source} $r->{patch} ($r->{commit}",
			(@{ $r->{flags} } ? ', maintainer ' . join(' and ', map { $_ eq 'more' ?
				'changed more' : 'dropped files' } @{ $r->{flags} }) : ''),
			"): ", diffstat("$out/diffs/$name"), same_as($r, $t, $name), " (diffs/$name)\n";
		my $w = $why{"$r->{commit} $t"} // $why{"$r->{commit} *"};
		$unexplained++ unless defined $w;
		$r->{explained}{$t} = $w // 'not explained';
		print $md "  - ", $w // '**not explained**', "\n";
		my $said = $r->{bt_check} // 'not run';
		$warned++ unless $said eq 'none' || $said eq 'not run';
		print $md "  - backport-tool check on the whole tree: ",
			$said eq 'none' ? 'no warning' : $said, "\n";
	}
}
print $md $n ? "\n$n cases, $unexplained not explained; backport-tool check " .
	"warns on $warned of them.\n" : "none\n";
close $md or die "summary.pl: $out/results.md: $!\n";

open(my $js, '>', "$out/results.json") or die "summary.pl: $out/results.json: $!\n";
print $js JSON::PP->new->canonical->pretty->encode({
	tools => { map { $_ => $title{$_} } @tools },
	sources => \@sources, projects => \%per, all => $all, hand_adapted => $hand,
	pairs => \@pairs, skipped => \@skipped });
close $js or die "summary.pl: $out/results.json: $!\n";

# reasons: [reason, count] for the skipped patches, commit ids left out.
sub reasons {
	my %c;
	for (@skipped) {
		my $r = $_->{reason};
		$r =~ s/cites \d+ commits/cites several commits/;
		$c{$r}++;
	}
	return map { [ $_, $c{$_} ] } sort { $c{$b} <=> $c{$a} || $a cmp $b } keys %c;
}

# explanations: "COMMIT TOOL" -> why, from tests/fidelity/explained.
sub explanations {
	(my $file = $0) =~ s{[^/]*$}{explained};
	$file = $ENV{FIDELITY_EXPLAINED} if $ENV{FIDELITY_EXPLAINED};
	my %w;
	open(my $fh, '<', $file) or return %w;
	while (<$fh>) {
		next if /^\s*(#|$)/;
		my ($c, $t, $why) = /^([0-9a-f]{12})\s+(\S+)\s+(.*?)\s*$/ or
			die "summary.pl: $file:$.: COMMIT TOOL WHY expected\n";
		$w{"$c $t"} = $why;
	}
	return %w;
}

# same_as PAIR TOOL NAME: "; the same result as ..." the other tools that
# were silently different in the same way.
sub same_as {
	my ($r, $t, $name) = @_;
	my $mine = diffbody("$out/diffs/$name");
	my @same;
	for my $o (qw(gnu_patch git_3way wiggle)) {
		next unless $r->{results}{$o} eq 'different';
		(my $other = $name) =~ s/\.$t\.diff$/.$o.diff/;
		push @same, $title{$o} if diffbody("$out/diffs/$other") eq $mine;
	}
	return @same ? '; the same result as ' . join(', ', @same) : '';
}

# diffbody FILE: the diff without its file names (they name the tool).
sub diffbody {
	open(my $fh, '<', $_[0]) or return "";
	return join('', grep { !/^(---|\+\+\+) / } <$fh>);
}

# diffstat FILE: "N lines differ in FILES" for a diff -u from the maintainer's.
sub diffstat {
	my ($file) = @_;
	open(my $fh, '<', $file) or return 'no diff kept';
	my ($plus, $minus, %files) = (0, 0);
	while (<$fh>) {
		if (/^\+\+\+ [^\/]+\/(\S+)/) { $files{$1} = 1; next }
		next if /^--- /;
		$plus++ if /^\+/;
		$minus++ if /^-/;
	}
	return "+$plus -$minus lines against the maintainer's in " . join(', ', sort keys %files);
}
