using System.Collections;
using System.Numerics;
using Emulator.PlatformDescription.Syntax;

namespace Emulator.PlatformDescription;

/// <summary>
/// Turns .repl values into constructor arguments and property values of a given C# type, as Renode's
/// SmartParser does for the common cases: integers of every width (range-checked), floating point, bools,
/// strings, enums (by member name, or by numeric value), references to other entries, and lists.
/// In checking mode (no instances yet) references are checked by type only.
/// </summary>
internal static class ValueConverter
{
    /// <summary>Resolves a reference: the referenced entry's type, and its instance once it exists.</summary>
    public delegate bool ReferenceResolver(ReferenceValue reference, out Type type, out object? instance);

    public static bool TryConvert(Value? value, bool isEmpty, Type target, ReferenceResolver resolve,
        out object? result, out PlatformDescriptionException? error)
    {
        result = null;
        error = null;
        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        if (isEmpty || value == null)
        {
            result = target.IsValueType && Nullable.GetUnderlyingType(target) == null ? Activator.CreateInstance(target) : null;
            return true;
        }
        switch (value)
        {
            case NumberValue number:
                return ConvertNumber(number, underlying, out result, out error);
            case StringValue text when underlying == typeof(string):
                result = text.Text;
                return true;
            case StringValue text when underlying == typeof(char) && text.Text.Length == 1:
                result = text.Text[0];
                return true;
            case BoolValue flag when underlying == typeof(bool):
                result = flag.Flag;
                return true;
            case EnumValue member when underlying.IsEnum:
                return ConvertEnum(member, underlying, out result, out error);
            case ReferenceValue reference:
                if (!resolve(reference, out var referencedType, out var instance))
                {
                    error = new PlatformDescriptionException(ParsingErrorCode.VariableNeverDeclared,
                        $"Variable '{reference.Name}' is used but never declared.", reference.Position);
                    return false;
                }
                if (!target.IsAssignableFrom(referencedType))
                {
                    error = Mismatch(value, target, $"'{reference.Name}' is a {referencedType.Name}");
                    return false;
                }
                result = instance;
                return true;
            case ListValue list:
                return ConvertList(list, target, resolve, out result, out error);
        }
        error = Mismatch(value, target, null);
        return false;
    }

