#!/usr/bin/perl
# paths.pl - helpers of the fidelity benchmark that are easier in perl than
# in sh.
#
#   paths.pl files N PATCH   the paths PATCH changes (its "---"/"+++" and
#                            "diff --git" names with N components
#                            stripped), one a line, sorted, unique
#   paths.pl cites PATCH     the hexadecimal ids PATCH's header cites as a
#                            commit (DEP-3 Origin/Applied-Upstream URLs,
#                            "cherry picked from commit X", "commit X", "Commit-Id: X",
#                            git's "From X Mon Sep 17" line), in order
#   paths.pl reverts PATCH   exits 0 when PATCH's header says it reverts a
#                            commit ("Subject: Revert", "This reverts commit")
use strict;
use warnings;

my ($cmd, @args) = @ARGV;
if (($cmd // '') eq 'files') {
	my ($strip, $file) = @args;
	open(my $fh, '<', $file) or die "paths.pl: $file: $!\n";
	my %seen;
	while (<$fh>) {
		my @names;
		if (/^diff --git (\S+) (\S+)/) {
			@names = ($1, $2);
		} elsif (/^(?:---|\+\+\+) (\S+)/) {
			@names = ($1);
		}
		for my $n (@names) {
			next if $n eq '/dev/null';
			my @c = split m{/+}, $n;
			next if @c <= $strip;
			$seen{join('/', @c[$strip .. $#c])} = 1;
		}
	}
	print "$_\n" for sort keys %seen;
} elsif (($cmd // '') eq 'cites') {
	my ($file) = @args;
	open(my $fh, '<', $file) or die "paths.pl: $file: $!\n";
	my (@ids, %seen);
	while (<$fh>) {
		last if /^(?:---\s*$|--- |diff |Index: |\+\+\+ )/ && !/^From /;
		my @hits;
		push @hits, $1 if /^From ([0-9a-f]{40}) /;
		push @hits, $1 while /commit(?:s|-id)?[\/ :=]+\s*([0-9a-f]{7,40})\b/gi;
		push @hits, $1 while /[?&;]id=([0-9a-f]{7,40})\b/g;
		for my $h (@hits) {
			push @ids, $h unless $seen{$h}++;
		}
	}
	print "$_\n" for @ids;
} elsif (($cmd // '') eq 'reverts') {
	my ($file) = @args;
	open(my $fh, '<', $file) or die "paths.pl: $file: $!\n";
	while (<$fh>) {
		last if /^(?:---\s*$|--- |diff |Index: |\+\+\+ )/ && !/^From /;
		exit 0 if /^Subject:\s*(?:\[[^]]*\]\s*)?Revert\b/i || /^This reverts commit /;
	}
	exit 1;
} else {
	die "usage: paths.pl files N PATCH | cites PATCH | reverts PATCH\n";
}
