# Sourced by the bench scripts: replace_section FILE HEADING replaces the section of a Markdown file that starts
# with a line beginning "## HEADING" (up to the next "## " heading) by standard input, or appends standard input
# when the file has no such section. The text goes through the environment, so awk interprets no escapes in it.
replace_section() {
    local file=$1 heading=$2 new
    new=$(cat)
    [ -f "$file" ] || : > "$file"
    SECTION="$new" HEADING="## $heading" awk '
        index($0, ENVIRON["HEADING"]) == 1 { print ENVIRON["SECTION"]; skipping = 1; found = 1; next }
        skipping && /^## / { skipping = 0; print "" }
        !skipping { print }
        END { if (!found) { print ""; print ENVIRON["SECTION"] } }' "$file" > "$file.tmp"
    mv "$file.tmp" "$file"
}
