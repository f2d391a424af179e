namespace Antmicro.Renode.Core.Structure.Registers;

/// <summary>Renode's FieldMode (flags combine, e.g. <c>FieldMode.Read | FieldMode.WriteOneToClear</c>).</summary>
[Flags]
public enum FieldMode
{
    Read = 1 << 0,
    Write = 1 << 1,
    Set = 1 << 2,
    Toggle = 1 << 3,
    WriteOneToClear = 1 << 4,
    WriteZeroToClear = 1 << 5,
    ReadToClear = 1 << 6,
}
