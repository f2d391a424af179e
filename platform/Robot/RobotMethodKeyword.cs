using System.Reflection;
using Emulator.Core;

namespace Emulator.Robot;

/// <summary>
/// A keyword implemented by a C# method marked <see cref="RobotKeywordAttribute"/>. Arguments arrive as
/// Robot values and are converted to the parameter types (numbers accept `0x` hex, booleans accept
/// `true`/`false`/`yes`/`no`); a <see cref="RobotExecutionContext"/> parameter is filled in, not exposed.
/// </summary>
public sealed class RobotMethodKeyword : IRobotKeyword
{
    private readonly object target;
    private readonly MethodInfo method;
    private readonly ParameterInfo[] parameters;
    private readonly List<ParameterInfo> exposed;
    private readonly bool joinsExtraArguments;

    public RobotMethodKeyword(object target, MethodInfo method, RobotKeywordAttribute attribute)
    {
        this.target = target;
        this.method = method;
        parameters = method.GetParameters();
        exposed = parameters.Where(p => p.ParameterType != typeof(RobotExecutionContext)).ToList();
        Name = attribute.Name ?? RobotNames.FromMethodName(method.Name);
        Documentation = attribute.Documentation;
        TakesRawArguments = attribute.TakesRawArguments;
        IsRecorded = attribute.Recorded;
        TakesVariableName = attribute.TakesVariableName;
        joinsExtraArguments = attribute.JoinsExtraArguments;
        // Robot lists *varargs after the normal arguments and **kwargs last, whatever C# requires.
        Arguments = exposed.Select(Spec).OrderBy(a => a.Kind).ToList();
        var types = new Dictionary<string, string>();
        foreach (var p in exposed)
        {
            var type = RobotTypeName(p.ParameterType);
            if (type != null)
            {
                types[p.Name!] = type;
            }
        }
        Types = types;
    }

    public string Name { get; }

    public IReadOnlyList<RobotArgumentSpec> Arguments { get; }

    public string Documentation { get; }

    public IReadOnlyList<string> Tags { get; } = Array.Empty<string>();

    public IReadOnlyDictionary<string, string> Types { get; }

    public bool TakesRawArguments { get; }

    public bool IsRecorded { get; }

    /// <summary>The first argument is a variable name, passed unresolved.</summary>
    public bool TakesVariableName { get; }

    /// <summary>Every [RobotKeyword] method of <paramref name="library"/>.</summary>
    public static List<RobotMethodKeyword> FromLibrary(object library)
    {
        var result = new List<RobotMethodKeyword>();
        foreach (var m in library.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            var attribute = m.GetCustomAttribute<RobotKeywordAttribute>();
            if (attribute != null)
            {
                result.Add(new RobotMethodKeyword(library, m, attribute));
            }
        }
        return result;
    }

