namespace Emulator.Peripherals.CPU;

public enum PrivilegeLevel
{
    User = 0,
    Supervisor = 1,
    Machine = 3,
}
