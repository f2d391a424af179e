using System.Globalization;
using System.Text;

namespace Emulator.Robot;

/// <summary>
/// Robot values are Python-like: strings, 64-bit integers, doubles, booleans, None (null), lists
/// (<see cref="List{T}"/> of object) and dictionaries. This class gives them Python's text and truth rules.
/// </summary>
public static class RobotValues
{
    /// <summary>The string form Robot uses when a value is put into text (`str()` in Python).</summary>
    public static string ToText(object? value) => value switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        double d => FormatDouble(d),
        float f => FormatDouble(f),
        System.Collections.IDictionary or System.Collections.IList => Repr(value),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Python's `repr()`, used inside lists and in failure messages.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case null:
                return "None";
            case string s:
                return "'" + s.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "'";
            case System.Collections.IDictionary dict:
            {
                var builder = new StringBuilder("{");
                var first = true;
                foreach (System.Collections.DictionaryEntry entry in dict)
                {
                    builder.Append(first ? "" : ", ").Append(Repr(entry.Key)).Append(": ").Append(Repr(entry.Value));
                    first = false;
                }
                return builder.Append('}').ToString();
            }
            case System.Collections.IList list:
            {
                var parts = new List<string>();
                foreach (var item in list)
                {
                    parts.Add(Repr(item));
                }
                return "[" + string.Join(", ", parts) + "]";
            }
            default:
                return ToText(value);
        }
    }

    /// <summary>Python truthiness.</summary>
    public static bool IsTruthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    /// <summary>Robot's conversion of an argument to bool: `False`, `No`, `Off`, `0`, `None`, empty are false.</summary>
    public static bool ToBool(object? value)
    {
        if (value is string s)
        {
            var t = s.Trim().ToUpperInvariant();
            return t is not ("" or "FALSE" or "NO" or "OFF" or "0" or "NONE");
        }
        return IsTruthy(value);
    }

    /// <summary>Parses Robot/Renode integer text: decimal, `0x` hex, `0b` binary, `0o` octal, optional sign, `_` separators.</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var t = text.Trim().Replace("_", "");
        var negative = false;
        if (t.StartsWith('-') || t.StartsWith('+'))
        {
            negative = t[0] == '-';
            t = t.Substring(1);
        }
        if (t.Length == 0)
        {
            return false;
        }
        ulong magnitude;
        try
        {
            if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                if (!ulong.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude))
                {
                    return false;
                }
            }
            else if (t.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
            {
                magnitude = Convert.ToUInt64(t.Substring(2), 2);
            }
            else if (t.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
            {
                magnitude = Convert.ToUInt64(t.Substring(2), 8);
            }
            else if (!ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
            {
                return false;
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
        // Values above long.MaxValue (64-bit register contents) wrap, as a C# cast of the bits would.
        value = negative ? -(long)magnitude : unchecked((long)magnitude);
        return true;
    }

    public static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Numbers as Python would compare them, or null when the value is not numeric.</summary>
    public static double? AsNumber(object? value) => value switch
    {
        long l => l,
        int i => i,
        double d => d,
        float f => f,
        bool b => b ? 1 : 0,
        ulong u => u,
        uint u => u,
        _ => null,
    };

    public static List<object?> ToList(object? value)
    {
        switch (value)
        {
            case List<object?> list:
                return list;
            case string s:
                return s.Select(c => (object?)c.ToString()).ToList();
            case System.Collections.IDictionary dict:
            {
                var keys = new List<object?>();
                foreach (var key in dict.Keys)
                {
                    keys.Add(key);
                }
                return keys;
            }
            case System.Collections.IEnumerable e:
                return e.Cast<object?>().ToList();
            default:
                throw new RobotKeywordException($"Value '{ToText(value)}' is not list-like.");
        }
    }

    public static bool ValueEquals(object? a, object? b)
    {
        var na = AsNumber(a);
        var nb = AsNumber(b);
        if (na.HasValue && nb.HasValue)
        {
            return na.Value == nb.Value;
        }
        if (a is System.Collections.IList la && b is System.Collections.IList lb)
        {
            if (la.Count != lb.Count)
            {
                return false;
            }
            for (var i = 0; i < la.Count; i++)
            {
                if (!ValueEquals(la[i], lb[i]))
                {
                    return false;
                }
            }
            return true;
        }
        return Equals(a, b);
    }

    private static string FormatDouble(double d)
    {
        if (double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 1e16)
        {
            return d.ToString("0.0", CultureInfo.InvariantCulture);
        }
        return d.ToString("R", CultureInfo.InvariantCulture);
    }
}
