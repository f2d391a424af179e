# Sourced by scripts/emu and scripts/build-emu: emu_is_current ROOT succeeds when ROOT/artifacts/emu holds a build
# (and the guest a kernel) newer than every source, so that `scripts/emu` can run the binary without starting
# another shell for scripts/build-emu. Sources: the .NET projects under platform/ and peripherals/, the
# solution-wide build files, and the guest (its Makefile and everything it compiles). A directory newer than the
# stamp means a file was added, removed or renamed there.
emu_is_current() {
    local root=$1 stamp="$1/artifacts/emu/.build-stamp"
    [ -x "$root/artifacts/emu/emu" ] && [ -f "$stamp" ] && [ -f "$root/guest/build/lwkt.elf" ] || return 1
    [ -z "$(find "$root/platform" "$root/peripherals" "$root/guest" "$root/Directory.Build.props" "$root/Emulator.sln" \
        \( -name bin -o -name obj -o -name build -o -name 'build-*' \) -prune -o \
        -newer "$stamp" \( -type d -o -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.sln' \
        -o -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.ld' -o -name Makefile -o -name '*.mk' \) \
        -print -quit 2>/dev/null)" ]
}
