#!/bin/bash
# Run "test all" on 1, 2, 4 and 8 harts with the normal and INVARIANTS
# builds, under multi-threaded TCG, single-threaded round-robin TCG and
# icount.  Prints one line per run; exits non-zero if any run failed.
HERE=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$HERE" && make -s -C "$HERE" INVARIANTS=1 || exit 1
fail=0
for n in ${HARTS:-1 2 4 8}; do
	for mode in normal inv rr icount; do
		case $mode in
		normal) elf=build/lwkt.elf; extra="" ;;
		inv)    elf=build-inv/lwkt.elf; extra="" ;;
		rr)     elf=build/lwkt.elf; extra="-accel tcg,thread=single" ;;
		icount) elf=build/lwkt.elf; extra="-icount shift=2" ;;
		esac
		out=$(ELF=$HERE/$elf QEMU_EXTRA="$extra" TIMEOUT=200 \
			"$HERE/tests/qemu-test.sh" "$n" 2>/dev/null)
		rc=$?
		echo "$mode harts=$n rc=$rc $(echo "$out" | grep '^TESTS:')"
		[ $rc -ne 0 ] && { fail=1; echo "$out" | grep -E 'FAIL|panic'; }
	done
done
exit $fail
