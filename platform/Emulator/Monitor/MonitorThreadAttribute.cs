namespace Emulator.Monitor;

/// <summary>
/// Marks a facade member that must run on the monitor's thread even while the emulation runs (it pauses,
/// starts or waits for the emulation itself); every other member of a machine's object runs between two
/// slices on the emulation thread, where touching harts and peripherals is safe.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property)]
internal sealed class MonitorThreadAttribute : Attribute
{
}