    public object? Invoke(RobotExecutionContext context, RobotCallArguments arguments)
    {
        if (joinsExtraArguments && arguments.Positional.Count > exposed.Count)
        {
            arguments = new RobotCallArguments(new object?[] { string.Join(" ", arguments.Positional.Select(RobotValues.ToText)) }, arguments.Named);
        }
        var values = new object?[parameters.Length];
        var assigned = new bool[parameters.Length];
        var positionalIndex = 0;
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            if (p.ParameterType == typeof(RobotExecutionContext))
            {
                values[i] = context;
                assigned[i] = true;
                continue;
            }
            if (IsParams(p))
            {
                var rest = arguments.Positional.Skip(positionalIndex).ToList();
                positionalIndex = arguments.Positional.Count;
                var elementType = p.ParameterType.GetElementType()!;
                var array = Array.CreateInstance(elementType, rest.Count);
                for (var k = 0; k < rest.Count; k++)
                {
                    array.SetValue(Convert(rest[k], elementType, p.Name!), k);
                }
                values[i] = array;
                assigned[i] = true;
                continue;
            }
            if (IsKwArgs(p))
            {
                continue;
            }
            if (positionalIndex < arguments.Positional.Count)
            {
                values[i] = Convert(arguments.Positional[positionalIndex++], p.ParameterType, p.Name!);
                assigned[i] = true;
            }
        }
        if (positionalIndex < arguments.Positional.Count)
        {
            throw new RobotKeywordException($"Keyword '{Name}' expected {DescribeArity()} arguments, got {arguments.Positional.Count + arguments.Named.Count}.");
        }
        var kwargs = parameters.FirstOrDefault(IsKwArgs);
        Dictionary<string, object?>? extra = kwargs != null ? new Dictionary<string, object?>() : null;
        foreach (var (name, value) in arguments.Named)
        {
            var index = Array.FindIndex(parameters, p => p.Name == name && p.ParameterType != typeof(RobotExecutionContext) && !IsParams(p) && !IsKwArgs(p));
            if (index < 0)
            {
                index = Array.FindIndex(parameters, p => p.Name != null && RobotNames.Same(p.Name, name) && p.ParameterType != typeof(RobotExecutionContext) && !IsParams(p) && !IsKwArgs(p));
            }
            if (index < 0)
            {
                if (extra != null)
                {
                    extra[name] = value;
                    continue;
                }
                throw new RobotKeywordException($"Keyword '{Name}' got unexpected named argument '{name}'.");
            }
            if (assigned[index])
            {
                throw new RobotKeywordException($"Keyword '{Name}' got multiple values for argument '{parameters[index].Name}'.");
            }
            values[index] = Convert(value, parameters[index].ParameterType, parameters[index].Name!);
            assigned[index] = true;
        }
        for (var i = 0; i < parameters.Length; i++)
        {
            if (assigned[i])
            {
                continue;
            }
            var p = parameters[i];
            if (IsKwArgs(p))
            {
                values[i] = extra;
            }
            else if (p.HasDefaultValue)
            {
                values[i] = p.DefaultValue;
            }
            else
            {
                throw new RobotKeywordException($"Keyword '{Name}' missing value for argument '{p.Name}'.");
            }
        }
        try
        {
            return Normalize(method.Invoke(target, values));
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            throw e.InnerException switch
            {
                RobotKeywordException k => k,
                OperationCanceledException c => c,
                EmulationException x => new RobotKeywordException(x.Message, x),
                var inner => new RobotKeywordException($"{inner.GetType().Name}: {inner.Message}", inner),
            };
        }
    }

    private string DescribeArity()
    {
        if (exposed.Any(IsParams))
        {
            return $"at least {exposed.Count(p => !p.HasDefaultValue && !IsParams(p) && !IsKwArgs(p))}";
        }
        var min = exposed.Count(p => !p.HasDefaultValue && !IsKwArgs(p));
        var max = exposed.Count(p => !IsKwArgs(p));
        return min == max ? min.ToString() : $"{min} to {max}";
    }

    private static bool IsParams(ParameterInfo p) => p.GetCustomAttribute<ParamArrayAttribute>() != null;

    private static bool IsKwArgs(ParameterInfo p) => p.ParameterType == typeof(Dictionary<string, object?>);

    private static RobotArgumentSpec Spec(ParameterInfo p)
    {
        if (IsParams(p))
        {
            return new RobotArgumentSpec(p.Name!, RobotArgumentKind.VarArgs, null);
        }
        if (IsKwArgs(p))
        {
            return new RobotArgumentSpec(p.Name!, RobotArgumentKind.KwArgs, null);
        }
        if (!p.HasDefaultValue)
        {
            return new RobotArgumentSpec(p.Name!, RobotArgumentKind.Scalar, null);
        }
        return new RobotArgumentSpec(p.Name!, RobotArgumentKind.Scalar, p.DefaultValue switch
        {
            null => "None",
            var v => RobotValues.ToText(v),
        });
    }

    private static string? RobotTypeName(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int) || t == typeof(long) || t == typeof(uint) || t == typeof(ulong))
        {
            return "int";
        }
        if (t == typeof(float) || t == typeof(double))
        {
            return "float";
        }
        if (t == typeof(bool))
        {
            return "bool";
        }
        return null;
    }

    private static object? Normalize(object? value) => value switch
    {
        int i => (long)i,
        uint u => (long)u,
        ulong u => unchecked((long)u),
        float f => (double)f,
        _ => value,
    };

    /// <summary>Converts a Robot value to a parameter type, failing with Robot's kind of message.</summary>
    public static object? Convert(object? value, Type type, string argumentName)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (type == typeof(object))
        {
            return value;
        }
        if (value == null || (underlying != null && value is string s0 && s0.Trim().ToUpperInvariant() == "NONE"))
        {
            if (type == typeof(string) || underlying != null || !type.IsValueType)
            {
                return type == typeof(string) && value != null ? RobotValues.ToText(value) : null;
            }
        }
        var t = underlying ?? type;
        if (t.IsInstanceOfType(value) && t != typeof(string))
        {
            return value;
        }
        if (t == typeof(string))
        {
            return RobotValues.ToText(value);
        }
        if (t == typeof(bool))
        {
            return RobotValues.ToBool(value);
        }
        if (t == typeof(List<object?>))
        {
            return RobotValues.ToList(value);
        }
        if (t == typeof(string[]))
        {
            return RobotValues.ToList(value).Select(RobotValues.ToText).ToArray();
        }
        var text = RobotValues.ToText(value);
        try
        {
            if (t.IsEnum)
            {
                var match = Enum.GetNames(t).FirstOrDefault(n => RobotNames.Same(n, text));
                if (match != null)
                {
                    return Enum.Parse(t, match);
                }
                if (RobotValues.TryParseInteger(text, out var enumNumber) && Enum.IsDefined(t, System.Convert.ChangeType(enumNumber, Enum.GetUnderlyingType(t))))
                {
                    return Enum.ToObject(t, enumNumber);
                }
                throw new FormatException();
            }
            if (t == typeof(int) || t == typeof(long) || t == typeof(uint) || t == typeof(ulong) || t == typeof(byte) || t == typeof(ushort))
            {
                long number;
                if (value is long l)
                {
                    number = l;
                }
                else if (value is double d && d == Math.Floor(d))
                {
                    number = (long)d;
                }
                else if (!RobotValues.TryParseInteger(text, out number))
                {
                    throw new FormatException();
                }
                return t == typeof(ulong) ? unchecked((ulong)number) : System.Convert.ChangeType(number, t, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (t == typeof(float) || t == typeof(double))
            {
                double number;
                if (RobotValues.AsNumber(value) is double d)
                {
                    number = d;
                }
                else if (!RobotValues.TryParseDouble(text, out number))
                {
                    throw new FormatException();
                }
                return t == typeof(float) ? (object)(float)number : number;
            }
            if (t == typeof(char) && text.Length == 1)
            {
                return text[0];
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException or ArgumentException)
        {
        }
        var typeName = t.IsEnum ? $"{t.Name} ({string.Join(", ", Enum.GetNames(t))})" : t == typeof(float) || t == typeof(double) ? "float" : t == typeof(bool) ? "bool" : t.Name.ToLowerInvariant();
        throw new RobotKeywordException($"Argument '{argumentName}' got value '{text}' that cannot be converted to {typeName}.");
    }
}
