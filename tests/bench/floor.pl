# floor.pl - the part of applying a series no tool that writes by temp
# file + rename can avoid: each existing file the series touches (paths on
# stdin, relative to the current directory) read, written back as a new
# file with the same permissions, renamed over itself.  No patching, one
# process.  `make bench` times it beside the tools so that the file
# system's own cost is in the table: on a disk it can be most of the time.
use strict;
use warnings;

while (my $p = <STDIN>) {
	chomp $p;
	next if -l $p || !-f _;
	my $perm = (stat _)[2] & 07777;
	open(my $in, '<:raw', $p) or die "floor: $p: $!\n";
	my $data = do { local $/; <$in> };
	close $in;
	my $tmp = "$p.floor-tmp";
	open(my $out, '>:raw', $tmp) or die "floor: $tmp: $!\n";
	print {$out} $data or die "floor: $tmp: $!\n";
	close $out or die "floor: $tmp: $!\n";
	chmod($perm, $tmp) or die "floor: $tmp: $!\n";
	rename($tmp, $p) or die "floor: $p: $!\n";
}
