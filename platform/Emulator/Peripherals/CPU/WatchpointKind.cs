namespace Emulator.Peripherals.CPU;

public enum WatchpointKind
{
    Write,
    Read,
    Access,
}
