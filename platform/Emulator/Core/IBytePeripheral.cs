namespace Emulator.Core;

/// <summary>Byte-wide bus access; offsets are relative to the registration address.</summary>
public interface IBytePeripheral : IBusPeripheral
{
    byte ReadByte(long offset);
    void WriteByte(long offset, byte value);
}