    private static bool ConvertNumber(NumberValue number, Type target, out object? result, out PlatformDescriptionException? error)
    {
        result = null;
        error = null;
        if (target == typeof(double) || target == typeof(float) || target == typeof(decimal))
        {
            try
            {
                result = Convert.ChangeType(number.Real, target, System.Globalization.CultureInfo.InvariantCulture);
                return true;
            }
            catch (OverflowException)
            {
                error = Mismatch(number, target, "it is out of range");
                return false;
            }
        }
        if (number.Integer is not { } integer)
        {
            error = Mismatch(number, target, "it is not an integer");
            return false;
        }
        if (target.IsEnum)
        {
            // Renode's SmartParser accepts an enum member by its numeric value.
            object? underlyingValue = null;
            try
            {
                if (integer >= long.MinValue && integer <= long.MaxValue)
                {
                    underlyingValue = Convert.ChangeType((long)integer, Enum.GetUnderlyingType(target), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (OverflowException)
            {
                // Not representable in the enum's underlying type: no member can have this value.
            }
            if (underlyingValue != null && Enum.IsDefined(target, underlyingValue))
            {
                result = Enum.ToObject(target, underlyingValue);
                return true;
            }
            error = new PlatformDescriptionException(ParsingErrorCode.EnumMismatch,
                $"Enum mismatch: {number.Text} is not a value of {target.Name} ({string.Join(", ", Enum.GetNames(target))}).", number.Position);
            return false;
        }
        (BigInteger Min, BigInteger Max)? range = Type.GetTypeCode(target) switch
        {
            TypeCode.Byte => (byte.MinValue, byte.MaxValue),
            TypeCode.SByte => (sbyte.MinValue, sbyte.MaxValue),
            TypeCode.Int16 => (short.MinValue, short.MaxValue),
            TypeCode.UInt16 => (ushort.MinValue, ushort.MaxValue),
            TypeCode.Int32 => (int.MinValue, int.MaxValue),
            TypeCode.UInt32 => (uint.MinValue, uint.MaxValue),
            TypeCode.Int64 => (long.MinValue, long.MaxValue),
            TypeCode.UInt64 => (ulong.MinValue, ulong.MaxValue),
            _ => null,
        };
        if (range == null)
        {
            error = Mismatch(number, target, null);
            return false;
        }
        if (integer < range.Value.Min || integer > range.Value.Max)
        {
            error = Mismatch(number, target, $"it is out of range {range.Value.Min}..{range.Value.Max}");
            return false;
        }
        result = Type.GetTypeCode(target) switch
        {
            TypeCode.Byte => (object)(byte)integer,
            TypeCode.SByte => (sbyte)integer,
            TypeCode.Int16 => (short)integer,
            TypeCode.UInt16 => (ushort)integer,
            TypeCode.Int32 => (int)integer,
            TypeCode.UInt32 => (uint)integer,
            TypeCode.Int64 => (long)integer,
            _ => (ulong)integer,
        };
        return true;
    }

    private static bool ConvertEnum(EnumValue member, Type target, out object? result, out PlatformDescriptionException? error)
    {
        result = null;
        error = null;
        if (member.TypeName != null && member.TypeName != target.Name && !(target.FullName ?? "").EndsWith("." + member.TypeName, StringComparison.Ordinal)
            && !("Antmicro.Renode." + member.TypeName).EndsWith("." + target.Name, StringComparison.Ordinal))
        {
            error = new PlatformDescriptionException(ParsingErrorCode.EnumMismatch,
                $"Enum mismatch: expected a value of {target.Name}, got {member.Describe()}.", member.Position);
            return false;
        }
        foreach (var name in Enum.GetNames(target))
        {
            if (name == member.Member)
            {
                result = Enum.Parse(target, name);
                return true;
            }
        }
        error = new PlatformDescriptionException(ParsingErrorCode.EnumMismatch,
            $"Enum mismatch: {target.Name} has no value '{member.Member}' (it has {string.Join(", ", Enum.GetNames(target))}).", member.Position);
        return false;
    }

    private static bool ConvertList(ListValue list, Type target, ReferenceResolver resolve, out object? result, out PlatformDescriptionException? error)
    {
        result = null;
        error = null;
        Type? element = null;
        if (target.IsArray)
        {
            element = target.GetElementType();
        }
        else if (target.IsGenericType && target.GetGenericArguments().Length == 1)
        {
            var definition = target.GetGenericTypeDefinition();
            if (definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>))
            {
                element = target.GetGenericArguments()[0];
            }
        }
        if (element == null)
        {
            error = Mismatch(list, target, null);
            return false;
        }
        var items = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in list.Items)
        {
            if (!TryConvert(item, item == null, element, resolve, out var converted, out error))
            {
                return false;
            }
            items.Add(converted);
        }
        if (target.IsArray)
        {
            var array = Array.CreateInstance(element, items.Count);
            items.CopyTo(array, 0);
            result = array;
        }
        else
        {
            result = items;
        }
        return true;
    }

    private static PlatformDescriptionException Mismatch(Value value, Type target, string? why) =>
        new(ParsingErrorCode.TypeMismatch,
            $"Type mismatch: {value.Describe()} is not a valid {FriendlyName(target)}{(why == null ? "" : $" ({why})")}.", value.Position);

    public static string FriendlyName(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying != null)
        {
            return FriendlyName(underlying) + "?";
        }
        if (type.IsEnum)
        {
            return type.Name;
        }
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool",
            TypeCode.Byte => "byte",
            TypeCode.SByte => "sbyte",
            TypeCode.Int16 => "short",
            TypeCode.UInt16 => "ushort",
            TypeCode.Int32 => "int",
            TypeCode.UInt32 => "uint",
            TypeCode.Int64 => "long",
            TypeCode.UInt64 => "ulong",
            TypeCode.Double => "double",
            TypeCode.Single => "float",
            TypeCode.String => "string",
            _ => type.Name,
        };
    }
}
