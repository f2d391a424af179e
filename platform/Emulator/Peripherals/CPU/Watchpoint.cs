namespace Emulator.Peripherals.CPU;

internal readonly record struct Watchpoint(ulong Address, ulong Length, WatchpointKind Kind)
{
    public bool Hits(ulong address, int size, bool isWrite) =>
        address < Address + Length && Address < address + (ulong)size &&
        (Kind == WatchpointKind.Access || (Kind == WatchpointKind.Write) == isWrite);
}
