namespace Emulator.PlatformDescription;

/// <summary>
/// Overlays hosts add to a board without reading a file: the test finisher (QEMU's sifive_test, which
/// Renode lacks, so it is not in board.repl). The same text is in platform/boards/finisher.repl.
/// </summary>
public static class StandardOverlays
{
    /// <summary>Repository-relative path of the finisher overlay file.</summary>
    public const string TestFinisherPath = "platform/boards/finisher.repl";

    /// <summary>Name the finisher gets; a host skips the overlay when the machine already has it.</summary>
    public const string TestFinisherName = "finisher";

    public const ulong TestFinisherAddress = 0x100000;

    public const string TestFinisher = "finisher: Miscellaneous.TestFinisher @ sysbus 0x100000\n";
}
