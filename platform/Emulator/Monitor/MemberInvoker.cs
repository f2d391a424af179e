using System.Reflection;
using System.Text;

namespace Emulator.Monitor;

/// <summary>
/// `obj Method args` and `obj Property [value]` by reflection over an object's public members, as Renode's
/// monitor does. An object is a list of targets searched in order: a monitor facade first (Renode's command
/// names), then the real peripheral, so any public member of a peripheral is reachable too.
/// </summary>
internal sealed class MemberInvoker
{
    private readonly Func<MonitorToken, Type, (bool Ok, object? Value)> convert;

    public MemberInvoker(Func<MonitorToken, Type, (bool Ok, object? Value)> convert)
    {
        this.convert = convert;
    }

    public static bool HasMember(IReadOnlyList<object> targets, string member) =>
        targets.Any(t => FindMethods(t.GetType(), member).Count > 0 || FindProperty(t.GetType(), member) != null);

    /// <summary>Calls the member; returns (found, result). Throws MonitorException for bad arguments.</summary>
    public object? Invoke(IReadOnlyList<object> targets, string objectName, string member, IReadOnlyList<MonitorToken> args)
    {
        foreach (var target in targets)
        {
            var type = target.GetType();
            var property = FindProperty(type, member);
            if (property != null)
            {
                return InvokeProperty(target, property, objectName, args);
            }
            var methods = FindMethods(type, member);
            if (methods.Count > 0)
            {
                return InvokeMethod(target, methods, objectName, member, args);
            }
        }
        throw new MonitorException($"{objectName} has no command or property '{member}'; type `{objectName}` to list them");
    }

