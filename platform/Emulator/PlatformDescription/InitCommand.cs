namespace Emulator.PlatformDescription;

/// <summary>
/// One statement from an <c>init:</c> block, for the Monitor to run after the load: the object's name and the
/// statement, e.g. ("cpu0", "RegisterCustomCSR \"BPM\" 0x7C0 Machine"). <see cref="Command"/> joins them.
/// </summary>
public sealed record InitCommand(string ObjectName, string Statement, SourcePosition Position)
{
    public string Command => $"{ObjectName} {Statement}";

    public override string ToString() => Command;
}
