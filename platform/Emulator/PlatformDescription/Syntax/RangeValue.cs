namespace Emulator.PlatformDescription.Syntax;

/// <summary>A .repl range: <c>&lt;a, b&gt;</c> is start a with size b - a (end exclusive); <c>&lt;a, +s&gt;</c> is start a, size s.</summary>
public sealed class RangeValue : Value
{
    public RangeValue(SourcePosition position, ulong start, ulong size) : base(position)
    {
        Start = start;
        Size = size;
    }

    public ulong Start { get; }

    public ulong Size { get; }

    public override string Describe() => $"<0x{Start:X}, +0x{Size:X}>";
}
