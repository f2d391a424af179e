namespace Emulator.Peripherals.CPU.Translation;

/// <summary>
/// Operations the translated code calls rather than inlines (multiply-high, division with RISC-V's
/// divide-by-zero and overflow results). Identical to the interpreter's arithmetic.
/// </summary>
internal static class TranslationHelpers
{
    public static ulong Mulh(ulong a, ulong b) => (ulong)Math.BigMul((long)a, (long)b, out _);

    public static ulong Mulhu(ulong a, ulong b) => Math.BigMul(a, b, out _);

    public static ulong Mulhsu(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out _);
        return (long)a < 0 ? high - b : high;
    }

    public static ulong Div(ulong a, ulong b)
    {
        long x = (long)a, y = (long)b;
        return (ulong)(y == 0 ? -1 : (x == long.MinValue && y == -1 ? x : x / y));
    }

    public static ulong Divu(ulong a, ulong b) => b == 0 ? ulong.MaxValue : a / b;

    public static ulong Rem(ulong a, ulong b)
    {
        long x = (long)a, y = (long)b;
        return (ulong)(y == 0 ? x : (x == long.MinValue && y == -1 ? 0 : x % y));
    }

    public static ulong Remu(ulong a, ulong b) => b == 0 ? a : a % b;

    public static ulong Divw(ulong a, ulong b)
    {
        int x = (int)a, y = (int)b;
        return (ulong)(long)(y == 0 ? -1 : (x == int.MinValue && y == -1 ? x : x / y));
    }

    public static ulong Divuw(ulong a, ulong b)
    {
        var y = (uint)b;
        return (ulong)(long)(int)(y == 0 ? uint.MaxValue : (uint)a / y);
    }

    public static ulong Remw(ulong a, ulong b)
    {
        int x = (int)a, y = (int)b;
        return (ulong)(long)(y == 0 ? x : (x == int.MinValue && y == -1 ? 0 : x % y));
    }

    public static ulong Remuw(ulong a, ulong b)
    {
        uint x = (uint)a, y = (uint)b;
        return (ulong)(long)(int)(y == 0 ? x : x % y);
    }

    /// <summary>The value an AMO of <paramref name="kind"/> (0 swap .. 8 maxu, as in the interpreter) writes.</summary>
    public static ulong AmoResult(int kind, bool word, ulong old, ulong src)
    {
        if (word)
        {
            int o = (int)old, s = (int)src;
            return (uint)(kind switch
            {
                0 => s,
                1 => o + s,
                2 => o ^ s,
                3 => o & s,
                4 => o | s,
                5 => Math.Min(o, s),
                6 => Math.Max(o, s),
                7 => (int)Math.Min((uint)o, (uint)s),
                _ => (int)Math.Max((uint)o, (uint)s),
            });
        }
        return kind switch
        {
            0 => src,
            1 => old + src,
            2 => old ^ src,
            3 => old & src,
            4 => old | src,
            5 => (ulong)Math.Min((long)old, (long)src),
            6 => (ulong)Math.Max((long)old, (long)src),
            7 => Math.Min(old, src),
            _ => Math.Max(old, src),
        };
    }
}
