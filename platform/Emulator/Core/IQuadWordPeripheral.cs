namespace Emulator.Core;

/// <summary>64-bit bus access; offsets are relative to the registration address.</summary>
public interface IQuadWordPeripheral : IBusPeripheral
{
    ulong ReadQuadWord(long offset);
    void WriteQuadWord(long offset, ulong value);
}
