namespace Emulator.Core.Registers;

/// <summary>How a register field reacts to reads and writes (Renode's FieldMode; flags combine, e.g. Read | WriteOneToClear).</summary>
[Flags]
public enum FieldMode
{
    Read = 1 << 0,
    Write = 1 << 1,
    Set = 1 << 2,
    Toggle = 1 << 3,
    WriteOneToClear = 1 << 4,
    WriteZeroToClear = 1 << 5,
    ReadToClear = 1 << 6,
}
