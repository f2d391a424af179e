namespace Emulator.Peripherals.CPU;

/// <summary>Synchronous exception codes (mcause with the interrupt bit clear).</summary>
internal static class TrapCause
{
    public const ulong InstructionMisaligned = 0;
    public const ulong InstructionAccessFault = 1;
    public const ulong IllegalInstruction = 2;
    public const ulong Breakpoint = 3;
    public const ulong LoadMisaligned = 4;
    public const ulong LoadAccessFault = 5;
    public const ulong StoreMisaligned = 6;
    public const ulong StoreAccessFault = 7;
    public const ulong EcallFromU = 8;
    public const ulong EcallFromS = 9;
    public const ulong EcallFromM = 11;
    public const ulong InstructionPageFault = 12;
    public const ulong LoadPageFault = 13;
    public const ulong StorePageFault = 15;
}
