using Emulator.Core;

namespace Emulator.Bus;

/// <summary>Makes `sysbus` a named object of the machine, so monitor commands and .repl entries can refer to it.</summary>
public sealed class SystemBusPeripheral : IPeripheral
{
    public SystemBusPeripheral(SystemBus bus)
    {
        Bus = bus;
    }

    public SystemBus Bus { get; }

    public void Reset()
    {
    }
}
