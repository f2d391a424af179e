# Sourced by the bench scripts: median V... prints the middle value of the numbers (the lower of the two middle ones
# for an even count), or "n/a" when any of them is "n/a" (a run that missed what it measured).
median() {
    local v
    for v in "$@"; do [ "$v" != "n/a" ] || { echo "n/a"; return; }; done
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
