using System.Globalization;
using System.Numerics;

namespace Emulator.PlatformDescription.Syntax;

/// <summary>A number as written: <c>0x1000</c>, <c>-3</c>, <c>1_000_000</c>, <c>2.5</c>.</summary>
public sealed class NumberValue : Value
{
    public NumberValue(SourcePosition position, string text, BigInteger? integer, double real) : base(position)
    {
        Text = text;
        Integer = integer;
        Real = real;
    }

    public string Text { get; }

    /// <summary>The value if it is an integer; null for a number with a fraction.</summary>
    public BigInteger? Integer { get; }

    public double Real { get; }

    public override string Describe() => Text;

    public static bool TryParse(string text, out BigInteger? integer, out double real)
    {
        var digits = text.Replace("_", "");
        var negative = digits.StartsWith('-');
        if (negative)
        {
            digits = digits[1..];
        }
        integer = null;
        real = 0;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            // Numbers that fit 64 bits (all of them, in practice) take ulong's parser: BigInteger's is generic code
            // the JIT compiles at start-up. A leading 0 keeps BigInteger from reading the top hex digit as a sign.
            BigInteger hex;
            if (ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var small))
            {
                hex = small;
            }
            else if (digits.Length == 2 || !BigInteger.TryParse("0" + digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hex))
            {
                return false;
            }
            integer = negative ? -hex : hex;
            real = (double)integer.Value;
            return true;
        }
        if (digits.Contains('.'))
        {
            if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r))
            {
                return false;
            }
            real = negative ? -r : r;
            return true;
        }
        BigInteger dec;
        if (ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var smallDecimal))
        {
            dec = smallDecimal;
        }
        else if (!BigInteger.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out dec))
        {
            return false;
        }
        integer = negative ? -dec : dec;
        real = (double)integer.Value;
        return true;
    }
}
