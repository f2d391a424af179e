namespace Emulator.Core;

/// <summary>16-bit bus access; offsets are relative to the registration address.</summary>
public interface IWordPeripheral : IBusPeripheral
{
    ushort ReadWord(long offset);
    void WriteWord(long offset, ushort value);
}
