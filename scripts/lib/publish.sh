# Sourced by scripts: publish_release PROJECT OUTDIR publishes a .NET program as users run it, ReadyToRun
# (precompiled to native code) for this machine's runtime identifier, framework-dependent. ReadyToRun cuts
# start-up by about a third and every cold path a short run takes; hot code is still recompiled by the JIT's
# higher tier. Quiet on success; the build log on stderr on failure.
publish_release() {
    local project=$1 outdir=$2 log
    local -a args=(-p:PublishReadyToRun=false)
    case "$(uname -m)" in
        x86_64) args=(-r linux-x64 --self-contained false -p:PublishReadyToRun=true) ;;
        aarch64) args=(-r linux-arm64 --self-contained false -p:PublishReadyToRun=true) ;;
    esac
    if ! log=$(dotnet publish "$project" -c Release "${args[@]}" -o "$outdir" -nologo -v q 2>&1); then
        echo "$log" >&2
        return 1
    fi
}