    public static string Describe(IReadOnlyList<object> targets, string objectName)
    {
        var methods = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var properties = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            foreach (var m in target.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (IsCallable(m))
                {
                    methods.TryAdd(m.Name + Signature(m), $"- {TypeName(m.ReturnType)} {m.Name}{Signature(m)}");
                }
            }
            foreach (var p in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.GetIndexParameters().Length == 0 && p.CanRead)
                {
                    properties.TryAdd(p.Name, $"- {TypeName(p.PropertyType)} {p.Name}{(p.CanWrite && p.SetMethod!.IsPublic ? "" : " (read-only)")}");
                }
            }
        }
        var text = new StringBuilder();
        text.AppendLine("The following methods are available:");
        foreach (var line in methods.Values)
        {
            text.AppendLine(line);
        }
        text.AppendLine();
        text.AppendLine($"Usage:\n {objectName} MethodName param1 param2 ...");
        text.AppendLine();
        text.AppendLine("The following properties are available:");
        foreach (var line in properties.Values)
        {
            text.AppendLine(line);
        }
        text.AppendLine();
        text.AppendLine($"Usage:\n - get: {objectName} PropertyName\n - set: {objectName} PropertyName Value");
        return text.ToString().TrimEnd();
    }

    private object? InvokeProperty(object target, PropertyInfo property, string objectName, IReadOnlyList<MonitorToken> args)
    {
        if (args.Count == 0)
        {
            return Unwrap(() => property.GetValue(target));
        }
        if (args.Count > 1)
        {
            throw new MonitorException($"{objectName} {property.Name} takes at most one value ({TypeName(property.PropertyType)})");
        }
        if (!property.CanWrite || property.SetMethod?.IsPublic != true)
        {
            throw new MonitorException($"{objectName} {property.Name} is read-only");
        }
        var (ok, value) = convert(args[0], property.PropertyType);
        if (!ok)
        {
            throw new MonitorException($"{objectName} {property.Name}: expected {TypeName(property.PropertyType)}, got {args[0]}");
        }
        Unwrap(() =>
        {
            property.SetValue(target, value);
            return null;
        });
        return null;
    }

    private object? InvokeMethod(object target, List<MethodInfo> methods, string objectName, string member, IReadOnlyList<MonitorToken> args)
    {
        var positional = new List<MonitorToken>();
        var named = new Dictionary<string, MonitorToken>(StringComparer.OrdinalIgnoreCase);
        foreach (var arg in args)
        {
            var eq = arg.Kind == TokenKind.Word ? arg.Text.IndexOf('=') : -1;
            if (eq > 0 && MonitorTokenizer.IsIdentifier(arg.Text.AsSpan(0, eq)))
            {
                var valueText = arg.Text.Substring(eq + 1);
                var value = valueText.Length >= 2 && (valueText[0] == '"' || valueText[0] == '\'') && valueText[^1] == valueText[0]
                    ? new MonitorToken(TokenKind.String, valueText[1..^1])
                    : MonitorTokenizer.Classify(valueText);
                named[arg.Text.Substring(0, eq)] = value;
            }
            else
            {
                positional.Add(arg);
            }
        }
        string? firstProblem = null;
        foreach (var method in methods.OrderBy(m => Math.Abs(m.GetParameters().Length - args.Count)))
        {
            var parameters = method.GetParameters();
            if (positional.Count > parameters.Length)
            {
                firstProblem ??= $"takes at most {parameters.Length} argument(s)";
                continue;
            }
            var values = new object?[parameters.Length];
            var usedNamed = 0;
            string? problem = null;
            for (var i = 0; i < parameters.Length && problem == null; i++)
            {
                var p = parameters[i];
                MonitorToken? token = i < positional.Count ? positional[i] : named.GetValueOrDefault(p.Name ?? "");
                if (token != null && i >= positional.Count)
                {
                    usedNamed++;
                }
                if (token == null)
                {
                    if (p.HasDefaultValue)
                    {
                        values[i] = p.DefaultValue;
                        continue;
                    }
                    problem = $"missing argument {p.Name} ({TypeName(p.ParameterType)})";
                    continue;
                }
                var (ok, value) = convert(token, p.ParameterType);
                if (!ok)
                {
                    problem = $"argument {p.Name} expects {TypeName(p.ParameterType)}, got {token}";
                    continue;
                }
                values[i] = value;
            }
            if (problem == null && usedNamed != named.Count)
            {
                problem = $"unknown named argument(s) {string.Join(", ", named.Keys)}";
            }
            if (problem != null)
            {
                firstProblem ??= problem;
                continue;
            }
            return Unwrap(() => method.Invoke(target, values));
        }
        var usage = string.Join(" | ", methods.Select(m => member + Signature(m)));
        throw new MonitorException($"{objectName} {member}: {firstProblem}; usage: {usage}");
    }

    private static object? Unwrap(Func<object?> call)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            if (e.InnerException is MonitorException m)
            {
                throw m;
            }
            if (e.InnerException is Core.EmulationException ee)
            {
                throw new MonitorException(ee.Message, ee);
            }
            throw new MonitorException($"{e.InnerException.GetType().Name}: {e.InnerException.Message}", e.InnerException);
        }
    }

    private static PropertyInfo? FindProperty(Type type, string name)
    {
        var all = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();
        return all.Find(p => p.Name == name) ?? all.Find(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static List<MethodInfo> FindMethods(Type type, string name)
    {
        var all = type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(IsCallable).ToList();
        var exact = all.FindAll(m => m.Name == name);
        return exact.Count > 0 ? exact : all.FindAll(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsCallable(MethodInfo m) =>
        !m.IsSpecialName && !m.IsGenericMethodDefinition && m.DeclaringType != typeof(object)
        && m.Name is not ("GetType" or "ToString" or "Equals" or "GetHashCode" or "Dispose")
        && m.GetParameters().All(p => !p.ParameterType.IsByRef && !p.ParameterType.IsPointer && !typeof(Delegate).IsAssignableFrom(p.ParameterType));

    private static string Signature(MethodInfo m) =>
        " (" + string.Join(", ", m.GetParameters().Select(p => $"{TypeName(p.ParameterType)} {p.Name}" + (p.HasDefaultValue ? $" = {FormatDefault(p.DefaultValue)}" : ""))) + ")";

    private static string FormatDefault(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? "",
    };

    public static string TypeName(Type t)
    {
        var u = Nullable.GetUnderlyingType(t);
        if (u != null)
        {
            return TypeName(u) + "?";
        }
        return t == typeof(void) ? "void"
            : t == typeof(string) ? "String"
            : t == typeof(TimeSpan) ? "TimeInterval"
            : t.Name;
    }
}
