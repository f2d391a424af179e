namespace Emulator.Tests.PlatformDescription.Peripherals.Test;

public enum Mode
{
    Slow,
    Fast,
}
