#!/bin/bash
# Boot the guest on QEMU with N harts, run "test all" (or the commands
# given after N), power off.  Exit 0 only if the tests all passed and the
# machine powered off.
#   guest/tests/qemu-test.sh N [command...]
#   ELF=path TIMEOUT=sec QEMU_EXTRA="-accel tcg,thread=single" to override.
set -u
trap '' PIPE
N=${1:-4}
shift || true
HERE=$(cd "$(dirname "$0")/.." && pwd)
ELF=${ELF:-$HERE/build/lwkt.elf}
TIMEOUT=${TIMEOUT:-120}
OUT=$(mktemp /tmp/lwkt-qemu.XXXXXX)
if [ $# -eq 0 ]; then set -- "test all"; fi

wait_for() {	# pattern, seconds
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		grep -q -- "$1" "$OUT" && return 0
		kill -0 "$QPID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

exec 3> >(timeout "$TIMEOUT" qemu-system-riscv64 -M virt -smp "$N" -m 128M \
	-bios none -nographic -monitor none -serial stdio ${QEMU_EXTRA:-} -kernel "$ELF" >"$OUT" 2>&1;
	echo "QEMU-EXIT $?" >>"$OUT")
QPID=$!
wait_for "lwkt> " 20
for cmd in "$@"; do
	printf '%s\r' "$cmd" >&3
	if [ "$cmd" = "test all" ] || [[ "$cmd" == test* ]]; then
		wait_for "^TESTS: \|^unknown test" "$TIMEOUT"
	else
		sleep 1
	fi
done
printf 'poweroff\r' >&3
wait_for "QEMU-EXIT" 20
exec 3>&-
sleep 0.2
tr -d '\r' <"$OUT"
rc=1
if grep -q "^TESTS: [0-9]* passed, 0 failed" <(tr -d '\r' <"$OUT") &&
   grep -q "Powering off" "$OUT" && grep -q "QEMU-EXIT 0" "$OUT"; then
	rc=0
fi
rm -f "$OUT"
exit $rc
